from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutputsConfig(AppConfig):
    name = "cchc.outputs"
    label = "outputs"
    verbose_name = _("Communication outputs")

    def ready(self):
        from cchc.core import registry

        from .selectors import done_counts

        registry.menu.register(
            registry.MenuItem(key="outputs", label=_("Outputs"), url_name="outputs:home", order=30)
        )
        registry.target_counters.register(registry.TargetCounter(key="outputs", count=done_counts))
