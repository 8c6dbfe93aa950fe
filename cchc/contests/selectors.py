"""Reads of knowledge contests: rankings, participation per unit, what the public sites list."""

from __future__ import annotations

from django.db.models import Count, F, IntegerField, Value
from django.db.models.functions import Abs, Coalesce
from django.utils import timezone

from cchc.core.text import sort_key

from .models import Attempt, Contest, Round

FINISHED = (Attempt.Status.SUBMITTED, Attempt.Status.EXPIRED)


def participants(round: Round) -> int:
    """Everyone who started an attempt at the round (the number the prediction question asks for)."""
    return Attempt.objects.filter(round=round).count()


def ranking(round: Round, *, total: int | None = None):
    """The round's finished attempts, best first: the score, then the time taken, then how close the
    prediction of the number of participants came (no prediction comes last), then who submitted first."""
    total = participants(round) if total is None else total
    distance = Coalesce(Abs(F("prediction") - Value(total)), Value(10**9), output_field=IntegerField())
    return (Attempt.objects.filter(round=round, status__in=FINISHED).select_related("unit", "prize")
            .annotate(distance=distance)
            .order_by("-score", "duration_ms", "distance", "submitted_at", "pk"))


def participation(round_or_contest) -> list[dict]:
    """[{"unit", "count"}] of the participants per unit, most first (ties in Vietnamese order)."""
    attempts = Attempt.objects.all()
    if isinstance(round_or_contest, Round):
        attempts = attempts.filter(round=round_or_contest)
    else:
        attempts = attempts.filter(round__contest=round_or_contest)
    counts = dict(attempts.values_list("unit").annotate(n=Count("pk")).values_list("unit", "n"))
    from cchc.org.models import Unit

    units = Unit.objects.filter(pk__in=counts).only("pk", "name", "code", "path", "kind")
    rows = [{"unit": u, "count": counts[u.pk]} for u in units]
    rows.sort(key=lambda r: (-r["count"], sort_key(r["unit"].name)))
    return rows


def public_contests(site):
    """The contests organised by the site's unit or the units below it, newest first, with their rounds."""
    return (Contest.objects.filter(unit__path__startswith=site.unit.path).select_related("unit")
            .prefetch_related("rounds").order_by("-created_at"))


def round_state(round: Round, now=None) -> str:
    now = now or timezone.now()
    if now < round.opens_at:
        return "upcoming"
    if now < round.closes_at:
        return "open"
    return "published" if round.results_published_at else "closed"
