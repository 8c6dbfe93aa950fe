"""What clips adds to the public sites through the registry: the menu entry (on a site whose unit has
a public contest), the home block with the contests taking entries or votes, and the sitemap."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SITEMAP_LIMIT = 2000


def _contests(site):
    from .public import contests_of

    return contests_of(site)


def _menu_url(site):
    """Only on a site whose unit has a public contest; known until the site's pages are forgotten."""
    from django.core.cache import cache

    from cchc.portal.sites import generation

    key = f"clips:menu:{site.pk}:{generation(site.pk)}"
    has = cache.get(key)
    if has is None:
        has = _contests(site).exists()
        cache.set(key, has, 3600)
    return site.path("cuoc-thi-video/") if has else None


def _home_block(request, site):
    from django.db.models import Q
    from django.utils import timezone

    now = timezone.now()
    running = list(_contests(site).filter(
        Q(entries_open_at__lte=now, entries_close_at__gt=now) | Q(voting_open_at__lte=now, voting_close_at__gt=now))[:3])
    return {"contests": running, "now": now} if running else None


def _sitemap(site):
    from .models import Entry

    contests = list(_contests(site).values_list("pk", "updated_at"))
    if not contests:
        return
    yield site.path("cuoc-thi-video/"), None
    for pk, updated in contests:
        yield site.path(f"cuoc-thi-video/{pk}/"), updated
    entries = Entry.objects.filter(contest__in=[pk for pk, _u in contests], status=Entry.Status.ACCEPTED)
    for pk, updated in entries.values_list("pk", "updated_at")[:SITEMAP_LIMIT]:
        yield site.path(f"cuoc-thi-video/tac-pham/{pk}/"), updated


def register():
    from cchc.core import registry

    registry.public_menu.register(registry.PublicMenuItem(
        key="clips", label=_("Video-clip contests"), url=_menu_url, order=55))
    registry.public_blocks.register(registry.PublicBlock(
        key="clips", template="clips/public/_home_block.html", context=_home_block, order=55))
    registry.sitemaps.register(registry.Sitemap(key="clips", items=_sitemap, order=55))
