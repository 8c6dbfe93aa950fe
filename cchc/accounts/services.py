"""Writes of user accounts (tài khoản người dùng), and unlocking after failed logins."""

import datetime as dt

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from cchc.core import audit


@transaction.atomic
def user_create_or_update(
    *, actor=None, username: str, password: str | None = None, full_name: str = "", position: str = "",
    email: str = "", is_superuser: bool = False,
):
    """Create the account, or bring an existing one to these values (used by the demo loader and
    by scripts). The password is set only when given."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    before = audit.snapshot(user) if user is not None else None
    if user is None:
        user = User(username=username)
    user.full_name = full_name
    user.position = position
    user.email = email
    user.is_superuser = is_superuser
    user.is_staff = is_superuser  # only system administrators reach the Django admin
    user.is_active = True
    if password is not None:
        user.set_password(password)
    user.full_clean(exclude=["password"] if password is None else None)
    user.save()
    after = audit.snapshot(user)
    if before is None:
        audit.record(actor=actor, action="create", obj=user, after=after)
    elif before != after:
        audit.record(actor=actor, action="update", obj=user, before=before, after=after)
    return user



def _recent_attempts():
    """The failed-login records that still count (those within AXES_COOLOFF_TIME)."""
    attempts = AccessAttempt.objects.all()
    if settings.AXES_COOLOFF_TIME:
        since = timezone.now() - dt.timedelta(hours=float(settings.AXES_COOLOFF_TIME))
        attempts = attempts.filter(attempt_time__gte=since)
    return attempts


def _locked(field: str) -> list[dict]:
    attempts = _recent_attempts().filter(**{f"{field}__isnull": False})
    if field == "username":
        attempts = attempts.exclude(username="")  # (an address field cannot be compared with "")
    rows = (
        attempts.values(field)
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT).order_by("-last")
    )
    return [{"key": row[field], "failures": row["failures"], "last": row["last"]} for row in rows]


def locked_accounts() -> list[dict]:
    """User names locked by failed logins from any addresses: key, failures, last (attempt time)."""
    return _locked("username")


def locked_addresses() -> list[dict]:
    """Addresses locked by failed logins for any user names."""
    return _locked("ip_address")


def is_account_locked(username: str) -> bool:
    return any(row["key"] == username for row in locked_accounts()) if username else False


def is_address_locked(ip_address: str | None) -> bool:
    return any(row["key"] == ip_address for row in locked_addresses()) if ip_address else False


@transaction.atomic
def unlock(*, actor, username: str = "", ip_address: str = "") -> int:
    """Forget the failed logins of a user name (from every address) or of an address (for every user
    name), which lifts the lockout; audited. Returns how many attempt records were removed."""
    if bool(username) == bool(ip_address):
        raise ValueError("unlock takes a user name or an address")
    attempts = AccessAttempt.objects.filter(username=username) if username else AccessAttempt.objects.filter(
        ip_address=ip_address
    )
    failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
    removed, _ = attempts.delete()
    if username:
        known = get_user_model().objects.filter(username=username).values_list("pk", flat=True).first()
        audit.record(
            actor=actor, action="other", object_type=get_user_model()._meta.label_lower,
            object_id=str(known or ""), object_repr=username, before={"failed_logins": failures},
            after={"failed_logins": 0}, message="account unlocked after failed logins",
        )
    else:
        audit.record(
            actor=actor, action="other", object_type="axes.accessattempt", object_repr=ip_address,
            before={"failed_logins": failures}, after={"failed_logins": 0},
            message="address unlocked after failed logins",
        )
    return removed
