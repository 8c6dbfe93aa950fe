"""'Which role does this user have on this unit' is answered in one place (org), successors followed,
and every app's access_<entity>(user, id, *, action=...) answers missing and forbidden alike."""

from __future__ import annotations

import pytest
from django.http import Http404

from cchc.org import permissions as org
from cchc.org.models import Membership
from cchc.plans import permissions as plan_permissions
from cchc.plans import services as plan_services
from cchc.reports import permissions as report_permissions

Role = Membership.Role


def test_a_closed_unit_is_seen_through_its_successor_by_every_app(org_tree):
    t = org_tree
    assert t.old_province.successor_id == t.province.pk
    assert org.role_for(t.supervisor, t.old_province) == Role.SUPERVISOR
    # plans used to compare paths only: the province's supervisor had no rank on the closed province
    assert not t.old_province.path.startswith(t.province.path)
    assert plan_permissions.rank_for(t.supervisor, t.old_province) == org.ROLE_RANK[Role.SUPERVISOR]
    assert plan_permissions.rank_for(t.officer_b, t.old_province) == 0
    # a role held on the unit itself (or on the one it merged into), not one inherited from above
    assert org.own_role(t.supervisor, t.old_province) == Role.SUPERVISOR
    assert org.own_role(t.supervisor, t.commune_a) is None and org.role_for(t.supervisor, t.commune_a) == Role.SUPERVISOR
    assert org.own_role(t.officer_a, t.commune_a) == Role.OFFICER
    assert org.supervises_from_above(t.supervisor, t.commune_a)
    assert not org.supervises_from_above(t.officer_a, t.commune_a)


@pytest.fixture
def plan(org_tree):
    t = org_tree
    draft = plan_services.plan_create(user=t.supervisor, owner=t.province, title="Kế hoạch CCHC năm 2026", plan_year=2026)
    plan_services.task_create(plan=draft, user=t.supervisor, title="Mở lớp tập huấn", lead_units=[t.dept])
    return draft


def test_access_plan_and_task_take_the_action(org_tree, plan):
    t = org_tree
    task = plan.tasks.get()
    assert plan_permissions.access_plan(t.supervisor, plan.pk, action="edit") == plan
    assert plan_permissions.access_plan(t.supervisor, plan.pk, action="issue") == plan
    with pytest.raises(Http404):  # a draft of the province: a commune's officer neither sees it ...
        plan_permissions.access_plan(t.officer_b, plan.pk)
    with pytest.raises(Http404):  # ... nor is told it exists
        plan_permissions.access_plan(t.officer_b, 10**9)
    with pytest.raises(Http404):  # a viewer reads, never edits
        plan_permissions.access_plan(t.viewer, plan.pk, action="edit")
    plan = plan_services.plan_issue(plan=plan, user=t.supervisor)
    with pytest.raises(Http404):  # an issued plan is locked
        plan_permissions.access_plan(t.supervisor, plan.pk, action="edit")
    assert plan_permissions.access_plan(t.supervisor, plan.pk, action="close") == plan
    assert plan_permissions.access_task(t.dept_officer, task.pk, action="track") == task
    with pytest.raises(Http404):
        plan_permissions.access_task(t.officer_b, task.pk, action="track")
    with pytest.raises(KeyError):  # an action nobody defined is a programming error, not a 404
        plan_permissions.access_plan(t.supervisor, plan.pk, action="publish")


def test_access_report_takes_the_action(org_tree):
    from cchc.reports import services

    t = org_tree
    plan = plan_services.plan_create(user=t.supervisor, owner=t.province, title="Kế hoạch CCHC năm 2026", plan_year=2026,
                                     reporting={"periods": ["Q1"]})
    plan_services.task_create(plan=plan, user=t.supervisor, title="Đăng tin", lead_units=[t.commune_a])
    plan = plan_services.plan_issue(plan=plan, user=t.supervisor)
    q1 = services.periods_generate(plan=plan, user=t.supervisor)[0]
    report = services.report_open(unit=t.commune_a, period=q1, user=t.officer_a)
    assert report_permissions.access_report(t.officer_a, report.pk, action="edit") == report
    for user, action in ((t.supervisor, "view"), (t.officer_b, "view"), (t.officer_a, "review")):
        with pytest.raises(Http404):  # a draft stays inside the unit; the officer never reviews
            report_permissions.access_report(user, report.pk, action=action)
    services.report_submit(report=report, user=t.manager_a, token="k")
    assert report_permissions.access_report(t.supervisor, report.pk, action="review").pk == report.pk
    with pytest.raises(Http404):
        report_permissions.access_report(t.officer_a, report.pk, action="edit")
    assert report_permissions.access_period(t.supervisor, q1.pk, action="manage") == q1
    with pytest.raises(Http404):
        report_permissions.access_period(t.officer_a, q1.pk, action="manage")
