"""Who may see and handle which feedback. Views ask here; an item the user may not see answers like a
missing one (404).

Rights come from `cchc.org.permissions` (memberships flowing down the tree, closed units through
their successor):

- an item is seen by the units handling it: the unit that received it, the unit it is with now and
  every unit it passed through (transfers), and by those above them; a sibling unit sees nothing;
- the sender's personal data (name, phone, e-mail, address, attachments) is shown to the officers,
  managers and supervisors of those units, not to viewers; every view is audited;
- the officers of the unit the item is with classify, transfer and draft the answer;
- its manager (or a manager or supervisor above) approves, sends and publishes.
"""

from __future__ import annotations

from django.http import Http404

from cchc.org import permissions as org_permissions
from cchc.org.models import Unit

from .models import Item


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def item_units(item: Item) -> list[Unit]:
    """The units handling the item: received by, with now, and passed through."""
    units = {item.receiving_unit_id: item.receiving_unit, item.handling_unit_id: item.handling_unit}
    for transfer in item.transfers.select_related("from_unit", "to_unit", "from_unit__successor",
                                                  "to_unit__successor"):
        units.setdefault(transfer.from_unit_id, transfer.from_unit)
        units.setdefault(transfer.to_unit_id, transfer.to_unit)
    return list(units.values())


def can_view(user, item: Item) -> bool:
    return _signed_in(user) and any(org_permissions.can_view(user, u) for u in item_units(item))


def can_see_personal_data(user, item: Item) -> bool:
    return _signed_in(user) and any(org_permissions.can_edit(user, u) for u in item_units(item))


def can_handle(user, item: Item) -> bool:
    """Classify, transfer, draft the answer: an officer (or more) of the unit the item is with."""
    return _signed_in(user) and org_permissions.can_edit(user, item.handling_unit)


def can_approve(user, item: Item) -> bool:
    """Approve, send, return, publish: the manager of the unit the item is with, or above it."""
    return _signed_in(user) and org_permissions.can_approve(user, item.handling_unit)


def can_enter(user, unit: Unit) -> bool:
    return _signed_in(user) and unit.is_active and org_permissions.can_edit(user, unit)


def access_item(user, pk) -> Item:
    item = (Item.objects.select_related("receiving_unit", "handling_unit", "item_type", "procedure", "concerned_unit",
                                        "receiving_unit__successor", "handling_unit__successor")
            .filter(pk=org_permissions.pk_or_404(pk)).first())
    if item is None or not can_view(user, item):
        raise Http404
    return item


def entry_units(user) -> list[Unit]:
    """Current units whose officers the user is: where they may enter items (their membership units)."""
    if not _signed_in(user):
        return []
    if user.is_superuser:
        return list(Unit.objects.current().filter(kind__in=Unit.PROVINCE_KINDS, parent__isnull=True).order_by("path"))
    ids = [g.unit_id for g in org_permissions.grants(user)]
    return [u for u in Unit.objects.current().filter(pk__in=ids).order_by("path") if can_enter(user, u)]


def inbox_paths(user) -> list[str] | None:
    """The paths whose items the user's inbox lists (None: every item, for a system administrator)."""
    if not _signed_in(user):
        return []
    if user.is_superuser:
        return None
    return org_permissions.top_paths(user)


def menu_visible(user) -> bool:
    return _signed_in(user) and (user.is_superuser or bool(org_permissions.grants(user)))
