from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinsConfig(AppConfig):
    """The administrative-reform bulletin (Bản tin cải cách hành chính) of a public site: numbered issues
    composed from the site's articles, printed as PDF and .docx, mailed to subscribers and units.
    It plugs into the platform through `cchc.core.registry` only."""

    name = "cchc.bulletins"
    label = "bulletins"
    verbose_name = _("Bulletins")

    def ready(self):
        from . import registration

        registration.register()
