from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "cchc.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from cchc.core import registry

        registry.menu.register(registry.MenuItem(key="reports", label=_("Reports"), url_name="reports:mine", order=40))

        def _notifications(request):
            from .selectors import notifications_for

            items = notifications_for(request.user)
            return {"notifications": items} if items else None

        registry.home_blocks.register(
            registry.HomeBlock(key="reports.notifications", template="reports/_notifications.html",
                               context=_notifications, order=5)
        )
