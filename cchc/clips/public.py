"""Public pages of the video-clip contests on a unit's public site, no account needed: the contests,
a contest's rules, entries and (once published) results, the form that sends an entry, an entry's page
with its clip and the vote form, and the page that confirms a vote from the e-mail's link.

- Pages with a form (send an entry, an entry's page with the vote form, the confirmation) are never
  served from the page cache; the contests' lists and results are.
- An entry's page frames YouTube's no-cookie player only: its Content-Security-Policy adds that one
  origin to frame-src; every other page keeps the platform's policy. Other hosts are linked to.
- Floods: a honeypot field, per-address limits (entries as feedback's petitions are limited; vote
  requests per hour), and votes that come in a burst from one address or one browser are held for the
  organiser (see `services`).
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from csp.decorators import csp_update

from cchc.core.middleware import client_ip
from cchc.org.permissions import pk_or_404
from cchc.portal.sites import cached_public_page
from cchc.portal.views import public_context, site_for

from . import selectors, services, video
from .forms import EntryForm, VoteForm
from .models import Contest, Entry

DEVICE_COOKIE = "cchc_clip_device"


def contests_of(site):
    return Contest.objects.filter(unit=site.unit, is_public=True)


def _contest(site, pk) -> Contest:
    contest = contests_of(site).filter(pk=pk_or_404(pk)).first()
    if contest is None:
        raise Http404
    return contest


@require_GET
@cached_public_page
def contest_list(request, slug):
    site = site_for(request, slug)
    return render(request, "clips/public/list.html", public_context(request, site, contests=list(contests_of(site))))


@require_GET
@cached_public_page
def contest_detail(request, slug, pk):
    site = site_for(request, slug)
    contest = _contest(site, pk)
    published = contest.results_published_at is not None
    rows = selectors.results(contest) if published else None
    entries = None if published else list(contest.entries.filter(status=Entry.Status.ACCEPTED).order_by("created_at"))
    return render(request, "clips/public/contest.html", public_context(
        request, site, contest=contest, rows=rows, entries=entries, criteria=list(contest.criteria.all()),
        entries_open=contest.entries_open(), voting_open=contest.voting_open()))


@never_cache
@require_http_methods(["GET", "POST"])
def submit(request, slug, pk):
    site = site_for(request, slug)
    contest = _contest(site, pk)
    form = EntryForm(request.POST or None, request.FILES or None, initial={"form_token": secrets.token_urlsafe(24)})
    status = 200
    if request.method == "POST":
        token = (request.POST.get("form_token") or "")[:64]
        if form.is_robot:
            return redirect(site.path(f"cuoc-thi-video/{contest.pk}/da-gui/"))
        status = 400
        if form.is_valid():
            if services.entry_rate_limited(client_ip(request)):
                form.add_error(None, _("Too many entries came from your network in the last hour. Try again "
                                       "later; what you typed is kept below."))
                status = 429
            else:
                data = form.cleaned_data
                try:
                    services.entry_submit(
                        contest=contest, author_name=data["author_name"], contact=data["contact"],
                        organisation=data["organisation"], title=data["title"], description=data["description"],
                        video_link=data["video_link"].strip(), video_file=data["video_file"], consent=data["consent"],
                        ip_address=client_ip(request), form_token=token or None)
                except services.ClipError as exc:
                    for name, message in (exc.fields or {None: exc.message}).items():
                        form.add_error(name if name in form.fields else None, message or exc.message)
                else:
                    return redirect(site.path(f"cuoc-thi-video/{contest.pk}/da-gui/"))
        data = form.data.copy()
        data["form_token"] = token or secrets.token_urlsafe(24)
        form.data = data
    return render(request, "clips/public/submit.html", public_context(
        request, site, contest=contest, form=form, open=contest.entries_open(), hosts=video.host_names(),
        max_mb=video.max_file_bytes() // 1048576), status=status)


@require_GET
def submitted(request, slug, pk):
    site = site_for(request, slug)
    contest = _contest(site, pk)
    return render(request, "clips/public/submitted.html", public_context(request, site, contest=contest))


@never_cache
@csp_update({"frame-src": video.EMBED_ORIGINS})
@require_http_methods(["GET", "POST"])
def entry_detail(request, slug, pk):
    site = site_for(request, slug)
    entry = (Entry.objects.select_related("contest").filter(
        pk=pk_or_404(pk), status=Entry.Status.ACCEPTED, contest__unit=site.unit, contest__is_public=True).first())
    if entry is None:
        raise Http404
    contest = entry.contest
    device = request.COOKIES.get(DEVICE_COOKIE) or ""
    if len(device) > 64 or not device.replace("-", "").replace("_", "").isalnum():
        device = ""
    form = VoteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_robot:
            return redirect(site.path(f"cuoc-thi-video/tac-pham/{entry.pk}/"))
        if services.vote_rate_limited(client_ip(request)):
            form.is_valid()
            form.add_error(None, _("Too many votes came from your network in the last hour. Try again later."))
            status = 429
        elif form.is_valid():
            base = site.absolute_url("cuoc-thi-video/binh-chon/", request=request)
            try:
                services.vote_request(entry=entry, email=form.cleaned_data["email"], ip_address=client_ip(request),
                                      device=device, confirm_url=lambda token: f"{base}{token}/")
            except services.ClipError as exc:
                form.add_error("email" if "email" in exc.fields else None, exc.message)
            else:
                messages.success(request, _("A link to confirm your vote was sent to your e-mail address. Your vote "
                                            "counts once you follow it."))
                return redirect(site.path(f"cuoc-thi-video/tac-pham/{entry.pk}/"))
    votes = entry.votes.filter(status="counted").count()
    response = render(request, "clips/public/entry.html", public_context(
        request, site, entry=entry, contest=contest, form=form, votes=votes, voting_open=contest.voting_open()),
        status=status)
    if not request.COOKIES.get(DEVICE_COOKIE):
        response.set_cookie(DEVICE_COOKIE, secrets.token_urlsafe(18), max_age=365 * 86400, httponly=True,
                            samesite="Lax", secure=request.is_secure())
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, slug, token):
    """GET shows the confirmation button (a mail scanner that opens every link votes for no one); POST
    confirms."""
    site = site_for(request, slug)
    vote = services.vote_for_token(token)
    if vote is not None and vote.entry.contest.unit_id != site.unit_id:  # a link of another site's contest
        vote = None
    if vote is not None and request.method == "POST":
        vote = services.vote_confirm(token=token)
    done = vote is not None and vote.status != vote.Status.PENDING
    return render(request, "clips/public/confirm.html", public_context(
        request, site, vote=vote, done=done, token=token), status=200 if vote else 400)
