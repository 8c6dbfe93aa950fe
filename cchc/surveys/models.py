"""Satisfaction surveys (khảo sát mức độ hài lòng).

A `Survey` belongs to a unit and holds `Section`s of `Question`s (single choice, multiple choice, a
1–5 scale, free text; required or not; shown only when an earlier question got a given answer). A
section may stand for one area of the national satisfaction index (SIPAS): access to the service,
the procedure, the civil servants, the result, the handling of feedback, overall satisfaction; the
scale answers of those sections make the index.

A survey takes answers while it is open and inside its window (`opens_at` ≤ now < `closes_at`). A
`Response` is anonymous: no name, phone or address is asked. It came from the public site, from the
one-stop counter's kiosk, or from the link or QR code printed on a receipt (`ReceiptCode`). One answer
per receipt code is a database rule (`Response.receipt` is unique); one answer per device is a rule
on the device's random token when the survey asks for it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.core.models import TimeStampedModel


class Area(models.TextChoices):
    """The areas of the satisfaction index (SIPAS)."""

    ACCESS = "access", _("Access to the service")
    PROCEDURE = "procedure", _("The administrative procedure")
    STAFF = "staff", _("The civil servants")
    RESULT = "result", _("The result of the service")
    FEEDBACK = "feedback", _("Handling of feedback and complaints")
    OVERALL = "overall", _("Overall satisfaction")


#: the five areas whose mean is the index (overall satisfaction is shown beside it)
INDEX_AREAS = (Area.ACCESS, Area.PROCEDURE, Area.STAFF, Area.RESULT, Area.FEEDBACK)


class Survey(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("being prepared")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed to answers")

    class Limit(models.TextChoices):
        DEVICE = "device", _("one answer per device")
        RECEIPT = "receipt", _("one answer per receipt code (the code is required)")

    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField(_("title"), max_length=300)
    introduction = models.TextField(_("introduction"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    limit = models.CharField(_("answers allowed"), max_length=10, choices=Limit.choices, default=Limit.DEVICE)
    kiosk_token = models.CharField(max_length=64, unique=True, editable=False)
    results_published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-opens_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(opens_at__lt=models.F("closes_at")),
                                              name="surveys_window_order")]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_unit_id(self) -> int | None:
        return self.unit_id

    def accepts_answers(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.OPEN and self.opens_at <= now < self.closes_at

    @property
    def results_public(self) -> bool:
        return self.results_published_at is not None


class Section(models.Model):
    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("title"), max_length=300)
    area = models.CharField(_("area of the index"), max_length=12, choices=Area.choices, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["survey", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        SCALE = "scale", _("scale from 1 to 5")
        TEXT = "text", _("text")

    section = models.ForeignKey(Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=500)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    required = models.BooleanField(_("required"), default=False)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    show_if = models.ForeignKey("self", verbose_name=_("shown only when the answer to"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="dependents")
    show_if_value = models.CharField(_("is"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["section__order", "section_id", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def options(self) -> list[str]:
        """The answers offered: the choices, or "1"…"5" for a scale."""
        if self.kind == self.Kind.SCALE:
            return ["1", "2", "3", "4", "5"]
        return [str(c) for c in self.choices or []]


class ReceiptCode(models.Model):
    """The code printed (with its QR code) on a one-stop counter's receipt: one answer per code."""

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="receipts")
    code = models.CharField(_("code"), max_length=16, unique=True)
    procedure = models.ForeignKey("procedures.Procedure", verbose_name=_("procedure"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit serving"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("receipt code")
        verbose_name_plural = _("receipt codes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.code

    @property
    def audit_unit_id(self) -> int | None:
        return self.unit_id


class Response(models.Model):
    """One anonymous answer to a survey."""

    class Channel(models.TextChoices):
        WEB = "web", _("public website")
        KIOSK = "kiosk", _("kiosk at the one-stop counter")
        RECEIPT = "receipt", _("link or QR code on the receipt")

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="responses")
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, db_index=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    procedure = models.ForeignKey("procedures.Procedure", verbose_name=_("procedure"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit serving"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    receipt = models.OneToOneField(ReceiptCode, verbose_name=_("receipt code"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="response")
    #: a random token kept by the answering browser (not personal data): one answer per device
    device_token = models.CharField(max_length=64, null=True, blank=True, editable=False)
    #: the form's token: the same form posted twice is stored once
    form_token = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-submitted_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "device_token"], condition=Q(device_token__isnull=False),
                                               name="surveys_one_answer_per_device")]

    def __str__(self) -> str:
        return f"{self.survey_id}#{self.pk}"


class Answer(models.Model):
    """One answer to one question; a multiple choice gives one row per option ticked."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.CharField(max_length=200, blank=True)
    number = models.PositiveSmallIntegerField(null=True, blank=True)  # a scale's 1–5
    text = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["question", "number"])]

    def __str__(self) -> str:
        return self.value or self.text[:80]
