"""Numbers that are true, seen in Chromium (issue 9, points 1, 2, 5, 6): a commune officer records a
training of 42 people against '01 lớp, 40 người' and a TV report against '4 bài' through the form;
the plan page shows the tasks' progress by outputs beside the officer's own; the dashboard shows
42/40 people and 1/1 class; an out-of-bounds quantity is refused with the limit named."""


import pytest
from playwright.sync_api import expect

from tests.factories import make_org_tree

from tests.browser.sessions import log_in as _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _world():
    from cchc.outputs.catalogue import sync_compatibility, sync_output_types
    from cchc.plans import services as plan_services
    from cchc.reports import services

    sync_output_types()
    sync_compatibility()
    tree = make_org_tree()
    plan = plan_services.plan_create(
        user=tree.supervisor, owner=tree.province, title="Kế hoạch tuyên truyền cải cách hành chính năm 2026",
        number="12/KH-UBND", plan_year=2026, reporting={"periods": [], "deadlines": [], "recipient": None, "text": None},
    )
    training = plan_services.task_create(
        plan=plan, user=tree.supervisor, title="Tập huấn kỹ năng tuyên truyền cải cách hành chính",
        lead_units=[tree.commune_a],
        targets=[{"quantity": 1, "unit": "lớp", "text": "01 lớp"}, {"quantity": 40, "unit": "người", "text": "40 người"}],
    )
    articles = plan_services.task_create(
        plan=plan, user=tree.supervisor, title="Tuyên truyền cải cách hành chính trên báo chí, phát thanh, truyền hình",
        lead_units=[tree.commune_a], targets=[{"quantity": 4, "unit": "bài", "text": "4 bài"}],
    )
    plan = plan_services.plan_issue(plan=plan, user=tree.supervisor)
    periods = {p.code: p for p in services.periods_generate(plan=plan, user=tree.supervisor)}
    return tree, plan, training, articles, periods["Q1"]


def _record(page, base_url, unit, serves, type_code, *, people="", quantity="1", date="10/02/2026"):
    page.goto(f"{base_url}/san-pham/don-vi/{unit.code}/them/")
    page.locator("#id_serves").select_option(serves)
    page.locator("#id_output_type").select_option(page.locator(f'#id_output_type option[data-code="{type_code}"]').get_attribute("value"))
    page.locator("#id_date").fill(date)
    page.locator("#id_title").fill("Sản phẩm tuyên truyền cải cách hành chính")  # the name is required
    page.locator("#id_quantity").fill(quantity)
    page.locator("#id_people_reached").fill(people)
    page.locator("form:has(#id_serves) button[type=submit]").first.click()


def test_people_articles_progress_and_bounds_in_the_browser(live_server, browser, tmp_path):
    tree, plan, training, articles, q1 = _world()
    classes, people = training.targets.order_by("order")
    page = _log_in(browser, live_server.url, tree.officer_a.username, tree.password)
    _record(page, live_server.url, tree.commune_a, f"g:{classes.pk}", "training_class", people="42")
    _record(page, live_server.url, tree.commune_a, f"t:{articles.pk}", "tv_report")
    # a quantity the database cannot hold is refused with the limit named
    _record(page, live_server.url, tree.commune_a, f"t:{articles.pk}", "tv_report", quantity="99999999999999")
    expect(page.locator("body")).to_contain_text("Số lượng tối đa là 1.000.000.")
    page.screenshot(path=str(tmp_path / "form-bounds.png"), full_page=True)

    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/")
    training_row = page.locator("tr", has_text="Tập huấn kỹ năng")
    expect(training_row.locator("strong.measured")).to_have_text("100%")  # 1/1 lớp, 42/40 người (capped)
    expect(page.locator("tr", has_text="trên báo chí").locator("strong.measured")).to_have_text("25%")  # 1 of 4 bài
    page.screenshot(path=str(tmp_path / "plan-page.png"), full_page=True)

    sup = _log_in(browser, live_server.url, tree.supervisor.username, tree.password)
    sup.goto(f"{live_server.url}/bao-cao/ky/{q1.pk}/tong-hop/")
    rows = sup.locator("#targets tbody tr")
    cells = [[c.strip() for c in rows.nth(i).locator("td").all_inner_texts()] for i in range(rows.count())]
    by_target = {row[1]: row[2:4] for row in cells}
    assert by_target["01 lớp"] == ["1", "1"] and by_target["40 người"] == ["40", "42"] and by_target["4 bài"] == ["4", "1"]
    sup.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
