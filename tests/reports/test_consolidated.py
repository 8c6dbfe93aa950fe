"""The consolidated report: numbers by target and by unit, completeness, narratives, .docx, .xlsx, dashboard."""

import datetime as dt
import io
from decimal import Decimal

from django.db import connection
from django.utils import timezone
from django.test.utils import CaptureQueriesContext

from cchc.reports import selectors, services
from tests.factories import UnitFactory

from .conftest import day


def _setup(world, q1):
    t = world.tree
    world.record(t.commune_a, day("10/01/2026"), 3)
    world.record(t.commune_b, day("11/02/2026"), 4)
    world.record(t.dept, day("12/02/2026"), 1, target=world.class_target, people=45, output_type="training_class")
    world.record(t.commune_b, day("20/03/2026"), 99)  # outside the window
    report = services.report_open(unit=t.commune_a, period=q1, user=t.officer_a)
    services.report_update(report=report, user=t.officer_a, version=report.version,
                           results="Phường đã đăng 3 tin bài về dịch vụ công trực tuyến.", limitations="Thiếu nhân lực.")
    services.report_submit(report=report, user=t.officer_a, token="a",
                           now=timezone.make_aware(dt.datetime(2026, 3, 16, 9)))


def test_numbers_by_target_sum_every_unit_inside_the_window(world, q1):
    _setup(world, q1)
    numbers = {n["target_id"]: n for n in selectors.consolidated_numbers(plan=world.plan, period=q1)}
    assert numbers[world.news_target.pk]["quantity"] == Decimal(7)
    # "12 tin, bài/năm" asks each of its 3 lead units for 3 in a quarter; "02 lớp" has no rate and is
    # compared whole (one lead unit)
    assert numbers[world.news_target.pk]["planned"] == Decimal(9) and numbers[world.news_target.pk]["percent"] == 78
    assert numbers[world.class_target.pk]["planned"] == Decimal(2)
    assert numbers[world.class_target.pk]["quantity"] == Decimal(1)
    assert numbers[world.class_target.pk]["percent"] == 50


def test_docx_opens_and_contains_the_numbers(world, q1, client):
    import docx

    _setup(world, q1)
    client.force_login(world.tree.supervisor)
    response = client.get(f"/bao-cao/ky/{q1.pk}/tong-hop.docx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    assert "BÁO CÁO" in text and "Quý I/2026" in text
    assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cell for cell in cells)
    assert "Phường đã đăng 3 tin bài về dịch vụ công trực tuyến." in text
    assert "7" in cells and "9" in cells and "78%" in cells  # done, planned in the quarter (3 lead units), rate
    assert "Số đơn vị phải báo cáo: 3; đã gửi: 1" in text
    assert any(cell == "Xã Đồng Văn" for cell in cells)  # listed as missing


def test_xlsx_has_the_sheets_and_numbers(world, q1, client):
    from openpyxl import load_workbook

    _setup(world, q1)
    client.force_login(world.tree.supervisor)
    response = client.get(f"/bao-cao/ky/{q1.pk}/tong-hop.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Chỉ tiêu", "Tình hình báo cáo", "Chậm, chưa gửi", "Theo đơn vị", "Thuyết minh"]
    rows = list(book["Chỉ tiêu"].iter_rows(min_row=3, values_only=True))
    assert rows[0][4] == 7 and rows[1][4] == 1
    assert list(book["Tình hình báo cáo"].iter_rows(values_only=True))[-1][:4] == ("Tổng", 3, 1, 1)


def test_dashboard_shows_completeness_and_is_refused_to_a_commune(world, q1, client):
    _setup(world, q1)
    client.force_login(world.tree.officer_a)
    assert client.get(f"/bao-cao/ky/{q1.pk}/tong-hop/").status_code == 404
    assert client.get(f"/bao-cao/ky/{q1.pk}/tong-hop.docx").status_code == 404
    client.force_login(world.tree.supervisor)
    page = client.get(f"/bao-cao/ky/{q1.pk}/tong-hop/").content.decode()
    assert '<dd data-key="expected">3</dd>' in page and "<svg" in page and "Xã Đồng Văn" in page


def test_dashboard_query_count_is_pinned(world, q1, client):
    _setup(world, q1)
    client.force_login(world.tree.supervisor)
    client.get(f"/bao-cao/ky/{q1.pk}/tong-hop/")
    with CaptureQueriesContext(connection) as before:
        client.get(f"/bao-cao/ky/{q1.pk}/tong-hop/")
    for i in range(10):
        unit = UnitFactory(code=f"T8{i:03d}", name=f"Xã Mới {i}", kind="commune", parent=world.tree.province)
        world.news.assignments.create(unit=unit, role="lead", phrase=unit.name)
        services.report_submit(report=services.report_open(unit=unit, period=q1, user=world.tree.admin),
                               user=world.tree.admin, token=f"t{i}")
    with CaptureQueriesContext(connection) as after:
        client.get(f"/bao-cao/ky/{q1.pk}/tong-hop/")
    assert len(after.captured_queries) == len(before.captured_queries)
    assert len(before.captured_queries) <= 20


def test_my_reports_lists_the_units_reports_and_the_supervisors_dashboards(world, q1, client):
    client.force_login(world.tree.officer_a)
    page = client.get("/bao-cao/").content.decode()
    assert f"/bao-cao/ky/{q1.pk}/don-vi/{world.tree.commune_a.code}/" in page
    assert f"/bao-cao/ky/{q1.pk}/tong-hop/" not in page
    client.force_login(world.tree.supervisor)
    page = client.get("/bao-cao/").content.decode()
    assert f"/bao-cao/ky/{q1.pk}/tong-hop/" in page
