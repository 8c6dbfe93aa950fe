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
from cchc.org.permissions import pk_or_404
from cchc.org.models import Membership, Unit

from .models import ReportAttachment, ReportingPeriod, UnitReport

Role = Membership.Role
EDIT_ROLES = {Role.OFFICER, Role.MANAGER}
APPROVE_ROLES = {Role.MANAGER}


def _is_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def _own_role(user, unit: Unit) -> str | None:
    return org_permissions.own_role(user, unit)


def _supervises(user, unit: Unit) -> bool:
    return org_permissions.supervises_from_above(user, unit)


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


REPORT_ACTIONS = {
    "view": can_view, "edit": can_edit, "submit": can_submit, "send": can_send, "send_back": can_send_back,
    "recall": can_recall, "review": can_review,
}


def access_report(user, pk, *, action: str = "view") -> UnitReport:
    """The report if the user may see it and do `action` on it; Http404 when it is missing or
    forbidden alike."""
    check = REPORT_ACTIONS[action]
    report = (
        UnitReport.objects.select_related("unit", "unit__successor", "plan", "plan__owner", "period", "updated_by")
        .filter(pk=pk_or_404(pk)).first()
    )
    if report is None or not can_view(user, report) or not check(user, report):
        raise Http404
    return report


def access_attachment(user, report_id, attachment_id) -> ReportAttachment:
    """A file attached to a report the user may see; Http404 when either is missing or forbidden."""
    report = access_report(user, report_id)
    attachment = ReportAttachment.objects.filter(pk=pk_or_404(attachment_id), report=report).first()
    if attachment is None:
        raise Http404
    return attachment


PERIOD_ACTIONS = {
    "view": lambda user, plan: True, "manage": can_manage_periods, "dashboard": can_see_dashboard,
}


def access_period(user, pk, *, action: str = "view") -> ReportingPeriod:
    """A period whose plan the user may see (plans' own rule) and on which they may do `action`:
    "manage" its dates, read its "dashboard"."""
    from cchc.plans.permissions import visible_plans

    check = PERIOD_ACTIONS[action]
    period = ReportingPeriod.objects.select_related("plan", "plan__owner").filter(pk=pk_or_404(pk)).first()
    if period is None or not visible_plans(user).filter(pk=period.plan_id).exists() or not check(user, period.plan):
        raise Http404
    return period


def access_dashboard(user, pk) -> ReportingPeriod:
    return access_period(user, pk, action="dashboard")


def access_plan_periods(user, plan_id, *, action: str = "view"):
    """The plan whose reporting periods the user reads ("view") or sets ("manage")."""
    from cchc.plans.permissions import access_plan

    plan = access_plan(user, plan_id)
    if not PERIOD_ACTIONS[action](user, plan):
        raise Http404
    return plan


def access_unit_report(user, period_id, unit_code) -> tuple[ReportingPeriod, Unit, UnitReport | None]:
    """A unit's report for a period: the report when it exists and the user may see it; when it does
    not exist yet, the unit if the user may open (create) it. Http404 otherwise."""
    period = access_period(user, period_id)
    unit = Unit.objects.filter(code=unit_code).first()
    if unit is None:
        raise Http404
    existing = period.reports.filter(unit=unit).values_list("pk", flat=True).first()
    if existing is not None:
        return period, unit, access_report(user, existing)
    if not can_open(user, unit):
        raise Http404
    return period, unit, None
