"""What the bulletin adds to the platform: its output source, the subscribers figure, the public and
staff menu items and the sitemap entries."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.core import registry

SUBSCRIBERS = "bulletins.subscribers"


def _public_url(site) -> str:
    return site.path("ban-tin/")


def _staff_visible(user) -> bool:
    # from the memberships already read for the request: the menu costs no query
    from cchc.org import permissions as org_permissions

    return user.is_superuser or any(g.role in org_permissions.EDIT_ROLES for g in org_permissions.grants(user))


def _sitemap(site):
    from .selectors import published_issues

    yield site.path("ban-tin/"), None
    for issue in published_issues(site).only("id", "site_id", "year", "number", "updated_at"):
        yield site.path(issue.public_rest()), issue.updated_at


def _subscribers(*, unit_paths=None, start=None, end=None) -> list[dict]:
    from .selectors import confirmed_subscribers

    return [{"key": SUBSCRIBERS, "label": _("Bulletin subscribers"),
             "value": confirmed_subscribers(unit_paths=unit_paths, on=end or timezone.localdate())}]


def register() -> None:
    registry.output_sources.register(registry.OutputSource(
        key="bulletins.issue", label=_("Bulletin issue published"), output_type="bulletin", order=60))
    registry.stats_providers.register(registry.StatsProvider(
        key=SUBSCRIBERS, label=_("Bulletin subscribers"), stats=_subscribers, order=60))
    registry.public_menu.register(registry.PublicMenuItem(
        key="bulletins", label=_("Bulletin"), url=_public_url, order=40))
    registry.sitemaps.register(registry.Sitemap(key="bulletins", items=_sitemap, order=40))
    registry.menu.register(registry.MenuItem(
        key="bulletins", label=_("Bulletins"), url_name="bulletins:list", order=55, visible=_staff_visible))
