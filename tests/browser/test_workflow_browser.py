"""A workflow that forgives, in headless Chromium: the supervisor issues a plan after seeing who
receives it, the department chooses the tasks of its own plan, a commune officer sees what is sent
before sending it to the manager, the manager approves and submits, recalls, submits again; the
supervisor downloads the consolidated report signed as the form says, with its chart.

Screenshots at 390 px and 1280 px go to /tmp/cchc-workflow-*.png for a person to look at."""


import pytest
from playwright.sync_api import expect

from tests.browser.sessions import log_in as _log_in
from tests.factories import make_org_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _shots(page, name):
    page.screenshot(path=f"/tmp/cchc-workflow-{name}-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"/tmp/cchc-workflow-{name}-390.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1, f"{name} scrolls sideways at 390 px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_issue_derive_send_approve_recall_and_sign(browser, live_server, output_catalogue):
    import docx

    from cchc.plans import services as plan_services
    from cchc.plans.models import Assignment, Plan
    from cchc.reports.models import UnitReport

    tree = make_org_tree()
    plan = plan_services.plan_create(user=tree.supervisor, owner=tree.province, plan_year=2026,
                                     title="Kế hoạch tuyên truyền cải cách hành chính năm 2026",
                                     reporting={"periods": ["Q1"], "recipient": "Sở Nội vụ"})
    plan_services.task_create(plan=plan, user=tree.supervisor, title="Viết tin, bài về CCHC",
                              lead_units=[tree.commune_a, tree.commune_b, tree.dept],
                              targets=[{"quantity": 4, "unit": "tin, bài", "per": "quarter", "text": "04 tin, bài/quý"}])
    plan_services.task_create(plan=plan, user=tree.supervisor, title="Hội nghị đối thoại", lead_units=[tree.commune_a],
                              support_units=[tree.dept])
    base = live_server.url

    # the supervisor issues: who receives it, grouped; the number and date asked for
    supervisor = _log_in(browser, base, "giamsat", tree.password)
    supervisor.goto(f"{base}/ke-hoach/{plan.pk}/ban-hanh/")
    expect(supervisor.locator("#issue-recipients")).to_contain_text("UBND cấp xã (2)")
    _shots(supervisor, "issue")
    supervisor.fill("input[name=number]", "174/KH-UBND")
    supervisor.fill("input[name=date]", "05/01/2026")
    supervisor.locator("#confirm-issue").click()
    supervisor.wait_for_url(f"{base}/ke-hoach/{plan.pk}/")
    plan.refresh_from_db()
    assert plan.status == "issued" and plan.number == "174/KH-UBND" and plan.reporting_periods.count() == 1
    q1 = plan.reporting_periods.get()

    # the department officer chooses the tasks: the one it leads is chosen, the one it supports is offered
    officer = _log_in(browser, base, "snv.canbo", tree.password)
    officer.goto(f"{base}/ke-hoach/{plan.pk}/ke-hoach-con/?unit={tree.dept.pk}")
    expect(officer.locator("input[name=title]")).to_have_value("Kế hoạch tuyên truyền CCHC năm 2026 của Sở Nội vụ")
    _shots(officer, "derive")
    officer.locator("#derive-tasks input[type=checkbox]:not(:checked)").check()
    officer.locator("#derive-create").click()
    officer.wait_for_url(f"{base}/ke-hoach/*/")
    child = Plan.objects.get(parent=plan, owner=tree.dept)
    assert sorted(Assignment.objects.filter(task__plan=child).values_list("role", flat=True)) == ["lead", "support"]

    # the commune officer sends the Q1 report to the manager after seeing the warnings
    commune = _log_in(browser, base, "xa.canbo", tree.password)
    commune.goto(f"{base}/bao-cao/ky/{q1.pk}/don-vi/{tree.commune_a.code}/")
    commune.locator("#start-report").click()
    commune.locator("#send-report").click()
    expect(commune.locator("#empty-narrative")).to_be_visible()
    expect(commune.locator("#zero-lines")).to_be_visible()
    _shots(commune, "confirm")
    commune.locator("#confirm-send").click()
    report = UnitReport.objects.get(unit=tree.commune_a, period=q1)
    assert report.status == "pending"

    # the manager approves and submits, recalls it (not reviewed yet), submits again
    manager = _log_in(browser, base, "xa.quanly", tree.password)
    manager.goto(f"{base}/bao-cao/{report.pk}/")
    manager.locator("#approve-report").click()
    manager.locator("#confirm-send").click()
    manager.locator("#recall-report").click()
    report.refresh_from_db()
    assert report.status == "draft" and report.submitted_at is None
    manager.fill("textarea[name=results]", "Phường đã tổ chức hội nghị đối thoại.")
    manager.locator("#submit-report").click()
    manager.locator("#confirm-send").click()
    report.refresh_from_db()
    assert report.status == "submitted"

    # the supervisor downloads the report to sign, with the signer written in the form
    supervisor.goto(f"{base}/bao-cao/ky/{q1.pk}/tong-hop/")
    supervisor.locator("#signing summary").click()
    supervisor.fill("input[name=signer_name]", "Trần Văn Ký")
    supervisor.fill("input[name=signer_authority]", "KT. CHỦ TỊCH")
    _shots(supervisor, "dashboard")
    with supervisor.expect_download() as download:
        supervisor.locator("#download-docx").click()
    document = docx.Document(download.value.path())
    cells = "\n".join(c.text for table in document.tables for row in table.rows for c in row.cells)
    assert "Trần Văn Ký" in cells and "TỈNH TUYÊN QUANG" in cells and len(document.inline_shapes) == 2
    for page in (supervisor, officer, commune, manager):
        page.context.close()
