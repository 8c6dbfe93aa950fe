"""Citizens' feedback and petitions (phản ánh, kiến nghị — PAKN).

An `Item` arrives on the public site (channel "web") or is entered by an officer when it came by
phone, post, the mailbox, the hotline, the press or in person. The receiving unit classifies it (in
scope or not, field, procedure concerned), may transfer it to the unit responsible (`Transfer`),
which drafts an `Answer`; the unit's manager approves the exact public text (question and answer with
personal data removed) and sends it; with the sender's consent it is then published.

Each step has a due date in working days (`cchc.core.workdays`) from the item's `ItemType`:

    classify_due  received_on + classify_days
    answer_due    the day the responsible unit got it (classified in scope, or transferred) + answer_days
    reply_due     answer_due + approve_days: the answer approved and sent to the sender

The sender's name, phone, e-mail and address are personal data: shown only to the units handling the
item, every staff view written to the audit log, never published.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.core.models import TimeStampedModel


class Channel(models.TextChoices):
    WEB = "web", _("public website")
    PHONE = "phone", _("telephone")
    POST = "post", _("post")
    MAILBOX = "mailbox", _("feedback mailbox")
    HOTLINE = "hotline", _("hotline")
    PRESS = "press", _("press")
    IN_PERSON = "in_person", _("in person")


class Status(models.TextChoices):
    RECEIVED = "received", _("received")
    CLASSIFIED = "classified", _("being handled")
    TRANSFERRED = "transferred", _("transferred to the responsible unit")
    DRAFTED = "drafted", _("answer drafted")
    APPROVED = "approved", _("answer approved")
    SENT = "sent", _("answered")
    PUBLISHED = "published", _("answered and published")
    OUT_OF_SCOPE = "out_of_scope", _("closed: out of scope")


#: statuses in which the item still waits for someone
OPEN_STATUSES = (Status.RECEIVED, Status.CLASSIFIED, Status.TRANSFERRED, Status.DRAFTED, Status.APPROVED)
#: statuses in which the sender has their answer
ANSWERED_STATUSES = (Status.SENT, Status.PUBLISHED)


class ItemType(models.Model):
    """A kind of item and the working days each step may take (the days are data, set in the admin)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    classify_days = models.PositiveSmallIntegerField(_("working days to classify or transfer"), default=2)
    answer_days = models.PositiveSmallIntegerField(_("working days to draft the answer"), default=10)
    approve_days = models.PositiveSmallIntegerField(_("working days to approve and send"), default=2)
    is_default = models.BooleanField(_("default for new items"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("feedback type")
        verbose_name_plural = _("feedback types")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ItemQuerySet(models.QuerySet):
    def for_units(self, unit_paths) -> "ItemQuerySet":
        """Items received by or handled in the units under any of `unit_paths`."""
        condition = Q()
        for path in unit_paths:
            condition |= Q(handling_unit__path__startswith=path) | Q(receiving_unit__path__startswith=path)
        return self.filter(condition) if unit_paths else self.none()

    def open(self) -> "ItemQuerySet":
        return self.filter(status__in=OPEN_STATUSES)


class Item(TimeStampedModel):
    """One feedback or petition (một phản ánh, kiến nghị)."""

    code = models.CharField(_("tracking code"), max_length=16, unique=True)
    #: the public form's token: a repeat of the same post finds the item already stored
    form_token = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.WEB,
                               db_index=True)
    received_on = models.DateField(_("date received"), db_index=True)
    received_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    receiving_unit = models.ForeignKey("org.Unit", verbose_name=_("receiving unit"), on_delete=models.PROTECT,
                                       related_name="feedback_received")
    handling_unit = models.ForeignKey("org.Unit", verbose_name=_("responsible unit"), on_delete=models.PROTECT,
                                      related_name="feedback_handled")
    item_type = models.ForeignKey(ItemType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="items")
    # personal data: kept minimal, never published, shown only to the handling units (views audited)
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    content = models.TextField(_("content"))
    procedure = models.ForeignKey("procedures.Procedure", verbose_name=_("procedure concerned"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="feedback")
    concerned_unit = models.ForeignKey("org.Unit", verbose_name=_("unit concerned"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="feedback_concerning")
    consent_to_publish = models.BooleanField(_("agrees to publication"), default=False)
    # classification
    in_scope = models.BooleanField(_("in scope"), null=True, blank=True)
    scope_reason = models.TextField(_("reason"), blank=True)
    field = models.CharField(_("field"), max_length=200, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED,
                              db_index=True)
    classified_at = models.DateTimeField(_("classified at"), null=True, blank=True)
    classified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("classified by"), null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="+")
    # due dates of the steps (working days, computed by the services)
    classify_due = models.DateField(_("classify by"))
    handling_since = models.DateField(_("with the responsible unit since"), null=True, blank=True)
    answer_due = models.DateField(_("answer by"), db_index=True)
    reply_due = models.DateField(_("answer sent by"), db_index=True)
    # the public text the manager approved (question and answer with personal data removed)
    public_title = models.CharField(_("public title"), max_length=300, blank=True)
    public_question = models.TextField(_("public question"), blank=True)
    sent_at = models.DateTimeField(_("answered at"), null=True, blank=True, db_index=True)
    sent_on = models.DateField(_("date answered"), null=True, blank=True, db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback item")
        verbose_name_plural = _("feedback items")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["handling_unit", "status"]),
                   models.Index(fields=["receiving_unit", "received_on"])]

    def __str__(self) -> str:
        return f"{self.code} · {self.subject[:80]}"

    @property
    def audit_unit_id(self) -> int | None:
        return self.handling_unit_id

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_answered(self) -> bool:
        return self.status in ANSWERED_STATUSES

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def current_due(self):
        """The due date of the step the item waits in (None once answered or closed)."""
        if self.status == Status.RECEIVED:
            return self.classify_due
        if self.status in (Status.CLASSIFIED, Status.TRANSFERRED):
            return self.answer_due
        if self.status in (Status.DRAFTED, Status.APPROVED):
            return self.reply_due
        return None

    def is_overdue(self, today=None) -> bool:
        from cchc.core.workdays import today as local_today

        due = self.current_due
        return due is not None and (today or local_today()) > due

    @property
    def answered_on_time(self) -> bool | None:
        if self.sent_on is None:
            return None
        return self.sent_on <= self.reply_due

    @property
    def public_status(self) -> str:
        """What the sender is told on the tracking page (no internal step names)."""
        if self.status == Status.RECEIVED:
            return str(_("received, being classified"))
        if self.status in (Status.CLASSIFIED, Status.TRANSFERRED, Status.DRAFTED, Status.APPROVED):
            return str(_("being handled"))
        return self.get_status_display()


class Transfer(models.Model):
    """The item handed to the responsible unit (chuyển xử lý), with the reason."""

    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="transfers")
    from_unit = models.ForeignKey("org.Unit", verbose_name=_("from"), on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey("org.Unit", verbose_name=_("to"), on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL,
                           related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["item", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.from_unit} → {self.to_unit}"

    @property
    def audit_unit_id(self) -> int | None:
        return self.from_unit_id


class Answer(models.Model):
    """The answer of the responsible unit: drafted by an officer, approved (and its public text set) by
    the unit's manager."""

    item = models.OneToOneField(Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="answer")
    text = models.TextField(_("answer"))
    public_text = models.TextField(_("public answer"), blank=True,
                                   help_text=_("The answer as published, without the sender's personal data"))
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    drafted_at = models.DateTimeField(_("drafted at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.item.code}: {self.text[:80]}"

    @property
    def audit_unit_id(self) -> int | None:
        return self.item.handling_unit_id


def attachment_upload_to(instance, filename: str) -> str:
    import secrets
    from pathlib import Path

    return f"feedback/{secrets.token_hex(8)}{Path(filename).suffix.lower()}"


class Attachment(models.Model):
    """A file sent with an item; served only to the units handling it."""

    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["item", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ReminderLog(models.Model):
    """One reminder sent for an item's step (each once: the unique constraint refuses a second)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(max_length=16)  # "classify", "answer" or "reply": the due date reminded of
    step = models.SmallIntegerField()  # working days from the due date (negative: before it)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "stage", "step"], name="feedback_reminder_once")]

    def __str__(self) -> str:
        return f"{self.item_id} {self.stage} {self.step:+d}"
