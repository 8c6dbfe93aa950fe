"""What the procedure catalogue adds to the platform through the registry: the staff menu entry, the
output it counts (one "Cập nhật, công khai TTHC" per decision applied), the figures reports show (the
decisions applied in the period, the online-service figures) and the home block beside the outputs."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

DECISIONS = "procedures.decisions"
FIGURES = "procedures.online"


def _menu_visible(user) -> bool:
    from .permissions import menu_visible

    return menu_visible(user)


def _decisions(*, unit_paths, start, end) -> list[dict]:
    from django.utils.translation import gettext

    from .selectors import decision_label, decisions_applied

    decisions = decisions_applied(unit_paths=unit_paths, start=start, end=end)
    if not decisions:
        return []
    value = gettext("%(n)d: %(list)s") % {"n": len(decisions), "list": "; ".join(decision_label(d) for d in decisions)}
    return [{"key": DECISIONS, "label": gettext("Decisions publishing administrative procedures applied"),
             "value": value, "decisions": decisions}]


def _figures(*, unit_paths, start, end) -> list[dict]:
    from django.utils.translation import gettext

    from .selectors import figures_between, percent

    f = figures_between(unit_paths=unit_paths, start=start, end=end)
    if not f["months"]:
        return []
    online = f["online"]
    rate = percent(online, f["dossiers"])
    return [
        {"key": f"{FIGURES}.dossiers", "label": gettext("Dossiers received"), "value": f["dossiers"]},
        {"key": f"{FIGURES}.online", "label": gettext("Dossiers received online"),
         "value": f"{online} ({rate}%)" if rate is not None else online},
        {"key": f"{FIGURES}.fully_online", "label": gettext("Dossiers handled fully online"),
         "value": f["fully_online"]},
        {"key": f"{FIGURES}.postal", "label": gettext("Dossiers by public postal service"), "value": f["postal"]},
    ]


def _home(request):
    from .home import home_context

    return home_context(request)


def register():
    from cchc.core import registry

    registry.menu.register(registry.MenuItem(key="procedures", label=_("Procedure catalogue"),
                                             url_name="procedures:home", order=48, visible=_menu_visible))
    registry.output_sources.register(registry.OutputSource(
        key="procedures.decision", label=_("Publication decisions of administrative procedures applied"),
        output_type="procedure_update", order=70))
    registry.stats_providers.register(registry.StatsProvider(
        key=DECISIONS, label=_("Decisions publishing administrative procedures applied"), stats=_decisions, order=70))
    registry.stats_providers.register(registry.StatsProvider(
        key=FIGURES, label=_("Online public services"), stats=_figures, order=71))
    registry.home_blocks.register(registry.HomeBlock(key="procedures.home", template="procedures/_home_block.html",
                                                     context=_home, order=30))
