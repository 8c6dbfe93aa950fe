"""Who may do what with which survey; views ask here and nowhere else. A survey the user may not see
answers like a missing one (404).

Rights are the unit-scoped roles of `cchc.org.permissions`, flowing down the tree:

- a survey is seen (with its results) by whoever may see its unit;
- its officers (and managers, supervisors above) build it, open and close it, issue receipt codes
  and hand out the kiosk link;
- publishing its results on the public site is the manager's (or a supervisor's above) decision.
"""

from __future__ import annotations

from django.http import Http404

from cchc.org import permissions as org_permissions
from cchc.org.models import Unit

from .models import Survey

ACTIONS = ("view", "edit", "publish")


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can(user, survey: Survey, action: str = "view") -> bool:
    if not _signed_in(user):
        return False
    if action == "view":
        return org_permissions.can_view(user, survey.unit)
    if action == "edit":
        return org_permissions.can_edit(user, survey.unit)
    if action == "publish":
        return org_permissions.can_approve(user, survey.unit)
    raise ValueError(action)


def access_survey(user, pk, *, action: str = "view") -> Survey:
    survey = Survey.objects.select_related("unit", "unit__successor").filter(pk=org_permissions.pk_or_404(pk)).first()
    if survey is None or not can(user, survey, action):
        raise Http404
    return survey


def creation_units(user) -> list[Unit]:
    """Current units where the user may create a survey (their own units, as officers or more)."""
    if not _signed_in(user):
        return []
    if user.is_superuser:
        return list(Unit.objects.current().filter(parent__isnull=True).order_by("path"))
    ids = [g.unit_id for g in org_permissions.grants(user)]
    return [u for u in Unit.objects.current().filter(pk__in=ids).order_by("path") if org_permissions.can_edit(user, u)]


def list_paths(user) -> list[str] | None:
    """The unit paths whose surveys the user's list shows (None: all, for a system administrator)."""
    if not _signed_in(user):
        return []
    return None if user.is_superuser else org_permissions.top_paths(user)


def menu_visible(user) -> bool:
    return _signed_in(user) and (user.is_superuser or bool(org_permissions.grants(user)))
