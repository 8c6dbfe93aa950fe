"""A citizen on a 390 px phone opens the bulletin archive, reads an issue, subscribes and confirms by
the link mailed to them; no page scrolls sideways and axe-core finds no serious or critical
violation. The manager then sends the issue and the subscriber's mail carries the one-click link."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from cchc.bulletins import services
from cchc.bulletins.models import Subscriber
from cchc.outputs.catalogue import sync_output_types
from cchc.portal.models import PublicSite
from tests.browser.accessibility import serious_violations
from tests.bulletins.conftest import make_article
from tests.factories import make_org_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_citizen_reads_an_issue_and_subscribes_on_a_phone(live_server, browser):
    sync_output_types()
    tree = make_org_tree()
    site = PublicSite.objects.create(unit=tree.commune_a, slug="ha-giang-1", title="Cải cách hành chính phường Hà Giang 1")
    article = make_article(tree.commune_a, "Phường Hà Giang 1 rút ngắn thủ tục hành chính")
    issue = services.issue_create(site=site, user=tree.manager_a)
    services.issue_update(issue=issue, user=tree.manager_a, title="Chuyên đề dịch vụ công trực tuyến",
                          intro="Bản tin giới thiệu kết quả Cải cách hành chính.", closing="", article_ids=[article.pk])
    services.issue_publish(issue=issue, user=tree.manager_a, base_url=f"{live_server.url}/cong/ha-giang-1/")
    mail.outbox.clear()

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = context.new_page()
    problems = {}

    def check(name):
        assert page.evaluate("document.documentElement.scrollWidth") <= 391, f"{name} scrolls sideways"
        problems[name] = serious_violations(page)

    page.goto(f"{live_server.url}/cong/ha-giang-1/")
    page.get_by_role("navigation", name="Danh mục của trang").get_by_role("link", name="Bản tin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bản tin cải cách hành chính")
    check("archive")
    page.get_by_role("link", name=issue.label).click()
    expect(page.locator("main")).to_contain_text("Phường Hà Giang 1 rút ngắn thủ tục hành chính")
    check("issue")

    page.get_by_role("link", name="Nhận bản tin qua thư điện tử").first.click()
    page.get_by_label("Địa chỉ thư điện tử của bạn").fill("sai-dia-chi")
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_role("alert")).to_contain_text("không phải là địa chỉ thư điện tử")
    check("subscribe with an error")
    page.get_by_label("Địa chỉ thư điện tử của bạn").fill("cong.dan@example.vn")
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra hộp thư của bạn")
    check("sent")
    assert [m.to for m in mail.outbox] == [["cong.dan@example.vn"]]
    link = re.search(r"(http://\S+/xac-nhan/\S+/)", mail.outbox[0].body).group(1)
    page.goto(link)
    page.locator("#confirm-subscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký của bạn đã được xác nhận")
    check("confirmed")
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED
    assert not any(problems.values()), problems
    context.close()

    mail.outbox.clear()
    services.sending_start(issue=issue, user=tree.manager_a, base_url=f"{live_server.url}/cong/ha-giang-1/")
    to_citizen = next(m for m in mail.outbox if m.to == ["cong.dan@example.vn"])
    assert to_citizen.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
