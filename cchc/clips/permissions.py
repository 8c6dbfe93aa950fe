"""Who may do what with a video-clip contest. Views ask here; a contest the user may not see answers
like a missing one (404).

- the contest's organisers are the officers, managers and supervisors of its unit (and above it):
  they set the contest up, moderate entries, review held votes, close judging and publish results;
- its judges are the users on its panel: they score the accepted entries and, until judging is
  closed, see their own scores only;
- the unit's viewers (and those above) may read the contest's staff pages.
"""

from __future__ import annotations

from django.http import Http404

from cchc.org import permissions as org_permissions
from cchc.org.models import Unit

from .models import Contest, Entry


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_organise(user, contest: Contest) -> bool:
    return _signed_in(user) and org_permissions.can_edit(user, contest.unit)


def judge_for(user, contest: Contest):
    if not _signed_in(user):
        return None
    cached = getattr(contest, "_judge_for", {})
    if user.pk not in cached:
        cached[user.pk] = contest.judges.filter(user=user).first()
        contest._judge_for = cached
    return cached[user.pk]


def can_view(user, contest: Contest) -> bool:
    return _signed_in(user) and (org_permissions.can_view(user, contest.unit) or judge_for(user, contest) is not None)


def can_see_all_scores(user, contest: Contest) -> bool:
    """Every judge's scores: the organisers at any time, the judges once judging is closed."""
    return can_organise(user, contest) or (contest.judging_closed_at is not None and can_view(user, contest))


def access_contest(user, pk, *, action: str = "view") -> Contest:
    contest = Contest.objects.select_related("unit", "unit__successor").filter(
        pk=org_permissions.pk_or_404(pk)).first()
    allowed = {"view": can_view, "organise": can_organise,
               "judge": lambda u, c: judge_for(u, c) is not None}[action]
    if contest is None or not allowed(user, contest):
        raise Http404
    return contest


def access_entry(user, contest: Contest, pk) -> Entry:
    entry = contest.entries.filter(pk=org_permissions.pk_or_404(pk)).first()
    if entry is None:
        raise Http404
    entry.contest = contest
    return entry


def organiser_units(user) -> list[Unit]:
    """Current units where the user may set up a contest."""
    if not _signed_in(user):
        return []
    if user.is_superuser:
        return list(Unit.objects.current().filter(parent__isnull=True).order_by("path"))
    ids = [g.unit_id for g in org_permissions.grants(user)]
    return [u for u in Unit.objects.current().filter(pk__in=ids).order_by("path")
            if u.is_active and org_permissions.can_edit(user, u)]


def visible_contests(user):
    from django.db.models import Q

    if not _signed_in(user):
        return Contest.objects.none()
    contests = Contest.objects.select_related("unit")
    if user.is_superuser:
        return contests
    paths = org_permissions.top_paths(user)
    query = Q(judges__user=user)
    for path in paths:
        query |= Q(unit__path__startswith=path)
    return contests.filter(query).distinct()


def menu_visible(user) -> bool:
    return _signed_in(user) and (user.is_superuser or bool(org_permissions.grants(user))
                                 or Contest.objects.filter(judges__user=user).exists())
