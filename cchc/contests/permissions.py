"""Who may do what with contests. Views ask here; a contest or round the user may not see answers like
a missing one (404).

Rights come from the organising unit through `cchc.org.permissions` (memberships flowing down the tree):
- everyone with a role on the unit (viewers included) sees its contests, rounds, rankings and counts;
- its officers (and managers, supervisors above) create contests and rounds, import questions, set
  prizes; they also see the participants' phones, needed to hand out the prizes (every view audited);
- its manager (or a manager or supervisor above) assigns the winners and publishes the results.
"""

from __future__ import annotations

from django.http import Http404

from cchc.org import permissions as org_permissions
from cchc.org.models import Unit

from .models import Contest, Round


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_view(user, contest: Contest) -> bool:
    return _signed_in(user) and org_permissions.can_view(user, contest.unit)


def can_edit(user, contest: Contest) -> bool:
    return _signed_in(user) and org_permissions.can_edit(user, contest.unit)


def can_publish(user, contest: Contest) -> bool:
    return _signed_in(user) and org_permissions.can_approve(user, contest.unit)


def can_create_in(user, unit: Unit) -> bool:
    return _signed_in(user) and unit.is_active and org_permissions.can_edit(user, unit)


def organiser_units(user) -> list[Unit]:
    """Current units where the user may organise a contest (their membership units)."""
    if not _signed_in(user):
        return []
    if user.is_superuser:
        return list(Unit.objects.current().filter(kind__in=Unit.PROVINCE_KINDS, parent__isnull=True).order_by("path"))
    ids = [g.unit_id for g in org_permissions.grants(user)]
    return [u for u in Unit.objects.current().filter(pk__in=ids).order_by("path") if can_create_in(user, u)]


def visible_contests(user):
    if not _signed_in(user):
        return Contest.objects.none()
    contests = Contest.objects.select_related("unit")
    if user.is_superuser:
        return contests
    paths = org_permissions.top_paths(user)
    if not paths:
        return Contest.objects.none()
    from django.db.models import Q

    condition = Q()
    for path in paths:
        condition |= Q(unit__path__startswith=path)
    return contests.filter(condition)


def access_contest(user, pk, *, action: str = "view") -> Contest:
    contest = Contest.objects.select_related("unit").filter(pk=org_permissions.pk_or_404(pk)).first()
    allowed = {"view": can_view, "edit": can_edit, "publish": can_publish}[action]
    if contest is None or not can_view(user, contest) or not allowed(user, contest):
        raise Http404
    return contest


def access_round(user, pk, *, action: str = "view") -> Round:
    rnd = Round.objects.select_related("contest", "contest__unit").filter(pk=org_permissions.pk_or_404(pk)).first()
    allowed = {"view": can_view, "edit": can_edit, "publish": can_publish}[action]
    if rnd is None or not can_view(user, rnd.contest) or not allowed(user, rnd.contest):
        raise Http404
    return rnd


def menu_visible(user) -> bool:
    return _signed_in(user) and (user.is_superuser or bool(org_permissions.grants(user)))
