"""Articles of the CCHC section (tin bài), their categories and themes (data, seeded by a migration),
versions, attachments, offers to the sites above the author unit and daily view counts.

An article belongs to its author unit wherever it is shown: it is on the unit's own public site once
published, and on a site above it (the province's) once an editor there accepts it; it counts once,
for its author unit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.core.models import TimeStampedModel
from cchc.outputs.catalogue import DEFAULT_LANGUAGE, LANGUAGE_CHOICES


class Category(models.Model):
    """A kind of article (tin hoạt động, văn bản chỉ đạo, hỏi – đáp, gương điển hình …)."""

    slug = models.SlugField(_("address"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("news category")
        verbose_name_plural = _("news categories")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    """A content theme of the plans (chương trình tổng thể CCHC, TTHC và một cửa, dịch vụ công trực
    tuyến, công chức – công vụ, chính quyền số, các chỉ số …)."""

    slug = models.SlugField(_("address"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=160)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Audience(models.TextChoices):
    OFFICIALS = "officials", _("officials and civil servants")
    CITIZENS = "citizens", _("citizens")
    BUSINESSES = "businesses", _("businesses")


class ArticleQuerySet(models.QuerySet):
    def published(self, *, now=None) -> "ArticleQuerySet":
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now or timezone.now())


class Article(TimeStampedModel):
    """A news item or article (tin, bài) of a unit."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted for publishing")
        SCHEDULED = "scheduled", _("scheduled")
        PUBLISHED = "published", _("published")
        WITHDRAWN = "withdrawn", _("withdrawn")

    COVER_WIDTHS = (480, 960, 1600)

    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="articles")
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("address"), max_length=120, blank=True, default="", allow_unicode=False)
    lead = models.TextField(_("lead"), max_length=1000, blank=True, default="",
                            help_text=_("One or two sentences shown under the title and in lists."))
    body = models.TextField(_("body"), blank=True, default="")  # sanitised HTML (cchc.news.sanitize)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True, db_index=True,
                                      help_text=_("Leave empty to publish at once."))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="articles")
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="articles")
    audiences = models.JSONField(_("audience"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=12, choices=LANGUAGE_CHOICES, default=DEFAULT_LANGUAGE)
    cover = models.ImageField(_("cover image"), upload_to="news/covers/", blank=True)  # the 1600 px rendition
    cover_480 = models.ImageField(upload_to="news/covers/", blank=True, editable=False)
    cover_960 = models.ImageField(upload_to="news/covers/", blank=True, editable=False)
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_alt = models.CharField(_("cover image description"), max_length=300, blank=True, default="")
    search_text = models.TextField(blank=True, default="", editable=False)  # folded title, lead and body text
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("written by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="news_article_status_pub"),
            models.Index(fields=["unit", "status", "-published_at"], name="news_article_unit_status_pub"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_unit_id(self) -> int | None:
        return self.unit_id

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.published_at is not None \
            and self.published_at <= timezone.now()

    def public_rest(self) -> str:
        """The article's address on a public site, after /cong/<slug>/."""
        return f"tin-tuc/{self.pk}-{self.slug or 'bai'}/"


class ArticleVersion(models.Model):
    """What an article was after each save or step (every version kept)."""

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    at = models.DateTimeField(_("time"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(_("action"), max_length=30)
    status = models.CharField(_("status"), max_length=20, choices=Article.Status.choices)
    data = models.JSONField(_("content"), default=dict)

    ACTION_LABELS = {
        "create": _("written"), "edit": _("edited"), "submit": _("submitted for publishing"),
        "return": _("returned to draft"), "publish": _("published"), "schedule": _("scheduled"),
        "publish-due": _("published at the scheduled time"), "unpublish": _("withdrawn"),
    }

    @property
    def action_label(self) -> str:
        return str(self.ACTION_LABELS.get(self.action, self.action))

    class Meta:
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        ordering = ["article", "-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="news_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.article} · {self.number}"

    @property
    def audit_unit_id(self) -> int | None:
        return self.article.unit_id


class Attachment(models.Model):
    """A document attached to an article (PDF, DOCX, XLSX)."""

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="news/files/")
    name = models.CharField(_("name"), max_length=255)
    size = models.PositiveIntegerField(_("size"), default=0)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["article", "order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_unit_id(self) -> int | None:
        return self.article.unit_id


class Acceptance(models.Model):
    """An article offered to the public site of a unit above its author unit, and that site's answer.
    Once accepted, the article is listed on that site too (it still counts only for its author)."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("offered")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="acceptances")
    site = models.ForeignKey("portal.PublicSite", verbose_name=_("site"), on_delete=models.CASCADE,
                             related_name="news_acceptances")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OFFERED, db_index=True)
    offered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("offered by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    offered_at = models.DateTimeField(_("offered at"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("offer to a site")
        verbose_name_plural = _("offers to sites")
        ordering = ["-offered_at"]
        constraints = [models.UniqueConstraint(fields=["article", "site"], name="news_acceptance_unique_site")]

    def __str__(self) -> str:
        return f"{self.article} → {self.site}"

    @property
    def audit_unit_id(self) -> int | None:
        return self.site.unit_id


class ArticleViewDay(models.Model):
    """How many times an article's page was read on a day (no address, no cookie, no person kept)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="view_days")
    day = models.DateField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("article views of a day")
        verbose_name_plural = _("article views")
        constraints = [models.UniqueConstraint(fields=["article", "day"], name="news_viewday_unique")]
