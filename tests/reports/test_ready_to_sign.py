"""The consolidated report is ready to sign: the unit as it is today in the header, the signing
details asked before the download, every section present, and real charts (a picture in the .docx, a
native chart in the .xlsx), never bars of block characters."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import docx
import pytest
from django.utils import timezone

from cchc.plans import services as plan_services
from cchc.reports import exports, selectors, services

from .conftest import day


@pytest.fixture(autouse=True)
def _english(english):
    """Form errors are asserted on their English source text."""


def _submitted(world, q1):
    t = world.tree
    world.record(t.commune_a, day("10/01/2026"), 3)
    report = services.report_open(unit=t.commune_a, period=q1, user=t.officer_a)
    services.report_update(report=report, user=t.officer_a, version=report.version, results="Phường đã đăng 3 tin.")
    services.report_submit(report=report, user=t.manager_a, token="a", now=timezone.make_aware(dt.datetime(2026, 3, 16, 9)))


def _text(document):
    paragraphs = [p.text for p in document.paragraphs]
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    return paragraphs, cells


def test_docx_is_signed_as_asked_with_every_section_and_a_chart(world, q1, client):
    _submitted(world, q1)
    # the source decision's signer is on the plan; the report never copies it
    world.plan.signer_name, world.plan.issuer = "Nguyễn Văn Cũ", "Ủy ban nhân dân tỉnh Hà Giang"
    world.plan.save(update_fields=["signer_name", "issuer"])
    client.force_login(world.tree.supervisor)
    page = client.get(f"/bao-cao/ky/{q1.pk}/tong-hop/").content.decode()
    assert 'name="signer_name"' in page and 'value="Tuyên Quang"' in page and "Ủy ban nhân dân tỉnh Tuyên Quang" in page
    response = client.get(f"/bao-cao/ky/{q1.pk}/tong-hop.docx", {
        "number": "35/BC-UBND", "place": "Tuyên Quang", "date": "20/03/2026", "recipients": "Bộ Nội vụ\nLưu: VT",
        "signer_authority": "KT. CHỦ TỊCH", "signer_position": "PHÓ CHỦ TỊCH", "signer_name": "Trần Văn Ký"})
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    paragraphs, cells = _text(document)
    everything = "\n".join(paragraphs + cells)
    assert "ỦY BAN NHÂN DÂN" in everything and "TỈNH TUYÊN QUANG" in everything and "TỈNH HÀ GIANG" not in everything.upper()
    assert "Số: 35/BC-UBND" in everything and "Tuyên Quang, ngày 20 tháng 3 năm 2026" in everything
    assert "Trần Văn Ký" in everything and "Nguyễn Văn Cũ" not in everything and "- Bộ Nội vụ;" in everything
    for heading in ("I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", "II. TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC ĐƠN VỊ",
                    "III. SỐ LIỆU ĐO ĐẾM TRÊN HỆ THỐNG", "IV. KẾT QUẢ THEO ĐƠN VỊ", "V. ĐÁNH GIÁ CỦA CÁC ĐƠN VỊ"):
        assert heading in paragraphs
    # the units that have not reported are there, with no figure invented
    rows = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert ["Xã Đồng Văn", "Chưa có số liệu", "", ""] in [r[1:5] for r in rows]
    assert ["Sở Nội vụ", "Chưa có số liệu", "", ""] in [r[1:5] for r in rows]
    # charts are pictures; no bar is drawn with characters
    assert len(document.inline_shapes) == 2
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert sum(1 for n in names if n.startswith("word/media/") and n.endswith(".png")) == 2
    assert "░" not in everything and "█" not in everything
    # the next download starts from what this user wrote for the unit
    assert 'value="Trần Văn Ký"' in client.get(f"/bao-cao/ky/{q1.pk}/tong-hop/").content.decode()


def test_a_bad_date_is_said_and_nothing_downloads(world, q1, client):
    client.force_login(world.tree.supervisor)
    response = client.get(f"/bao-cao/ky/{q1.pk}/tong-hop.docx", {"place": "Tuyên Quang", "date": "31/02/2026"})
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    assert "Enter a valid date." in response.content.decode()
    client.force_login(world.tree.officer_a)
    assert client.get(f"/bao-cao/ky/{q1.pk}/tong-hop.docx", {"place": "X", "date": "20/03/2026"}).status_code == 404


def test_xlsx_has_native_charts_and_says_no_data(world, q1, client):
    from openpyxl import load_workbook

    _submitted(world, q1)
    client.force_login(world.tree.supervisor)
    content = client.get(f"/bao-cao/ky/{q1.pk}/tong-hop.xlsx").content
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert sorted(n for n in names if n.startswith("xl/charts/chart")) == ["xl/charts/chart1.xml", "xl/charts/chart2.xml"]
    book = load_workbook(io.BytesIO(content))
    by_unit = list(book["Theo đơn vị"].iter_rows(min_row=3, values_only=True))
    assert ("Xã Đồng Văn", "Chưa có số liệu", None, None, None, None) in by_unit
    assert book["Chỉ tiêu"]["A1"].value.startswith("Ủy ban nhân dân tỉnh Tuyên Quang")


def test_a_merged_owner_reports_under_its_successor(world, q1):
    t = world.tree
    plan = plan_services.plan_create(user=t.admin, owner=t.old_province, title="Kế hoạch năm 2025", plan_year=2025,
                                     issuer="Ủy ban nhân dân tỉnh Hà Giang", signer_name="Nguyễn Văn Cũ")
    defaults = exports.consolidated_defaults(plan, today=dt.date(2026, 3, 20))
    assert defaults["issuer"] == "Ủy ban nhân dân tỉnh Tuyên Quang" and defaults["place"] == "Tuyên Quang"
    assert defaults["signer_name"] == ""
    # a department's report is headed by its province's People's Committee
    dept_plan = plan_services.plan_create(user=t.admin, owner=t.dept, title="Kế hoạch của Sở", plan_year=2026)
    dept = exports.consolidated_defaults(dept_plan)
    assert (dept["issuer"], dept["issuer_superior"], dept["place"]) == ("Sở Nội vụ", "Ủy ban nhân dân tỉnh Tuyên Quang", "Tuyên Quang")


def test_nothing_reported_still_gives_every_section(world, q1):
    data = selectors.consolidated(plan=world.plan, period=q1)
    document = docx.Document(io.BytesIO(exports.consolidated_docx(data)))
    paragraphs, cells = _text(document)
    assert "Chưa có số liệu: chưa có đơn vị gửi báo cáo." in paragraphs
    assert "IV. KẾT QUẢ THEO ĐƠN VỊ" in paragraphs and cells.count("Chưa có số liệu") >= 3


def test_figures_the_platform_measured_are_on_the_dashboard_and_in_both_files(world, q1, client):
    """A channel's figures (here one registered for the test) for the plan's unit and those below it reach
    the dashboard, section III of the .docx and a sheet of the .xlsx, counted not typed."""
    from openpyxl import load_workbook

    from cchc.core import registry

    seen = []

    def stats(*, unit_paths, start, end):
        seen.append((tuple(unit_paths), start, end))
        return [{"key": "test.decisions", "label": "Quyết định công bố TTHC đã cập nhật", "value": 2}]

    with registry.temporarily(registry.stats_providers, registry.StatsProvider(key="test.figures", label="x", stats=stats)):
        client.force_login(world.tree.supervisor)
        page = client.get(f"/bao-cao/ky/{q1.pk}/tong-hop/").content.decode()
        assert 'id="dashboard-stats"' in page and "Quyết định công bố TTHC đã cập nhật" in page
        data = selectors.consolidated(plan=world.plan, period=q1)
        paragraphs, cells = _text(docx.Document(io.BytesIO(exports.consolidated_docx(data))))
        book = load_workbook(io.BytesIO(exports.consolidated_xlsx(data)))
    assert "III. SỐ LIỆU ĐO ĐẾM TRÊN HỆ THỐNG" in paragraphs and "Quyết định công bố TTHC đã cập nhật" in cells
    sheet = book["Số liệu hệ thống"]
    assert ["Quyết định công bố TTHC đã cập nhật", 2] in [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    paths, start, end = seen[0]
    assert world.plan.owner.path in paths and (start, end) == (q1.start, q1.end)
