"""A citizen on a phone (390 px) and on a desktop (1280 px) looks up a procedure on the province's
public site: types its name without accents, opens it, and reads where to submit, the time limit
and the fees; the recent changes say which decision abolished another one. No page scrolls sideways
and axe-core finds no serious or critical accessibility violation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cchc.portal.models import PublicSite
from cchc.procedures.models import Change, Decision, Level, OnlineLevel, Procedure, ProcedureChange
from tests.browser.accessibility import serious_violations
from tests.factories import make_org_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _catalogue():
    tree = make_org_tree()
    PublicSite.objects.create(unit=tree.province, slug="tuyen-quang", title="Chuyên trang Cải cách hành chính tỉnh Tuyên Quang",
                              hotline="0207 3822 555")
    today = timezone.localdate()
    decision = Decision.objects.create(unit=tree.province, number="2666/QĐ-UBND", date=today - dt.timedelta(days=5),
                                       issuer="Chủ tịch Ủy ban nhân dân tỉnh Tuyên Quang", status=Decision.Status.APPLIED,
                                       applied_at=timezone.now(),
                                       title="Về việc công bố danh mục thủ tục hành chính lĩnh vực xây dựng")
    permit = Procedure.objects.create(
        unit=tree.province, name="Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", code="1.009994.000.00.00.H56",
        field="Xây dựng", level=Level.COMMUNE, agency="Ủy ban nhân dân cấp xã", online_level=OnlineLevel.PARTIAL, postal=True,
        time_limit="15 ngày kể từ ngày nhận đủ hồ sơ hợp lệ", time_limit_days=15, working_days=False,
        fee="Lệ phí cấp giấy phép xây dựng: 75.000 đồng/giấy phép", place="Bộ phận Một cửa Ủy ban nhân dân cấp xã",
        documents_required="Đơn đề nghị cấp giấy phép xây dựng (Mẫu số 01)\nBản sao giấy tờ chứng minh quyền sử dụng đất\n"
                           "Hai bộ bản vẽ thiết kế xây dựng",
        legal_basis=["Luật Xây dựng số 50/2014/QH13", "Nghị định số 175/2024/NĐ-CP"], introduced_by=decision)
    ProcedureChange.objects.create(procedure=permit, decision=decision, kind=Change.AMENDED, date=decision.date)
    gone = Procedure.objects.create(unit=tree.province, name="Gia hạn giấy phép xây dựng", field="Xây dựng",
                                    level=Level.COMMUNE, status=Procedure.Status.ABOLISHED, abolished_by=decision,
                                    abolished_on=decision.date)
    ProcedureChange.objects.create(procedure=gone, decision=decision, kind=Change.ABOLISHED, date=decision.date)
    for name, field in (("Đăng ký khai sinh", "Hộ tịch"), ("Đăng ký kết hôn", "Hộ tịch"),
                        ("Cấp phiếu lý lịch tư pháp", "Lý lịch tư pháp"),
                        ("Cấp giấy phép sửa chữa, cải tạo công trình", "Xây dựng")):
        Procedure.objects.create(unit=tree.province, name=name, field=field, level=Level.PROVINCE,
                                 online_level=OnlineLevel.FULL)
    return permit


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 900)])
def test_a_citizen_finds_a_procedure_typed_without_accents(live_server, browser, tmp_path, width, height):
    permit = _catalogue()
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    page = context.new_page()
    problems = {}
    page.goto(f"{live_server.url}/cong/tuyen-quang/")
    expect(page.locator('[data-block="procedures.recent"]')).to_contain_text("Quyết định số 2666/QĐ-UBND")
    page.screenshot(path=str(tmp_path / f"procedures-home-{width}.png"), full_page=True)
    problems["home"] = serious_violations(page)
    page.get_by_role("navigation", name="Danh mục của trang").get_by_role("link", name="Thủ tục hành chính").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thủ tục hành chính")
    problems["list"] = serious_violations(page)
    page.get_by_label("Tên hoặc mã thủ tục").fill("cap giay phep xay dung")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.get_by_role("status")).to_contain_text("Tìm thấy 2 thủ tục")
    first = page.locator(".proc-item").first
    expect(first).to_contain_text("Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ")
    expect(page.locator(".proc-list")).not_to_contain_text("Gia hạn giấy phép xây dựng")  # abolished
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, "the results scroll sideways"
    page.screenshot(path=str(tmp_path / f"procedures-search-{width}.png"), full_page=True)
    problems["search"] = serious_violations(page)
    first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(permit.name)
    facts = page.locator(".proc-facts")
    expect(facts).to_contain_text("Bộ phận Một cửa Ủy ban nhân dân cấp xã")
    expect(facts).to_contain_text("15 ngày kể từ ngày nhận đủ hồ sơ hợp lệ")
    expect(facts).to_contain_text("75.000 đồng/giấy phép")
    expect(page.locator("body")).to_contain_text("bưu chính công ích")
    expect(page.get_by_role("link", name="Tra cứu mã 1.009994 trên Cổng Dịch vụ công quốc gia")).to_have_attribute(
        "href", "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html?keyword=1.009994")
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, "the procedure page scrolls sideways"
    page.screenshot(path=str(tmp_path / f"procedures-page-{width}.png"), full_page=True)
    problems["page"] = serious_violations(page)
    page.goto(f"{live_server.url}/cong/tuyen-quang/thu-tuc/moi-cong-bo/")
    page.get_by_role("link", name="Gia hạn giấy phép xây dựng").click()
    expect(page.locator(".proc-abolished")).to_contain_text("Bãi bỏ từ ngày")
    expect(page.locator(".proc-abolished")).to_contain_text("Quyết định số 2666/QĐ-UBND")
    page.screenshot(path=str(tmp_path / f"procedures-abolished-{width}.png"), full_page=True)
    problems["abolished"] = serious_violations(page)
    assert not any(problems.values()), problems
    context.close()
