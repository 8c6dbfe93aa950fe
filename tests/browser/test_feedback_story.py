"""Citizens' feedback end to end, as its users meet it.

A citizen on a phone (390 px) sends, on the province's public site, a petition about a procedure she
names without accents, with a scanned letter attached, and gets a tracking code. A commune officer
enters a petition that came by phone three weeks ago and was never handled. The province's CCHC
officer transfers the first to the Department of Home Affairs, whose officer drafts the answer and
whose manager approves it (with the public text, without personal data), sends it and publishes it.
The citizen reads the answer with her code and phone number, and finds it among the published answers
by typing without accents. The phone petition, past its deadline, shows as overdue in the officers'
inbox, on the period's dashboard and in the commune's report. The public pages have no serious or
critical axe violation and do not scroll sideways on the phone.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from cchc.core import workdays
from cchc.feedback.models import Attachment, Item, Status
from cchc.org.models import Membership
from cchc.portal.models import PublicContact, PublicSite
from cchc.procedures.models import Procedure
from tests.browser.accessibility import serious_violations
from tests.browser.sessions import log_in
from tests.factories import MembershipFactory, UserFactory, make_org_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PROCEDURE = "Cấp giấy phép xây dựng nhà ở riêng lẻ"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _world():
    from cchc.plans import services as plan_services
    from cchc.reports import services as report_services

    tree = make_org_tree()
    site = PublicSite.objects.create(unit=tree.province, slug="tuyen-quang", hotline="0207 3822 555",
                                     title="Chuyên trang Cải cách hành chính tỉnh Tuyên Quang")
    PublicContact.objects.create(site=site, name="Phòng Cải cách hành chính, Sở Nội vụ", phone="0207 3822 556",
                                 email="cchc@tuyenquang.gov.vn", is_leader=True)
    Procedure.objects.create(unit=tree.province, name=PROCEDURE, code="1.009994", field="Hoạt động xây dựng")
    Procedure.objects.create(unit=tree.province, name="Đăng ký khai sinh", code="1.001193", field="Hộ tịch")
    manager = UserFactory(username="snv.quanly", full_name="Đỗ Văn Trưởng")
    MembershipFactory(user=manager, unit=tree.dept, role=Membership.Role.MANAGER)
    today = workdays.today()
    year = today.year + (1 if (today.month, today.day) > (12, 14) else 0)  # the year whose report holds today
    plan = plan_services.plan_create(user=tree.supervisor, owner=tree.province, number="12/KH-UBND", plan_year=year,
                                     title=f"Kế hoạch tuyên truyền cải cách hành chính năm {year}",
                                     reporting={"periods": ["Y"], "recipient": "Sở Nội vụ"})
    plan_services.task_create(plan=plan, user=tree.supervisor, title="Tiếp nhận, trả lời phản ánh, kiến nghị",
                              lead_units=[tree.commune_a])
    plan = plan_services.plan_issue(plan=plan, user=tree.supervisor)
    periods = report_services.periods_generate(plan=plan, user=tree.supervisor)
    period = next(p for p in periods if p.start <= today <= p.end)
    return tree, period


def _no_sideways(page, what):
    assert page.evaluate("document.documentElement.scrollWidth") <= 391, f"{what} scrolls sideways at 390 px"


def test_a_petition_goes_from_a_citizen_to_a_published_answer_and_lateness_shows(
        live_server, browser, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    tree, period = _world()
    base = live_server.url
    problems = {}

    # 1. A citizen on her phone sends a petition about a procedure she names without accents.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True)
    phone.set_default_timeout(15_000)
    citizen = phone.new_page()
    citizen.goto(f"{base}/cong/tuyen-quang/")
    citizen.get_by_role("navigation", name="Danh mục của trang").get_by_role("link", name="Phản ánh, kiến nghị").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Phản ánh, kiến nghị")
    problems["answers (empty)"] = serious_violations(citizen)
    citizen.locator("main").get_by_role("link", name="Gửi phản ánh, kiến nghị").first.click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Gửi phản ánh, kiến nghị")
    _no_sideways(citizen, "the form")
    problems["form"] = serious_violations(citizen)
    citizen.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()  # nothing filled in
    expect(citizen.locator("#fb-errors")).to_contain_text("chưa được gửi")
    expect(citizen.locator("main")).to_contain_text("Hãy viết họ và tên của bạn.")
    problems["form with errors"] = serious_violations(citizen)
    citizen.get_by_label("Họ và tên", exact=True).fill("Nguyễn Thị Dân")
    citizen.get_by_label("Số điện thoại", exact=True).fill("0912 345 678")
    citizen.get_by_label("Tiêu đề", exact=True).fill("Hồ sơ xin giấy phép xây dựng quá hạn")
    citizen.get_by_label("Thủ tục hành chính liên quan (không bắt buộc)").fill("cap giay phep xay dung nha o")
    citizen.get_by_label("Nội dung phản ánh, kiến nghị").fill(
        "Tôi nộp hồ sơ xin cấp giấy phép xây dựng nhà ở từ ngày 02/10 nhưng đến nay chưa có kết quả.")
    citizen.get_by_label("Tệp đính kèm (không bắt buộc)").set_input_files(
        {"name": "giay-hen.pdf", "mimeType": "application/pdf", "buffer": PDF})
    citizen.locator("#id_consent_data").check()
    citizen.locator("#id_consent_publish").check()
    citizen.screenshot(path=str(tmp_path / "feedback-form-390.png"), full_page=True)
    citizen.get_by_role("button", name="Gửi phản ánh, kiến nghị").dblclick()  # an impatient double click
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Phản ánh, kiến nghị của bạn đã được tiếp nhận")
    code = citizen.locator("#fb-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{10}", code), code
    item = Item.objects.get(code=code)
    assert item.procedure.name == PROCEDURE and item.receiving_unit == tree.province
    assert Attachment.objects.filter(item=item, original_name="giay-hen.pdf").exists()
    expect(citizen.locator("main")).to_contain_text(item.reply_due.strftime("%d/%m/%Y"))
    expect(citizen.locator("main")).to_contain_text("14 ngày làm việc")
    _no_sideways(citizen, "the page with the code")
    problems["code"] = serious_violations(citizen)
    citizen.screenshot(path=str(tmp_path / "feedback-code-390.png"), full_page=True)
    assert Item.objects.count() == 1

    # 2. A commune officer enters a petition that came by phone three weeks ago.
    received = workdays.today() - dt.timedelta(days=21)
    commune = log_in(browser, base, "xa.canbo", tree.password)
    commune.goto(f"{base}/phan-anh/nhap/")
    form = commune.locator("main form")
    form.locator("select[name=channel]").select_option("phone")
    form.locator("input[name=received_on]").fill(received.strftime("%d/%m/%Y"))
    form.locator("input[name=name]").fill("Hoàng Văn Gọi")
    form.locator("input[name=phone]").fill("0987 111 222")
    form.locator("input[name=subject]").fill("Chứng thực bản sao phải chờ lâu")
    form.locator("textarea[name=content]").fill("Người dân gọi đường dây nóng phản ánh phải chờ chứng thực cả buổi sáng.")
    form.locator("button[type=submit]").click()
    expect(commune.locator("#item-status")).to_be_visible()
    phoned = Item.objects.get(channel="phone")
    assert phoned.received_on == received and phoned.receiving_unit == tree.commune_a
    expect(commune.locator("#overdue")).to_be_visible()  # its classification was due long ago
    commune.screenshot(path=str(tmp_path / "feedback-phone-entry.png"), full_page=True)

    # 3. The province's CCHC officer transfers the citizen's petition to the Department of Home Affairs.
    province = log_in(browser, base, "giamsat", tree.password)
    province.goto(f"{base}/phan-anh/{item.pk}/")
    expect(province.locator("#personal-data")).to_contain_text("0912345678")
    province.locator("#transfer select[name=to_unit]").select_option(label="Sở Nội vụ")
    province.locator("#transfer textarea[name=reason]").fill("Thuộc thẩm quyền trả lời của Sở Nội vụ theo phân cấp.")
    province.locator("#transfer button[type=submit]").click()
    expect(province.locator("#handling-unit")).to_have_text("Sở Nội vụ")

    # 4. The department's officer drafts the answer.
    officer = log_in(browser, base, "snv.canbo", tree.password)
    officer.goto(f"{base}/phan-anh/{item.pk}/")
    officer.locator("#draft textarea[name=text]").fill(
        "Kính gửi bà Nguyễn Thị Dân: hồ sơ của bà đã được giải quyết, giấy phép được trả ngày 05/12.")
    officer.locator("#draft button[type=submit]").click()
    expect(officer.locator("#answer-text")).to_contain_text("giấy phép được trả")

    # 5. Its manager approves the answer with its public text, sends it and publishes it.
    manager = log_in(browser, base, "snv.quanly", tree.password)
    manager.goto(f"{base}/phan-anh/{item.pk}/")
    approve = manager.locator("#approve")
    approve.locator("input[name=public_title]").fill("Thời hạn cấp giấy phép xây dựng nhà ở riêng lẻ")
    approve.locator("textarea[name=public_question]").fill(
        "Hồ sơ xin cấp giấy phép xây dựng nhà ở nộp đã hơn hai tháng chưa có kết quả?")
    approve.locator("textarea[name=public_text]").fill(
        "Thời hạn giải quyết là 15 ngày làm việc; hồ sơ nêu trong phản ánh đã được giải quyết và trả kết quả.")
    approve.locator("button[type=submit]").click()
    expect(manager.locator("#item-status")).to_have_text("đã trả lời")
    manager.locator("#publish button[type=submit]").click()
    expect(manager.locator("#item-status")).to_have_text("đã trả lời và công khai")
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED

    # 6. The citizen reads the answer with her code and phone number, then finds it published.
    citizen.goto(f"{base}/cong/tuyen-quang/phan-anh-kien-nghi/tra-cuu/")
    citizen.get_by_label("Mã tra cứu").fill(code.lower())
    citizen.get_by_label("Số điện thoại hoặc e-mail bạn đã cung cấp").fill("+84 912 345 678")
    citizen.get_by_role("button", name="Tra cứu").click()
    expect(citizen.locator("#fb-status")).to_have_text("Đã trả lời và công khai")
    expect(citizen.locator("#fb-answer")).to_contain_text("giấy phép được trả ngày 05/12")
    expect(citizen.locator("#fb-result")).to_contain_text("Sở Nội vụ")
    expect(citizen.locator("#fb-result")).to_contain_text("Đã công khai câu hỏi và câu trả lời")
    _no_sideways(citizen, "the tracking page")
    problems["tracking"] = serious_violations(citizen)
    citizen.screenshot(path=str(tmp_path / "feedback-answer-390.png"), full_page=True)
    citizen.get_by_role("link", name="Câu hỏi và câu trả lời đã công khai").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Thời hạn cấp giấy phép xây dựng nhà ở riêng lẻ")
    expect(citizen.locator("main")).not_to_contain_text("Nguyễn Thị Dân")
    problems["published answer"] = serious_violations(citizen)
    citizen.goto(f"{base}/cong/tuyen-quang/phan-anh-kien-nghi/")
    citizen.get_by_label("Từ trong câu hỏi hoặc câu trả lời").fill("giay phep xay dung")
    citizen.get_by_role("button", name="Tìm kiếm").click()
    expect(citizen.locator(".fb-list")).to_contain_text("Thời hạn cấp giấy phép xây dựng nhà ở riêng lẻ")
    for private in ("Nguyễn Thị Dân", "0912", code):
        expect(citizen.locator("main")).not_to_contain_text(private)
    _no_sideways(citizen, "the published answers")
    problems["answers"] = serious_violations(citizen)
    citizen.goto(f"{base}/cong/tuyen-quang/phan-anh-kien-nghi/duong-day-nong/")
    expect(citizen.locator("main")).to_contain_text("0207 3822 556")
    problems["hotlines"] = serious_violations(citizen)
    citizen.goto(f"{base}/cong/tuyen-quang/")
    expect(citizen.locator('[data-block="feedback"]')).to_contain_text("Thời hạn cấp giấy phép xây dựng")
    problems["home"] = serious_violations(citizen)
    assert not any(problems.values()), problems

    # 7. The phone petition is overdue: in the inbox, on the period's dashboard and in the commune's report.
    province.goto(f"{base}/phan-anh/?overdue=on")
    expect(province.locator("main")).to_contain_text(phoned.code)
    expect(province.locator("main")).not_to_contain_text(code)
    province.goto(f"{base}/bao-cao/ky/{period.pk}/tong-hop/")
    stats = province.locator("#dashboard-stats")
    expect(stats).to_contain_text("Phản ánh, kiến nghị quá hạn đến hôm nay")
    overdue = stats.locator("dt", has_text="quá hạn đến hôm nay").locator("xpath=following-sibling::dd[1]")
    expect(overdue).to_have_text("1")
    province.screenshot(path=str(tmp_path / "feedback-dashboard.png"), full_page=True)
    commune.goto(f"{base}/bao-cao/ky/{period.pk}/don-vi/{tree.commune_a.code}/")
    report_overdue = commune.locator("#report-stats dt", has_text="quá hạn đến hôm nay").locator(
        "xpath=following-sibling::dd[1]")
    expect(report_overdue).to_have_text("1")
    commune.screenshot(path=str(tmp_path / "feedback-report.png"), full_page=True)
    for context in (phone, commune.context, province.context, officer.context, manager.context):
        context.close()
