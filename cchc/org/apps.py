from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "cchc.org"
    label = "org"
    verbose_name = _("Units")

    def ready(self):
        from cchc.core import registry

        registry.menu.register(registry.MenuItem(key="org.units", label=_("Units"), url_name="org:unit_tree", order=10))
