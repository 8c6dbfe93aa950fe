"""Staff pages of the video-clip contests under /cuoc-thi-video/: the contests, setting one up, the
entries to moderate, the judges' scoring, the held votes, closing judging and publishing results."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from csp.decorators import csp_update

from cchc.core.idempotency import idempotent
from cchc.org.permissions import pk_or_404

from . import permissions, selectors, services, video
from .forms import ContestForm, ModerateForm
from .models import Contest, Entry, Vote


@login_required
def contest_list(request):
    contests = list(permissions.visible_contests(request.user).order_by("-entries_open_at", "-pk"))
    return render(request, "clips/list.html", {"contests": contests,
                                               "units": permissions.organiser_units(request.user)})


def _initial(contest: Contest) -> dict:
    local = timezone.localtime
    return {
        "title": contest.title, "rules": contest.rules, "judges_weight": contest.judges_weight,
        "entries_open_at": local(contest.entries_open_at), "entries_close_at": local(contest.entries_close_at),
        "voting_open_at": local(contest.voting_open_at), "voting_close_at": local(contest.voting_close_at),
        "criteria": "\n".join(f"{c.name} | {c.weight}" for c in contest.criteria.all()),
        "judges": "\n".join(j.user.get_username() for j in contest.judges.select_related("user")),
        "is_public": contest.is_public,
    }


def _save(request, form, *, unit=None, contest=None):
    try:
        return services.contest_save(user=request.user, unit=unit, contest=contest, **form.cleaned_data)
    except services.ClipError as exc:
        for name, message in exc.fields.items() or [(None, exc.message)]:
            form.add_error(name if name in form.fields else None, message or exc.message)
        if not exc.fields:
            form.add_error(None, exc.message)
    return None


@login_required
@idempotent
def contest_create(request):
    units = permissions.organiser_units(request.user)
    if not units:
        raise Http404
    code = request.POST.get("unit") or request.GET.get("don-vi") or units[0].code
    unit = next((u for u in units if u.code == code), units[0])
    form = ContestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contest = _save(request, form, unit=unit)
        if contest is not None:
            messages.success(request, _("The contest is set up."))
            return redirect("clips:contest", pk=contest.pk)
    return render(request, "clips/contest_form.html", {"form": form, "units": units, "unit": unit, "contest": None},
                  status=400 if form.errors else 200)


@login_required
@idempotent
def contest_edit(request, pk):
    contest = permissions.access_contest(request.user, pk, action="organise")
    form = ContestForm(request.POST or None, initial=_initial(contest))
    if request.method == "POST" and form.is_valid():
        if _save(request, form, contest=contest) is not None:
            messages.success(request, _("The contest is saved."))
            return redirect("clips:contest", pk=contest.pk)
    return render(request, "clips/contest_form.html", {"form": form, "contest": contest, "unit": contest.unit},
                  status=400 if form.errors else 200)


@login_required
def contest_detail(request, pk):
    contest = permissions.access_contest(request.user, pk)
    user = request.user
    organiser = permissions.can_organise(user, contest)
    judge = permissions.judge_for(user, contest)
    see_all = permissions.can_see_all_scores(user, contest)
    rows = selectors.results(contest, judge_id=judge.pk if judge else None, all_judges=see_all)
    entries = list(contest.entries.order_by("created_at", "pk")) if organiser else []
    return render(request, "clips/contest.html", {
        "contest": contest, "organiser": organiser, "judge": judge, "see_all": see_all, "rows": rows,
        "entries": entries, "held": list(selectors.held_votes(contest)) if organiser else [],
        "criteria": list(contest.criteria.all()), "now": timezone.now(),
        "pending": sum(1 for e in entries if e.status == Entry.Status.PENDING)})


@login_required
@csp_update({"frame-src": video.EMBED_ORIGINS})
def entry_detail(request, pk, entry_pk):
    contest = permissions.access_contest(request.user, pk)
    entry = permissions.access_entry(request.user, contest, entry_pk)
    organiser = permissions.can_organise(request.user, contest)
    judge = permissions.judge_for(request.user, contest)
    if not organiser and entry.status != Entry.Status.ACCEPTED:
        raise Http404
    criteria = list(contest.criteria.all())
    own = {}
    if judge is not None:
        own = {s.criterion_id: s.value for s in entry.scores.filter(judge=judge)}
    errors = {}
    if request.method == "POST" and judge is not None:
        values = {c.pk: request.POST.get(f"c{c.pk}", "") for c in criteria}
        try:
            services.scores_save(entry=entry, user=request.user, values=values)
        except services.ClipError as exc:
            errors = exc.fields or {"": exc.message}
            own = {c.pk: values[c.pk] for c in criteria}
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your scores are saved."))
            return redirect("clips:contest", pk=contest.pk)
    rows = [{"criterion": c, "value": own.get(c.pk, ""), "error": errors.get(f"c{c.pk}", "")} for c in criteria]
    return render(request, "clips/entry.html", {
        "contest": contest, "entry": entry, "organiser": organiser, "judge": judge, "score_rows": rows,
        "can_score": judge is not None and contest.judging_closed_at is None and entry.status == Entry.Status.ACCEPTED,
        "moderate_form": ModerateForm()}, status=400 if errors else 200)


@login_required
@require_POST
@idempotent
def entry_moderate(request, pk, entry_pk):
    contest = permissions.access_contest(request.user, pk, action="organise")
    entry = permissions.access_entry(request.user, contest, entry_pk)
    accept = request.POST.get("decision") == "accept"
    form = ModerateForm(request.POST)
    form.is_valid()
    try:
        services.entry_moderate(entry=entry, user=request.user, accept=accept,
                                reason=form.cleaned_data.get("reason", ""), request=request)
    except services.ClipError as exc:
        messages.error(request, exc.message)
        return redirect("clips:entry", pk=contest.pk, entry_pk=entry.pk)
    messages.success(request, _("“%(title)s” is accepted: it is shown, voted on and judged.") % {"title": entry.title}
                     if accept else _("“%(title)s” is rejected.") % {"title": entry.title})
    return redirect("clips:contest", pk=contest.pk)


@login_required
@require_POST
@idempotent
def vote_review(request, pk, vote_pk):
    contest = permissions.access_contest(request.user, pk, action="organise")
    vote = Vote.objects.filter(pk=pk_or_404(vote_pk), entry__contest=contest).first()
    if vote is None:
        raise Http404
    try:
        services.vote_review(vote=vote, user=request.user, count=request.POST.get("decision") == "count")
    except services.ClipError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The held vote is counted.") if vote.status == Vote.Status.COUNTED
                         else _("The held vote is discarded."))
    return redirect("clips:contest", pk=contest.pk)


@login_required
@require_POST
@idempotent
def judging_close(request, pk):
    contest = permissions.access_contest(request.user, pk, action="organise")
    services.judging_close(contest=contest, user=request.user)
    messages.success(request, _("Judging is closed: the judges now see each other's scores."))
    return redirect("clips:contest", pk=contest.pk)


@login_required
@require_POST
@idempotent
def results_publish(request, pk):
    contest = permissions.access_contest(request.user, pk, action="organise")
    try:
        services.results_publish(contest=contest, user=request.user)
    except services.ClipError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The results are published on the public site."))
    return redirect("clips:contest", pk=contest.pk)
