"""What feedback adds to the platform through the registry: the staff menu entry, the figures the
reports show for a unit and period (counted from the items, never typed) and the home block with
each unit's open and overdue items."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

STATS = "feedback.items"


def _menu_visible(user) -> bool:
    from .permissions import menu_visible

    return menu_visible(user)


def stats_rows(*, unit_paths, start, end) -> list[dict]:
    """The report's rows: [{"key", "label", "value"}]; nothing when the units had no feedback."""
    from django.utils.formats import number_format
    from django.utils.translation import gettext

    from .selectors import figures, percent

    f = figures(unit_paths=unit_paths, start=start, end=end)
    if not (f["received"] or f["answered"] or f["overdue_now"]):
        return []

    def share(part, whole):
        rate = percent(part, whole)
        return f"{part} ({rate}%)" if rate is not None else str(part)

    def breakdown(counts: dict) -> str:
        return "; ".join(f"{label}: {n}" for label, n in counts.items()) or "—"

    median = f["median_days"]
    return [
        {"key": f"{STATS}.received", "label": gettext("Feedback received"), "value": f["received"]},
        {"key": f"{STATS}.in_scope", "label": gettext("Feedback within scope"), "value": share(f["in_scope"], f["received"])},
        {"key": f"{STATS}.answered", "label": gettext("Feedback answered"), "value": f["answered"]},
        {"key": f"{STATS}.on_time", "label": gettext("Feedback answered on time"),
         "value": share(f["on_time"], f["answered"])},
        {"key": f"{STATS}.overdue", "label": gettext("Feedback overdue today"), "value": f["overdue_now"]},
        {"key": f"{STATS}.median", "label": gettext("Median time to answer (working days)"),
         "value": number_format(median, decimal_pos=1 if median % 1 else 0) if median is not None else "—"},
        {"key": f"{STATS}.channels", "label": gettext("Feedback received by channel"), "value": breakdown(f["by_channel"])},
        {"key": f"{STATS}.fields", "label": gettext("Feedback within scope by field"), "value": breakdown(f["by_field"])},
    ]


def _home(request):
    from .home import home_context

    return home_context(request)


def register():
    from cchc.core import registry

    registry.menu.register(registry.MenuItem(key="feedback", label=_("Feedback and petitions"),
                                             url_name="feedback:inbox", order=52, visible=_menu_visible))
    registry.stats_providers.register(registry.StatsProvider(
        key=STATS, label=_("Feedback and petitions"), stats=stats_rows, order=75))
    registry.home_blocks.register(registry.HomeBlock(key="feedback.home", template="feedback/_home_block.html",
                                                     context=_home, order=35))
