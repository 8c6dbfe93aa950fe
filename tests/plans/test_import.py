"""Import with review: upload → review page (nothing saved) → fixes → confirm (one transaction)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from cchc.core.models import AuditEvent
from cchc.plans import services
from cchc.plans.models import Assignment, Plan, PlanImport, Target, Task

from .conftest import SEED_004, login, small_document

pytestmark = pytest.mark.django_db


def _upload(client, name: str, data: bytes, owner, **extra):
    return client.post(reverse("plans:import"), {"owner": owner.pk, "file": SimpleUploadedFile(name, data)}, **extra)


def test_upload_shows_review_and_saves_nothing_until_confirm(client, org_tree, seed_004_text):
    login(client, org_tree.supervisor)
    response = _upload(client, "ke-hoach-233.txt", seed_004_text.encode(), org_tree.province)
    assert response.status_code == 302
    draft = PlanImport.objects.get()
    assert Plan.objects.count() == 0 and Task.objects.count() == 0

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "233/QĐ-UBND" in html and "Ủy ban nhân dân tỉnh Hà Giang" in html
    assert "Tổ chức tập huấn, bồi dưỡng nâng cao nhận thức" in html
    # "Báo Hà Giang" is not a unit of the directory: it is highlighted with a picker to fix it.
    assert 'class="attention"' in html and "not matched" in html
    assert f'name="u:' in html
    iso = draft.parsed["document"]["date"]  # dates read as dd/mm/yyyy
    assert "/".join(reversed(iso.split("-"))) in html and iso not in html

    confirm = client.post(response["Location"], {"action": "confirm"})
    plan = Plan.objects.get()
    assert confirm.status_code == 302 and confirm["Location"] == reverse("plans:detail", args=[plan.pk])
    assert plan.number == "233/QĐ-UBND" and plan.status == Plan.Status.DRAFT and plan.plan_year == 2023
    # the decision (QĐ) is imported as the plan it issues, under the plan's own title
    assert plan.title == "Tuyên truyền cải cách hành chính năm 2023 trên địa bàn tỉnh Hà Giang"
    assert plan.tasks.count() == len(draft.parsed["tasks"]) >= 15
    row5 = plan.tasks.get(source_section="Phụ lục/5")
    assert row5.timeframe_text == "Quý II, Quý III/2023" and str(row5.start) == "2023-04-01" and str(row5.end) == "2023-09-30"
    assert {t.unit for t in row5.targets.all()} >= {"lớp"}
    assert row5.assignments.filter(role="lead", unit=org_tree.dept).exists()
    assert plan.source_file and plan.source_file.read() == seed_004_text.encode()
    assert plan.sections.count() > 10
    assert AuditEvent.objects.filter(object_type="plans.plan", object_id=str(plan.pk), action="create").exists()
    draft.refresh_from_db()
    assert draft.status == PlanImport.Status.CONFIRMED and draft.plan == plan


def test_unresolved_agency_fixed_on_review_page(client, org_tree):
    login(client, org_tree.supervisor)
    draft = PlanImport(owner=org_tree.province, created_by=org_tree.supervisor, parsed=small_document())
    from cchc.plans.agencies import resolve_document

    draft.resolutions = resolve_document(draft.parsed, context=org_tree.province)
    draft.save()
    url = reverse("plans:import_review", args=[draft.pk])
    html = client.get(url).content.decode()
    assert "Báo Xuân Hòa Thịnh Vượng" in html and "not matched" in html
    # The reviewer picks the province's department for the unmatched lead of task 3, then confirms.
    response = client.post(url, {"u:2-lead-0": str(org_tree.dept.pk), "action": "confirm"})
    assert response.status_code == 302
    task = Task.objects.get(title__startswith="Duy trì chuyên mục")
    lead = task.assignments.get(role="lead")
    assert lead.unit == org_tree.dept and lead.phrase == "Báo Xuân Hòa Thịnh Vượng"
    # The group phrase kept its units: both communes are coordinating on task 1.
    t1 = Task.objects.get(title__startswith="Tổ chức tập huấn")
    assert set(t1.assignments.filter(role="support").values_list("unit", flat=True)) == {org_tree.commune_a.pk, org_tree.commune_b.pk}
    assert AuditEvent.objects.filter(object_type="plans.planimport", message="agency phrases fixed").exists()


def test_unfixed_phrase_is_kept_without_unit(org_tree, small_doc):
    plan = services.plan_import(user=org_tree.supervisor, owner=org_tree.province, parsed=small_doc)
    orphan = Assignment.objects.get(task__plan=plan, unit__isnull=True)
    assert orphan.phrase == "Báo Xuân Hòa Thịnh Vượng" and orphan.role == "lead"
    assert Target.objects.filter(task__plan=plan).count() == 2


def test_duplicate_import_offers_update_with_diff(client, org_tree, small_doc):
    plan = services.plan_import(user=org_tree.supervisor, owner=org_tree.province, parsed=small_doc)
    services.plan_issue(plan=plan, user=org_tree.supervisor)
    kept = plan.tasks.get(title__startswith="Tổ chức tập huấn")
    services.task_set_status(task=kept, user=org_tree.supervisor, version=kept.version, status="in_progress", progress=40)

    newer = small_document()
    newer["tasks"][0]["timeframe"] = {"text": "Quý III/2026", "start": "2026-07-01", "end": "2026-09-30", "recurrence": "once"}
    newer["tasks"].append(dict(newer["tasks"][1], title="Tổ chức cuộc thi tìm hiểu cải cách hành chính", text=""))
    del newer["tasks"][2]
    draft = PlanImport.objects.create(owner=org_tree.province, created_by=org_tree.supervisor, parsed=newer,
                                      resolutions={"tasks": []})
    login(client, org_tree.supervisor)
    url = reverse("plans:import_review", args=[draft.pk])
    html = client.get(url).content.decode()
    assert "already in the platform" in html and 'value="update"' in html
    assert "Tổ chức cuộc thi tìm hiểu" in html and "Quý III/2026" in html and "Duy trì chuyên mục" in html

    response = client.post(url, {"action": "update"})
    assert response.status_code == 302
    assert Plan.objects.count() == 1
    plan.refresh_from_db()
    assert plan.version == 2 and plan.versions.count() == 1
    kept.refresh_from_db()
    assert kept.timeframe_text == "Quý III/2026" and kept.progress == 40  # tracking survives the update
    titles = set(plan.tasks.values_list("title", flat=True))
    assert "Tổ chức cuộc thi tìm hiểu cải cách hành chính" in titles
    assert not any(t.startswith("Duy trì chuyên mục") for t in titles)


def test_wrong_type_refused_before_reading(client, org_tree, monkeypatch):
    def must_not_parse(path):  # pragma: no cover - reaching it is the failure
        raise AssertionError("the parser was called")

    monkeypatch.setattr("cchc.documents.parse_file", must_not_parse)
    login(client, org_tree.supervisor)
    response = _upload(client, "anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, org_tree.province)
    assert response.status_code == 400 and "not an accepted file type" in response.content.decode()
    response = _upload(client, "gia-mao.docx", b"this is not a zip", org_tree.province)
    assert "its content is not such a file" in response.content.decode()
    assert PlanImport.objects.count() == 0 and Plan.objects.count() == 0


def test_oversize_refused_before_reading(client, org_tree, settings, monkeypatch):
    monkeypatch.setattr("cchc.documents.parse_file", lambda path: pytest.fail("the parser was called"))
    settings.CCHC_MAX_UPLOAD_BYTES = 1024
    login(client, org_tree.supervisor)
    response = _upload(client, "lon.txt", "Kế hoạch ".encode() * 200, org_tree.province)
    assert response.status_code == 400 and "the limit is" in response.content.decode()
    big = _upload(client, "rat-lon.txt", b"x" * 400_000, org_tree.province)
    assert big.status_code == 413 and "larger than" in big.content.decode()
    assert PlanImport.objects.count() == 0


def test_unparseable_file_keeps_nothing_and_says_why(client, org_tree):
    login(client, org_tree.supervisor)
    response = _upload(client, "hong.pdf", b"%PDF-1.4\n%%broken beyond repair", org_tree.province)
    html = response.content.decode()
    assert response.status_code == 400 and "could not be read" in html
    assert "hong.pdf" in html  # the message names the user's own file
    assert PlanImport.objects.count() == 0 and Plan.objects.count() == 0


def test_officer_cannot_import_province_plan(client, org_tree):
    login(client, org_tree.dept_officer)
    # The department officer may import plans of the department, but the province is not offered.
    html = client.get(reverse("plans:import")).content.decode()
    assert org_tree.dept.name in html and f'value="{org_tree.province.pk}"' not in html
    login(client, org_tree.viewer)
    assert client.get(reverse("plans:import")).status_code == 404


def test_command_imports_and_reports_unresolved(org_tree, tmp_path):
    out = io.StringIO()
    call_command("import_plan", str(SEED_004), unit=org_tree.province.code, user="giamsat", stdout=out)
    text = out.getvalue()
    plan = Plan.objects.get()
    assert f"Imported plan {plan.pk}" in text and "did not match a unit" in text and "Báo Hà Giang" in text
    assert plan.created_by == org_tree.supervisor and plan.tasks.count() >= 15
    with pytest.raises(CommandError, match="already in the platform"):
        call_command("import_plan", str(SEED_004), unit=org_tree.province.code, stdout=io.StringIO())
    with pytest.raises(CommandError, match="no unit with the code"):
        call_command("import_plan", str(SEED_004), unit="no-such-unit", stdout=io.StringIO())
    png = tmp_path / "x.png"
    png.write_bytes(b"\x89PNG....")
    with pytest.raises(CommandError, match="not an accepted file type"):
        call_command("import_plan", str(png), unit=org_tree.province.code, stdout=io.StringIO())


def test_same_document_again_shows_no_change(org_tree, seed_004):
    from cchc.plans.selectors import plan_document_diff

    plan = services.plan_import(user=org_tree.supervisor, owner=org_tree.province, parsed=seed_004)
    diff = plan_document_diff(plan, seed_004)
    assert not diff["has_changes"], diff


def test_two_names_of_one_unit_are_not_a_change(org_tree, small_doc):
    from cchc.plans.selectors import plan_document_diff

    small_doc["tasks"][0]["lead"] = ["Đài PT-TH tỉnh", "Báo Hà Giang"]
    same = {"text": "", "unit_ids": [org_tree.dept.pk], "confidence": 1.0, "is_group": False, "resolved": True,
            "candidates": []}
    unknown = [{"lead": [dict(same, text=t, unit_ids=[]) for t in task["lead"]], "support": []}
               for task in small_doc["tasks"][1:]]
    resolutions = {"tasks": [{"lead": [dict(same, text=t) for t in small_doc["tasks"][0]["lead"]], "support": []},
                             *unknown]}
    plan = services.plan_import(user=org_tree.supervisor, owner=org_tree.province, parsed=small_doc,
                                resolutions=resolutions)
    assert plan.tasks.get(order=1).assignments.count() == 1  # stored once
    assert not plan_document_diff(plan, small_doc, resolutions)["has_changes"]
    # A really different lead unit is still reported.
    other = {"tasks": [{"lead": [dict(same, text="Sở Nội vụ", unit_ids=[org_tree.province.pk])], "support": []},
                       *unknown]}
    changed = dict(small_doc, tasks=[dict(small_doc["tasks"][0], lead=["Sở Nội vụ"]), *small_doc["tasks"][1:]])
    diff = plan_document_diff(plan, changed, other)
    assert [t for t, _ in diff["changed"]] == [small_doc["tasks"][0]["title"]]
