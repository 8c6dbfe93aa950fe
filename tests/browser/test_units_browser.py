"""Real headless Chromium against a live server: log in, search the tree without accents, open a unit.

The tests build their own small tree (the live server needs committed data, so the database is
flushed after each test; they run after the tests that roll back).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_org_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def log_in(page, base_url, username, password):
    page.goto(f"{base_url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")


def search_and_open(page, query, link_name):
    page.get_by_role("navigation", name="Menu chính").get_by_role("link", name="Đơn vị").click()
    page.get_by_label("Tìm đơn vị theo tên, tên viết tắt hoặc mã").fill(query)
    page.get_by_role("button", name="Tìm kiếm").click()
    results = page.get_by_role("region", name=re.compile("khớp với"))
    results.get_by_role("link", name=link_name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(link_name)


def test_supervisor_logs_in_searches_without_accents_and_opens_a_unit(page, live_server):
    tree = make_org_tree()
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "giamsat", tree.password)
    search_and_open(page, "so noi vu", "Sở Nội vụ")
    # The unit page: facts, breadcrumb with the province, the division below it.
    expect(page.locator("dl.facts")).to_contain_text("T08.SNV")
    breadcrumb = page.get_by_role("navigation", name="Đường dẫn")
    expect(breadcrumb.get_by_role("link", name="Tỉnh Tuyên Quang")).to_be_visible()
    expect(breadcrumb.locator('[aria-current="page"]')).to_have_text("Sở Nội vụ")
    expect(page.get_by_role("link", name="Phòng Cải cách hành chính")).to_be_visible()
    # The stylesheet is served: the header carries the brand colour, not the browser's default.
    header_colour = page.locator("header.site-header").evaluate("el => getComputedStyle(el).backgroundColor")
    assert header_colour == "rgb(155, 28, 28)", "cchc/static/cchc/app.css was not served"
    page.screenshot(path="/tmp/cchc-unit-desktop.png", full_page=True)
    # The old province rolls up into the new one.
    search_and_open(page, "ha giang", "Tỉnh Hà Giang")
    expect(page.get_by_role("note")).to_contain_text("Tỉnh Tuyên Quang")


def test_officer_on_a_phone_finds_only_their_commune(page, live_server):
    tree = make_org_tree()
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, "xa.canbo", tree.password)
    # On a phone the menu folds behind one button.
    menu = page.get_by_role("button", name="Danh mục")
    expect(page.get_by_role("link", name="Đơn vị", exact=True)).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    page.get_by_role("link", name="Đơn vị", exact=True).first.click()
    page.get_by_label("Tìm đơn vị theo tên, tên viết tắt hoặc mã").fill("dong van")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.get_by_text("Không có đơn vị nào khớp")).to_be_visible()
    page.get_by_label("Tìm đơn vị theo tên, tên viết tắt hoặc mã").fill("ha giang")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.get_by_role("link", name="Phường Hà Giang 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Phường Hà Giang 1")
    # Nothing is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path="/tmp/cchc-unit-phone.png", full_page=True)
    # Forbidden answers like missing.
    response = page.goto(f"{live_server.url}/don-vi/{tree.commune_b.code}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")


def test_keyboard_user_can_skip_to_content_and_sees_focus(page, live_server):
    tree = make_org_tree()
    log_in(page, live_server.url, "xem", tree.password)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Bỏ qua, đến nội dung chính")
    expect(skip).to_be_focused()
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"
