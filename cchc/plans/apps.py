from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "cchc.plans"
    label = "plans"
    verbose_name = _("Plans")

    def ready(self):
        from django.utils.translation import gettext

        from cchc.core import registry
        from cchc.documents import i18n

        # Messages of the document reader (a file that cannot be read) follow the request's language.
        i18n.set_translator(gettext)

        registry.menu.register(registry.MenuItem(key="plans", label=_("Plans"), url_name="plans:list", order=20))
        registry.menu.register(registry.MenuItem(key="plans.tasks", label=_("Tasks"), url_name="plans:tasks", order=21))

        def _home(request):
            from .selectors import tasks_for_user_home

            groups = tasks_for_user_home(request.user)
            if groups:
                return {"groups": groups}
            from .permissions import importable_units

            # nothing assigned yet: who may bring a plan in is shown how to start
            return {"groups": [], "can_import": bool(importable_units(request.user))}

        registry.home_blocks.register(
            registry.HomeBlock(key="plans", template="plans/_home_block.html", context=_home, order=10,
                               stylesheet="plans/plans.css")
        )

        def _docx(obj, user):
            from .exports import export_docx

            return export_docx(obj)

        def _xlsx(obj, user):
            from .exports import export_xlsx

            return export_xlsx(obj)

        registry.exports.register(registry.Export(key="plans.docx", label=_("Word (.docx)"), model="plans.plan", render=_docx))
        registry.exports.register(registry.Export(key="plans.xlsx", label=_("Excel (.xlsx)"), model="plans.plan", render=_xlsx, order=101))
