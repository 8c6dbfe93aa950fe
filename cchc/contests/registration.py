"""What contests adds to the platform through the registry: the staff menu entry, the outputs a round
records when its results are published (its participants per unit, and the round itself for the
organiser) and the figures reports show."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def _menu_visible(user) -> bool:
    from .permissions import menu_visible

    return menu_visible(user)


def _stats(*, unit_paths, start, end) -> list[dict]:
    """Participants in the online contests of rounds closed in [start, end], by their units."""
    import datetime as dt

    from django.db.models import Q
    from django.utils import timezone
    from django.utils.translation import gettext

    from .models import Attempt

    condition = Q()
    for path in unit_paths:
        condition |= Q(unit__path__startswith=path)
    if not condition:
        return []
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end, dt.time.max, tzinfo=tz)
    n = Attempt.objects.filter(condition, round__closes_at__range=(lo, hi)).count()
    return [{"key": "contests.participants", "label": gettext("Participants in online contests"), "value": n}] if n else []


def register():
    from cchc.core import registry

    from .services import OUTPUT_SOURCE

    registry.menu.register(registry.MenuItem(key="contests", label=_("Knowledge contests"), url_name="contests:list",
                                             order=56, visible=_menu_visible))
    registry.output_sources.register(registry.OutputSource(key=OUTPUT_SOURCE, label=_("Online knowledge contests"),
                                                           output_type="contest_participation", order=60))
    registry.stats_providers.register(registry.StatsProvider(key="contests.participants",
                                                             label=_("Participants in online contests"),
                                                             stats=_stats, order=80))
