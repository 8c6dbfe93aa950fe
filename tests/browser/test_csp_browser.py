"""Pages work under the Content-Security-Policy: Chromium reports no violation, and the scripts that
carry the nonce or come from static files run (the js class, the unit picker's search box, the menu
button); the progress bars and the timeline keep their layout without style attributes."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import make_org_tree
from tests.plans.conftest import small_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    return problems


def _log_in(page, base, username, password):
    """Logs in through the login page; returns that page's response."""
    page.context.clear_cookies()
    response = page.goto(f"{base}{reverse('accounts:login')}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/")
    return response


def test_pages_run_under_the_policy_without_violations(page, live_server):
    from cchc.plans import services

    tree = make_org_tree()
    plan = services.plan_import(user=tree.supervisor, owner=tree.province, parsed=small_document())
    task = plan.tasks.order_by("order").first()
    base = live_server.url
    problems = _watch(page)

    policy = _log_in(page, base, "giamsat", tree.password).headers["content-security-policy"]
    assert "'nonce-" in policy and "'unsafe-inline'" not in policy
    assert page.evaluate("document.documentElement.classList.contains('js')")  # the nonce'd head script ran

    page.goto(f"{base}{reverse('plans:task_edit', args=[task.pk])}")  # a draft's task can be edited
    expect(page.locator("input[type=search]").first).to_be_attached()  # the picker script (nonce) ran
    plan = services.plan_issue(plan=plan, user=tree.supervisor)

    page.goto(f"{base}{reverse('plans:detail', args=[plan.pk])}")
    bar = page.locator("span.progress").first
    expect(bar).to_be_visible()
    assert bar.locator("svg").bounding_box()["width"] > 20  # the bar's box is drawn from the stylesheet

    page.goto(f"{base}{reverse('plans:timeline', args=[plan.pk])}")
    labels = page.locator(".timeline .label")
    bars = page.locator(".timeline .bar")
    expect(labels.first).to_be_visible()
    # Each task's bar sits on its own label's row, to the right of it (grid placement without style="").
    for i in range(min(labels.count(), bars.count())):
        label, bar_box = labels.nth(i).bounding_box(), bars.nth(i).bounding_box()
        assert abs(label["y"] - bar_box["y"]) < label["height"] and bar_box["x"] > label["x"] + label["width"] - 1

    # The menu button (static app.js) opens the menu on a phone.
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{base}/")
    toggle = page.locator(".menu-toggle")
    if toggle.is_visible():
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The system administrator's pages, the Django admin among them.
    _log_in(page, base, "admin", tree.password)
    page.goto(f"{base}{reverse('accounts:lockouts')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tài khoản bị khóa")
    page.goto(f"{base}{reverse('admin:accounts_user_changelist')}")
    expect(page.locator("#changelist")).to_be_visible()

    assert problems == []
