"""Reads of the reports app: counted actuals, completeness and timeliness, the consolidated report.

The heavy numbers (a year of outputs, a million rows at national scale) are summed by the database
through `cchc.outputs.selectors`; what comes back to Python is one row per target, per unit or per
expected report (a few thousand at most), never per output.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.core.text import sort_key
from cchc.org.models import Membership, Unit
from cchc.plans import targets as plan_targets
from cchc.plans.models import Assignment, Plan, Target, Task

from .models import Notification, ReportingPeriod, UnitReport

ZERO = Decimal(0)
# How many successor hops a closed unit is followed to find where its data rolls up.
_SUCCESSOR_HOPS = 3


# ---------------------------------------------------------------- outputs (the other room)

def target_actuals(*, target_ids, unit_paths, start, end) -> dict:
    """{target id: {quantity, people_reached, records}}: the outputs app's count, which takes in the
    records against cascaded copies of each target (a commune's child-plan target counts for the
    province's)."""
    from cchc.outputs.selectors import target_actuals as actuals

    if not target_ids:
        return {}
    return actuals(target_ids=list(target_ids), unit_paths=unit_paths, start=start, end=end)


def outputs_by_type(*, unit: Unit, period: ReportingPeriod) -> list[dict]:
    """Every counted output of the unit in the period's data window, one row per output type: shows
    the work recorded with no task (a press article not tied to the plan) next to the task lines."""
    from cchc.outputs.selectors import unit_output_totals

    return unit_output_totals(unit_paths=[unit.path], start=period.start, end=period.end, group_by="output_type")


def registered_stats(*, unit: Unit, period: ReportingPeriod) -> list[dict]:
    """Figures other modules measure for the unit in the period's data window that are not outputs
    (page views of its articles, subscribers of its bulletin …), through `registry.stats_providers`:
    [{"key", "label", "value", "provider"}]. A provider that fails is left out, not the page."""
    import logging

    from cchc.core import registry

    rows = []
    paths = _rollup_paths(unit)
    for provider in registry.stats_providers:
        try:
            found = provider.stats(unit_paths=paths, start=period.start, end=period.end)
        except Exception:  # noqa: BLE001 - one module's figures must not break the report
            logging.getLogger(__name__).exception("stats provider %s failed", provider.key)
            continue
        rows += [{**row, "provider": provider.key} for row in found or []]
    return rows


# ---------------------------------------------------------------- one unit's numbers

def unit_tasks(*, unit: Unit, plan: Plan):
    """The tasks a unit carries in a plan: those assigned to it in the plan, and those of its own
    child plan (a child task that copies a parent task is reported on the parent task's line)."""
    return (
        Task.objects.filter(
            Q(plan=plan, assignments__unit=unit) | Q(plan__parent=plan, plan__owner=unit)
        )
        .distinct()
        .select_related("plan")
        .prefetch_related("targets")
        .order_by("plan__parent_id", "order", "id")
    )


def _rollup_paths(unit: Unit) -> list[str]:
    """The unit's path and those of closed units that merged into it (their outputs count here)."""
    paths = [unit.path]
    paths += list(Unit.objects.filter(
        Q(successor=unit) | Q(successor__successor=unit)
    ).values_list("path", flat=True))
    return paths


def report_actuals(*, unit: Unit, period: ReportingPeriod) -> list[dict]:
    """One row per target (and per task without a target) of the unit's tasks, with the outputs
    counted in the period's data window; the shape of `ReportLine`'s fields."""
    tasks = list(unit_tasks(unit=unit, plan=period.plan))
    parent_ids = {t.pk for t in tasks if t.plan_id == period.plan_id}
    supporting = supported_tasks(unit=unit, tasks=tasks)
    lines: list[dict] = []
    for task in tasks:
        merged_into = task.parent_task_id if task.plan_id != period.plan_id and task.parent_task_id in parent_ids else None
        targets = list(task.targets.all())
        if merged_into is not None:
            continue  # counted on the parent task's line: the outputs count takes in copies
        if not targets:
            lines.append(_line(task, None, period, supporting=task.pk in supporting))
        for target in targets:
            lines.append(_line(task, target, period, supporting=task.pk in supporting))
    ids = [i for line in lines for i in line["_ids"]]
    paths = _rollup_paths(unit)
    actuals = target_actuals(target_ids=ids, unit_paths=paths, start=period.start, end=period.end)
    # a task with no target is still worked on: its outputs are counted by task
    untargeted = [line["task_id"] for line in lines if line["target_id"] is None]
    from cchc.outputs.selectors import task_actuals

    by_task = task_actuals(task_ids=untargeted, unit_paths=paths, start=period.start, end=period.end)
    for line in lines:
        found_rows = [actuals.get(target_id) for target_id in line.pop("_ids")]
        if line["target_id"] is None:
            found_rows.append(by_task.get(line["task_id"]))
        for found in found_rows:
            if found:
                # the figure in the target's unit of measure: people for "40 người", classes for "01 lớp"
                line["quantity"] += Decimal(found.get("done", found.get("quantity")) or 0)
                line["people_reached"] += int(found.get("people_reached") or 0)
                line["records"] += int(found.get("records") or 0)
    _fill_people_lines(lines)
    # a copied task's status is what the unit tracks; show it on the parent line
    copies = {t.parent_task_id: t for t in tasks if t.plan_id != period.plan_id and t.parent_task_id in parent_ids}
    for line in lines:
        copy = copies.get(line["task_id"])
        if copy is not None:
            line["task_status"], line["task_progress"] = copy.status, copy.progress
    return lines


def _fill_people_lines(lines: list[dict]) -> None:
    """A target counted in people ("40 người") is met by the outputs recorded against its task's
    other targets too (the people of the class recorded against "01 lớp"): its line shows the people
    of those outputs, and how many they are, not only those recorded against it. Summed over a task's
    lines, these columns may count an output twice; the figures that are summed (the consolidated
    report) are counted apart."""
    by_task: dict[int, list[dict]] = defaultdict(list)
    for line in lines:
        by_task[line["task_id"]].append(line)
    own_records = {id(line): line["records"] for line in lines}
    for line in lines:
        if not line.pop("_people"):
            continue
        siblings = [other for other in by_task[line["task_id"]] if other is not line and other["target_id"] is not None]
        if line["quantity"] > line["people_reached"]:  # its siblings' outputs reached people for it
            line["people_reached"] = int(line["quantity"])
            line["records"] += sum(own_records[id(other)] for other in siblings)


def supported_tasks(*, unit: Unit, tasks) -> set[int]:
    """The tasks on which the unit only coordinates (phối hợp): named as support and not as lead, in
    the plan or in its own child plan's copy. Their targets are the lead's to meet: the unit's
    outputs still count, but no planned figure is the unit's."""
    roles: dict[int, set[str]] = {}
    copies = {t.pk: t.parent_task_id for t in tasks if t.parent_task_id}
    for task_id, role in Assignment.objects.filter(
        task_id__in=[t.pk for t in tasks], unit=unit
    ).values_list("task_id", "role"):
        for key in {task_id, copies.get(task_id)} - {None}:
            roles.setdefault(key, set()).add(role)
    return {task_id for task_id, found in roles.items() if found == {Assignment.Role.SUPPORT}}


def _line(task: Task, target: Target | None, period: ReportingPeriod, *, supporting: bool = False) -> dict:
    """A report line: a target's, or a task's without a target, which a recurrence ("Định kỳ hằng
    quý") still gives a planned figure: once per period. A task the unit only coordinates plans
    nothing for it (the lead carries the target)."""
    from cchc.outputs.catalogue import target_counts_people

    if target is not None:
        text, planned = target.label, _planned_for_period(target, period, task=task)
    else:
        planned = plan_targets.recurrence_expected(task, start=period.start, end=period.end)
        text = plan_targets.recurrence_label(task) if planned is not None else ""
    if supporting:
        planned = None
        text = _("%(target)s (coordinating)") % {"target": text} if text else str(_("coordinating"))
    return {
        "task_id": task.pk, "task_title": task.title, "task_status": task.status, "task_progress": task.progress,
        "target_id": target.pk if target else None, "target_text": text[:300],
        "planned": planned, "quantity": ZERO, "people_reached": 0, "records": 0,
        "_ids": [target.pk] if target else [],
        "_people": target is not None and target_counts_people(target.unit),
    }


# ---------------------------------------------------------------- completeness and timeliness

def _assigned_q(plan_ids) -> Q:
    return Q(task__plan_id__in=plan_ids) | Q(task__plan__parent_id__in=plan_ids)


def _existed_q(start: dt.date, end: dt.date, prefix: str = "") -> Q:
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": end})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": start}))


def imported_plan_ids(periods: list[ReportingPeriod]) -> set[int]:
    """Plans whose period predates every unit assigned in them: an old plan imported onto today's
    units (a 2023 plan on units created 01/07/2025). Their reports are expected from the assigned
    units that exist today, since the units of the time are not in the tree. One query."""
    plan_ids = sorted({p.plan_id for p in periods})
    end = max(p.end for p in periods)
    existing = Assignment.objects.filter(task__plan_id__in=plan_ids, unit__isnull=False).filter(
        Q(unit__valid_from__isnull=True) | Q(unit__valid_from__lte=end))
    alive = set(existing.values_list("task__plan_id", flat=True).distinct())
    return {p for p in plan_ids if p not in alive}


def expected_units(periods: list[ReportingPeriod], *, today: dt.date | None = None):
    """Units expected to report, as a queryset of Unit (one query, plus one to find imported plans):

    - a unit with a task in the periods' plans (or their child plans) that existed at some time in the
      data window (a unit closed during the year is expected only while it existed);
    - a unit that has a report for one of the periods, whatever its dates: it did report;
    - for a plan whose period predates every assigned unit (`imported_plan_ids`), the assigned units
      that exist today."""
    today = today or timezone.localdate()
    plan_ids = sorted({p.plan_id for p in periods})
    start = min(p.start for p in periods)
    end = max(p.end for p in periods)
    assigned = Assignment.objects.filter(_assigned_q(plan_ids), unit_id=OuterRef("pk"))
    reported = UnitReport.objects.filter(period__in=[p.pk for p in periods], unit_id=OuterRef("pk"))
    expected = (Exists(assigned) & _existed_q(start, end)) | Exists(reported)
    # the same test as `imported_plan_ids`, as a subquery so that the roll-up stays one query
    someone_existed = Assignment.objects.filter(
        Q(unit__valid_from__isnull=True) | Q(unit__valid_from__lte=end),
        task__plan_id=OuterRef("task__plan_id"), unit__isnull=False,
    )
    assigned_imported = assigned.filter(~Exists(someone_existed))
    expected |= Exists(assigned_imported) & _existed_q(today, today)
    return Unit.objects.filter(expected)


def _rollup_path_expression():
    from django.db.models.functions import Coalesce

    lookups = ["successor__" * hop + "path" for hop in range(_SUCCESSOR_HOPS, 0, -1)]
    return Coalesce(*lookups, "path")


def completeness_rows(periods: list[ReportingPeriod], *, root: Unit | None = None, today: dt.date | None = None) -> list[dict]:
    """One row per expected report: the unit, where it rolls up (its own path, or its final
    successor's when it was merged or closed) and its status. Two queries for any number of periods
    that belong to different plans (the national view: one period code, every province plan)."""
    if not periods:
        return []
    today = today or timezone.localdate()
    by_plan = {p.plan_id: p for p in periods}
    plan_ids = list(by_plan)
    units = (
        expected_units(periods, today=today)
        .annotate(rollup_path=_rollup_path_expression())
        .values("pk", "code", "name", "path", "rollup_path", "kind", "valid_from", "valid_to")
    )
    if root is not None:
        units = units.filter(Q(path__startswith=root.path) | Q(successor__path__startswith=root.path)
                             | Q(successor__successor__path__startswith=root.path))
    units = list(units)
    # which plan each unit reports to: a unit has tasks in one of these plans in practice; a unit named
    # in several keeps one row per plan
    pairs = set(
        Assignment.objects.filter(_assigned_q(plan_ids), unit__isnull=False)
        .values_list("unit_id", "task__plan_id", "task__plan__parent_id")
        .distinct()
    ) if len(plan_ids) > 1 else None
    reports = {
        (r["unit_id"], r["period_id"]): r
        for r in UnitReport.objects.filter(period__in=[p.pk for p in periods]).values(
            "pk", "unit_id", "period_id", "status", "submitted_at", "on_time"
        )
    }
    # one plan: `expected_units` decided; several: the unit's dates are checked against each plan's
    imported = imported_plan_ids(periods) if pairs is not None else set()
    rows = []
    plans_of: dict[int, set[int]] = defaultdict(set)
    if pairs is not None:
        for unit_id, plan_id, parent_id in pairs:
            for candidate in (plan_id, parent_id):
                if candidate in by_plan:
                    plans_of[unit_id].add(candidate)
    for unit in units:
        unit_plans = plans_of[unit["pk"]] if pairs is not None else set(plan_ids)
        for plan_id in unit_plans:
            period = by_plan[plan_id]
            report = reports.get((unit["pk"], period.pk))
            # a unit that reported counts; an imported plan's units are those of today (expected_units)
            window = (today, today) if plan_id in imported else (period.start, period.end)
            if pairs is not None and report is None and ((unit["valid_from"] and unit["valid_from"] > window[1])
                                   or (unit["valid_to"] and unit["valid_to"] < window[0])):
                continue
            submitted = bool(report and report["submitted_at"])
            if submitted:
                state = "on_time" if report["on_time"] else "late"
            else:
                state = "overdue" if today > period.due else "pending"
            rows.append({
                "unit_id": unit["pk"], "code": unit["code"], "name": unit["name"], "path": unit["path"],
                "rollup_path": unit["rollup_path"], "period_id": period.pk, "due": period.due,
                "report_id": report["pk"] if report else None, "status": report["status"] if report else "",
                "submitted": submitted, "state": state,
                "submitted_at": report["submitted_at"] if report else None,
                "days_late": max(0, (today - period.due).days) if not submitted else (
                    max(0, (timezone.localtime(report["submitted_at"]).date() - period.due).days)),
            })
    return rows


def _empty_counts() -> dict:
    return {"expected": 0, "submitted": 0, "on_time": 0, "late": 0, "missing": 0, "overdue": 0}


def _count(counts: dict, row: dict) -> None:
    counts["expected"] += 1
    if row["submitted"]:
        counts["submitted"] += 1
        counts["on_time" if row["state"] == "on_time" else "late"] += 1
    else:
        counts["missing"] += 1
        if row["state"] == "overdue":
            counts["overdue"] += 1


def _rate(counts: dict) -> None:
    counts["rate"] = round(100 * counts["submitted"] / counts["expected"]) if counts["expected"] else None
    counts["on_time_rate"] = round(100 * counts["on_time"] / counts["expected"]) if counts["expected"] else None


def _group_key_expression(root_path: str):
    """The path of the child of `root_path` under which a unit rolls up (its rollup path cut after the
    next segment), in SQL: Substr/StrIndex work alike on SQLite and PostgreSQL."""
    from django.db.models import IntegerField, Value
    from django.db.models.functions import Substr, StrIndex

    rest = Substr("rollup_path", len(root_path) + 1)
    return Substr("rollup_path", 1, Value(len(root_path), output_field=IntegerField()) + StrIndex(rest, Value("/")))


def _reports_relation(periods):
    """The unit's report for one of the periods. The period is compared as an expression (`+ 0`) so
    that SQLite finds the report by its unit and filters the few it has by period, rather than probing
    its (unit, period) index once per period: 34 probes per unit in the national view."""
    from django.db.models import F, FilteredRelation
    from django.db.models.lookups import In

    period_ids = [p.pk for p in periods]
    return FilteredRelation("reports", condition=Q(In(F("reports__period_id") + 0, period_ids)))


def _completeness_base(periods: list[ReportingPeriod], root: Unit | None, today: dt.date | None = None):
    base = expected_units(periods, today=today).annotate(rollup_path=_rollup_path_expression(), rep=_reports_relation(periods))
    if root is not None:
        base = base.filter(rollup_path__startswith=root.path)
    return base


def completeness_rollup(periods: list[ReportingPeriod], *, root: Unit | None = None,
                        today: dt.date | None = None) -> dict:
    """Expected, submitted, on time, late and missing, in total and rolled up to the children of
    `root` (to the provinces when no root is given). One GROUP BY in the database over the expected
    units joined to their reports, plus one query for the group names.

    A merged or closed unit counts under the unit it merged into. The periods may belong to
    different plans (the national view: one period code, every province plan); their data windows
    are then taken together."""
    from django.db.models import Case, Count, IntegerField, Sum, When

    today = today or timezone.localdate()
    totals = _empty_counts()
    if not periods:
        _rate(totals)
        return {"totals": totals, "rollup": []}
    due = max(p.due for p in periods)
    root_path = root.path if root is not None else "/"
    one = Value(1, output_field=IntegerField())
    grouped = (
        _completeness_base(periods, root, today).annotate(group=_group_key_expression(root_path)).values("group")
        .annotate(
            expected=Count("pk", distinct=True),
            submitted=Count("rep__submitted_at"),
            on_time=Sum(Case(When(rep__submitted_at__isnull=False, rep__on_time=True, then=one), default=0)),
            late=Sum(Case(When(rep__submitted_at__isnull=False, rep__on_time=False, then=one), default=0)),
        )
        .order_by()
    )
    groups = {}
    for row in grouped:
        counts = {k: int(row[k] or 0) for k in ("expected", "submitted", "on_time", "late")}
        counts["missing"] = counts["expected"] - counts["submitted"]
        counts["overdue"] = counts["missing"] if today > due else 0
        groups[row["group"]] = counts
        for key, value in counts.items():
            totals[key] += value
    names = dict(Unit.objects.filter(path__in=list(groups)).values_list("path", "name"))
    rollup = []
    for path, counts in groups.items():
        _rate(counts)
        rollup.append({"path": path, "name": names.get(path, path.strip("/")), **counts})
    rollup.sort(key=lambda g: sort_key(g["name"]))
    _rate(totals)
    return {"totals": totals, "rollup": rollup}


def report_completeness(periods: list[ReportingPeriod], *, root: Unit | None = None, today: dt.date | None = None,
                        with_rows: bool = False) -> dict:
    """`completeness_rollup` with the list of who is late (late or not submitted after the due
    date), and one row per expected report when `with_rows`. Three queries (the list is one more)."""
    today = today or timezone.localdate()
    data = completeness_rollup(periods, root=root, today=today)
    if not periods:
        return {**data, "rows": [], "late": []}
    due = max(p.due for p in periods)
    base = _completeness_base(periods, root, today)
    fields = ("pk", "code", "name", "path", "rollup_path", "rep__pk", "rep__status", "rep__submitted_at", "rep__on_time")
    if not with_rows:
        base = base.filter(Q(rep__submitted_at__isnull=True) | Q(rep__on_time=False))
    rows = [_state_row(r, due, today) for r in base.values(*fields)]
    late = [r for r in rows if r["state"] in ("late", "overdue")]
    late.sort(key=lambda r: (-r["days_late"], sort_key(r["name"])))
    return {**data, "late": late, "rows": sorted(rows, key=lambda r: r["rollup_path"]) if with_rows else []}


def _state_row(r: dict, due: dt.date, today: dt.date) -> dict:
    submitted = r["rep__submitted_at"] is not None
    if submitted:
        state = "on_time" if r["rep__on_time"] else "late"
        days = max(0, (timezone.localtime(r["rep__submitted_at"]).date() - due).days)
    else:
        state = "overdue" if today > due else "pending"
        days = max(0, (today - due).days)
    return {"unit_id": r["pk"], "code": r["code"], "name": r["name"], "path": r["path"], "rollup_path": r["rollup_path"],
            "report_id": r["rep__pk"], "status": r["rep__status"] or "", "submitted": submitted, "state": state,
            "submitted_at": r["rep__submitted_at"], "days_late": days, "due": due}


# ---------------------------------------------------------------- the consolidated report

def lead_unit_counts(*, task_ids) -> dict:
    """{task id: number of distinct units assigned to it as lead (chủ trì)} (one query)."""
    from django.db.models import Count

    if not task_ids:
        return {}
    rows = (
        Assignment.objects.filter(task_id__in=list(task_ids), role=Assignment.Role.LEAD, unit__isnull=False)
        .values("task_id").annotate(n=Count("unit_id", distinct=True)).order_by()
    )
    return {r["task_id"]: r["n"] for r in rows}


def consolidated_numbers(*, plan: Plan, period: ReportingPeriod) -> list[dict]:
    """Actuals against each target of the plan, counted from every unit's outputs in the window
    (outputs against child-plan copies of a target count for the target), and against each task
    without a target that recurs ("Định kỳ hằng quý": once per period, counted by task).

    The planned figure is for all the units that carry the task: a target written for a group or a
    list of lead units ("4 tin, bài/quý" for UBND các xã) is asked of each of them, so the plan-wide
    figure is the per-unit target for the period times the number of units assigned as lead. A task
    with no lead unit keeps its target as written."""
    task_fields = ("task__order", "task__title", "task__start", "task__end")  # not the tasks' long texts
    targets = list(
        Target.objects.filter(task__plan=plan).select_related("task")
        .only(*(f.name for f in Target._meta.concrete_fields), *task_fields)
        .order_by("task__order", "order", "id")
    )
    recurring = list(
        Task.objects.filter(plan=plan, recurrence__in=list(plan_targets.RECURRENCE_PER), targets__isnull=True)
        .only("order", "title", "text", "start", "end", "recurrence", "timeframe_text").order_by("order", "id")
    )
    actuals = target_actuals(target_ids=[t.pk for t in targets], unit_paths=None, start=period.start, end=period.end)
    if recurring:
        from cchc.outputs.selectors import task_actuals

        by_task = task_actuals(task_ids=[t.pk for t in recurring], unit_paths=None, start=period.start, end=period.end)
    else:
        by_task = {}
    leads = lead_unit_counts(task_ids={t.task_id for t in targets} | {t.pk for t in recurring})
    rows = []
    for target in targets:
        planned = _planned_for_period(target, period, units=leads.get(target.task_id) or 1, task=target.task)
        rows.append(_number_row(target.task, target, target.label, planned, actuals.get(target.pk)))
    for task in recurring:
        once = plan_targets.recurrence_expected(task, start=period.start, end=period.end)
        if once is not None:  # not a report's recurrence
            rows.append(_number_row(task, None, plan_targets.recurrence_label(task), once * (leads.get(task.pk) or 1),
                                    by_task.get(task.pk)))
    rows.sort(key=lambda r: r["task_order"])  # stable: a task's targets keep their order
    return rows


def _number_row(task: Task, target: Target | None, text: str, planned: Decimal, done: dict | None) -> dict:
    """One target's line: `quantity` is what was done in the target's own unit of measure (`unit`):
    people for a target in people, the compatible outputs' quantity for the others."""
    done = done or {"quantity": ZERO, "people_reached": 0, "records": 0}
    quantity = Decimal(done.get("done", done["quantity"]) or 0)
    return {
        "target_id": target.pk if target else None, "task_id": task.pk, "task_order": task.order,
        "task_title": task.title, "target_text": text, "unit": target.unit if target else "",
        "planned": planned, "quantity": quantity, "people_reached": int(done["people_reached"] or 0),
        "records": int(done["records"] or 0),
        "percent": int(round(float(quantity) * 100 / float(planned))) if planned else None,
    }


def _planned_for_period(target: Target, period: ReportingPeriod, *, units: int = 1, task: Task | None = None) -> Decimal:
    """What the target asks for within the period's data window: a rate (per week, month, quarter,
    year) over the months of the window in which its task runs (`cchc.plans.targets`); a target with
    no rate is the whole task's and is compared as it is. `units` is how many units the target is
    asked of (its task's lead units, in the consolidated report; one unit's report line asks it of
    that unit alone): the per-unit figure is multiplied by it."""
    rate = plan_targets.target_expected(target, start=period.start, end=period.end, task=task)
    return (target.quantity if rate is None else rate) * units


def numbers_by_unit(*, plan: Plan, period: ReportingPeriod, limit: int | None = None) -> list[dict]:
    """What each unit that submitted its report did, per unit of measure: `figures` is one
    {"measure", "done"} per counted thing of the targets its report lines count ("1 lớp", "42 người",
    "3 tin, bài"; a line of a task without a target counts "sản phẩm"), never one sum of unlike
    things; `people` and `records` count each output of the plan's tasks once (a class that meets
    "01 lớp" and "40 người" is one output of 42 people, not two of 84). Three queries."""
    from django.db.models import Count, Sum

    from cchc.outputs.catalogue import words
    from cchc.outputs.models import OutputRecord

    from .models import ReportLine

    reports = (
        UnitReport.objects.filter(period=period).exclude(submitted_at=None)
        .values("pk", "unit_id", "unit__name", "unit__path", "status", "on_time")
        .order_by("unit__path")
    )
    reports = list(reports[:limit] if limit else reports)
    if not reports:
        return []
    by_report: dict[int, dict] = {}
    out = []
    for r in reports:
        row = {"unit_id": r["unit_id"], "unit__name": r["unit__name"], "unit__path": r["unit__path"],
               "status": r["status"], "on_time": r["on_time"], "figures": [], "people": 0, "records": 0}
        by_report[r["pk"]] = row
        out.append(row)
    measures: dict[int, dict[str, dict]] = defaultdict(dict)
    lines = (ReportLine.objects.filter(report_id__in=list(by_report))
             .values_list("report_id", "target__unit", "target_id", "quantity").order_by("report_id", "order", "id"))
    for report_id, unit_text, target_id, quantity in lines:
        measure = unit_text if target_id is not None and unit_text else _("outputs")
        key = words(measure) or measure
        figure = measures[report_id].setdefault(key, {"measure": measure, "done": ZERO})
        figure["done"] += Decimal(quantity or 0)
    unit_ids = [r["unit_id"] for r in reports]
    counted = (
        OutputRecord.objects.counted()
        .filter(Q(task__plan=plan) | Q(task__plan__parent=plan), unit_id__in=unit_ids,
                date__gte=period.start, date__lte=period.end)
        .values("unit_id").annotate(people=Sum("people_reached"), records=Count("id")).order_by()
    )
    totals = {c["unit_id"]: c for c in counted}
    for report_id, row in by_report.items():
        row["figures"] = list(measures[report_id].values())
        row["figures_text"] = "; ".join(f"{_plain(f['done'])} {f['measure']}" for f in row["figures"])
        found = totals.get(row["unit_id"]) or {}
        row["people"], row["records"] = int(found.get("people") or 0), int(found.get("records") or 0)
    return out


def _plain(value: Decimal) -> str:
    """A figure as Vietnamese documents write it: 1.250 and 2,5 (no trailing zeros)."""
    value = Decimal(value)
    whole = value == value.to_integral()
    text = f"{value:,.0f}" if whole else f"{value.normalize():,f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def narratives(*, period: ReportingPeriod, limit: int | None = None) -> list[dict]:
    qs = (
        UnitReport.objects.filter(period=period).exclude(submitted_at=None)
        .values("unit__name", "unit__path", "results", "limitations", "proposals", "status")
        .order_by("unit__path")
    )
    return list(qs[:limit] if limit else qs)


def consolidated(*, plan: Plan, period: ReportingPeriod, today: dt.date | None = None, narrative_limit: int | None = None) -> dict:
    """Everything the consolidated report shows."""
    completeness = report_completeness([period], root=plan.owner, today=today)
    numbers = consolidated_numbers(plan=plan, period=period)
    return {
        "plan": plan, "period": period, "numbers": numbers, "completeness": completeness,
        "by_unit": numbers_by_unit(plan=plan, period=period),
        "narratives": narratives(period=period, limit=narrative_limit),
        # what the platform's other channels measured for the plan's unit and those below it (decisions
        # applied, online-service figures, feedback answered on time …), counted not typed
        "stats": registered_stats(unit=plan.owner, period=period),
    }


# ---------------------------------------------------------------- what a user has to do

def notifications_for(user, *, limit: int = 10) -> list[Notification]:
    """The user's unread notifications, newest first (one query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Notification.objects.filter(user=user, read_at__isnull=True).order_by("-created_at", "-id")[:limit])


def periods_for_user(user, *, today: dt.date | None = None) -> list[dict]:
    """For each unit where the user writes reports: the periods of plans that give it tasks, with the
    state of its report. Drives the "my reports" page."""
    today = today or timezone.localdate()
    unit_ids = list(Membership.objects.filter(user=user, is_active=True,
                                              role__in=[Membership.Role.OFFICER, Membership.Role.MANAGER])
                    .values_list("unit_id", flat=True))
    if not unit_ids:
        return []
    plan_units = set(
        Assignment.objects.filter(unit_id__in=unit_ids, task__plan__issued_at__isnull=False)
        .values_list("unit_id", "task__plan_id")
    ) | {
        (unit_id, parent_id) for unit_id, parent_id in Assignment.objects.filter(
            unit_id__in=unit_ids, task__plan__parent__isnull=False, task__plan__owner_id__in=unit_ids,
            task__plan__parent__issued_at__isnull=False,
        ).values_list("unit_id", "task__plan__parent_id")
    }
    plan_ids = {p for _u, p in plan_units}
    periods = list(ReportingPeriod.objects.filter(plan_id__in=plan_ids).select_related("plan").order_by("due"))
    units = {u.pk: u for u in Unit.objects.filter(pk__in=unit_ids)}
    reports = {(r.unit_id, r.period_id): r for r in UnitReport.objects.filter(unit_id__in=unit_ids, period__in=periods)}
    out = []
    for period in periods:
        for unit_id in sorted(unit_ids):
            if (unit_id, period.plan_id) not in plan_units:
                continue
            out.append({"unit": units[unit_id], "period": period, "report": reports.get((unit_id, period.pk)),
                        "overdue": today > period.due and not (reports.get((unit_id, period.pk)) and
                                                               reports[(unit_id, period.pk)].submitted_at)})
    return out


def dashboards_for_user(user, *, limit: int = 40) -> list[ReportingPeriod]:
    """Periods of the plans owned by the units where the user supervises, manages or reads (the
    consolidated reports they may open), latest due first."""
    if user.is_superuser:
        qs = ReportingPeriod.objects.filter(plan__parent__isnull=True)
    else:
        unit_ids = list(Membership.objects.filter(
            user=user, is_active=True,
            role__in=[Membership.Role.SUPERVISOR, Membership.Role.MANAGER, Membership.Role.VIEWER],
        ).values_list("unit_id", flat=True))
        qs = ReportingPeriod.objects.filter(plan__owner_id__in=unit_ids)
    return list(qs.select_related("plan", "plan__owner").order_by("-year", "-due", "plan_id")[:limit])


def report_page(report: UnitReport) -> dict:
    lines = list(report.lines.select_related("target").all())
    versions = list(report.versions.select_related("created_by").order_by("-number"))
    return {
        "lines": lines, "versions": versions, "attachments": list(report.attachments.all()),
        "outputs_by_type": outputs_by_type(unit=report.unit, period=report.period),
        "stats": registered_stats(unit=report.unit, period=report.period),
        "last_return": next((v for v in versions if v.action == "return"), None),
    }


def submission_exists(report: UnitReport, token: str) -> bool:
    return bool(token) and report.versions.filter(token=token[:64]).exists()
