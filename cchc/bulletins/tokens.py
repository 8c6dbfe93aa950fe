"""Signed links of the bulletin's e-mails.

- Confirmation (double opt-in): "<subscriber id>:<signature>", signed with the subscriber's own salt
  and valid for CONFIRM_DAYS; a new salt (a new request after unsubscribing) voids older links.
- Unsubscribe: "<delivery id>:<signature>", one per e-mail sent; it names the issue's site and the
  address without putting the address in the link, and stays valid (RFC 8058 asks that it work long
  after the mail was sent).
"""

from __future__ import annotations

from django.core import signing

CONFIRM_DAYS = 7


def _confirm_signer(salt: str) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"cchc.bulletins.confirm.{salt}")


def _unsubscribe_signer() -> signing.Signer:
    return signing.Signer(salt="cchc.bulletins.unsubscribe")


def _split(token: str) -> tuple[int, str] | None:
    head, sep, _rest = (token or "").partition(":")
    if not sep or not head.isdigit() or len(token) > 200:
        return None
    return int(head), token


def confirm_token(subscriber) -> str:
    return _confirm_signer(subscriber.salt).sign(str(subscriber.pk))


def confirm_subscriber_id(token: str, salt_of) -> int | None:
    """The subscriber a confirmation link is for, or None when it is forged, altered or expired.
    `salt_of(id)` gives the current salt of a subscriber (None when there is none)."""
    parsed = _split(token)
    if parsed is None:
        return None
    pk, value = parsed
    salt = salt_of(pk)
    if not salt:
        return None
    try:
        return int(_confirm_signer(salt).unsign(value, max_age=CONFIRM_DAYS * 86400)) if value else None
    except (signing.BadSignature, ValueError):
        return None


def unsubscribe_token(delivery_id: int) -> str:
    return _unsubscribe_signer().sign(str(delivery_id))


def unsubscribe_delivery_id(token: str) -> int | None:
    parsed = _split(token)
    if parsed is None:
        return None
    try:
        return int(_unsubscribe_signer().unsign(parsed[1]))
    except (signing.BadSignature, ValueError):
        return None
