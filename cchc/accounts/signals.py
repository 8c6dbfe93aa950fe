"""Logins, logouts and failed logins are written to the audit log (nhật ký đăng nhập)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from cchc.core import audit

from .middleware import mark_seen


def _object_type() -> str:
    return get_user_model()._meta.label_lower


def on_login(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None:
        mark_seen(session)  # the idle clock starts at login, without a second save on the next page
    audit.record(
        actor=user, action="login", object_type=_object_type(), object_id=str(user.pk),
        object_repr=user.get_username(),
    )


def on_logout(sender, request, user, **kwargs):
    if user is None:  # the session had already expired
        return
    audit.record(
        actor=user, action="logout", object_type=_object_type(), object_id=str(user.pk),
        object_repr=user.get_username(),
    )


def on_login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in `credentials`; only the user name is kept.
    username = str(credentials.get("username") or "")[:150]
    known = get_user_model().objects.filter(username=username).values_list("pk", flat=True).first()
    audit.record(
        actor=None, action="login_failed", object_type=_object_type(),
        object_id=str(known or ""), object_repr=username,
    )


def connect() -> None:
    user_logged_in.connect(on_login, dispatch_uid="cchc.accounts.audit_login")
    user_logged_out.connect(on_logout, dispatch_uid="cchc.accounts.audit_logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="cchc.accounts.audit_login_failed")
