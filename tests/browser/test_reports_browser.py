"""The reporting loop in headless Chromium against a live server.

A commune officer records one output by hand and several from the spreadsheet template, opens the
Q1 report and finds them counted, writes the narrative and submits; the supervisor returns it with a
comment, the officer fixes and resubmits, the supervisor accepts; the dashboard shows the
completeness; the consolidated .docx downloads and opens.

Buttons are found by their ids, not their words, so the test holds whatever the catalogue says.
"""

import io
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.sessions import log_in as _log_in
from tests.factories import make_org_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _world():
    from cchc.plans import services as plan_services
    from cchc.reports import services

    tree = make_org_tree()
    plan = plan_services.plan_create(
        user=tree.supervisor, owner=tree.province, title="Kế hoạch tuyên truyền cải cách hành chính năm 2026",
        number="12/KH-UBND", plan_year=2026, reporting={"periods": [], "deadlines": [], "recipient": None, "text": None},
    )
    task = plan_services.task_create(
        plan=plan, user=tree.supervisor, title="Đăng tin, bài về cải cách hành chính trên trang thông tin điện tử",
        lead_units=[tree.commune_a, tree.commune_b],
        targets=[{"quantity": 4, "unit": "tin, bài", "per": "quarter", "text": "04 tin, bài/quý"}],
    )
    plan = plan_services.plan_issue(plan=plan, user=tree.supervisor)
    periods = {p.code: p for p in services.periods_generate(plan=plan, user=tree.supervisor)}
    return tree, plan, task, periods["Q1"]


def _fill_template(content: bytes, rows: list[tuple[str, int]]) -> bytes:
    """The downloaded template with the example row replaced by `rows` (date, quantity), each a news
    item on the e-portal serving the unit's first task."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    data, lists = book.worksheets[0], book.worksheets[1]
    portal = next(r[0] for r in lists.iter_rows(min_row=2, values_only=True) if r[1] == "portal_article")
    task_label = lists.cell(row=2, column=7).value
    headers = [c.value for c in data[1]]
    for i, (date, quantity) in enumerate(rows, start=2):
        values = {0: date, 1: portal, 2: f"Tin bài số {i}", 3: quantity, 4: task_label}
        for column in range(len(headers)):
            data.cell(row=i, column=column + 1, value=values.get(column))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_officer_reports_supervisor_returns_then_accepts_and_the_consolidated_docx_opens(browser, live_server, tmp_path, output_catalogue,
                                                                                        settings):
    settings.MEDIA_ROOT = tmp_path / "media"  # the attached file
    import docx

    from cchc.outputs.models import OutputType
    from cchc.reports.models import UnitReport

    tree, plan, task, q1 = _world()
    base = live_server.url
    officer = _log_in(browser, base, "xa.canbo", tree.password)

    # one output by hand
    officer.goto(f"{base}/san-pham/don-vi/{tree.commune_a.code}/them/")
    target = task.targets.get()
    officer.select_option("select[name=serves]", value=f"t:{task.pk}")
    officer.select_option("select[name=output_type]", value=str(OutputType.objects.get(code="portal_article").pk))
    officer.fill("input[name=date]", "10/02/2026")
    officer.fill("input[name=quantity]", "1")
    officer.fill("input[name=title]", "Tin bài về dịch vụ công trực tuyến")
    officer.locator("main form button[type=submit]").first.click()
    expect(officer.locator(".message.success").first).to_be_visible()

    # several from the spreadsheet template, and one outside the Q1 window that must not count
    officer.goto(f"{base}/san-pham/don-vi/{tree.commune_a.code}/nhap/")
    with officer.expect_download() as download:
        officer.locator(f"a[href$='/san-pham/don-vi/{tree.commune_a.code}/mau-nhap.xlsx']").click()
    filled = tmp_path / "san-pham.xlsx"
    filled.write_bytes(_fill_template(download.value.path().read_bytes(),
                                      [("15/01/2026", 2), ("03/03/2026", 3), ("20/03/2026", 5)]))
    officer.set_input_files("input[name=file]", str(filled))
    officer.locator("form[action$='/nhap/'] button[type=submit]").click()
    expect(officer.locator(".message.success").first).to_be_visible()

    # the Q1 report, reached from "my reports", has the numbers counted: 1 + 2 + 3 inside the window
    officer.goto(f"{base}/bao-cao/")
    officer.locator(f"a[href='/bao-cao/ky/{q1.pk}/don-vi/{tree.commune_a.code}/']").click()
    officer.locator("#start-report").click()
    line = officer.locator("#report-lines tbody tr").first
    expect(line).to_contain_text("04 tin, bài/quý")
    expect(line.locator("td.num").nth(0)).to_have_text("4")  # planned: 04 tin, bài in the quarter
    expect(line.locator("td.num").nth(1)).to_contain_text("6")  # done
    officer.fill("textarea[name=results]", "Phường đã đăng 6 tin, bài về cải cách hành chính.")
    officer.fill("textarea[name=proposals]", "Bổ sung kinh phí tuyên truyền.")
    # a file attached with the report's form: what was typed is saved first, even when the file is refused
    refused = tmp_path / "virus.exe"
    refused.write_bytes(b"MZ....")
    officer.set_input_files("#report-form input[name=file]", str(refused))
    officer.locator("#attach-file").click()
    expect(officer.locator(".message.error").first).to_contain_text("virus.exe")
    expect(officer.locator("textarea[name=proposals]")).to_have_value("Bổ sung kinh phí tuyên truyền.")
    minutes = tmp_path / "bien-ban.pdf"
    minutes.write_bytes(b"%PDF-1.4 bien ban hop")
    officer.set_input_files("#report-form input[name=file]", str(minutes))
    officer.locator("#attach-file").click()
    expect(officer.locator("main")).to_contain_text("bien-ban.pdf")
    expect(officer.locator("textarea[name=results]")).to_have_value("Phường đã đăng 6 tin, bài về cải cách hành chính.")
    # the officer drafts and sends to the unit's manager, after seeing what is sent
    officer.locator("#send-report").click()
    expect(officer.locator("#confirm-lines")).to_contain_text("04 tin, bài/quý")
    officer.locator("#confirm-send").click()
    report = UnitReport.objects.get(unit=tree.commune_a, period=q1)
    assert report.status == "pending" and report.lines.get().quantity == Decimal(6)
    assert not officer.locator("#send-report").count()
    # the manager approves and submits
    manager = _log_in(browser, base, "xa.quanly", tree.password)
    manager.goto(f"{base}/bao-cao/{report.pk}/")
    manager.locator("#approve-report").click()
    manager.locator("#confirm-send").click()
    report.refresh_from_db()
    assert report.status == "submitted"

    # the supervisor returns it with a comment
    supervisor = _log_in(browser, base, "giamsat", tree.password)
    supervisor.goto(f"{base}/bao-cao/{report.pk}/")
    supervisor.fill("textarea[name=comment]", "Bổ sung kết quả tuyên truyền trên loa truyền thanh.")
    supervisor.locator("#return-report").click()
    expect(supervisor.locator("#report-history")).to_contain_text("Bổ sung kết quả tuyên truyền trên loa truyền thanh.")

    # the officer sees the comment, fixes and resubmits
    officer.goto(f"{base}/bao-cao/{report.pk}/")
    expect(officer.locator("#return-comment")).to_contain_text("loa truyền thanh")
    officer.fill("textarea[name=results]", "Phường đã đăng 6 tin, bài; phát 20 lượt trên loa truyền thanh.")
    officer.locator("#send-report").click()
    officer.locator("#confirm-send").click()
    manager.goto(f"{base}/bao-cao/{report.pk}/gui/")
    manager.locator("#confirm-send").click()
    expect(manager.locator("#report-history li")).to_have_count(5)

    # the supervisor accepts; the report locks
    supervisor.goto(f"{base}/bao-cao/{report.pk}/")
    supervisor.locator("#accept-report").click()
    report.refresh_from_db()
    assert report.status == "accepted"
    assert [v.action for v in report.versions.order_by("number")] == ["send", "submit", "return", "send", "resubmit", "accept"]

    # the dashboard shows the completeness: two communes expected, one submitted
    supervisor.goto(f"{base}/bao-cao/ky/{q1.pk}/tong-hop/")
    expect(supervisor.locator('#completeness-totals [data-key="expected"]')).to_have_text("2")
    expect(supervisor.locator('#completeness-totals [data-key="submitted"]')).to_contain_text("1")
    expect(supervisor.locator("#late-list")).to_contain_text("Xã Đồng Văn")
    supervisor.screenshot(path="/tmp/cchc-report-dashboard.png", full_page=True)

    # the consolidated .docx downloads and opens with the numbers and the narrative
    with supervisor.expect_download() as download:
        supervisor.locator("#download-docx").click()
    document = docx.Document(download.value.path())
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    assert "phát 20 lượt trên loa truyền thanh" in text
    assert "6" in cells and "8" in cells and "75%" in cells  # done, planned for the quarter (4 for each of 2 lead units), rate
    for context in (officer.context, manager.context, supervisor.context):
        context.close()


def test_a_file_over_the_upload_limit_is_refused_in_the_page_and_the_typed_text_stays(browser, live_server, tmp_path,
                                                                                        output_catalogue, settings):
    """The server answers an oversized request unread (and the text sent with it would be lost): the page
    refuses the file before sending anything, says why, and keeps what was typed."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CCHC_MAX_UPLOAD_BYTES = 4096
    tree, plan, task, q1 = _world()
    base = live_server.url
    officer = _log_in(browser, base, "xa.canbo", tree.password)
    officer.goto(f"{base}/bao-cao/ky/{q1.pk}/don-vi/{tree.commune_a.code}/")
    officer.locator("#start-report").click()
    officer.fill("textarea[name=results]", "Đã tổ chức 02 hội nghị tuyên truyền.")
    big = tmp_path / "bien-ban-lon.pdf"
    big.write_bytes(b"%PDF-1.4 " + b"0" * 10_000)
    officer.set_input_files("#report-form input[name=file]", str(big))
    url = officer.url
    officer.locator("#attach-file").click()
    message = officer.locator("#report-form input[name=file]").evaluate("input => input.validationMessage")
    assert "MB" in message  # the page says why, with the limit
    assert officer.url == url
    expect(officer.locator("textarea[name=results]")).to_have_value("Đã tổ chức 02 hội nghị tuyên truyền.")
    # a file under the limit goes through, with the text
    small = tmp_path / "bien-ban.pdf"
    small.write_bytes(b"%PDF-1.4 bien ban hop")
    officer.set_input_files("#report-form input[name=file]", str(small))
    officer.locator("#attach-file").click()
    expect(officer.locator("main")).to_contain_text("bien-ban.pdf")
    expect(officer.locator("textarea[name=results]")).to_have_value("Đã tổ chức 02 hội nghị tuyên truyền.")
