"""The administrative-reform bulletin of a public site (Bản tin cải cách hành chính): numbered issues
composed from the site's published articles, its subscribers (double opt-in) and the sending of each
issue to them and to the platform's units."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.core.models import TimeStampedModel
from cchc.portal.models import PublicSite


class Issue(TimeStampedModel):
    """One numbered issue (số 01/2026) of a site's bulletin; numbers restart every year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    site = models.ForeignKey(PublicSite, verbose_name=_("site"), on_delete=models.PROTECT, related_name="bulletin_issues")
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300, blank=True, default="",
                             help_text=_("Optional: the theme of this issue."))
    intro = models.TextField(_("introduction"), max_length=5000, blank=True, default="",
                             help_text=_("Plain paragraphs, one per line."))
    closing = models.TextField(_("closing words"), max_length=5000, blank=True, default="",
                               help_text=_("Plain paragraphs, one per line."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    issue_date = models.DateField(_("date of issue"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("composed by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("bulletin issue")
        verbose_name_plural = _("bulletin issues")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["site", "year", "number"], name="bulletin_issue_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="bulletin_issue_number_positive"),
            models.CheckConstraint(condition=Q(status="draft") | Q(published_at__isnull=False),
                                   name="bulletin_issue_published_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.site.title} – {self.label}"

    @property
    def label(self) -> str:
        """"Số 01/2026", as the issue is cited."""
        return f"Số {self.number_text}"

    @property
    def number_text(self) -> str:
        return f"{self.number:02d}/{self.year}"

    @property
    def audit_unit_id(self) -> int | None:
        return self.site.unit_id

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def public_rest(self) -> str:
        """The issue's address on its site, after /cong/<slug>/."""
        return f"ban-tin/{self.year}/{self.number}/"

    def public_path(self) -> str:
        return self.site.path(self.public_rest())


class IssueItem(models.Model):
    """An article of the site placed in an issue, in the editor's order."""

    issue = models.ForeignKey(Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="items")
    article = models.ForeignKey("news.Article", verbose_name=_("article"), on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("article in an issue")
        verbose_name_plural = _("articles in an issue")
        ordering = ["issue", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["issue", "article"], name="bulletin_item_unique_article")]

    def __str__(self) -> str:
        return f"{self.issue} · {self.article}"


class Subscriber(models.Model):
    """An e-mail address that asked for a site's bulletin. Only the address, its status, the dates and
    the salt of its links are kept; a new salt makes every earlier link invalid."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed")

    site = models.ForeignKey(PublicSite, verbose_name=_("site"), on_delete=models.CASCADE, related_name="bulletin_subscribers")
    email = models.EmailField(_("e-mail"), max_length=254)  # stored lower-case
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    salt = models.CharField(max_length=32, editable=False)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulletin subscriber")
        verbose_name_plural = _("bulletin subscribers")
        ordering = ["site", "email"]
        constraints = [models.UniqueConstraint(fields=["site", "email"], name="bulletin_subscriber_unique_email")]

    def __str__(self) -> str:
        return self.masked_email

    @property
    def audit_unit_id(self) -> int | None:
        return self.site.unit_id

    @property
    def masked_email(self) -> str:
        """"ng***@e***.vn": enough for staff to recognise an address, not to copy it."""
        local, _at, domain = self.email.partition("@")
        name, dot, tld = domain.rpartition(".")
        return f"{local[:2]}***@{(name or tld)[:1]}***{dot}{tld if name else ''}"


class Sending(models.Model):
    """One run of sending an issue, with its progress (shown to staff while it runs)."""

    issue = models.ForeignKey(Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="sendings")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    total = models.PositiveIntegerField(_("addresses"), default=0)
    sent = models.PositiveIntegerField(_("sent"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    #: when the worker last reported progress (a batch done); a sending silent for long has lost its worker
    progress_at = models.DateTimeField(_("last progress at"), null=True, blank=True)
    # the site's address as the editor reached it ("https://cchc.tuyenquang.gov.vn/"): the links of the
    # e-mails are built from it, since the worker that sends them has no request to ask
    base_url = models.CharField(max_length=300, editable=False)

    class Meta:
        verbose_name = _("sending")
        verbose_name_plural = _("sendings")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.issue} · {self.started_at:%d/%m/%Y %H:%M}"

    @property
    def audit_unit_id(self) -> int | None:
        return self.issue.site.unit_id

    @property
    def done(self) -> int:
        return self.sent + self.failed

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, round(100 * self.done / self.total))


class Delivery(models.Model):
    """An issue mailed (or to be mailed) to one address: one row per issue and address, so a second
    sending of the same issue never mails anyone twice."""

    class Kind(models.TextChoices):
        SUBSCRIBER = "subscriber", _("subscriber")
        UNIT = "unit", _("unit")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    issue = models.ForeignKey(Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="deliveries")
    sending = models.ForeignKey(Sending, verbose_name=_("sending"), null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="deliveries")
    email = models.EmailField(_("e-mail"), max_length=254)
    kind = models.CharField(_("recipient"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["issue", "email"], name="bulletin_delivery_unique_address")]

    def __str__(self) -> str:
        return f"{self.issue} → {self.email}"
