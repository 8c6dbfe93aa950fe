from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    """The procedure catalogue (danh mục thủ tục hành chính) of a province or unit, fed by the decisions
    that publish procedure lists (Quyết định công bố): each decision is read, reviewed and applied in one
    transaction, and applying it records the output "cập nhật, công khai TTHC" for the unit. Citizens
    search the catalogue on the unit's public site; online-service figures per month sit beside it."""

    name = "cchc.procedures"
    label = "procedures"
    verbose_name = _("Administrative procedures")

    def ready(self):
        from . import public_registration, registration

        registration.register()
        public_registration.register()
