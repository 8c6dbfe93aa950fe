"""Who may see and record a unit's outputs. Views ask here; a forbidden record answers like a missing one.

- officers and managers of a unit (or of a unit above it) record and edit its outputs;
- a supervisor records the outputs of the unit they belong to, and reads those of its whole subtree;
- viewers read;
- records written by a platform module are kept by that module and are not edited by hand.

Rights are read from `cchc.org.permissions` (memberships flowing down the tree, closed units seen
through their successor).
"""

from __future__ import annotations

from django.http import Http404

from cchc.org import permissions as org_permissions
from cchc.org.models import Membership, Unit

from .models import OutputRecord

_RECORDING_ROLES = {Membership.Role.OFFICER, Membership.Role.MANAGER}


def can_view_outputs(user, unit: Unit) -> bool:
    return org_permissions.can_view(user, unit)


def can_record(user, unit: Unit) -> bool:
    """Record outputs for `unit`: its officers and managers; a supervisor only for their own unit."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if unit.valid_to is not None and not unit.is_active:
        return False  # a closed unit's history is read through its successor, not added to
    role = org_permissions.role_for(user, unit)
    if role in _RECORDING_ROLES:
        return True
    return role == Membership.Role.SUPERVISOR and any(
        g.unit_id == unit.pk and g.role == Membership.Role.SUPERVISOR for g in org_permissions.grants(user)
    )


def can_change_record(user, record: OutputRecord) -> bool:
    return not record.is_from_module and can_record(user, record.unit)


def access_recording_unit(user, code) -> Unit:
    """The unit whose outputs the user records; Http404 when it is missing or forbidden alike."""
    return org_permissions.access_unit(user, code, allowed=can_record)


def access_output(user, pk, *, action: str = "view") -> OutputRecord:
    """The record if the user may `action` it ("view", or "change": edit or delete); Http404 when it
    is missing or forbidden alike."""
    if action not in ("view", "change"):
        raise ValueError(f"unknown action {action!r}")
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404
    record = (
        OutputRecord.objects.counted()
        .select_related("unit", "unit__successor", "output_type", "task", "task__plan", "target")
        .filter(pk=pk)
        .first()
    )
    if record is None or not can_view_outputs(user, record.unit):
        raise Http404
    if action == "change" and not can_change_record(user, record):
        raise Http404
    return record


def recording_units(user) -> list[Unit]:
    """Current units the user may record outputs for: their membership units (not every unit below)."""
    if not getattr(user, "is_authenticated", False):
        return []
    ids = [g.unit_id for g in org_permissions.grants(user)]
    units = Unit.objects.current().filter(pk__in=ids).order_by("path")
    return [u for u in units if can_record(user, u)]
