"""Video-clip contests (cuộc thi video clip): a contest of a unit, its judging criteria and judges, the
entries citizens send on the public site, the judges' scores and the public's votes.

Invariants kept by the database: one score per judge, entry and criterion; one vote per voter and
entry (the voter is known only by a keyed hash of the confirmed e-mail address); one entry per form
token; the windows of entries and voting end after they begin.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.core.models import TimeStampedModel


class Contest(TimeStampedModel):
    """A video-clip contest run by a unit (e.g. "Chung tay cải cách hành chính")."""

    unit = models.ForeignKey("org.Unit", verbose_name=_("organising unit"), on_delete=models.PROTECT,
                             related_name="clip_contests")
    title = models.CharField(_("title"), max_length=300)
    rules = models.TextField(_("rules"), blank=True)
    entries_open_at = models.DateTimeField(_("entries open"))
    entries_close_at = models.DateTimeField(_("entries close"))
    voting_open_at = models.DateTimeField(_("voting opens"))
    voting_close_at = models.DateTimeField(_("voting closes"))
    #: share of the judges' score in the final score, in percent; the public vote has the rest
    judges_weight = models.PositiveSmallIntegerField(_("weight of the judges' score (%)"), default=70)
    is_public = models.BooleanField(_("shown on the public site"), default=True)
    judging_closed_at = models.DateTimeField(_("judging closed"), null=True, blank=True)
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = _("video-clip contest")
        verbose_name_plural = _("video-clip contests")
        ordering = ["-entries_open_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(entries_close_at__gt=F("entries_open_at")), name="clips_entries_window"),
            models.CheckConstraint(condition=Q(voting_close_at__gt=F("voting_open_at")), name="clips_voting_window"),
            models.CheckConstraint(condition=Q(judges_weight__lte=100), name="clips_judges_weight_le_100"),
        ]

    def __str__(self):
        return self.title

    @property
    def audit_unit_id(self):
        return self.unit_id

    @property
    def votes_weight(self) -> int:
        return 100 - self.judges_weight

    def entries_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.entries_open_at <= now < self.entries_close_at

    def voting_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.voting_open_at <= now < self.voting_close_at and self.results_published_at is None


class Criterion(models.Model):
    """A judging criterion with its weight (tiêu chí chấm điểm), scored from 0 to `max_score`."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=10)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1), name="clips_criterion_weight_positive"),
            models.CheckConstraint(condition=Q(max_score__gte=1), name="clips_criterion_max_positive"),
        ]

    def __str__(self):
        return self.name


class Judge(models.Model):
    """A member of the judging panel (ban giám khảo) of a contest."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="clip_judging")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contest", "user"], name="clips_one_judge_per_user")]

    def __str__(self):
        return str(self.user)


class Entry(TimeStampedModel):
    """A clip sent to a contest (tác phẩm dự thi)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for moderation")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    class Source(models.TextChoices):
        YOUTUBE = "youtube", "YouTube"
        FACEBOOK = "facebook", "Facebook"
        TIKTOK = "tiktok", "TikTok"
        DRIVE = "drive", "Google Drive"
        FILE = "file", _("video file")

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="entries")
    form_token = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    # personal data: only what is needed to credit and reach the author; the contact is never shown in public
    author_name = models.CharField(_("author"), max_length=200)
    contact = models.CharField(_("phone or e-mail"), max_length=254)
    organisation = models.CharField(_("unit or organisation"), max_length=300, blank=True)
    title = models.CharField(_("title of the clip"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("where the video is"), max_length=16, choices=Source.choices)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    video_id = models.CharField(max_length=200, blank=True)  # the host's id of the video, for the embed
    video_file = models.FileField(_("video file"), upload_to="clips/videos/", blank=True, max_length=300)
    consent = models.BooleanField(_("agrees to the rules and to publication"), default=False)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    moderated_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(consent=True), name="clips_entry_consent"),
            models.CheckConstraint(condition=~Q(video_url="") | ~Q(video_file=""), name="clips_entry_has_video"),
        ]

    def __str__(self):
        return self.title

    @property
    def audit_unit_id(self):
        return self.contest.unit_id

    @property
    def masked_contact(self) -> str:
        return mask_contact(self.contact)

    @property
    def embed_url(self) -> str:
        """A privacy-friendly player address for the hosts that offer one (YouTube's no-cookie player);
        the others are linked to, not embedded."""
        if self.source == self.Source.YOUTUBE and self.video_id:
            return f"https://www.youtube-nocookie.com/embed/{self.video_id}"
        return ""


class Score(models.Model):
    """A judge's score of an entry on a criterion."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="scores")
    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "judge", "criterion"], name="clips_one_score_per_criterion"),
            models.CheckConstraint(condition=Q(value__gte=0), name="clips_score_not_negative"),
        ]


class Vote(models.Model):
    """A vote of the public for an entry. The voter is `voter_key`, a keyed hash of the e-mail address
    (the address itself is not kept); the vote counts once the address's owner follows the link sent to
    it. Votes that came in a burst from one network address or one browser are held for the organiser."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for e-mail confirmation")
        COUNTED = "counted", _("counted")
        HELD = "held", _("held for review")
        DISCARDED = "discarded", _("discarded")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="votes")
    voter_key = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    suspicious = models.CharField(_("why it is held"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    device = models.CharField(max_length=64, blank=True)  # a random token the browser keeps in a cookie
    salt = models.CharField(max_length=16)  # voids older confirmation links
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "voter_key"], name="clips_one_vote_per_voter")]
        indexes = [models.Index(fields=["ip_address", "created_at"], name="clips_vote_ip_time"),
                   models.Index(fields=["device", "created_at"], name="clips_vote_device_time")]

    @property
    def audit_unit_id(self):
        return self.entry.contest.unit_id


def mask_contact(value: str) -> str:
    """'nguyenvana@gmail.com' → 'ng…@gmail.com'; '0912345678' → '091…678'."""
    value = (value or "").strip()
    if "@" in value:
        name, _at, domain = value.partition("@")
        return f"{name[:2]}…@{domain}"
    if len(value) > 6:
        return f"{value[:3]}…{value[-3:]}"
    return "…"
