"""What surveys adds to the platform through the registry: the staff menu entry, the output a closed
survey records (its respondents) and the figures reports show for a unit and period."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

STATS = "surveys.responses"


def _menu_visible(user) -> bool:
    from .permissions import menu_visible

    return menu_visible(user)


def stats_rows(*, unit_paths, start, end) -> list[dict]:
    """Answers received in the period by the surveys of the units; nothing when there were none."""
    from django.db.models import Q
    from django.utils.translation import gettext

    from .models import Response

    condition = Q()
    for path in unit_paths:
        condition |= Q(survey__unit__path__startswith=path)
    if not unit_paths:
        return []
    n = Response.objects.filter(condition, submitted_at__date__gte=start, submitted_at__date__lte=end).count()
    if not n:
        return []
    return [{"key": f"{STATS}.count", "label": gettext("Satisfaction survey answers received"), "value": n}]


def register():
    from cchc.core import registry

    from .services import OUTPUT_SOURCE, OUTPUT_TYPE

    registry.menu.register(registry.MenuItem(key="surveys", label=_("Surveys"), url_name="surveys:list",
                                             order=54, visible=_menu_visible))
    registry.output_sources.register(registry.OutputSource(key=OUTPUT_SOURCE, label=_("Satisfaction surveys"),
                                                           output_type=OUTPUT_TYPE, order=40))
    registry.stats_providers.register(registry.StatsProvider(key=STATS, label=_("Satisfaction surveys"),
                                                             stats=stats_rows, order=78))
