"""Every download has its forbidden case beside its allowed case (issue 9, point 14): a user of a
sibling unit gets the same 404 as for a file that does not exist; the owner gets the file."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.outputs.models import OutputRecord, OutputType
from cchc.plans import services as plan_services
from cchc.reports import services

from .conftest import day


@pytest.fixture
def files(world, q1):
    """Files of commune A: its own plan (with the document it came from and an evidence file), an
    output with evidence, a report with an attachment."""
    from tests.plans.conftest import small_document

    t = world.tree
    plan = plan_services.plan_import(user=t.officer_a, owner=t.commune_a, parsed=small_document(number="5/KH-UBND"),
                                     source_name="ke-hoach.txt", source_bytes="Kế hoạch số 5".encode())
    task = plan.tasks.first()
    evidence = plan_services.task_add_evidence(task=task, user=t.officer_a,
                                               file=SimpleUploadedFile("anh.pdf", b"%PDF-1.4 minh chung"))
    record = OutputRecord.objects.create(
        unit=t.commune_a, task=world.news, target=world.news_target, date=day("10/01/2026"), quantity=Decimal(1),
        output_type=OutputType.objects.get(code="portal_article"), title="Tin CCHC")
    record.evidence.save("tin.pdf", ContentFile(b"%PDF-1.4 tin"), save=True)
    report = services.report_open(unit=t.commune_a, period=q1, user=t.officer_a)
    attachment = services.report_attach(report=report, user=t.officer_a,
                                        file=SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 bao cao"))
    code = t.commune_a.code
    return {
        "plan .docx": (t.officer_a, f"/ke-hoach/{plan.pk}/tai-ve/docx/"),
        "plan .xlsx": (t.officer_a, f"/ke-hoach/{plan.pk}/tai-ve/xlsx/"),
        "plan source": (t.officer_a, f"/ke-hoach/{plan.pk}/van-ban-goc/"),
        "task evidence": (t.officer_a, f"/ke-hoach/minh-chung/{evidence.pk}/"),
        "output evidence": (t.officer_a, f"/san-pham/{record.pk}/minh-chung/"),
        "output import template": (t.officer_a, f"/san-pham/don-vi/{code}/mau-nhap.xlsx"),
        "report attachment": (t.officer_a, f"/bao-cao/{report.pk}/tep/{attachment.pk}/"),
        "consolidated .docx": (t.supervisor, f"/bao-cao/ky/{q1.pk}/tong-hop.docx"),
        "consolidated .xlsx": (t.supervisor, f"/bao-cao/ky/{q1.pk}/tong-hop.xlsx"),
        "report page": (t.officer_a, f"/bao-cao/{report.pk}/"),
        "plan page": (t.officer_a, f"/ke-hoach/{plan.pk}/"),
        "output page": (t.officer_a, f"/san-pham/{record.pk}/"),
        "dashboard": (t.supervisor, f"/bao-cao/ky/{q1.pk}/tong-hop/"),
    }


DOWNLOADS = ["plan .docx", "plan .xlsx", "plan source", "task evidence", "output evidence", "output import template",
             "report attachment", "consolidated .docx", "consolidated .xlsx", "report page", "plan page", "output page",
             "dashboard"]


@pytest.mark.parametrize("name", DOWNLOADS)
def test_a_sibling_unit_gets_404_and_the_owner_gets_the_file(name, world, files, client):
    owner, url = files[name]
    client.force_login(world.tree.officer_b)  # commune B: a sibling of commune A under the province
    assert client.get(url).status_code == 404
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    if "page" not in name and name != "dashboard":
        assert response.get("Content-Disposition", "").startswith("attachment")


@pytest.mark.parametrize("name", ["plan .docx", "task evidence", "output evidence", "report attachment",
                                  "consolidated .xlsx"])
def test_a_missing_file_answers_like_a_forbidden_one(name, world, files, client):
    owner, url = files[name]
    client.force_login(owner)
    parts = url.rstrip("/").split("/")
    # the last number of the address, made one that does not exist
    for i in range(len(parts) - 1, -1, -1):
        head, dot, tail = parts[i].partition(".")
        if head.isdigit():
            parts[i] = "999999" + dot + tail
            break
    missing = "/".join(parts) + ("/" if url.endswith("/") else "")
    assert client.get(missing).status_code == 404
