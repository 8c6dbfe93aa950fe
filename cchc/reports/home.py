"""What a user has to do next about reports, for their home page (registered in ReportsConfig.ready).

Three readers, by the roles they hold (a person may be several):

- a supervisor (giám sát, e.g. the CCHC officer of Sở Nội vụ holding that role on the province): per plan
  in force of a unit they supervise, the reports submitted and waiting for review, the units late or
  missing for the period due last, the next deadline and the way to the dashboard;
- an officer or manager of a unit: the reports to write (not yet sent, nearest deadline first), those
  returned for changes, and for a manager those waiting for their approval;
- a leader (a viewer or manager of a unit that owns plans): the dashboards of the periods due last.

A fixed number of queries whatever the number of units or reports.
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from cchc.core import pagecache
from cchc.core.text import sort_key
from cchc.org.models import Membership
from cchc.org.permissions import grants
from cchc.plans.models import Plan

from . import selectors
from .models import ReportingPeriod, UnitReport

Role = Membership.Role
# How many plans, reports and dashboards the home page lists before "see all".
LIMIT = 6


def _supervised_plans(user) -> list[Plan]:
    """Plans in force (issued, not closed) owned by a unit the user supervises. A system administrator
    sees the supervisor's block only through a supervisor role: administering is not supervising."""
    units = [g.unit_id for g in grants(user) if g.role == Role.SUPERVISOR]
    if not units:
        return []
    return list(Plan.objects.filter(owner_id__in=units, status=Plan.Status.ISSUED).select_related("owner")
                .defer("raw", "search_text").order_by("-plan_year", "-id")[:LIMIT])


def _completeness(period: ReportingPeriod, today: dt.date) -> dict:
    """Who reported for `period`, and who is late or missing, latest first (the expected reports'
    rows alone: the roll-up by group that the dashboard adds would double the time of a home page).
    The rows are kept in the cache (ten minutes at most) until any data changes (the data generation
    of `core.pagecache`, shared by every process): working out who is expected is the costly part of
    a supervisor's home page, and it is the same for every supervisor of the plan."""
    current = pagecache.generation()
    key = f"reports:home-rows:{period.pk}:{today.isoformat()}:{current}"
    rows = cache.get(key) if current is not None else None
    if rows is None:
        rows = selectors.completeness_rows([period], today=today)
        if current is not None:
            cache.set(key, rows, 600)
    late = sorted((r for r in rows if r["state"] in ("late", "overdue")), key=lambda r: (-r["days_late"], sort_key(r["name"])))
    submitted = sum(1 for r in rows if r["submitted"])
    return {"period": period, "expected": len(rows), "submitted": submitted, "missing": len(rows) - submitted,
            "late": late[:LIMIT], "late_count": len(late)}


def supervisor_todo(user, *, today: dt.date | None = None) -> list[dict]:
    today = today or timezone.localdate()
    plans = _supervised_plans(user)
    if not plans:
        return []
    periods = list(ReportingPeriod.objects.filter(plan__in=plans).order_by("due", "order"))
    waiting = {
        r["period__plan_id"]: r["n"] for r in UnitReport.objects.filter(
            plan__in=plans, status=UnitReport.Status.SUBMITTED).values("period__plan_id").annotate(n=Count("id")).order_by()
    }
    waiting_reports = list(
        UnitReport.objects.filter(plan__in=plans, status=UnitReport.Status.SUBMITTED)
        .select_related("unit", "period").order_by("last_submitted_at", "id")[:LIMIT]
    )
    out = []
    for plan in plans:
        own = [p for p in periods if p.plan_id == plan.pk]
        last_due = [p for p in own if p.due < today]
        upcoming = [p for p in own if p.due >= today]
        current = last_due[-1] if last_due else (upcoming[0] if upcoming else None)
        late = None
        if current is not None:
            late = _completeness(current, today)
        out.append({
            "plan": plan, "waiting": waiting.get(plan.pk, 0),
            "waiting_reports": [r for r in waiting_reports if r.plan_id == plan.pk],
            "next": upcoming[0] if upcoming else None, "current": current, "completeness": late,
            "has_periods": bool(own),
        })
    return out


def writer_todo(user, *, today: dt.date | None = None) -> dict:
    """Reports the user's units must write or finish, and those waiting for the user's approval."""
    today = today or timezone.localdate()
    rows = selectors.periods_for_user(user, today=today)
    to_write, returned = [], []
    for row in rows:
        report = row["report"]
        if report is not None and report.status == UnitReport.Status.RETURNED:
            returned.append(row)
        elif report is None or report.status == UnitReport.Status.DRAFT:
            if row["period"].due >= today or row["overdue"]:
                to_write.append(row)
    to_write.sort(key=lambda r: (not r["overdue"], r["period"].due))
    pending = getattr(UnitReport.Status, "PENDING", None)
    approve = []
    managed = [g.unit_id for g in grants(user) if g.role == Role.MANAGER]
    if pending is not None and managed:
        approve = list(UnitReport.objects.filter(unit_id__in=managed, status=pending)
                       .select_related("unit", "period", "plan").order_by("period__due", "id")[:LIMIT])
    return {"to_write": to_write[:LIMIT], "to_write_count": len(to_write), "returned": returned, "approve": approve}


def leader_dashboards(user, *, today: dt.date | None = None, skip_plans=()) -> list[ReportingPeriod]:
    """For a leader (viewer or manager of a unit that owns plans): the period due last of each plan
    (but of the plans in `skip_plans`, already shown to the user as their supervisor)."""
    if user.is_superuser:
        return []
    units = [g.unit_id for g in grants(user) if g.role in (Role.VIEWER, Role.MANAGER, Role.SUPERVISOR)]
    if not units:
        return []
    today = today or timezone.localdate()
    periods = (ReportingPeriod.objects.filter(plan__owner_id__in=units, plan__status=Plan.Status.ISSUED)
               .exclude(plan_id__in=list(skip_plans)).select_related("plan", "plan__owner").order_by("plan_id", "due"))
    # per plan: the period due last (its numbers are in), or before any is due, the first one
    latest: dict[int, ReportingPeriod] = {}
    for p in periods:
        if p.plan_id not in latest or p.due <= today:
            latest[p.plan_id] = p
    chosen = sorted(latest.values(), key=lambda p: -p.due.toordinal())[:LIMIT]
    for period in chosen:
        c = _completeness(period, today)
        period.home_submitted, period.home_expected = c["submitted"], c["expected"]
    return chosen


def home_context(request) -> dict | None:
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    supervised = supervisor_todo(user)
    writer = writer_todo(user)
    dashboards = leader_dashboards(user, skip_plans={s["plan"].pk for s in supervised})
    if not (supervised or writer["to_write"] or writer["returned"] or writer["approve"] or dashboards):
        return None
    return {"supervised": supervised, "writer": writer, "dashboards": dashboards, "today": timezone.localdate()}
