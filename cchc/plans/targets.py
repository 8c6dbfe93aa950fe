"""What a target expects over a span of time (chỉ tiêu theo kỳ): "hằng tuần" is 52 a year and 13 a
quarter, "1 bài/quý" is 4 a year, "12 bài/năm" over a task of Quý II–IV is 12 spread over nine months.

Expected counts are reckoned by month. A span (the plan year, a report's data window) holds the months
whose first day falls in it: the cut-off windows of Nghị định 09/2019 (15 December to 14 March for
the first quarter) hold January to March, as the calendar quarter does. A task's timeframe limits the
months it runs (a task of "Quý II, III, IV/2023" runs April to December); a task with no dates runs
every month. Then, per month the task runs:

- a weekly, monthly or quarterly rate expects its quantity times 52, 12 or 4, divided by 12;
- a yearly rate expects its quantity spread evenly over the months the task runs in that year;
- a target without a rate is the whole task's, compared as written (`expected` returns None), in a
  span in which the task runs; in a span in which it does not, it plans nothing (`target_expected`);
- a task without a target that recurs weekly, monthly or quarterly expects once per period
  (`recurrence_expected`), as the soft target the reader gives such a task would.

Figures are rounded to whole things: 52 × 3 / 12 = 13 for a quarter of a weekly task.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.documents.targets import ETHNIC, with_recurrence

from .models import Assignment

PER_YEAR = {"week": 52, "month": 12, "quarter": 4, "year": 1}
# The rate a task's recurrence implies when the plan gives no number (Task.Recurrence values).
RECURRENCE_PER = {"weekly": "week", "monthly": "month", "quarterly": "quarter"}
ONCE_PER = {"weekly": gettext_lazy("once a week"), "monthly": gettext_lazy("once a month"),
            "quarterly": gettext_lazy("once a quarter")}
# ETHNIC, the reader's word: Target.languages == [ETHNIC] counts any ethnic-minority language ("bằng tiếng dân tộc").


def months_in(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    """(year, month) of each month whose first day falls within [start, end]."""
    out = []
    year, month = (start.year, start.month) if start.day == 1 else _next(start.year, start.month)
    while dt.date(year, month, 1) <= end:
        out.append((year, month))
        year, month = _next(year, month)
    return out


def _next(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _runs_in(year: int, month: int, task_start: dt.date | None, task_end: dt.date | None) -> bool:
    """Whether a task with these dates runs in the month: any day of it within the task's dates."""
    first = dt.date(year, month, 1)
    last = dt.date(*_next(year, month), 1) - dt.timedelta(days=1)
    return (task_start is None or task_start <= last) and (task_end is None or task_end >= first)


def expected(*, quantity: Decimal, per: str | None, start: dt.date, end: dt.date,
             task_start: dt.date | None = None, task_end: dt.date | None = None) -> Decimal | None:
    """What a target of `quantity` per `per` expects within [start, end] of a task running from
    `task_start` to `task_end` (None: open); None for a target without a rate."""
    if per not in PER_YEAR:
        return None
    quantity = Decimal(quantity)
    months_by_year: dict[int, int] = {}  # the months of the span in which the task runs, by year
    for year, month in months_in(start, end):
        if _runs_in(year, month, task_start, task_end):
            months_by_year[year] = months_by_year.get(year, 0) + 1
    total = Decimal(0)
    for year, months in months_by_year.items():
        if per == "year":
            total += quantity * months / sum(_runs_in(year, m, task_start, task_end) for m in range(1, 13))
        else:
            total += quantity * PER_YEAR[per] * months / 12
    return total.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def target_expected(target, *, start: dt.date, end: dt.date, task=None) -> Decimal | None:
    """`expected` for a plan target within [start, end], limited by its task's dates. A target without
    a rate is the whole task's (None: compared as written) in a span in which the task runs, and plans
    nothing (0) in a span in which it does not: "02 lớp" of a task of Quý II–III plans nothing in the
    first quarter nor in the fourth."""
    task = task or target.task
    rate = expected(quantity=target.quantity, per=target.per or None, start=start, end=end,
                    task_start=task.start, task_end=task.end)
    if rate is None and (task.start or task.end) and not runs_within(task, start=start, end=end):
        return Decimal(0)
    return rate


def runs_within(task, *, start: dt.date, end: dt.date) -> bool:
    """Whether the task runs in one of the months of [start, end] (`months_in`); a task without dates
    runs in all of them."""
    return any(_runs_in(year, month, task.start, task.end) for year, month in months_in(start, end))


def recurrence_expected(task, *, start: dt.date, end: dt.date) -> Decimal | None:
    """Once per period of a task that recurs weekly, monthly or quarterly, by the reader's rule for
    the soft target of a recurring timeframe (`with_recurrence`: a report's recurrence expects no
    output); None for other tasks."""
    timeframe = {"recurrence": task.recurrence, "text": task.timeframe_text}
    implied = with_recurrence([], timeframe, f"{task.title} {task.text}")
    if not implied:
        return None
    return expected(quantity=Decimal(1), per=implied[0]["per"], start=start, end=end,
                    task_start=task.start, task_end=task.end)


def recurrence_label(task) -> str:
    """What a recurring task without a target is expected to do: 'once a quarter (Định kỳ hằng quý)'."""
    once = ONCE_PER.get(task.recurrence or "")
    if once is None:
        return ""
    return f"{once} ({task.timeframe_text})" if task.timeframe_text else str(once)


def target_line(target) -> str:
    """The target in the document's words, as the task form shows it for editing: read back by the
    form (`cchc.documents.targets.parse_targets`) it gives the same target, soft and languages too."""
    text = target.text or str(target)
    names = [str(name) for name in target.languages or [] if name]
    if names and not all(name.casefold() in text.casefold() for name in names):
        text = f"{text} bằng tiếng {', '.join(names)}"
    return text


def year_span(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def languages_label(languages) -> str:
    """'Tày, Mông, Dao' for the languages a target counts, in the document's words ('ethnic-minority
    languages' for any of them); '' for none."""
    names = [str(name) for name in languages or [] if name]
    if not names:
        return ""
    return ", ".join(_("ethnic-minority languages") if name == ETHNIC else name for name in names)


def planned_and_done(tasks, *, year: int) -> dict[int, list[dict]]:
    """{task id: one row per target (and one for a recurring task without a target)}: what it expects
    over the plan year and what was done in that year, for the plan and task pages. A row has
    `target` (or None), `label`, `planned` (None for a task with no figure), `done` (None when no app
    counts outputs), `units` (lead units the target is asked of) and `percent`.

    As in the consolidated report, a target is asked of each lead unit: the planned figure is the
    target's times the task's lead units, and done counts every unit's outputs against the target
    and its copies in child plans. Tasks come with their targets and assignments prefetched; the
    counting app is asked once (`registry.target_counters`)."""
    from cchc.core import registry

    start, end = year_span(year)
    rows: dict[int, list[dict]] = {}
    targets, untargeted = [], []
    for task in tasks:
        units = len({a.unit_id for a in task.assignments.all() if a.role == Assignment.Role.LEAD and a.unit_id}) or 1
        task_rows = rows.setdefault(task.pk, [])
        task_targets = list(task.targets.all())
        for target in task_targets:
            rate = target_expected(target, start=start, end=end, task=task)
            task_rows.append({"target": target, "label": target.label, "units": units,
                              "planned": (target.quantity if rate is None else rate) * units})
            targets.append(target)
        if not task_targets:
            once = recurrence_expected(task, start=start, end=end)
            if once is not None:
                task_rows.append({"target": None, "label": recurrence_label(task), "units": units,
                                  "planned": once * units})
                untargeted.append(task)
    counters = list(registry.target_counters)
    done_targets: dict[int, Decimal] = defaultdict(Decimal)
    done_tasks: dict[int, Decimal] = defaultdict(Decimal)
    for counter in counters:
        by_target, by_task = counter.count(targets=targets, tasks=untargeted, start=start, end=end)
        for target_id, value in by_target.items():
            done_targets[target_id] += value
        for task_id, value in by_task.items():
            done_tasks[task_id] += value
    for task_id, task_rows in rows.items():
        for row in task_rows:
            if not counters:
                row["done"] = None
            elif row["target"] is not None:
                row["done"] = done_targets[row["target"].pk]
            else:
                row["done"] = done_tasks[task_id]
            row["percent"] = (round(row["done"] * 100 / row["planned"])
                              if row["done"] is not None and row["planned"] else None)
    return rows


def measured_progress(rows) -> int | None:
    """A task's progress as its outputs measure it (tiến độ theo sản phẩm): each figure's done over
    planned, capped at 100 %, averaged over the figures that have both; None when no figure does
    (no target, or no app counting outputs), so that the officer's own status and percent stand."""
    ratios = [min(Decimal(row["done"]) / Decimal(row["planned"]), Decimal(1))
              for row in rows if row.get("done") is not None and row.get("planned")]
    if not ratios:
        return None
    return int((sum(ratios) * 100 / len(ratios)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def task_figures(task, *, today: dt.date | None = None) -> dict:
    """The task page's planned and done: {"year": the plan year, "rows": `planned_and_done` rows,
    "progress": `measured_progress` of them}."""
    year = task.plan.plan_year or (today or dt.date.today()).year
    rows = planned_and_done([task], year=year)[task.pk]
    return {"year": year, "rows": rows, "progress": measured_progress(rows)}
