"""Reads that carry logic: the results of a survey computed as the satisfaction index (SIPAS) does.

    share of an area  = answers of 4 (hài lòng) or 5 (rất hài lòng) on the area's scale questions
                        ÷ all answers on those questions × 100
    index             = mean of the shares of the five areas (access, procedure, civil servants,
                        result, feedback) that have answers
    overall           = the same share on the "overall satisfaction" questions, shown beside the index

Shares are rounded to one decimal at the end (never before averaging). Counts are grouped in the
database: a handful of queries whatever the number of answers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .models import INDEX_AREAS, Answer, Area, Question, Response, Survey

SATISFIED = 4  # 4 hài lòng, 5 rất hài lòng


def _pct(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _mean(values) -> Decimal | None:
    values = [v for v in values if v is not None]
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _exact_pct(part: int, whole: int) -> Decimal | None:
    return Decimal(part) * 100 / Decimal(whole) if whole else None


def filtered_responses(survey: Survey, *, start: dt.date | None = None, end: dt.date | None = None,
                       procedure_id: int | None = None, unit_id: int | None = None):
    qs = Response.objects.filter(survey=survey)
    if start:
        qs = qs.filter(submitted_at__date__gte=start)
    if end:
        qs = qs.filter(submitted_at__date__lte=end)
    if procedure_id:
        qs = qs.filter(procedure_id=procedure_id)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs


def _area_rows(responses, group: str | None = None, **annotations) -> dict:
    """{group value: {area: (satisfied, total)}} over the scale answers of `responses`."""
    keys = ["question__section__area"] + ([group] if group else [])
    rows = (Answer.objects.filter(response__in=responses, number__isnull=False).exclude(question__section__area="")
            .annotate(**annotations).values(*keys).annotate(total=Count("pk"), satisfied=Count("pk", filter=Q(number__gte=SATISFIED))))
    found: dict = defaultdict(dict)
    for row in rows:
        found[row[group] if group else None][row["question__section__area"]] = (row["satisfied"], row["total"])
    return found


def _index(areas: dict) -> tuple[list[dict], Decimal | None, Decimal | None]:
    rows = []
    for area in INDEX_AREAS:
        satisfied, total = areas.get(area, (0, 0))
        rows.append({"area": area, "label": Area(area).label, "satisfied": satisfied, "total": total,
                     "share": _pct(satisfied, total)})
    index = _mean([_exact_pct(r["satisfied"], r["total"]) for r in rows])
    satisfied, total = areas.get(Area.OVERALL, (0, 0))
    return rows, index, _pct(satisfied, total)


def results(survey: Survey, **filters) -> dict:
    """Counts, the index and its areas, each question's answers, and the breakdowns by procedure, unit
    and month."""
    responses = filtered_responses(survey, **filters)
    count = responses.count()
    by_channel = {row["channel"]: row["n"] for row in responses.values("channel").annotate(n=Count("pk"))}
    areas, index, overall = _index(_area_rows(responses).get(None, {}))
    questions = list(Question.objects.filter(section__survey=survey).select_related("section"))
    counts: dict = defaultdict(dict)
    for row in (Answer.objects.filter(response__in=responses).exclude(value="")
                .values("question_id", "value").annotate(n=Count("pk"))):
        counts[row["question_id"]][row["value"]] = row["n"]
    texts = dict(Answer.objects.filter(response__in=responses).exclude(text="").values("question_id")
                 .annotate(n=Count("pk")).values_list("question_id", "n"))
    per_question = []
    for q in questions:
        answered = sum(counts[q.pk].values()) if q.kind != Question.Kind.MULTIPLE else None
        options = [{"value": o, "n": counts[q.pk].get(o, 0)} for o in q.options]
        base = answered if answered is not None else responses.filter(answers__question=q).distinct().count()
        for o in options:
            o["share"] = _pct(o["n"], base)
        per_question.append({"question": q, "options": options, "answered": base if q.kind != Question.Kind.TEXT
                             else texts.get(q.pk, 0)})
    return {"count": count, "by_channel": by_channel, "areas": areas, "index": index, "overall": overall,
            "questions": per_question,
            "by_procedure": _breakdown(responses, "response__procedure_id", "procedure_id", "procedure__name"),
            "by_unit": _breakdown(responses, "response__unit_id", "unit_id", "unit__name"),
            "by_month": _by_month(responses)}


def _breakdown(responses, answer_key: str, response_key: str, name_key: str) -> list[dict]:
    groups = _area_rows(responses, answer_key)
    rows = []
    for row in responses.values(response_key, name_key).annotate(n=Count("pk")).order_by("-n", name_key):
        areas, index, overall = _index(groups.get(row[response_key], {}))
        rows.append({"key": row[response_key], "name": row[name_key] or "", "count": row["n"], "index": index,
                     "overall": overall, "areas": areas})
    return rows


def _by_month(responses) -> list[dict]:
    tz = timezone.get_current_timezone()
    months = (responses.annotate(month=TruncMonth("submitted_at", tzinfo=tz)).values("month")
              .annotate(n=Count("pk")).order_by("month"))
    groups = _area_rows(responses, "month", month=TruncMonth("response__submitted_at", tzinfo=tz))
    rows = []
    for row in months:
        month = row["month"]
        start = month.date() if isinstance(month, dt.datetime) else month
        areas, index, overall = _index(groups.get(month, {}))
        rows.append({"key": start, "name": f"{start.month:02d}/{start.year}", "count": row["n"], "index": index,
                     "overall": overall, "areas": areas})
    return rows


def surveys_for(paths: list[str] | None):
    qs = Survey.objects.select_related("unit").annotate(n_responses=Count("responses"))
    if paths is None:
        return qs
    condition = Q()
    for path in paths:
        condition |= Q(unit__path__startswith=path)
    return qs.filter(condition) if paths else qs.none()


def public_surveys(site):
    """The surveys a site shows: those of its unit and the units below, open now or with published results."""
    now = timezone.now()
    return (Survey.objects.select_related("unit").filter(unit__path__startswith=site.unit.path)
            .filter(Q(status=Survey.Status.OPEN, opens_at__lte=now, closes_at__gt=now) | Q(results_published_at__isnull=False))
            .order_by("-opens_at", "-pk"))


# ---------------------------------------------------------------- sample size

def sample_size(population: int, margin: Decimal = Decimal("0.05")) -> int:
    """n = N / (1 + N·e²), rounded up: a fraction of a respondent cannot be asked, and rounding down
    would leave the margin of error above e."""
    if population <= 0:
        return 0
    exact = Decimal(population) / (1 + Decimal(population) * margin * margin)
    return int(math.ceil(exact))


def sample_size_exact(population: int, margin: Decimal = Decimal("0.05")) -> Decimal:
    return (Decimal(population) / (1 + Decimal(population) * margin * margin)).quantize(Decimal("0.01"))
