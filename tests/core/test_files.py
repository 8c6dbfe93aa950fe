"""Files follow the database: an upload is kept only when its transaction commits, a deleted draft
takes its files once the deletion commits, and `cchc check-files` finds what escaped."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from cchc.plans import services as plan_services
from cchc.plans.models import Plan, PlanImport, TaskEvidence


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(name="bien-ban.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n% bien ban\n", content_type="application/pdf")


def stored(media: Path) -> list[str]:
    return sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()) if media.exists() else []


def draft_plan(tree):
    plan = plan_services.plan_create(user=tree.supervisor, owner=tree.province, title="Kế hoạch CCHC 2026")
    task = plan_services.task_create(plan=plan, user=tree.supervisor, title="Tập huấn", lead_units=[tree.commune_a])
    return plan, task


class Boom(Exception):
    pass


# ---------------------------------------------------------------- uploads and their transaction

@pytest.mark.django_db(transaction=True)
def test_an_upload_is_kept_when_the_request_commits_and_removed_when_it_fails(org_tree, settings, monkeypatch):
    plan, task = draft_plan(org_tree)
    client = Client(raise_request_exception=False)
    client.force_login(org_tree.supervisor)
    assert client.post(reverse("plans:task_evidence", args=[task.pk]), {"file": pdf(), "note": ""}).status_code == 302
    evidence = TaskEvidence.objects.get()
    assert stored(settings.MEDIA_ROOT) == [evidence.file.name]

    # the audit record fails after the file was written: the request is a server error, nothing stays
    def fail(**kwargs):
        raise Boom

    monkeypatch.setattr(plan_services, "_record", fail)
    response = client.post(reverse("plans:task_evidence", args=[task.pk]), {"file": pdf("hai.pdf"), "note": ""})
    assert response.status_code == 500
    assert TaskEvidence.objects.count() == 1
    assert stored(settings.MEDIA_ROOT) == [evidence.file.name]


def test_a_rolled_back_savepoint_removes_the_file_it_saved(org_tree, settings):
    _plan, task = draft_plan(org_tree)
    with pytest.raises(Boom), transaction.atomic():
        evidence = plan_services.task_add_evidence(task=task, user=org_tree.supervisor, file=pdf())
        assert Path(evidence.file.path).exists()
        raise Boom
    assert stored(settings.MEDIA_ROOT) == []


def test_a_refused_import_leaves_no_file(org_tree, settings):
    with pytest.raises(Exception):
        plan_services.plan_import_prepare(user=org_tree.supervisor, owner=org_tree.province,
                                          upload=SimpleUploadedFile("trong.txt", "Không có nhiệm vụ nào.".encode()))
    assert not PlanImport.objects.exists() and stored(settings.MEDIA_ROOT) == []


# ---------------------------------------------------------------- deletions wait for the commit

def test_a_deleted_draft_plan_takes_its_evidence_files_once_the_deletion_commits(org_tree, settings,
                                                                                   django_capture_on_commit_callbacks):
    plan, task = draft_plan(org_tree)
    with django_capture_on_commit_callbacks(execute=True):
        plan_services.task_add_evidence(task=task, user=org_tree.supervisor, file=pdf())
    assert len(stored(settings.MEDIA_ROOT)) == 1

    with pytest.raises(Boom), transaction.atomic():  # a deletion that rolls back keeps the file
        plan_services.plan_delete(plan=plan, user=org_tree.supervisor)
        raise Boom
    assert len(stored(settings.MEDIA_ROOT)) == 1

    with django_capture_on_commit_callbacks(execute=False) as pending:
        plan_services.plan_delete(plan=Plan.objects.get(title=plan.title), user=org_tree.supervisor)
    assert len(stored(settings.MEDIA_ROOT)) == 1  # not before the commit
    for callback in pending:
        callback()
    assert stored(settings.MEDIA_ROOT) == []


def test_a_discarded_import_draft_loses_its_file(org_tree, settings, django_capture_on_commit_callbacks):
    text = "ỦY BAN NHÂN DÂN\nKẾ HOẠCH\nTuyên truyền CCHC\n1. Tổ chức tập huấn nghiệp vụ cho cán bộ.\n"
    with django_capture_on_commit_callbacks(execute=True):
        draft = plan_services.plan_import_prepare(user=org_tree.supervisor, owner=org_tree.province,
                                                  upload=SimpleUploadedFile("kh.txt", text.encode()))
    assert stored(settings.MEDIA_ROOT) == [draft.source_file.name]
    with django_capture_on_commit_callbacks(execute=True):
        plan_services.plan_import_discard(draft=draft, user=org_tree.supervisor)
    assert stored(settings.MEDIA_ROOT) == []


def test_output_evidence_removed_replaced_or_deleted_goes_from_disk(org_tree, output_catalogue, settings,
                                                                    django_capture_on_commit_callbacks):
    from cchc.outputs import services

    def run(fn, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(**kwargs)

    record = run(services.output_record_create, user=org_tree.officer_a, unit=org_tree.commune_a,
                 output_type="portal_article", date=dt.date(2026, 1, 10), title="Tin", evidence=pdf("mot.pdf"))
    first = record.evidence.name
    record = run(services.output_record_update, record=record, user=org_tree.officer_a, evidence=pdf("hai.pdf"))
    assert stored(settings.MEDIA_ROOT) == [record.evidence.name] != [first]  # the replaced file is gone
    record = run(services.output_record_update, record=record, user=org_tree.officer_a, remove_evidence=True)
    assert stored(settings.MEDIA_ROOT) == []
    record = run(services.output_record_update, record=record, user=org_tree.officer_a, evidence=pdf("ba.pdf"))
    run(services.output_record_delete, record=record, user=org_tree.officer_a)
    assert stored(settings.MEDIA_ROOT) == []


# ---------------------------------------------------------------- cchc check-files

def test_check_files_lists_orphans_and_missing_files_and_deletes_old_orphans(org_tree, settings, capsys, english,
                                                                             django_capture_on_commit_callbacks):
    _plan, task = draft_plan(org_tree)
    with django_capture_on_commit_callbacks(execute=True):
        kept = plan_services.task_add_evidence(task=task, user=org_tree.supervisor, file=pdf("giu.pdf"))
        gone = plan_services.task_add_evidence(task=task, user=org_tree.supervisor, file=pdf("mat.pdf"))
    call_command("check_files")
    assert "Every stored file has its row" in capsys.readouterr().out

    Path(gone.file.path).unlink()
    media = Path(settings.MEDIA_ROOT)
    old = media / "plans" / "evidence" / "cu.pdf"
    young = media / "outputs" / "moi.pdf"
    for path in (old, young):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.4\n")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))

    with pytest.raises(SystemExit) as exit_:
        call_command("check_files")
    out = capsys.readouterr().out
    assert exit_.value.code == 1
    assert "plans/evidence/cu.pdf" in out and "outputs/moi.pdf" in out
    assert f"plans.TaskEvidence #{gone.pk}: {gone.file.name}" in out and kept.file.name not in out

    with pytest.raises(SystemExit):
        call_command("check_files", "--delete-orphans")
    out = capsys.readouterr().out
    assert not old.exists() and young.exists() and Path(kept.file.path).exists()
    assert "1 files without a row deleted" in out
