"""Everything that changes feedback items: intake (public form and officers' entry), classification,
transfer, answer, approval, sending and publication. Each service is one transaction that writes
its audit event; views and the public side call these and nothing else.

A refusal is a `FeedbackError` whose message is written for the user (in Vietnamese through the
catalogue).
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import re
import secrets
import unicodedata

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.core import audit, workdays
from cchc.core.text import nfc
from cchc.core.uploads import UploadRefused, check_upload

from .models import Answer, Attachment, Channel, Item, ItemType, Status, Transfer

logger = logging.getLogger(__name__)

#: the types the national PAKN portal accepts
ATTACHMENT_TYPES = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png"}
MAX_ATTACHMENTS = 5
#: unambiguous letters and digits (no 0/O, 1/I/L): read over the phone without mistakes
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
_CODE_TRIES = 8
OFFICER_CHANNELS = tuple(c for c in Channel if c != Channel.WEB)


class FeedbackError(Exception):
    def __init__(self, message: str, *, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


def max_attachment_bytes() -> int:
    """The size limit of one attachment (CCHC_FEEDBACK_MAX_UPLOAD_BYTES, 10 MB unless set)."""
    return int(getattr(settings, "CCHC_FEEDBACK_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


# -- codes and contacts ------------------------------------------------------------------------

def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(value: str) -> str:
    """What a person typed as a code: case, spaces and dashes ignored, O read as 0 is not in the
    alphabet so it is kept (and finds nothing)."""
    return re.sub(r"[\s\-.]", "", unicodedata.normalize("NFKC", value or "")).upper()[:32]


def normalise_phone(value: str) -> str:
    """Digits only, the country code +84 / 84 read as a leading 0: '+84 912 345 678' == '0912345678'."""
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", value or ""))
    if digits.startswith("84") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits


def normalise_email(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").strip().lower()


def _same(a: str, b: str) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(a.encode(), b.encode())


# -- attachments -------------------------------------------------------------------------------

def check_attachment(upload) -> str:
    """Refuse a file of a type the national portal does not accept, or over the size limit, from its
    name, its size and its first bytes, before anything reads it. Returns the extension; raises
    FeedbackError with a message for the sender."""
    size = getattr(upload, "size", None)
    limit = max_attachment_bytes()
    name = getattr(upload, "name", "") or ""
    if size is not None and size > limit:
        raise FeedbackError(
            _("“%(name)s” is %(size).1f MB; the limit is %(limit).0f MB. Split it or compress it and try again.")
            % {"name": name, "size": size / 1048576, "limit": limit / 1048576})
    try:
        return check_upload(upload, allowed=ATTACHMENT_TYPES)
    except UploadRefused as exc:
        raise FeedbackError(str(exc)) from exc


def _check_attachments(attachments) -> list:
    files = [f for f in (attachments or ()) if f]
    if len(files) > MAX_ATTACHMENTS:
        raise FeedbackError(_("Attach at most %(n)d files.") % {"n": MAX_ATTACHMENTS})
    for upload in files:
        check_attachment(upload)
    return files


def _store_attachments(item: Item, files) -> None:
    for upload in files:
        name = nfc(getattr(upload, "name", "") or "tep")[-255:]
        attachment = Attachment(item=item, original_name=name, size=getattr(upload, "size", 0) or 0)
        attachment.file.save(name, upload, save=False)
        attachment.save()


# -- due dates ---------------------------------------------------------------------------------

def default_item_type() -> ItemType:
    item_type = ItemType.objects.filter(is_default=True).order_by("order", "pk").first() or \
        ItemType.objects.order_by("order", "pk").first()
    if item_type is None:  # the data migration seeds them; a database emptied by hand gets one back
        item_type, _created = ItemType.objects.get_or_create(
            code="quy-dinh-hanh-chinh", defaults={"name": "Phản ánh, kiến nghị về quy định hành chính",
                                                  "is_default": True})
    return item_type


def _set_dues(item: Item, *, calendar: workdays.Calendar | None = None) -> None:
    """classify_due from the day received; answer_due from the day the responsible unit got it (or,
    before that, from the classification due date); reply_due after it by the approval days."""
    calendar = calendar or workdays.Calendar()
    kind = item.item_type
    item.classify_due = calendar.add_working_days(item.received_on, kind.classify_days)
    start = item.handling_since or item.classify_due
    item.answer_due = calendar.add_working_days(start, kind.answer_days)
    item.reply_due = calendar.add_working_days(item.answer_due, kind.approve_days)


# -- intake ------------------------------------------------------------------------------------

def _clean(value, limit: int) -> str:
    return nfc(str(value or "")).strip()[:limit]


def _intake_problems(*, name, phone, email, subject, content) -> dict:
    problems = {}
    if not name:
        problems["name"] = _("Write your name.")
    if not phone and not email:
        problems["phone"] = _("Give a phone number or an e-mail address so that we can answer you.")
    if phone and not 8 <= len(normalise_phone(phone)) <= 15:
        problems["phone"] = _("This is not a phone number. Write it with its digits, e.g. 0912 345 678.")
    if not subject:
        problems["subject"] = _("Write the subject of your feedback.")
    if not content:
        problems["content"] = _("Write the content of your feedback.")
    return problems


def _create(item: Item, *, form_token: str | None) -> Item:
    """Save a new item with a fresh code (retried on the rare collision); a token already stored means
    the same post arrived before: that item is returned instead."""
    for _try in range(_CODE_TRIES):
        item.code = new_code()
        item.pk = None
        try:
            with transaction.atomic():
                item.save(force_insert=True)
            return item
        except IntegrityError:
            if form_token:
                twin = Item.objects.filter(form_token=form_token).first()
                if twin is not None:
                    return twin
            if not Item.objects.filter(code=item.code).exists():
                raise
    raise FeedbackError(_("The feedback could not be stored. Please try again."))


def feedback_submit(*, site_unit, name, phone, email, address, subject, content, procedure=None,
                    concerned_unit=None, attachments=(), ip_address=None, consent_to_publish=False,
                    form_token: str | None = None) -> Item:
    """Store a feedback sent on the public site of `site_unit` (channel "web") and return it; its
    `code` is the tracking code to show the sender.

    Stored exactly once: with `form_token` (the public form's `{% form_token %}` value), a repeat of
    the same post — a double click, a retry after a lost answer, two concurrent requests — returns the
    item the first one stored. Attachments (at most MAX_ATTACHMENTS, types ATTACHMENT_TYPES, each
    under `max_attachment_bytes()`) are checked before anything is stored. Raises FeedbackError (with
    `fields`: {field name: message}) for missing or wrong data."""
    name, phone, email = _clean(name, 200), _clean(phone, 30), normalise_email(email)[:254]
    address, subject, content = _clean(address, 300), _clean(subject, 300), _clean(content, 20000)
    problems = _intake_problems(name=name, phone=phone, email=email, subject=subject, content=content)
    if problems:
        raise FeedbackError(next(iter(problems.values())), fields=problems)
    token = (form_token or "")[:64] or None
    if token:
        twin = Item.objects.filter(form_token=token).first()
        if twin is not None:
            return twin
    files = _check_attachments(attachments)
    item_type = default_item_type()
    received = workdays.today()
    with transaction.atomic():
        item = Item(form_token=token, channel=Channel.WEB, received_on=received, receiving_unit=site_unit,
                    handling_unit=site_unit, item_type=item_type, name=name, phone=phone, email=email,
                    address=address, ip_address=ip_address or None, subject=subject, content=content,
                    procedure=procedure, concerned_unit=concerned_unit,
                    consent_to_publish=bool(consent_to_publish))
        _set_dues(item)
        stored = _create(item, form_token=token)
        if stored is not item:
            return stored
        _store_attachments(item, files)
        audit.record(action="create", obj=item, after=_public_snapshot(item), message="feedback received on the web")
    return item


def item_enter(*, user, unit, channel, received_on: dt.date, name, phone="", email="", address="", subject,
               content, procedure=None, concerned_unit=None, consent_to_publish=False, item_type=None,
               attachments=()) -> Item:
    """An officer enters an item that came by phone, post, the mailbox, the hotline, the press or in
    person, with the day it was received (not in the future). The sender's contact may be missing
    (an anonymous letter)."""
    if channel not in OFFICER_CHANNELS:
        raise FeedbackError(_("Choose how the feedback came."), fields={"channel": _("Choose how the feedback came.")})
    today = workdays.today()
    if received_on is None:
        raise FeedbackError(_("Give the date it was received."), fields={"received_on": _("Give the date it was received.")})
    if received_on > today:
        message = _("The date received (%(date)s) is in the future. Give the day the feedback arrived, today "
                    "(%(today)s) at the latest.") % {"date": received_on.strftime("%d/%m/%Y"),
                                                     "today": today.strftime("%d/%m/%Y")}
        raise FeedbackError(message, fields={"received_on": message})
    name = _clean(name, 200) or _("(anonymous)")
    phone, email = _clean(phone, 30), normalise_email(email)[:254]
    subject, content = _clean(subject, 300), _clean(content, 20000)
    problems = {}
    if not subject:
        problems["subject"] = _("Write the subject of your feedback.")
    if not content:
        problems["content"] = _("Write the content of your feedback.")
    if problems:
        raise FeedbackError(next(iter(problems.values())), fields=problems)
    files = _check_attachments(attachments)
    with transaction.atomic():
        item = Item(channel=channel, received_on=received_on, receiving_unit=unit, handling_unit=unit,
                    item_type=item_type or default_item_type(), name=name, phone=phone, email=email,
                    address=_clean(address, 300), subject=subject, content=content, procedure=procedure,
                    concerned_unit=concerned_unit, consent_to_publish=bool(consent_to_publish), created_by=user)
        _set_dues(item)
        _create(item, form_token=None)
        _store_attachments(item, files)
        audit.record(actor=user, action="create", obj=item, after=_public_snapshot(item),
                     message=f"feedback entered ({channel})")
    return item


# -- reading by the sender -----------------------------------------------------------------------

def item_for_tracking(code: str, contact: str) -> Item | None:
    """The item with tracking `code` whose sender gave `contact` (their phone or e-mail, compared
    normalised: '+84 912 345 678' finds '0912345678', case is ignored in e-mails); None otherwise,
    whether the code is unknown or the contact does not match (the same answer, so neither can be
    probed). The comparison takes the same time whichever part differs."""
    code = normalise_code(code)
    wanted_phone, wanted_email = normalise_phone(contact), normalise_email(contact)
    item = (Item.objects.select_related("handling_unit", "receiving_unit", "procedure", "answer")
            .filter(code=code).first()) if len(code) == CODE_LENGTH else None
    phone = normalise_phone(item.phone) if item is not None else "0" * 10
    email = normalise_email(item.email) if item is not None else "x@x"
    phone_ok = _same(phone, wanted_phone) if "@" not in contact else False
    email_ok = _same(email, wanted_email)
    if item is None or not (phone_ok or email_ok):
        return None
    return item


def published_items(unit_paths):
    """The items published on the public sites of the units under `unit_paths` (newest first):
    answered, approved for publication by the manager, and with the sender's consent. Show only
    `public_title`, `public_question`, `answer.public_text`, `field`, `procedure`, `handling_unit`,
    `received_on`, `sent_on` and `published_at`: the sender's personal data is left unloaded."""
    return (Item.objects.for_units(unit_paths)
            .filter(status=Status.PUBLISHED, consent_to_publish=True, answer__approved_at__isnull=False)
            .select_related("answer", "handling_unit", "procedure")
            .defer("name", "phone", "email", "address", "ip_address", "subject", "content", "form_token")
            .order_by("-published_at", "-pk"))


# -- handling ----------------------------------------------------------------------------------

PERSONAL_FIELDS = ("name", "phone", "email", "address", "ip_address", "form_token")


def _public_snapshot(item: Item) -> dict:
    """The item's fields for the audit log, without the sender's personal data."""
    return {k: v for k, v in audit.snapshot(item).items() if k not in PERSONAL_FIELDS}


def personal_data_viewed(*, item: Item, user, what: str = "item page") -> None:
    """Write that `user` saw the sender's personal data of `item` (every staff view is audited)."""
    audit.record(actor=user, action="view_personal", obj=item, after={}, message=f"viewed personal data: {what}")


def _require(item: Item, *statuses, message: str | None = None) -> None:
    if item.status not in statuses:
        raise FeedbackError(message or _("This feedback is now “%(status)s”; the page was out of date. "
                                         "Open it again.") % {"status": item.get_status_display()})


def _locked(item: Item) -> Item:
    return Item.objects.select_for_update().select_related("item_type", "handling_unit").get(pk=item.pk)


def item_classify(*, item: Item, user, in_scope: bool, reason: str = "", field: str = "", procedure=None,
                  item_type: ItemType | None = None) -> Item:
    """The handling unit says whether the item is within the scope of feedback on administrative
    regulations, its field and the procedure concerned. Out of scope closes it (a reason is required)."""
    with transaction.atomic():
        item = _locked(item)
        _require(item, Status.RECEIVED, Status.CLASSIFIED, Status.TRANSFERRED)
        before = _public_snapshot(item)
        reason = _clean(reason, 5000)
        if not in_scope and not reason:
            message = _("Say why the feedback is out of scope: the sender reads it.")
            raise FeedbackError(message, fields={"scope_reason": message})
        item.in_scope = bool(in_scope)
        item.scope_reason = reason
        item.field = _clean(field, 200)
        item.procedure = procedure
        if item_type is not None and item_type.pk != item.item_type_id:
            item.item_type = item_type
            _set_dues(item)
        item.classified_at, item.classified_by = timezone.now(), user
        if not in_scope:
            item.status = Status.OUT_OF_SCOPE
            item.closed_at = timezone.now()
        elif item.status == Status.RECEIVED:
            item.status = Status.CLASSIFIED
        item.save()
        audit.record(actor=user, action="update", obj=item, before=before, after=_public_snapshot(item),
                     message="classified" + ("" if in_scope else ": out of scope"))
    return item


def item_transfer(*, item: Item, user, to_unit, reason: str) -> Transfer:
    """Hand the item to the unit responsible for it, with the reason. The answer's due dates then count
    from today, the day that unit got it."""
    reason = _clean(reason, 5000)
    if not reason:
        message = _("Say why the feedback goes to this unit.")
        raise FeedbackError(message, fields={"reason": message})
    with transaction.atomic():
        item = _locked(item)
        _require(item, Status.RECEIVED, Status.CLASSIFIED, Status.TRANSFERRED)
        if to_unit.pk == item.handling_unit_id:
            message = _("The feedback is already with %(unit)s.") % {"unit": to_unit.name}
            raise FeedbackError(message, fields={"to_unit": message})
        before = _public_snapshot(item)
        transfer = Transfer.objects.create(item=item, from_unit=item.handling_unit, to_unit=to_unit, reason=reason,
                                           by=user)
        item.handling_unit = to_unit
        item.status = Status.TRANSFERRED
        if item.in_scope is None:
            item.in_scope = True
        item.handling_since = workdays.today()
        _set_dues(item)
        item.save()
        audit.record(actor=user, action="create", obj=transfer, message=f"transferred to {to_unit.code}")
        audit.record(actor=user, action="update", obj=item, before=before, after=_public_snapshot(item),
                     message=f"transferred to {to_unit.code}")
    return transfer


def answer_draft(*, item: Item, user, text: str) -> Answer:
    """The responsible unit's officer writes (or rewrites) the answer; the manager approves it next."""
    text = _clean(text, 50000)
    if not text:
        message = _("Write the answer.")
        raise FeedbackError(message, fields={"text": message})
    with transaction.atomic():
        item = _locked(item)
        _require(item, Status.CLASSIFIED, Status.TRANSFERRED, Status.DRAFTED)
        before = _public_snapshot(item)
        answer, _created = Answer.objects.get_or_create(item=item, defaults={"text": text})
        answer_before = audit.snapshot(answer)
        answer.text, answer.drafted_by, answer.drafted_at = text, user, timezone.now()
        answer.approved_by, answer.approved_at = None, None
        answer.save()
        item.status = Status.DRAFTED
        item.save(update_fields=["status", "updated_at"])
        audit.record(actor=user, action="update", obj=answer, before=answer_before)
        audit.record(actor=user, action="update", obj=item, before=before, after=_public_snapshot(item),
                     message="answer drafted")
    return answer


def answer_return(*, item: Item, user, note: str = "") -> Item:
    """The manager sends the draft back to be rewritten."""
    with transaction.atomic():
        item = _locked(item)
        _require(item, Status.DRAFTED)
        before = _public_snapshot(item)
        item.status = Status.TRANSFERRED if item.transfers.exists() else Status.CLASSIFIED
        item.save(update_fields=["status", "updated_at"])
        audit.record(actor=user, action="update", obj=item, before=before, after=_public_snapshot(item),
                     message=("answer returned: " + _clean(note, 400)).strip())
    return item


def personal_data_in(item: Item, *texts: str) -> list[str]:
    """The sender's personal data (phone, e-mail, full name, address) found in `texts`: what must not
    be published."""
    from cchc.core.text import fold

    found = []
    joined = " ".join(t or "" for t in texts)
    digits = re.sub(r"\D", "", joined)
    phone = normalise_phone(item.phone)
    if phone and len(phone) >= 8 and (phone in digits or phone[1:] in digits):
        found.append(_("the phone number"))
    if item.email and normalise_email(item.email) in joined.lower():
        found.append(_("the e-mail address"))
    folded = f" {fold(joined)} "
    name = fold(item.name or "").strip()
    if name and len(name.split()) >= 2 and f" {name} " in re.sub(r"[^\w]+", " ", folded):
        found.append(_("the sender's name"))
    address = fold(item.address or "").strip()
    if address and len(address) >= 8 and address in folded:
        found.append(_("the address"))
    return found


def answer_approve(*, item: Item, user, text: str | None = None, public_title: str = "",
                   public_question: str = "", public_text: str = "") -> Answer:
    """The manager approves the answer and the exact public text: title, question and answer as
    they will be published, without the sender's personal data (refused when it is found there)."""
    public_title, public_question = _clean(public_title, 300), _clean(public_question, 20000)
    public_text = _clean(public_text, 50000)
    with transaction.atomic():
        item = _locked(item)
        _require(item, Status.DRAFTED)
        answer = Answer.objects.select_for_update().get(item=item)
        leaks = personal_data_in(item, public_title, public_question, public_text)
        if leaks:
            message = _("The public text still holds %(what)s of the sender. Remove it: personal data is never "
                        "published.") % {"what": ", ".join(leaks)}
            raise FeedbackError(message, fields={"public_text": message})
        if item.consent_to_publish and not (public_title and public_question and public_text):
            message = _("The sender agreed to publication: write the public title, question and answer.")
            raise FeedbackError(message, fields={"public_text": message})
        before, answer_before = _public_snapshot(item), audit.snapshot(answer)
        if text is not None and _clean(text, 50000):
            answer.text = _clean(text, 50000)
        answer.public_text = public_text
        answer.approved_by, answer.approved_at = user, timezone.now()
        answer.save()
        item.public_title, item.public_question = public_title, public_question
        item.status = Status.APPROVED
        item.save()
        audit.record(actor=user, action="update", obj=answer, before=answer_before, message="answer approved")
        audit.record(actor=user, action="update", obj=item, before=before, after=_public_snapshot(item),
                     message="answer approved")
    return answer


def _answer_mail(item: Item) -> EmailMultiAlternatives | None:
    if not item.email:
        return None
    subject = _("Answer to your feedback %(code)s") % {"code": item.code}
    body = _("Dear %(name)s,\n\n%(unit)s answers your feedback “%(subject)s” (code %(code)s, received on "
             "%(date)s):\n\n%(answer)s\n\nYou can also read it with your code and contact on the public site.") % {
        "name": item.name, "unit": item.handling_unit.name, "subject": item.subject, "code": item.code,
        "date": item.received_on.strftime("%d/%m/%Y"), "answer": item.answer.text}
    return EmailMultiAlternatives(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[item.email])


def _send_mail_quietly(item_id: int) -> None:
    item = Item.objects.select_related("answer", "handling_unit").filter(pk=item_id).first()
    mail = _answer_mail(item) if item is not None else None
    if mail is None:
        return
    try:
        mail.send()
    except Exception:  # the answer is sent in the platform; a mail server down is logged, not undone
        logger.exception("mailing the answer of feedback %s failed", item_id)


def answer_send(*, item: Item, user) -> Item:
    """Send the approved answer: the item is answered today, and the sender gets it by e-mail when
    they gave an address (after the commit, through Django's mail)."""
    with transaction.atomic():
        item = _locked(item)
        _require(item, Status.APPROVED)
        before = _public_snapshot(item)
        item.status = Status.SENT
        item.sent_at = timezone.now()
        item.sent_on = workdays.today()
        item.save()
        audit.record(actor=user, action="update", obj=item, before=before, after=_public_snapshot(item),
                     message="answer sent" + (" by e-mail" if item.email else ""))
        pk = item.pk
        transaction.on_commit(lambda: _send_mail_quietly(pk))
    return item


def item_publish(*, item: Item, user) -> Item:
    """Publish the approved question and answer on the public site: only with the sender's consent."""
    with transaction.atomic():
        item = _locked(item)
        _require(item, Status.SENT)
        if not item.consent_to_publish:
            raise FeedbackError(_("The sender did not agree to publication: this answer stays private."))
        answer = getattr(item, "answer", None)
        if answer is None or not answer.public_text or not item.public_question or answer.approved_at is None:
            raise FeedbackError(_("The manager has not approved a public text for this answer."))
        before = _public_snapshot(item)
        item.status = Status.PUBLISHED
        item.published_at = timezone.now()
        item.save()
        audit.record(actor=user, action="update", obj=item, before=before, after=_public_snapshot(item),
                     message="published")
    return item


def item_unpublish(*, item: Item, user) -> Item:
    with transaction.atomic():
        item = _locked(item)
        _require(item, Status.PUBLISHED)
        before = _public_snapshot(item)
        item.status = Status.SENT
        item.published_at = None
        item.save()
        audit.record(actor=user, action="update", obj=item, before=before, after=_public_snapshot(item),
                     message="withdrawn from the public site")
    return item
