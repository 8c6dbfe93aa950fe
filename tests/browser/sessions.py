"""A browser session of a user, logged in through the login page, for the browser tests."""

from playwright.sync_api import expect


def log_in(browser, base_url, username, password, width=1280):
    """A new page, at `width` px, of `username` logged in (downloads accepted)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN", accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{base_url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
    return page
