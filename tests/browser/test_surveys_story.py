"""The satisfaction survey's story: an organiser builds it from the SIPAS template and opens it; a
citizen answers on a 390 px phone (the feedback questions appear only when she says she gave
feedback); two people answer at the one-stop counter's tablet in kiosk mode, the form empty again after
each thank-you screen; the manager publishes the results with their chart; closing counts the
respondents as an output once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cchc.outputs.catalogue import sync_compatibility, sync_output_types
from cchc.outputs.models import OutputRecord
from cchc.portal.models import PublicSite
from cchc.surveys.models import Response, Survey
from tests.browser.accessibility import serious_violations
from tests.browser.sessions import log_in
from tests.factories import make_org_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path("/tmp/story")


def _shot(page, tmp_path, name):
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(tmp_path / f"{name}.png", SHOTS / f"{name}.png")


def _answer_all(page, *, score: str, feedback: str):
    """Touch an answer in every shown question: `score` on the scales, the first choice elsewhere and
    `feedback` ("Có"/"Không") to "did you give feedback"."""
    questions = page.locator("fieldset.sv-question")
    for i in range(questions.count()):
        box = questions.nth(i)
        if not box.is_visible():
            continue
        legend = box.locator("legend").inner_text()
        if box.locator(f'input[type=radio][value="{score}"]').count() and box.locator(".sv-scale").count():
            box.locator(".sv-scale-option").filter(has=page.locator(f'input[value="{score}"]')).click()
        elif "góp ý, phản ánh" in legend:
            box.get_by_label(feedback, exact=True).check()
        elif box.locator("input[type=radio]").count():
            box.locator("input[type=radio]").first.check()


def test_a_satisfaction_survey_from_template_to_published_results(live_server, browser, tmp_path):
    sync_output_types()
    sync_compatibility()
    tree = make_org_tree()
    base = live_server.url
    PublicSite.objects.create(unit=tree.commune_a, slug="ha-giang-1", title="Cải cách hành chính phường Hà Giang 1")

    # 1. The organiser builds the survey from the template and opens it.
    officer = log_in(browser, base, tree.officer_a.username, tree.password)
    officer.goto(f"{base}/khao-sat/")
    form = officer.locator("#survey-create")
    expect(form.get_by_label("Dùng phiếu khảo sát theo Chỉ số hài lòng (SIPAS)")).to_be_checked()
    form.get_by_role("button", name="Tạo cuộc khảo sát").click()
    expect(officer.get_by_role("heading", level=1)).to_contain_text("Khảo sát mức độ hài lòng")
    for area in ("Tiếp cận dịch vụ", "Thủ tục hành chính", "Công chức giải quyết công việc", "Kết quả giải quyết thủ tục",
                 "Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị", "Hài lòng chung"):
        expect(officer.locator(".sv-builder-section .tag", has_text=area)).to_have_count(1)
    # a question of her own, shown only to those who filed online
    q = officer.locator("#question-form")
    q.get_by_label("Mục", exact=True).select_option(label="Thông tin chung")
    q.get_by_label("Câu hỏi", exact=True).fill("Ông/Bà có được hướng dẫn nộp hồ sơ trực tuyến không?")
    q.get_by_label("Loại", exact=True).select_option(label="chọn một")
    q.get_by_label("Các phương án trả lời (mỗi dòng một phương án)").fill("Có\nKhông")
    q.get_by_label("Chỉ hiện khi câu trả lời cho câu").select_option(label="Ông/Bà nộp hồ sơ theo hình thức nào?")
    q.get_by_label("là", exact=True).fill("Trực tuyến trên Cổng dịch vụ công")
    q.get_by_role("button", name="Thêm câu hỏi").click()
    expect(officer.locator(".messages")).to_contain_text("Đã thêm câu hỏi")
    officer.get_by_role("button", name="Mở khảo sát").click()
    expect(officer.locator("#survey-status")).to_have_text("đang mở")
    answer_url = officer.locator("#answer-link").get_attribute("href")
    kiosk_url = officer.locator("#kiosk-link").get_attribute("href")
    _shot(officer, tmp_path, "survey-builder")
    survey = Survey.objects.get()

    # 2. A citizen answers on a 390 px phone.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN").new_page()
    phone.goto(answer_url)
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Khảo sát mức độ hài lòng")
    feedback_scale = phone.locator("fieldset.sv-question", has_text="Cơ quan thông báo kết quả xử lý kịp thời")
    online_question = phone.locator("fieldset.sv-question", has_text="hướng dẫn nộp hồ sơ trực tuyến")
    expect(feedback_scale).to_be_hidden()
    expect(online_question).to_be_hidden()
    phone.get_by_label("Trực tuyến trên Cổng dịch vụ công").check()
    expect(online_question).to_be_visible()
    phone.get_by_label("Trực tiếp tại Bộ phận Một cửa").check()
    expect(online_question).to_be_hidden()
    assert serious_violations(phone) == []
    phone.get_by_role("button", name="Gửi phiếu trả lời").click()  # nothing touched yet
    expect(phone.locator("#sv-errors")).to_contain_text("Còn câu hỏi bắt buộc chưa trả lời")
    _answer_all(phone, score="5", feedback="Có")
    expect(feedback_scale).to_be_visible()
    _answer_all(phone, score="5", feedback="Có")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the form is {width}px wide on a 390px phone"
    _shot(phone, tmp_path, "survey-phone-390")
    phone.get_by_role("button", name="Gửi phiếu trả lời").click()
    expect(phone.locator("#sv-thanks")).to_be_visible()
    phone.goto(answer_url)
    expect(phone.locator("#sv-already")).to_be_visible()
    assert Response.objects.filter(channel="web").count() == 1

    # 3. Two people at the counter's tablet, kiosk mode: no login, the form resets after each answer.
    tablet = browser.new_context(viewport={"width": 1024, "height": 768}, locale="vi-VN", has_touch=True).new_page()
    tablet.goto(kiosk_url)
    expect(tablet.locator(".pub-nav")).to_have_count(0)
    box = tablet.locator(".sv-scale-option").first.bounding_box()
    assert box["height"] >= 90 and box["width"] >= 90, box
    assert serious_violations(tablet) == []
    _answer_all(tablet, score="4", feedback="Không")
    _shot(tablet, tmp_path, "survey-kiosk")
    tablet.get_by_role("button", name="Gửi phiếu trả lời").click()
    expect(tablet.locator("#sv-thanks")).to_be_visible()
    _shot(tablet, tmp_path, "survey-kiosk-thanks")
    tablet.wait_for_url(kiosk_url, timeout=15_000)  # back by itself after the thank-you screen
    expect(tablet.locator("input:checked")).to_have_count(0)
    _answer_all(tablet, score="2", feedback="Không")
    tablet.get_by_role("button", name="Gửi phiếu trả lời").click()
    tablet.get_by_role("link", name="Người tiếp theo").click()
    expect(tablet.locator("input:checked")).to_have_count(0)
    assert Response.objects.filter(channel="kiosk").count() == 2

    # 4. The manager publishes the results with their chart; the officer closes the survey.
    manager = log_in(browser, base, tree.manager_a.username, tree.password)
    manager.goto(f"{base}/khao-sat/{survey.pk}/ket-qua/")
    expect(manager.locator("#results-count")).to_contain_text("3 phiếu trả lời")
    # by hand: access 5,5,5 · 4,4,4 · 2,2,2 → 6/9; procedure 8/12; staff 10/15; result 4/6 → 66.7 %;
    # feedback only the citizen's 4 answers of 5 → 100 %; index = (4 × 66.67 + 100) / 5 = 73.3
    expect(manager.locator("#sv-index")).to_have_text("73,3")
    expect(manager.locator("#sv-overall")).to_have_text("66,7")
    manager.get_by_role("button", name="Công bố kết quả trên trang công khai").click()
    expect(manager.locator(".messages")).to_contain_text("Đã công bố kết quả")
    officer.goto(f"{base}/khao-sat/{survey.pk}/")
    officer.get_by_role("button", name="Đóng khảo sát").click()
    expect(officer.locator("#survey-status")).to_have_text("đã đóng")
    record = OutputRecord.objects.get(source="surveys.survey")
    assert record.people_reached == 3 and record.output_type.code == "satisfaction_survey"

    phone.goto(f"{base}/cong/ha-giang-1/khao-sat/")
    phone.get_by_role("link", name="Kết quả khảo sát").click()
    expect(phone.locator("#sv-chart svg")).to_be_visible()
    expect(phone.locator("#sv-index")).to_have_text("73,3")
    expect(phone.locator("#sv-formula")).to_contain_text("trung bình cộng tỷ lệ của 5 yếu tố")
    assert serious_violations(phone) == []
    _shot(phone, tmp_path, "survey-results-390")
