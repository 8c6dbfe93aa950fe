"""Online knowledge contests (hội thi tìm hiểu về cải cách hành chính).

A contest belongs to the unit that organises it and holds a question bank; each round (đợt thi) opens
and closes at set times (Asia/Ho_Chi_Minh), draws a number of questions per attempt and gives a time
limit. A participant names herself, picks her unit from the unit directory and gives the identifiers
the contest asks for; she has one attempt per round, enforced by a unique constraint on (round, person
key). The person key is a keyed hash (HMAC) of the citizen ID (CCCD) — or of the phone number when the
contest does not ask for the ID — keyed per contest, so the same person cannot be followed from one
contest to another and the ID itself is never stored: only its last digits, for the organiser to tell
two winners apart. Personal data (name, phone, last digits) is erased once the contest's retention
period has passed (`contests_erase_personal_data`), leaving the scores and the unit counts.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.core.models import TimeStampedModel
from cchc.org.models import Unit

MIN_OPTIONS, MAX_OPTIONS = 2, 6
DEFAULT_PREDICTION = "Dự đoán có bao nhiêu người tham gia đợt thi này?"


class Contest(TimeStampedModel):
    unit = models.ForeignKey(Unit, verbose_name=_("organising unit"), on_delete=models.PROTECT, related_name="contests")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description and rules"), blank=True)
    ask_phone = models.BooleanField(_("ask for a phone number"), default=True)
    ask_citizen_id = models.BooleanField(_("ask for the citizen ID (CCCD)"), default=True)
    retention_days = models.PositiveIntegerField(
        _("keep personal data for (days after the last round closes)"), default=180)
    personal_data_erased_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(retention_days__lte=3650), name="contest_retention_bounded")]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_unit_id(self) -> int | None:
        return self.unit_id


class Question(TimeStampedModel):
    """A question of the bank: 2–6 options, one or more correct (all of them must be chosen), and the
    explanation shown after the attempt."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("question"))
    options = models.JSONField(_("options"), default=list)
    correct = models.JSONField(_("correct options"), default=list)  # indexes into options, sorted
    explanation = models.TextField(_("explanation"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["contest", "number"]
        constraints = [models.UniqueConstraint(fields=["contest", "number"], name="contest_question_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"


class Round(TimeStampedModel):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("round number"))
    title = models.CharField(_("title"), max_length=300)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    questions_per_attempt = models.PositiveSmallIntegerField(_("questions per attempt"), default=20)
    time_limit_seconds = models.PositiveIntegerField(_("time limit (seconds)"), default=900)
    prediction_question = models.CharField(_("tie-break prediction question"), max_length=300,
                                           default=DEFAULT_PREDICTION)
    winners_assigned_at = models.DateTimeField(_("winners assigned at"), null=True, blank=True)
    results_published_at = models.DateTimeField(_("results published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["contest", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "number"], name="contest_round_number_unique"),
            models.CheckConstraint(condition=Q(opens_at__lt=F("closes_at")), name="contest_round_opens_before_closes"),
            models.CheckConstraint(condition=Q(questions_per_attempt__gte=1) & Q(questions_per_attempt__lte=200),
                                   name="contest_round_questions_bounded"),
            models.CheckConstraint(condition=Q(time_limit_seconds__gte=30) & Q(time_limit_seconds__lte=14400),
                                   name="contest_round_time_limit_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.contest.title} — {self.title}"

    @property
    def audit_unit_id(self) -> int | None:
        return self.contest.unit_id

    def is_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def has_closed(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.closes_at


class Prize(models.Model):
    """A prize level of a round (giải Nhất, Nhì, Ba, Khuyến khích) and how many are given."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="prizes")
    level = models.PositiveSmallIntegerField(_("level"))
    name = models.CharField(_("prize"), max_length=100)
    count = models.PositiveSmallIntegerField(_("number of prizes"))

    class Meta:
        verbose_name = _("prize")
        verbose_name_plural = _("prizes")
        ordering = ["round", "level"]
        constraints = [models.UniqueConstraint(fields=["round", "level"], name="contest_prize_level_unique")]

    def __str__(self) -> str:
        return self.name


class Attempt(models.Model):
    """One person's attempt at a round (bài dự thi). Times are the server's: `started_at` when the
    questions were handed out, `deadline_at` the limit; answers that arrive after the limit and its
    grace are not counted."""

    class Status(models.TextChoices):
        STARTED = "started", _("in progress")
        SUBMITTED = "submitted", _("submitted")
        EXPIRED = "expired", _("time ran out")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="attempts")
    person_key = models.CharField(max_length=64)  # HMAC of the CCCD (or the phone), keyed per contest
    access_key = models.CharField(max_length=48, unique=True)  # the attempt's unguessable address
    start_token = models.CharField(max_length=64, unique=True, null=True, blank=True)  # the form that started it
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("full name"), max_length=120)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    citizen_id_last = models.CharField(_("last digits of the citizen ID"), max_length=4, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.STARTED)
    started_at = models.DateTimeField()
    deadline_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    question_ids = models.JSONField(default=list)
    answers = models.JSONField(default=dict)  # {question id: [option indexes]}
    score = models.PositiveSmallIntegerField(default=0)
    max_score = models.PositiveSmallIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    prediction = models.PositiveIntegerField(null=True, blank=True)
    prize = models.ForeignKey(Prize, null=True, blank=True, on_delete=models.SET_NULL, related_name="winners")
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(fields=["round", "person_key"], name="contest_one_attempt_per_person"),
            models.CheckConstraint(condition=Q(started_at__lt=F("deadline_at")), name="contest_attempt_deadline_after_start"),
        ]
        indexes = [
            models.Index(fields=["round", "status", "-score", "duration_ms"], name="contest_attempt_ranking"),
            models.Index(fields=["round", "unit"], name="contest_attempt_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.round_id}"

    @property
    def audit_unit_id(self) -> int | None:
        return self.unit_id
