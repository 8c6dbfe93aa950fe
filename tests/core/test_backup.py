"""`cchc backup` and `cchc restore`: plans and their files survive a round trip into an empty database."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from cchc.plans import services
from cchc.plans.models import Plan, TaskEvidence
from tests.factories import DEFAULT_PASSWORD
from tests.plans.conftest import small_document

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def plans(org_tree, media, english):
    """Two plans of commune A, each with its source document and evidence files on its tasks (one of them
    binary, one with a Vietnamese name)."""
    t = org_tree
    made = []
    for number in ("5/KH-UBND", "6/KH-UBND"):
        plan = services.plan_import(user=t.officer_a, owner=t.commune_a, parsed=small_document(number=number),
                                    source_name=f"ke-hoach-{number[0]}.txt",
                                    source_bytes=f"Kế hoạch số {number}".encode())
        for i, task in enumerate(plan.tasks.order_by("order")[:2]):
            services.task_add_evidence(task=task, user=t.officer_a,
                                       file=SimpleUploadedFile(f"minh-chứng-{i}.pdf", b"%PDF-1.4 " + bytes(range(256)) * (i + 1)))
        made.append(plan)
    return made


def _snapshot():
    plans = {p.pk: (p.number, p.title, p.owner.code, p.status, p.source_file.name, p.source_file.read())
             for p in Plan.objects.select_related("owner")}
    evidence = {e.pk: (e.task_id, e.original_name, e.file.name, e.file.read()) for e in TaskEvidence.objects.all()}
    return plans, evidence


def _backup(tmp_path) -> Path:
    out = io.StringIO()
    call_command("backup", output=tmp_path / "backups", stdout=out)
    (archive,) = (tmp_path / "backups").glob("cchc-backup-*.tar.gz")
    assert str(archive) in out.getvalue()
    return archive


def _empty_everything(media: Path):
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media)


def test_restore_into_an_empty_database_brings_back_every_plan_and_file_byte_for_byte(plans, media, tmp_path):
    before = _snapshot()
    assert len(before[0]) == 2 and len(before[1]) == 4
    archive = _backup(tmp_path)

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["counts"]["plans.plan"] == 2 and manifest["counts"]["plans.taskevidence"] == 4
    assert manifest["database_engine"] in {"sqlite", "postgresql"}
    media_members = {name for name in manifest["files"] if name.startswith("media/")}
    assert len(media_members) == 6  # two source documents, four evidence files
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"].values())

    _empty_everything(media)
    assert not Plan.objects.exists() and not media.exists()

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "6" in out.getvalue()
    assert _snapshot() == before
    # the restored users log in with the passwords they had
    assert get_user_model().objects.get(username="xa.canbo").check_password(DEFAULT_PASSWORD)


def test_restore_refuses_a_database_that_holds_data_unless_forced(plans, media, tmp_path):
    before = _snapshot()
    archive = _backup(tmp_path)
    extra = services.plan_create(user=plans[0].created_by, owner=plans[0].owner, title="Kế hoạch thêm sau sao lưu")

    with pytest.raises(CommandError, match="already holds data.*--force"):
        call_command("restore", str(archive))
    assert Plan.objects.filter(pk=extra.pk).exists()

    call_command("restore", str(archive), force=True, stdout=io.StringIO())
    assert not Plan.objects.filter(pk=extra.pk).exists()
    assert _snapshot() == before


def test_a_damaged_archive_is_refused_before_anything_changes(plans, media, tmp_path):
    archive = _backup(tmp_path)
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        members = source.getmembers()
        first_pdf = next(m.name for m in members if m.name.endswith(".pdf"))
        for member in members:
            data = source.extractfile(member).read()
            if member.name == first_pdf:
                data = data[:-1] + b"!"  # one byte changed, the size kept
            target.addfile(member, io.BytesIO(data))
    _empty_everything(media)

    with pytest.raises(CommandError, match=f"damaged: 1 file.*{first_pdf}"):
        call_command("restore", str(damaged))
    assert not Plan.objects.exists() and not media.exists()


def test_a_file_that_is_no_archive_gets_a_clear_message(db, tmp_path, english):
    not_archive = tmp_path / "notes.tar.gz"
    not_archive.write_text("không phải bản sao lưu")
    with pytest.raises(CommandError, match="is not a cchc backup archive"):
        call_command("restore", str(not_archive))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))
