"""Who may see and change plans. Every view asks here; a forbidden plan answers like a missing one (404).

Rights come from memberships (`org.Membership`): a role held in a unit applies to that unit and to
every unit below it in the tree (a province supervisor oversees its departments and communes).
System administrators (superusers) may do everything.

- a draft is seen only by members of its owner unit (or of a unit above it);
- a plan once issued is also seen by members of every unit that has a task assigned in it;
- officers edit drafts of their unit and track the tasks of their unit;
- unit managers issue and close their unit's plans; a province's plans need its supervisor;
- on a task shared by many units, each unit's notes and evidence files are seen by the unit, the
  units above it and the plan's owner, never by a sibling unit; the counted figures are seen by all.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from cchc.org.models import Membership, Unit
from cchc.org.permissions import ROLE_RANK, grants, own_role, pk_or_404
from cchc.org.permissions import rank_for as org_rank_for

from .models import Assignment, Plan, Task, TaskEvidence, TaskNote

RANK = ROLE_RANK
ADMIN_RANK = 9


def _memberships(user) -> list[tuple[str, int, int]]:
    """(unit path, unit id, rank) of the user's active memberships, as `org.permissions` reads them."""
    return [(g.path, g.unit_id, ROLE_RANK[g.role]) for g in grants(user)]


def rank_for(user, unit: Unit) -> int:
    """The strongest role the user holds on `unit` (0 for none), as `org` decides it (a role held
    above the unit, or on the unit a closed one was merged into)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    if user.is_superuser:
        return ADMIN_RANK
    return org_rank_for(user, unit)


def member_units_q(user, field: str = "") -> Q:
    """A Q on units (prefix `field`, e.g. 'owner__') that are in a subtree where the user has a role."""
    q = Q(pk__in=[])
    for path, _id, _rank in _memberships(user):
        q |= Q(**{f"{field}path__startswith": path})
    return q


def visible_plans_q(user) -> Q:
    """Which plans the user may see, as a filter on Plan."""
    if user.is_superuser:
        return Q()
    if not _memberships(user):
        return Q(pk__in=[])
    assigned = Assignment.objects.filter(member_units_q(user, "unit__"), task__plan=OuterRef("pk"))
    return member_units_q(user, "owner__") | (Q(issued_at__isnull=False) & Exists(assigned))


def visible_plans(user):
    return Plan.objects.filter(visible_plans_q(user))


def can_edit_plan(user, plan: Plan) -> bool:
    """Change the content of a draft (officers and above of the owner unit)."""
    return plan.status == Plan.Status.DRAFT and rank_for(user, plan.owner) >= RANK[Membership.Role.OFFICER]


def _issuing_rank(plan_owner: Unit) -> int:
    if plan_owner.kind in Unit.PROVINCE_KINDS:
        return RANK[Membership.Role.SUPERVISOR]
    return RANK[Membership.Role.MANAGER]


def issues_for(user, unit: Unit) -> bool:
    """Whether the user may issue (and close) the plans of `unit`."""
    return rank_for(user, unit) >= _issuing_rank(unit)


def can_issue_plan(user, plan: Plan) -> bool:
    return plan.status == Plan.Status.DRAFT and issues_for(user, plan.owner)


def can_set_report_workflow(user, plan: Plan) -> bool:
    """Who submits the units' reports of a plan is set by those who may issue it, in any status."""
    return issues_for(user, plan.owner)


def can_close_plan(user, plan: Plan) -> bool:
    return plan.status == Plan.Status.ISSUED and issues_for(user, plan.owner)


def can_revise_plan(user, plan: Plan) -> bool:
    """Reopen an issued plan as its next version (the issuer's right: the new version is issued again)."""
    return plan.status == Plan.Status.ISSUED and rank_for(user, plan.owner) >= RANK[Membership.Role.OFFICER]


def can_delete_plan(user, plan: Plan) -> bool:
    """Only a draft that was never issued can be deleted; an issued plan can only be closed."""
    return not plan.was_issued and plan.status == Plan.Status.DRAFT and can_edit_plan(user, plan)


def can_import_into(user, unit: Unit) -> bool:
    """Import a document as a plan of `unit`: a province's plans need its supervisor."""
    return rank_for(user, unit) >= _issuing_rank(unit) if unit.kind in Unit.PROVINCE_KINDS else (
        rank_for(user, unit) >= RANK[Membership.Role.OFFICER]
    )


def importable_units(user):
    """Units the user may import or author plans for (current units only)."""
    qs = Unit.objects.current()
    if user.is_superuser:
        return list(qs.filter(depth__lte=1).order_by("path"))
    ids = [unit_id for _path, unit_id, rank in _memberships(user) if rank >= RANK[Membership.Role.OFFICER]]
    return [u for u in qs.filter(pk__in=ids).order_by("path") if can_import_into(user, u)]


def can_track_task(user, task: Task, assigned_units: list[Unit] | None = None) -> bool:
    """Set status, progress, notes and evidence: officers of the owner unit or of an assigned unit."""
    if task.plan.status == Plan.Status.CLOSED:
        return False
    officer = RANK[Membership.Role.OFFICER]
    if rank_for(user, task.plan.owner) >= officer:
        return True
    if assigned_units is None:
        assigned_units = [a.unit for a in task.assignments.all() if a.unit_id]
    return any(rank_for(user, unit) >= officer for unit in assigned_units)


def acting_unit(user, task: Task, assigned_units: list[Unit] | None = None) -> Unit | None:
    """The unit the user tracks `task` for (whose notes they write, whose evidence they upload): an
    assigned unit or the plan's owner where they are an officer or more themselves, assigned units
    first; else the first of the owner and the assigned units they may track from above (a
    supervisor, an administrator). None when they may track for none."""
    if assigned_units is None:
        assigned_units = [a.unit for a in task.assignments.select_related("unit") if a.unit_id]
    officer = RANK[Membership.Role.OFFICER]
    candidates = list({u.pk: u for u in [*assigned_units, task.plan.owner]}.values())
    for unit in candidates:
        role = own_role(user, unit)
        if role and RANK[role] >= officer:
            return unit
    for unit in [task.plan.owner, *assigned_units]:
        if rank_for(user, unit) >= officer:
            return unit
    return None


def sees_unit_work(user, task: Task, unit_id: int, units: dict[int, Unit]) -> bool:
    """Whether the user sees the notes and evidence files `unit_id` keeps on `task`: members of that
    unit or of a unit above it, and of the plan's owner (who asked for the work)."""
    viewer = RANK[Membership.Role.VIEWER]
    return rank_for(user, task.plan.owner) >= viewer or (unit_id in units and rank_for(user, units[unit_id]) >= viewer)


def visible_work(user, task: Task) -> tuple[list[TaskNote], list[TaskEvidence]]:
    """The notes and evidence files of `task` the user may see (sibling units' are left out)."""
    notes = list(task.unit_notes.select_related("unit", "unit__successor", "updated_by"))
    evidence = list(task.evidence.select_related("unit", "unit__successor", "uploaded_by"))
    units = {row.unit_id: row.unit for row in [*notes, *evidence]}
    return ([n for n in notes if sees_unit_work(user, task, n.unit_id, units)],
            [e for e in evidence if sees_unit_work(user, task, e.unit_id, units)])


def can_derive_child(user, plan: Plan, unit: Unit) -> bool:
    """Make the unit's own plan from the tasks a (once) issued plan assigns to it."""
    return plan.was_issued and plan.status != Plan.Status.CLOSED and rank_for(user, unit) >= RANK[Membership.Role.OFFICER]


def can_view_unit(user, unit: Unit) -> bool:
    return rank_for(user, unit) >= RANK[Membership.Role.VIEWER]


def user_units(user, *, min_rank: int = 1) -> list[int]:
    """Ids of the units where the user holds a membership (not their subtrees)."""
    return [unit_id for _p, unit_id, rank in _memberships(user) if rank >= min_rank]


# ---------------------------------------------------------------- access: the one door of the views

PLAN_ACTIONS = {
    "view": lambda user, plan: True, "edit": can_edit_plan, "issue": can_issue_plan, "close": can_close_plan,
    "revise": can_revise_plan, "delete": can_delete_plan, "report_workflow": can_set_report_workflow,
}
TASK_ACTIONS = {
    "view": lambda user, task: True, "edit": lambda user, task: can_edit_plan(user, task.plan), "track": can_track_task,
}


def access_plan(user, plan_id, *, action: str = "view") -> Plan:
    """The plan if the user may see it and do `action` on it ("view", "edit", "issue", "close",
    "revise", "delete", "report_workflow"); Http404 when it is missing or forbidden alike."""
    check = PLAN_ACTIONS[action]
    plan = visible_plans(user).select_related("owner", "parent").filter(pk=pk_or_404(plan_id)).first()
    if plan is None or not check(user, plan):
        raise Http404
    return plan


def access_task(user, task_id, *, action: str = "view") -> Task:
    """The task if the user may see its plan and do `action` on it ("view", "edit", "track")."""
    check = TASK_ACTIONS[action]
    task = Task.objects.select_related("plan", "plan__owner", "section").filter(pk=pk_or_404(task_id)).first()
    if task is None or not visible_plans(user).filter(pk=task.plan_id).exists() or not check(user, task):
        raise Http404
    return task


def access_evidence(user, evidence_id) -> TaskEvidence:
    """An evidence file of a task the user may see, kept by a unit whose work they may see; a sibling
    unit's file answers like a missing one."""
    evidence = TaskEvidence.objects.select_related("unit").filter(pk=pk_or_404(evidence_id)).first()
    if evidence is None:
        raise Http404
    task = access_task(user, evidence.task_id)
    if not sees_unit_work(user, task, evidence.unit_id, {evidence.unit_id: evidence.unit}):
        raise Http404
    return evidence


def access_unit_for_child(user, plan_id, unit_id) -> tuple[Plan, Unit]:
    """The (once) issued plan and the unit the user may derive a child plan for."""
    plan = access_plan(user, plan_id)
    unit = Unit.objects.filter(pk=pk_or_404(unit_id)).first()
    if unit is None or not can_derive_child(user, plan, unit):
        raise Http404
    return plan, unit
