"""Plans (kế hoạch), their sections, tasks (nhiệm vụ), targets (chỉ tiêu) and assignments (phân công).

A plan belongs to one unit (its owner). A plan issued by a province is carried out by departments
and communes, each through a child plan (`parent`) whose tasks point to the parent's tasks
(`Task.parent_task`). An issued plan is locked: a change after issue snapshots it into a
`PlanVersion` and reopens it as the next version.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cchc.core.fields import TolerantDecimalField
from cchc.core.models import TimeStampedModel
from cchc.core.text import fold
from cchc.org.models import Unit


class Plan(TimeStampedModel):
    """A plan or the decision that issues it (Kế hoạch / Quyết định ban hành kế hoạch)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ISSUED = "issued", _("issued")
        CLOSED = "closed", _("closed")

    class ReportSubmitter(models.TextChoices):
        """Who sends a unit's report for this plan to the supervisor (quy trình gửi báo cáo)."""

        MANAGER = "manager", _("the unit's manager approves and submits what officers draft")
        OFFICER = "officer", _("officers submit directly")

    owner = models.ForeignKey(Unit, verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="plans")
    kind = models.CharField(_("document type"), max_length=20, default="KH")
    number = models.CharField(_("number and symbol"), max_length=64, blank=True, default="")
    symbol = models.CharField(_("symbol"), max_length=64, blank=True, default="")
    title = models.CharField(_("title"), max_length=500)
    plan_year = models.PositiveSmallIntegerField(_("plan year"), null=True, blank=True)
    date = models.DateField(_("date of issue"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True, default="")
    issuer = models.CharField(_("issuing body"), max_length=300, blank=True, default="")
    signer_name = models.CharField(_("signed by"), max_length=150, blank=True, default="")
    signer_position = models.CharField(_("signer's position"), max_length=150, blank=True, default="")
    signer_authority = models.CharField(_("signing authority"), max_length=150, blank=True, default="")
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    references = models.JSONField(_("references"), default=list, blank=True)
    funding = models.JSONField(_("funding sources"), default=list, blank=True)
    reporting = models.JSONField(
        _("reporting duty"), default=dict, blank=True,
        help_text=_("Periods, due rules and recipient of the reports this plan asks for."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    issued_at = models.DateTimeField(_("first issued at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent plan"), null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    report_submitter = models.CharField(
        _("who submits the units' reports"), max_length=10, choices=ReportSubmitter.choices,
        default=ReportSubmitter.MANAGER,
        help_text=_("Reports are signed by the head of the unit: by default officers draft and the unit's manager "
                    "approves and submits."),
    )
    source_file = models.FileField(_("original document"), upload_to="plans/sources/%Y/", blank=True)
    source_name = models.CharField(_("original file name"), max_length=255, blank=True, default="")
    source_sha256 = models.CharField(_("SHA-256 of the original"), max_length=64, blank=True, default="", db_index=True)
    raw = models.JSONField(_("parsed document"), null=True, blank=True, editable=False)
    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-plan_year", "-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "number"], condition=~Q(number=""), name="plan_unique_owner_number"
            ),
            # a unit carries out a parent plan through one child plan (kế hoạch triển khai)
            models.UniqueConstraint(
                fields=["parent", "owner"], condition=Q(parent__isnull=False), name="plan_unique_child_per_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip() if self.number else self.title

    @property
    def audit_unit_id(self) -> int | None:
        return self.owner_id

    @property
    def is_locked(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def was_issued(self) -> bool:
        return self.issued_at is not None


class Section(models.Model):
    """A heading of the plan (mục): I., 1., a) ... with its own text."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self", verbose_name=_("parent section"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    number = models.CharField(_("number"), max_length=20, blank=True, default="")
    heading = models.CharField(_("heading"), max_length=500)
    text = models.TextField(_("text"), blank=True, default="")
    order = models.PositiveIntegerField(_("order"), default=0)
    path = models.CharField(_("number path"), max_length=100, blank=True, default="")
    depth = models.PositiveSmallIntegerField(_("depth"), default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["plan", "order", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """Its number and heading, said once when they are the same words ("Phụ lục" numbering a
        heading "PHỤ LỤC" reads "PHỤ LỤC", not "Phụ lục PHỤ LỤC")."""
        if fold(self.number).strip(" .;:") == fold(self.heading).strip(" .;:"):
            return self.heading
        return f"{self.number} {self.heading}".strip()

    @property
    def audit_unit_id(self) -> int | None:
        return self.plan.owner_id


class TaskQuerySet(models.QuerySet):
    def overdue(self, today: dt.date | None = None) -> "TaskQuerySet":
        today = today or dt.date.today()
        return self.filter(end__lt=today).exclude(status=Task.Status.DONE)


class Task(TimeStampedModel):
    """A task (nhiệm vụ) of a plan, with its timeframe (thời gian thực hiện) and tracking."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("not started")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")

    class Recurrence(models.TextChoices):
        ONCE = "once", _("once")
        CONTINUOUS = "continuous", _("continuous")
        WEEKLY = "weekly", _("every week")
        MONTHLY = "monthly", _("every month")
        QUARTERLY = "quarterly", _("every quarter")
        YEARLY = "yearly", _("every year")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(
        Section, verbose_name=_("section"), null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.TextField(_("task"))
    text = models.TextField(_("full text"), blank=True, default="")
    forms = models.JSONField(_("forms"), default=list, blank=True)
    funding = models.CharField(_("funding"), max_length=500, blank=True, default="")
    timeframe_text = models.CharField(_("timeframe as written"), max_length=300, blank=True, default="")
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    recurrence = models.CharField(_("recurrence"), max_length=12, choices=Recurrence.choices, blank=True, default="")
    source_section = models.CharField(_("section in the document"), max_length=100, blank=True, default="")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED, db_index=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    parent_task = models.ForeignKey(
        "self", verbose_name=_("task of the parent plan"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="copies",
    )
    version = models.PositiveIntegerField(_("edit version"), default=1)
    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("last changed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__gte=0) & Q(progress__lte=100), name="task_progress_0_100"),
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(start__lte=F("end")),
                name="task_start_before_end",
            ),
        ]

    def __str__(self) -> str:
        return self.title[:120]

    @property
    def audit_unit_id(self) -> int | None:
        return self.plan.owner_id

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or dt.date.today()
        return self.end is not None and self.end < today and self.status != self.Status.DONE

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.start and self.end and self.start > self.end:
            raise ValidationError({"end": _("The end date must not be before the start date.")})


class Target(models.Model):
    """A quantitative target (chỉ tiêu) of a task: '10 lớp', '4 bài/quý', 'ít nhất 04 tin, bài mỗi tháng'.

    A target with a rate (`per`) expects its quantity every week, month, quarter or year of the task's
    timeframe (`cchc.plans.targets`). A *soft* target is one the document implies by a recurrence
    without a count ("hằng tuần": once a week). `languages` restricts what counts to outputs in those
    languages: names as the document writes them ("Tày", "Mông", "Pà Thẻn"), or "dân tộc" for any
    ethnic-minority language (any but Vietnamese).
    """

    class Per(models.TextChoices):
        WEEK = "week", _("per week")
        MONTH = "month", _("per month")
        QUARTER = "quarter", _("per quarter")
        YEAR = "year", _("per year")

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="targets")
    # read back whatever an older version wrote (a too-wide number shows as such, not as a server error)
    quantity = TolerantDecimalField(_("quantity"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("counted thing"), max_length=100)
    per = models.CharField(_("rate period"), max_length=10, choices=Per.choices, blank=True, default="")
    at_least = models.BooleanField(_("at least"), default=False)
    text = models.CharField(_("as written"), max_length=300, blank=True, default="")
    soft = models.BooleanField(
        _("implied by a recurrence"), default=False,
        help_text=_("The plan states how often (every week, every quarter) but no number: once per period."),
    )
    languages = models.JSONField(
        _("languages"), default=list, blank=True,
        help_text=_("Only outputs in these languages count; “dân tộc” means any ethnic-minority language."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["task", "order", "id"]

    def __str__(self) -> str:
        qty = self.quantity.normalize() if self.quantity == self.quantity.to_integral() else self.quantity
        text = f"{int(qty) if qty == int(qty) else qty} {self.unit}"
        if self.per:
            text += f"/{self.get_per_display()}"
        return text

    @property
    def label(self) -> str:
        """The target as the document writes it, with what the words alone do not say: the count a
        recurrence implies ("hằng tuần: 1 lần/mỗi tuần") and the languages it counts."""
        from .targets import languages_label

        text = self.text or str(self)
        if self.soft and self.text:
            text = f"{self.text}: {self}"
        languages = languages_label(self.languages)
        folded = text.casefold()
        if languages and not all(str(name).casefold() in folded for name in self.languages):
            text = _("%(target)s in %(languages)s") % {"target": text, "languages": languages}
        return text


class Assignment(models.Model):
    """A unit named for a task as lead (chủ trì) or coordinating (phối hợp) agency.

    `phrase` keeps the words of the document; a phrase that names a group ('UBND các xã') gives one
    row per unit of the group; a phrase that did not resolve is kept with no unit so that it is not lost.
    """

    class Role(models.TextChoices):
        LEAD = "lead", _("lead")
        SUPPORT = "support", _("coordinating")

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="plan_assignments"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, db_index=True)
    phrase = models.CharField(_("as written"), max_length=300, blank=True, default="")
    is_group = models.BooleanField(_("part of a group"), default=False)
    confidence = models.FloatField(_("confidence"), default=1.0)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["task", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "unit", "role"], condition=Q(unit__isnull=False), name="assignment_unique_task_unit_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.unit or self.phrase}"

    @property
    def audit_unit_id(self) -> int | None:
        return self.unit_id


class TaskNote(models.Model):
    """What a unit writes about its part of a task (ghi chú), one per unit and task.

    A task of a province plan is carried out by many units: each keeps its own note, seen by the
    unit, the units above it and the plan's owner (`permissions.sees_unit_work`), not by its siblings.
    """

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="unit_notes")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("notes"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("last changed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("task note")
        verbose_name_plural = _("task notes")
        ordering = ["task", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="tasknote_unique_task_unit")]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def audit_unit_id(self) -> int | None:
        return self.unit_id


class TaskEvidence(models.Model):
    """A file that shows a task was done (minh chứng), kept for the unit the uploader acted for:
    seen by that unit, the units above it and the plan's owner, not by its siblings."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="evidence")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("file"), upload_to="plans/evidence/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    note = models.CharField(_("note"), max_length=500, blank=True, default="")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["task", "-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def audit_unit_id(self) -> int | None:
        return self.unit_id


class PlanVersion(models.Model):
    """The content of an issued plan as it was before a change made its next version."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("content"))
    note = models.CharField(_("reason"), max_length=500, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "-version"]
        constraints = [models.UniqueConstraint(fields=["plan", "version"], name="planversion_unique_plan_version")]

    def __str__(self) -> str:
        return f"{self.plan} v{self.version}"

    @property
    def audit_unit_id(self) -> int | None:
        return self.plan.owner_id


class PlanImport(TimeStampedModel):
    """An uploaded document waiting for review (bản nhập chờ xem lại): nothing is a Plan until confirmed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for review")
        CONFIRMED = "confirmed", _("confirmed")
        DISCARDED = "discarded", _("discarded")

    owner = models.ForeignKey(Unit, verbose_name=_("owner unit"), on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.CASCADE, related_name="+"
    )
    source_file = models.FileField(_("original document"), upload_to="plans/imports/%Y/", blank=True)
    source_name = models.CharField(_("original file name"), max_length=255, blank=True, default="")
    source_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, default="")
    parsed = models.JSONField(_("parsed document"))
    resolutions = models.JSONField(_("agency resolutions"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), null=True, blank=True, on_delete=models.SET_NULL, related_name="imports"
    )

    class Meta:
        verbose_name = _("plan import")
        verbose_name_plural = _("plan imports")

    def __str__(self) -> str:
        return self.source_name or str(self.pk)

    @property
    def audit_unit_id(self) -> int | None:
        return self.owner_id
