"""Writes of user accounts (tài khoản người dùng)."""

from django.contrib.auth import get_user_model
from django.db import transaction

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
