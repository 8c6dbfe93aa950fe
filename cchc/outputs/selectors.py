"""Reads with logic: actuals against targets, totals for reports, the unit's list, the tasks a unit serves.

How cascaded targets count (chỉ tiêu giao xuống kế hoạch cấp dưới)
------------------------------------------------------------------
A child plan copies the parent's tasks (`Task.parent_task` points to the parent's task) and each
task's targets (same `order`, same counted thing). An output recorded against a child plan's target
therefore also counts toward the parent target it was copied from, and so on up to
`CASCADE_DEPTH` plan levels (province → commune → its units ...). A copied target is matched to
its origin in the parent task by (order, counted thing), then by counted thing, then by order, and
finally, when the parent task has a single target, to that one.

A target counted in people ("01 lớp, 40 người") is served by the records of its task's other targets
as well (the class recorded against "01 lớp" reached 40 people): for such targets the report reads
`people_reached`, for the others `quantity` (`target_counts_people`).

A target restricted to languages ("12 bài/năm bằng tiếng dân tộc: Tày, Mông") counts only the records
in those languages (`target_language_codes`); the restriction is the counted target's own, so a copy
in a child plan that keeps it counts likewise.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db import connections, router
from django.db.models import Count, F, Lookup, Prefetch, Q, Sum
from django.db.models.functions import TruncMonth

from cchc.core.text import fold
from cchc.org.models import Unit
from cchc.plans.models import Plan, Target, Task

from . import permissions
from .catalogue import (
    LANGUAGE_BY_CODE, compatible_codes, target_counts_people, target_language_codes, type_for_target_unit, type_for_text, words,
)
from .models import OutputRecord, OutputType

CASCADE_DEPTH = 4
GROUP_BY = ("output_type", "unit", "month", "language")


def _paths_q(unit_paths: list[str] | None, field: str = "unit__path") -> Q | None:
    if unit_paths is None:
        return Q()
    if not unit_paths:
        return None
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in unit_paths))


def _match(candidates: list[dict], row: dict) -> dict | None:
    """The target of a parent task that `row` (a copied target) was copied from. Rows carry their
    counted thing already reduced to `words` (folding is the costly part, done once per row)."""
    unit = row["words"]
    for test in (
        lambda c: c["order"] == row["order"] and c["words"] == unit,
        lambda c: c["words"] == unit,
        lambda c: c["order"] == row["order"],
    ):
        found = [c for c in candidates if test(c)]
        if len(found) == 1:
            return found[0]
    return candidates[0] if len(candidates) == 1 else None


class _AnyOf(Lookup):
    """`field = ANY(array)` on PostgreSQL: one parameter, where an IN list of hundreds of placeholders
    (a province's targets and their copies) costs more to build, send and plan than the aggregate takes
    to run. Used as an expression through `_ids_in`."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*params, [int(v) for v in self.rhs]]


def _ids_in(field: str, ids: list[int], model) -> Q | Lookup:
    """The filter `field IN ids` for a query on `model`. On SQLite the plain lookup: it has no arrays,
    binds a long list cheaply, and (unlike PostgreSQL) would not turn the outer join an expression
    filter across a relation makes into an inner one, losing the index path."""
    if connections[router.db_for_read(model)].vendor == "postgresql":
        return _AnyOf(F(field), ids)
    return Q(**{f"{field}__in": ids})


# The requested targets' tasks and their copies down the cascade (`Task.parent_task`), walked by a
# recursive query through the index on parent_task_id, with the targets of every task reached. The
# ORM cannot write a recursive query; what it can write (one OR per plan level, or a UNION of one
# join chain per level) scans every target or spends longer planning than running at national
# scale. Tasks without a target come back too (target columns NULL) so that a chain is never cut.
_CASCADE_SQL = """
WITH RECURSIVE tree (task_id, parent_task_id, depth) AS (
    SELECT k.id, k.parent_task_id, 0 FROM {task} k
    WHERE k.id IN (SELECT r.task_id FROM {target} r WHERE r.id IN ({ids}))
    UNION ALL
    SELECT c.id, c.parent_task_id, tree.depth + 1 FROM {task} c JOIN tree ON c.parent_task_id = tree.task_id
    WHERE tree.depth < %s
)
SELECT tree.task_id, tree.parent_task_id, g.id, g.{order}, g.{unit}, g.{languages}
FROM tree LEFT JOIN {target} g ON g.task_id = tree.task_id
"""


def _cascade(ids: list[int]) -> tuple[dict[int, int | None], list[dict]]:
    """({task id: its parent task id} for the requested targets' tasks and their copies down
    CASCADE_DEPTH levels, [one dict per target of those tasks: id, task_id, order, unit, words,
    languages]). One query."""
    alias = router.db_for_read(Target)
    qn = connections[alias].ops.quote_name
    sql = _CASCADE_SQL.format(
        task=qn(Task._meta.db_table), target=qn(Target._meta.db_table), ids=", ".join(["%s"] * len(ids)),
        order=qn("order"), unit=qn("unit"), languages=qn("languages"),
    )
    parent_of: dict[int, int | None] = {}
    targets: dict[int, dict] = {}
    folded: dict[str, str] = {}  # folding is the costly part of matching: once per counted thing
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [*ids, CASCADE_DEPTH - 1])
        for task_id, parent_task_id, target_id, order, unit, languages in cursor.fetchall():
            parent_of[task_id] = parent_task_id
            if target_id is not None and target_id not in targets:  # a task reached twice comes twice
                if unit not in folded:
                    folded[unit] = words(unit)
                targets[target_id] = {"id": target_id, "task_id": task_id, "order": order, "unit": unit,
                                      "words": folded[unit], "languages": _json_list(languages)}
    return parent_of, list(targets.values())


def _json_list(value) -> list:
    """A JSON column read by a raw query: text on SQLite, text or a list on PostgreSQL."""
    if isinstance(value, str):
        value = json.loads(value or "[]")
    return value if isinstance(value, list) else []


def compatibility_table() -> dict[str, set[str]]:
    """The compatibility table ({words: output type codes}, one query); see `catalogue.compatible_codes`."""
    from .models import OutputCompatibility

    return OutputCompatibility.table()


def type_counts_toward(target_unit: str, type_code: str, *, table: dict[str, set[str]] | None = None) -> bool:
    """Whether an output of this type counts toward a target of this counted thing: any type for a
    target in people (its people reached count) or for a thing the table does not name; otherwise the
    types the table gives for it."""
    if target_counts_people(target_unit):
        return True
    codes = compatible_codes(target_unit, compatibility_table() if table is None else table)
    return codes is None or type_code in codes


def target_actuals(*, target_ids: list[int], unit_paths: list[str] | None, start: dt.date, end: dt.date) -> dict[int, dict]:
    """For each target id: {"done", "quantity", "people_reached", "records"} of the counted records
    dated within [start, end] (inclusive) of units under `unit_paths` (None: all units), whose target is
    that target or a cascaded copy of it (see the module docstring).

    `done` is the figure in the target's own unit of measure: people reached for a target counted in
    people, the quantity of the compatible records (the compatibility table: a TV report counts toward
    "4 bài", a leaflet does not) for the others. A record is counted once per target, whatever number
    of ways it reaches it. What a record gives a sibling target through the people rule counts in the
    sibling's `done` only: `quantity`, `people_reached` and `records` are those of the records against
    the target itself (and its copies), so that summed over a task's targets each output and each
    person count once. A target restricted to languages ("12 bài/năm bằng tiếng dân tộc") counts
    only the records in those languages (`target_language_codes`). Three queries."""
    ids = sorted({int(i) for i in target_ids})
    result = {i: {"done": Decimal("0"), "quantity": Decimal("0"), "people_reached": 0, "records": 0} for i in ids}
    paths_q = _paths_q(unit_paths)
    if not ids or paths_q is None:
        return result

    # 1. The requested targets and every copy of them down the cascade, in one query.
    parent_of, rows = _cascade(ids)

    by_task: dict[int, list[dict]] = defaultdict(list)
    languages: dict[int, frozenset[str]] = {}  # the requested targets that count some languages only
    people_targets: set[int] = set()
    units: dict[int, str] = {}
    for row in rows:
        if row["id"] in result:
            by_task[row["task_id"]].append(row)
            units[row["id"]] = row["unit"]
            if target_counts_people(row["unit"]):
                people_targets.add(row["id"])
            if (codes := target_language_codes(row["languages"])) is not None:
                languages[row["id"]] = codes
    # People targets of a task also take in the records of their sibling targets ("40 người" counts the
    # people of the class recorded against "01 lớp"), and a record against a people target counts for
    # the siblings its type is compatible with (the class recorded against "40 người" is one "lớp").
    people_siblings: dict[int, list[int]] = {}
    for task_targets in by_task.values():
        people = [t["id"] for t in task_targets if t["id"] in people_targets]
        for t in task_targets:
            others = task_targets if t["id"] in people_targets else [p for p in task_targets if p["id"] in people]
            people_siblings[t["id"]] = [p["id"] for p in others if p["id"] != t["id"]]

    # {record's target id: {(requested target id, direct)}}: direct when the record is the target's own
    # or a cascaded copy's; not direct when it reaches a sibling through the people rule
    counts_toward: dict[int, set[tuple[int, bool]]] = defaultdict(set)
    for row in rows:
        anchors = set()
        if row["id"] in result:
            anchors.add(row["id"])
        # its ancestor tasks one to CASCADE_DEPTH levels up; a task above the walked tree is neither
        # requested nor a copy of a requested task, and neither is any task above it within range
        ancestor_task = row["task_id"]
        for _level in range(CASCADE_DEPTH):
            ancestor_task = parent_of.get(ancestor_task)
            if ancestor_task is None:
                break
            if ancestor_task in by_task:
                match = _match(by_task[ancestor_task], row)
                if match is not None:
                    anchors.add(match["id"])
        siblings = {s for anchor in anchors for s in people_siblings.get(anchor, ())} - anchors
        if anchors or siblings:
            counts_toward[row["id"]] = {(a, True) for a in anchors} | {(a, False) for a in siblings}
    if not counts_toward:
        return result

    # 2. Which output types count toward which requested target (one query for the table).
    table = compatibility_table()
    allowed = {i: (None if i in people_targets else compatible_codes(units.get(i, ""), table)) for i in ids}

    # 3. One aggregate over the records of all those targets, by type (and language, for the targets that ask).
    keys = ("target_id", "output_type__code", "language") if languages else ("target_id", "output_type__code")
    sums = (
        OutputRecord.objects.counted()
        .filter(paths_q, _ids_in("target_id", list(counts_toward), OutputRecord), date__gte=start, date__lte=end)
        .values(*keys)
        .annotate(quantity=Sum("quantity"), people=Sum("people_reached"), n=Count("id"))
        .order_by()
    )
    # what siblings add to a target's done only: its people_reached and records stay its own records',
    # so that a column of them summed over a task's targets counts each output and person once
    from_siblings: dict[int, Decimal] = defaultdict(Decimal)
    for s in sums:
        for anchor, direct in counts_toward[s["target_id"]]:
            if anchor in languages and s["language"] not in languages[anchor]:
                continue
            codes = allowed[anchor]
            if codes is not None and s["output_type__code"] not in codes:
                continue  # recorded against the target, but not the thing it counts
            if not direct:
                from_siblings[anchor] += Decimal(int(s["people"] or 0)) if anchor in people_targets else (
                    s["quantity"] or Decimal("0"))
                continue
            acc = result[anchor]
            acc["quantity"] += s["quantity"] or Decimal("0")
            acc["people_reached"] += int(s["people"] or 0)
            acc["records"] += s["n"]
    for target_id, acc in result.items():
        own = Decimal(acc["people_reached"]) if target_id in people_targets else acc["quantity"]
        acc["done"] = own + from_siblings[target_id]
    return result


def task_actuals(*, task_ids, unit_paths, start, end) -> dict:
    """{task id: {quantity, people_reached, records}}: counted records dated in [start, end] recorded
    against each task or against a child-plan copy of it (one GROUP BY). Used for tasks that have no
    target, whose outputs the per-target count cannot see."""
    task_ids = list(task_ids)
    paths_q = _paths_q(unit_paths)
    if not task_ids or paths_q is None:
        return {}
    wanted = set(task_ids)
    rows = (
        OutputRecord.objects.counted()
        .filter(paths_q, Q(task_id__in=task_ids) | Q(task__parent_task_id__in=task_ids), date__gte=start, date__lte=end)
        .values("task_id", "task__parent_task_id")
        .annotate(quantity=Sum("quantity"), people_reached=Sum("people_reached"), records=Count("id"))
        .order_by()
    )
    out: dict = {}
    for r in rows:
        key = r["task_id"] if r["task_id"] in wanted else r["task__parent_task_id"]
        acc = out.setdefault(key, {"quantity": Decimal(0), "people_reached": 0, "records": 0})
        acc["quantity"] += Decimal(r["quantity"] or 0)
        acc["people_reached"] += int(r["people_reached"] or 0)
        acc["records"] += int(r["records"] or 0)
    return out


def done_counts(*, targets, tasks, start: dt.date, end: dt.date) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    """What was done within [start, end] by every unit: ({target id: done}, {task id: done}) for plan
    targets (with their cascaded copies; `target_actuals`' done: people reached for a target counted
    in people, the compatible records' quantity for the others) and for `tasks` counted as a whole (tasks
    without a target). Four queries at most.
    The plan pages read it through `registry.target_counters`."""
    targets = list(targets)
    actuals = target_actuals(target_ids=[t.pk for t in targets], unit_paths=None, start=start, end=end)
    by_target = {}
    for target in targets:
        by_target[target.pk] = Decimal((actuals.get(target.pk) or {}).get("done") or 0)
    by_task = task_actuals(task_ids=[t.pk for t in tasks], unit_paths=None, start=start, end=end)
    return by_target, {task_id: Decimal(found["quantity"]) for task_id, found in by_task.items()}


def unit_output_totals(*, unit_paths: list[str], start: dt.date, end: dt.date, group_by: str = "output_type") -> list[dict]:
    """Totals of the counted records of units under `unit_paths` dated within [start, end], one row per
    output type (with its label and measure), unit (id, code, name, path), month (first day) or language.
    Every row has quantity, people_reached, cost and records."""
    if group_by not in GROUP_BY:
        raise ValueError(f"group_by must be one of {', '.join(GROUP_BY)}")
    paths_q = _paths_q(unit_paths)
    if paths_q is None:
        return []
    qs = OutputRecord.objects.counted().filter(paths_q, date__gte=start, date__lte=end)
    keys = {
        "output_type": ["output_type_id", "output_type__code", "output_type__name", "output_type__measure",
                        "output_type__order"],
        "unit": ["unit_id", "unit__code", "unit__name", "unit__path"],
        "month": ["month"],
        "language": ["language"],
    }[group_by]
    if group_by == "month":
        qs = qs.annotate(month=TruncMonth("date"))
    rows = (
        qs.values(*keys)
        .annotate(quantity=Sum("quantity"), people_reached=Sum("people_reached"), cost=Sum("cost"), records=Count("id"))
        .order_by(*keys)
    )
    out = []
    for r in rows:
        row = {
            "quantity": r["quantity"] or Decimal("0"), "people_reached": int(r["people_reached"] or 0),
            "cost": r["cost"] or Decimal("0"), "records": r["records"],
        }
        if group_by == "output_type":
            spec_label = OutputType(code=r["output_type__code"], name=r["output_type__name"]).label
            row.update(output_type=r["output_type__code"], output_type_id=r["output_type_id"], label=spec_label,
                       name=r["output_type__name"], measure=r["output_type__measure"])
        elif group_by == "unit":
            row.update(unit_id=r["unit_id"], unit_code=r["unit__code"], unit_name=r["unit__name"], unit_path=r["unit__path"])
        elif group_by == "month":
            month = r["month"]
            row["month"] = month.date() if isinstance(month, dt.datetime) else month
        else:
            lang = LANGUAGE_BY_CODE.get(r["language"])
            row.update(language=r["language"], label=lang.label if lang else r["language"])
        out.append(row)
    return out


def records_for_unit(user, unit: Unit, *, start: dt.date | None = None, end: dt.date | None = None, q: str = "",
                     include_subunits: bool = False):
    """The unit's counted records the user may see, newest first, for lists; accent-insensitive search."""
    if not permissions.can_view_outputs(user, unit):
        return OutputRecord.objects.none()
    qs = OutputRecord.objects.counted().select_related("output_type", "unit", "task", "target")
    qs = qs.filter(unit__path__startswith=unit.path) if include_subunits else qs.filter(unit=unit)
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    for word in fold(q).split():
        qs = qs.filter(search_text__contains=word)
    return qs.order_by("-date", "-id")


def list_totals(records) -> dict:
    """Totals of a filtered list (one query): records, quantity by type, people reached, cost."""
    by_type = list(
        records.order_by().values("output_type__code", "output_type__name", "output_type__measure")
        .annotate(quantity=Sum("quantity"), records=Count("id"))
        .order_by("output_type__code")
    )
    for row in by_type:
        row["label"] = OutputType(code=row["output_type__code"], name=row["output_type__name"]).label
    overall = records.order_by().aggregate(records=Count("id"), people=Sum("people_reached"), cost=Sum("cost"))
    return {"by_type": by_type, "records": overall["records"], "people": overall["people"] or 0,
            "cost": overall["cost"] or Decimal("0")}


def active_output_types():
    return OutputType.objects.filter(is_active=True).order_by("order", "code")


# ---------------------------------------------------------------- tasks a unit serves

def assigned_tasks(unit: Unit, *, hide_copied: bool = True) -> list[Task]:
    """The tasks a unit records outputs against: those of its own issued plans, and those assigned to it
    in others' issued plans (when `hide_copied`, only those its own plan has not copied, so that a task is
    offered once). Targets prefetched; open plans only."""
    open_plans = Q(plan__issued_at__isnull=False) & ~Q(plan__status=Plan.Status.CLOSED)
    own = Q(plan__owner=unit)
    assigned = Q(assignments__unit=unit)
    tasks = list(
        Task.objects.filter(open_plans & (own | assigned))
        .distinct()
        .select_related("plan")
        .prefetch_related(Prefetch("targets", queryset=Target.objects.order_by("order", "id")))
        .order_by("-plan__plan_year", "plan_id", "order", "id")
    )
    if not hide_copied:
        return tasks
    copied = {t.parent_task_id for t in tasks if t.parent_task_id and t.plan.owner_id == unit.pk}
    return [t for t in tasks if t.pk not in copied]


def suggest_type(*, target: Target | None = None, task: Task | None = None) -> str | None:
    """The output type to propose when recording against a target or task: from the target's counted
    thing; a people target ('40 người') defers to its task's other targets or title ('01 lớp')."""
    if target is not None:
        task = task or target.task
        if not target_counts_people(target.unit):
            code = type_for_target_unit(target.unit)
            if code:
                return code
    if task is not None:
        for sibling in task.targets.all():
            if not target_counts_people(sibling.unit) and (code := type_for_target_unit(sibling.unit)):
                return code
        if code := type_for_text(task.title):
            return code
    if target is not None:
        return type_for_target_unit(target.unit)
    return None
