"""Cascade: units see the tasks an issued plan assigns them and make their own plan in one step."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.plans import selectors, services
from cchc.plans.models import Plan, Task

from .conftest import login

pytestmark = pytest.mark.django_db


def test_home_block_lists_assigned_tasks(client, org_tree, issued_plan):
    groups = selectors.tasks_for_user_home(org_tree.officer_a)
    assert len(groups) == 1
    g = groups[0]
    # Commune A is in the group "các xã, phường": lead of one task, coordinating another.
    assert g["unit"] == org_tree.commune_a and g["plan"] == issued_plan
    assert (g["lead"], g["support"], g["open"]) == (1, 1, 2) and g["child"] is None and g["can_derive"]
    assert selectors.tasks_for_user_home(org_tree.viewer) == []  # a viewer's province owns the plan
    client.force_login(org_tree.officer_a)
    home = client.get(reverse("home")).content.decode()
    assert "Lập kế hoạch của đơn vị từ các nhiệm vụ này" in home or "Make our plan from these tasks" in home
    assert issued_plan.number in home


def test_derive_child_copies_direct_and_group_tasks_idempotently(org_tree, issued_plan):
    child = services.plan_derive_child(plan=issued_plan, unit=org_tree.commune_a, user=org_tree.officer_a)
    assert child.owner == org_tree.commune_a and child.parent == issued_plan and child.status == Plan.Status.DRAFT
    copies = list(child.tasks.select_related("parent_task").order_by("order"))
    assert [t.parent_task.title for t in copies] == [
        "Tổ chức tập huấn nghiệp vụ cải cách hành chính",
        "Viết tin, bài về thủ tục hành chính trên trang thông tin điện tử",
    ]
    assert copies[1].targets.get().at_least and copies[1].end == copies[1].parent_task.end
    assert all(t.assignments.get().unit == org_tree.commune_a for t in copies)
    again = services.plan_derive_child(plan=issued_plan, unit=org_tree.commune_a, user=org_tree.officer_a)
    assert again.pk == child.pk and again.tasks.count() == 2
    # The unit adds its own task beside the copies.
    services.task_create(plan=child, user=org_tree.officer_a, title="Tuyên truyền trên loa phường")
    assert child.tasks.count() == 3
    with pytest.raises(services.PlanError):
        services.plan_derive_child(plan=issued_plan, unit=org_tree.other_province, user=org_tree.admin)


def test_parent_page_shows_units_child_plans_and_progress(client, org_tree, issued_plan):
    login(client, org_tree.officer_a)
    # the plan page's button shows the choice of tasks; the page's own form makes the plan
    page = client.post(reverse("plans:derive", args=[issued_plan.pk]), {"unit": org_tree.commune_a.pk})
    assert page.status_code == 200 and not Plan.objects.filter(parent=issued_plan).exists()
    tasks = [t.pk for t in issued_plan.tasks.filter(assignments__unit=org_tree.commune_a).order_by("order")]
    response = client.post(reverse("plans:derive", args=[issued_plan.pk]), {
        "unit": org_tree.commune_a.pk, "confirm": "1", "task": tasks,
        "title": "Kế hoạch của phường", "report_recipient": "Sở Nội vụ"})
    child = Plan.objects.get(parent=issued_plan)
    assert response["Location"] == reverse("plans:detail", args=[child.pk])
    copy = child.tasks.order_by("order").first()
    services.task_set_status(task=copy, user=org_tree.officer_a, version=copy.version, status="done")
    rows = {r["unit"]: r for r in selectors.plan_units_progress(issued_plan)}
    assert rows[org_tree.commune_a]["child"] == child and rows[org_tree.commune_a]["progress"] == 50
    assert rows[org_tree.commune_b]["child"] is None and rows[org_tree.dept]["lead"] == 1
    login(client, org_tree.supervisor)
    html = client.get(reverse("plans:detail", args=[issued_plan.pk])).content.decode()
    assert "The units' own plans" in html and "since" in html and "not yet" in html
    # Officer B of the other commune may not derive for commune A.
    login(client, org_tree.officer_b)
    assert client.post(reverse("plans:derive", args=[issued_plan.pk]), {"unit": org_tree.commune_a.pk}).status_code == 404
    assert client.post(reverse("plans:derive", args=[issued_plan.pk]),
                       {"unit": org_tree.commune_a.pk, "confirm": "1", "task": tasks}).status_code == 404


def test_draft_cannot_be_cascaded(org_tree, small_doc):
    plan = services.plan_import(user=org_tree.supervisor, owner=org_tree.province, parsed=small_doc)
    with pytest.raises(services.PlanError):
        services.plan_derive_child(plan=plan, unit=org_tree.commune_a, user=org_tree.officer_a)
    assert selectors.tasks_for_user_home(org_tree.officer_a) == []
    assert Task.objects.filter(plan__owner=org_tree.commune_a).count() == 0
