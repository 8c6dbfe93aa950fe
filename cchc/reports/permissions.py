"""Who may see and act on reports. Every view asks here; a forbidden report answers like a missing one.

Roles come from `org.Membership` and hold in the unit and every unit below it:

- members of the unit itself see its report at every stage; a draft is seen by nobody else (not
  another unit, not the supervisor above) until it is submitted; after that, anyone with a role on
  the unit or above it reads it;
- officers and managers edit a draft or a returned report;
- who submits is one setting per plan (`Plan.report_submitter`): by default officers draft and send
  the report to the unit's manager, who approves and submits it or sends it back to the officer; a
  plan may let officers submit directly (a commune whose CCHC officer is its only user). Managers
  always may submit their unit's report;
- the unit (its officers and managers) may recall a report it sent until someone has acted on it;
- supervisors of a unit above accept or return submitted reports within their subtree;
- viewers read submitted and accepted reports.
"""

from __future__ import annotations

from django.http import Http404

from cchc.org import permissions as org_permissions
from cchc.org.models import Membership, Unit

from .models import ReportingPeriod, UnitReport

Role = Membership.Role
EDIT_ROLES = {Role.OFFICER, Role.MANAGER}
APPROVE_ROLES = {Role.MANAGER}


def _is_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def _own_role(user, unit: Unit) -> str | None:
    """The strongest role held on the unit itself (not inherited from above)."""
    best = None
    for grant in org_permissions.grants(user):
        if grant.unit_id == unit.pk or (unit.successor_id and grant.unit_id == unit.successor_id):
            if best is None or org_permissions.ROLE_RANK[grant.role] > org_permissions.ROLE_RANK[best]:
                best = grant.role
    return best


def _supervises(user, unit: Unit) -> bool:
    """A supervisor role on a unit strictly above `unit` (or on the unit a closed one merged into)."""
    if _is_admin(user):
        return True
    paths = [unit.path]
    if unit.successor_id:
        paths.append(unit.final_successor().path)
    return any(
        grant.role == Role.SUPERVISOR and grant.unit_id != unit.pk and any(p.startswith(grant.path) for p in paths)
        for grant in org_permissions.grants(user)
    )


def can_view(user, report: UnitReport) -> bool:
    if _is_admin(user):
        return True
    if _own_role(user, report.unit) is not None:
        return True
    if report.status in (UnitReport.Status.DRAFT, UnitReport.Status.PENDING):  # still inside the unit
        return False
    return org_permissions.can_view(user, report.unit)


def can_edit(user, report: UnitReport) -> bool:
    return report.is_editable and (_is_admin(user) or _own_role(user, report.unit) in EDIT_ROLES)


def _officers_submit(report: UnitReport) -> bool:
    from cchc.plans.models import Plan

    return report.plan.report_submitter == Plan.ReportSubmitter.OFFICER


def can_submit(user, report: UnitReport) -> bool:
    """Send to the supervisor: the unit's manager (approving a report waiting for approval, or their
    own draft), or an officer when the plan lets officers submit."""
    if report.status == UnitReport.Status.PENDING:
        return _is_admin(user) or _own_role(user, report.unit) in APPROVE_ROLES
    if not report.is_editable:
        return False
    if _is_admin(user):
        return True
    role = _own_role(user, report.unit)
    return role in APPROVE_ROLES or (role == Role.OFFICER and _officers_submit(report))


def can_send(user, report: UnitReport) -> bool:
    """Send to the unit's manager for approval: an officer, when the plan wants the manager to submit."""
    return (report.is_editable and not _officers_submit(report)
            and _own_role(user, report.unit) == Role.OFFICER)


def can_send_back(user, report: UnitReport) -> bool:
    return report.status == UnitReport.Status.PENDING and (_is_admin(user) or _own_role(user, report.unit) in APPROVE_ROLES)


def can_recall(user, report: UnitReport) -> bool:
    """Take back what the unit sent, while nobody has acted on it."""
    if report.status not in (UnitReport.Status.SUBMITTED, UnitReport.Status.PENDING):
        return False
    return _is_admin(user) or _own_role(user, report.unit) in EDIT_ROLES


def can_review(user, report: UnitReport) -> bool:
    """Accept or return: a supervisor above the unit, once the report is submitted."""
    return report.status == UnitReport.Status.SUBMITTED and _supervises(user, report.unit)


def can_open(user, unit: Unit) -> bool:
    """Open (create) the unit's report for a period."""
    return _is_admin(user) or _own_role(user, unit) in EDIT_ROLES


def can_manage_periods(user, plan) -> bool:
    """Change the data windows and due dates of a plan: a supervisor of the plan's owner unit."""
    return _is_admin(user) or org_permissions.role_for(user, plan.owner) == Role.SUPERVISOR


def can_see_dashboard(user, plan) -> bool:
    """Completeness and the consolidated report: supervisors, managers and viewers of the owner unit."""
    if _is_admin(user):
        return True
    return org_permissions.role_for(user, plan.owner) in {Role.SUPERVISOR, Role.MANAGER, Role.VIEWER}


def access_report(user, pk) -> UnitReport:
    """The report if the user may see it; Http404 when it is missing or forbidden alike."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404
    report = (
        UnitReport.objects.select_related("unit", "unit__successor", "plan", "plan__owner", "period", "updated_by")
        .filter(pk=pk).first()
    )
    if report is None or not can_view(user, report):
        raise Http404
    return report


def access_period(user, pk) -> ReportingPeriod:
    """A period whose plan the user may see (plans' own rule)."""
    from cchc.plans.permissions import visible_plans

    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404
    period = ReportingPeriod.objects.select_related("plan", "plan__owner").filter(pk=pk).first()
    if period is None or not visible_plans(user).filter(pk=period.plan_id).exists():
        raise Http404
    return period


def access_dashboard(user, pk) -> ReportingPeriod:
    period = access_period(user, pk)
    if not can_see_dashboard(user, period.plan):
        raise Http404
    return period
