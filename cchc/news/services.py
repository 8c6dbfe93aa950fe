"""Writes of the news: saving an article (sanitised, versioned, audited), the workflow steps,
scheduled publishing, offers to the sites above, view counting. Publishing records the output
`portal_article` for the author unit; withdrawing takes it back."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cchc.core import audit
from cchc.core.images import renditions
from cchc.core.text import fold, nfc
from cchc.core.uploads import check_upload
from cchc.portal.sites import invalidate, invalidate_unit

from .models import Acceptance, Article, ArticleVersion, ArticleViewDay, Attachment
from .sanitize import clean_html, plain_text

SOURCE = "news.article"
ATTACHMENT_TYPES = {".pdf", ".docx", ".xlsx"}
NEXT_DUE_KEY = "news:next-due"
Status = Article.Status


class StepRefused(Exception):
    """A step that cannot be taken now (the message says why, for the user)."""


def _snapshot(article: Article) -> dict:
    return {
        "title": article.title, "lead": article.lead, "body": article.body, "status": article.status,
        "category": article.category_id, "themes": sorted(article.themes.values_list("pk", flat=True)),
        "audiences": list(article.audiences or []), "language": article.language,
        "publish_at": article.publish_at.isoformat() if article.publish_at else None,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "cover": article.cover.name or "", "cover_alt": article.cover_alt,
        "attachments": [a.name for a in article.attachments.all()],
    }


def _audit_fields(article: Article) -> dict:
    data = _snapshot(article)
    data["body"] = plain_text(article.body)[:2000]
    return data


def _version(article: Article, user, action: str) -> ArticleVersion:
    Article.objects.filter(pk=article.pk).update(version=F("version") + 1)
    article.refresh_from_db(fields=["version"])
    return ArticleVersion.objects.create(article=article, number=article.version, by=user, action=action,
                                         status=article.status, data=_snapshot(article))


def _derive(article: Article) -> None:
    article.title = nfc(article.title or "").strip()
    article.lead = nfc(article.lead or "").strip()
    article.body = clean_html(nfc(article.body or ""))
    article.slug = slugify(fold(article.title))[:120].strip("-") or "bai"
    article.search_text = " ".join(fold(t) for t in (article.title, article.lead, plain_text(article.body)) if t)


def set_cover(article: Article, upload) -> None:
    """Resize the uploaded cover into its renditions (metadata stripped); ImageRefused otherwise."""
    files = renditions(upload, widths=Article.COVER_WIDTHS)
    for width, field in ((480, "cover_480"), (960, "cover_960"), (1600, "cover")):
        getattr(article, field).save(files[width].name, files[width], save=False)
    from PIL import Image

    article.cover.open("rb")
    try:
        with Image.open(article.cover) as image:
            article.cover_width, article.cover_height = image.size
    finally:
        article.cover.close()


def check_attachment(upload) -> None:
    check_upload(upload, allowed=ATTACHMENT_TYPES)


@transaction.atomic
def save_article(*, article: Article, user, themes=None, cover=None, remove_cover=False, attachments=(),
                 remove_attachments=(), request=None) -> Article:
    """Create or change an article from a validated form's values (files already checked)."""
    creating = article.pk is None
    before = None if creating else _audit_fields(Article.objects.get(pk=article.pk))
    _derive(article)
    if creating:
        article.created_by = user
    if remove_cover and not cover:
        for field in ("cover", "cover_480", "cover_960"):
            setattr(article, field, "")
        article.cover_width = article.cover_height = None
    if cover:
        set_cover(article, cover)
    article.save()
    if themes is not None:
        article.themes.set(themes)
    if remove_attachments:
        article.attachments.filter(pk__in=list(remove_attachments)).delete()
    start = article.attachments.count()
    for index, upload in enumerate(attachments):
        Attachment.objects.create(article=article, file=upload, name=(upload.name or "")[:255],
                                  size=upload.size or 0, order=start + index)
    _version(article, user, "create" if creating else "edit")
    audit.record(action="create" if creating else "update", obj=article, actor=user, before=before,
                 after=_audit_fields(article))
    if article.status == Status.PUBLISHED:
        _count(article, request)
        invalidate_unit(article.unit)
    return article


def _locked(article: Article) -> Article:
    return Article.objects.select_for_update().select_related("unit").get(pk=article.pk)


def _absolute(site, rest: str, request=None) -> str:
    url = site.absolute_url(rest, request=request)
    if url.startswith("/"):  # no host of its own and no request (a background job): the platform's host
        hosts = [h.lstrip(".") for h in settings.ALLOWED_HOSTS if h not in ("*", "")] or ["localhost"]
        url = f"{settings.CCHC_PUBLIC_SCHEME}://{hosts[0]}{url}"
    try:
        URLValidator()(url)
    except ValidationError:  # a host name the outputs would refuse (a test server): no link, still counted
        return ""
    return url


def public_link(article: Article, request=None) -> str:
    """The article's public address: on its unit's site, else on a site that accepted it."""
    from cchc.portal.models import PublicSite

    site = PublicSite.objects.filter(unit_id=article.unit_id, is_public=True).first()
    if site is None:
        offer = article.acceptances.filter(status=Acceptance.Status.ACCEPTED, site__is_public=True) \
            .select_related("site").first()
        site = offer.site if offer else None
    return _absolute(site, article.public_rest(), request) if site else ""


def _count(article: Article, request=None) -> None:
    from cchc.outputs.services import output_record_from_source

    output_record_from_source(source=SOURCE, source_ref=str(article.pk), unit=article.unit,
                              output_type="portal_article", date=timezone.localdate(article.published_at),
                              title=article.title, link=public_link(article, request))


def _uncount(article: Article) -> None:
    from cchc.outputs.services import output_record_withdraw

    output_record_withdraw(source=SOURCE, source_ref=str(article.pk))


def _step(article: Article, user, action: str, before: dict, message: str = "") -> Article:
    article.save()
    _version(article, user, action)
    audit.record(action="update", obj=article, actor=user, before=before, after=_audit_fields(article),
                 message=message or action)
    return article


def _refuse_unless(article: Article, step: str) -> None:
    from .permissions import STEPS

    if article.status not in STEPS[step]:
        raise StepRefused(_("This article is %(status)s now; the step was not taken again.")
                          % {"status": article.get_status_display()})


@transaction.atomic
def submit(article: Article, user) -> Article:
    article = _locked(article)
    _refuse_unless(article, "submit")
    before = _audit_fields(article)
    article.status = Status.SUBMITTED
    return _step(article, user, "submit", before)


@transaction.atomic
def return_to_draft(article: Article, user) -> Article:
    article = _locked(article)
    _refuse_unless(article, "return")
    before = _audit_fields(article)
    article.status = Status.DRAFT
    return _step(article, user, "return", before)


def _go_live(article: Article, user, published_at: dt.datetime, action: str, request=None) -> Article:
    before = _audit_fields(article)
    article.status = Status.PUBLISHED
    article.published_at = published_at
    if user is not None:
        article.published_by = user
    _step(article, user, action, before)
    _count(article, request)
    invalidate_unit(article.unit)
    for offer in article.acceptances.filter(status=Acceptance.Status.ACCEPTED).select_related("site"):
        invalidate(offer.site_id)
    return article


@transaction.atomic
def publish(article: Article, user, *, request=None) -> Article:
    article = _locked(article)
    _refuse_unless(article, "publish")
    article.publish_at = None
    return _go_live(article, user, timezone.now(), "publish", request)


@transaction.atomic
def schedule(article: Article, user, when: dt.datetime) -> Article:
    """Publish at `when` (in the future): hidden until then."""
    if when <= timezone.now():
        raise StepRefused(_("Choose a time in the future, or publish now."))
    article = _locked(article)
    _refuse_unless(article, "schedule")
    before = _audit_fields(article)
    article.status = Status.SCHEDULED
    article.publish_at = when
    article.published_by = user
    _step(article, user, "schedule", before, message=f"schedule {when.isoformat()}")
    transaction.on_commit(_forget_next_due)
    return article


@transaction.atomic
def unpublish(article: Article, user) -> Article:
    article = _locked(article)
    _refuse_unless(article, "unpublish")
    before = _audit_fields(article)
    was_live = article.status == Status.PUBLISHED
    article.status = Status.WITHDRAWN
    article.publish_at = None
    _step(article, user, "unpublish", before)
    if was_live:
        _uncount(article)
        invalidate_unit(article.unit)
        for offer in article.acceptances.filter(status=Acceptance.Status.ACCEPTED):
            invalidate(offer.site_id)
    return article


# ---------------------------------------------------------------- scheduled publishing

def _forget_next_due() -> None:
    cache.delete(NEXT_DUE_KEY)


def publish_due(now: dt.datetime | None = None) -> int:
    """Publish the scheduled articles whose time has come (the beat task, `cchc publish-due` and the
    public pages call it); published_at is the time they were scheduled for. Returns how many."""
    from .selectors import due_scheduled

    now = now or timezone.now()
    done = 0
    for pk in list(due_scheduled(now).values_list("pk", flat=True)):
        with transaction.atomic():
            article = Article.objects.select_for_update().select_related("unit").filter(
                pk=pk, status=Status.SCHEDULED, publish_at__lte=now).first()
            if article is None:
                continue
            _go_live(article, None, article.publish_at, "publish-due")
            done += 1
    _forget_next_due()
    return done


def publish_due_if_any() -> None:
    """The on-read check: costs one cache read until the next scheduled time, then publishes."""
    now = timezone.now()
    next_due = cache.get(NEXT_DUE_KEY)
    if next_due is None:
        first = (Article.objects.filter(status=Status.SCHEDULED).order_by("publish_at")
                 .values_list("publish_at", flat=True).first())
        next_due = first.timestamp() if first else now.timestamp() + 3600
        cache.set(NEXT_DUE_KEY, next_due, 3600)
    if next_due <= now.timestamp():
        publish_due(now)


# ---------------------------------------------------------------- the contributor network

@transaction.atomic
def offer(article: Article, site, user) -> Acceptance:
    """Offer a published article to the site of a unit above its unit."""
    article = _locked(article)
    if article.status != Status.PUBLISHED:
        raise StepRefused(_("Only a published article can be offered to another site."))
    found, created = Acceptance.objects.select_for_update().get_or_create(
        article=article, site=site, defaults={"offered_by": user})
    if not created and found.status != Acceptance.Status.DECLINED:
        return found  # offered before (a repeated click): nothing more to do
    found.status, found.offered_by, found.offered_at = Acceptance.Status.OFFERED, user, timezone.now()
    found.decided_by = found.decided_at = None
    found.save()
    audit.record(action="create" if created else "update", obj=found, actor=user,
                 after={"article": article.pk, "site": site.slug, "status": found.status}, message="offer")
    return found


@transaction.atomic
def decide(offer_: Acceptance, user, *, accept: bool, request=None) -> Acceptance:
    offer_ = Acceptance.objects.select_for_update().select_related("article__unit", "site").get(pk=offer_.pk)
    target = Acceptance.Status.ACCEPTED if accept else Acceptance.Status.DECLINED
    if offer_.status == target:
        return offer_
    before = {"status": offer_.status}
    offer_.status, offer_.decided_by, offer_.decided_at = target, user, timezone.now()
    offer_.save()
    audit.record(action="update", obj=offer_, actor=user, before=before,
                 after={"article": offer_.article_id, "site": offer_.site.slug, "status": target},
                 message="accept" if accept else "decline")
    invalidate(offer_.site_id)
    article = offer_.article
    if accept and article.is_public:
        _count(article, request)  # the same record (one per article): the link may now point here, never a second count
    return offer_


# ---------------------------------------------------------------- views without cookies

def count_view_of(article_id: int, request) -> bool:
    """Count one reading of the article: once per day per visitor, who is known only by a hash of
    address and browser kept in the cache until the day ends (nothing personal is stored)."""
    from cchc.core.middleware import client_ip

    today = timezone.localdate()
    agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    digest = hashlib.sha256(f"{today}|{article_id}|{client_ip(request)}|{agent}".encode()).hexdigest()[:32]
    if not cache.add(f"news:seen:{digest}", 1, 60 * 60 * 26):
        return False
    updated = ArticleViewDay.objects.filter(article_id=article_id, day=today).update(count=F("count") + 1)
    if not updated:
        from django.db import IntegrityError

        try:
            with transaction.atomic():
                ArticleViewDay.objects.create(article_id=article_id, day=today, count=1)
        except IntegrityError:
            ArticleViewDay.objects.filter(article_id=article_id, day=today).update(count=F("count") + 1)
    return True
