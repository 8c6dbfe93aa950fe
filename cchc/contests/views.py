"""Staff pages of knowledge contests. Views read the request, ask `permissions`, call `services` or
`selectors`, render. A contest the user may not see or act on answers like a missing one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.core import audit
from cchc.core.idempotency import idempotent

from . import permissions, selectors, services
from .forms import ContestForm, ImportForm, PrizesForm, RoundForm
from .models import Attempt

RANKING_ROWS = 200


def _add_errors(form, exc: services.ContestError) -> None:
    for field, message in (exc.fields or {None: exc.message}).items():
        form.add_error(field if field in form.fields else None, message)


@login_required
def contest_list(request):
    if not permissions.menu_visible(request.user):
        raise Http404
    contests = permissions.visible_contests(request.user).prefetch_related("rounds")
    return render(request, "contests/list.html", {
        "contests": contests, "can_create": bool(permissions.organiser_units(request.user)), "now": timezone.now()})


@login_required
@idempotent
def contest_create(request):
    units = permissions.organiser_units(request.user)
    if not units:
        raise Http404
    form = ContestForm(request.POST or None, units=units, initial={"unit": units[0].pk})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            contest = services.contest_create(
                user=request.user, unit=d["unit"], title=d["title"], description=d["description"],
                ask_phone=d["ask_phone"], ask_citizen_id=d["ask_citizen_id"], retention_days=d["retention_days"])
        except services.ContestError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The contest was created. Import its questions, then add a round."))
            return redirect("contests:contest", contest.pk)
    return render(request, "contests/contest_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def contest_detail(request, pk):
    contest = permissions.access_contest(request.user, pk)
    questions = list(contest.questions.filter(is_active=True).order_by("number")[:500])
    for q in questions:
        q.correct_letters = ", ".join(services.LETTERS[i] for i in q.correct)
    return render(request, "contests/contest.html", {
        "contest": contest, "questions": questions, "question_count": contest.questions.filter(is_active=True).count(),
        "rounds": [{"round": r, "state": selectors.round_state(r), "participants": r.attempts.count()}
                   for r in contest.rounds.all()],
        "can_edit": permissions.can_edit(request.user, contest), "letters": services.LETTERS,
        "import_form": ImportForm(),
    })


@login_required
def bank_template(request):
    if not permissions.organiser_units(request.user):
        raise Http404
    response = HttpResponse(services.bank_template_xlsx(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="mau-ngan-hang-cau-hoi.xlsx"'
    return response


@login_required
@idempotent
def questions_import(request, pk):
    contest = permissions.access_contest(request.user, pk, action="edit")
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.questions_import_xlsx(user=request.user, contest=contest, file=form.cleaned_data["file"])
        except services.ContestError as exc:
            form.add_error("file", exc.message)
        else:
            if result.ok:
                messages.success(request, _("%(n)d questions were added to the bank.") % {"n": result.created})
                return redirect("contests:contest", contest.pk)
    status = 400 if form.errors or (result and result.errors) else 200
    return render(request, "contests/import.html", {"contest": contest, "form": form, "result": result}, status=status)


@login_required
@idempotent
def round_create(request, pk):
    contest = permissions.access_contest(request.user, pk, action="edit")
    form = RoundForm(request.POST or None, initial={"title": _("Round %(n)d") % {"n": contest.rounds.count() + 1}})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            rnd = services.round_create(
                user=request.user, contest=contest, title=d["title"], opens_at=d["opens_at"], closes_at=d["closes_at"],
                questions_per_attempt=d["questions_per_attempt"], time_limit_seconds=d["time_limit_minutes"] * 60,
                prediction_question=d["prediction_question"])
        except services.ContestError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The round was added."))
            return redirect("contests:round", rnd.pk)
    return render(request, "contests/round_form.html", {"contest": contest, "form": form},
                  status=400 if form.errors else 200)


@login_required
def round_detail(request, pk):
    rnd = permissions.access_round(request.user, pk)
    contest = rnd.contest
    total = selectors.participants(rnd)
    ranked = list(selectors.ranking(rnd, total=total)[:RANKING_ROWS])
    can_edit = permissions.can_edit(request.user, contest)
    if can_edit and ranked:
        audit.record(action="view_personal", obj=rnd, actor=request.user, message="viewed participants' personal data")
    sites = _public_site(contest)
    return render(request, "contests/round.html", {
        "round": rnd, "contest": contest, "state": selectors.round_state(rnd), "total": total,
        "submitted": Attempt.objects.filter(round=rnd, status__in=selectors.FINISHED).count(),
        "ranked": [{"attempt": a, "rank": i, "seconds": (a.duration_ms or 0) / 1000,
                    "phone": a.phone if can_edit else services.mask_phone(a.phone),
                    "citizen_id": services.mask_citizen_id(a.citizen_id_last)} for i, a in enumerate(ranked, start=1)],
        "units": selectors.participation(rnd), "prizes_form": PrizesForm(prizes=rnd.prizes.all()),
        "prizes": list(rnd.prizes.all()), "can_edit": can_edit,
        "can_publish": permissions.can_publish(request.user, contest), "public_site": sites,
    })


def _public_site(contest):
    from cchc.portal.models import PublicSite

    codes = [c for c in contest.unit.path.strip("/").split("/") if c]
    return (PublicSite.objects.filter(is_public=True, unit__code__in=codes).select_related("unit")
            .order_by("-unit__depth").first())


@login_required
@require_POST
@idempotent
def prizes(request, pk):
    rnd = permissions.access_round(request.user, pk, action="edit")
    form = PrizesForm(request.POST, prizes=rnd.prizes.all())
    if form.is_valid():
        try:
            services.prizes_set(user=request.user, round=rnd, counts=form.counts())
        except services.ContestError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The prizes were saved."))
    else:
        messages.error(request, _("The prizes were not saved: the numbers must be whole numbers from 0 to 1000."))
    return redirect("contests:round", rnd.pk)


@login_required
@require_POST
@idempotent
def winners(request, pk):
    rnd = permissions.access_round(request.user, pk, action="publish")
    try:
        found = services.winners_assign(user=request.user, round=rnd)
    except services.ContestError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(n)d winners were assigned from the ranking.") % {"n": len(found)})
    return redirect("contests:round", rnd.pk)


@login_required
@require_POST
@idempotent
def publish(request, pk):
    rnd = permissions.access_round(request.user, pk, action="publish")
    try:
        services.results_publish(user=request.user, round=rnd)
    except services.ContestError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The results were published; the participants per unit are counted as outputs."))
    return redirect("contests:round", rnd.pk)
