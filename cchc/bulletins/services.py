"""Writes of the bulletin: issues (numbered, composed, published once), subscriptions (double
opt-in, one-click unsubscribe) and the sending of an issue in batches. Every step is audited."""

from __future__ import annotations

import datetime as dt

import hashlib
import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.core import audit
from cchc.core.text import nfc
from cchc.outputs.services import output_record_from_source
from cchc.portal.models import PublicSite
from cchc.portal.sites import invalidate_unit

from . import selectors, tokens
from .models import Delivery, Issue, IssueItem, Sending, Subscriber

logger = logging.getLogger(__name__)

OUTPUT_SOURCE = "bulletins.issue"
MAX_ARTICLES = 30
MAILS_PER_ADDRESS_PER_HOUR = 3


class BulletinError(Exception):
    """A refused step, with the message the user reads."""


def _snap(issue: Issue) -> dict:
    return {**audit.snapshot(issue), "articles": list(issue.items.order_by("order", "id").values_list("article_id", flat=True))}


# ------------------------------------------------------------------------------------------ issues


def issue_create(*, site: PublicSite, user, year: int | None = None) -> Issue:
    """A new draft with the next number of the year on the site (số 01 in a new year). The database
    keeps numbers unique; two editors at once both get a number, one after the other."""
    year = year or timezone.localdate().year
    for attempt in range(3):
        try:
            with transaction.atomic():
                last = Issue.objects.filter(site=site, year=year).aggregate(n=Max("number"))["n"] or 0
                issue = Issue.objects.create(site=site, year=year, number=last + 1, created_by=user)
                audit.record(actor=user, action="create", obj=issue, after=_snap(issue))
                return issue
        except IntegrityError:
            # another editor took the same number between our read and our insert: read again
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def issue_update(*, issue: Issue, user, title: str, intro: str, closing: str, article_ids: list[int]) -> Issue:
    """Set a draft's editorial text and its articles, in the given order (articles the site shows)."""
    issue = Issue.objects.select_for_update().select_related("site", "site__unit").get(pk=issue.pk)
    if issue.is_published:
        raise BulletinError(_("The issue is published and can no longer be changed."))
    ids = list(dict.fromkeys(int(i) for i in article_ids))
    if len(ids) > MAX_ARTICLES:
        raise BulletinError(_("An issue holds at most %(n)d articles.") % {"n": MAX_ARTICLES})
    shown = set(selectors.published_for_site(issue.site).filter(pk__in=ids).values_list("pk", flat=True))
    if set(ids) - shown:
        raise BulletinError(_("Some chosen articles are not published on this site; choose them again from the list."))
    before = _snap(issue)
    issue.title = nfc(title or "").strip()
    issue.intro = nfc(intro or "").strip()
    issue.closing = nfc(closing or "").strip()
    issue.full_clean()
    issue.save()
    issue.items.all().delete()
    IssueItem.objects.bulk_create([IssueItem(issue=issue, article_id=pk, order=n) for n, pk in enumerate(ids)])
    after = _snap(issue)
    if after != before:
        audit.record(actor=user, action="update", obj=issue, before=before, after=after)
    return issue


def issue_publish(*, issue: Issue, user, base_url: str = "") -> bool:
    """Publish a draft: it gets its date, appears on the site and counts as one `bulletin` output of
    the site's unit (linked to the issue when `base_url`, the site's absolute address, is given).
    Publishing again does nothing (returns False)."""
    with transaction.atomic():
        issue = Issue.objects.select_for_update().select_related("site", "site__unit").get(pk=issue.pk)
        if issue.is_published:
            return False
        if not issue.items.exists():
            raise BulletinError(_("Choose at least one article before publishing the issue."))
        before = _snap(issue)
        now = timezone.now()
        issue.status, issue.published_at, issue.published_by = Issue.Status.PUBLISHED, now, user
        issue.issue_date = timezone.localdate(now)
        issue.save()
        audit.record(actor=user, action="update", obj=issue, before=before, after=_snap(issue), message="published")
        output_record_from_source(
            source=OUTPUT_SOURCE, source_ref=str(issue.pk), unit=issue.site.unit, output_type="bulletin",
            date=issue.issue_date, quantity=1, title=f"Bản tin cải cách hành chính số {issue.number_text}",
            link=_valid_url(f"{base_url}{issue.public_rest()}" if base_url else ""),
        )
        transaction.on_commit(lambda: invalidate_unit(issue.site.unit))
    return True


def _valid_url(link: str) -> str:
    # an address the platform was reached at may be no public URL (a bare host name on an intranet):
    # the output is counted without its link rather than refused
    try:
        URLValidator()(link)
    except ValidationError:
        return ""
    return link


# ------------------------------------------------------------------------------------ subscribers


def _sub_snap(subscriber: Subscriber) -> dict:
    # the audit log keeps the address masked and never the salt
    return {**audit.snapshot(subscriber, exclude=("salt", "email")), "email": subscriber.masked_email}


def normalise_email(value: str) -> str:
    """The address as it is stored (trimmed, lower case); ValidationError with a clear message."""
    email = (value or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(_("“%(value)s” is not an e-mail address. Write it as name@example.vn.")
                              % {"value": (value or "").strip()[:100]}) from None
    return email


def _over_hourly_limit(name: str, limit: int) -> bool:
    """Count one more event under `name` in the current hour (in the cache); True past `limit`."""
    key = f"bulletins:{name}:{timezone.now():%Y%m%d%H}"
    if cache.add(key, 1, 3600):
        return limit < 1
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 3600)
        return False


def subscribe_rate_limited(address: str | None) -> bool:
    """Count a subscribe request from the network address `address`; True once it made more than
    CCHC_BULLETIN_SUBSCRIBES_PER_HOUR of them in the current hour."""
    return _over_hourly_limit(f"subscribe:{address or 'unknown'}",
                              getattr(settings, "CCHC_BULLETIN_SUBSCRIBES_PER_HOUR", 5))


def _mail(*, subject: str, template: str, context: dict, to: str, headers: dict | None = None,
          connection=None) -> EmailMultiAlternatives:
    text = render_to_string(f"bulletins/email/{template}.txt", context)
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to],
                                     headers=headers or {}, connection=connection)
    message.attach_alternative(render_to_string(f"bulletins/email/{template}.html", context), "text/html")
    return message


def subscription_request(*, site: PublicSite, email: str, base_url: str) -> None:
    """Ask for the bulletin: a confirmation link goes to the address, nothing else is sent before it
    is followed. The answer to the visitor is the same whatever the address's state; the address's
    owner learns by mail whether it is new or already subscribed."""
    email = normalise_email(email)
    with transaction.atomic():
        subscriber, created = Subscriber.objects.select_for_update().get_or_create(
            site=site, email=email, defaults={"salt": secrets.token_hex(8)})
        if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
            before = _sub_snap(subscriber)
            subscriber.status, subscriber.salt = Subscriber.Status.PENDING, secrets.token_hex(8)
            subscriber.save(update_fields=["status", "salt"])
            audit.record(action="update", obj=subscriber, before=before, after=_sub_snap(subscriber),
                         message="asked again")
        elif created:
            audit.record(action="create", obj=subscriber, after=_sub_snap(subscriber))
    # requests for one address from many networks must not flood its owner's mailbox either
    digest = hashlib.sha256(f"{site.pk}:{email}".encode()).hexdigest()[:32]
    if _over_hourly_limit(f"mail:{digest}", MAILS_PER_ADDRESS_PER_HOUR):
        return
    context = {"site": site, "base_url": base_url}
    if subscriber.status == Subscriber.Status.CONFIRMED:
        message = _mail(subject=_("You already receive the bulletin of %(site)s") % {"site": site.title},
                        template="already", context=context, to=email)
    else:
        link = f"{base_url}ban-tin/xac-nhan/{tokens.confirm_token(subscriber)}/"
        message = _mail(subject=_("Confirm your subscription to the bulletin of %(site)s") % {"site": site.title},
                        template="confirm", context={**context, "link": link, "days": tokens.CONFIRM_DAYS}, to=email)
    try:
        message.send()
    except Exception:  # a mail server down: the visitor may ask again; nothing is lost
        logger.exception("bulletin confirmation e-mail to site %s failed", site.pk)


def _salt_of(pk: int) -> str | None:
    return Subscriber.objects.filter(pk=pk).values_list("salt", flat=True).first()


@transaction.atomic
def subscriber_for_confirm_token(*, site: PublicSite, token: str) -> Subscriber | None:
    """The subscriber a confirmation link is for, without changing anything (None when the link is
    forged, altered, expired or for an address that has since unsubscribed)."""
    pk = tokens.confirm_subscriber_id(token, _salt_of)
    subscriber = Subscriber.objects.filter(pk=pk, site=site).first() if pk else None
    if subscriber is None or subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        return None
    return subscriber


def subscriber_confirm(*, site: PublicSite, token: str) -> Subscriber | None:
    """Follow a confirmation link: the subscriber, or None for a forged, altered or expired link."""
    pk = tokens.confirm_subscriber_id(token, _salt_of)
    subscriber = Subscriber.objects.select_for_update().filter(pk=pk, site=site).first() if pk else None
    if subscriber is None or subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        return None
    if subscriber.status == Subscriber.Status.PENDING:
        before = _sub_snap(subscriber)
        subscriber.status, subscriber.confirmed_at, subscriber.unsubscribed_at = (
            Subscriber.Status.CONFIRMED, timezone.now(), None)
        subscriber.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
        audit.record(action="update", obj=subscriber, before=before, after=_sub_snap(subscriber),
                     message="confirmed")
    return subscriber


def delivery_for_token(*, site: PublicSite, token: str) -> Delivery | None:
    pk = tokens.unsubscribe_delivery_id(token)
    return Delivery.objects.filter(pk=pk, issue__site=site).first() if pk else None


@transaction.atomic
def unsubscribe(*, site: PublicSite, token: str) -> bool:
    """One-click unsubscribe from the link of a bulletin e-mail: the address gets no more issues of
    this site (a unit's address too). True when the link is valid, also when already unsubscribed."""
    delivery = delivery_for_token(site=site, token=token)
    if delivery is None:
        return False
    subscriber, created = Subscriber.objects.select_for_update().get_or_create(
        site=site, email=delivery.email,
        defaults={"salt": secrets.token_hex(8), "status": Subscriber.Status.UNSUBSCRIBED, "unsubscribed_at": timezone.now()})
    if created:
        audit.record(action="create", obj=subscriber, after=_sub_snap(subscriber),
                     message="unsubscribed")
    elif subscriber.status != Subscriber.Status.UNSUBSCRIBED:
        before = _sub_snap(subscriber)
        subscriber.status, subscriber.unsubscribed_at = Subscriber.Status.UNSUBSCRIBED, timezone.now()
        subscriber.salt = secrets.token_hex(8)  # confirmation links sent before are void
        subscriber.save(update_fields=["status", "unsubscribed_at", "salt"])
        audit.record(action="update", obj=subscriber, before=before, after=_sub_snap(subscriber),
                     message="unsubscribed")
    return True


def subscriber_list_open(*, site: PublicSite, user) -> list[Subscriber]:
    """The site's subscribers as staff see them (addresses masked); who looked is audited."""
    rows = list(Subscriber.objects.filter(site=site).order_by("-created_at", "-id"))
    audit.record(actor=user, action="other", obj=site, after={"subscribers": len(rows)},
                 message="viewed the bulletin's subscribers")
    return rows


# --------------------------------------------------------------------------------------- sending


def sending_start(*, issue: Issue, user, base_url: str) -> Sending:
    """Send a published issue to its recipients, in the background. Addresses that already got this
    issue are not mailed again; those that failed are tried again."""
    from .tasks import send_issue_task

    with transaction.atomic():
        issue = Issue.objects.select_for_update().select_related("site", "site__unit").get(pk=issue.pk)
        if not issue.is_published:
            raise BulletinError(_("Publish the issue before sending it."))
        if Sending.objects.filter(issue=issue, finished_at__isnull=True).exists():
            raise BulletinError(_("The issue is being sent; wait until the sending has finished."))
        Delivery.objects.bulk_create(
            [Delivery(issue=issue, email=email, kind=kind) for email, kind in selectors.recipients(issue).items()],
            ignore_conflicts=True, batch_size=500)
        Delivery.objects.filter(issue=issue, status=Delivery.Status.FAILED).update(status=Delivery.Status.PENDING, error="")
        pending = Delivery.objects.filter(issue=issue, status=Delivery.Status.PENDING).count()
        sending = Sending.objects.create(issue=issue, started_by=user, total=pending, base_url=base_url,
                                         finished_at=None if pending else timezone.now())
        audit.record(actor=user, action="create", obj=sending, message=f"sending {issue.label}: {pending} addresses")
        if pending:
            transaction.on_commit(lambda: send_issue_task.delay(sending.pk))
    return sending


def resume_stalled(*, now=None, after_minutes: int | None = None) -> list[int]:
    """Take up the sendings whose worker stopped (a restart, a crash) without finishing: no progress for
    `after_minutes` (CCHC_BULLETIN_STALLED_MINUTES, 15). Their deliveries left "being sent" wait again and
    the task is queued anew; an address whose mail went out just before the worker died may get it twice,
    never none. Run by the Celery beat. Returns the sendings resumed."""
    from .tasks import send_issue_task

    now = now or timezone.now()
    minutes = after_minutes or getattr(settings, "CCHC_BULLETIN_STALLED_MINUTES", 15)
    limit = now - dt.timedelta(minutes=minutes)
    resumed = []
    for sending in Sending.objects.filter(finished_at__isnull=True).filter(
            Q(progress_at__lt=limit) | Q(progress_at__isnull=True, started_at__lt=limit)):
        with transaction.atomic():
            locked = Sending.objects.select_for_update().filter(pk=sending.pk, finished_at__isnull=True).first()
            if locked is None:
                continue
            again = Delivery.objects.filter(sending=locked, status=Delivery.Status.SENDING).update(
                status=Delivery.Status.PENDING)
            Sending.objects.filter(pk=locked.pk).update(progress_at=now)
            audit.record(action="update", obj=locked, message=f"resumed after {minutes} minutes without progress; "
                                                               f"{again} deliveries taken up again")
            transaction.on_commit(lambda pk=locked.pk: send_issue_task.delay(pk))
        resumed.append(sending.pk)
    return resumed


def _claim_batch(sending: Sending, size: int) -> list[Delivery]:
    """Take up to `size` waiting deliveries of the issue for this sending (another worker skips them)."""
    with transaction.atomic():
        qs = Delivery.objects.filter(issue_id=sending.issue_id, status=Delivery.Status.PENDING).order_by("id")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        batch = list(qs[:size])
        Delivery.objects.filter(pk__in=[d.pk for d in batch], status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SENDING, sending=sending)
    return batch


def _bulletin_mail(issue: Issue, sending: Sending, delivery: Delivery, context: dict, mail_connection):
    unsubscribe_url = f"{sending.base_url}ban-tin/huy-dang-ky/{tokens.unsubscribe_token(delivery.pk)}/"
    headers = {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",  # RFC 8058
        "List-Id": f"<bulletin.{issue.site.slug}.cchc>",
    }
    return _mail(subject=f"Bản tin cải cách hành chính số {issue.number_text} – {issue.site.title}",
                 template="issue", context={**context, "unsubscribe_url": unsubscribe_url}, to=delivery.email,
                 headers=headers, connection=mail_connection)


def sending_run(sending_id: int, *, batch_size: int | None = None) -> Sending:
    """Mail the waiting deliveries of a sending, batch after batch, saving the progress after each."""
    size = batch_size or getattr(settings, "CCHC_BULLETIN_BATCH_SIZE", 50)
    sending = Sending.objects.select_related("issue", "issue__site", "issue__site__unit").get(pk=sending_id)
    issue = sending.issue
    context = {"issue": issue, "site": issue.site, "articles": selectors.issue_articles(issue),
               "base_url": sending.base_url, "link": f"{sending.base_url}{issue.public_rest()}"}
    while True:
        batch = _claim_batch(sending, size)
        if not batch:
            break
        sent, failed = [], []
        with get_connection() as mail_connection:
            for delivery in batch:
                try:
                    _bulletin_mail(issue, sending, delivery, context, mail_connection).send()
                    sent.append(delivery.pk)
                except Exception as exc:  # one refused address must not stop the others
                    logger.warning("bulletin %s to delivery %s failed: %s", issue.pk, delivery.pk, exc)
                    failed.append(delivery.pk)
        now = timezone.now()
        Delivery.objects.filter(pk__in=sent).update(status=Delivery.Status.SENT, sent_at=now)
        Delivery.objects.filter(pk__in=failed).update(status=Delivery.Status.FAILED, error=_("The mail server refused it."))
        sending.sent += len(sent)
        sending.failed += len(failed)
        Sending.objects.filter(pk=sending.pk).update(sent=sending.sent, failed=sending.failed, progress_at=now)
    sending.finished_at = timezone.now()
    Sending.objects.filter(pk=sending.pk).update(finished_at=sending.finished_at)
    audit.record(action="update", obj=sending, message=f"sent {sending.sent}, failed {sending.failed}")
    return sending
