"""Every write to the procedure catalogue goes through these functions: keyword-only, atomic, validated,
audited.

A publication decision goes: `decision_import` (read the file in the sandbox, keep it in review) →
`decision_set_identity` / `decision_resolve` (the reviewer's corrections and choices) →
`decision_apply` (one transaction: entries created, changed or abolished, their history, the
output "Cập nhật, công khai TTHC" counted once for the unit) or `decision_discard`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.core import audit, bounds, uploads
from cchc.documents.folding import fold
from cchc.documents.vntext import nfc

from . import selectors
from .models import Change, Decision, OnlineServiceFigure, Procedure, ProcedureChange

OUTPUT_SOURCE = "procedures.decision"
OUTPUT_TYPE = "procedure_update"
DOCUMENT_TYPES = {".docx", ".pdf", ".txt", ".md"}
_SNAP_EXCLUDE = ("created_at", "updated_at", "search_text", "search_name", "sort_key")


class ProcedureError(Exception):
    """A change that cannot be made; the message says why and what to do instead."""

    def __init__(self, message: str, *, fields: dict | None = None):
        super().__init__(message)
        self.fields = fields or {}


class UploadRefused(ProcedureError):
    pass


class AlreadyApplied(ProcedureError):
    """The same decision (same number) was applied to this catalogue before."""

    def __init__(self, message: str, *, twin: Decision | None = None):
        super().__init__(message)
        self.twin = twin


def procedure_search_text(procedure: Procedure) -> str:
    """What search matches for an entry: its name, code, field and handling agency, folded (no
    accents, lower case). The staff list and the public search both read `Procedure.search_text`."""
    return fold(" ".join(part for part in (procedure.name, procedure.code, procedure.field, procedure.agency) if part))


def _derive(procedure: Procedure) -> None:
    """The derived search fields of an entry: `search_text`, and what the public search adds."""
    from .search import derived_fields

    procedure.search_text = procedure_search_text(procedure)
    for name, value in derived_fields(procedure).items():
        setattr(procedure, name, value)


def _snap(obj) -> dict:
    return audit.snapshot(obj, exclude=_SNAP_EXCLUDE + ("parsed",))


def _validate(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        fields = exc.message_dict
        labels = []
        for key, messages in fields.items():
            label = obj._meta.get_field(key).verbose_name if key != "__all__" else ""
            labels.append(f"{label}: {' '.join(messages)}" if label else " ".join(messages))
        raise ProcedureError("; ".join(labels), fields=fields) from exc


# ---------------------------------------------------------------- import a decision

def _date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _s(value, limit: int | None = None) -> str:
    text = nfc(str(value)).strip() if value else ""
    return text[:limit] if limit else text


def read_decision(upload) -> tuple[dict, bytes, str]:
    """Check an uploaded decision (type, size, first bytes) and read it in the sandbox process within
    the document limits. Returns (parsed, bytes, file name); `UploadRefused` says why not."""
    name = Path(getattr(upload, "name", "") or "").name
    try:
        uploads.check_upload(upload, allowed=DOCUMENT_TYPES)
    except uploads.UploadRefused as exc:
        raise UploadRefused(str(exc)) from exc
    data = upload.read()
    from cchc.documents.blocks import DocumentError
    from cchc.documents.procedures import parse_procedures_bytes

    try:
        parsed = parse_procedures_bytes(data, name=name, language=get_language(), limits=uploads.document_limits(),
                                        budget=uploads.reader_budget())
    except DocumentError as exc:
        raise UploadRefused(_("“%(name)s” could not be read: %(why)s") % {"name": name, "why": exc}) from exc
    if not isinstance(parsed, dict):
        raise UploadRefused(_("“%(name)s” could not be read.") % {"name": name})
    return parsed, data, name


@transaction.atomic
def decision_import(*, user, unit, upload) -> Decision:
    """Read a publication decision and keep it in review for `unit`'s catalogue. Nothing is kept when
    the file is refused or holds no list of procedures."""
    parsed, data, name = read_decision(upload)
    if not parsed.get("procedures"):
        said = " ".join(str(d.get("message")) for d in parsed.get("diagnostics") or []
                        if isinstance(d, dict) and d.get("message") and d.get("code") != "no_procedures")
        raise UploadRefused(
            _("No list of administrative procedures was found in “%(name)s”. Check that it is a decision that "
              "publishes procedures, with its appendix, and that its text can be selected.") % {"name": name}
            + (" " + said if said else ""))
    doc = parsed.get("decision") or {}
    decision = Decision(
        unit=unit, number=_s(doc.get("number"), 60).replace(" ", ""), date=_date(doc.get("date")),
        issuer=_s(doc.get("issuer"), 300), title=_s(doc.get("title")), original_name=name[:255], parsed=parsed,
        created_by=user,
    )
    _validate(decision)
    digest = hashlib.sha256(data).hexdigest()[:16]
    decision.file.save(f"{digest}{Path(name).suffix.lower()}", ContentFile(data), save=False)
    decision.save()
    audit.record(actor=user, action="create", obj=decision,
                 after={**_snap(decision), "rows": selectors.decision_total(decision)}, message="decision imported")
    return decision


def _require_review(decision: Decision) -> Decision:
    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    if locked.status == Decision.Status.APPLIED:
        raise ProcedureError(_("This decision was already applied on %(day)s; nothing more was changed.")
                             % {"day": timezone.localtime(locked.applied_at).strftime("%d/%m/%Y %H:%M")
                                if locked.applied_at else ""})
    if locked.status != Decision.Status.REVIEW:
        raise ProcedureError(_("This decision was discarded; import its file again to apply it."))
    return locked


@transaction.atomic
def decision_set_identity(*, decision: Decision, user, number: str, date: dt.date | None, issuer: str,
                          title: str) -> Decision:
    """The reviewer's number, date, issuer and title (where the reader missed or misread them)."""
    decision = _require_review(decision)
    before = _snap(decision)
    decision.number = _s(number, 60).replace(" ", "")
    decision.date = date
    decision.issuer = _s(issuer, 300)
    decision.title = _s(title)
    _validate(decision)
    after = _snap(decision)
    if after != before:
        decision.save(update_fields=["number", "date", "issuer", "title", "updated_at"])
        audit.record(actor=user, action="update", obj=decision, before=before, after=after,
                     message="decision identity corrected")
    return decision


@transaction.atomic
def decision_resolve(*, decision: Decision, user, choices: dict[str, str]) -> Decision:
    """The reviewer's choice for rows: {"<row index>": "keep" | "create" | "skip" | "match:<entry>"},
    where <entry> is "#<id>", a national code or a name of the unit's catalogue. "keep" forgets an
    earlier choice (the matching decides again). A "match:" that names no entry is ignored."""
    decision = _require_review(decision)
    total = selectors.decision_total(decision)
    catalogue = None
    res = dict(decision.resolutions or {})
    before = dict(res)
    for key, value in choices.items():
        if not str(key).isdigit() or not 0 <= int(key) < total:
            continue
        value = str(value or "").strip()
        if value == "keep" or value == "":
            res.pop(str(int(key)), None)
        elif value in ("create", "skip"):
            res[str(int(key))] = {"action": value}
        elif value.startswith("match:"):
            if catalogue is None:
                catalogue = selectors.Catalogue(decision.unit)
            entry = catalogue.find(value[len("match:"):])
            if entry is not None:
                res[str(int(key))] = {"action": "match", "procedure": entry.pk}
    if res != before:
        decision.resolutions = res
        decision.save(update_fields=["resolutions", "updated_at"])
        audit.record(actor=user, action="update", obj=decision, before={"resolutions": before},
                     after={"resolutions": res}, message="review choices")
    return decision


@transaction.atomic
def decision_discard(*, decision: Decision, user) -> None:
    decision = _require_review(decision)
    before = _snap(decision)
    if decision.file:
        decision.file.delete(save=False)
    decision.status = Decision.Status.DISCARDED
    decision.save(update_fields=["status", "file", "updated_at"])
    audit.record(actor=user, action="update", obj=decision, before=before, after=_snap(decision),
                 message="decision discarded")


# ---------------------------------------------------------------- apply a decision

def _already_applied(twin: Decision) -> AlreadyApplied:
    day = timezone.localtime(twin.applied_at).strftime("%d/%m/%Y") if twin.applied_at else ""
    return AlreadyApplied(
        _("Decision %(number)s was already applied to this catalogue on %(day)s; nothing was changed. "
          "Discard this copy, or correct its number if it is another decision.") % {"number": twin.number, "day": day},
        twin=twin)


def _plan_link(unit, day: dt.date) -> tuple:
    """The task (and target) of the unit's issued plans that this output serves, when exactly one task
    is about updating and publishing procedures ("Rà soát, cập nhật các thủ tục hành chính trên Trang,
    Cổng thông tin điện tử"); (None, None) otherwise."""
    from cchc.outputs.catalogue import compatible_codes, target_counts_people, type_for_target_unit, type_for_text
    from cchc.outputs.selectors import assigned_tasks, compatibility_table

    tasks = [t for t in assigned_tasks(unit)
             if (not t.plan.plan_year or t.plan.plan_year == day.year)
             and (type_for_text(t.title) == OUTPUT_TYPE
                  or any(type_for_target_unit(x.unit) == OUTPUT_TYPE for x in t.targets.all()))]
    if len(tasks) != 1:
        return None, None
    task = tasks[0]
    table = compatibility_table()
    targets = [t for t in task.targets.all() if not target_counts_people(t.unit)
               and ((codes := compatible_codes(t.unit, table)) is None or OUTPUT_TYPE in codes)]
    return task, targets[0] if len(targets) == 1 else None


def _record_output(decision: Decision, counted: int) -> None:
    from cchc.outputs.services import output_record_from_source

    day = timezone.localdate(decision.applied_at)
    number = decision.number or decision.title[:120] or decision.original_name
    title = f"Cập nhật, công khai {counted} TTHC theo Quyết định {number}"
    if decision.date:
        title += f" ngày {decision.date.strftime('%d/%m/%Y')}"
    task, target = _plan_link(decision.unit, day)
    output_record_from_source(source=OUTPUT_SOURCE, source_ref=str(decision.pk), unit=decision.unit,
                              output_type=OUTPUT_TYPE, date=day, quantity=1, title=title, task=task, target=target)


def _apply_values(procedure: Procedure, values: dict) -> None:
    for name, value in values.items():
        setattr(procedure, name, value)


@transaction.atomic
def decision_apply(*, decision: Decision, user) -> Decision:
    """Apply the reviewed decision to its unit's catalogue in one transaction: new entries created,
    changed ones updated (their values before kept in a `ProcedureChange`), abolished ones leave the
    list (`abolished_by`, `abolished_on`), each change audited; then the output "Cập nhật, công khai
    TTHC" is recorded once for the unit. A decision of the same number applied before is refused
    (`AlreadyApplied`), as is one applied or discarded already."""
    decision = _require_review(decision)
    twin = selectors.applied_twin(decision)
    if twin is not None:
        raise _already_applied(twin)
    rows = selectors.review_rows(decision)
    day = decision.date or timezone.localdate()
    existing = Procedure.objects.select_for_update().in_bulk([r.procedure_id for r in rows if r.procedure_id])
    created: dict[tuple, Procedure] = {}  # a procedure listed twice in the decision is made once
    counts = {k: 0 for k in (*Change.values, "skipped")}
    changes: list[ProcedureChange] = []
    for row in rows:
        values = row.values
        if row.action == "skip":
            counts["skipped"] += 1
            continue
        if row.action == "create":
            key = (values.get("code") or "", selectors._name_key(values.get("name", "")), values.get("level", ""))
            procedure = created.get(key)
            if procedure is None:
                procedure = Procedure(unit=decision.unit, introduced_by=decision, last_decision=decision, changed_on=day,
                                      **values)
                _derive(procedure)
                _validate(procedure)
                procedure.save()
                created[key] = procedure
                audit.record(actor=user, action="create", obj=procedure, after=_snap(procedure),
                             message=f"decision {decision.number or decision.pk}: {row.status}")
                before = {}
            else:
                before = {c["field"]: c["before"] for c in selectors.field_changes(procedure, values)}
                _apply_values(procedure, values)
                _derive(procedure)
                procedure.save()
            kind = row.status if row.status != Change.ABOLISHED else Change.NEW
            changes.append(ProcedureChange(procedure=procedure, decision=decision, kind=kind, date=day,
                                           before=audit._jsonable(before), by=user))
            counts[kind] += 1
            continue
        procedure = existing[row.procedure_id]
        snap_before = _snap(procedure)
        if row.action == "abolish":
            before = {"status": procedure.status}
            procedure.status = Procedure.Status.ABOLISHED
            procedure.abolished_by = decision
            procedure.abolished_on = day
            kind = Change.ABOLISHED
        else:
            if row.action == "unchanged":
                values = {c["field"]: c["after"] for c in row.changes}
                kind = Change.UNCHANGED
            else:
                kind = row.status if row.status in (Change.AMENDED, Change.REPLACED) else Change.AMENDED
                if procedure.status == Procedure.Status.ABOLISHED:
                    # listed again as in force: it comes back to the list
                    values = {**values, "status": Procedure.Status.ACTIVE}
                    procedure.abolished_by, procedure.abolished_on = None, None
            before = {name: getattr(procedure, name) for name, value in values.items()
                      if getattr(procedure, name) != value}
            _apply_values(procedure, values)
        if kind != Change.UNCHANGED or values:
            procedure.last_decision = decision
            procedure.changed_on = day
        _derive(procedure)
        _validate(procedure)
        procedure.save()
        snap_after = _snap(procedure)
        if snap_after != snap_before:
            audit.record(actor=user, action="update", obj=procedure, before=snap_before, after=snap_after,
                         message=f"decision {decision.number or decision.pk}: {kind}")
        changes.append(ProcedureChange(procedure=procedure, decision=decision, kind=kind, date=day,
                                       before=audit._jsonable(before), by=user))
        counts[kind] += 1
    ProcedureChange.objects.bulk_create(changes)
    before = _snap(decision)
    decision.status = Decision.Status.APPLIED
    decision.applied_at = timezone.now()
    decision.applied_by = user
    decision.summary = {k: v for k, v in counts.items() if k != Change.EDITED}
    try:
        with transaction.atomic():
            decision.save(update_fields=["status", "applied_at", "applied_by", "summary", "updated_at"])
    except IntegrityError:
        # another officer applied the same number a moment ago (the constraint of one applied decision
        # per number and catalogue)
        twin = selectors.applied_twin(decision)
        if twin is None:
            raise
        raise _already_applied(twin) from None
    audit.record(actor=user, action="update", obj=decision, before=before, after=_snap(decision),
                 message="decision applied")
    counted = sum(v for k, v in counts.items() if k != "skipped")
    _record_output(decision, counted)
    return decision


# ---------------------------------------------------------------- an officer edits an entry

EDITABLE_FIELDS = ("name", "code", "field", "level", "agency", "time_limit", "time_limit_days", "working_days", "fee",
                   "fee_free", "place", "documents_required", "legal_basis", "online_level", "postal", "status",
                   "abolished_on")


@transaction.atomic
def procedure_update(*, procedure: Procedure, user, **fields) -> Procedure:
    """An officer's correction of any field of an entry: audited, and kept in its history as a change
    of kind "edited" with the values before. Returns the entry (unchanged when nothing differs)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    snap_before = _snap(procedure)
    before = {}
    for name, value in fields.items():
        if isinstance(value, str):
            value = nfc(value).strip()
        if getattr(procedure, name) != value:
            before[name] = getattr(procedure, name)
            setattr(procedure, name, value)
    if not before:
        return procedure
    if "status" in before:
        if procedure.status == Procedure.Status.ACTIVE:
            procedure.abolished_by, procedure.abolished_on = None, None
        elif procedure.abolished_on is None:
            procedure.abolished_on = timezone.localdate()
    procedure.changed_on = timezone.localdate()
    _derive(procedure)
    _validate(procedure)
    procedure.save()
    audit.record(actor=user, action="update", obj=procedure, before=snap_before, after=_snap(procedure),
                 message="edited by an officer")
    ProcedureChange.objects.create(procedure=procedure, kind=Change.EDITED, date=timezone.localdate(),
                                   before=audit._jsonable(before), by=user)
    return procedure


@transaction.atomic
def procedure_create(*, unit, user, **fields) -> Procedure:
    """An entry typed by an officer (a procedure the decisions applied here do not list)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    procedure = Procedure(unit=unit, changed_on=timezone.localdate(),
                          **{k: nfc(v).strip() if isinstance(v, str) else v for k, v in fields.items()})
    _derive(procedure)
    _validate(procedure)
    procedure.save()
    audit.record(actor=user, action="create", obj=procedure, after=_snap(procedure), message="typed by an officer")
    ProcedureChange.objects.create(procedure=procedure, kind=Change.EDITED, date=timezone.localdate(), before={},
                                   by=user)
    return procedure


# ---------------------------------------------------------------- online-service figures

FIGURE_BOUND = Decimal(10_000_000)
FIGURE_BOUNDS = {
    "dossiers": bounds.Bound(gettext_lazy("Dossiers received"), Decimal(0), FIGURE_BOUND),
    "online": bounds.Bound(gettext_lazy("Dossiers received online"), Decimal(0), FIGURE_BOUND),
    "fully_online": bounds.Bound(gettext_lazy("Dossiers handled fully online"), Decimal(0), FIGURE_BOUND),
    "postal": bounds.Bound(gettext_lazy("Dossiers by public postal service"), Decimal(0), FIGURE_BOUND),
}
YEAR_BOUND = bounds.Bound(gettext_lazy("Year"), Decimal(2000), Decimal(2100), grouped=False)
MONTH_BOUND = bounds.Bound(gettext_lazy("Month"), Decimal(1), Decimal(12))


def figures_problems(*, year, month, dossiers, online, fully_online, postal) -> dict[str, str]:
    """{field: message} of what is wrong with one month's figures (bounds, then online ≤ received and
    fully online ≤ online, and not a month still to come); {} when they can be saved."""
    problems = {}
    for name, bound, value in (("year", YEAR_BOUND, year), ("month", MONTH_BOUND, month),
                               *((n, b, v) for (n, b), v in zip(FIGURE_BOUNDS.items(),
                                                                (dossiers, online, fully_online, postal)))):
        if value is None or value == "":
            if name in ("year", "month"):
                problems[name] = _("%(field)s is required.") % {"field": bound.label}
            continue
        if (message := bound.problem(value)) is not None:
            problems[name] = message
    if problems:
        return problems
    d, o, f, p = (int(v or 0) for v in (dossiers, online, fully_online, postal))
    if o > d:
        problems["online"] = _("Dossiers received online (%(online)s) cannot be more than the dossiers received "
                               "(%(all)s).") % {"online": bounds.vn_number(o), "all": bounds.vn_number(d)}
    if f > o:
        problems["fully_online"] = _("Dossiers handled fully online (%(full)s) cannot be more than those received "
                                     "online (%(online)s).") % {"full": bounds.vn_number(f), "online": bounds.vn_number(o)}
    if p > d:
        problems["postal"] = _("Dossiers by public postal service (%(postal)s) cannot be more than the dossiers "
                               "received (%(all)s).") % {"postal": bounds.vn_number(p), "all": bounds.vn_number(d)}
    today = timezone.localdate()
    if (int(year), int(month)) > (today.year, today.month):
        problems["month"] = _("%(month)02d/%(year)d has not come yet: enter a month's figures once it has begun.") % {
            "month": int(month), "year": int(year)}
    return problems


@transaction.atomic
def figures_save(*, user, unit, year: int, month: int, dossiers: int = 0, online: int = 0, fully_online: int = 0,
                 postal: int = 0, note: str = "") -> OnlineServiceFigure:
    """A unit's figures of one month, created or replaced (one row per unit and month)."""
    problems = figures_problems(year=year, month=month, dossiers=dossiers, online=online, fully_online=fully_online,
                                postal=postal)
    if problems:
        raise ProcedureError(" ".join(problems.values()), fields={k: [v] for k, v in problems.items()})
    values = {"dossiers": int(dossiers or 0), "online": int(online or 0), "fully_online": int(fully_online or 0),
              "postal": int(postal or 0), "note": _s(note, 500)}
    figure = OnlineServiceFigure.objects.select_for_update().filter(unit=unit, year=year, month=month).first()
    if figure is None:
        figure = OnlineServiceFigure(unit=unit, year=int(year), month=int(month), entered_by=user, **values)
        _validate(figure)
        figure.save()
        audit.record(actor=user, action="create", obj=figure, after=_snap(figure))
        return figure
    before = _snap(figure)
    for name, value in values.items():
        setattr(figure, name, value)
    figure.entered_by = user
    _validate(figure)
    if _snap(figure) != before:
        figure.save()
        audit.record(actor=user, action="update", obj=figure, before=before, after=_snap(figure))
    return figure


@transaction.atomic
def figures_delete(*, user, figure: OnlineServiceFigure) -> None:
    before = _snap(figure)
    figure.delete()
    audit.record(actor=user, action="delete", object_type=OnlineServiceFigure._meta.label_lower,
                 object_id=str(before.get("id")), object_repr=f"{before.get('month')}/{before.get('year')}",
                 unit_id=before.get("unit_id"), before=before)


def figures_template_xlsx(*, unit, year: int) -> bytes:
    from .spreadsheet import build_template

    return build_template(unit=unit, year=year, figures=list(selectors.figures_for_unit(unit, year=year)))


@dataclass
class FiguresImport:
    rows: int = 0
    saved: int = 0
    errors: list = field(default_factory=list)  # [(row number, message)]
    file_name: str = ""


def figures_import_xlsx(*, user, unit, file) -> FiguresImport:
    """Check every row of an uploaded template; save all months in one transaction, or none when any
    row has an error (each error with its row number and what to do)."""
    from .spreadsheet import SpreadsheetError, read_rows

    name = Path(getattr(file, "name", "") or "").name
    try:
        uploads.check_upload(file, allowed={".xlsx"})
    except uploads.UploadRefused as exc:
        raise ProcedureError(str(exc)) from exc
    try:
        rows, errors = read_rows(file)
    except SpreadsheetError as exc:
        raise ProcedureError(str(exc)) from exc
    result = FiguresImport(rows=len(rows), errors=list(errors), file_name=name)
    seen = {}
    for row in rows:
        problems = figures_problems(**{k: row[k] for k in ("year", "month", "dossiers", "online", "fully_online",
                                                              "postal")})
        if problems:
            result.errors.append((row["row"], " ".join(problems.values())))
        key = (row["year"], row["month"])
        if key in seen:
            result.errors.append((row["row"], _("The month %(month)s/%(year)s is already on row %(other)d.")
                                  % {"month": row["month"], "year": row["year"], "other": seen[key]}))
        seen[key] = row["row"]
    if result.errors or not rows:
        return result
    with transaction.atomic():
        for row in rows:
            figures_save(user=user, unit=unit, year=int(row["year"]), month=int(row["month"]),
                         dossiers=row["dossiers"] or 0, online=row["online"] or 0,
                         fully_online=row["fully_online"] or 0, postal=row["postal"] or 0, note=row.get("note") or "")
    result.saved = len(rows)
    return result


__all__ = [
    "AlreadyApplied", "ProcedureError", "UploadRefused", "decision_apply", "decision_discard", "decision_import",
    "decision_resolve", "decision_set_identity", "figures_delete", "figures_import_xlsx", "figures_problems",
    "figures_save", "figures_template_xlsx", "procedure_create", "procedure_search_text", "procedure_update",
    "read_decision",
]
