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
    assert book.sheetnames == ["Chỉ tiêu", "Tình hình báo cáo", "Chậm, chưa gửi", "Theo đơn vị", "Số liệu hệ thống",
                               "Thuyết minh"]
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
    from cchc.core import registry

    # the page's own queries, plus a few per channel that measures figures for the dashboard
    assert len(before.captured_queries) <= 20 + 3 * len(registry.stats_providers)


def test_my_reports_lists_the_units_reports_and_the_supervisors_dashboards(world, q1, client):
    client.force_login(world.tree.officer_a)
    page = client.get("/bao-cao/").content.decode()
    assert f"/bao-cao/ky/{q1.pk}/don-vi/{world.tree.commune_a.code}/" in page
    assert f"/bao-cao/ky/{q1.pk}/tong-hop/" not in page
    client.force_login(world.tree.supervisor)
    page = client.get("/bao-cao/").content.decode()
    assert f"/bao-cao/ky/{q1.pk}/tong-hop/" in page


# ---------------------------------------------------------------- numbers that are true (issue 9, points 1–3)

def _task(world, title, lead, targets, **dates):
    """A task added to the issued plan as a new version of it would (the plan itself is locked)."""
    from cchc.plans.models import Assignment, Target, Task

    task = Task.objects.create(plan=world.plan, title=title, order=Task.objects.filter(plan=world.plan).count() + 1, **dates)
    Assignment.objects.create(task=task, unit=lead, role=Assignment.Role.LEAD)
    for order, (quantity, unit, text) in enumerate(targets):
        Target.objects.create(task=task, quantity=quantity, unit=unit, text=text, order=order)
    return task


def _training_and_articles(world):
    """A department's training ('01 lớp, 40 người') of 42 people, and a commune's articles against
    '4 bài' (one TV report among them), recorded through the outputs services as a user would."""
    from cchc.outputs import services as outputs

    t = world.tree
    training = _task(world, "Tập huấn kỹ năng tuyên truyền CCHC", t.dept, [(1, "lớp", "01 lớp"), (40, "người", "40 người")])
    articles = _task(world, "Tuyên truyền CCHC trên báo chí", t.commune_a, [(4, "bài", "4 bài")])
    classes, people = training.targets.order_by("order", "id")
    four = articles.targets.get()
    outputs.output_record_create(user=t.dept_officer or t.supervisor, unit=t.dept, output_type="training_class",
                                 date=day("05/02/2026"), people_reached=42, task=training, target=classes)
    # a TV report recorded for the task as a whole finds "4 bài"; a newspaper article recorded against it counts
    outputs.output_record_create(user=t.officer_a, unit=t.commune_a, output_type="tv_report", date=day("06/02/2026"),
                                 task=articles)
    outputs.output_record_create(user=t.officer_a, unit=t.commune_a, output_type="newspaper_article",
                                 date=day("07/02/2026"), quantity=2, task=articles, target=four)
    return classes, people, four


def test_people_targets_count_people_and_tv_reports_count_as_articles(world, q1):
    classes, people, four = _training_and_articles(world)
    numbers = {n["target_id"]: n for n in selectors.consolidated_numbers(plan=world.plan, period=q1)}
    assert (numbers[classes.pk]["planned"], numbers[classes.pk]["quantity"], numbers[classes.pk]["percent"]) == (1, 1, 100)
    assert (numbers[people.pk]["planned"], numbers[people.pk]["quantity"], numbers[people.pk]["percent"]) == (40, 42, 105)
    assert (numbers[four.pk]["planned"], numbers[four.pk]["quantity"], numbers[four.pk]["percent"]) == (4, 3, 75)
    # the people and outputs columns, summed over the training's targets, count the class once
    assert (numbers[classes.pk]["people_reached"], numbers[people.pk]["people_reached"]) == (42, 0)
    assert numbers[classes.pk]["records"] + numbers[people.pk]["records"] == 1


def test_a_unit_report_counts_each_target_in_its_own_unit(world, q1):
    classes, people, _four = _training_and_articles(world)
    t = world.tree
    report = services.report_open(unit=t.dept, period=q1, user=t.supervisor)
    lines = {line.target_id: line for line in report.lines.all()}
    assert (lines[classes.pk].planned, lines[classes.pk].quantity, lines[classes.pk].percent) == (1, 1, 100)
    assert (lines[people.pk].planned, lines[people.pk].quantity, lines[people.pk].percent) == (40, 42, 105)


def test_consolidation_by_unit_never_adds_unlike_things_nor_counts_a_person_twice(world, q1, client):
    from openpyxl import load_workbook

    from cchc.reports.models import UnitReport

    _training_and_articles(world)
    t = world.tree
    world.record(t.commune_a, day("10/01/2026"), 3)  # 3 tin, bài on the e-portal
    for unit in (t.dept, t.commune_a):
        report = services.report_open(unit=unit, period=q1, user=t.supervisor)
        UnitReport.objects.filter(pk=report.pk).update(submitted_at=timezone.make_aware(dt.datetime(2026, 3, 16, 9)),
                                                       on_time=True)
    by_unit = {row["unit_id"]: row for row in selectors.numbers_by_unit(plan=world.plan, period=q1)}
    dept, commune = by_unit[t.dept.pk], by_unit[t.commune_a.pk]
    assert "quantity" not in dept
    assert {f["measure"]: f["done"] for f in dept["figures"]} == {"tin, bài": 0, "lớp": 1, "người": 42}
    assert (dept["people"], dept["records"]) == (42, 1)  # one class of 42 people, not 84
    assert {f["measure"]: f["done"] for f in commune["figures"]} == {"tin, bài": 3, "bài": 3}
    assert dept["figures_text"] == "0 tin, bài; 1 lớp; 42 người"

    client.force_login(t.supervisor)
    book = load_workbook(io.BytesIO(client.get(f"/bao-cao/ky/{q1.pk}/tong-hop.xlsx").content))
    rows = [r for r in book["Theo đơn vị"].iter_rows(min_row=3, values_only=True)]
    dept_rows = [r for r in rows if r[0] == t.dept.name]
    assert [(r[1], r[2], r[3], r[4]) for r in dept_rows] == [("tin, bài", 0, 42, 1), ("lớp", 1, None, None),
                                                               ("người", 42, None, None)]
    assert sum(r[3] or 0 for r in rows) == 42  # people, summed down the column, are still true


def test_the_docx_by_unit_section_reads_per_unit_of_measure(world, q1, client):
    import docx

    from cchc.reports.models import UnitReport

    _training_and_articles(world)
    t = world.tree
    report = services.report_open(unit=t.dept, period=q1, user=t.supervisor)
    UnitReport.objects.filter(pk=report.pk).update(submitted_at=timezone.make_aware(dt.datetime(2026, 3, 16, 9)),
                                                   on_time=True)
    client.force_login(t.supervisor)
    document = docx.Document(io.BytesIO(client.get(f"/bao-cao/ky/{q1.pk}/tong-hop.docx").content))
    rows = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    dept = next(r for r in rows if t.dept.name in r and "0 tin, bài; 1 lớp; 42 người" in r)
    assert dept[-2:] == ["42", "1"]  # people reached, outputs: the class once
