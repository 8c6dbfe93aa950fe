"""Writes of the unit directory that concern people: memberships (vai trò của người dùng tại đơn vị)."""

from __future__ import annotations

from django.db import transaction

from cchc.core import audit

from . import permissions
from .models import Membership, Unit


@transaction.atomic
def membership_create(*, actor=None, user, unit: Unit, role: str) -> Membership:
    """Give `user` the `role` in `unit`. Re-activates a membership that was ended; returns the
    existing one unchanged when it is already active."""
    membership = Membership.objects.select_for_update().filter(user=user, unit=unit, role=role).first()
    if membership is not None and membership.is_active:
        return membership
    if membership is None:
        membership = Membership(user=user, unit=unit, role=role, is_active=True)
        membership.full_clean()
        membership.save()
        audit.record(actor=actor, action="create", obj=membership)
    else:
        before = audit.snapshot(membership)
        membership.is_active = True
        membership.full_clean()
        membership.save()
        audit.record(actor=actor, action="update", obj=membership, before=before)
    permissions.forget(user)
    return membership


@transaction.atomic
def membership_deactivate(*, actor=None, membership: Membership) -> Membership:
    """End a membership; the row stays so that the audit log keeps its meaning."""
    if not membership.is_active:
        return membership
    before = audit.snapshot(membership)
    membership.is_active = False
    membership.full_clean()
    membership.save()
    audit.record(actor=actor, action="update", obj=membership, before=before, message="deactivated")
    permissions.forget(membership.user)
    return membership
