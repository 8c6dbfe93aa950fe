"""Issuing is confirmed with who receives the plan; a unit derives its own plan by choosing tasks."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from cchc.core.models import AuditEvent
from cchc.plans import services
from cchc.plans.models import Assignment, Plan

from .conftest import login

pytestmark = pytest.mark.django_db


def test_issue_page_shows_recipients_grouped_and_asks_for_number_and_date(client, org_tree, small_doc):
    small_doc["document"]["number"] = None
    small_doc["document"]["date"] = None
    plan = services.plan_import(user=org_tree.supervisor, owner=org_tree.province, parsed=small_doc)
    assert plan.number == "" and plan.date is None
    login(client, org_tree.supervisor)
    url = reverse("plans:issue", args=[plan.pk])
    page = client.get(url).content.decode()
    assert "Commune People&#x27;s Committees (2)" in page and "Departments and agencies (1)" in page
    assert "Báo Xuân Hòa Thịnh Vượng" in page  # named in the plan, matched to no unit: said before issuing
    assert 'name="number"' in page and 'name="date"' in page and "Quý I/2026" in page
    assert "Issue to 3 units" in page
    # the plan page's button only shows this page; a confirmation without the number is refused
    client.post(url)
    client.post(url, {"confirm": "1", "date": "20/12/2025"})
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and not plan.reporting_periods.exists()
    response = client.post(url, {"confirm": "1", "number": "174/KH-UBND", "date": "20/12/2025"})
    assert response["Location"] == reverse("plans:detail", args=[plan.pk])
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ISSUED and plan.number == "174/KH-UBND" and plan.date.isoformat() == "2025-12-20"
    assert sorted(plan.reporting_periods.values_list("code", flat=True)) == ["H1", "Q1", "Q3", "Y"]
    event = AuditEvent.objects.filter(object_type="plans.plan", object_id=str(plan.pk), message="issued version 1").get()
    assert event.actor == org_tree.supervisor and event.after["number"] == "174/KH-UBND"


def test_issue_page_does_not_ask_what_the_plan_has(client, org_tree, small_doc):
    plan = services.plan_import(user=org_tree.supervisor, owner=org_tree.province, parsed=small_doc)
    login(client, org_tree.supervisor)
    page = client.get(reverse("plans:issue", args=[plan.pk])).content.decode()
    assert 'name="number"' not in page and 'name="date"' not in page
    client.post(reverse("plans:issue", args=[plan.pk]), {"confirm": "1"})
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ISSUED and plan.number == "12/KH-UBND"


def test_derive_page_preselects_led_tasks_marks_coordinating_and_names_the_plan(client, org_tree, issued_plan):
    t = org_tree
    login(client, t.dept_officer)
    url = reverse("plans:derive", args=[issued_plan.pk])
    page = client.get(url, {"unit": t.dept.pk}).content.decode()
    lead = issued_plan.tasks.get(title__startswith="Tổ chức tập huấn")
    support = issued_plan.tasks.get(title__startswith="Duy trì chuyên mục")
    assert f'value="{lead.pk}" id="derive-task-{lead.pk}" checked' in page
    assert f'value="{support.pk}" id="derive-task-{support.pk}">' in page and "coordinating" in page
    assert "Kế hoạch tuyên truyền CCHC năm 2026 của Sở Nội vụ" in page
    # Sở Nội vụ receives the units' reports; its own go to the body that issued the plan
    assert 'value="Ủy ban nhân dân tỉnh Tuyên Quang"' in page
    assert 'id="derive-and-issue"' not in page  # an officer does not issue for the department
    client.post(url, {"unit": t.dept.pk, "confirm": "1", "task": [lead.pk, support.pk],
                      "title": "Kế hoạch tuyên truyền CCHC năm 2026 của Sở Nội vụ",
                      "report_recipient": "Ủy ban nhân dân tỉnh Tuyên Quang"})
    child = Plan.objects.get(parent=issued_plan, owner=t.dept)
    assert child.title == "Kế hoạch tuyên truyền CCHC năm 2026 của Sở Nội vụ"
    assert child.reporting["recipient"] == "Ủy ban nhân dân tỉnh Tuyên Quang"
    roles = {a.task.parent_task_id: a.role for a in Assignment.objects.filter(task__plan=child).select_related("task")}
    assert roles == {lead.pk: Assignment.Role.LEAD, support.pk: Assignment.Role.SUPPORT}
    # another unit's officer may not derive for the department
    login(client, t.officer_a)
    assert client.get(url, {"unit": t.dept.pk}).status_code == 404


def test_a_commune_keeps_the_parent_recipient_and_its_manager_issues_from_the_page(client, org_tree, issued_plan):
    t = org_tree
    assert services.child_report_recipient(issued_plan, t.commune_a) == "Sở Nội vụ"
    login(client, t.manager_a)
    url = reverse("plans:derive", args=[issued_plan.pk])
    page = client.get(url, {"unit": t.commune_a.pk}).content.decode()
    assert 'id="derive-and-issue"' in page
    tasks = list(issued_plan.tasks.filter(assignments__unit=t.commune_a).values_list("pk", flat=True))
    response = client.post(url, {"unit": t.commune_a.pk, "confirm": "1", "task": tasks, "then": "issue",
                                 "title": "Kế hoạch của phường", "report_recipient": "Sở Nội vụ"})
    child = Plan.objects.get(parent=issued_plan, owner=t.commune_a)
    assert response["Location"] == reverse("plans:issue", args=[child.pk])


def test_nothing_chosen_makes_nothing(client, org_tree, issued_plan):
    login(client, org_tree.officer_a)
    response = client.post(reverse("plans:derive", args=[issued_plan.pk]),
                           {"unit": org_tree.commune_a.pk, "confirm": "1", "title": "X", "report_recipient": "Y"})
    assert response.status_code == 200 and not Plan.objects.filter(parent=issued_plan).exists()


def test_one_child_plan_per_parent_and_unit_in_the_database(org_tree, issued_plan):
    child = services.plan_derive_child(plan=issued_plan, unit=org_tree.commune_a, user=org_tree.officer_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(owner=org_tree.commune_a, parent=issued_plan, title="Bản thứ hai")
    assert services.plan_derive_child(plan=issued_plan, unit=org_tree.commune_a, user=org_tree.officer_a).pk == child.pk


def test_child_plan_title_rules(org_tree, issued_plan):
    issued_plan.title = "Kế hoạch Tuyên truyền cải cách hành chính năm 2023 của UBND tỉnh Hà Giang"
    assert services.child_plan_title(issued_plan, org_tree.dept) == "Kế hoạch Tuyên truyền CCHC năm 2023 của Sở Nội vụ"
    # seed 004's title: the parent's territory gives way to the unit
    issued_plan.title = "Kế hoạch tuyên truyền cải cách hành chính năm 2023 trên địa bàn tỉnh Hà Giang"
    assert services.child_plan_title(issued_plan, org_tree.dept) == "Kế hoạch tuyên truyền CCHC năm 2023 của Sở Nội vụ"


def test_the_report_recipient_is_a_body_as_it_is_today(org_tree, issued_plan):
    t = org_tree
    # a plan written in the platform names its owner as issuer: its People's Committee receives
    issued_plan.issuer = t.province.name
    assert services.child_report_recipient(issued_plan, t.dept) == "Ủy ban nhân dân tỉnh Tuyên Quang"
    # seed 004 imported by Tuyên Quang still says Hà Giang in its header: the owner today decides
    issued_plan.issuer = "Ủy ban nhân dân tỉnh Hà Giang"
    assert services.child_report_recipient(issued_plan, t.dept) == "Ủy ban nhân dân tỉnh Tuyên Quang"
    # a plan of a province merged since: its successor
    old = services.plan_create(user=t.admin, owner=t.old_province, title="Kế hoạch 2025", issuer="Ủy ban nhân dân tỉnh Hà Giang",
                               reporting={"recipient": "Sở Nội vụ"})
    assert services.child_report_recipient(old, t.dept) == "Ủy ban nhân dân tỉnh Tuyên Quang"
    assert services.child_report_recipient(old, t.commune_b) == "Sở Nội vụ"


def test_recipients_are_read_in_the_same_queries_at_any_size(org_tree, issued_plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cchc.org.models import Unit
    from cchc.plans.issue import plan_recipients
    from tests.factories import UnitFactory

    def count():
        with CaptureQueriesContext(connection) as queries:
            plan_recipients(issued_plan)
        return len(queries)

    small = count()
    task = issued_plan.tasks.order_by("order").first()
    for i in range(40):
        unit = UnitFactory(code=f"T09{i:03d}", name=f"Xã Thử {i}", kind=Unit.Kind.COMMUNE, parent=org_tree.province)
        Assignment.objects.create(task=task, unit=unit, role=Assignment.Role.LEAD)
    assert count() == small
    groups = {g["key"]: g for g in plan_recipients(issued_plan)["groups"]}
    assert groups["communes"]["count"] == 42 and groups["communes"]["without_users"] == 40  # A and B have users
