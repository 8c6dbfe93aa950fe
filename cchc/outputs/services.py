"""Every write to outputs goes through these functions: keyword-only, atomic, validated, audited.

People record outputs by hand (`output_record_create`) or many at once from the spreadsheet template
(`output_records_import_xlsx`: every row is checked first and nothing is saved if any row is wrong).
Platform modules record theirs through `output_record_from_source` (an idempotent upsert keyed by
the module's registry key and its own reference) and take them back with `output_record_withdraw`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.core import audit, bounds, registry, uploads
from cchc.core.text import fold, nfc
from cchc.org.models import Unit
from cchc.plans.models import Target, Task

from . import selectors
from .catalogue import (DEFAULT_LANGUAGE, LANGUAGE_BY_CODE, compatible_codes, target_counts_people,
                        whole_quantity_problem)
from .models import OutputRecord, OutputType

EVIDENCE_TYPES = {".pdf", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".docx", ".xlsx"}
_EDITABLE = ("output_type", "date", "title", "channel", "language", "quantity", "people_reached", "cost", "link",
             "task", "target")


class OutputError(Exception):
    """A record that cannot be saved; the message says what is wrong and what to do.
    `fields` maps a field name to its messages when the problem is in one field."""

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.fields = fields or {}


class UnknownSource(OutputError):
    pass


@dataclass
class RowError:
    """A problem in one cell of an uploaded spreadsheet (row as numbered in the spreadsheet)."""

    row: int
    column: str  # column letter, e.g. "A"
    header: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_name: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


# ---------------------------------------------------------------- helpers

def _snap(record: OutputRecord) -> dict:
    data = audit.snapshot(record, exclude=("created_at", "updated_at", "search_text"))
    data["evidence"] = record.evidence.name or None
    return data


def _search_text(record: OutputRecord) -> str:
    output_type = record.output_type
    return fold(" ".join([record.title, record.channel, output_type.name, str(output_type.label), output_type.code]))


def _quantity(value) -> Decimal | None:
    if value is None:
        return None
    if (message := bounds.OUTPUT_QUANTITY.problem(value)) is not None:
        raise OutputError(message, fields={"quantity": [message]})
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _output_type(value) -> OutputType:
    if isinstance(value, OutputType):
        return value
    found = OutputType.objects.filter(code=str(value or "").strip()).first()
    if found is None:
        raise OutputError(_("“%(code)s” is not an output type of the catalogue.") % {"code": value},
                          fields={"output_type": [_("Choose an output type from the list.")]})
    return found


def check_evidence(upload) -> None:
    """Refuse an evidence file of another type or over the size limit (name, size and first bytes)."""
    try:
        uploads.check_upload(upload, allowed=EVIDENCE_TYPES)
    except uploads.UploadRefused as exc:
        raise OutputError(str(exc), fields={"evidence": [str(exc)]}) from exc


def _attach_evidence(record: OutputRecord, upload) -> None:
    check_evidence(upload)
    name = Path(upload.name).name
    record.evidence.save(name, upload if isinstance(upload, File) else ContentFile(upload.read()), save=False)
    record.evidence_name = name[:255]


def _auto_target(task: Task, output_type: OutputType, *, table: dict | None = None) -> Target | None:
    """The one target of `task` that an output of this type serves, when there is exactly one: the
    one whose counted thing the type's own words name, or else the one the compatibility table lets it
    count toward (a TV report recorded for a task of "4 bài")."""
    table = selectors.compatibility_table() if table is None else table
    things = [t for t in task.targets.all() if not target_counts_people(t.unit)]
    for fits in (lambda t: selectors.suggest_type(target=t, task=task) == output_type.code,
                 lambda t: (codes := compatible_codes(t.unit, table)) is not None and output_type.code in codes):
        fitting = [t for t in things if fits(t)]
        if fitting:
            return fitting[0] if len(fitting) == 1 else None
    # a class for a task whose only target is in people ("200 lượt người"): its people count there
    people = [t for t in task.targets.all() if target_counts_people(t.unit)]
    if output_type.counts_people and not things and len(people) == 1:
        return people[0]
    return None


def _check_compatible(output_type: OutputType, target: Target | None) -> None:
    """Refuse an output recorded against a target it cannot count toward (a leaflet against "4 bài",
    an article against "40 người"), saying which types can."""
    if target is None:
        return
    if target_counts_people(target.unit):
        if not output_type.counts_people:
            message = _("The target “%(target)s” counts people: record the class, conference or contest with "
                        "the number of people reached.") % {"target": target.label}
            raise OutputError(message, fields={"output_type": [message]})
        return
    codes = compatible_codes(target.unit, selectors.compatibility_table())
    if codes is not None and output_type.code not in codes:
        names = ", ".join(str(t.label) for t in OutputType.objects.filter(code__in=codes).order_by("order"))
        message = _("“%(type)s” does not count toward the target “%(target)s”, which counts: %(types)s. Choose one "
                    "of these types or another target.") % {"type": output_type.label, "target": target.label,
                                                             "types": names}
        raise OutputError(message, fields={"output_type": [message]})


def _check_task(unit: Unit, task: Task | None, target: Target | None) -> tuple[Task | None, Target | None]:
    if target is not None and task is None:
        task = target.task
    if task is not None and task.pk not in {t.pk for t in selectors.assigned_tasks(unit, hide_copied=False)}:
        raise OutputError(
            _("This task is not one of the tasks of %(unit)s in an issued plan. Choose one of the unit's tasks.")
            % {"unit": unit.name}, fields={"task": [_("Choose one of the unit's tasks.")]})
    return task, target


_BOUNDS = {"quantity": bounds.OUTPUT_QUANTITY, "people_reached": bounds.PEOPLE, "cost": bounds.COST}


def date_problem(day: dt.date | None, task: Task | None, *, today: dt.date | None = None) -> str | None:
    """Why an output cannot be dated `day`: in the future, or outside the years of the plan of the task
    it serves (from 1 December of the year before, which holds the start of the first report's data
    window under Nghị định 09/2019, to the end of the plan year or of the task, whichever is later);
    None when it can."""
    if day is None:
        return None
    today = today or timezone.localdate()
    if day > today:
        return _("%(day)s is in the future: record an output once it has been published or held.") % {
            "day": day.strftime("%d/%m/%Y")}
    year = task.plan.plan_year if task is not None else None
    if year:
        first = dt.date(year - 1, 12, 1)
        last = dt.date(max(year, task.end.year if task.end else year), 12, 31)
        if not first <= day <= last:
            return _("%(day)s is outside the years of the plan (%(first)s – %(last)s): choose the plan of that "
                     "year or correct the date.") % {"day": day.strftime("%d/%m/%Y"),
                                                     "first": first.strftime("%d/%m/%Y"),
                                                     "last": last.strftime("%d/%m/%Y")}
    return None


def _validate(record: OutputRecord, *, check_date: bool = True) -> None:
    problems = {name: [message] for name, bound in _BOUNDS.items()
                if (message := bound.problem(getattr(record, name))) is not None}
    if "quantity" not in problems and (
            message := whole_quantity_problem(record.output_type.measure, record.quantity)) is not None:
        problems["quantity"] = [message]
    if check_date and (message := date_problem(record.date, record.task)) is not None:
        problems["date"] = [message]
    if problems:
        raise OutputError(" ".join(m for msgs in problems.values() for m in msgs), fields=problems)
    if record.unit.valid_to and record.date and record.date > record.unit.valid_to:
        raise OutputError(
            _("%(unit)s was closed on %(day)s: record this output for the unit that took over its work.")
            % {"unit": record.unit.name, "day": record.unit.valid_to.strftime("%d/%m/%Y")})
    if record.language not in LANGUAGE_BY_CODE:
        raise OutputError(_("Choose a language from the list."), fields={"language": [_("Choose a language from the list.")]})
    try:
        record.full_clean(exclude=["evidence"])
    except ValidationError as exc:
        fields = exc.message_dict
        raise OutputError(" ".join(m for msgs in fields.values() for m in msgs), fields=fields) from exc


# ---------------------------------------------------------------- by hand

@transaction.atomic
def output_record_create(
    *, user, unit: Unit, output_type, date: dt.date, quantity=1, title: str = "", channel: str = "",
    language: str = DEFAULT_LANGUAGE, people_reached: int | None = None, cost=None, link: str = "",
    evidence=None, task: Task | None = None, target: Target | None = None,
    source: str = OutputRecord.SOURCE_MANUAL, source_ref: str = "",
) -> OutputRecord:
    output_type = _output_type(output_type)
    task, target = _check_task(unit, task, target)
    if task is not None and target is None:
        target = _auto_target(task, output_type)
    _check_compatible(output_type, target)
    record = OutputRecord(
        unit=unit, task=task, target=target, output_type=output_type, date=date,
        quantity=_quantity(quantity), title=nfc(title or "").strip(),
        channel=nfc(channel or "").strip(), language=language or DEFAULT_LANGUAGE, people_reached=people_reached,
        cost=cost, link=(link or "").strip(), source=source, source_ref=source_ref or "", created_by=user,
    )
    _validate(record)
    if evidence:
        _attach_evidence(record, evidence)
    record.search_text = _search_text(record)
    record.save()
    audit.record(actor=user, action="create", obj=record, after=_snap(record))
    return record


@transaction.atomic
def output_record_update(*, record: OutputRecord, user, evidence=None, remove_evidence: bool = False,
                         **fields) -> OutputRecord:
    unknown = set(fields) - set(_EDITABLE)
    if unknown:
        raise TypeError(f"output_record_update() does not change {', '.join(sorted(unknown))}")
    record = OutputRecord.objects.select_for_update().select_related("unit", "output_type").get(pk=record.pk)
    before = _snap(record)
    if "output_type" in fields:
        fields["output_type"] = _output_type(fields["output_type"])
    if "task" in fields or "target" in fields:
        task, target = _check_task(record.unit, fields.get("task", record.task), fields.get("target", record.target))
        fields["task"], fields["target"] = task, target
    for name in ("title", "channel"):
        if name in fields:
            fields[name] = nfc(fields[name] or "").strip()
    if "quantity" in fields and fields["quantity"] is not None:
        fields["quantity"] = _quantity(fields["quantity"])
    was = (record.date, record.task_id)
    for name, value in fields.items():
        setattr(record, name, value)
    record.language = record.language or DEFAULT_LANGUAGE
    if "output_type" in fields or "target" in fields:
        _check_compatible(record.output_type, record.target)
    # a record saved before dates were checked keeps its date while other fields are corrected
    _validate(record, check_date=(record.date, record.task_id) != was)
    if remove_evidence and record.evidence:
        record.evidence.delete(save=False)
        record.evidence_name = ""
    if evidence:
        _attach_evidence(record, evidence)
    record.search_text = _search_text(record)
    record.save()
    audit.record(actor=user, action="update", obj=record, before=before, after=_snap(record))
    return record


@transaction.atomic
def output_record_delete(*, record: OutputRecord, user) -> None:
    before = _snap(record)
    audit.record(actor=user, action="delete", obj=record, before=before)
    if record.evidence:
        name, storage = record.evidence.name, record.evidence.storage
        transaction.on_commit(lambda: storage.delete(name))
    record.delete()


# ---------------------------------------------------------------- spreadsheet

def output_template_xlsx(*, unit: Unit) -> bytes:
    """The .xlsx a unit fills in: the data sheet (header, an example row, dd/mm/yyyy date cells, lists
    to choose from) and a sheet listing output types, languages and the unit's tasks and targets."""
    from .spreadsheet import build_template

    return build_template(unit=unit, tasks=selectors.assigned_tasks(unit), types=list(selectors.active_output_types()))


def output_records_import_xlsx(*, user, unit: Unit, file) -> ImportResult:
    """Check every row of an uploaded template; save all rows in one transaction, or none when any
    row has an error (each error with its row, column and what to do)."""
    from .spreadsheet import SpreadsheetError, read_rows

    name = Path(getattr(file, "name", "") or "").name
    try:
        uploads.check_upload(file, allowed={".xlsx"})
    except uploads.UploadRefused as exc:
        raise OutputError(str(exc)) from exc
    tasks = selectors.assigned_tasks(unit, hide_copied=False)
    types = list(OutputType.objects.all())
    try:
        rows, errors = read_rows(file, unit=unit, tasks=tasks, types=types)
    except SpreadsheetError as exc:
        raise OutputError(str(exc)) from exc
    result = ImportResult(rows=len(rows), errors=errors, file_name=name)
    if errors or not rows:
        return result
    by_task = {t.pk: t for t in tasks}
    table = selectors.compatibility_table()
    records = []
    for row in rows:
        task, target = row.get("task"), row.get("target")
        if task is not None and target is None:
            target = _auto_target(by_task[task.pk], row["output_type"], table=table)
        if (problem := date_problem(row["date"], task)) is not None:
            result.errors.append(RowError(row=row["row"], column="A", header="", message=problem))
            continue
        if target is not None and not selectors.type_counts_toward(target.unit, row["output_type"].code, table=table):
            result.errors.append(RowError(row=row["row"], column="B", header="", message=_(
                "“%(type)s” does not count toward the target “%(target)s”: choose another type or target.")
                % {"type": row["output_type"].label, "target": target.label}))
            continue
        record = OutputRecord(
            unit=unit, task=task, target=target, output_type=row["output_type"], date=row["date"],
            quantity=row["quantity"], title=row["title"], channel=row["channel"], language=row["language"],
            people_reached=row["people_reached"], cost=row["cost"], link=row["link"],
            source=OutputRecord.SOURCE_SPREADSHEET, created_by=user,
        )
        record.search_text = _search_text(record)
        records.append(record)
    if result.errors:
        return result
    if unit.valid_to:
        late = [r for r in rows if r["date"] > unit.valid_to]
        if late:
            result.errors = [RowError(row=r["row"], column="A", header="", message=_(
                "%(unit)s was closed on %(day)s: this output belongs to the unit that took over its work.")
                % {"unit": unit.name, "day": unit.valid_to.strftime("%d/%m/%Y")}) for r in late]
            return result
    with transaction.atomic():
        created = OutputRecord.objects.bulk_create(records, batch_size=500)
        audit.record(
            actor=user, action="create", object_type=OutputRecord._meta.label_lower, object_id="",
            object_repr=_("%(n)d output records from %(file)s") % {"n": len(created), "file": name},
            unit_id=unit.pk, after={"file": name, "count": len(created), "ids": [r.pk for r in created][:1000]},
            message=f"spreadsheet import: {len(created)} records",
        )
    result.created = len(created)
    return result


# ---------------------------------------------------------------- platform modules (registry)

def _registered(source: str) -> registry.OutputSource:
    found = registry.output_sources.get(source)
    if found is None:
        raise UnknownSource(
            f"'{source}' is not a registered output source: register it with "
            "cchc.core.registry.output_sources.register(OutputSource(...)) in the module's AppConfig.ready()."
        )
    return found


def output_record_from_source(
    *, source: str, source_ref: str, unit: Unit, output_type: str, date: dt.date, quantity=1, title: str = "",
    link: str = "", people_reached: int | None = None, task: Task | None = None, target: Target | None = None,
) -> OutputRecord:
    """Record (or bring up to date) what a platform module counted: one record per (source, source_ref),
    however many times the module calls. An empty `output_type` means the source's declared type."""
    spec = _registered(source)
    source_ref = str(source_ref or "").strip()
    if not source_ref:
        raise OutputError("source_ref is required: it is how the module's record is found again.")
    output_type = _output_type(output_type or spec.output_type)
    if target is not None and task is None:
        task = target.task
    values = {
        "unit": unit, "output_type": output_type, "date": date, "quantity": _quantity(quantity),
        "title": nfc(title or "").strip()[:500], "link": (link or "").strip(), "people_reached": people_reached,
        "task": task, "target": target, "withdrawn_at": None,
    }
    for attempt in range(2):
        try:
            with transaction.atomic():
                record = OutputRecord.objects.select_for_update().filter(source=source, source_ref=source_ref).first()
                if record is None:
                    record = OutputRecord(source=source, source_ref=source_ref, **values)
                    _validate(record)
                    record.search_text = _search_text(record)
                    record.save()
                    audit.record(action="create", obj=record, after=_snap(record), message=f"from {source}")
                    return record
                before = _snap(record)
                for name, value in values.items():
                    setattr(record, name, value)
                _validate(record)
                record.search_text = _search_text(record)
                after = _snap(record)
                if after != before:
                    record.save()
                    audit.record(action="update", obj=record, before=before, after=after, message=f"from {source}")
                return record
        except IntegrityError:
            # Two calls for the same thing at once: the other one created it; update it instead.
            if attempt:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def output_record_withdraw(*, source: str, source_ref: str) -> bool:
    """Stop counting what a module recorded (an article unpublished). Returns whether a counted
    record was withdrawn; recording it again from the source counts it again."""
    _registered(source)
    record = OutputRecord.objects.select_for_update().filter(source=source, source_ref=str(source_ref)).first()
    if record is None or record.withdrawn_at is not None:
        return False
    before = _snap(record)
    record.withdrawn_at = timezone.now()
    record.save(update_fields=["withdrawn_at", "updated_at"])
    audit.record(action="update", obj=record, before=before, after=_snap(record), message=f"withdrawn by {source}")
    return True
