"""Who manages a unit's public site: the unit's managers (a manager or supervisor above it too) and
system administrators. The public reads every open site without an account."""

from __future__ import annotations

from cchc.org import permissions as org_permissions
from cchc.org.models import Unit


def can_manage_site(user, unit: Unit) -> bool:
    return getattr(user, "is_authenticated", False) and unit.is_active and org_permissions.can_approve(user, unit)


def may_manage_some_site(user) -> bool:
    """For the menu: a manager or supervisor of some unit (from the memberships already read, no query)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or any(g.role in org_permissions.APPROVE_ROLES for g in org_permissions.grants(user))


def editable_units(user) -> list[Unit]:
    """The current units whose public site the user may set up: those they manage directly."""
    if not getattr(user, "is_authenticated", False):
        return []
    ids = [g.unit_id for g in org_permissions.grants(user)]
    units = Unit.objects.current().filter(pk__in=ids).order_by("path")
    return [u for u in units if can_manage_site(user, u)]


def access_site_unit(user, code: str) -> Unit:
    """The unit whose site the user sets up; Http404 when missing or forbidden alike."""
    return org_permissions.access_unit(user, code, allowed=can_manage_site)
