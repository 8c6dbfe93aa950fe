"""Reads of the unit directory that carry logic: browsing the tree, search, history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from cchc.core import audit
from cchc.core.text import fold, sort_key

from . import permissions
from .models import Membership, Unit

# A search never reads more candidates than this before ranking them.
_SEARCH_CANDIDATES = 1000


def _closed(unit: Unit, on: dt.date) -> bool:
    return unit.valid_to is not None and unit.valid_to < on


def vi_units(units, *, on: dt.date | None = None) -> list[Unit]:
    """Units in Vietnamese alphabetical order of their names, open units before closed ones."""
    on = on or dt.date.today()
    return sorted(units, key=lambda u: (_closed(u, on), sort_key(u.name)))


def unit_children(unit: Unit, on: dt.date | None = None, *, include_closed: bool = False) -> list[Unit]:
    """The unit's direct children in Vietnamese order. With `on`, only those in force that day;
    without it, the current ones (and the closed ones too when `include_closed`)."""
    qs = unit.children.all()
    if on is not None:
        qs = qs.active_on(on)
    elif not include_closed:
        qs = qs.current()
    return vi_units(qs, on=on)


def unit_roots(user, *, include_closed: bool = False) -> list[Unit]:
    """Where the tree starts for the user: the top of the directory for a system administrator,
    the units of their memberships (the highest ones) for everyone else."""
    if user.is_superuser:
        qs = Unit.objects.filter(parent__isnull=True)
    else:
        top = permissions.top_paths(user)
        qs = Unit.objects.filter(path__in=top)
    if not include_closed:
        qs = qs.current()
    return vi_units(qs)


def _match_rank(unit: Unit, phrase: str) -> int:
    """0: the query is the unit's code, name, short name or an alias; 1: the name holds it as a
    phrase; 2: something else holds it as a phrase; 3: the words are scattered."""
    labels = [unit.code, unit.name, unit.short_name, *(unit.aliases or [])]
    if any(fold(label) == phrase for label in labels if label):
        return 0
    if phrase in fold(unit.name):
        return 1
    if phrase in unit.search_text:
        return 2
    return 3


@dataclass
class SearchResult:
    units: list[Unit]
    total: int  # how many matched (up to the number of candidates read)
    truncated: bool = field(default=False)


def unit_search(user, query: str, limit: int = 50, *, within: Unit | None = None) -> SearchResult:
    """Units the user may see whose name, short name, alias or code contains every word of
    `query`, accents ignored ("so noi vu" finds "Sở Nội vụ"). Units whose name holds the words as a
    phrase come first, then open before closed, then Vietnamese order."""
    words = fold(query or "").split()
    if not words:
        return SearchResult(units=[], total=0)
    qs = permissions.visible_units(user).search(query).select_related("parent")
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    candidates = list(qs[:_SEARCH_CANDIDATES])
    phrase = " ".join(words)
    today = dt.date.today()
    candidates.sort(key=lambda u: (_match_rank(u, phrase), _closed(u, today), u.depth, sort_key(u.name)))
    return SearchResult(
        units=candidates[:limit], total=len(candidates), truncated=len(candidates) > limit
    )


@dataclass
class UnitHistory:
    predecessors: list[Unit]  # units merged into this one
    successors: list[Unit]  # the chain this unit rolls up into, nearest first
    events: list  # audit events about the unit, newest first


def unit_history(unit: Unit, *, events_limit: int = 20) -> UnitHistory:
    successors: list[Unit] = []
    seen = {unit.pk}
    current = unit
    while current.successor_id and current.successor_id not in seen and len(successors) < 10:
        seen.add(current.successor_id)
        current = Unit.objects.select_related("parent").get(pk=current.successor_id)
        successors.append(current)
    predecessors = vi_units(unit.predecessors.select_related("parent"))
    events = list(audit.history(unit)[:events_limit])
    return UnitHistory(predecessors=predecessors, successors=successors, events=events)


def unit_members(unit: Unit) -> list[Membership]:
    """Active memberships held in the unit itself, strongest role first."""
    rows = list(Membership.objects.filter(unit=unit, is_active=True).select_related("user"))
    return sorted(rows, key=lambda m: (-permissions.ROLE_RANK[m.role], sort_key(str(m.user))))


def user_units(user) -> list[Membership]:
    """The user's active memberships with their units, for the home page."""
    rows = list(Membership.objects.filter(user_id=user.pk, is_active=True).select_related("unit"))
    return sorted(rows, key=lambda m: (m.unit.path.count("/"), sort_key(m.unit.name), -permissions.ROLE_RANK[m.role]))
