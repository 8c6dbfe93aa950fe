"""Authoring by hand, draft → issued (locked, new versions keep history) → closed; concurrent edits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from cchc.core.models import AuditEvent
from cchc.plans import services
from cchc.plans.models import Plan, Task

from .conftest import login

pytestmark = pytest.mark.django_db


def _draft(org_tree, owner=None, user=None):
    user = user or org_tree.supervisor
    plan = services.plan_create(user=user, owner=owner or org_tree.province, title="Tuyên truyền CCHC năm 2026",
                                plan_year=2026, number="5/KH-UBND")
    services.task_create(plan=plan, user=user, title="Viết tin bài", lead_units=[org_tree.dept],
                         start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31), timeframe_text="Quý I/2026")
    return plan


def test_author_plan_and_task_in_forms(client, org_tree):
    login(client, org_tree.officer_a)
    response = client.post(reverse("plans:create"), {
        "owner": org_tree.commune_a.pk, "title": "Kế hoạch tuyên truyền CCHC của phường", "kind": "KH",
        "plan_year": "2026", "date": "15/01/2026", "recipients": "UBND tỉnh\nLưu: VT",
    })
    plan = Plan.objects.get()
    assert response.status_code == 302 and plan.owner == org_tree.commune_a and plan.date == dt.date(2026, 1, 15)
    assert plan.recipients == ["UBND tỉnh", "Lưu: VT"] and plan.issuer == org_tree.commune_a.name
    response = client.post(reverse("plans:task_add", args=[plan.pk]), {
        "title": "Niêm yết thủ tục hành chính", "lead_units": [org_tree.commune_a.pk], "start": "01/04/2026",
        "end": "30/06/2026", "targets": "4 bài/quý\nít nhất 2 tin, bài/tháng", "timeframe_text": "Quý II/2026",
    })
    assert response.status_code == 302
    task = plan.tasks.get()
    assert task.end == dt.date(2026, 6, 30) and task.assignments.get().unit == org_tree.commune_a
    targets = sorted((str(t.quantity.normalize()), t.unit, t.per, t.at_least) for t in task.targets.all())
    assert targets == [("2", "tin, bài", "month", True), ("4", "bài", "quarter", False)]
    # The end before the start is refused with a message in the form.
    bad = client.post(reverse("plans:task_add", args=[plan.pk]), {"title": "x", "start": "30/06/2026", "end": "01/04/2026"})
    assert bad.status_code == 200 and "must not be before the start" in bad.content.decode()
    assert AuditEvent.objects.filter(object_type="plans.task", action="create").count() == 1


def test_lifecycle_issue_locks_new_version_keeps_history_close(org_tree):
    plan = _draft(org_tree)
    plan = services.plan_issue(plan=plan, user=org_tree.supervisor)
    assert plan.status == Plan.Status.ISSUED and plan.issued_at
    with pytest.raises(services.PlanLocked):
        services.plan_update(plan=plan, user=org_tree.supervisor, title="Khác")
    with pytest.raises(services.PlanLocked):
        services.task_create(plan=plan, user=org_tree.supervisor, title="Thêm")
    plan = services.plan_new_version(plan=plan, user=org_tree.supervisor, note="bổ sung nhiệm vụ")
    assert plan.status == Plan.Status.DRAFT and plan.version == 2
    snapshot = plan.versions.get(version=1).snapshot
    assert [t["title"] for t in snapshot["tasks"]] == ["Viết tin bài"] and snapshot["tasks"][0]["lead"] == ["Sở Nội vụ"]
    services.task_create(plan=plan, user=org_tree.supervisor, title="Thêm nhiệm vụ mới")
    plan = services.plan_issue(plan=plan, user=org_tree.supervisor)
    assert plan.tasks.count() == 2 and plan.version == 2
    plan = services.plan_close(plan=plan, user=org_tree.supervisor)
    assert plan.status == Plan.Status.CLOSED
    task = plan.tasks.first()
    with pytest.raises(services.PlanLocked):
        services.task_set_status(task=task, user=org_tree.supervisor, version=task.version, status="done")
    messages = list(AuditEvent.objects.filter(object_type="plans.plan", object_id=str(plan.pk)).values_list("message", flat=True))
    assert {"issued version 1", "new version 2", "issued version 2", "closed"} <= set(messages)


def test_cannot_delete_issued_plan(client, org_tree):
    plan = services.plan_issue(plan=_draft(org_tree), user=org_tree.supervisor)
    with pytest.raises(services.PlanLocked):
        services.plan_delete(plan=plan, user=org_tree.supervisor)
    plan = services.plan_new_version(plan=plan, user=org_tree.supervisor)
    login(client, org_tree.supervisor)
    response = client.post(reverse("plans:delete", args=[plan.pk]), follow=True)
    assert Plan.objects.filter(pk=plan.pk).exists()
    assert "cannot be deleted; close it instead" in response.content.decode()
    # A draft that was never issued can be deleted.
    other = services.plan_create(user=org_tree.supervisor, owner=org_tree.province, title="Nháp")
    client.post(reverse("plans:delete", args=[other.pk]))
    assert not Plan.objects.filter(pk=other.pk).exists()


def test_issue_rights(client, org_tree):
    province_plan = _draft(org_tree)
    commune_plan = _draft(org_tree, owner=org_tree.commune_a, user=org_tree.officer_a)
    confirm = {"confirm": "1", "date": "20/12/2025"}
    login(client, org_tree.officer_a)
    assert client.post(reverse("plans:issue", args=[commune_plan.pk]), confirm).status_code == 404
    assert client.get(reverse("plans:issue", args=[commune_plan.pk])).status_code == 404
    login(client, org_tree.manager_a)
    client.post(reverse("plans:issue", args=[commune_plan.pk]), confirm)
    commune_plan.refresh_from_db()
    assert commune_plan.status == Plan.Status.ISSUED
    login(client, org_tree.dept_officer)
    assert client.post(reverse("plans:issue", args=[province_plan.pk]), confirm).status_code == 404
    login(client, org_tree.supervisor)
    client.post(reverse("plans:issue", args=[province_plan.pk]), confirm)
    province_plan.refresh_from_db()
    assert province_plan.status == Plan.Status.ISSUED


def test_database_constraints(org_tree):
    plan = _draft(org_tree)
    with pytest.raises(services.PlanError):
        services.plan_create(user=org_tree.supervisor, owner=org_tree.province, title="Trùng số", number="5/KH-UBND")
    # Unnumbered drafts do not collide.
    services.plan_create(user=org_tree.supervisor, owner=org_tree.province, title="A")
    services.plan_create(user=org_tree.supervisor, owner=org_tree.province, title="B")
    task = plan.tasks.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.filter(pk=task.pk).update(progress=150)
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.filter(pk=task.pk).update(start=dt.date(2026, 5, 1), end=dt.date(2026, 1, 1))


def test_concurrent_edit_conflict_is_shown(client, org_tree):
    plan = _draft(org_tree)
    task = plan.tasks.get()
    opened = task.version
    # Another officer saves first.
    services.task_update(task=Task.objects.get(pk=task.pk), user=org_tree.dept_officer, version=opened,
                         title="Viết tin bài về một cửa")
    with pytest.raises(services.ConflictError) as caught:
        services.task_update(task=Task.objects.get(pk=task.pk), user=org_tree.supervisor, version=opened,
                             title="Viết tin bài về dịch vụ công")
    assert caught.value.current.title == "Viết tin bài về một cửa"
    task.refresh_from_db()
    assert task.title == "Viết tin bài về một cửa"

    login(client, org_tree.supervisor)
    response = client.post(reverse("plans:task_edit", args=[task.pk]), {
        "title": "Viết tin bài về dịch vụ công", "version": opened, "lead_units": [org_tree.dept.pk]})
    html = response.content.decode()
    assert response.status_code == 409
    assert "saved this task while you were editing it" in html and "Viết tin bài về một cửa" in html
    assert "Vũ Thị Nội" in html  # who made the other change
    task.refresh_from_db()
    assert task.title == "Viết tin bài về một cửa"
    # Saving again from the conflict page is deliberate and goes through.
    response = client.post(reverse("plans:task_edit", args=[task.pk]), {
        "title": "Viết tin bài về dịch vụ công", "version": task.version, "lead_units": [org_tree.dept.pk]})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.title == "Viết tin bài về dịch vụ công"


def test_concurrent_progress_update_conflict(client, org_tree):
    plan = services.plan_issue(plan=_draft(org_tree), user=org_tree.supervisor)
    task = plan.tasks.get()
    login(client, org_tree.dept_officer)
    opened = task.version
    client.post(reverse("plans:task", args=[task.pk]), {"status": "in_progress", "progress": 30, "notes": "", "version": opened})
    response = client.post(reverse("plans:task", args=[task.pk]), {"status": "done", "progress": 100, "notes": "xong",
                                                                    "version": opened})
    assert response.status_code == 409
    task.refresh_from_db()
    assert task.progress == 30 and task.status == "in_progress"


def test_hand_typed_timeframe_gets_dates(org_tree):
    plan = _draft(org_tree)
    user = org_tree.supervisor
    task = services.task_create(plan=plan, user=user, title="Tập huấn", timeframe_text="Quý II/2026",
                                start=None, end=None, recurrence="")
    assert (task.start, task.end, task.recurrence) == (dt.date(2026, 4, 1), dt.date(2026, 6, 30), "once")
    assert task.is_overdue(dt.date(2026, 7, 1))
    # Changing the text on an undated task dates it too; dates the user typed are kept.
    other = services.task_create(plan=plan, user=user, title="Hội nghị")
    assert other.start is None
    other = services.task_update(task=other, user=user, version=other.version, timeframe_text="Thường xuyên",
                                 start=None, end=None, recurrence="")
    assert (other.start, other.end, other.recurrence) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31), "continuous")
    typed = services.task_create(plan=plan, user=user, title="Tổng kết", timeframe_text="Quý IV/2026",
                                 start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 15))
    assert (typed.start, typed.end) == (dt.date(2026, 12, 1), dt.date(2026, 12, 15))


def test_issued_plan_page_links_to_reporting_periods(client, org_tree, issued_plan):
    login(client, org_tree.supervisor)
    periods = reverse("reports:plan_periods", args=[issued_plan.pk])
    assert periods in client.get(reverse("plans:detail", args=[issued_plan.pk])).content.decode()
    draft = _draft(org_tree)
    assert reverse("reports:plan_periods", args=[draft.pk]) not in client.get(reverse("plans:detail", args=[draft.pk])).content.decode()
