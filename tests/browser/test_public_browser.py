"""A citizen on a phone opens a province's public CCHC site without an account: the home page, the
contacts and the plans with their counted progress; no page scrolls sideways at 390 px, and axe-core
finds no serious or critical accessibility violation on any of them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cchc.plans import services as plan_services
from cchc.portal.models import PublicContact, PublicSite
from cchc.reports import services as report_services
from tests.browser.accessibility import serious_violations
from tests.factories import make_org_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_citizen_reads_the_public_site_on_a_phone(live_server, browser, tmp_path):
    tree = make_org_tree()
    site = PublicSite.objects.create(unit=tree.province, slug="tuyen-quang", title="Chuyên trang Cải cách hành chính tỉnh Tuyên Quang",
                                     tagline="Thông tin về cải cách hành chính", hotline="0207 3822 555",
                                     address="Số 160, đường Trần Hưng Đạo, phường Minh Xuân")
    PublicContact.objects.create(site=site, name="Phòng Cải cách hành chính", position="Sở Nội vụ", phone="0207 3822 556")
    plan = plan_services.plan_create(user=tree.supervisor, owner=tree.province, title="Kế hoạch tuyên truyền CCHC năm 2026",
                                     number="12/KH-UBND", plan_year=2026,
                                     reporting={"periods": ["Q1", "Y"], "recipient": "Sở Nội vụ"})
    plan_services.task_create(plan=plan, user=tree.supervisor, title="Đăng tin, bài về CCHC trên trang thông tin điện tử",
                              lead_units=[tree.commune_a, tree.commune_b],
                              targets=[{"quantity": 12, "unit": "tin, bài", "per": "year", "text": "12 tin, bài/năm"}])
    plan = plan_services.plan_issue(plan=plan, user=tree.supervisor)
    report_services.periods_generate(plan=plan, user=tree.supervisor)

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = context.new_page()
    problems = {}
    for path, heading in (("/cong/tuyen-quang/", "Chuyên trang Cải cách hành chính tỉnh Tuyên Quang"),
                          ("/cong/tuyen-quang/lien-he/", "Liên hệ và đường dây nóng"),
                          ("/cong/tuyen-quang/ke-hoach/", "Kế hoạch và tiến độ thực hiện")):
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert page.evaluate("document.documentElement.scrollWidth") <= 391, f"{path} scrolls sideways"
        problems[path] = serious_violations(page)
    page.get_by_role("link", name="Kế hoạch tuyên truyền CCHC năm 2026").click()
    expect(page.locator("#public-tasks")).to_contain_text("12 tin, bài/năm")
    problems["plan"] = serious_violations(page)
    page.screenshot(path=str(tmp_path / "public-plan-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    assert not any(problems.values()), problems
    # the menu reaches the contacts from any page
    page.get_by_role("navigation", name="Danh mục của trang").get_by_role("link", name="Liên hệ và đường dây nóng").click()
    expect(page.locator("body")).to_contain_text("0207 3822 556")
    context.close()
