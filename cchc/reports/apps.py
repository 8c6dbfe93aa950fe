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

        # A child plan's units report on the parent's periods (their child tasks count on the parent's
        # lines), so only a plan without a parent opens periods of its own on issue.
        def _describe_periods(plan):
            from cchc.core import periods as rules
            from django.utils import timezone

            if plan.parent_id:
                return []
            year = plan.plan_year or (plan.date.year if plan.date else timezone.localdate().year)
            try:
                return [rules.label(p.code, p.year) for p in rules.plan_periods(plan.reporting, year)]
            except ValueError:
                return []

        def _create_periods(*, plan, user):
            from cchc.plans.services import PlanError

            from .services import ReportError, periods_generate

            if plan.parent_id:
                return
            try:
                periods_generate(plan=plan, user=user)
            except ReportError as exc:  # the plan's reporting duty names a period the platform cannot date
                raise PlanError(str(exc)) from exc

        registry.plan_issue_steps.register(
            registry.PlanIssueStep(key="reports.periods", describe=_describe_periods, run=_create_periods)
        )
        registry.home_blocks.register(
            registry.HomeBlock(key="reports.notifications", template="reports/_notifications.html",
                               context=_notifications, order=5)
        )

        def _todo(request):
            from .home import home_context

            return home_context(request)

        registry.home_blocks.register(
            registry.HomeBlock(key="reports.todo", template="reports/_home_todo.html", context=_todo, order=6)
        )

        def _periods_url(plan, user):
            from django.urls import reverse

            from .permissions import PERIOD_ACTIONS

            if plan.status == "draft" or not PERIOD_ACTIONS["view"](user, plan):
                return None
            return reverse("reports:plan_periods", args=[plan.pk])

        registry.page_actions.register(
            registry.PageAction(key="reports.periods", page="plans.plan", label=_("Reporting periods"), url=_periods_url)
        )

        # the public accountability page of each CCHC site: its issued plans and their counted progress
        def _public_menu_url(site):
            from .public import menu_url

            return menu_url(site)

        def _public_sitemap(site):
            from .public import sitemap_items

            yield site.path("ke-hoach/"), None
            yield from sitemap_items(site)

        registry.public_menu.register(registry.PublicMenuItem(
            key="reports.plans", label=_("Plans and their progress"), url=_public_menu_url, order=60))
        registry.sitemaps.register(registry.Sitemap(key="reports.plans", items=_public_sitemap, order=60))
