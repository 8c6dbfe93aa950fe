"""What contests adds to the public sites through the registry: the menu entry, the home block with the
rounds open now, and the sitemap (the contests' list and the published results)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def _menu_url(site):
    from .models import Contest

    return site.path("hoi-thi/") if Contest.objects.filter(unit__path__startswith=site.unit.path).exists() else None


def _home_block(request, site):
    from django.utils import timezone

    from .models import Round

    now = timezone.now()
    rounds = list(Round.objects.filter(contest__unit__path__startswith=site.unit.path, opens_at__lte=now,
                                       closes_at__gt=now).select_related("contest").order_by("closes_at")[:3])
    return {"rounds": rounds} if rounds else None


def _sitemap(site):
    from .models import Round

    published = Round.objects.filter(contest__unit__path__startswith=site.unit.path, results_published_at__isnull=False)
    if not Round.objects.filter(contest__unit__path__startswith=site.unit.path).exists():
        return
    yield site.path("hoi-thi/"), None
    for pk, at in published.values_list("pk", "results_published_at")[:1000]:
        yield site.path(f"hoi-thi/{pk}/ket-qua/"), at


def register():
    from cchc.core import registry

    registry.public_menu.register(registry.PublicMenuItem(key="contests", label=_("Contests"), url=_menu_url, order=45))
    registry.public_blocks.register(registry.PublicBlock(
        key="contests.open", template="contests/public/_home_block.html", context=_home_block, order=45))
    registry.sitemaps.register(registry.Sitemap(key="contests", items=_sitemap, order=45))
