"""The catalogue's staff pages: who may open them (forbidden answers as missing), the upload of a real
decision read in the sandbox, refused files, the review page (groups, diagnostics, light with hundreds
of rows), applying once however many times the button is pressed, the same decision refused, editing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.core.idempotency import new_token
from cchc.outputs.models import OutputRecord
from cchc.procedures import services
from cchc.procedures.models import Decision, Procedure, ProcedureChange

from .conftest import login, make_decision, row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_setup")]

DOCS = Path(__file__).resolve().parents[1] / "data" / "procedures" / "docs"
REAL = DOCS / "2e037ff2daea1c76.md"  # Bắc Ninh 1520/QĐ-UBND: 13 procedures listed again, with codes


@pytest.fixture(autouse=True)
def _english_messages(english):
    """Messages are asserted on their English source text."""


def test_only_the_units_officers_see_its_catalogue(client, org_tree):
    province = org_tree.province.code
    urls = [reverse("procedures:list", args=[province]), reverse("procedures:import", args=[province]),
            reverse("procedures:figures", args=[province]), reverse("procedures:decisions", args=[province])]
    assert client.get(urls[0]).status_code == 302  # to the login page
    for user in (org_tree.officer_a, org_tree.viewer, org_tree.dept_officer):
        login(client, user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
    login(client, org_tree.officer_a)
    assert client.get(reverse("procedures:list", args=[org_tree.commune_a.code])).status_code == 200
    login(client, org_tree.supervisor)
    for url in urls:
        assert client.get(url).status_code == 200, url
    decision = make_decision(org_tree.province, org_tree.supervisor, [row("Một thủ tục", "new")])
    for user, status in ((org_tree.officer_b, 404), (org_tree.viewer, 404), (org_tree.supervisor, 200)):
        login(client, user)
        assert client.get(reverse("procedures:review", args=[decision.pk])).status_code == status


def test_menu_entry_for_catalogue_managers(client, org_tree):
    login(client, org_tree.supervisor)
    assert reverse("procedures:home").encode() in client.get("/").content
    login(client, org_tree.viewer)
    assert reverse("procedures:home").encode() not in client.get("/").content


def test_upload_a_real_decision_then_review_and_apply(client, org_tree):
    login(client, org_tree.supervisor)
    upload = SimpleUploadedFile(REAL.name, REAL.read_bytes(), content_type="text/markdown")
    response = client.post(reverse("procedures:import", args=[org_tree.province.code]), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    decision = Decision.objects.get()
    assert response["Location"] == reverse("procedures:review", args=[decision.pk])
    assert decision.status == Decision.Status.REVIEW and decision.number == "1520/QĐ-UBND"
    assert decision.original_name == REAL.name and decision.file
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "1520/QĐ-UBND" in html and 'id="group-unmatched"' in html  # listed again, not in the empty catalogue
    token = new_token()
    response = client.post(reverse("procedures:apply", args=[decision.pk]),
                           {"form_token": token, "all": "create", "number": decision.number, "date": "22/11/2025",
                            "issuer": decision.issuer, "title": decision.title})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == Decision.Status.APPLIED
    assert Procedure.objects.filter(unit=org_tree.province).count() == 13
    assert "was applied" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("name,content,says", [
    ("qd.exe", b"MZ\x90\x00", "not an accepted file type"),
    ("qd.docx", b"this is no word file", "its content is not such a file"),
    ("qd.pdf", b"", "is empty"),
    ("qd.txt", "Ủy ban nhân dân tỉnh\nBáo cáo tình hình\nKhông có danh mục nào.".encode(), "No list of administrative"),
])
def test_a_bad_file_says_why_and_keeps_nothing(client, org_tree, name, content, says):
    login(client, org_tree.supervisor)
    upload = SimpleUploadedFile(name, content)
    response = client.post(reverse("procedures:import", args=[org_tree.province.code]), {"file": upload})
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not Decision.objects.exists()


def test_an_oversized_upload_is_refused_before_reading(client, org_tree, settings):
    settings.CCHC_MAX_UPLOAD_BYTES = 1024
    login(client, org_tree.supervisor)
    upload = SimpleUploadedFile("qd.txt", b"x" * (400 * 1024))
    response = client.post(reverse("procedures:import", args=[org_tree.province.code]), {"file": upload})
    assert response.status_code == 413 and not Decision.objects.exists()


def test_double_submit_applies_once(client, org_tree):
    login(client, org_tree.supervisor)
    decision = make_decision(org_tree.province, org_tree.supervisor,
                             [row("Đăng ký khai sinh", "new", code="1.001193"), row("Đăng ký kết hôn", "new")])
    url = reverse("procedures:apply", args=[decision.pk])
    data = {"form_token": new_token(), "number": decision.number, "date": "04/12/2025", "issuer": "", "title": ""}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Procedure.objects.count() == 2
    assert OutputRecord.objects.filter(source=services.OUTPUT_SOURCE).count() == 1
    assert ProcedureChange.objects.count() == 2
    # a new press of the button on the applied decision changes nothing and says so
    third = client.post(url, {**data, "form_token": new_token()}, follow=True)
    assert "already applied or discarded" in third.content.decode()
    assert ProcedureChange.objects.count() == 2


def test_the_same_decision_applied_before_is_named(client, org_tree):
    login(client, org_tree.supervisor)
    first = make_decision(org_tree.province, org_tree.supervisor, [row("Đăng ký khai sinh", "new")])
    services.decision_apply(decision=first, user=org_tree.supervisor)
    copy = make_decision(org_tree.province, org_tree.supervisor, [row("Đăng ký khai sinh", "new")])
    html = client.get(reverse("procedures:review", args=[copy.pk])).content.decode()
    assert 'id="already-applied"' in html and "was already applied to this catalogue" in html
    response = client.post(reverse("procedures:apply", args=[copy.pk]),
                           {"form_token": new_token(), "number": copy.number, "date": "", "issuer": "", "title": ""},
                           follow=True)
    assert "2666/QĐ-UBND was already applied to this catalogue" in response.content.decode()
    assert Procedure.objects.count() == 1
    # discarding the copy is the way out
    response = client.post(reverse("procedures:discard", args=[copy.pk]), {"form_token": new_token()})
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.status == Decision.Status.DISCARDED


def test_review_page_stays_light_with_hundreds_of_rows(client, org_tree):
    unit = org_tree.province
    for i in range(300):
        Procedure.objects.create(unit=unit, name=f"Thủ tục số {i} về hộ tịch", code=f"1.{i:06d}",
                                 search_text=f"thu tuc so {i} ve ho tich 1.{i:06d}")
    rows = [row(f"Thủ tục số {i} về hộ tịch", "amended", code=f"1.{i:06d}", days=5) for i in range(150)]
    rows += [row(f"Một thủ tục chưa có số {i}", "abolished") for i in range(150)]
    decision = make_decision(unit, org_tree.supervisor, rows)
    login(client, org_tree.supervisor)
    response = client.get(reverse("procedures:review", args=[decision.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<option") < 5 * 150 + 10  # a few choices per unmatched row, no list of the catalogue per row
    assert html.count('list="entry-list"') == 150 and html.count("<datalist") == 1
    assert len(html.encode()) < 600_000, len(html.encode())
    assert 'id="group-amended"' in html and 'id="group-unmatched"' in html


def test_entry_search_for_the_review_box(client, org_tree):
    unit = org_tree.province
    Procedure.objects.create(unit=unit, name="Đăng ký khai sinh", code="1.001193", search_text="dang ky khai sinh 1.001193")
    Procedure.objects.create(unit=org_tree.other_province, name="Đăng ký khai sinh", code="1.001193",
                             search_text="dang ky khai sinh 1.001193")
    decision = make_decision(unit, org_tree.supervisor, [row("Một thủ tục", "amended")])
    login(client, org_tree.supervisor)
    url = reverse("procedures:entries", args=[decision.pk])
    found = client.get(url, {"q": "khai sinh"}).json()["results"]
    assert len(found) == 1 and "1.001193" in found[0]["label"]
    assert len(client.get(url, {"q": "1.001193"}).json()["results"]) == 1
    login(client, org_tree.officer_b)
    assert client.get(url, {"q": "khai sinh"}).status_code == 404


def test_review_choices_are_kept(client, org_tree):
    unit = org_tree.province
    entry = Procedure.objects.create(unit=unit, name="Đăng ký khai sinh", code="1.001193")
    decision = make_decision(unit, org_tree.supervisor, [row("Thủ tục khác hẳn", "amended"), row("Bỏ qua", "new")])
    login(client, org_tree.supervisor)
    response = client.post(reverse("procedures:review", args=[decision.pk]), {
        "form_token": new_token(), "number": "99/QĐ-UBND", "date": "01/12/2025", "issuer": "UBND tỉnh", "title": "T",
        "a:0": "match", "p:0": f"#{entry.pk} 1.001193 · Đăng ký khai sinh", "a:1": "skip"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.number == "99/QĐ-UBND"
    assert decision.resolutions == {"0": {"action": "match", "procedure": entry.pk}, "1": {"action": "skip"}}
    bad = client.post(reverse("procedures:review", args=[decision.pk]), {"number": "1", "date": "31/02/2025"})
    assert bad.status_code == 400 and "dd/mm/yyyy" in bad.content.decode()


def test_edit_an_entry(client, org_tree):
    entry = Procedure.objects.create(unit=org_tree.province, name="Đăng ký khai sinh", code="1.001193")
    login(client, org_tree.supervisor)
    url = reverse("procedures:edit", args=[entry.pk])
    assert client.get(url).status_code == 200
    data = {"form_token": new_token(), "name": "Đăng ký khai sinh", "code": "1.001193", "field": "Hộ tịch",
            "level": "commune", "agency": "UBND cấp xã", "time_limit": "", "time_limit_days": "3",
            "working_days": "true", "fee": "", "fee_free": "unknown", "place": "", "documents_required": "",
            "online_level": "full", "status": "active", "legal_basis_text": "Luật Hộ tịch 2014\n\nNghị định 123/2015"}
    response = client.post(url, data)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.agency == "UBND cấp xã" and entry.legal_basis == ["Luật Hộ tịch 2014", "Nghị định 123/2015"]
    assert ProcedureChange.objects.get(procedure=entry).kind == "edited"
    page = client.get(reverse("procedures:detail", args=[entry.pk])).content.decode()
    assert "edited by an officer" in page
    assert client.post(url, {**data, "form_token": new_token(), "time_limit_days": "99999"}).status_code == 400
    login(client, org_tree.officer_b)
    assert client.get(url).status_code == 404
    assert client.post(url, {**data, "form_token": new_token(), "agency": "x"}).status_code == 404


def test_abolished_entry_page_says_when_and_by_which_decision(client, org_tree):
    entry = Procedure.objects.create(unit=org_tree.province, name="Đăng ký khai tử", code="1.000656")
    decision = make_decision(org_tree.province, org_tree.supervisor, [row("Đăng ký khai tử", "abolished",
                                                                           code="1.000656")])
    services.decision_apply(decision=decision, user=org_tree.supervisor)
    login(client, org_tree.supervisor)
    html = client.get(reverse("procedures:detail", args=[entry.pk])).content.decode()
    assert re.search(r"Abolished on 04/12/2025 by decision 2666/QĐ-UBND", html)
    listing = client.get(reverse("procedures:list", args=[org_tree.province.code])).content.decode()
    assert "Đăng ký khai tử" not in listing
    listing = client.get(reverse("procedures:list", args=[org_tree.province.code]), {"status": "abolished"})
    assert "Đăng ký khai tử" in listing.content.decode()


def test_review_queries_do_not_grow_with_rows(client, org_tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    unit = org_tree.province
    Procedure.objects.bulk_create([Procedure(unit=unit, name=f"Thủ tục số {i} về hộ tịch", code=f"1.{i:06d}")
                                   for i in range(200)])
    login(client, org_tree.supervisor)
    counts = []
    for n in (20, 200):
        rows = [row(f"Thủ tục số {i} về hộ tịch", "amended", code=f"1.{i:06d}", days=5) for i in range(n // 2)]
        rows += [row(f"Thủ tục khác {i}", "amended") for i in range(n // 2)]
        decision = make_decision(unit, org_tree.supervisor, rows, number=f"{n}/QĐ-UBND")
        url = reverse("procedures:review", args=[decision.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
