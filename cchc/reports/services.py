"""Writes of the reports app: periods, the report workflow, attachments. Each one atomic and audited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.core import audit
from cchc.core import periods as rules
from cchc.core.text import nfc
from cchc.org.models import Membership, Unit
from cchc.plans.models import Plan
from cchc.core import uploads

from . import selectors
from .models import Notification, ReportAttachment, ReportingPeriod, ReportLine, ReportVersion, UnitReport


class ReportError(Exception):
    """A refused action, with a message for the user."""


class ReportConflict(ReportError):
    """Someone saved the report since the form was opened. `current` is the report as saved now;
    `changes` lists (field, your value, their value)."""

    def __init__(self, message: str, *, current: UnitReport, changes: list[tuple[str, object, object]]):
        super().__init__(message)
        self.current = current
        self.changes = changes


NARRATIVE_FIELDS = ("results", "limitations", "proposals")
ATTACHMENT_TYPES = uploads.EVIDENCE_TYPES


def _validate(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        messages = [m for field_messages in exc.message_dict.values() for m in field_messages]
        raise ReportError(" ".join(messages)) from exc


# ---------------------------------------------------------------- periods

@transaction.atomic
def periods_generate(*, plan: Plan, user=None, year: int | None = None) -> list[ReportingPeriod]:
    """The plan's periods for its year from its reporting duty (Q1, H1, Q3, Y when it names none).
    Running it again adds only missing periods and never changes dates a supervisor set."""
    year = year or plan.plan_year or (plan.date.year if plan.date else timezone.localdate().year)
    existing = {p.code: p for p in ReportingPeriod.objects.filter(plan=plan, year=year)}
    try:
        wanted = rules.plan_periods(plan.reporting, year)
    except ValueError as exc:
        raise ReportError(_("The reporting duty of the plan names an unknown period: %(error)s") % {"error": exc})
    rule_text = ((plan.reporting or {}).get("text") or "")[:500]
    deadline_texts = {d.get("period"): d.get("text") for d in (plan.reporting or {}).get("deadlines") or [] if isinstance(d, dict)}
    created = []
    for order, dates in enumerate(wanted):
        if dates.code in existing:
            continue
        text = deadline_texts.get(dates.code) or deadline_texts.get("M" if dates.code.startswith("M") else "") or rule_text
        period = ReportingPeriod(plan=plan, code=dates.code, year=year, start=dates.start, end=dates.end, due=dates.due,
                                 rule_text=nfc(text or "")[:500], order=order)
        _validate(period)
        created.append(period)
    ReportingPeriod.objects.bulk_create(created)
    for period in created:
        audit.record(actor=user, action="create", obj=period)
    return list(ReportingPeriod.objects.filter(plan=plan, year=year).order_by("order", "id"))


@transaction.atomic
def period_update(*, period: ReportingPeriod, user, start: dt.date, end: dt.date, due: dt.date,
                  rule_text: str | None = None) -> ReportingPeriod:
    """A supervisor sets the data window and the due date of one period of a plan."""
    before = audit.snapshot(period)
    period.start, period.end, period.due = start, end, due
    if rule_text is not None:
        period.rule_text = nfc(rule_text).strip()[:500]
    _validate(period)
    period.save()
    # reports already submitted are judged again against the new due date
    for report in period.reports.exclude(submitted_at=None):
        on_time = rules.is_on_time(timezone.localdate(report.submitted_at), due)
        if report.on_time != on_time:
            UnitReport.objects.filter(pk=report.pk).update(on_time=on_time)
    audit.record(actor=user, action="update", obj=period, before=before)
    return period


# ---------------------------------------------------------------- opening and counting

def _write_lines(report: UnitReport) -> None:
    """Count the report's numbers again and keep the unit's notes on the lines that remain."""
    # a line keeps its id while its (target, task) stays: a note typed on the page still finds it
    existing = {(line.target_id, line.task_id): line for line in report.lines.all()}
    rows = selectors.report_actuals(unit=report.unit, period=report.period)
    kept, new = [], []
    for order, row in enumerate(rows):
        line = existing.pop((row["target_id"], row["task_id"]), None)
        if line is None:
            new.append(ReportLine(report=report, order=order, **row))
            continue
        for name, value in row.items():
            setattr(line, name, value)
        line.order = order
        kept.append(line)
    if existing:
        ReportLine.objects.filter(pk__in=[line.pk for line in existing.values()]).delete()
    if kept:
        ReportLine.objects.bulk_update(kept, [*rows[0].keys(), "order"])
    ReportLine.objects.bulk_create(new)
    UnitReport.objects.filter(pk=report.pk).update(counted_at=timezone.now())


@transaction.atomic
def report_open(*, unit: Unit, period: ReportingPeriod, user) -> UnitReport:
    """The unit's report for the period, created on first opening; while it can be edited its
    numbers are counted again from the outputs each time it opens."""
    report, created = UnitReport.objects.get_or_create(
        unit=unit, period=period, defaults={"plan_id": period.plan_id, "updated_by": user},
    )
    if created:
        audit.record(actor=user, action="create", obj=report)
    if report.is_editable:
        _write_lines(report)
    return report


@transaction.atomic
def report_refresh(*, report: UnitReport) -> UnitReport:
    if report.is_editable:
        _write_lines(report)
    return report


# ---------------------------------------------------------------- editing

def _conflict(report_id: int, submitted: dict) -> ReportConflict:
    current = UnitReport.objects.select_related("updated_by").get(pk=report_id)
    changes = [(name, value, getattr(current, name)) for name, value in submitted.items() if value != getattr(current, name)]
    who = str(current.updated_by) if current.updated_by else _("someone else")
    return ReportConflict(
        _("%(who)s saved this report while you were editing it (%(when)s). Their version is shown below; "
          "check it, then make your change again.")
        % {"who": who, "when": timezone.localtime(current.updated_at).strftime("%H:%M %d/%m/%Y")},
        current=current, changes=changes,
    )


@transaction.atomic
def report_update(*, report: UnitReport, user, version: int, notes: dict[int, str] | None = None, **fields) -> UnitReport:
    """Save the narrative (and notes per line). `version` is the report's version when the form was
    opened: if someone saved it since, ReportConflict carries their text and nothing is written."""
    if not report.is_editable:
        raise ReportError(_("This report is submitted or accepted and can no longer be changed."))
    unknown = set(fields) - set(NARRATIVE_FIELDS)
    if unknown:
        raise TypeError(f"unknown report fields: {sorted(unknown)}")
    values = {name: nfc(value or "").strip() for name, value in fields.items()}
    before = audit.snapshot(report)
    updated = UnitReport.objects.filter(pk=report.pk, version=version).update(
        version=F("version") + 1, updated_by=user, updated_at=timezone.now(), **values
    )
    if not updated:
        raise _conflict(report.pk, values)
    for line_id, note in (notes or {}).items():
        ReportLine.objects.filter(pk=line_id, report=report).update(note=nfc(note or "").strip()[:1000])
    report.refresh_from_db()
    audit.record(actor=user, action="update", obj=report, before=before)
    return report


@transaction.atomic
def report_attach(*, report: UnitReport, user, file) -> ReportAttachment:
    if not report.is_editable:
        raise ReportError(_("This report is submitted or accepted: files can no longer be added."))
    try:
        uploads.check_upload(file, allowed=ATTACHMENT_TYPES)
    except uploads.UploadRefused as exc:
        raise ReportError(str(exc)) from exc
    name = Path(file.name).name[:255]
    attachment = ReportAttachment(report=report, original_name=name, size=getattr(file, "size", 0) or 0, uploaded_by=user)
    attachment.file.save(name, file if isinstance(file, File) else ContentFile(file.read()), save=False)
    attachment.save()
    audit.record(actor=user, action="create", obj=attachment)
    return attachment


# ---------------------------------------------------------------- workflow

def _snapshot(report: UnitReport) -> dict:
    return {
        "status": report.status,
        **{name: getattr(report, name) for name in NARRATIVE_FIELDS},
        "lines": [
            {"target_id": line.target_id, "task_id": line.task_id, "task": line.task_title, "target": line.target_text,
             "planned": str(line.planned) if line.planned is not None else None, "done": str(line.quantity),
             "people_reached": line.people_reached, "records": line.records, "task_status": line.task_status,
             "note": line.note}
            for line in report.lines.all()
        ],
        "attachments": [a.original_name for a in report.attachments.all()],
    }


def _add_version(report: UnitReport, *, action: str, user, comment: str = "", token: str = "") -> ReportVersion:
    number = (report.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    return ReportVersion.objects.create(report=report, number=number, action=action, snapshot=_snapshot(report),
                                        comment=nfc(comment or "").strip(), token=token, created_by=user)


def _notify(users, *, report: UnitReport, message: str) -> None:
    """A note in the platform to each user (deduplicated), linking to the report."""
    from django.urls import reverse

    url = reverse("reports:detail", args=[report.pk])
    seen, notes = set(), []
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        notes.append(Notification(user=user, unit_id=report.unit_id, period_id=report.period_id, message=message[:500], url=url))
    Notification.objects.bulk_create(notes)


def _unit_managers(unit: Unit):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(memberships__unit=unit, memberships__is_active=True,
                                           memberships__role=Membership.Role.MANAGER, is_active=True).distinct()


def unit_has_manager(unit: Unit) -> bool:
    return _unit_managers(unit).exists()


def _locked_report(report: UnitReport) -> UnitReport:
    return UnitReport.objects.select_for_update().select_related("period", "unit", "plan").get(pk=report.pk)


def _step(report: UnitReport, *, user, before: dict, status: str, action: str, message: str, comment: str = "",
          token: str = "", taken: str | None = None) -> UnitReport:
    """One step of a report's way (send, send back, submit, recall, return, accept): its new status and
    version, saved, the version record and the audit record. With `taken` (the message when the form's
    key was used by a request that won the race) the version record is written in a savepoint."""
    report.status = status
    report.version += 1
    report.updated_by = user
    report.save()
    if taken is None:
        _add_version(report, action=action, user=user, comment=comment)
    else:
        try:
            with transaction.atomic():
                _add_version(report, action=action, user=user, token=token, comment=comment)
        except IntegrityError:  # the same key won a race in another request
            raise ReportError(taken) from None
    audit.record(actor=user, action="update", obj=report, before=before, message=message)
    return report


@transaction.atomic
def report_send(*, report: UnitReport, user, token: str = "") -> UnitReport:
    """An officer sends the report to the unit's manager (trình lãnh đạo đơn vị), who approves and
    submits it or sends it back; the numbers are counted again and frozen while it waits."""
    report = _locked_report(report)
    token = (token or "")[:64]
    if token and report.versions.filter(token=token).exists():
        return report
    if not report.is_editable:
        raise ReportError(_("This report was already sent on; it can be changed again only if it is sent back."))
    before = audit.snapshot(report)
    _write_lines(report)
    report.drafted_by = user
    _step(report, user=user, before=before, status=UnitReport.Status.PENDING, action=ReportVersion.Action.SEND,
          message="sent to the unit's manager", token=token, taken=_("This report was already sent on."))
    _notify(_unit_managers(report.unit), report=report,
            message=_("%(unit)s: the report %(period)s waits for your approval.")
            % {"unit": report.unit.name, "period": report.period.label})
    return report


@transaction.atomic
def report_send_back(*, report: UnitReport, user, comment: str) -> UnitReport:
    """The unit's manager sends a report waiting for approval back to the officer who drafted it."""
    report = _locked_report(report)
    if report.status != UnitReport.Status.PENDING:
        raise ReportError(_("Only a report waiting for approval can be sent back."))
    comment = nfc(comment or "").strip()
    if not comment:
        raise ReportError(_("Write what the officer should change before sending the report back."))
    before = audit.snapshot(report)
    _step(report, user=user, before=before, status=UnitReport.Status.RETURNED,
          action=ReportVersion.Action.SEND_BACK, comment=comment, message=f"sent back: {comment[:400]}")
    _notify([report.drafted_by], report=report,
            message=_("%(unit)s: the report %(period)s was sent back with comments.")
            % {"unit": report.unit.name, "period": report.period.label})
    return report


@transaction.atomic
def report_submit(*, report: UnitReport, user, token: str = "", now: dt.datetime | None = None) -> UnitReport:
    """Submit to the supervisor (or submit again after a return). A report waiting for the unit
    manager's approval is approved by this step. `token` is the key the form was opened with: a double
    click or a retry with the same key returns the first submission and writes nothing."""
    report = _locked_report(report)
    token = (token or "")[:64]
    if token and report.versions.filter(token=token).exists():
        return report
    approving = report.status == UnitReport.Status.PENDING
    if not (report.is_editable or approving):
        raise ReportError(_("This report was already submitted; it can be changed again only if the supervisor returns it."))
    before = audit.snapshot(report)
    if not approving:  # a report waiting for approval keeps the numbers its officer sent
        _write_lines(report)
    now = now or timezone.now()
    resubmit = report.submitted_at is not None
    report.last_submitted_at = now
    if not resubmit:
        # timeliness is judged on the first submission: a report returned for fixes was still sent on time
        report.submitted_at = now
        report.on_time = rules.is_on_time(timezone.localtime(now).date(), report.period.due)
    if report.drafted_by_id is None:
        report.drafted_by = user
    return _step(report, user=user, before=before, status=UnitReport.Status.SUBMITTED,
                 action=ReportVersion.Action.RESUBMIT if resubmit else ReportVersion.Action.SUBMIT,
                 comment=_("Approved by the unit's manager.") if approving else "",
                 message="approved and submitted" if approving else "submitted",
                 token=token, taken=_("This report was already submitted."))


@transaction.atomic
def report_recall(*, report: UnitReport, user) -> UnitReport:
    """The unit takes back what it sent while nobody has acted on it yet: a submitted report until
    the supervisor accepts or returns it, a report waiting for its manager until the manager acts.
    A first submission taken back was never sent, so the next one is judged for timeliness."""
    report = _locked_report(report)
    if report.status not in (UnitReport.Status.SUBMITTED, UnitReport.Status.PENDING):
        raise ReportError(_("Only a report that nobody has reviewed yet can be recalled."))
    before = audit.snapshot(report)
    was_submitted = report.status == UnitReport.Status.SUBMITTED
    if was_submitted and not report.versions.filter(action=ReportVersion.Action.RETURN).exists():
        report.submitted_at = report.last_submitted_at = None
        report.on_time = None
    return _step(report, user=user, before=before, status=UnitReport.Status.DRAFT,
                 action=ReportVersion.Action.RECALL, message="recalled")


@transaction.atomic
def report_return(*, report: UnitReport, user, comment: str) -> UnitReport:
    """Send a submitted report back to the unit with the supervisor's comments (required); the officer
    who drafted it and the unit's managers are told."""
    report = _locked_report(report)
    if report.status != UnitReport.Status.SUBMITTED:
        raise ReportError(_("Only a submitted report can be returned."))
    comment = nfc(comment or "").strip()
    if not comment:
        raise ReportError(_("Write what the unit should change before returning the report."))
    before = audit.snapshot(report)
    _step(report, user=user, before=before, status=UnitReport.Status.RETURNED,
          action=ReportVersion.Action.RETURN, comment=comment, message=f"returned: {comment[:400]}")
    _notify([report.drafted_by, *_unit_managers(report.unit)], report=report,
            message=_("%(unit)s: the report %(period)s was returned by the supervisor with comments.")
            % {"unit": report.unit.name, "period": report.period.label})
    return report


@transaction.atomic
def report_accept(*, report: UnitReport, user, comment: str = "") -> UnitReport:
    report = _locked_report(report)
    if report.status != UnitReport.Status.SUBMITTED:
        raise ReportError(_("Only a submitted report can be accepted."))
    before = audit.snapshot(report)
    report.accepted_at = timezone.now()
    return _step(report, user=user, before=before, status=UnitReport.Status.ACCEPTED,
                 action=ReportVersion.Action.ACCEPT, comment=comment, message="accepted")
