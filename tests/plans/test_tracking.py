"""Tracking: status, progress, notes, evidence; overdue; task lists with filters; quarter and timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.core.models import AuditEvent
from cchc.plans import selectors, services
from cchc.plans.models import Task

from .conftest import login

pytestmark = pytest.mark.django_db


def _task(plan, start):
    return plan.tasks.get(title__startswith=start)


def test_overdue_is_ended_and_not_done(org_tree, issued_plan):
    training = _task(issued_plan, "Tổ chức tập huấn")  # Quý II/2026: ends 30/06/2026
    assert not training.is_overdue(dt.date(2026, 6, 30))
    assert training.is_overdue(dt.date(2026, 7, 1))
    assert list(Task.objects.filter(plan=issued_plan).overdue(dt.date(2026, 7, 1))) == [training]
    training = services.task_set_status(task=training, user=org_tree.dept_officer, version=training.version, status="done")
    assert training.progress == 100 and not training.is_overdue(dt.date(2026, 7, 1))


def test_officer_tracks_task_with_evidence(client, org_tree, issued_plan):
    task = _task(issued_plan, "Viết tin, bài")
    login(client, org_tree.officer_a)
    response = client.post(reverse("plans:task", args=[task.pk]),
                           {"status": "in_progress", "progress": 60, "notes": "Đã đăng 8 tin", "version": task.version})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.progress, task.updated_by) == ("in_progress", 60, org_tree.officer_a)
    note = task.unit_notes.get()
    assert (note.unit, note.text) == (org_tree.commune_a, "Đã đăng 8 tin")
    pdf = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 minh chung", content_type="application/pdf")
    client.post(reverse("plans:task_evidence", args=[task.pk]), {"file": pdf, "note": "Biên bản"})
    evidence = task.evidence.get()
    assert evidence.original_name == "bien-ban.pdf" and evidence.uploaded_by == org_tree.officer_a
    assert evidence.unit == org_tree.commune_a
    download = client.get(reverse("plans:evidence", args=[evidence.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 minh chung"
    # An executable is refused.
    response = client.post(reverse("plans:task_evidence", args=[task.pk]),
                           {"file": SimpleUploadedFile("virus.exe", b"MZ...")}, follow=True)
    assert "not an accepted file type" in response.content.decode() and task.evidence.count() == 1
    assert AuditEvent.objects.filter(object_type="plans.taskevidence", action="create").count() == 1
    # Officer B's commune is assigned too (group), but the viewer of the province may not track.
    login(client, org_tree.viewer)
    assert client.post(reverse("plans:task", args=[task.pk]),
                       {"status": "done", "progress": 100, "version": task.version + 1}).status_code == 404


def test_task_list_filters_and_accent_insensitive_search(client, org_tree, issued_plan):
    user = org_tree.supervisor
    found = selectors.task_list(user, q="thu tuc hanh chinh")
    assert [t.title for t in found] == ["Viết tin, bài về thủ tục hành chính trên trang thông tin điện tử"]
    assert selectors.task_list(user, q="THỦ TỤC").count() == 1
    assert {t.title[:10] for t in selectors.task_list(user, unit=org_tree.dept, role="lead")} == {"Tổ chức tậ"}
    assert {t.title[:10] for t in selectors.task_list(user, unit=org_tree.dept, role="support")} == {"Duy trì ch"}
    assert selectors.task_list(user, period="Q3/2026").count() == 2  # the two whole-year tasks
    assert selectors.task_list(user, period="2026-05").count() == 3
    assert selectors.task_list(user, status="done").count() == 0
    assert selectors.task_list(user, overdue=True, today=dt.date(2026, 7, 1)).count() == 1
    login(client, org_tree.supervisor)
    html = client.get(reverse("plans:tasks"), {"q": "y kien ban doc"}).content.decode()
    assert "Duy trì chuyên mục trao đổi ý kiến bạn đọc" in html and "Tổ chức tập huấn" not in html


def test_quarter_view_and_timeline(client, org_tree, issued_plan):
    q2 = selectors.unit_quarter(org_tree.officer_a, org_tree.commune_a, day=dt.date(2026, 5, 10))
    assert (q2["quarter"], q2["year"]) == (2, 2026)
    assert {t.title[:10] for t in q2["tasks"]} == {"Tổ chức tậ", "Viết tin, "}
    q4 = selectors.unit_quarter(org_tree.officer_a, org_tree.commune_a, day=dt.date(2026, 11, 1))
    assert {t.title[:10] for t in q4["tasks"]} == {"Viết tin, "}
    login(client, org_tree.officer_a)
    html = client.get(reverse("plans:unit_quarter", args=[org_tree.commune_a.code]), {"date": "10/05/2026"}).content.decode()
    assert "quarter 2/2026" in html and "Tổ chức tập huấn" in html
    assert client.get(reverse("plans:unit_quarter", args=[org_tree.commune_b.code])).status_code == 404

    timeline = selectors.plan_timeline(issued_plan)
    spans = {r["task"].title[:10]: (r["first"], r["last"]) for r in timeline["rows"]}
    assert timeline["year"] == 2026 and spans["Tổ chức tậ"] == (4, 6) and spans["Viết tin, "] == (1, 12)
    html = client.get(reverse("plans:timeline", args=[issued_plan.pk])).content.decode()
    assert 'class="bar from-5 to-8' in html  # April..June in a grid whose first column holds the titles
