"""The public side's whole story (issue of the CCHC section): a commune officer writes an article with
an image, the commune's manager publishes it and offers it to the province site, the province editor
accepts; a citizen on a 390 px phone finds it by searching without accents, reads it and subscribes
to the bulletin; the bulletin is composed and sent (the outbox holds it) and its PDF keeps every
diacritic; the commune's report for the period shows the article counted without anyone typing it."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pdfplumber
import pytest
from django.core import mail
from PIL import Image
from playwright.sync_api import expect

from cchc.bulletins import services as bulletins
from cchc.news.models import Article, Category
from cchc.outputs.catalogue import sync_compatibility, sync_output_types
from cchc.outputs.models import OutputRecord
from cchc.plans import services as plan_services
from cchc.portal.models import PublicSite
from cchc.reports import services as report_services
from tests.browser.accessibility import serious_violations
from tests.browser.sessions import log_in
from tests.factories import make_org_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Phường Hà Giang 1 đưa 100% thủ tục hành chính lên dịch vụ công trực tuyến"
SHOTS = Path("/tmp/story")


def _cover(path: Path) -> Path:
    image = Image.new("RGB", (1600, 900), (160, 28, 28))
    image.save(path, "JPEG", quality=80)
    return path


def _shot(page, tmp_path, name):
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(tmp_path / f"{name}.png", SHOTS / f"{name}.png")


def test_an_article_goes_from_a_commune_to_the_province_site_to_a_citizen_and_counts(live_server, browser, tmp_path):
    sync_output_types()
    sync_compatibility()
    Category.objects.get_or_create(slug="tin-hoat-dong", defaults={"name": "Tin hoạt động"})  # seeded by a migration
    tree = make_org_tree()
    base = live_server.url
    province_site = PublicSite.objects.create(unit=tree.province, slug="tuyen-quang",
                                              title="Chuyên trang Cải cách hành chính tỉnh Tuyên Quang")
    plan = plan_services.plan_create(user=tree.supervisor, owner=tree.province, plan_year=2026, number="12/KH-UBND",
                                     title="Kế hoạch tuyên truyền cải cách hành chính năm 2026",
                                     reporting={"periods": ["Q1", "Q2", "Q3", "Q4", "Y"], "recipient": "Sở Nội vụ"})
    task = plan_services.task_create(plan=plan, user=tree.supervisor, title="Đăng tin, bài về CCHC trên trang thông tin điện tử",
                                     lead_units=[tree.commune_a],
                                     targets=[{"quantity": 12, "unit": "tin, bài", "per": "year", "text": "12 tin, bài/năm"}])
    plan = plan_services.plan_issue(plan=plan, user=tree.supervisor)
    periods = report_services.periods_generate(plan=plan, user=tree.supervisor)

    # 1. The commune officer writes the article with a cover image and sends it for publishing.
    officer = log_in(browser, base, tree.officer_a.username, tree.password)
    officer.goto(f"{base}/tin-bai/moi/?don-vi={tree.commune_a.code}")
    officer.get_by_label("tiêu đề", exact=True).fill(TITLE)
    officer.get_by_label("sapo (đoạn mở đầu)").fill("Người dân phường nộp hồ sơ trực tuyến, không phải đến trụ sở.")
    officer.locator(".ProseMirror[contenteditable=true]").click()
    officer.keyboard.type("Từ tháng 3, mọi thủ tục hành chính của phường được giải quyết trực tuyến toàn trình.")
    officer.get_by_label("ảnh đại diện", exact=True).set_input_files(str(_cover(tmp_path / "anh-bia.jpg")))
    officer.get_by_label("mô tả ảnh đại diện").fill("Bộ phận một cửa phường Hà Giang 1")
    officer.get_by_label("chuyên mục").select_option(index=1)
    officer.get_by_role("button", name="Lưu", exact=True).click()
    expect(officer.get_by_role("heading", level=1)).to_have_text(TITLE)
    officer.get_by_role("button", name="Gửi duyệt đăng").click()
    article = Article.objects.get(title=TITLE)
    assert article.status == "submitted" and article.cover and article.cover_480
    assert "Từ tháng 3, mọi thủ tục hành chính" in article.body

    # 2. The commune's manager publishes it and offers it to the province site.
    manager = log_in(browser, base, tree.manager_a.username, tree.password)
    manager.goto(f"{base}/tin-bai/{article.pk}/")
    manager.get_by_role("button", name="Đăng ngay").click()
    expect(manager.locator("body")).to_contain_text("đã đăng")
    manager.get_by_role("button", name="Đề xuất").click()
    # 3. The province editor accepts it on the province site.
    editor = log_in(browser, base, tree.supervisor.username, tree.password)
    editor.goto(f"{base}/tin-bai/")
    editor.get_by_role("button", name="Chấp nhận").click()
    expect(editor.get_by_role("status")).to_contain_text("Tin bài đã được đăng trên Chuyên trang Cải cách hành chính tỉnh Tuyên Quang")

    # 4. A citizen on a phone finds it on the province site by searching without accents, and reads it.
    citizen = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN").new_page()
    citizen.goto(f"{base}/cong/tuyen-quang/")
    citizen.get_by_role("navigation", name="Danh mục của trang").get_by_role("link", name="Tin tức").click()
    citizen.get_by_role("searchbox").fill("thu tuc hanh chinh truc tuyen")
    citizen.get_by_role("searchbox").press("Enter")
    citizen.get_by_role("link", name=TITLE).first.click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(citizen.locator("img[srcset]").first).to_be_visible()
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 391
    assert not serious_violations(citizen)
    _shot(citizen, tmp_path, "public-article-390")

    # ... and subscribes to the province's bulletin (double opt-in through the mailed link).
    mail.outbox.clear()
    citizen.goto(f"{base}/cong/tuyen-quang/ban-tin/dang-ky/")
    citizen.get_by_label("Địa chỉ thư điện tử của bạn").fill("cong.dan@example.vn")
    citizen.get_by_role("button", name="Đăng ký").click()
    link = re.search(r"(http://\S+/xac-nhan/\S+/)", mail.outbox[-1].body).group(1)
    citizen.goto(link)
    citizen.locator("#confirm-subscription").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Đăng ký của bạn đã được xác nhận")

    # 5. The bulletin is composed from the accepted article, published and sent; its PDF keeps the diacritics.
    issue = bulletins.issue_create(site=province_site, user=tree.supervisor)
    bulletins.issue_update(issue=issue, user=tree.supervisor, title="Chuyên đề dịch vụ công trực tuyến",
                           intro="Bản tin giới thiệu kết quả cải cách hành chính của các xã, phường.", closing="",
                           article_ids=[article.pk])
    bulletins.issue_publish(issue=issue, user=tree.supervisor, base_url=f"{base}/cong/tuyen-quang/")
    mail.outbox.clear()
    bulletins.sending_start(issue=issue, user=tree.supervisor, base_url=f"{base}/cong/tuyen-quang/")
    sent = [m for m in mail.outbox if m.to == ["cong.dan@example.vn"]]
    assert len(sent) == 1 and "List-Unsubscribe" in sent[0].extra_headers
    pdf = citizen.request.get(f"{base}/cong/tuyen-quang/ban-tin/{issue.year}/{issue.number}/ban-tin.pdf")
    assert pdf.status == 200
    with pdfplumber.open(io.BytesIO(pdf.body())) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    for words in ("Cải cách hành chính", "thủ tục hành chính", "dịch vụ công trực tuyến", "Tuyên Quang"):
        assert words.lower() in text.lower(), words

    # 6. The commune's report counts the article, which nobody typed: one output against its target.
    record = OutputRecord.objects.get(source="news.article")
    assert record.unit == tree.commune_a and record.output_type.code == "portal_article"
    assert OutputRecord.objects.filter(source="news.article").count() == 1  # accepted above, counted once
    period = next(p for p in periods if p.start <= record.date <= p.end and p.code.startswith("Q"))
    officer.goto(f"{base}/bao-cao/ky/{period.pk}/don-vi/{tree.commune_a.code}/")
    expect(officer.locator("#report-output-types")).to_contain_text("1")
    expect(officer.locator("#report-lines")).to_contain_text("Đăng tin, bài về CCHC")
    assert task.pk
