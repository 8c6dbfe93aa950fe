"""Reads of the video-clip contests that carry logic: the scores and the ranking (the formula is in
`cchc.clips.services`' docstring and on the results page)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from .models import Contest, Entry, Score, Vote

HUNDRED = Decimal(100)


def _round(value: Decimal | None) -> Decimal | None:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if value is not None else None


@dataclass
class ResultRow:
    entry: Entry
    judges_score: Decimal | None  # on 100; None while no judge has scored every criterion
    judges_count: int
    votes: int
    held: int
    public_score: Decimal
    final: Decimal
    rank: int = 0
    own_total: Decimal | None = None  # the asking judge's own score
    per_judge: dict = field(default_factory=dict)  # judge id → score on 100


def judge_totals(contest: Contest, *, judge_id: int | None = None) -> dict[int, dict[int, Decimal]]:
    """{entry id: {judge id: score on 100}} for the judges who scored every criterion of an entry."""
    criteria = {c.pk: c for c in contest.criteria.all()}
    total_weight = sum(c.weight for c in criteria.values())
    scores = Score.objects.filter(entry__contest=contest, criterion__in=list(criteria))
    if judge_id is not None:
        scores = scores.filter(judge_id=judge_id)
    given: dict[tuple[int, int], dict[int, Decimal]] = defaultdict(dict)
    for entry_id, judge, criterion, value in scores.values_list("entry_id", "judge_id", "criterion_id", "value"):
        given[(entry_id, judge)][criterion] = value
    totals: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for (entry_id, judge), values in given.items():
        if len(values) == len(criteria) and total_weight:
            weighted = sum(Decimal(criteria[c].weight) * v / criteria[c].max_score for c, v in values.items())
            totals[entry_id][judge] = weighted / total_weight * HUNDRED
    return totals


def results(contest: Contest, *, judge_id: int | None = None, all_judges: bool = True) -> list[ResultRow]:
    """The accepted entries ranked by the final score. With `all_judges` False, the judges' score is
    left out and only the judge `judge_id`'s own score is given (a judge before judging closes)."""
    entries = list(contest.entries.filter(status=Entry.Status.ACCEPTED).annotate(
        counted=Count("votes", filter=Q(votes__status=Vote.Status.COUNTED)),
        held_votes=Count("votes", filter=Q(votes__status=Vote.Status.HELD))).order_by("created_at", "pk"))
    totals = judge_totals(contest) if all_judges else {}
    own = judge_totals(contest, judge_id=judge_id) if judge_id else {}
    most = max((e.counted for e in entries), default=0)
    rows = []
    for entry in entries:
        per_judge = totals.get(entry.pk, {})
        judges_score = sum(per_judge.values()) / len(per_judge) if per_judge else None
        public = Decimal(entry.counted) / most * HUNDRED if most else Decimal(0)
        final = ((judges_score or Decimal(0)) * contest.judges_weight + public * contest.votes_weight) / HUNDRED
        rows.append(ResultRow(entry=entry, judges_score=_round(judges_score), judges_count=len(per_judge),
                              votes=entry.counted, held=entry.held_votes, public_score=_round(public),
                              final=_round(final), own_total=_round(own.get(entry.pk, {}).get(judge_id)),
                              per_judge={k: _round(v) for k, v in per_judge.items()}))
    rows.sort(key=lambda r: (-r.final, -(r.judges_score or 0), -r.votes, r.entry.created_at, r.entry.pk))
    for number, row in enumerate(rows, start=1):
        row.rank = number
    return rows


def held_votes(contest: Contest):
    return (Vote.objects.filter(entry__contest=contest, status=Vote.Status.HELD)
            .select_related("entry").order_by("created_at"))
