"""Reads with logic: the plan page, task lists, the home block, cascade progress, timeline, export data."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import OrderedDict, defaultdict

from django.db.models import Avg, Count, Prefetch, Q
from django.utils.translation import gettext as _

from cchc.core.text import fold
from cchc.org.models import Unit

from . import permissions
from .models import Assignment, Plan, Section, Task
from .targets import measured_progress, planned_and_done


# ---------------------------------------------------------------- periods

def quarter_of(day: dt.date) -> tuple[dt.date, dt.date]:
    q = (day.month - 1) // 3
    start = dt.date(day.year, 3 * q + 1, 1)
    end_month = 3 * q + 3
    return start, dt.date(day.year, end_month, calendar.monthrange(day.year, end_month)[1])


def parse_period(text: str | None) -> tuple[dt.date, dt.date] | None:
    """'2023' → the year; '2023-Q2' or 'Q2/2023' → a quarter; '2023-06' or '06/2023' → a month."""
    text = (text or "").strip().upper()
    if not text:
        return None
    if m := re.fullmatch(r"(\d{4})", text):
        y = int(m[1])
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    if m := re.fullmatch(r"(\d{4})-(H1|9M)", text):
        y = int(m[1])
        return dt.date(y, 1, 1), dt.date(y, 6 if m[2] == "H1" else 9, 30)
    if m := re.fullmatch(r"(\d{4})-?Q([1-4])|Q([1-4])[/-](\d{4})", text):
        y, q = (int(m[1]), int(m[2])) if m[1] else (int(m[4]), int(m[3]))
        return quarter_of(dt.date(y, 3 * q, 1))
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})|(\d{1,2})/(\d{4})", text):
        y, mo = (int(m[1]), int(m[2])) if m[1] else (int(m[4]), int(m[3]))
        if 1 <= mo <= 12:
            return dt.date(y, mo, 1), dt.date(y, mo, calendar.monthrange(y, mo)[1])
    return None


def period_choices(years) -> list[tuple[str, str]]:
    """The periods a task list can be narrowed to, for each year (newest first): the year, the
    reporting periods of CCHC work (Q1, 6 months, 9 months) and the four quarters."""
    out = []
    for y in sorted({int(y) for y in years if y}, reverse=True):
        out += [(f"{y}", _("Year %(y)d") % {"y": y}), (f"{y}-H1", _("6 months of %(y)d") % {"y": y}),
                (f"{y}-9M", _("9 months of %(y)d") % {"y": y})]
        out += [(f"{y}-Q{q}", _("Quarter %(q)s/%(y)d") % {"q": roman, "y": y})
                for q, roman in ((1, "I"), (2, "II"), (3, "III"), (4, "IV"))]
    return out


def _overlaps(start: dt.date, end: dt.date) -> Q:
    return Q(start__lte=end, end__gte=start) | Q(start__isnull=True, end__gte=start, end__lte=end) | Q(
        end__isnull=True, start__gte=start, start__lte=end
    )


# ---------------------------------------------------------------- plan lists and page

def _heavy_plan_fields(prefix: str = "") -> list[str]:
    """A plan's stored parsed document and search text: a list of plans or tasks never shows them, and
    decoding a whole document per row is what made such lists slow."""
    return [f"{prefix}raw", f"{prefix}search_text"]


def plan_list(user, *, q: str = "", status: str = "", unit: Unit | None = None):
    qs = permissions.visible_plans(user).select_related("owner").defer(*_heavy_plan_fields()).annotate(task_count=Count("tasks"))
    if status:
        qs = qs.filter(status=status)
    if unit is not None:
        qs = qs.filter(owner=unit)
    for word in fold(q).split():
        qs = qs.filter(search_text__contains=word)
    # An aggregate drops Meta.ordering; pagination needs a stable order.
    return qs.order_by("-plan_year", "-date", "-id")


def plan_tasks(plan: Plan):
    """Tasks with everything the plan page shows, in a fixed number of queries."""
    return (
        plan.tasks.select_related("section", "parent_task")
        # a province plan names the same units for many tasks (1,548 assignments of 145 units for seed
        # 004): each unit is read once and shared, without the search text and aliases the page never shows
        .prefetch_related("targets", "assignments",
                          Prefetch("assignments__unit", queryset=Unit.objects.defer("search_text", "aliases")))
        .annotate(evidence_count=Count("evidence", distinct=True))
        .order_by("order", "id")
    )


# Kinds of units that a plan names by the dozen ("UBND các xã, phường"), shown as one group.
_DISTRICT_KINDS = {Unit.Kind.DISTRICT, Unit.Kind.URBAN_DISTRICT, Unit.Kind.PROVINCIAL_CITY, Unit.Kind.TOWN}
_DEPARTMENT_KINDS = {Unit.Kind.DEPARTMENT, Unit.Kind.AGENCY, Unit.Kind.OFFICE, Unit.Kind.SERVICE_CENTER,
                     Unit.Kind.MEDIA, Unit.Kind.PORTAL, Unit.Kind.PEOPLES_COMMITTEE, Unit.Kind.PEOPLES_COUNCIL,
                     Unit.Kind.PUBLIC_SERVICE_UNIT}
_FRONT_KINDS = {Unit.Kind.FRONT, Unit.Kind.MASS_ORGANISATION, Unit.Kind.UNION}
# A task naming fewer units of one kind than this lists them by name.
GROUP_FROM = 4


def unit_kind_group(unit: Unit) -> str:
    """Which group of units `unit` belongs to on a plan page: communes, districts, departments, front or other."""
    if unit.kind in Unit.COMMUNE_KINDS:
        return "communes"
    if unit.kind in _DISTRICT_KINDS:
        return "districts"
    if unit.kind in _FRONT_KINDS:
        return "front"
    if unit.kind in _DEPARTMENT_KINDS:
        return "departments"
    return "other"


def kind_group_labels() -> dict[str, str]:
    return {"communes": _("Commune People's Committees"), "districts": _("District People's Committees"),
            "departments": _("Departments and agencies"), "front": _("Fatherland Front and mass organisations"),
            "other": _("Other units")}


def group_assignments(assignments: list[Assignment]) -> list[dict]:
    """The units of one role of a task, for reading: a kind of unit named `GROUP_FROM` times or more
    becomes one entry "UBND cấp xã (124)" with its units listed on demand; the others stay by name
    (unmatched phrases as written), in the order of the document."""
    by_group: dict[str, list[Assignment]] = defaultdict(list)
    for a in assignments:
        if a.unit_id:
            by_group[unit_kind_group(a.unit)].append(a)
    labels = kind_group_labels()
    out, placed = [], set()
    for a in assignments:
        key = unit_kind_group(a.unit) if a.unit_id else None
        members = by_group.get(key) or []
        if key is None or len(members) < GROUP_FROM:
            out.append({"assignment": a})
        elif key not in placed:
            placed.add(key)
            out.append({"label": labels[key], "count": len(members), "units": [m.unit for m in members]})
    return out


def _same_words(a: str, b: str, *, prefix: int = 40) -> bool:
    """Whether two texts say the same thing (one contains the other, or they start alike)."""
    a, b = fold(a).strip(" .;:"), fold(b).strip(" .;:")
    return not a or a in b or b in a or a[:prefix] == b[:prefix]


def plan_page(plan: Plan, *, user, today: dt.date | None = None) -> dict:
    today = today or dt.date.today()
    tasks = list(plan_tasks(plan))
    figures = planned_and_done(tasks, year=plan.plan_year or today.year)
    for task in tasks:
        task.figures = figures.get(task.pk, [])
        task.measured = measured_progress(task.figures)  # None: no target counted, the officer's percent stands
        task.leads = [a for a in task.assignments.all() if a.role == Assignment.Role.LEAD]
        task.supports = [a for a in task.assignments.all() if a.role == Assignment.Role.SUPPORT]
        task.lead_groups = group_assignments(task.leads)
        task.support_groups = group_assignments(task.supports)
        # A task read from a heading repeats it as its section: the heading is shown once.
        task.section_differs = bool(task.section_id) and not _same_words(task.section.heading, task.title)
        task.overdue = task.is_overdue(today)
        task.can_track = permissions.can_track_task(user, task, [a.unit for a in task.assignments.all() if a.unit_id])
    done = sum(1 for t in tasks if t.status == Task.Status.DONE)
    return {
        "plan": plan,
        "sections": list(plan.sections.all()),
        "tasks": tasks,
        "units": plan_units_progress(plan, tasks=tasks),
        "versions": list(plan.versions.select_related("created_by").only("id", "version", "note", "created_at", "created_by")),
        "children_count": plan.children.count(),
        "stats": {
            "total": len(tasks), "done": done, "overdue": sum(1 for t in tasks if t.overdue),
            "progress": round(sum(t.progress if t.measured is None else t.measured for t in tasks) / len(tasks))
            if tasks else 0,
        },
    }


def plan_units_progress(plan: Plan, *, tasks: list[Task] | None = None) -> list[dict]:
    """Per unit with tasks in the plan: its roles, whether its child plan exists and since when, and
    how far its tasks are (from the child plan's copies when it exists, else from the plan's own tasks)."""
    if tasks is None:
        tasks = list(plan_tasks(plan))
    per_unit: dict[int, dict] = OrderedDict()
    for task in tasks:
        for a in task.assignments.all():
            if not a.unit_id or a.unit_id == plan.owner_id:
                continue
            row = per_unit.setdefault(a.unit_id, {"unit": a.unit, "lead": 0, "support": 0, "tasks": {}})
            row[a.role] += 1
            row["tasks"][task.pk] = task
    children = {
        c.owner_id: c for c in Plan.objects.filter(parent=plan, owner_id__in=list(per_unit)).only(
            "id", "owner_id", "created_at", "status", "title", "number")
    }
    copies = {
        r["plan__owner_id"]: r
        for r in Task.objects.filter(plan__parent=plan, parent_task__plan=plan)
        .values("plan__owner_id")
        .annotate(avg=Avg("progress"), n=Count("id"), done=Count("id", filter=Q(status=Task.Status.DONE)))
    }
    rows = []
    for unit_id, row in per_unit.items():
        child = children.get(unit_id)
        if child is not None and unit_id in copies:
            c = copies[unit_id]
            progress, n, done = round(c["avg"] or 0), c["n"], c["done"]
        else:
            own = list(row["tasks"].values())
            # a task counted by its outputs shows that count, else the officer's own percent
            progress = round(sum(t.progress if getattr(t, "measured", None) is None else t.measured
                                 for t in own) / len(own)) if own else 0
            n, done = len(own), sum(1 for t in own if t.status == Task.Status.DONE)
        rows.append({"unit": row["unit"], "lead": row["lead"], "support": row["support"], "child": child,
                     "progress": progress, "task_count": n, "done": done})
    rows.sort(key=lambda r: (r["child"] is None, -r["lead"], r["unit"].path))
    return rows


COVERAGE_STATES = ("derived", "missing")


def plan_coverage(rows: list[dict], *, state: str = "", kind: str = "", q: str = "") -> dict:
    """The units' own plans (kế hoạch của đơn vị) for the plan page: how many units made theirs, per
    kind of unit, and the rows that match the filters (made / not made, kind of unit, accent-insensitive
    search on the unit's name)."""
    labels = kind_group_labels()
    kinds: dict[str, dict] = OrderedDict()
    for row in rows:
        row["kind_group"] = unit_kind_group(row["unit"])
    for key in labels:
        members = [r for r in rows if r["kind_group"] == key]
        if members:
            kinds[key] = {"key": key, "label": labels[key], "total": len(members),
                          "derived": sum(1 for r in members if r["child"] is not None)}
    shown = rows
    if state in COVERAGE_STATES:
        shown = [r for r in shown if (r["child"] is not None) == (state == "derived")]
    if kind in kinds:
        shown = [r for r in shown if r["kind_group"] == kind]
    words = fold(q).split()
    if words:
        shown = [r for r in shown if all(w in fold(r["unit"].name) for w in words)]
    derived = sum(1 for r in rows if r["child"] is not None)
    return {"total": len(rows), "derived": derived, "missing": len(rows) - derived, "kinds": list(kinds.values()),
            "rows": shown, "state": state if state in COVERAGE_STATES else "", "kind": kind if kind in kinds else "",
            "q": q, "filtered": len(shown) != len(rows)}


# ---------------------------------------------------------------- home block and unit views

def _meets(task: Task, start: dt.date, end: dt.date) -> bool:
    """Whether the task's timeframe meets [start, end]; a task without dates runs through its plan's year."""
    if task.start is None and task.end is None:
        return task.plan.plan_year == start.year
    first, last = task.start or task.end, task.end or task.start
    return first <= end and last >= start


def tasks_for_user_home(user, *, today: dt.date | None = None) -> list[dict]:
    """For each of the user's units and each issued plan that assigns it tasks: the tasks, how many
    are open or overdue, and the unit's child plan if it has made one (the "to do for my units" block)."""
    if not getattr(user, "is_authenticated", False):
        return []
    today = today or dt.date.today()
    quarter = quarter_of(today)
    unit_ids = permissions.user_units(user)
    if not unit_ids:
        return []
    assignments = (
        Assignment.objects.filter(unit_id__in=unit_ids, task__plan__issued_at__isnull=False)
        .exclude(task__plan__status=Plan.Status.CLOSED)
        .select_related("unit", "task", "task__plan", "task__plan__owner")
        .defer(*_heavy_plan_fields("task__plan__"), "task__text", "task__search_text")
        .order_by("unit__path", "-task__plan__plan_year", "task__plan_id", "task__order")
    )
    groups: dict[tuple[int, int], dict] = OrderedDict()
    for a in assignments:
        if a.task.plan.owner_id == a.unit_id:
            continue
        g = groups.setdefault((a.unit_id, a.task.plan_id), {
            "unit": a.unit, "plan": a.task.plan, "tasks": [], "lead": 0, "support": 0, "overdue": 0, "open": 0,
            "quarter": 0,
        })
        if a.task in g["tasks"]:
            continue
        g["tasks"].append(a.task)
        g[a.role] += 1
        g["open"] += a.task.status != Task.Status.DONE
        g["overdue"] += a.task.is_overdue(today)
        g["quarter"] += a.task.status != Task.Status.DONE and _meets(a.task, *quarter)
    children = {
        (c.owner_id, c.parent_id): c
        for c in Plan.objects.filter(owner_id__in=unit_ids, parent_id__in={k[1] for k in groups})
    }
    for (unit_id, plan_id), g in groups.items():
        g["child"] = children.get((unit_id, plan_id))
        g["can_derive"] = g["child"] is None and permissions.can_derive_child(user, g["plan"], g["unit"])
    return list(groups.values())


def task_list(user, *, plan: Plan | None = None, unit: Unit | None = None, status: str = "", role: str = "",
              period: str = "", q: str = "", overdue: bool = False, today: dt.date | None = None):
    """Tasks the user may see, filtered; accent-insensitive search on the task's words and its units."""
    today = today or dt.date.today()
    qs = Task.objects.filter(plan__in=permissions.visible_plans(user))
    if plan is not None:
        qs = qs.filter(plan=plan)
    if unit is not None:
        if role:
            qs = qs.filter(assignments__unit=unit, assignments__role=role)
        else:
            qs = qs.filter(Q(assignments__unit=unit) | Q(plan__owner=unit))
    elif role:
        qs = qs.filter(assignments__role=role)
    if status:
        qs = qs.filter(status=status)
    rng = parse_period(period)
    if rng:
        qs = qs.filter(_overlaps(*rng))
    for word in fold(q).split():
        qs = qs.filter(search_text__contains=word)
    if overdue:
        qs = qs.overdue(today)
    return (
        qs.distinct()
        .select_related("plan", "plan__owner")
        .defer(*_heavy_plan_fields("plan__"))
        .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.select_related("unit")), "targets")
        .order_by("plan__owner__path", "plan_id", "order")
    )


def unit_quarter(user, unit: Unit, *, day: dt.date | None = None) -> dict:
    """Everything `unit` must do in the quarter of `day`: tasks assigned to it in issued plans and the
    tasks of its own plans whose timeframe meets the quarter (continuous tasks of the year included)."""
    day = day or dt.date.today()
    start, end = quarter_of(day)
    qs = (
        Task.objects.filter(plan__in=permissions.visible_plans(user))
        .exclude(plan__status=Plan.Status.CLOSED)
        .filter(
            (Q(assignments__unit=unit) & Q(plan__issued_at__isnull=False)) | Q(plan__owner=unit)
        )
        .filter(_overlaps(start, end) | Q(start__isnull=True, end__isnull=True, plan__plan_year=day.year))
        .distinct()
        .select_related("plan")
        .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.select_related("unit")))
        .order_by("end", "plan_id", "order")
    )
    tasks = list(qs)
    for t in tasks:
        t.overdue = t.is_overdue(day)
    return {"unit": unit, "start": start, "end": end, "quarter": (start.month - 1) // 3 + 1, "year": start.year,
            "tasks": tasks, "open": sum(1 for t in tasks if t.status != Task.Status.DONE),
            "overdue": sum(1 for t in tasks if t.overdue)}


def plan_timeline(plan: Plan, tasks: list[Task] | None = None) -> dict:
    """A month grid of the plan year: each task spans the months of its timeframe (columns 2..13)."""
    year = plan.plan_year or (plan.date.year if plan.date else dt.date.today().year)
    tasks = tasks if tasks is not None else list(plan.tasks.order_by("order"))
    rows = []
    for t in tasks:
        if t.start or t.end:
            s = t.start or dt.date(year, 1, 1)
            e = t.end or dt.date(year, 12, 31)
            if e.year < year or s.year > year:
                first, last = None, None
            else:
                first = 1 if s.year < year else s.month
                last = 12 if e.year > year else e.month
        elif t.recurrence in ("continuous", "yearly", "quarterly", "monthly", "weekly"):
            first, last = 1, 12
        else:
            first = last = None
        rows.append({"task": t, "first": first, "last": last,
                     "col_start": (first or 0) + 1, "col_end": (last or 0) + 2,
                     "overdue": t.is_overdue()})
    return {"year": year, "months": list(range(1, 13)), "rows": rows}


# ---------------------------------------------------------------- import review helpers

def find_duplicate(parsed: dict) -> Plan | None:
    """A plan already in the platform with the same number and issuer (or the very same file)."""
    doc = parsed.get("document") or {}
    number = (doc.get("number") or "").strip()
    if not number:
        return None
    issuer = fold(doc.get("issuer") or "")
    for plan in Plan.objects.filter(number=number).select_related("owner"):
        if not issuer or not plan.issuer or fold(plan.issuer) == issuer:
            return plan
    return None


def referenced_plans(parsed: dict, user) -> dict[str, Plan]:
    """Plans of the platform that the document cites, by number (visible to the user)."""
    numbers = [r.get("number") for r in parsed.get("references") or [] if r.get("number")]
    if not numbers:
        return {}
    return {p.number: p for p in permissions.visible_plans(user).filter(number__in=numbers)}


IDENTITY_LABELS = {
    "kind": "document type", "number": "number", "title": "title", "plan_year": "plan year", "date": "date",
    "place": "place", "issuer": "issuing body", "signer_name": "signed by",
}


def _assigned(keys_units, keys_phrases) -> set:
    return {("unit", i) for i in keys_units} | {("phrase", fold(p)) for p in keys_phrases if p}


def plan_document_diff(plan: Plan, parsed: dict, resolutions: dict | None = None) -> dict:
    """What importing `parsed` over `plan` would change: identity fields, tasks added, removed, changed.

    Lead agencies are compared by the units they resolve to: a document naming one unit in two ways
    ("Báo Hà Giang; Đài PT-TH tỉnh" after a merger) is stored as one assignment, and must not show as a
    change when the same document is imported again."""
    from . import agencies
    from .services import _plan_identity, _s

    if not (resolutions or {}).get("tasks") and parsed.get("tasks"):
        resolutions = agencies.resolve_document(parsed, context=plan.owner)
    res_tasks = (resolutions or {}).get("tasks") or []

    identity = _plan_identity(parsed)
    fields = []
    for name, label in IDENTITY_LABELS.items():
        old, new = getattr(plan, name), identity.get(name)
        if (old or None) != (new or None):
            fields.append((_(label), old, new))
    current = {fold(t.title): t for t in plan.tasks.prefetch_related("assignments", "targets")}
    added, changed, seen = [], [], set()
    for index, item in enumerate(parsed.get("tasks") or []):
        title = _s(item.get("title"))
        key = fold(title)
        task = current.get(key)
        if task is None:
            added.append(title)
            continue
        seen.add(key)
        what = []
        tf = (item.get("timeframe") or {}).get("text") or ""
        if _s(tf, 300) != task.timeframe_text:
            what.append(_("timeframe: %(old)s → %(new)s") % {"old": task.timeframe_text or "—", "new": tf or "—"})
        old_rows = [a for a in task.assignments.all() if a.role == "lead"]
        old_leads = sorted({a.phrase for a in old_rows})
        new_leads = sorted({_s(x) for x in item.get("lead") or []})
        new_res = (res_tasks[index] if index < len(res_tasks) else {}).get("lead") or []
        by_text = {r.get("text"): r for r in new_res}
        new_units, new_phrases = set(), set()
        for phrase in item.get("lead") or []:
            ids = (by_text.get(phrase) or {}).get("unit_ids") or []
            if ids:
                new_units.update(ids)
            else:
                new_phrases.add(_s(phrase))
        old_key = _assigned({a.unit_id for a in old_rows if a.unit_id}, {a.phrase for a in old_rows if not a.unit_id})
        if old_key != _assigned(new_units, new_phrases):
            what.append(_("lead: %(old)s → %(new)s") % {"old": "; ".join(old_leads) or "—", "new": "; ".join(new_leads) or "—"})
        if len(item.get("targets") or []) != len(task.targets.all()):
            what.append(_("targets changed"))
        if what:
            changed.append((title, what))
    removed = [t.title for k, t in current.items() if k not in seen]
    return {"fields": fields, "added": added, "removed": removed, "changed": changed,
            "has_changes": bool(fields or added or removed or changed)}


# ---------------------------------------------------------------- export

def _phrases(assignments) -> list[str]:
    out = []
    for a in assignments:
        text = a.phrase or (a.unit.name if a.unit_id else "")
        if text and text not in out:
            out.append(text)
    return out


def _section_tree(sections: list[Section]) -> list[dict]:
    nodes = {s.pk: {"number": s.number or None, "heading": s.heading, "text": s.text or None, "children": []}
             for s in sections}
    roots = []
    for s in sections:
        (nodes[s.parent_id]["children"] if s.parent_id in nodes else roots).append(nodes[s.pk])
    return roots


def _num(value):
    return int(value) if value == int(value) else float(value)


def plan_to_document(plan: Plan) -> dict:
    """The plan as the parsed-document dict (schemas/plan.schema.json), for the .docx writer and snapshots."""
    tasks = list(plan_tasks(plan))
    doc_tasks = []
    for t in tasks:
        assignments = list(t.assignments.all())
        doc_tasks.append({
            "title": t.title,
            "text": t.text or None,
            "forms": list(t.forms or []),
            "lead": _phrases(a for a in assignments if a.role == Assignment.Role.LEAD),
            "support": _phrases(a for a in assignments if a.role == Assignment.Role.SUPPORT),
            "timeframe": {
                "text": t.timeframe_text or "",
                "start": t.start.isoformat() if t.start else None,
                "end": t.end.isoformat() if t.end else None,
                "recurrence": t.recurrence or None,
            } if (t.timeframe_text or t.start or t.end) else None,
            "targets": [{"quantity": _num(x.quantity), "unit": x.unit, "per": x.per or None, "at_least": x.at_least,
                         "text": x.text, **({"soft": True} if x.soft else {}),
                         **({"languages": list(x.languages)} if x.languages else {})} for x in t.targets.all()],
            "funding": t.funding or None,
            "section": t.source_section or (t.section.path if t.section_id else None),
            "status": t.status,
            "progress": t.progress,
        })
    return {
        "schema": "cchc.plan/1",
        "document": {
            "kind": plan.kind,
            "number": plan.number or None,
            "symbol": plan.symbol or None,
            "place": plan.place or None,
            "date": plan.date.isoformat() if plan.date else None,
            "year": plan.date.year if plan.date else plan.plan_year,
            "issuer": plan.issuer or plan.owner.name,
            "title": plan.title,
            "plan_year": plan.plan_year,
            "signer": {"name": plan.signer_name or None, "position": plan.signer_position or None,
                       "authority": plan.signer_authority or None},
            "recipients": list(plan.recipients or []),
        },
        "references": list(plan.references or []),
        "sections": _section_tree(list(plan.sections.all())),
        "tasks": doc_tasks,
        "reporting": {"periods": [], "deadlines": [], "recipient": None, "text": None, **(plan.reporting or {})},
        "funding": list(plan.funding or []),
    }
