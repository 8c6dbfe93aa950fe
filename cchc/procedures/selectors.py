"""Reads with logic: the review of a decision (each row matched against the unit's catalogue), the
catalogue's list and search, a procedure's history, the decisions applied in a period and the
online-service figures of a period.

How a decision's row finds its entry (matching)
-----------------------------------------------
1. By national code: the d.dddddd part of the row's code ("1.013401" of "1.013401.000.00.00.H50")
   equal to an entry's; among several, the one of the same level, then the same field, then in force.
2. By name, accents and case folded: the same folded name, else the closest by rapidfuzz's
   token-sort ratio at `NAME_SCORE` or more, an entry of the same field and level winning a tie
   (`FIELD_BONUS`, `LEVEL_BONUS` count toward the comparison, not the threshold).

A row the decision lists as new is matched by code only: a new procedure's name is often that of an
existing one with a word more ("Cấp lại …"), so a name match would change the wrong entry. A new row
whose code the catalogue already has updates that entry instead of making a second one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.documents.folding import fold

from .models import Change, Decision, Level, OnlineServiceFigure, Procedure, ProcedureChange

NAME_SCORE = 90
FIELD_BONUS = 3
LEVEL_BONUS = 2
_CODE = re.compile(r"\d\.\d{6}")

# Groups of the review page, in the order it shows them.
GROUPS = (
    ("new", gettext_lazy("New entries")),
    ("amended", gettext_lazy("Entries changed")),
    ("abolished", gettext_lazy("Entries removed")),
    ("unchanged", gettext_lazy("Listed again without change")),
    ("unmatched", gettext_lazy("Could not be matched")),
    ("skipped", gettext_lazy("Left out")),
)

# Fields a decision's row states, compared before → after on the review page and written on apply.
ROW_FIELDS = ("name", "code", "field", "level", "time_limit", "time_limit_days", "working_days", "fee", "fee_free",
              "place", "legal_basis")
FIELD_LABELS = {
    "name": gettext_lazy("name"), "code": gettext_lazy("national code"), "field": gettext_lazy("field"),
    "level": gettext_lazy("level"), "time_limit": gettext_lazy("time limit"),
    "time_limit_days": gettext_lazy("time limit (days)"), "working_days": gettext_lazy("working days"),
    "fee": gettext_lazy("fees and charges"), "fee_free": gettext_lazy("free of charge"),
    "place": gettext_lazy("where to submit"), "legal_basis": gettext_lazy("legal basis"),
}
_LIMITS = {"name": 1000, "code": 60, "field": 300}


def national_code(code: str | None) -> str:
    match = _CODE.search(code or "")
    return match.group(0) if match else ""


def _name_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(name or "")).strip()


def _text(value, limit: int | None = None) -> str:
    import unicodedata

    text = unicodedata.normalize("NFC", str(value)).strip() if value else ""
    return text[:limit] if limit else text


def row_values(row: dict) -> dict:
    """What a decision's row says about a procedure, as model field values; a field the row does not
    state (null in the reader's output) is left out, so that applying keeps what the entry had."""
    values: dict = {}
    for name in ("name", "code", "field", "place"):
        if row.get(name):
            values[name] = _text(row[name], _LIMITS.get(name))
    if row.get("level") in Level.values:
        values["level"] = row["level"]
    limit = row.get("time_limit")
    if isinstance(limit, dict) and limit.get("text"):
        values["time_limit"] = _text(limit["text"])
        days = limit.get("days")
        if isinstance(days, int) and not isinstance(days, bool) and 0 <= days <= 100_000:
            values["time_limit_days"] = days
        if isinstance(limit.get("working_days"), bool):
            values["working_days"] = limit["working_days"]
    fee = row.get("fee")
    if isinstance(fee, dict) and fee.get("text"):
        values["fee"] = _text(fee["text"])
        if isinstance(fee.get("free"), bool):
            values["fee_free"] = fee["free"]
    basis = [_text(b, 500) for b in row.get("legal_basis") or [] if isinstance(b, str) and b.strip()]
    if basis:
        values["legal_basis"] = basis[:100]
    return values


def shown(name: str, value) -> str:
    """A field's value as the review page shows it."""
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name == "level" and value in Level.values:
        return str(Level(value).label)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def field_changes(procedure: Procedure, values: dict) -> list[dict]:
    """[{"field", "label", "before", "after", "before_text", "after_text"}] of the fields `values` would
    change on `procedure`."""
    out = []
    for name in ROW_FIELDS:
        if name not in values:
            continue
        before = getattr(procedure, name)
        if before != values[name] and not (before in ("", None, []) and values[name] in ("", None, [])):
            out.append({"field": name, "label": FIELD_LABELS[name], "before": before, "after": values[name],
                        "before_text": shown(name, before), "after_text": shown(name, values[name])})
    return out


# ---------------------------------------------------------------- the catalogue as the matcher sees it

@dataclass
class _Entry:
    pk: int
    name: str
    code: str
    field: str
    level: str
    active: bool
    key: str
    national: str
    field_key: str


class Catalogue:
    """A unit's catalogue held once for matching a whole decision (one query)."""

    def __init__(self, unit):
        rows = Procedure.objects.filter(unit=unit).values_list("pk", "name", "code", "field", "level", "status")
        self.entries = [
            _Entry(pk, name, code, fld, level, status == Procedure.Status.ACTIVE, _name_key(name), national_code(code),
                   _name_key(fld))
            for pk, name, code, fld, level, status in rows
        ]
        self.by_pk = {e.pk: e for e in self.entries}
        self.by_code: dict[str, list[_Entry]] = {}
        self.by_key: dict[str, list[_Entry]] = {}
        for e in self.entries:
            if e.national:
                self.by_code.setdefault(e.national, []).append(e)
            self.by_key.setdefault(e.key, []).append(e)
        self._keys = [e.key for e in self.entries]

    @staticmethod
    def _rank(entries: list[_Entry], row: dict) -> _Entry:
        fkey = _name_key(row.get("field") or "")
        return max(entries, key=lambda e: (e.level == (row.get("level") or ""), bool(fkey) and e.field_key == fkey,
                                           e.active, -e.pk))

    def by_national_code(self, row: dict) -> _Entry | None:
        found = self.by_code.get(national_code(row.get("code")))
        return self._rank(found, row) if found else None

    def by_name(self, row: dict) -> tuple[_Entry | None, int]:
        key = _name_key(row.get("name") or "")
        if not key or not self.entries:
            return None, 0
        if key in self.by_key:
            return self._rank(self.by_key[key], row), 100
        from rapidfuzz import fuzz, process

        fkey = _name_key(row.get("field") or "")
        level = row.get("level") or ""
        best, best_rank = None, -1.0
        for _choice, score, index in process.extract(key, self._keys, scorer=fuzz.token_sort_ratio,
                                                     score_cutoff=NAME_SCORE, limit=10):
            entry = self.entries[index]
            rank = score + (FIELD_BONUS if fkey and entry.field_key == fkey else 0) + \
                (LEVEL_BONUS if level and entry.level == level else 0) + (1 if entry.active else 0)
            if rank > best_rank:
                best, best_rank = (entry, int(round(score))), rank
        return best if best else (None, 0)

    def find(self, text: str) -> _Entry | None:
        """An entry named by what a reviewer typed or picked: "#12", a national code, or a name."""
        text = (text or "").strip()
        if not text:
            return None
        if m := re.search(r"#(\d+)", text):
            return self.by_pk.get(int(m.group(1)))
        if code := national_code(text):
            found = self.by_code.get(code)
            if found:
                return self._rank(found, {})
        entry, _score = self.by_name({"name": text})
        return entry


# ---------------------------------------------------------------- the review

@dataclass
class ReviewRow:
    index: int
    row: dict
    status: str
    group: str
    action: str  # "create", "update", "abolish", "unchanged", "skip"
    procedure_id: int | None = None
    procedure_name: str = ""
    procedure_code: str = ""
    how: str = ""  # "code", "name", "chosen", ""
    score: int = 0
    changes: list = field(default_factory=list)
    choice: str = ""  # the reviewer's choice, if any: "match", "create", "skip"
    already: bool = False  # a new row whose code the catalogue has

    @property
    def values(self) -> dict:
        return row_values(self.row)

    @property
    def status_label(self) -> str:
        return Change(self.status).label if self.status in Change.values else self.status

    @property
    def level_label(self) -> str:
        level = self.row.get("level")
        return Level(level).label if level in Level.values else ""


def _default_unmatched(status: str) -> str:
    # amended or replaced: the decision states the procedure as it now is, so it becomes an entry;
    # abolished: nothing to remove
    return "skip" if status == Change.ABOLISHED else "create"


def review_rows(decision: Decision, *, catalogue: Catalogue | None = None) -> list[ReviewRow]:
    """Every row of the decision matched against its unit's catalogue, with the reviewer's choices
    applied: what applying would do to each (see the module docstring). Two queries."""
    catalogue = catalogue or Catalogue(decision.unit)
    choices = decision.resolutions or {}
    rows = [r for r in (decision.parsed or {}).get("procedures") or [] if isinstance(r, dict) and r.get("name")]
    needed = set()
    out: list[ReviewRow] = []
    for index, row in enumerate(rows):
        status = row.get("status") if row.get("status") in Change.values else Change.NEW
        entry, how, score = None, "", 0
        choice = choices.get(str(index)) or {}
        action_choice = choice.get("action") or ""
        if action_choice == "match" and choice.get("procedure") in catalogue.by_pk:
            entry, how, score = catalogue.by_pk[choice["procedure"]], "chosen", 100
        else:
            entry = catalogue.by_national_code(row)
            if entry is not None:
                how, score = "code", 100
            elif status != Change.NEW:
                entry, score = catalogue.by_name(row)
                how = "name" if entry else ""
        item = ReviewRow(index=index, row=row, status=status, group="", action="", how=how, score=score,
                         choice=action_choice)
        if action_choice == "skip" or (action_choice == "create" and status == Change.ABOLISHED):
            item.group, item.action = "skipped", "skip"
        elif action_choice == "create" or (entry is None and status == Change.NEW):
            item.group, item.action = "new", "create"
        elif entry is None:
            item.group = "unmatched"
            item.action = _default_unmatched(status)
        else:
            item.procedure_id, item.procedure_name, item.procedure_code = entry.pk, entry.name, entry.code
            needed.add(entry.pk)
            if status == Change.ABOLISHED:
                item.group, item.action = "abolished", "abolish"
            elif status == Change.UNCHANGED:
                item.group, item.action = "unchanged", "unchanged"
            else:
                item.group, item.action = "amended", "update"
                item.already = status == Change.NEW
        out.append(item)
    if needed:
        procedures = Procedure.objects.in_bulk(list(needed))
        for item in out:
            if item.procedure_id and item.action in ("update", "unchanged"):
                item.changes = field_changes(procedures[item.procedure_id], item.values)
                if item.action == "unchanged":
                    # listed again: only what the entry lacks is filled in
                    item.changes = [c for c in item.changes if c["before"] in ("", None, [])]
    return out


def review_groups(rows: list[ReviewRow]) -> list[dict]:
    by_group: dict[str, list[ReviewRow]] = {}
    for r in rows:
        by_group.setdefault(r.group, []).append(r)
    return [{"key": key, "label": label, "rows": by_group.get(key, [])} for key, label in GROUPS]


def review_summary(rows: list[ReviewRow]) -> dict:
    summary = {"create": 0, "update": 0, "abolish": 0, "unchanged": 0, "skip": 0, "unmatched": 0}
    for r in rows:
        summary[r.action] += 1
        if r.group == "unmatched":
            summary["unmatched"] += 1
    return summary


SEVERITIES = ("error", "warning", "info")


def diagnostics(parsed: dict) -> list[dict]:
    """The reader's findings, most serious first."""
    out = []
    for item in (parsed or {}).get("diagnostics") or []:
        if not isinstance(item, dict) or not item.get("message"):
            continue
        severity = item.get("severity") if item.get("severity") in SEVERITIES else "info"
        out.append({"code": str(item.get("code") or ""), "severity": severity, "message": str(item["message"])})
    return sorted(out, key=lambda d: SEVERITIES.index(d["severity"]))


def entry_choices(unit, q: str, *, limit: int = 20) -> list[dict]:
    """Entries of the unit's catalogue for the review page's search box: by code or folded name."""
    q = (q or "").strip()
    if len(q) < 2:
        return []
    qs = Procedure.objects.filter(unit=unit)
    code = national_code(q)
    if code:
        qs = qs.filter(code__startswith=code)
    else:
        for word in fold(q).split()[:8]:
            qs = qs.filter(search_text__contains=word)
    return [{"id": p.pk, "label": f"#{p.pk} {p.code + ' · ' if p.code else ''}{p.name[:160]}"
                                  + (f" ({p.get_level_display()})" if p.level else "")
                                  + ("" if p.status == Procedure.Status.ACTIVE else f" [{p.get_status_display()}]")}
            for p in qs.order_by("status", "name").only("pk", "code", "name", "level", "status")[:limit]]


# ---------------------------------------------------------------- the catalogue's pages

def procedure_list(unit, *, q: str = "", field_name: str = "", level: str = "", status: str = "active",
                   online: str = ""):
    qs = Procedure.objects.filter(unit=unit)
    if status in Procedure.Status.values:
        qs = qs.filter(status=status)
    if field_name:
        qs = qs.filter(field=field_name)
    if level in Level.values:
        qs = qs.filter(level=level)
    if online:
        qs = qs.filter(online_level=online)
    q = (q or "").strip()
    if q:
        code = national_code(q)
        if code:
            qs = qs.filter(code__contains=code)
        else:
            for word in fold(q).split()[:10]:
                qs = qs.filter(search_text__contains=word)
    return qs.select_related("last_decision").defer("search_text", "documents_required")


def catalogue_fields(unit) -> list[str]:
    from cchc.core.text import sort_key

    names = Procedure.objects.filter(unit=unit).exclude(field="").values_list("field", flat=True).distinct()
    return sorted(set(names), key=sort_key)


def catalogue_counts(unit) -> dict:
    rows = Procedure.objects.filter(unit=unit).values("status").annotate(n=Count("id")).order_by()
    counts = {r["status"]: r["n"] for r in rows}
    return {"active": counts.get(Procedure.Status.ACTIVE, 0), "abolished": counts.get(Procedure.Status.ABOLISHED, 0)}


def procedure_history(procedure: Procedure) -> list[ProcedureChange]:
    return list(procedure.changes.select_related("decision", "by").order_by("-date", "-pk"))


def decisions_for_unit(unit, *, status: str | None = None):
    qs = Decision.objects.filter(unit=unit).select_related("applied_by", "created_by").defer("parsed")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-applied_at", "-date", "-pk")


def applied_twin(decision: Decision) -> Decision | None:
    """The decision of the same number already applied to the same catalogue, if any."""
    if not decision.number:
        return None
    return (Decision.objects.filter(unit_id=decision.unit_id, number=decision.number, status=Decision.Status.APPLIED)
            .exclude(pk=decision.pk).first())


def decision_total(decision: Decision) -> int:
    """The number of procedures the decision lists (what its output's title says)."""
    return sum(1 for r in (decision.parsed or {}).get("procedures") or [] if isinstance(r, dict) and r.get("name"))


# ---------------------------------------------------------------- periods: reports and dashboard

def _paths_q(unit_paths, field_name: str = "unit__path") -> Q:
    q = Q()
    for p in unit_paths:
        q |= Q(**{f"{field_name}__startswith": p})
    return q


def decisions_applied(*, unit_paths, start: dt.date, end: dt.date) -> list[Decision]:
    """Decisions applied to the catalogues of units under `unit_paths` between `start` and `end`
    (inclusive, by the local date of applying), first applied first."""
    from django.utils import timezone

    unit_paths = list(unit_paths)
    if not unit_paths:
        return []
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return list(Decision.objects.filter(_paths_q(unit_paths), status=Decision.Status.APPLIED,
                                        applied_at__gte=since, applied_at__lt=until)
                .select_related("unit").defer("parsed").order_by("applied_at", "pk"))


def _months(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    """The months a window counts: those whose last day falls in it (a window of 15/12 to 14/3
    counts December, January and February, as the data cut-off of Nghị định 09/2019 means)."""
    import calendar

    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        if start <= last <= end:
            months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def figures_between(*, unit_paths, start: dt.date, end: dt.date) -> dict:
    """Online-service figures summed over the units under `unit_paths` and the months of the window:
    {"dossiers", "online", "fully_online", "postal", "months"}."""
    unit_paths = list(unit_paths)
    months = _months(start, end)
    empty = {"dossiers": 0, "online": 0, "fully_online": 0, "postal": 0, "months": 0}
    if not unit_paths or not months:
        return empty
    month_q = Q()
    for year, month in months:
        month_q |= Q(year=year, month=month)
    qs = OnlineServiceFigure.objects.filter(_paths_q(unit_paths), month_q)
    sums = qs.aggregate(dossiers=Sum("dossiers"), online=Sum("online"), fully_online=Sum("fully_online"),
                        postal=Sum("postal"), months=Count("id"))
    return {k: int(v or 0) for k, v in sums.items()}


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def figures_for_unit(unit, *, year: int | None = None):
    qs = OnlineServiceFigure.objects.filter(unit=unit)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-month")


def decision_label(decision: Decision) -> str:
    """"2666/QĐ-UBND (12/03/2025, 57 TTHC)" as reports list it."""
    parts = []
    if decision.date:
        parts.append(decision.date.strftime("%d/%m/%Y"))
    total = sum((decision.summary or {}).get(k, 0) for k in ("new", "amended", "replaced", "abolished", "unchanged"))
    parts.append(_("%(n)d procedures") % {"n": total})
    return f"{decision.number or _('(not numbered)')} ({', '.join(parts)})"
