"""The bulletin's pages: public (archive, issue, PDF/.docx, subscribe, confirm, unsubscribe) on the
site's addresses, and staff (compose, publish, send, progress, subscribers) under /ban-tin/."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.core.idempotency import idempotent
from cchc.core.middleware import client_ip
from cchc.portal.sites import cached_public_page
from cchc.portal.views import public_context, site_for

from . import permissions, selectors, services
from .documents import FontMissing, write_docx, write_pdf
from .forms import IssueForm, SubscribeForm

logger = logging.getLogger(__name__)

FORMATS = {
    "pdf": ("application/pdf", write_pdf),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", write_docx),
}


def _site_base(request, site) -> str:
    """The site's own address ("https://cchc.tuyenquang.gov.vn/" or "https://…/cong/<slug>/")."""
    return site.absolute_url("", request=request)


def _document(request, issue, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    content_type, writer = FORMATS[fmt]
    try:
        data = writer(selectors.bulletin_text(issue, base_url=_site_base(request, issue.site)))
    except FontMissing as exc:
        logger.error("bulletin PDF: %s", exc)
        return render(request, "bulletins/unavailable.html", public_context(request, issue.site, issue=issue),
                      status=503)
    response = HttpResponse(data, content_type=content_type)
    name = f"ban-tin-cchc-so-{issue.number:02d}-{issue.year}.{fmt}"
    response["Content-Disposition"] = f'{"inline" if fmt == "pdf" else "attachment"}; filename="{name}"'
    return response


# ------------------------------------------------------------------------------------------- public


@require_GET
@cached_public_page
def archive(request, slug):
    site = site_for(request, slug)
    return render(request, "bulletins/archive.html", public_context(request, site, years=selectors.archive(site)))


def _public_issue(site, year: int, number: int):
    issue = selectors.public_issue(site, year, number)
    if issue is None:
        raise Http404
    return issue


@require_GET
@cached_public_page
def issue_page(request, slug, year, number):
    site = site_for(request, slug)
    issue = _public_issue(site, year, number)
    return render(request, "bulletins/issue.html", public_context(
        request, site, issue=issue, articles=selectors.issue_articles(issue), preview=False))


@require_GET
@cached_public_page
def issue_file(request, slug, year, number, fmt):
    site = site_for(request, slug)
    return _document(request, _public_issue(site, year, number), fmt)


@require_http_methods(["GET", "POST"])
def subscribe(request, slug):
    site = site_for(request, slug)
    form = SubscribeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if services.subscribe_rate_limited(client_ip(request)):
            form.add_error(None, _("Too many subscription requests came from your network in the last hour. "
                                   "Please try again in an hour."))
            status = 429
        elif form.is_robot:
            return redirect(site.path("ban-tin/dang-ky/da-gui/"))  # a robot learns nothing either
        elif form.is_valid():
            services.subscription_request(site=site, email=form.cleaned_data["email"], base_url=_site_base(request, site))
            return redirect(site.path("ban-tin/dang-ky/da-gui/"))
        else:
            status = 400
    return render(request, "bulletins/subscribe.html", public_context(request, site, form=form), status=status)


@require_GET
@cached_public_page
def subscribe_sent(request, slug):
    site = site_for(request, slug)
    return render(request, "bulletins/subscribe_sent.html", public_context(request, site))


@require_http_methods(["GET", "POST"])
def confirm(request, slug, token):
    """GET shows the address's confirmation button (a mail scanner that opens every link confirms no
    one); POST confirms, as often as it is sent."""
    site = site_for(request, slug)
    if request.method == "POST":
        subscriber, done = services.subscriber_confirm(site=site, token=token), True
    else:
        subscriber = services.subscriber_for_confirm_token(site=site, token=token)
        done = subscriber is not None and subscriber.status == subscriber.Status.CONFIRMED
    response = render(request, "bulletins/confirmed.html",
                      public_context(request, site, ok=subscriber is not None, done=done),
                      status=200 if subscriber else 400)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt  # RFC 8058: the mail client posts "List-Unsubscribe=One-Click" with no cookie and no token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, slug, token):
    """GET asks to confirm (a link scanner that opens it unsubscribes no one); POST unsubscribes, as
    often as it is sent, without an account."""
    site = site_for(request, slug)
    if request.method == "POST":
        ok = services.unsubscribe(site=site, token=token)
        done = ok
    else:
        ok, done = services.delivery_for_token(site=site, token=token) is not None, False
    response = render(request, "bulletins/unsubscribe.html", public_context(request, site, ok=ok, done=done),
                      status=200 if ok else 400)
    response["Cache-Control"] = "no-store"
    return response


# -------------------------------------------------------------------------------------------- staff


@login_required
@require_GET
def staff_list(request):
    sites = permissions.composable_sites(request.user)
    if not sites:  # the menu shows it to every editor: say why there is nothing, and where to start
        return render(request, "bulletins/staff_list.html", {"rows": [], "issues": [], "no_site": True})
    issues = selectors.issues_for_sites(sites)
    rows = [{"site": s, "can_publish": permissions.can_publish(request.user, s)} for s in sites]
    return render(request, "bulletins/staff_list.html", {"rows": rows, "issues": issues})


@login_required
@require_POST
@idempotent
def issue_create(request, site_id):
    site = permissions.access_site(request.user, site_id)
    issue = services.issue_create(site=site, user=request.user)
    messages.success(request, _("Issue %(label)s is started as a draft.") % {"label": issue.label})
    return redirect("bulletins:edit", issue_id=issue.pk)


@login_required
@require_http_methods(["GET", "POST"])
def issue_edit(request, issue_id):
    issue = permissions.access_issue(request.user, issue_id, action=permissions.EDIT)
    chosen = list(issue.items.order_by("order", "id").values_list("article_id", flat=True))
    form = IssueForm(request.POST or None, instance=issue, candidates=selectors.candidate_articles(issue.site), chosen=chosen)
    if request.method == "POST" and not issue.is_published and form.is_valid():
        try:
            services.issue_update(issue=issue, user=request.user, title=form.cleaned_data["title"],
                                  intro=form.cleaned_data["intro"], closing=form.cleaned_data["closing"],
                                  article_ids=form.article_ids())
        except services.BulletinError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The issue is saved."))
            return redirect("bulletins:edit", issue_id=issue.pk)
    sending = selectors.latest_sending(issue)
    return render(request, "bulletins/issue_form.html", {
        "issue": issue, "form": form, "sending": sending,
        "can_publish": permissions.can_publish(request.user, issue.site),
    })


@login_required
@require_GET
def issue_preview(request, issue_id):
    issue = permissions.access_issue(request.user, issue_id, action=permissions.VIEW)
    return render(request, "bulletins/issue.html", public_context(
        request, issue.site, issue=issue, articles=selectors.issue_articles(issue), preview=True))


@login_required
@require_GET
def issue_preview_file(request, issue_id, fmt):
    issue = permissions.access_issue(request.user, issue_id, action=permissions.VIEW)
    return _document(request, issue, fmt)


@login_required
@require_POST
@idempotent
def issue_publish(request, issue_id):
    issue = permissions.access_issue(request.user, issue_id, action=permissions.PUBLISH)
    try:
        published = services.issue_publish(issue=issue, user=request.user,
                                           base_url=_site_base(request, issue.site))
    except services.BulletinError as exc:
        messages.error(request, str(exc))
    else:
        if published:
            messages.success(request, _("Issue %(label)s is published on the site.") % {"label": issue.label})
        else:
            messages.info(request, _("Issue %(label)s was already published.") % {"label": issue.label})
    return redirect("bulletins:edit", issue_id=issue.pk)


@login_required
@require_POST
@idempotent
def issue_send(request, issue_id):
    issue = permissions.access_issue(request.user, issue_id, action=permissions.PUBLISH)
    try:
        sending = services.sending_start(issue=issue, user=request.user, base_url=_site_base(request, issue.site))
    except services.BulletinError as exc:
        messages.error(request, str(exc))
        return redirect("bulletins:edit", issue_id=issue.pk)
    return redirect("bulletins:sending", issue_id=issue.pk, sending_id=sending.pk)


@login_required
@require_GET
def sending_page(request, issue_id, sending_id):
    issue = permissions.access_issue(request.user, issue_id, action=permissions.PUBLISH)
    sending = issue.sendings.filter(pk=sending_id).first()
    if sending is None:
        raise Http404
    return render(request, "bulletins/sending.html", {"issue": issue, "sending": sending})


@login_required
@require_GET
def subscribers(request, site_id):
    site = permissions.access_site(request.user, site_id, action=permissions.PUBLISH)
    rows = services.subscriber_list_open(site=site, user=request.user)
    return render(request, "bulletins/subscribers.html", {"site": site, "subscribers": rows})
