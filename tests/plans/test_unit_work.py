"""On a task shared by many units, each unit's notes and evidence files are its own: sibling units do
not see them, the units above and the plan's owner do, and everyone sees the counted figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.outputs.models import OutputRecord, OutputType
from cchc.plans.models import TaskEvidence, TaskNote

from .conftest import login


@pytest.fixture
def shared(org_tree, issued_plan, client):
    """The task every commune and ward leads, with a note and a file from commune A and from commune B."""
    task = issued_plan.tasks.get(title__startswith="Viết tin, bài")
    for user, note, name in ((org_tree.officer_a, "Ghi chú của phường A", "danh-sach-a.pdf"),
                             (org_tree.officer_b, "Ghi chú của xã B", "danh-sach-b.pdf")):
        login(client, user)
        response = client.post(reverse("plans:task", args=[task.pk]),
                               {"status": "in_progress", "progress": 50, "notes": note,
                                "version": type(task).objects.get(pk=task.pk).version})
        assert response.status_code == 302
        upload = SimpleUploadedFile(name, b"%PDF-1.4 " + name.encode(), content_type="application/pdf")
        assert client.post(reverse("plans:task_evidence", args=[task.pk]), {"file": upload, "note": ""}).status_code == 302
    client.logout()
    target = task.targets.get()
    for unit, quantity in ((org_tree.commune_a, 3), (org_tree.commune_b, 5)):
        OutputRecord.objects.create(unit=unit, task=task, target=target, output_type=OutputType.objects.get(code="portal_article"),
                                    date=dt.date(2026, 2, 10), quantity=Decimal(quantity), title="Tin bài")
    return task


def _page(client, user, task) -> str:
    login(client, user)
    response = client.get(reverse("plans:task", args=[task.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _evidence(tree, unit) -> TaskEvidence:
    return TaskEvidence.objects.get(unit=unit)


def test_each_unit_keeps_its_own_note_and_file(org_tree, shared):
    assert {(n.unit, n.text) for n in TaskNote.objects.filter(task=shared)} == {
        (org_tree.commune_a, "Ghi chú của phường A"), (org_tree.commune_b, "Ghi chú của xã B")}
    assert {e.unit for e in TaskEvidence.objects.filter(task=shared)} == {org_tree.commune_a, org_tree.commune_b}


def test_a_commune_sees_its_own_work_not_its_siblings(client, org_tree, shared, output_catalogue):
    html = _page(client, org_tree.officer_a, shared)
    assert "Ghi chú của phường A" in html and "danh-sach-a.pdf" in html
    assert "Ghi chú của xã B" not in html and "danh-sach-b.pdf" not in html
    # the counted figures of all units: 3 + 5 outputs
    assert 'id="task-figures"' in html and ">8<" in html.replace(" ", "")


def test_a_sibling_unit_file_answers_as_missing(client, org_tree, shared):
    login(client, org_tree.officer_a)
    assert client.get(reverse("plans:evidence", args=[_evidence(org_tree, org_tree.commune_b).pk])).status_code == 404
    own = client.get(reverse("plans:evidence", args=[_evidence(org_tree, org_tree.commune_a).pk]))
    assert own.status_code == 200 and b"".join(own.streaming_content) == b"%PDF-1.4 danh-sach-a.pdf"
    login(client, org_tree.officer_b)
    other = client.get(reverse("plans:evidence", args=[_evidence(org_tree, org_tree.commune_b).pk]))
    assert other.status_code == 200 and b"".join(other.streaming_content) == b"%PDF-1.4 danh-sach-b.pdf"
    assert client.get(reverse("plans:evidence", args=[_evidence(org_tree, org_tree.commune_a).pk])).status_code == 404


def test_commune_b_sees_its_own_note_not_commune_a(client, org_tree, shared):
    html = _page(client, org_tree.officer_b, shared)
    assert "Ghi chú của xã B" in html and "danh-sach-b.pdf" in html
    assert "Ghi chú của phường A" not in html and "danh-sach-a.pdf" not in html


def test_the_province_supervisor_sees_every_unit_work(client, org_tree, shared):
    html = _page(client, org_tree.supervisor, shared)
    for text in ("Ghi chú của phường A", "Ghi chú của xã B", "danh-sach-a.pdf", "danh-sach-b.pdf"):
        assert text in html
    for unit in (org_tree.commune_a, org_tree.commune_b):
        assert client.get(reverse("plans:evidence", args=[_evidence(org_tree, unit).pk])).status_code == 200


def test_a_unit_note_edits_only_its_own_and_an_emptied_note_goes(client, org_tree, shared):
    login(client, org_tree.officer_a)
    form = client.get(reverse("plans:task", args=[shared.pk])).context["track_form"]
    assert form.initial["notes"] == "Ghi chú của phường A"
    client.post(reverse("plans:task", args=[shared.pk]),
                {"status": "in_progress", "progress": 60, "notes": "", "version": type(shared).objects.get(pk=shared.pk).version})
    assert list(TaskNote.objects.filter(task=shared).values_list("text", flat=True)) == ["Ghi chú của xã B"]
