"""Public pages of the news (no account) and the staff pages where units write and publish."""

from __future__ import annotations

import functools
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cchc.core.idempotency import idempotent
from cchc.core.images import ImageRefused
from cchc.core.text import fold
from cchc.org import permissions as org_permissions
from cchc.org.models import Unit
from cchc.outputs.services import OutputError
from cchc.portal.sites import cached_public_page
from cchc.portal.views import public_context, site_for

from . import permissions, selectors, services
from .forms import ArticleForm, ScheduleForm, SearchForm
from .models import Acceptance, Article, Category, Theme

PAGE_SIZE = 12


def _importmap() -> str:
    """The editor's import map (rendered with the page's CSP nonce: no inline script without one)."""
    from django.templatetags.static import static

    names = ("editor", "configurable")
    return json.dumps({"imports": {f"django-prose-editor/{n}": static(f"django_prose_editor/{n}.js") for n in names}})


def _due_first(view):
    """Publish what is due before answering (scheduled articles appear even without the worker)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        services.publish_due_if_any()
        return view(request, *args, **kwargs)

    return wrapper


def _page(request, queryset):
    paginator = Paginator(queryset, PAGE_SIZE)
    return paginator.get_page(request.GET.get("trang"))


def search(queryset, query: str):
    """Accent-insensitive: every word must appear in the title, lead or body."""
    for word in fold(query or "").split()[:10]:
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def _list(request, site, queryset, *, heading, feed=None, **extra):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if query:
        queryset = search(queryset, query)
    page = _page(request, queryset.defer("body", "search_text"))
    categories = list(Category.objects.filter(is_active=True))
    return render(request, "news/public_list.html", public_context(
        request, site, page=page, articles=page.object_list, heading=heading, query=query, form=form,
        categories=categories, feed=feed or site.path("tin-tuc/rss.xml"), **extra))


@require_GET
@_due_first
@cached_public_page
def public_list(request, slug):
    site = site_for(request, slug)
    return _list(request, site, selectors.published_for_site(site), heading=_("News"))


@require_GET
@_due_first
@cached_public_page
def public_category(request, slug, category):
    site = site_for(request, slug)
    found = get_object_or_404(Category, slug=category, is_active=True)
    return _list(request, site, selectors.published_for_site(site).filter(category=found), heading=found.name,
                 current_category=found, feed=site.path(f"tin-tuc/chuyen-muc/{found.slug}/rss.xml"))


@require_GET
@_due_first
@cached_public_page
def public_theme(request, slug, theme):
    site = site_for(request, slug)
    found = get_object_or_404(Theme, slug=theme, is_active=True)
    return _list(request, site, selectors.published_for_site(site).filter(themes=found), heading=found.name)


@require_GET
@_due_first
@cached_public_page
def public_unit(request, slug, code):
    site = site_for(request, slug)
    unit = get_object_or_404(Unit, code=code)
    articles = selectors.published_for_site(site).filter(unit=unit)
    if not articles.exists():
        raise Http404
    return _list(request, site, articles, heading=unit.name)


@cached_public_page
def _article_page(request, slug, pk, article_slug):
    site = site_for(request, slug)
    article = (selectors.published_for_site(site).select_related("unit", "category")
               .prefetch_related("themes", "attachments").filter(pk=pk).first())
    if article is None:
        raise Http404
    return render(request, "news/public_article.html", public_context(
        request, site, article=article,
        cover_url=request.build_absolute_uri(article.cover.url) if article.cover else ""))


@require_GET
@_due_first
def public_article(request, slug, pk, article_slug):
    """The article page; each reading is counted (once a day per visitor, no cookie), cached or not:
    PublicPageCacheMiddleware, which may answer it before this view, counts it through `public_hit`."""
    response = _article_page(request, slug, pk, article_slug)
    if response.status_code == 200 and request.method == "GET":
        services.count_view_of(pk, request)
        # answered again early by the page cache, which counts the reading there the same way
        response.public_hit = ("cchc.news.services.count_view_of", pk)
    return response


@require_GET
def public_attachment(request, slug, pk, file_id):
    site = site_for(request, slug)
    article = selectors.published_for_site(site).filter(pk=pk).first()
    if article is None:
        raise Http404
    attachment = get_object_or_404(article.attachments, pk=file_id)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- staff

def _unit_choices(user):
    return permissions.writable_units(user)


@login_required
def staff_list(request):
    units = _unit_choices(request.user)
    sites = permissions.edited_sites(request.user)
    if not units and not sites:
        raise Http404
    code = request.GET.get("don-vi") or (units[0].code if units else "")
    unit = next((u for u in units if u.code == code), units[0] if units else None)
    articles = Article.objects.none()
    status = request.GET.get("trang-thai", "")
    if unit is not None:
        articles = Article.objects.filter(unit=unit).select_related("category").order_by("-updated_at")
        if status in Article.Status.values:
            articles = articles.filter(status=status)
    offers = (Acceptance.objects.filter(site__in=sites, status=Acceptance.Status.OFFERED)
              .select_related("article__unit", "site").order_by("-offered_at")[:50]) if sites else []
    return render(request, "news/staff_list.html", {
        "units": units, "unit": unit, "page": _page(request, articles), "status": status,
        "statuses": Article.Status.choices, "offers": offers,
    })


def _save(request, form, article, *, creating):
    try:
        services.save_article(
            article=article, user=request.user, themes=form.cleaned_data.get("themes"),
            cover=form.cleaned_data.get("cover_upload"), remove_cover=form.cleaned_data.get("remove_cover"),
            attachments=form.cleaned_data.get("new_attachments") or [],
            remove_attachments=[a.pk for a in form.cleaned_data.get("remove_attachments") or []], request=request)
    except ImageRefused as exc:
        form.add_error("cover_upload", str(exc))
        return None
    messages.success(request, _("The article is saved.") if not creating else _("The article is created."))
    return redirect("news:staff_detail", pk=article.pk)


@login_required
@idempotent
def staff_create(request):
    units = _unit_choices(request.user)
    code = request.POST.get("don-vi") or request.GET.get("don-vi")
    unit = next((u for u in units if u.code == code), units[0] if len(units) == 1 else None)
    if unit is None:
        raise Http404
    article = Article(unit=unit)
    form = ArticleForm(request.POST or None, request.FILES or None, instance=article)
    if request.method == "POST" and form.is_valid():
        done = _save(request, form, form.instance, creating=True)
        if done:
            return done
    return render(request, "news/staff_form.html", {"form": form, "unit": unit, "article": None,
                                                      "importmap": _importmap()})


@login_required
@idempotent
def staff_edit(request, pk):
    article = permissions.access_article(request.user, pk, action="edit")
    form = ArticleForm(request.POST or None, request.FILES or None, instance=article)
    if request.method == "POST" and form.is_valid():
        done = _save(request, form, form.instance, creating=False)
        if done:
            return done
    return render(request, "news/staff_form.html", {"form": form, "unit": article.unit, "article": article,
                                                      "importmap": _importmap()})


@login_required
def staff_detail(request, pk):
    article = permissions.access_article(request.user, pk)
    steps = permissions.allowed_steps(request.user, article)
    offered = {a.site_id: a for a in article.acceptances.select_related("site")}
    return render(request, "news/staff_detail.html", {
        "article": article, "steps": steps, "schedule_form": ScheduleForm(),
        "versions": article.versions.select_related("by")[:30],
        "offer_sites": [(s, offered.get(s.pk)) for s in permissions.offer_sites(article)] if "offer" in steps else [],
        "acceptances": list(offered.values()),
        "public_link": services.public_link(article) if article.is_public else "",
    })


STEP_MESSAGES = {
    "submit": lambda: _("The article is submitted for publishing."),
    "return": lambda: _("The article is back in draft."),
    "publish": lambda: _("The article is published and counted."),
    "unpublish": lambda: _("The article is withdrawn; it no longer counts."),
}


@login_required
@require_POST
@idempotent
def staff_step(request, pk, step):
    article = permissions.access_article(request.user, pk)
    if step not in ("submit", "return", "publish", "schedule", "unpublish", "offer"):
        raise Http404
    if not permissions.can_step(request.user, article, step):
        could = (permissions.can_publish(request.user, article) if step in permissions.EDITOR_STEPS
                 else org_permissions.can_edit(request.user, article.unit))
        if not could:
            raise Http404
        # taken already (a second click, another tab): say so instead of acting twice
        messages.info(request, _("This article is %(status)s now; the step was not taken again.")
                      % {"status": article.get_status_display()})
        return redirect("news:staff_detail", pk=article.pk)
    try:
        if step == "schedule":
            form = ScheduleForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Write the publishing time as dd/mm/yyyy hh:mm, for example 15/09/2025 08:00."))
                return redirect("news:staff_detail", pk=article.pk)
            services.schedule(article, request.user, form.cleaned_data["publish_at"])
            messages.success(request, _("The article will be published at the chosen time."))
        elif step == "offer":
            site = next((s for s in permissions.offer_sites(article) if str(s.pk) == request.POST.get("site")), None)
            if site is None:
                messages.error(request, _("Choose a site to offer the article to."))
                return redirect("news:staff_detail", pk=article.pk)
            services.offer(article, site, request.user)
            messages.success(request, _("The article is offered to %(site)s.") % {"site": site.title})
        else:
            if step == "publish":
                services.publish(article, request.user, request=request)
            else:
                getattr(services, {"return": "return_to_draft"}.get(step, step))(article, request.user)
            messages.success(request, STEP_MESSAGES[step]())
    except services.StepRefused as exc:
        messages.info(request, str(exc))
    except OutputError as exc:
        messages.error(request, _("The article could not be counted: %(reason)s") % {"reason": exc})
    return redirect("news:staff_detail", pk=article.pk)


@login_required
@require_POST
@idempotent
def staff_decide(request, pk, decision):
    offer = permissions.access_acceptance(request.user, pk)
    if decision not in ("nhan", "tu-choi"):
        raise Http404
    services.decide(offer, request.user, accept=decision == "nhan", request=request)
    messages.success(request, _("The article is shown on %(site)s.") % {"site": offer.site.title}
                     if decision == "nhan" else _("The offer is declined."))
    return redirect(reverse("news:staff_list"))


def unit_choices_for_menu(user) -> bool:
    """Whether the menu shows "Tin bài": from the memberships already read for the request, no query
    (the page itself says when there is nothing the user may write)."""
    return bool(getattr(user, "is_authenticated", False) and (
        user.is_superuser or any(g.role in org_permissions.EDIT_ROLES for g in org_permissions.grants(user))))



