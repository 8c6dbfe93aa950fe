"""What the import review page shows of a draft: its tasks with their agency phrases and the units
they resolve to, the groups a phrase can be given in one choice, and what the reader said about
the document (its `diagnostics`, its type).

The parsed plan comes from `cchc.documents` and may be older than some of its keys: a draft read
before the reader gave `diagnostics` has none, and that is no error.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.utils.translation import gettext as _

from cchc.documents.diagnostics import kind_name
from cchc.org.models import Unit

from .agencies import needs_attention
from .models import PlanImport

SEVERITIES = ("error", "warning", "info")
_DISTRICT_KINDS = {Unit.Kind.DISTRICT, Unit.Kind.URBAN_DISTRICT, Unit.Kind.PROVINCIAL_CITY, Unit.Kind.TOWN}
_FRONT_KINDS = {Unit.Kind.FRONT, Unit.Kind.MASS_ORGANISATION, Unit.Kind.UNION}
_DEPARTMENT_KINDS = {Unit.Kind.DEPARTMENT, Unit.Kind.AGENCY, Unit.Kind.OFFICE}


# ---------------------------------------------------------------- what the reader said

def document_kind(code: str | None) -> str:
    """The type of the document in words: "Nghị định (NĐ)". The names are the Vietnamese ones in
    every language: they are the names of the documents, as their own titles give them."""
    if not code:
        return ""
    name = kind_name(code)
    return f"{name} ({code})" if name and name != code else code


def diagnostics(parsed: dict) -> list[dict]:
    """The reader's findings, most serious first, each with a known severity; `no_tasks` is left
    out (the page says so in place of the task table)."""
    out = []
    for item in parsed.get("diagnostics") or []:
        if not isinstance(item, dict) or not item.get("message") or item.get("code") == "no_tasks":
            continue
        severity = item.get("severity") if item.get("severity") in SEVERITIES else "info"
        out.append({"code": item.get("code") or "", "severity": severity, "message": str(item["message"])})
    return sorted(out, key=lambda d: SEVERITIES.index(d["severity"]))


def not_a_plan(parsed: dict) -> dict | None:
    """The reader's finding that the document is no plan (a decree, a circular …), if it made one."""
    return next((d for d in parsed.get("diagnostics") or [] if isinstance(d, dict) and d.get("code") == "not_a_plan"),
                None)


# ---------------------------------------------------------------- groups of units

def group_label(units: list[Unit], kind: str | None = None) -> str:
    """What a group of units is, in words, with its size: "UBND cấp xã (124)".

    Read from the units themselves, so that the districts of 2023 rolled up to today's communes
    are called communes."""
    kinds = {u.kind for u in units}
    if kind in ("branches", "subunits"):
        parents = Counter(u.parent for u in units if u.parent_id)
        parent = parents.most_common(1)[0][0] if parents else None
        label = _("Divisions of %(unit)s") % {"unit": parent.name} if parent else _("Divisions")
    elif kinds and kinds <= Unit.COMMUNE_KINDS and kind == "districts":
        # the districts a plan named before 1 July 2025, carried on by today's communes on their ground
        label = _("Commune People's Committees on the ground of the districts named")
    elif kinds and kinds <= Unit.COMMUNE_KINDS:
        label = _("Commune People's Committees")
    elif kinds and kinds <= _DISTRICT_KINDS:
        label = _("District People's Committees")
    elif kinds and kinds <= _FRONT_KINDS:
        label = _("Fatherland Front and mass organisations")
    elif kind == "departments":
        label = _("Departments and agencies")
    else:
        label = _("Group of units")
    return _("%(group)s (%(n)d)") % {"group": label, "n": len(units)}


def group_choices(owner: Unit, *, on: dt.date | None = None) -> list[dict]:
    """The groups a reviewer can give a phrase of a plan of `owner` in one choice (value "group:<kind>")."""
    from cchc.org.resolve import standard_groups

    return [{"value": f"group:{g.kind}", "kind": g.kind, "label": group_label(g.units, g.kind), "count": len(g.units)}
            for g in standard_groups(owner, on=on)]


# ---------------------------------------------------------------- the task table

def _answer_label(item: dict, units: dict[int, Unit]) -> str:
    """The resolver's answer for a phrase that names several units, as one choice: its groups by
    name and count, and the units named one by one ("Sở Nội vụ + UBND cấp xã (73)")."""
    parts, grouped = [], set()
    for group in item.get("groups") or []:
        members = [units[i] for i in group.get("unit_ids") or [] if i in units]
        if members:
            parts.append(group_label(members, group.get("kind")))
            grouped.update(u.pk for u in members)
    singles = [units[i].name for i in item.get("unit_ids") or [] if i in units and i not in grouped]
    return " + ".join([*singles, *parts])


def review_rows(draft: PlanImport) -> list[dict]:
    """One row per task of the draft, with its lead and coordinating phrases, what each resolves to
    (and, when the plan is older than today's units, what it named on its date)."""
    res_tasks = draft.resolutions.get("tasks") or []
    items = [it for t in res_tasks for r in ("lead", "support") for it in t.get(r) or []]
    ids = {i for it in items for i in [*(it.get("unit_ids") or []), *(it.get("named_ids") or []),
                                        *(c[0] for c in it.get("candidates") or [])]}
    units = Unit.objects.select_related("parent").in_bulk(ids)
    rows = []
    for i, task in enumerate(draft.parsed.get("tasks") or []):
        res = res_tasks[i] if i < len(res_tasks) else {}
        phrases = []
        for role in ("lead", "support"):
            for k, item in enumerate(res.get(role) or []):
                resolved = [units[u] for u in item.get("unit_ids") or [] if u in units]
                candidates = [units[c[0]] for c in item.get("candidates") or [] if c[0] in units]
                if len(resolved) == 1 and resolved[0] not in candidates:
                    candidates.insert(0, resolved[0])
                named = [units[u] for u in item.get("named_ids") or [] if u in units]
                group = len(resolved) > 1
                phrases.append({
                    "key": f"{i}-{role}-{k}", "role": role, "text": item.get("text"),
                    "units": resolved, "candidates": candidates,
                    "confidence": round(100 * (item.get("confidence") or 0)),
                    "attention": needs_attention(item), "is_group": item.get("is_group"),
                    "unit_id": resolved[0].pk if len(resolved) == 1 else None,
                    "answer": _answer_label(item, units) if group else "",
                    "named": (_answer_label({"unit_ids": item.get("named_ids"), "groups": _named_groups(named)},
                                            units) if named else ""),
                })
        rows.append({"n": i + 1, "task": task, "phrases": phrases})
    return rows


def _named_groups(named: list[Unit]) -> list[dict]:
    """The units a plan named on its date, grouped by kind when there are several of one level."""
    by_level: dict[str, list[int]] = {}
    for unit in named:
        level = ("communes" if unit.kind in Unit.COMMUNE_KINDS else "districts" if unit.kind in _DISTRICT_KINDS
                 else "departments" if unit.kind in _DEPARTMENT_KINDS else "")
        if level:
            by_level.setdefault(level, []).append(unit.pk)
    return [{"kind": level, "unit_ids": ids} for level, ids in by_level.items() if len(ids) > 1]
