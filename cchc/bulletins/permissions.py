"""Who composes, publishes and sends a site's bulletin.

Officers of the site's unit (and anyone who may edit its work from above) compose issues and see
drafts; managers and supervisors (`can_approve`) publish and send, and see the subscribers. A draft,
or an issue of a site the user may not work on, answers 404 exactly like a missing one. The public
reads published issues without an account.
"""

from __future__ import annotations

from django.http import Http404

from cchc.org import permissions as org_permissions
from cchc.portal.models import PublicSite

from .models import Issue

VIEW, EDIT, PUBLISH = "view", "edit", "publish"


def can_compose(user, site: PublicSite) -> bool:
    return getattr(user, "is_authenticated", False) and org_permissions.can_edit(user, site.unit)


def can_publish(user, site: PublicSite) -> bool:
    return getattr(user, "is_authenticated", False) and org_permissions.can_approve(user, site.unit)


def composable_sites(user) -> list[PublicSite]:
    """The sites whose bulletin the user may compose (their units' sites and those below)."""
    if not getattr(user, "is_authenticated", False):
        return []
    visible = org_permissions.visible_units(user)
    sites = PublicSite.objects.filter(unit__in=visible).select_related("unit").order_by("unit__path")
    return [site for site in sites if can_compose(user, site)]


def access_site(user, site_id, *, action: str = EDIT) -> PublicSite:
    site = PublicSite.objects.select_related("unit").filter(pk=org_permissions.pk_or_404(site_id)).first()
    allowed = can_publish if action == PUBLISH else can_compose
    if site is None or not allowed(user, site):
        raise Http404
    return site


def access_issue(user, issue_id, *, action: str = VIEW) -> Issue:
    """The issue if the user may act on it: view and edit for those who compose, publish (and send,
    and see the subscribers) for managers; Http404 when missing or forbidden alike."""
    issue = Issue.objects.select_related("site", "site__unit").filter(pk=org_permissions.pk_or_404(issue_id)).first()
    if issue is None:
        raise Http404
    allowed = can_publish if action == PUBLISH else can_compose
    if not allowed(user, issue.site):
        raise Http404
    return issue
