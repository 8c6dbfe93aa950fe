"""News: sanitised bodies, cover renditions, the workflow and who may take each step, scheduled
publishing, the contributor network, counting through the outputs, public pages, search, feeds and
view counts."""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from cchc.core.images import ImageRefused
from cchc.core.models import AuditEvent
from cchc.news import permissions, selectors, services
from cchc.news.models import Acceptance, Article, ArticleViewDay
from cchc.news.sanitize import clean_html
from cchc.outputs.models import OutputRecord


def write(unit, user, category, title="Cải cách hành chính ở phường", body="<p>Nội dung</p>", **extra):
    article = Article(unit=unit, title=title, lead=extra.pop("lead", "Tóm tắt"), body=body, category=category, **extra)
    return services.save_article(article=article, user=user)


def png(width, height):
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return SimpleUploadedFile("anh bia.png", out.getvalue(), content_type="image/png")


# ---------------------------------------------------------------- sanitiser and images

def test_the_sanitiser_removes_scripts_frames_events_and_javascript_links():
    dirty = ('<p onclick="steal()">Xin <strong>chào</strong> <a href="javascript:alert(1)">x</a>'
             '<a href="https://dichvucong.gov.vn" target="_blank">DVC</a> <a href="mailto:a@b.vn">thư</a></p>'
             '<script>alert(1)</script><iframe src="https://evil.example">t</iframe><style>p{}</style>'
             '<img src="x" onerror="alert(1)"><img src="/media/news/a.jpg" alt="ảnh" width="300" style="x:y">'
             '<h2>Mục</h2><ul><li>một</li></ul><blockquote>trích</blockquote><table><tr><td>ô</td></tr></table>'
             '<figure><img src="https://cdn.gov.vn/a.png" alt="a"><figcaption>chú thích</figcaption></figure>')
    clean = clean_html(dirty)
    for bad in ("<script", "alert(1)", "<iframe", "evil.example", "onclick", "onerror", "javascript:", "<style",
                "style=", 'src="x"', "target="):
        assert bad not in clean
    for good in ("<strong>chào</strong>", 'href="https://dichvucong.gov.vn"', 'rel="noopener noreferrer"',
                 'href="mailto:a@b.vn"', '<img src="/media/news/a.jpg" alt="ảnh" width="300">', "<h2>Mục</h2>",
                 "<li>một</li>", "<blockquote>", "<td>ô</td>", "<figcaption>chú thích</figcaption>",
                 'src="https://cdn.gov.vn/a.png"'):
        assert good in clean


def test_a_saved_body_is_sanitised_on_the_server(org_tree, category):
    article = write(org_tree.commune_a, org_tree.officer_a, category, body='<p>ok</p><script>x()</script>')
    assert Article.objects.get(pk=article.pk).body == "<p>ok</p>"


def test_an_image_with_too_many_pixels_is_refused_before_decoding(org_tree, category, settings):
    settings.CCHC_MAX_IMAGE_PIXELS = 1_000_000
    article = Article(unit=org_tree.commune_a, title="Ảnh lớn", category=category)
    with pytest.raises(ImageRefused, match="1200 × 1000"):
        services.set_cover(article, png(1200, 1000))


def test_the_cover_is_resized_into_renditions(org_tree, category):
    article = Article(unit=org_tree.commune_a, title="Có ảnh", category=category, cover_alt="Bộ phận một cửa")
    services.save_article(article=article, user=org_tree.officer_a, cover=png(2000, 1000))
    article.refresh_from_db()
    assert (article.cover_width, article.cover_height) == (1600, 800)
    assert Image.open(article.cover_480.path).size == (480, 240)
    assert Image.open(article.cover_960.path).size == (960, 480)


# ---------------------------------------------------------------- workflow and permissions

def test_an_officer_writes_and_submits_but_cannot_publish(client, org_tree, sites, category):
    article = write(org_tree.commune_a, org_tree.officer_a, category)
    client.force_login(org_tree.officer_a)
    page = client.get(f"/tin-bai/{article.pk}/").content.decode()
    assert "/buoc/submit/" in page and "/buoc/publish/" not in page
    assert client.post(f"/tin-bai/{article.pk}/buoc/submit/").status_code == 302
    assert Article.objects.get(pk=article.pk).status == Article.Status.SUBMITTED
    assert client.post(f"/tin-bai/{article.pk}/buoc/publish/").status_code == 404
    assert Article.objects.get(pk=article.pk).status == Article.Status.SUBMITTED


def test_the_manager_publishes_once_however_often_the_form_is_posted(client, org_tree, sites, category):
    article = write(org_tree.commune_a, org_tree.officer_a, category)
    services.submit(article, org_tree.officer_a)
    client.force_login(org_tree.manager_a)
    for _ in range(3):
        assert client.post(f"/tin-bai/{article.pk}/buoc/publish/", {"form_token": "t" * 24}).status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.published_by == org_tree.manager_a
    assert article.versions.filter(action="publish").count() == 1
    assert AuditEvent.objects.filter(object_type="news.article", object_id=str(article.pk), message="publish").count() == 1
    # every save and step kept a version
    assert list(article.versions.order_by("number").values_list("action", flat=True)) == ["create", "submit", "publish"]


def test_a_sibling_commune_cannot_see_a_draft(client, org_tree, sites, category):
    article = write(org_tree.commune_a, org_tree.officer_a, category)
    client.force_login(org_tree.officer_b)
    assert client.get(f"/tin-bai/{article.pk}/").status_code == 404
    assert client.post(f"/tin-bai/{article.pk}/buoc/submit/").status_code == 404
    assert client.get(f"/tin-bai/{article.pk}/sua/").status_code == 404


def test_the_editor_form_saves_a_sanitised_article(client, org_tree, sites, category):
    client.force_login(org_tree.officer_a)
    form = client.get("/tin-bai/moi/?don-vi=T02509")
    assert form.status_code == 200 and b'type="importmap" nonce=' in form.content
    answer = client.post("/tin-bai/moi/", {
        "don-vi": "T02509", "title": "Một cửa điện tử", "lead": "Sapo", "category": category.pk,
        "body": '<p>Thân <img src="x" onerror="alert(1)"></p>', "language": "vi", "audiences": ["citizens"],
        "new_attachments": [SimpleUploadedFile("quyet-dinh.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")],
    })
    assert answer.status_code == 302, answer.content.decode()[:2000]
    article = Article.objects.get(title="Một cửa điện tử")
    assert "onerror" not in article.body and article.attachments.count() == 1
    assert article.audiences == ["citizens"] and article.created_by == org_tree.officer_a


# ---------------------------------------------------------------- counting

def test_publishing_counts_and_unpublishing_withdraws_the_output(org_tree, sites, category):
    article = write(org_tree.commune_a, org_tree.officer_a, category)
    services.publish(article, org_tree.manager_a)
    record = OutputRecord.objects.get(source="news.article", source_ref=str(article.pk))
    assert record.unit == org_tree.commune_a and record.output_type.code == "portal_article"
    assert record.date == timezone.localdate() and record.withdrawn_at is None
    assert record.link.endswith(f"/cong/ha-giang-1/tin-tuc/{article.pk}-{article.slug}/")
    services.unpublish(article, org_tree.manager_a)
    record.refresh_from_db()
    assert record.withdrawn_at is not None
    assert Article.objects.get(pk=article.pk).status == Article.Status.WITHDRAWN


def test_an_accepted_article_shows_on_the_province_site_and_counts_once(client, org_tree, sites, category):
    province_site, _commune_site = sites
    article = write(org_tree.commune_a, org_tree.officer_a, category, title="Gương điển hình phường Hà Giang 1")
    services.publish(article, org_tree.manager_a)
    assert not selectors.published_for_site(province_site).filter(pk=article.pk).exists()
    assert client.get(f"/cong/tuyen-quang/tin-tuc/{article.pk}-{article.slug}/").status_code == 404

    client.force_login(org_tree.manager_a)
    assert client.post(f"/tin-bai/{article.pk}/buoc/offer/", {"site": province_site.pk}).status_code == 302
    offer = Acceptance.objects.get(article=article, site=province_site)
    assert offer.status == Acceptance.Status.OFFERED
    assert client.post(f"/tin-bai/de-xuat/{offer.pk}/nhan/").status_code == 404  # the commune cannot accept
    client.force_login(org_tree.supervisor)
    assert client.post(f"/tin-bai/de-xuat/{offer.pk}/nhan/").status_code == 302
    client.logout()
    offer.refresh_from_db()
    assert offer.status == Acceptance.Status.ACCEPTED and offer.decided_by == org_tree.supervisor
    assert AuditEvent.objects.filter(object_type="news.acceptance", message="accept").count() == 1
    page = client.get("/cong/tuyen-quang/tin-tuc/")
    assert "Gương điển hình phường Hà Giang 1" in page.content.decode()
    assert client.get(f"/cong/tuyen-quang/tin-tuc/{article.pk}-{article.slug}/").status_code == 200
    records = OutputRecord.objects.filter(source="news.article", withdrawn_at__isnull=True)
    assert records.count() == 1 and records.get().unit == org_tree.commune_a


# ---------------------------------------------------------------- scheduled publishing

def test_a_scheduled_article_is_hidden_until_due_then_appears_without_the_worker(client, org_tree, sites, category):
    article = write(org_tree.commune_a, org_tree.officer_a, category, title="Bài hẹn giờ")
    when = timezone.now() + dt.timedelta(hours=2)
    services.schedule(article, org_tree.manager_a, when)
    url = f"/cong/ha-giang-1/tin-tuc/{article.pk}-{article.slug}/"
    assert client.get(url).status_code == 404
    assert "Bài hẹn giờ" not in client.get("/cong/ha-giang-1/tin-tuc/").content.decode()
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - dt.timedelta(minutes=1))
    services._forget_next_due()  # the cached next time would pass by itself
    assert client.get(url).status_code == 200
    assert "Bài hẹn giờ" in client.get("/cong/ha-giang-1/tin-tuc/").content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert OutputRecord.objects.filter(source="news.article", source_ref=str(article.pk)).exists()


def test_the_publish_due_command(org_tree, sites, category):
    from django.core.management import call_command

    article = write(org_tree.commune_a, org_tree.officer_a, category)
    services.schedule(article, org_tree.manager_a, timezone.now() + dt.timedelta(minutes=5))
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - dt.timedelta(seconds=1))
    out = io.StringIO()
    call_command("publish_due", stdout=out)
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED
    assert "1" in out.getvalue()


# ---------------------------------------------------------------- public pages

@pytest.mark.parametrize("state", ["draft", "submitted", "scheduled", "withdrawn"])
def test_unpublished_articles_are_missing_to_the_public(client, org_tree, sites, category, state):
    article = write(org_tree.commune_a, org_tree.officer_a, category)
    if state == "submitted":
        services.submit(article, org_tree.officer_a)
    elif state == "scheduled":
        services.schedule(article, org_tree.manager_a, timezone.now() + dt.timedelta(days=1))
    elif state == "withdrawn":
        services.publish(article, org_tree.manager_a)
        services.unpublish(article, org_tree.manager_a)
    article.refresh_from_db()
    assert client.get(f"/cong/ha-giang-1/tin-tuc/{article.pk}-{article.slug}/").status_code == 404


def test_the_article_page(client, org_tree, sites, category):
    article = Article(unit=org_tree.commune_a, title="Dịch vụ công trực tuyến toàn trình", lead="Người dân nộp hồ sơ",
                      body="<p>Nội dung <em>chính</em></p>", category=category, cover_alt="Bộ phận một cửa")
    services.save_article(article=article, user=org_tree.officer_a, cover=png(1000, 500))
    services.publish(article, org_tree.manager_a)
    page = client.get(f"/cong/ha-giang-1/tin-tuc/{article.pk}-{article.slug}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Dịch vụ công trực tuyến toàn trình" in html and "<em>chính</em>" in html
    assert timezone.localdate().strftime("%d/%m/%Y") in html and "Phường Hà Giang 1" in html
    assert 'property="og:type" content="article"' in html and "article:published_time" in html
    assert "srcset=" in html and " 480w" in html
    assert "Tin hoạt động" in html


def test_accent_insensitive_search_with_paging(client, org_tree, sites, category):
    for i in range(15):
        services.publish(write(org_tree.commune_a, org_tree.officer_a, category,
                               title=f"Đẩy mạnh cải cách hành chính số {i}"), org_tree.manager_a)
    services.publish(write(org_tree.commune_a, org_tree.officer_a, category, title="Hội nghị khác"), org_tree.manager_a)
    first = client.get("/cong/ha-giang-1/tin-tuc/", {"q": "cai cach hanh chinh"}).content.decode()
    assert "Tìm thấy 15 bài viết cho “cai cach hanh chinh”." in first
    assert "Hội nghị khác" not in first and first.count("Đẩy mạnh cải cách hành chính") == 12
    second = client.get("/cong/ha-giang-1/tin-tuc/", {"q": "CAI CACH", "trang": 2}).content.decode()
    assert second.count("Đẩy mạnh cải cách hành chính") == 3


def test_feeds_are_valid_xml_with_the_article(client, org_tree, sites, category):
    article = write(org_tree.commune_a, org_tree.officer_a, category, title="Bản tin & chỉ số PAR INDEX")
    services.publish(article, org_tree.manager_a)
    for path in ("tin-tuc/rss.xml", "tin-tuc/atom.xml", "tin-tuc/chuyen-muc/tin-hoat-dong/rss.xml",
                 "tin-tuc/chuyen-muc/tin-hoat-dong/atom.xml"):
        answer = client.get(f"/cong/ha-giang-1/{path}")
        assert answer.status_code == 200
        root = ET.fromstring(answer.content)
        text = ET.tostring(root, encoding="unicode")
        assert "Bản tin &amp; chỉ số PAR INDEX" in text and f"/tin-tuc/{article.pk}-" in text
    other = client.get("/cong/ha-giang-1/tin-tuc/chuyen-muc/hoi-dap/rss.xml")
    assert "PAR INDEX" not in other.content.decode()


def test_views_are_counted_once_a_day_per_visitor_without_cookies(client, org_tree, sites, category):
    article = write(org_tree.commune_a, org_tree.officer_a, category)
    services.publish(article, org_tree.manager_a)
    url = f"/cong/ha-giang-1/tin-tuc/{article.pk}-{article.slug}/"
    first = client.get(url, HTTP_USER_AGENT="Firefox")
    assert not first.cookies and "Set-Cookie" not in first
    client.get(url, HTTP_USER_AGENT="Firefox")  # the same visitor again: cached page, not counted again
    client.get(url, HTTP_USER_AGENT="Chrome")
    client.get(url, HTTP_USER_AGENT="Chrome", REMOTE_ADDR="10.0.0.9")
    assert ArticleViewDay.objects.get(article=article).count == 3
    from cchc.core import registry

    stats = registry.stats_providers.get("news.views").stats(
        unit_paths=[org_tree.commune_a.path], start=timezone.localdate(), end=timezone.localdate())
    assert stats[0]["value"] == 3


def test_the_public_list_needs_a_bounded_number_of_queries(client, org_tree, sites, category,
                                                           django_assert_max_num_queries, settings):
    settings.CCHC_PUBLIC_CACHE_SECONDS = 0  # measure the page itself, not the cache
    for i in range(30):
        article = write(org_tree.commune_a, org_tree.officer_a, category, title=f"Bài {i}")
        services.publish(article, org_tree.manager_a)
    client.get("/cong/ha-giang-1/tin-tuc/")
    with django_assert_max_num_queries(8):
        assert client.get("/cong/ha-giang-1/tin-tuc/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/cong/ha-giang-1/").status_code == 200


def test_the_site_menu_home_block_and_sitemap_carry_the_news(client, org_tree, sites, category):
    article = write(org_tree.commune_a, org_tree.officer_a, category, title="Tin mới nhất")
    services.publish(article, org_tree.manager_a)
    home = client.get("/cong/ha-giang-1/").content.decode()
    assert 'href="/cong/ha-giang-1/tin-tuc/"' in home and "Tin mới nhất" in home
    from cchc.core import registry

    paths = [path for path, _lastmod in registry.sitemaps.get("news").items(sites[1])]
    assert f"/cong/ha-giang-1/tin-tuc/{article.pk}-{article.slug}/" in paths


def test_permissions_access_article_answers_404_for_forbidden(org_tree, sites, category):
    from django.http import Http404

    article = write(org_tree.commune_a, org_tree.officer_a, category)
    assert permissions.access_article(org_tree.officer_a, article.pk) == article
    with pytest.raises(Http404):
        permissions.access_article(org_tree.officer_a, article.pk, action="publish")
    with pytest.raises(Http404):
        permissions.access_article(org_tree.officer_b, article.pk)
    assert permissions.access_article(org_tree.manager_a, article.pk, action="publish") == article


def test_spaces_typed_in_the_editor_become_ordinary_spaces_between_words():
    from cchc.news.sanitize import clean_html

    body = clean_html("<p>Từ&nbsp;tháng&nbsp;3,&nbsp;mọi thủ tục</p><p>&nbsp;</p>")
    assert body == "<p>Từ tháng 3, mọi thủ tục</p><p>&nbsp;</p>"
    assert clean_html("<p>Cải cách hành chính</p>".replace("ả", "a\u0309")) == "<p>Cải cách hành chính</p>"  # NFC


def test_a_reading_answered_by_the_early_page_cache_is_counted(client, org_tree, sites, category, monkeypatch):
    """The article page may be answered before its view runs (PublicPageCacheMiddleware); the reading is
    counted there all the same, once a day per visitor."""
    from cchc.portal import fastcache

    article = write(org_tree.commune_a, org_tree.officer_a, category)
    services.publish(article, org_tree.manager_a)
    url = f"/cong/ha-giang-1/tin-tuc/{article.pk}-{article.slug}/"
    client.get(url, HTTP_USER_AGENT="Firefox")
    client.get(url, HTTP_USER_AGENT="Firefox")  # the page is now in the early cache
    hits = []
    real = fastcache._on_hit
    monkeypatch.setattr(fastcache, "_on_hit", lambda response, request: (hits.append(1), real(response, request)))
    for agent in ("Chrome", "Safari", "Chrome"):
        assert client.get(url, HTTP_USER_AGENT=agent).status_code == 200
    assert len(hits) == 3  # answered early, each time
    assert ArticleViewDay.objects.get(article=article).count == 3  # Firefox, Chrome, Safari
