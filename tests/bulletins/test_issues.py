"""Issues: numbered per year and site, composed from the site's published articles, published once
(one `bulletin` output for the site's unit), shown on the public site, as a PDF and a .docx in which
every Vietnamese diacritic survives; drafts are missing to those who may not compose them."""

from __future__ import annotations

import io

import docx
import pdfplumber
import pytest
from django.db import IntegrityError, transaction

from cchc.bulletins import services
from cchc.bulletins.models import Issue
from cchc.core.models import AuditEvent
from cchc.outputs.models import OutputRecord

DIACRITICS = ("Cải cách hành chính", "thủ tục", "Tuyên Quang", "ường", "ữ")


def _composed(site, articles, user, **text):
    issue = services.issue_create(site=site, user=user)
    return services.issue_update(issue=issue, user=user, title=text.get("title", "Chuyên đề: Những đổi mới"),
                                 intro=text.get("intro", "Bản tin giới thiệu kết quả Cải cách hành chính tỉnh Tuyên Quang."),
                                 closing=text.get("closing", "Mọi ý kiến xin gửi về Văn phòng phường."),
                                 article_ids=[articles[1].pk, articles[0].pk])


def test_numbers_run_per_year_and_site_and_are_unique_in_the_database(site, org_tree):
    user = org_tree.officer_a
    first = services.issue_create(site=site, user=user, year=2026)
    second = services.issue_create(site=site, user=user, year=2026)
    next_year = services.issue_create(site=site, user=user, year=2027)
    assert (first.number, second.number, next_year.number) == (1, 2, 1)
    assert second.label == "Số 02/2026" and next_year.number_text == "01/2027"
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.create(site=site, year=2026, number=2)
    assert AuditEvent.objects.filter(object_type="bulletins.issue", action="create").count() == 3


def test_an_issue_keeps_the_editors_order_and_refuses_unpublished_articles(site, articles, org_tree):
    issue = _composed(site, articles, org_tree.officer_a)
    assert list(issue.items.values_list("article_id", flat=True)) == [articles[1].pk, articles[0].pk]
    with pytest.raises(services.BulletinError):
        services.issue_update(issue=issue, user=org_tree.officer_a, title="", intro="", closing="",
                              article_ids=[articles[2].pk])
    assert issue.items.count() == 2


def test_publishing_counts_one_output_invalidates_the_site_and_is_idempotent(client, site, articles, org_tree, output_catalogue,
                                                                              settings, django_capture_on_commit_callbacks):
    settings.CCHC_PUBLIC_CACHE_SECONDS = 60
    issue = _composed(site, articles, org_tree.officer_a)
    assert client.get("/cong/ha-giang-1/ban-tin/").status_code == 200  # cached without the issue
    assert client.get(issue.public_path()).status_code == 404
    with pytest.raises(services.BulletinError):  # an empty draft cannot be published
        services.issue_publish(issue=services.issue_create(site=site, user=org_tree.manager_a), user=org_tree.manager_a)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.issue_publish(issue=issue, user=org_tree.manager_a) is True
    assert services.issue_publish(issue=issue, user=org_tree.manager_a) is False

    records = OutputRecord.objects.filter(source="bulletins.issue")
    assert records.count() == 1
    record = records.get()
    assert record.unit == org_tree.commune_a and record.output_type.code == "bulletin" and record.quantity == 1
    assert record.source_ref == str(issue.pk) and "01/" in record.title
    archive = client.get("/cong/ha-giang-1/ban-tin/").content.decode()
    assert "Số 01/" in archive  # the cached archive was emptied on publishing
    page = client.get(issue.public_path()).content.decode()
    assert "Đơn giản hóa thủ tục cấp giấy phép xây dựng" in page
    assert page.index("Đơn giản hóa thủ tục") < page.index("Cải cách hành chính ở phường")
    assert "Bài chưa đăng" not in page
    assert AuditEvent.objects.filter(object_type="bulletins.issue", object_id=str(issue.pk), message="published").count() == 1


def test_the_pdf_and_the_docx_keep_every_diacritic(client, site, articles, org_tree, output_catalogue):
    issue = _composed(site, articles, org_tree.officer_a)
    services.issue_publish(issue=issue, user=org_tree.manager_a)

    pdf = client.get(issue.public_path() + "ban-tin.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(pdf.content)) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    for expected in DIACRITICS + ("BẢN TIN CẢI CÁCH HÀNH CHÍNH", "Số 01/", "Hà Giang 1, ngày", "ỦY BAN NHÂN DÂN", "PHƯỜNG HÀ GIANG 1"):
        assert expected in text, expected

    word = client.get(issue.public_path() + "ban-tin.docx")
    assert word.status_code == 200 and "attachment" in word["Content-Disposition"]
    document = docx.Document(io.BytesIO(word.content))
    text = "\n".join([p.text for p in document.paragraphs]
                     + [cell.text for table in document.tables for row in table.rows for cell in row.cells])
    for expected in DIACRITICS + ("BẢN TIN CẢI CÁCH HÀNH CHÍNH", "Hà Giang 1, ngày", "Những thủ tục trực tuyến toàn trình"):
        assert expected in text, expected
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert client.get(issue.public_path() + "ban-tin.odt").status_code == 404


def test_a_missing_font_gives_a_clear_answer_not_a_traceback(client, site, articles, org_tree, output_catalogue, monkeypatch):
    from cchc.bulletins import documents

    issue = _composed(site, articles, org_tree.officer_a)
    services.issue_publish(issue=issue, user=org_tree.manager_a)
    monkeypatch.setattr(documents, "FONT_DIRS", ("/nonexistent",))
    with pytest.raises(documents.FontMissing, match="fonts-liberation2"):
        documents.find_fonts()
    response = client.get(issue.public_path() + "ban-tin.pdf")
    assert response.status_code == 503 and "phông chữ" in response.content.decode()


def test_a_sibling_officer_cannot_see_a_draft_and_only_managers_publish(client, site, articles, org_tree, output_catalogue):
    issue = _composed(site, articles, org_tree.officer_a)
    client.force_login(org_tree.officer_b)  # officer of the sibling commune
    for url in (f"/ban-tin/{issue.pk}/", f"/ban-tin/{issue.pk}/xem/", f"/ban-tin/{issue.pk}/xem/ban-tin.pdf"):
        assert client.get(url).status_code == 404
    assert client.post(f"/ban-tin/{issue.pk}/xuat-ban/").status_code == 404
    assert client.get(issue.public_path()).status_code == 404  # a draft is not public

    client.force_login(org_tree.officer_a)  # composes, sees the draft, does not publish
    assert client.get(f"/ban-tin/{issue.pk}/").status_code == 200
    assert "Bản tin giới thiệu" in client.get(f"/ban-tin/{issue.pk}/xem/").content.decode()
    assert client.post(f"/ban-tin/{issue.pk}/xuat-ban/").status_code == 404
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT

    client.force_login(org_tree.manager_a)
    response = client.post(f"/ban-tin/{issue.pk}/xuat-ban/")
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == Issue.Status.PUBLISHED and issue.published_by == org_tree.manager_a
    client.logout()
    assert client.get(issue.public_path()).status_code == 200


def test_an_editor_composes_an_issue_through_the_pages(client, site, articles, org_tree):
    client.force_login(org_tree.officer_a)
    response = client.post(f"/ban-tin/trang/{site.pk}/so-moi/")
    issue = Issue.objects.get(site=site)
    assert response.status_code == 302 and response["Location"] == f"/ban-tin/{issue.pk}/"
    response = client.post(f"/ban-tin/{issue.pk}/", {
        "title": "Số đặc biệt", "intro": "Dòng một.\nDòng hai.", "closing": "",
        "articles": [str(articles[0].pk), str(articles[1].pk), str(articles[2].pk)],
        "order-%d" % articles[0].pk: "2", "order-%d" % articles[1].pk: "1",
    })
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.title == "Số đặc biệt"
    # the unpublished article was not offered, so it is not taken; the others in the given order
    assert list(issue.items.values_list("article_id", flat=True)) == [articles[1].pk, articles[0].pk]
    page = client.get(f"/ban-tin/{issue.pk}/").content.decode()
    assert "Bài chưa đăng" not in page and "Đơn giản hóa thủ tục" in page
    client.force_login(org_tree.officer_b)
    assert client.post(f"/ban-tin/trang/{site.pk}/so-moi/").status_code == 404


def test_the_public_menu_sitemap_and_subscriber_figures_come_from_the_registry(client, site, articles, org_tree, output_catalogue):
    from cchc.core import registry

    issue = _composed(site, articles, org_tree.officer_a)
    services.issue_publish(issue=issue, user=org_tree.manager_a)
    home = client.get("/cong/ha-giang-1/").content.decode()
    assert 'href="/cong/ha-giang-1/ban-tin/"' in home and "Bản tin" in home
    paths = [path for path, _lastmod in registry.sitemaps.get("bulletins").items(site)]
    assert paths == ["/cong/ha-giang-1/ban-tin/", issue.public_path()]
    provider = registry.stats_providers.get("bulletins.subscribers")
    assert provider.stats(unit_paths=[org_tree.province.path], start=None, end=None)[0]["value"] == 0


def test_the_archive_and_an_issue_page_read_a_fixed_number_of_queries(client, site, articles, org_tree, output_catalogue,
                                                                     django_assert_num_queries, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.bulletins.conftest import make_article

    settings.CCHC_PUBLIC_CACHE_SECONDS = 0

    def publish(count):
        issue = services.issue_create(site=site, user=org_tree.manager_a)
        extra = [make_article(org_tree.commune_a, f"Bài số {n}") for n in range(count)]
        services.issue_update(issue=issue, user=org_tree.manager_a, title="", intro="", closing="",
                              article_ids=[a.pk for a in extra])
        services.issue_publish(issue=issue, user=org_tree.manager_a)
        return issue

    small = publish(2)
    counts = {}
    for label, url in (("archive", "/cong/ha-giang-1/ban-tin/"), ("issue", small.public_path())):
        client.get(url)  # what the platform keeps between requests (the site's lookup) is warm
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts[label] = len(captured)
    large = publish(12)
    for _ in range(6):
        publish(1)
    for label, url in (("archive", "/cong/ha-giang-1/ban-tin/"), ("issue", large.public_path())):
        client.get(url)
        with django_assert_num_queries(counts[label]):
            assert client.get(url).status_code == 200
