"""Public pages of the CCHC sites (no account needed), and the page where a unit sets up its site."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cchc.core import audit, registry

from . import permissions
from .forms import ContactFormSet, SiteForm
from .models import PublicSite
from .sites import cached_public_page, get_site, invalidate, suggest_slug


def public_context(request, site, **extra) -> dict:
    """What every public page's frame needs: the site, its menu from the registry, its canonical address."""
    menu = []
    for item in registry.public_menu:
        url = item.url(site)
        if url:
            menu.append({"key": item.key, "label": item.label, "url": url,
                         "active": url != site.path("") and request.path.startswith(url)})
    rest = request.path[len(site.path("")):] if request.path.startswith(site.path("")) else request.path.lstrip("/")
    return {"site": site, "public_menu": menu, "canonical": site.absolute_url(rest, request=request), **extra}


def site_for(request, slug) -> PublicSite:
    site = getattr(request, "public_site", None)
    return site if site is not None and site.slug == slug else get_site(slug)


@require_GET
def directory(request):
    sites = PublicSite.objects.filter(is_public=True).select_related("unit").order_by("unit__path")
    return render(request, "portal/directory.html", {"sites": sites})


@require_GET
@cached_public_page
def home(request, slug):
    site = site_for(request, slug)
    blocks = []
    for block in registry.public_blocks:
        context = block.context(request, site)
        if context is not None:
            blocks.append({"template": block.template, "context": context, "key": block.key})
    return render(request, "portal/home.html", public_context(request, site, blocks=blocks))


@require_GET
@cached_public_page
def contacts(request, slug):
    site = site_for(request, slug)
    return render(request, "portal/contacts.html", public_context(request, site, contacts=list(site.contacts.all())))


@require_GET
def sitemap(request, slug):
    site = site_for(request, slug)
    entries = []
    for provider in registry.sitemaps:
        for path, lastmod in provider.items(site):
            entries.append({"loc": site.absolute_url(path[len(site.path("")):], request=request), "lastmod": lastmod})
    return render(request, "portal/sitemap.xml", {"entries": entries}, content_type="application/xml; charset=utf-8")


@require_GET
def robots(request):
    """Public sites are open to search engines; staff pages are not."""
    lines = ["User-agent: *", "Allow: /cong/", "Disallow: /"]
    slug = getattr(request, "public_host_slug", None)
    sites = PublicSite.objects.filter(is_public=True)
    if slug:
        lines = ["User-agent: *", "Allow: /", "Disallow: /tai-khoan/"]
        sites = sites.filter(slug=slug)
    for site in sites.only("slug"):
        lines.append(f"Sitemap: {site.absolute_url('sitemap.xml', request=request)}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# ---------------------------------------------------------------- staff: set up a unit's site

@login_required
def manage(request):
    units = permissions.editable_units(request.user)
    sites = {s.unit_id: s for s in PublicSite.objects.filter(unit__in=units)}
    return render(request, "portal/manage.html", {"rows": [(u, sites.get(u.pk)) for u in units]})


@login_required
def site_edit(request, code):
    unit = permissions.access_site_unit(request.user, code)
    site = PublicSite.objects.filter(unit=unit).first()
    is_new = site is None
    if is_new:
        site = PublicSite(unit=unit, title=_("Administrative reform – %(unit)s") % {"unit": unit.name},
                          slug=_free_slug(suggest_slug(unit.short_name or unit.name)))
    form = SiteForm(request.POST or None, request.FILES or None, instance=site)
    formset = ContactFormSet(request.POST or None, instance=site, prefix="contacts")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        before = None if is_new else audit.snapshot(PublicSite.objects.get(pk=site.pk))
        with transaction.atomic():
            site = form.save()
            contacts_before = [str(c) for c in site.contacts.all()] if not is_new else []
            formset.instance = site
            formset.save()
            audit.record(actor=request.user, action="create" if is_new else "update", obj=site, before=before,
                         after={**audit.snapshot(site), "contacts": [str(c) for c in site.contacts.all()]},
                         message="" if is_new else f"contacts before: {contacts_before}")
        invalidate(site.pk)
        messages.success(request, _("The public site is saved."))
        return redirect("portal:edit", code=unit.code)
    return render(request, "portal/site_form.html", {"unit": unit, "site": site, "is_new": is_new,
                                                     "form": form, "formset": formset})


def _free_slug(base: str) -> str:
    slug, n = base, 2
    while PublicSite.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
