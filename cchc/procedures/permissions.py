"""Who may manage which catalogue. Views ask here; a forbidden catalogue, decision or entry answers like
a missing one (404).

- the officers, managers and supervisors of a unit (held there or on a unit above it) manage its
  catalogue: import and apply decisions, edit entries, type its online-service figures;
- anybody else (viewers included) sees the catalogue on the public site only.

Rights come from `cchc.org.permissions` (memberships flowing down the tree, closed units through
their successor). A closed unit's catalogue is read through the unit that took it over, not changed.
"""

from __future__ import annotations

from django.http import Http404

from cchc.org import permissions as org_permissions
from cchc.org.models import Unit

from .models import Decision, Procedure


def can_manage(user, unit: Unit) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if unit.valid_to is not None and not unit.is_active:
        return False
    return org_permissions.can_edit(user, unit)


def access_catalogue(user, code: str) -> Unit:
    """The unit whose catalogue the user manages; UnitNotFound (404) when missing or forbidden alike."""
    return org_permissions.access_unit(user, code, allowed=can_manage)


def _pk(value) -> int:
    return org_permissions.pk_or_404(value)


def access_decision(user, pk) -> Decision:
    decision = Decision.objects.select_related("unit", "unit__successor").filter(pk=_pk(pk)).first()
    if decision is None or not can_manage(user, decision.unit):
        raise Http404
    return decision


def access_procedure(user, pk) -> Procedure:
    procedure = (Procedure.objects.select_related("unit", "unit__successor", "introduced_by", "last_decision",
                                                  "abolished_by").filter(pk=_pk(pk)).first())
    if procedure is None or not can_manage(user, procedure.unit):
        raise Http404
    return procedure


def managed_units(user) -> list[Unit]:
    """Current units whose catalogue the user manages: their membership units (not every unit below),
    and for a system administrator the units that have a catalogue or decisions, and the provinces."""
    if not getattr(user, "is_authenticated", False):
        return []
    if user.is_superuser:
        with_catalogue = set(Decision.objects.values_list("unit_id", flat=True).distinct())
        units = Unit.objects.current().filter(pk__in=with_catalogue) | Unit.objects.current().filter(
            kind__in=Unit.PROVINCE_KINDS, parent__isnull=True)
        return list(units.distinct().order_by("path"))
    ids = [g.unit_id for g in org_permissions.grants(user)]
    units = Unit.objects.current().filter(pk__in=ids).order_by("path")
    return [u for u in units if can_manage(user, u)]


def menu_visible(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and managed_units(user))
