"""The public accountability page of a CCHC site (giám sát quá trình thực hiện): the site's issued
plans, their tasks with status and counted progress against targets per period, and which units
have reported. Only issued plans; no person's name, no report's text."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cchc.org.permissions import pk_or_404
from cchc.plans import selectors as plan_selectors
from cchc.plans.models import Plan, Task
from cchc.portal.sites import cached_public_page, get_site
from cchc.portal.views import public_context

from . import selectors
from .models import ReportingPeriod

PUBLIC_STATUSES = (Plan.Status.ISSUED, Plan.Status.CLOSED)


def public_plans(site):
    """Issued plans the site's unit made, and those of units above it that assign it work."""
    unit = site.unit
    return (
        Plan.objects.filter(status__in=PUBLIC_STATUSES)
        .filter(Q(owner=unit) | Q(tasks__assignments__unit=unit))
        .distinct().select_related("owner").order_by("-plan_year", "-date", "-pk")
        .only("pk", "title", "number", "plan_year", "date", "status", "owner__name", "owner__code")
    )


def _current_period(periods: list[ReportingPeriod], today) -> ReportingPeriod | None:
    started = [p for p in periods if p.start <= today]
    # the latest period that has started and is shortest (a quarter before the half-year that holds it)
    if started:
        return max(started, key=lambda p: (p.start, -(p.end - p.start).days))
    return periods[0] if periods else None


@require_GET
@cached_public_page
def plan_list(request, slug):
    site = getattr(request, "public_site", None) or get_site(slug)
    return render(request, "reports/public/plan_list.html", public_context(request, site, plans=list(public_plans(site))))


@require_GET
@cached_public_page
def plan_detail(request, slug, plan_id):
    site = getattr(request, "public_site", None) or get_site(slug)
    plan = public_plans(site).filter(pk=pk_or_404(plan_id)).first()
    if plan is None:
        raise Http404
    plan = Plan.objects.select_related("owner").get(pk=plan.pk)
    today = timezone.localdate()
    periods = list(ReportingPeriod.objects.filter(plan=plan).order_by("year", "order"))
    chosen = request.GET.get("ky")
    period = next((p for p in periods if str(p.pk) == chosen), None) or _current_period(periods, today)
    tasks = list(plan_selectors.plan_tasks(plan))
    for task in tasks:
        leads = [a for a in task.assignments.all() if a.role == "lead"]
        task.lead_groups = plan_selectors.group_assignments(leads)
        task.overdue = task.is_overdue(today)
    numbers = selectors.consolidated_numbers(plan=plan, period=period) if period else []
    by_task: dict[int, list[dict]] = {}
    for row in numbers:
        by_task.setdefault(row["task_id"], []).append(row)
    for task in tasks:
        task.numbers = by_task.get(task.pk, [])
    completeness = selectors.report_completeness([period], today=today, with_rows=True) if period else None
    reported = {"submitted": [], "missing": []}
    if completeness:
        for row in completeness["rows"]:
            reported["submitted" if row["submitted"] else "missing"].append(row["name"])
    done = sum(1 for t in tasks if t.status == Task.Status.DONE)
    return render(request, "reports/public/plan_detail.html", public_context(
        request, site, plan=plan, tasks=tasks, periods=periods, period=period, completeness=completeness,
        reported=reported, stats={"total": len(tasks), "done": done, "overdue": sum(1 for t in tasks if t.overdue)},
    ))


def sitemap_items(site):
    for pk, updated_at in public_plans(site).values_list("pk", "updated_at"):
        yield site.path(f"ke-hoach/{pk}/"), updated_at


def menu_url(site):
    return site.path("ke-hoach/")
