"""The plan page of seed 004 at province size in headless Chromium, at 1280 px and 390 px: groups of
units opened on demand, the units' own plans filtered, no page wider than the phone, the menu behind
one button, the task list on the officer's unit."""

from __future__ import annotations


import pytest
from playwright.sync_api import expect

from cchc.org.models import Unit
from tests.factories import UnitFactory, make_org_tree
from tests.public_documents import SEED_004

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _log_in(page, base, username, password):
    page.context.clear_cookies()
    page.goto(f"{base}/tai-khoan/dang-nhap/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/")


def _wider_than_viewport(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_province_plan_page_at_desktop_and_phone_widths(page, live_server, tmp_path):
    from cchc.documents import parse_text
    from cchc.plans import services

    tree = make_org_tree()
    for i in range(10):
        UnitFactory(code=f"T7{i:03d}", name=f"Xã Thử Nghiệm {i}", kind=Unit.Kind.COMMUNE, parent=tree.province)
    parsed = parse_text(SEED_004.read_text(encoding="utf-8"))
    plan = services.plan_issue(plan=services.plan_import(user=tree.supervisor, owner=tree.province, parsed=parsed),
                               user=tree.supervisor)
    base, url = live_server.url, f"{live_server.url}/ke-hoach/{plan.pk}/"

    _log_in(page, base, "giamsat", tree.password)
    page.goto(url)
    # the communes a task names are one group, listed when opened
    group = page.locator("details.unit-group").filter(has_text="(12)").first
    expect(group).to_be_visible()
    expect(group.get_by_text("Xã Thử Nghiệm 7")).to_be_hidden()
    group.locator("summary").click()
    expect(group.get_by_text("Xã Thử Nghiệm 7")).to_be_visible()
    # the supervisor is not offered to make the plan of every unit
    assert page.locator("form[action$='/ke-hoach-con/']").count() == 0
    # the units' own plans: filter those without one among the communes
    page.locator("select[name=cov]").select_option("missing")
    page.locator("select[name=kind]").select_option("communes")
    page.locator("#coverage form button[type=submit]").click()
    rows = page.locator("#coverage tbody tr")
    expect(rows).to_have_count(12)
    page.screenshot(path=str(tmp_path / "plan-1280.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    assert not _wider_than_viewport(page)
    menu = page.locator(".menu-toggle")
    expect(page.locator("#main-nav")).to_be_hidden()
    menu.click()
    expect(page.locator("#main-nav")).to_be_visible()
    page.screenshot(path=str(tmp_path / "plan-390.png"), full_page=True)

    # the commune officer's task list opens on their commune, and fits the phone
    _log_in(page, base, "xa.canbo", tree.password)
    page.goto(f"{base}/ke-hoach/nhiem-vu/")
    expect(page.locator("select[name=unit]")).to_have_value(str(tree.commune_a.pk))
    expect(page.locator("select[name=period] option").first).to_have_text("Tất cả")
    assert not _wider_than_viewport(page)
    # the officer is offered their own commune's plan on the plan page, and no other
    page.goto(url)
    offered = page.locator("form[action$='/ke-hoach-con/'] input[name=unit]")
    expect(offered).to_have_count(1)
    expect(offered).to_have_value(str(tree.commune_a.pk))
