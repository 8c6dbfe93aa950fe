"""Issue 9's story at province size, in headless Chromium against the live server.

Seed 004 (Hà Giang's 2023 communication plan) is imported into today's Tuyên Quang, which absorbed
Hà Giang (the national directory: 124 communes, the departments, the demo users of `load_demo`):

1. the supervisor uploads it, confirms the review, and issues it after seeing who receives it;
2. Sở Nội vụ derives its plan (the tasks it leads, plus the ethnic-language broadcasts it supports,
   marked "phối hợp") and its manager issues it; a commune's manager derives and issues the commune's;
3. Sở Nội vụ records a training of 42 people against "01 lớp, 40 người", a TV report against
   "1 bài/ 1 quý = 4 bài" and a radio news item in Mông against "12 bài/1 năm" in ethnic languages;
   the commune records a news item on its portal;
4. the commune's officer drafts the six-month (H1) report, its manager approves and submits, the supervisor
   returns it, the officer fixes it, the manager submits again and the supervisor accepts; Sở Nội vụ's
   report goes the same way up to the supervisor;
5. the H1 dashboard, and the consolidated .docx and .xlsx downloaded from it, show 42 of 40 people,
   1 of 1 class, the TV report counted as one "bài", the Mông item counted toward the ethnic-language
   target, and no figure that sums people with articles; checked cell by cell.

Screenshots of the plan page and of the report at 1280 and 390 px go to the test's tmp dir and are
copied to /tmp/story/ for a person to look at.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.sessions import log_in as _log_in
from tests.public_documents import SEED_004

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path("/tmp/story")
ETHNIC = "12 bài/1 năm bằng tiếng Tày, Mông, Dao, Pà Thẻn"  # the target as the reports label it
TV = "1 bài/ 1 quý = 4 bài"
RESUBMITTED = "Phường đã đăng 1 tin, bài; phát 20 lượt trên loa truyền thanh."


def _shots(page, tmp_path, name):
    """Full-page screenshots at 1280 and 390 px; the page must not scroll sideways on the phone."""
    paths = []
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        path = tmp_path / f"{name}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        SHOTS.mkdir(exist_ok=True)
        shutil.copy(path, SHOTS / path.name)
        paths.append(path)
        if width == 390:
            assert page.evaluate("document.documentElement.scrollWidth") <= 391, f"{name} scrolls sideways at 390 px"
    page.set_viewport_size({"width": 1280, "height": 900})
    return paths


def _record(page, base, unit, serves, type_code, *, date, quantity="1", people="", language=None, title=""):
    page.goto(f"{base}/san-pham/don-vi/{unit.code}/them/")
    page.locator("#id_serves").select_option(serves)
    page.locator("#id_output_type").select_option(
        page.locator(f'#id_output_type option[data-code="{type_code}"]').get_attribute("value"))
    page.locator("#id_date").fill(date)
    page.locator("#id_title").fill(title)
    page.locator("#id_quantity").fill(quantity)
    page.locator("#id_people_reached").fill(people)
    if language:
        page.locator("#id_language").select_option(language)
    page.locator("form:has(#id_serves) button[type=submit]").first.click()
    expect(page.locator(".message.success").first).to_be_visible()


def _send_up(officer, manager, base, report, results):
    """The officer writes the narrative and sends the report to the unit's manager (after the page
    that shows what is sent), who approves and submits it."""
    officer.goto(f"{base}/bao-cao/{report.pk}/")
    officer.fill("textarea[name=results]", results)
    officer.locator("#send-report").click()
    officer.locator("#confirm-send").click()
    report.refresh_from_db()
    assert report.status == "pending", report.status
    # the manager finds it on the home page, waiting for approval
    manager.goto(f"{base}/")
    manager.locator(f'section[aria-labelledby=home-write-h] a[href="/bao-cao/{report.pk}/"]').click()
    manager.locator("#approve-report").click()
    manager.locator("#confirm-send").click()
    report.refresh_from_db()
    assert report.status == "submitted", report.status


def _confirm_issue(page, number, date):
    """On the issue page: the number and date of issue, when the page asks for them, then confirm."""
    expect(page.locator("#issue-recipients")).to_be_visible()
    for name, value in (("number", number), ("date", date)):
        field = page.locator(f"input[name={name}]")
        if field.count() and not field.input_value():
            field.fill(value)
    page.locator("#confirm-issue").click()


def _cells(row) -> list[str]:
    return [c.strip() for c in row.locator("td").all_inner_texts()]


def test_seed_004_in_tuyen_quang_from_import_to_the_signed_report(
        browser, live_server, national_units, output_catalogue, settings, tmp_path):
    import docx
    from django.core.management import call_command
    from openpyxl import load_workbook

    from cchc.org.management.commands.load_demo import DEFAULT_PASSWORD
    from cchc.org.models import Membership, Unit
    from cchc.outputs.models import OutputRecord
    from cchc.plans.models import Plan, Target, Task
    from cchc.reports.models import ReportingPeriod, UnitReport

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=io.StringIO())
    province = Unit.objects.get(code="08")
    snv = Unit.objects.get(code="08.SNV")
    commune = Membership.objects.get(user__username="xa.canbo").unit
    communes_today = Unit.objects.filter(parent=province, kind__in=sorted(Unit.COMMUNE_KINDS), valid_to__isnull=True).count()
    assert communes_today == 124
    base = live_server.url

    # 1. The supervisor imports seed 004 into Tuyên Quang and confirms the review.
    supervisor = _log_in(browser, base, "giamsat", DEFAULT_PASSWORD)
    supervisor.goto(f"{base}/ke-hoach/nhap/")
    supervisor.locator("select[name=owner]").select_option(str(province.pk))
    supervisor.locator("input[name=file]").set_input_files(str(SEED_004))
    supervisor.locator("main form button[type=submit]").click()
    # the review page stays light at province size: the province's units are sent once, and a picker of an
    # agency that was not matched gets them when it is used
    supervisor.locator("button[name=action][value=confirm]").wait_for()
    assert len(supervisor.content().encode()) < 150_000, len(supervisor.content().encode())
    pickers = supervisor.locator("select:has(optgroup[data-all-units])")
    if pickers.count():
        picker = pickers.first
        assert picker.locator("optgroup[data-all-units] option").count() == 0
        picker.focus()
        assert picker.locator("optgroup[data-all-units] option").count() > 100
    supervisor.locator("button[name=action][value=confirm]").click()
    supervisor.wait_for_url(f"{base}/ke-hoach/*/")
    plan = Plan.objects.get(owner=province, parent=None)
    tasks = {t.order: t for t in plan.tasks.all()}

    def task_with(target_text):
        return Target.objects.select_related("task").get(task__plan=plan, text=target_text).task

    training, tv, ethnic = task_with("40 người"), task_with("1 bài/ 1 quý = 4 bài"), task_with("12 bài/1 năm")
    assert len(tasks) >= 15

    # ... and issues it after seeing who receives it, grouped, with its number and date asked for.
    supervisor.goto(f"{base}/ke-hoach/{plan.pk}/ban-hanh/")
    recipients = supervisor.locator("#issue-recipients")
    # the communes that took over Hà Giang's 11 districts, today's departments, the Front and its unions
    expect(recipients).to_contain_text("UBND cấp xã (73)")
    expect(recipients).to_contain_text("Các sở, ban, ngành (17)")
    expect(recipients).to_contain_text("Mặt trận Tổ quốc và các đoàn thể (5)")
    _confirm_issue(supervisor, "233/QĐ-UBND", "19/12/2022")
    supervisor.wait_for_url(f"{base}/ke-hoach/{plan.pk}/")
    plan.refresh_from_db()
    assert plan.status == "issued" and plan.number == "233/QĐ-UBND"  # the document's, not asked again
    h1 = ReportingPeriod.objects.get(plan=plan, code="H1")  # 15/12/2022 – 14/06/2023

    # 2. Sở Nội vụ's officer derives its plan: the tasks it leads are chosen, the ethnic-language
    # broadcasts it supports are offered and taken; its manager issues it.
    snv_officer = _log_in(browser, base, "snv.canbo", DEFAULT_PASSWORD)
    snv_officer.goto(f"{base}/ke-hoach/{plan.pk}/ke-hoach-con/?unit={snv.pk}")
    expect(snv_officer.locator("input[name=title]")).to_have_value("Kế hoạch tuyên truyền CCHC năm 2023 của Sở Nội vụ tỉnh Tuyên Quang")
    expect(snv_officer.locator(f"#derive-task-{training.pk}")).to_be_checked()
    expect(snv_officer.locator(f"#derive-task-{tv.pk}")).to_be_checked()
    expect(snv_officer.locator(f"#derive-task-{ethnic.pk}")).not_to_be_checked()
    expect(snv_officer.locator("tr", has=snv_officer.locator(f"#derive-task-{ethnic.pk}"))).to_contain_text("phối hợp")
    snv_officer.locator(f"#derive-task-{ethnic.pk}").check()
    snv_officer.locator("#derive-create").click()
    snv_officer.wait_for_url(f"{base}/ke-hoach/*/")
    snv_plan = Plan.objects.get(parent=plan, owner=snv)
    assert snv_plan.tasks.filter(parent_task=ethnic, assignments__unit=snv, assignments__role="support").exists()
    snv_manager = _log_in(browser, base, "snv.quanly", DEFAULT_PASSWORD)
    snv_manager.goto(f"{base}/ke-hoach/{snv_plan.pk}/ban-hanh/")
    _confirm_issue(snv_manager, "15/KH-SNV", "05/01/2023")
    snv_manager.wait_for_url(f"{base}/ke-hoach/{snv_plan.pk}/")
    snv_plan.refresh_from_db()
    assert snv_plan.status == "issued" and snv_plan.number == "15/KH-SNV"  # asked for on issue

    # ... the commune's manager derives the commune's plan and issues it in one go.
    commune_manager = _log_in(browser, base, "xa.quanly", DEFAULT_PASSWORD)
    commune_manager.goto(f"{base}/ke-hoach/{plan.pk}/ke-hoach-con/?unit={commune.pk}")
    expect(commune_manager.locator("input[name=title]")).to_have_value(
        f"Kế hoạch tuyên truyền CCHC năm 2023 của {commune.name}")
    commune_manager.locator("#derive-and-issue").click()
    _confirm_issue(commune_manager, "07/KH-UBND", "06/01/2023")
    commune_plan = Plan.objects.get(parent=plan, owner=commune)
    commune_manager.wait_for_url(f"{base}/ke-hoach/{commune_plan.pk}/")
    commune_plan.refresh_from_db()
    assert commune_plan.status == "issued" and commune_plan.number == "07/KH-UBND" and commune_plan.tasks.exists()

    # 3. Outputs, through the form, dated in April–June 2023, inside the six-month window (15/12/2022 – 14/06/2023).
    def copy_target(task, text):
        return Target.objects.get(task__plan=snv_plan, task__parent_task=task, text=text)

    _record(snv_officer, base, snv, f"g:{copy_target(training, '01 lớp').pk}", "training_class", date="20/04/2023",
            people="42", title="Lớp tập huấn nâng cao các Chỉ số PAR INDEX, SIPAS cho lãnh đạo các sở")
    _record(snv_officer, base, snv, f"g:{copy_target(tv, '1 bài/ 1 quý = 4 bài').pk}", "tv_report", date="15/05/2023",
            title="Phóng sự: một cửa liên thông trên VTV")
    _record(snv_officer, base, snv, f"g:{copy_target(ethnic, '12 bài/1 năm').pk}", "radio_report", date="02/06/2023",
            language="mong", title="Tin tiếng Mông: dịch vụ công trực tuyến toàn trình")
    commune_officer = _log_in(browser, base, "xa.canbo", DEFAULT_PASSWORD)
    portal_task = Task.objects.filter(plan=commune_plan, title__startswith="Viết, cập nhật tin, bài").get()
    _record(commune_officer, base, commune, f"t:{portal_task.pk}", "portal_article", date="10/05/2023",
            title="Kết quả chỉ số CCHC năm 2022 của phường")
    # the four typed here, beside the demo catalogue's decision that `load-demo` applied (counted by itself)
    assert OutputRecord.objects.filter(source=OutputRecord.SOURCE_MANUAL).count() == 4

    # The province plan's page: progress by outputs beside the officer's own, over the whole plan.
    supervisor.goto(f"{base}/ke-hoach/{plan.pk}/")
    measured = {task.pk: supervisor.locator(f'tr:has(a[href$="/ke-hoach/nhiem-vu/{task.pk}/"]) strong.measured')
                for task in (training, tv, ethnic)}
    expect(measured[training.pk]).to_have_text("100%")  # 1/1 lớp, 42/40 người (capped)
    expect(measured[tv.pk]).to_have_text("25%")  # 1 of 4 bài
    expect(measured[ethnic.pk]).to_have_text("8%")  # 1 of 12 bài in the ethnic languages
    plan_shots = _shots(supervisor, tmp_path, "plan")

    # 4. The commune's officer drafts the six-month (H1) report, its manager approves and submits.
    commune_officer.goto(f"{base}/bao-cao/ky/{h1.pk}/don-vi/{commune.code}/")
    commune_officer.locator("#start-report").click()  # a report is started by a button, never by a GET
    commune_officer.wait_for_url(f"{base}/bao-cao/*/")
    report = UnitReport.objects.get(unit=commune, period=h1)
    report_shots = _shots(commune_officer, tmp_path, "report")
    _send_up(commune_officer, commune_manager, base, report,
             "Phường đã đăng 1 tin, bài về kết quả CCHC trên trang thông tin điện tử.")

    # ... the supervisor returns it with a comment; the officer fixes it, the manager submits again.
    supervisor.goto(f"{base}/")  # the supervisor's home: the report waits for review
    supervisor.locator(f'section[aria-labelledby=home-supervise-h] a[href="/bao-cao/{report.pk}/"]').click()
    supervisor.fill("textarea[name=comment]", "Bổ sung kết quả tuyên truyền trên loa truyền thanh.")
    supervisor.locator("#return-report").click()
    expect(supervisor.locator("#report-history")).to_contain_text("loa truyền thanh")
    report.refresh_from_db()
    assert report.status == "returned"
    commune_officer.goto(f"{base}/")  # the officer's home: returned for changes
    commune_officer.locator(f'section[aria-labelledby=home-write-h] a[href="/bao-cao/{report.pk}/"]').click()
    expect(commune_officer.locator("#return-comment")).to_contain_text("loa truyền thanh")
    _send_up(commune_officer, commune_manager, base, report, RESUBMITTED)

    # ... and accepts it.
    supervisor.goto(f"{base}/bao-cao/{report.pk}/")
    supervisor.locator("#accept-report").click()
    report.refresh_from_db()
    assert report.status == "accepted"
    assert [v.action for v in report.versions.order_by("number")][-1] == "accept"

    # Sở Nội vụ's report goes up the same way, so its figures are in the per-unit section.
    snv_officer.goto(f"{base}/bao-cao/ky/{h1.pk}/don-vi/{snv.code}/")
    snv_officer.locator("#start-report").click()  # a report is started by a button, never by a GET
    snv_officer.wait_for_url(f"{base}/bao-cao/*/")
    snv_report = UnitReport.objects.get(unit=snv, period=h1)
    lines = {line.target.text: line.quantity for line in snv_report.lines.select_related("target") if line.target_id}
    assert lines["40 người"] == 42 and lines["01 lớp"] == 1
    assert lines["1 bài/ 1 quý = 4 bài"] == 1 and lines["12 bài/1 năm"] == 1
    _send_up(snv_officer, snv_manager, base, snv_report, "Sở đã tổ chức 01 lớp tập huấn cho 42 người; 01 phóng sự; 01 tin tiếng Mông.")

    # 5. The dashboard of H1, cell by cell.
    supervisor.goto(f"{base}/bao-cao/ky/{h1.pk}/tong-hop/")
    rows = supervisor.locator("#targets tbody tr")
    by_target = {}
    for i in range(rows.count()):
        cells = _cells(rows.nth(i))
        by_target[cells[1]] = cells[2:4]
    assert by_target["1 chuyên mục/1 quý = 4 chuyên mục"] == ["2", "0"]  # the TV report is no "chuyên mục"
    assert by_target["01 lớp"] == ["1", "1"]
    assert by_target["40 người"] == ["40", "42"]
    assert by_target[TV] == ["2", "1"]  # one a quarter: Q1 and Q2
    assert by_target[ETHNIC] == ["4", "1"]
    dashboard_shots = _shots(supervisor, tmp_path, "dashboard")
    # on the phone the reporting-rate chart keeps letters one can read (it scrolls inside its box)
    supervisor.set_viewport_size({"width": 390, "height": 844})
    letters = supervisor.evaluate("document.querySelector('#rollup-chart text').getBoundingClientRect().height")
    assert letters >= 9, f"the chart's letters are {letters:.1f} px high at 390 px"
    supervisor.set_viewport_size({"width": 1280, "height": 900})

    # The .xlsx: the targets sheet and the per-unit sheet, cell by cell.
    with supervisor.expect_download() as download:
        supervisor.locator("#download-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    download.value.save_as(tmp_path / "tong-hop.xlsx")
    shutil.copy(tmp_path / "tong-hop.xlsx", SHOTS / "tong-hop.xlsx")
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = book["Chỉ tiêu"]
    header = [c.value for c in sheet[2]]
    assert header == ["TT", "Nhiệm vụ", "Chỉ tiêu", "Kế hoạch kỳ", "Thực hiện", "Lượt người", "Số sản phẩm", "Tỷ lệ (%)"]
    xrows = {r[2]: r for r in sheet.iter_rows(min_row=3, values_only=True) if r[2]}
    assert xrows["01 lớp"][3:8] == (1, 1, 42, 1, 100)
    assert xrows["40 người"][3:5] == (40, 42) and xrows["40 người"][7] == 105
    assert xrows[TV][3:8] == (2, 1, 0, 1, 50)
    assert xrows[ETHNIC][3:8] == (4, 1, 0, 1, 25)
    assert sum((r[5] or 0) for r in xrows.values()) == 42  # each person once over the targets
    units = [r for r in book["Theo đơn vị"].iter_rows(min_row=3, values_only=True)]
    snv_rows = {r[1]: r for r in units if r[0] == snv.name}
    assert snv_rows["lớp"][2] == 1 and snv_rows["người"][2] == 42 and snv_rows["bài"][2] == 2
    first = next(r for r in units if r[0] == snv.name)
    assert (first[3], first[4]) == (42, 3)  # 42 people once, 3 outputs: no 84, no people + articles
    commune_rows = [r for r in units if r[0] == commune.name]
    assert commune_rows and sum(r[3] or 0 for r in commune_rows) == 0 and commune_rows[0][4] == 1
    assert len(book["Chỉ tiêu"]._charts) == 1
    narratives = {r[0]: r[1] for r in book["Thuyết minh"].iter_rows(min_row=3, values_only=True)}
    assert narratives[commune.name] == RESUBMITTED and "42 người" in narratives[snv.name]

    # The .docx: section I's table and section III's, cell by cell.
    with supervisor.expect_download() as download:
        supervisor.locator("#download-docx").click()
    assert download.value.suggested_filename.endswith(".docx")
    download.value.save_as(tmp_path / "tong-hop.docx")
    shutil.copy(tmp_path / "tong-hop.docx", SHOTS / "tong-hop.docx")
    document = docx.Document(io.BytesIO(download.value.path().read_bytes()))
    tables = [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]
    targets_table = next(t for t in tables if t[0][:2] == ["TT", "Nhiệm vụ, chỉ tiêu"])
    drows = {row[1].rsplit(" — ", 1)[1]: row[2:] for row in targets_table[1:]}
    assert drows["01 lớp"] == ["1", "1", "100%"]
    assert drows["40 người"] == ["40", "42", "105%"]
    assert drows[TV] == ["2", "1", "50%"]
    assert drows[ETHNIC] == ["4", "1", "25%"]
    by_unit = next(t for t in tables if t[0][:3] == ["TT", "Đơn vị", "Thực hiện theo đơn vị tính"])
    snv_row = next(row for row in by_unit if row[1] == snv.name)
    assert "1 lớp" in snv_row[2] and "42 người" in snv_row[2] and "2 bài" in snv_row[2]
    assert snv_row[3:] == ["42", "3"]
    assert "TỈNH TUYÊN QUANG" in "\n".join(p.text for p in document.paragraphs) + "".join(
        c for t in tables for row in t for c in row)
    assert "HÀ GIANG" not in "\n".join(p.text for p in document.paragraphs[:6])
    assert len(document.inline_shapes) == 2
    paragraphs = [p.text for p in document.paragraphs]
    assert ("Kết quả thực hiện Kế hoạch tuyên truyền cải cách hành chính năm 2023 trên địa bàn tỉnh Hà Giang "
            "6 tháng đầu năm 2023") in paragraphs
    assert any(p.startswith("Thực hiện Kế hoạch tuyên truyền cải cách hành chính năm 2023 trên địa bàn tỉnh Hà Giang "
                            "ban hành kèm theo Quyết định số 233/QĐ-UBND ngày 19/12/2022;") for p in paragraphs)
    assert f"Kết quả: {RESUBMITTED}" in [p.text for p in document.paragraphs]
    assert "█" not in "".join(p.text for p in document.paragraphs)

    for page in (supervisor, snv_officer, snv_manager, commune_officer, commune_manager):
        page.context.close()
    assert all(p.exists() for p in (*plan_shots, *report_shots, *dashboard_shots))
