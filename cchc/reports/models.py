"""Periodic reports (báo cáo định kỳ): periods of a plan, unit reports and their workflow, reminders.

A plan asks its units to report for each `ReportingPeriod` (Q1, H1, Q3, Y by default). Each unit
that had tasks in the plan writes one `UnitReport` per period: its numbers are counted from the
outputs recorded in the period's data window (`ReportLine`), the unit writes the narrative and
submits; the supervisor accepts (locks) or returns it with comments. Every submit, return and
accept leaves a `ReportVersion`.

Reports are signed by the head of the unit, so by default (`Plan.report_submitter`) an officer drafts
and sends the report to the unit's manager (`PENDING`), who approves and submits it or sends it back;
a plan may let officers submit directly. A unit may recall what it submitted until the supervisor has
reviewed it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cchc.core import periods as period_rules
from cchc.core.models import TimeStampedModel
from cchc.org.models import Unit
from cchc.plans.models import Plan, Target, Task


class ReportingPeriod(TimeStampedModel):
    """A reporting period of a plan (kỳ báo cáo) with its data window and due date (hạn gửi)."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="reporting_periods")
    code = models.CharField(_("period"), max_length=4, db_index=True)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    start = models.DateField(_("data from"))
    end = models.DateField(_("data until"))
    due = models.DateField(_("due date"), db_index=True)
    rule_text = models.CharField(_("due rule as written"), max_length=500, blank=True, default="")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["plan", "year", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code", "year"], name="period_unique_plan_code_year"),
            models.CheckConstraint(condition=Q(start__lte=F("end")), name="period_start_before_end"),
        ]
        indexes = [models.Index(fields=["code", "year"])]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return period_rules.label(self.code, self.year)

    @property
    def audit_unit_id(self) -> int | None:
        return self.plan.owner_id

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.start and self.end and self.start > self.end:
            raise ValidationError({"end": _("The end of the data window must not be before its start.")})
        if self.code and self.code not in period_rules.ALL_CODES:
            raise ValidationError({"code": _("Unknown period code.")})


class UnitReport(TimeStampedModel):
    """A unit's report for one period (báo cáo của đơn vị)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PENDING = "pending", _("waiting for the unit manager's approval")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for changes")
        ACCEPTED = "accepted", _("accepted")

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="reports")
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="unit_reports")
    period = models.ForeignKey(ReportingPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="reports")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    results = models.TextField(_("results"), blank=True, default="")
    limitations = models.TextField(_("limitations and their causes"), blank=True, default="")
    proposals = models.TextField(_("proposals"), blank=True, default="")
    version = models.PositiveIntegerField(_("edit version"), default=1)
    submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("last submitted at"), null=True, blank=True)
    on_time = models.BooleanField(_("on time"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    counted_at = models.DateTimeField(_("numbers counted at"), null=True, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("The officer who sent the report on: a report sent back comes to them with the comments."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("last changed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("unit report")
        verbose_name_plural = _("unit reports")
        ordering = ["period", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="unitreport_unique_unit_period")]
        indexes = [models.Index(fields=["period", "status"])]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period}"

    @property
    def audit_unit_id(self) -> int | None:
        return self.unit_id

    @property
    def is_locked(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.SUBMITTED, self.Status.ACCEPTED)

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class ReportLine(models.Model):
    """The counted actual against one target (số liệu thực hiện chỉ tiêu): counted, never typed.
    `note` is the unit's only words on the line."""

    report = models.ForeignKey(UnitReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="lines")
    target = models.ForeignKey(Target, verbose_name=_("target"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    task = models.ForeignKey(Task, verbose_name=_("task"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    task_title = models.TextField(_("task"), blank=True, default="")
    task_status = models.CharField(_("task status"), max_length=12, blank=True, default="")
    task_progress = models.PositiveSmallIntegerField(_("task progress (%)"), default=0)
    target_text = models.CharField(_("target"), max_length=300, blank=True, default="")
    planned = models.DecimalField(_("planned"), max_digits=14, decimal_places=2, null=True, blank=True)
    quantity = models.DecimalField(_("done"), max_digits=16, decimal_places=2, default=0)
    people_reached = models.BigIntegerField(_("people reached"), default=0)
    records = models.PositiveIntegerField(_("outputs counted"), default=0)
    note = models.CharField(_("note"), max_length=1000, blank=True, default="")
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("report line")
        verbose_name_plural = _("report lines")
        ordering = ["report", "order", "id"]

    def __str__(self) -> str:
        return f"{self.target_text or self.task_title[:60]}: {self.quantity}"

    @property
    def task_status_label(self) -> str:
        """The task's status as the plans app names it (trạng thái nhiệm vụ); the stored value is the
        code, kept as it was when the numbers were counted."""
        try:
            return str(Task.Status(self.task_status).label)
        except ValueError:
            return self.task_status

    @property
    def percent(self) -> int | None:
        if not self.planned:
            return None
        return int(round(float(self.quantity) * 100 / float(self.planned)))

    @property
    def measured_progress(self) -> int | None:
        """The line's progress as its outputs measure it (tiến độ theo sản phẩm): done over planned,
        capped at 100 %, as the plan page reckons a task's; None without a planned figure."""
        from cchc.plans.targets import measured_progress

        return measured_progress([{"done": self.quantity, "planned": self.planned}])


class ReportAttachment(models.Model):
    """A file attached to a report (tài liệu kèm theo)."""

    report = models.ForeignKey(UnitReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["report", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def audit_unit_id(self) -> int | None:
        return self.report.unit_id


class ReportVersion(models.Model):
    """A step of the workflow with the report as it was (lịch sử báo cáo): who, when, what they said."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("submitted")
        RESUBMIT = "resubmit", _("submitted again")
        RETURN = "return", _("returned")
        ACCEPT = "accept", _("accepted")
        SEND = "send", _("sent to the unit's manager")
        SEND_BACK = "send_back", _("sent back by the unit's manager")
        RECALL = "recall", _("recalled by the unit")

    report = models.ForeignKey(UnitReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("number"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    snapshot = models.JSONField(_("content"))
    comment = models.TextField(_("comment"), blank=True, default="")
    token = models.CharField(_("submission key"), max_length=64, blank=True, default="")
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reportversion_unique_number"),
            # a retried submission carries the same key: the database keeps one
            models.UniqueConstraint(fields=["report", "token"], condition=~Q(token=""), name="reportversion_unique_token"),
        ]

    def __str__(self) -> str:
        return f"{self.report} #{self.number} {self.get_action_display()}"


class Notification(models.Model):
    """A message to a user inside the platform (thông báo)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(ReportingPeriod, verbose_name=_("period"), null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    message = models.CharField(_("message"), max_length=500)
    url = models.CharField(_("link"), max_length=300, blank=True, default="")
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.message


class ReminderLog(models.Model):
    """One reminder step sent for a unit and a period (đã nhắc): the constraint makes it once only."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(ReportingPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="reminders")
    step = models.SmallIntegerField(_("days from the due date"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.PositiveIntegerField(_("people reminded"), default=0)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [models.UniqueConstraint(fields=["unit", "period", "step"], name="reminder_once_per_step")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period} · {self.step:+d}"
