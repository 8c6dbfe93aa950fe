"""Who may do what in which unit (quyền truy cập theo đơn vị): the one place that decides it.

Rights come from memberships and flow down the tree: a role held in a unit holds in every unit
below it (its path starts with the unit's path). The strongest role that applies wins. A unit that
was closed and merged (Hà Giang into Tuyên Quang) is seen through its successor: whoever may see
Tuyên Quang may read Hà Giang's history.

System administrators (superusers) may do everything. A unit the user may not see answers exactly
like a unit that does not exist (404), so codes cannot be probed.

The user's memberships are read with one query and kept on the user object for the request; every
check after that is a comparison of paths in Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .models import Membership, Unit

Role = Membership.Role

# Strength of a role: the strongest one that applies to a unit is the user's role there.
ROLE_RANK = {Role.VIEWER: 1, Role.OFFICER: 2, Role.MANAGER: 3, Role.SUPERVISOR: 4}
EDIT_ROLES = {Role.OFFICER, Role.MANAGER, Role.SUPERVISOR}
APPROVE_ROLES = {Role.MANAGER, Role.SUPERVISOR}

# How far a chain of successors is followed (old district -> old province -> new province ...).
_MAX_SUCCESSOR_HOPS = 4
_CACHE_ATTR = "_cchc_unit_grants"


@dataclass(frozen=True)
class Grant:
    """One active membership, reduced to what the checks need."""

    unit_id: int
    path: str
    role: str


class UnitNotFound(Http404):
    """Raised for a unit code that does not exist or that the user may not see (the same answer)."""

    def __init__(self, code: str):
        self.code = code
        self.user_message = _(
            "There is no unit with the code “%(code)s” among the units you may see. Check the code, "
            "or find the unit with the search of the unit tree."
        ) % {"code": code}
        super().__init__(f"No visible unit with code {code!r}")


def _is_admin(user) -> bool:
    return bool(user is not None and user.is_active and user.is_superuser)


def grants(user) -> list[Grant]:
    """The user's active memberships (one query, then cached on the user object)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        rows = Membership.objects.filter(user_id=user.pk, is_active=True).values_list("unit_id", "unit__path", "role")
        cached = [Grant(unit_id=u, path=p, role=r) for u, p, r in rows]
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget(user) -> None:
    """Drop the cached memberships (after they changed within the same request)."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def top_paths(user) -> list[str]:
    """The paths of the user's membership units, without those already inside another one."""
    paths = sorted({g.path for g in grants(user)})
    top: list[str] = []
    for path in paths:
        if not any(path.startswith(t) for t in top):
            top.append(path)
    return top


def visible_units(user):
    """Every unit the user may see: the subtrees of their memberships and the closed units that
    roll up into them. Superusers see all."""
    if _is_admin(user):
        return Unit.objects.all()
    top = top_paths(user)
    if not top:
        return Unit.objects.none()
    condition = Q()
    for path in top:
        condition |= Q(path__startswith=path)
        lookup = "successor"
        for _hop in range(_MAX_SUCCESSOR_HOPS):
            condition |= Q(**{f"{lookup}__path__startswith": path})
            lookup += "__successor"
    return Unit.objects.filter(condition)


def _role_by_path(user, path: str) -> str | None:
    best = None
    for grant in grants(user):
        if path.startswith(grant.path) and (best is None or ROLE_RANK[grant.role] > ROLE_RANK[best]):
            best = grant.role
    return best


def role_for(user, unit: Unit) -> str | None:
    """The strongest role the user holds for `unit` (held there or on an ancestor, or for a closed
    unit, on its successor); None when they have none. Superusers' rights do not come from roles."""
    if not grants(user):
        return None
    role = _role_by_path(user, unit.path)
    current, hops = unit, 0
    while role is None and current.successor_id and hops < _MAX_SUCCESSOR_HOPS:
        current, hops = current.successor, hops + 1
        role = _role_by_path(user, current.path)
    return role


def pk_or_404(value) -> int:
    """An id from an address or a form; a malformed one answers like a missing object."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404


def _chain(unit: Unit) -> list[Unit]:
    """The unit and the units it was merged into, nearest first (a bounded walk)."""
    units, current = [unit], unit
    while current.successor_id and len(units) <= _MAX_SUCCESSOR_HOPS:
        current = current.successor
        units.append(current)
    return units


def own_role(user, unit: Unit) -> str | None:
    """The strongest role held on `unit` itself, or on a unit it was merged into; not one inherited
    from a unit above (a province supervisor is no member of a commune)."""
    ids = {u.pk for u in _chain(unit)}
    best = None
    for grant in grants(user):
        if grant.unit_id in ids and (best is None or ROLE_RANK[grant.role] > ROLE_RANK[best]):
            best = grant.role
    return best


def supervises_from_above(user, unit: Unit) -> bool:
    """A supervisor role on a unit strictly above `unit` (or above the unit it was merged into)."""
    if _is_admin(user):
        return True
    chain = _chain(unit)
    return any(
        grant.role == Role.SUPERVISOR and grant.unit_id != unit.pk and any(u.path.startswith(grant.path) for u in chain)
        for grant in grants(user)
    )


def rank_for(user, unit: Unit) -> int:
    """`role_for` as a number (0 for none), for "at least an officer" comparisons."""
    role = role_for(user, unit)
    return ROLE_RANK[role] if role else 0


def can_view(user, unit: Unit) -> bool:
    return _is_admin(user) or role_for(user, unit) is not None


def can_edit(user, unit: Unit) -> bool:
    """Officers and managers edit their unit's work; supervisors within their subtree; viewers never."""
    return _is_admin(user) or role_for(user, unit) in EDIT_ROLES


def can_approve(user, unit: Unit) -> bool:
    """The unit's manager (or a manager above it), a supervisor above it, or a system administrator."""
    return _is_admin(user) or role_for(user, unit) in APPROVE_ROLES


def can_supervise(user, unit: Unit) -> bool:
    return _is_admin(user) or role_for(user, unit) == Role.SUPERVISOR


def can_see_members(user, unit: Unit) -> bool:
    """Who works where is shown to those who work in the unit (officers and up), not to viewers."""
    return can_edit(user, unit)


def access_unit(user, code: str, *, allowed=None) -> Unit:
    """The unit with `code` if the user may see it, and, when `allowed(user, unit)` is given, do that
    (record its outputs, set up its site …); UnitNotFound (a 404) when it is missing or forbidden alike."""
    code = (code or "").strip()
    unit = Unit.objects.select_related("parent", "successor").filter(code=code).first()
    if unit is None or not can_view(user, unit) or (allowed is not None and not allowed(user, unit)):
        raise UnitNotFound(code)
    return unit
