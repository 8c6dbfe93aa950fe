"""Public pages of knowledge contests on a unit's public site, no account needed: the contests and their
rounds, a round's page where a participant names herself, picks her unit and starts; the attempt (the
questions drawn for her, the time left by the server's clock, the prediction); her result with the
explanations; and, once the organiser publishes them, the ranking, the winners and the participation
per unit, names and phones masked.

- Forms and attempts are never served from the page cache; the lists and published results are.
- A repeat of the same start form gives the same attempt (`Attempt.start_token` is unique); a second
  submission of an attempt shows the result of the first. The same person again is refused by the
  database (one attempt per round and person key).
- Floods: per-address limits per minute on starts and submissions (the address is
  `cchc.core.middleware.client_ip`); the counts live in the cache, shared by every process when
  CACHE_URL names a Redis server. A commune's office may bring many people through one address: the
  limits are set for that (CCHC_CONTEST_STARTS_PER_MINUTE, CCHC_CONTEST_SUBMITS_PER_MINUTE).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from cchc.core.idempotency import posted_token
from cchc.core.middleware import client_ip
from cchc.core.text import fold
from cchc.org.permissions import pk_or_404
from cchc.portal.sites import cached_public_page
from cchc.portal.views import public_context, site_for

from . import selectors, services
from .forms import StartForm
from .models import Attempt, Question, Round

RESULT_ROWS = 100


def _count(key: str, seconds: int) -> int:
    if cache.add(key, 1, seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        return 1


def limited(kind: str, address: str | None) -> bool:
    """Count one start or submission from `address`; True past the limit of this minute."""
    per_minute = int(getattr(settings, f"CCHC_CONTEST_{kind.upper()}S_PER_MINUTE", 30 if kind == "start" else 60))
    return _count(f"contests:{kind}:{address or 'unknown'}:{timezone.now():%Y%m%d%H%M}", 60) > per_minute


def _site_round(site, pk) -> Round:
    rnd = (Round.objects.select_related("contest", "contest__unit")
           .filter(pk=pk_or_404(pk), contest__unit__path__startswith=site.unit.path).first())
    if rnd is None:
        raise Http404
    return rnd


def picker(contest) -> list[dict]:
    """The unit picker's rows (pk, name, folded name for the search typed without accents), kept in the
    cache for ten minutes."""
    key = f"contests:picker:{contest.unit_id}"
    rows = cache.get(key)
    if rows is None:
        rows = [{"pk": u.pk, "name": u.name, "folded": fold(u.name), "kind": u.kind}
                for u in services.picker_units(contest)]
        cache.set(key, rows, 600)
    return rows


class _Unit:
    def __init__(self, row):
        self.pk, self.name = row["pk"], row["name"]


# ---------------------------------------------------------------- lists

@require_GET
@cached_public_page
def contest_list(request, slug):
    site = site_for(request, slug)
    now = timezone.now()
    contests = []
    for contest in selectors.public_contests(site):
        rounds = [{"round": r, "state": selectors.round_state(r, now)} for r in contest.rounds.all()]
        if rounds:
            contests.append({"contest": contest, "rounds": rounds})
    return render(request, "contests/public/list.html", public_context(request, site, contests=contests))


# ---------------------------------------------------------------- a round: who takes part

@never_cache
@require_http_methods(["GET", "POST"])
def round_page(request, slug, pk):
    site = site_for(request, slug)
    rnd = _site_round(site, pk)
    contest = rnd.contest
    rows = picker(contest)
    state = selectors.round_state(rnd)
    form = StartForm(request.POST or None, units=[_Unit(r) for r in rows], contest=contest,
                     initial={"form_token": secrets.token_urlsafe(24)})
    status = 200
    if request.method == "POST":
        token = posted_token(request)
        first = Attempt.objects.filter(start_token=token, round=rnd).only("access_key").first() if token else None
        if first is not None:
            return redirect(site.path(f"hoi-thi/bai/{first.access_key}/"))
        status = 400
        if state != "open":
            form.is_valid()
            form.add_error(None, _("This round is not open."))
        elif form.is_valid():
            if limited("start", client_ip(request)):
                form.add_error(None, _("Too many attempts started from your network in a short time. Wait a minute "
                                       "and try again; what you typed is kept below."))
                status = 429
            else:
                data = form.cleaned_data
                from cchc.org.models import Unit

                try:
                    attempt = services.attempt_start(
                        round=rnd, name=data["name"], phone=data.get("phone", ""), citizen_id=data.get("citizen_id", ""),
                        unit=Unit.objects.get(pk=data["unit"]), start_token=token or None)
                except services.AlreadyTaken as exc:
                    form.add_error(None, exc.message)
                    status = 409
                except services.ContestError as exc:
                    for field, message in (exc.fields or {None: exc.message}).items():
                        form.add_error(field if field in form.fields else None, message)
                else:
                    return redirect(site.path(f"hoi-thi/bai/{attempt.access_key}/"))
        data = form.data.copy()
        data["form_token"] = token or secrets.token_urlsafe(24)
        form.data = data
    chosen = str(form["unit"].value() or "")
    return render(request, "contests/public/round.html", public_context(
        request, site, round=rnd, contest=contest, state=state, form=form, units=rows, chosen=chosen,
        token=form.data.get("form_token") if form.is_bound else form.initial["form_token"]), status=status)


# ---------------------------------------------------------------- the attempt

def _attempt(site, key) -> Attempt:
    if not key or len(key) > 48:
        raise Http404
    attempt = (Attempt.objects.select_related("round", "round__contest", "unit")
               .filter(access_key=key, round__contest__unit__path__startswith=site.unit.path).first())
    if attempt is None:
        raise Http404
    return attempt


def _questions(attempt) -> list[Question]:
    by_pk = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids)}
    return [by_pk[pk] for pk in attempt.question_ids if pk in by_pk]


def _posted_answers(request, attempt) -> dict[str, list[int]]:
    answers = {}
    for pk in attempt.question_ids:
        chosen = []
        for value in request.POST.getlist(f"q{pk}")[:6]:
            if value.isdigit():
                chosen.append(int(value))
        answers[str(pk)] = chosen
    return answers


@never_cache
@require_http_methods(["GET", "POST"])
def attempt_page(request, slug, key):
    site = site_for(request, slug)
    attempt = _attempt(site, key)
    result_url = site.path(f"hoi-thi/bai/{attempt.access_key}/ket-qua/")
    if attempt.status != Attempt.Status.STARTED:
        return redirect(result_url)
    if request.method == "POST":
        if limited("submit", client_ip(request)):
            return render(request, "contests/public/busy.html", public_context(request, site, attempt=attempt),
                          status=429)
        raw = (request.POST.get("prediction") or "").replace(".", "").replace(",", "").strip()
        prediction = int(raw) if raw.isdigit() and len(raw) <= 8 else None
        services.attempt_submit(attempt=attempt, answers=_posted_answers(request, attempt), prediction=prediction)
        return redirect(result_url)
    now = timezone.now()
    left = max(0, int((attempt.deadline_at - now).total_seconds()))
    return render(request, "contests/public/attempt.html", public_context(
        request, site, attempt=attempt, round=attempt.round, questions=_questions(attempt), seconds_left=left,
        letters=services.LETTERS))


@never_cache
@require_GET
def attempt_result(request, slug, key):
    site = site_for(request, slug)
    attempt = _attempt(site, key)
    if attempt.status == Attempt.Status.STARTED:
        if timezone.now() <= attempt.deadline_at:
            return redirect(site.path(f"hoi-thi/bai/{attempt.access_key}/"))
        services.attempts_expire()
        attempt.refresh_from_db()
    # the answers and explanations wait for the round to close: shown earlier, one throw-away attempt
    # would give the key to everyone's real one
    key_shown = timezone.now() >= attempt.round.closes_at
    rows = []
    for q in _questions(attempt) if key_shown else ():
        chosen = attempt.answers.get(str(q.pk), [])
        rows.append({"question": q, "chosen": chosen, "right": sorted(chosen) == list(q.correct),
                     "options": [{"letter": services.LETTERS[i], "text": o, "chosen": i in chosen,
                                  "correct": i in q.correct} for i, o in enumerate(q.options)]})
    return render(request, "contests/public/result.html", public_context(
        request, site, attempt=attempt, round=attempt.round, rows=rows, key_shown=key_shown,
        seconds=(attempt.duration_ms or 0) / 1000, name=services.mask_name(attempt.name)))


# ---------------------------------------------------------------- published results

@require_GET
@cached_public_page
def results(request, slug, pk):
    site = site_for(request, slug)
    rnd = _site_round(site, pk)
    if not rnd.results_published_at:
        raise Http404
    total = selectors.participants(rnd)
    ranked = list(selectors.ranking(rnd, total=total)[:RESULT_ROWS])
    winners = [a for a in ranked if a.prize_id]
    return render(request, "contests/public/results.html", public_context(
        request, site, round=rnd, contest=rnd.contest, total=total, ranked=_public_rows(ranked),
        winners=_public_rows(sorted(winners, key=lambda a: a.prize.level)),
        units=selectors.participation(rnd)[:100]))


def _public_rows(attempts) -> list[dict]:
    return [{"rank": i, "name": services.mask_name(a.name) if a.name else _("Participant"),
             "phone": services.mask_phone(a.phone), "unit": a.unit.name, "score": a.score, "max": a.max_score,
             "seconds": (a.duration_ms or 0) / 1000, "prediction": a.prediction,
             "prize": a.prize.name if a.prize_id else ""} for i, a in enumerate(attempts, start=1)]
