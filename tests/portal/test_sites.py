"""Public CCHC sites: open without an account, by path or by host name, with the unit's contacts,
canonical and Open Graph tags, sitemap and robots; set up by the unit's manager (audited); their
pages cached and emptied when the site changes."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cchc.core.models import AuditEvent
from cchc.portal import sites
from cchc.portal.models import PublicContact, PublicSite


@pytest.fixture
def site(org_tree):
    site = PublicSite.objects.create(unit=org_tree.province, slug="tuyen-quang", title="Cải cách hành chính tỉnh Tuyên Quang",
                                     hotline="0207 3822 555", address="Số 160, đường Trần Hưng Đạo, phường Minh Xuân")
    PublicContact.objects.create(site=site, name="Nguyễn Văn A", position="Giám đốc Sở Nội vụ", phone="0912 345 678",
                                 email="giamdoc@snv.tuyenquang.gov.vn", is_leader=True)
    return site


def test_an_anonymous_visitor_reads_the_site_and_its_contacts(client, site):
    home = client.get("/cong/tuyen-quang/")
    assert home.status_code == 200
    page = home.content.decode()
    assert "Cải cách hành chính tỉnh Tuyên Quang" in page and "0207 3822 555" in page
    assert '<link rel="canonical" href="http://testserver/cong/tuyen-quang/">' in page
    assert 'property="og:title"' in page and 'lang="vi"' in page
    contacts = client.get("/cong/tuyen-quang/lien-he/").content.decode()
    assert "Giám đốc Sở Nội vụ" in contacts and 'href="tel:0912345678"' in contacts
    assert "giamdoc@snv.tuyenquang.gov.vn" in contacts


def test_a_closed_or_unknown_site_is_missing(client, site):
    site.is_public = False
    site.save()
    assert client.get("/cong/tuyen-quang/").status_code == 404
    assert client.get("/cong/khong-co/").status_code == 404


def test_a_host_name_serves_its_site_at_the_root(client, site, settings):
    settings.ALLOWED_HOSTS = ["cchc.tuyenquang.gov.vn", "testserver"]
    settings.CCHC_PUBLIC_HOSTS = {"cchc.tuyenquang.gov.vn": "tuyen-quang"}
    response = client.get("/", HTTP_HOST="cchc.tuyenquang.gov.vn")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<link rel="canonical" href="https://cchc.tuyenquang.gov.vn/">' in page
    assert client.get("/lien-he/", HTTP_HOST="cchc.tuyenquang.gov.vn").status_code == 200
    # staff pages are not served on a public host (its /ke-hoach/ is the public plans page)
    assert client.get("/san-pham/", HTTP_HOST="cchc.tuyenquang.gov.vn").status_code == 404
    assert client.get("/bao-cao/", HTTP_HOST="cchc.tuyenquang.gov.vn").status_code == 404
    robots = client.get("/robots.txt", HTTP_HOST="cchc.tuyenquang.gov.vn").content.decode()
    assert "Sitemap: https://cchc.tuyenquang.gov.vn/sitemap.xml" in robots


def test_sitemap_and_robots(client, site):
    xml = client.get("/cong/tuyen-quang/sitemap.xml")
    assert xml["Content-Type"].startswith("application/xml")
    assert "<loc>http://testserver/cong/tuyen-quang/lien-he/</loc>" in xml.content.decode()
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /" in robots and "Allow: /cong/" in robots


def test_public_pages_are_cached_and_emptied_when_the_site_changes(client, site, settings, django_assert_max_num_queries):
    settings.CCHC_PUBLIC_CACHE_SECONDS = 60
    from django.core.cache import cache

    cache.clear()
    assert "0207 3822 555" in client.get("/cong/tuyen-quang/").content.decode()
    with django_assert_max_num_queries(0):  # the site and the page come from the cache
        client.get("/cong/tuyen-quang/")
    PublicSite.objects.filter(pk=site.pk).update(hotline="1900 1234")  # no signal: the cache still holds the page
    assert "0207 3822 555" in client.get("/cong/tuyen-quang/").content.decode()  # still cached
    sites.forget_site(site)
    assert "1900 1234" in client.get("/cong/tuyen-quang/").content.decode()


def _png(width, height, **info) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "red").save(out, "PNG", **info)
    return out.getvalue()


def test_the_units_manager_opens_the_site_and_the_change_is_audited(client, org_tree):
    t = org_tree
    client.force_login(t.manager_a)
    assert client.get("/trang-cong-khai/").status_code == 200
    form = client.get(f"/trang-cong-khai/{t.commune_a.code}/")
    assert form.status_code == 200 and form.context["form"].initial.get("slug") or form.context["form"].instance.slug
    data = {"title": "CCHC phường Hà Giang 1", "slug": "ha-giang-1", "tagline": "", "address": "Tổ 5, phường Hà Giang 1",
            "hotline": "0219 3866 111", "email": "", "intro": "", "is_public": "on",
            "contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0", "contacts-MIN_NUM_FORMS": "0", "contacts-MAX_NUM_FORMS": "30",
            "contacts-0-name": "Trần Thị Quản", "contacts-0-position": "Chủ tịch UBND phường", "contacts-0-phone": "0987 654 321",
            "contacts-0-email": "", "contacts-0-order": "1", "contacts-0-is_leader": "on",
            "emblem": SimpleUploadedFile("logo.png", _png(300, 300), content_type="image/png")}
    response = client.post(f"/trang-cong-khai/{t.commune_a.code}/", data)
    assert response.status_code == 302
    site = PublicSite.objects.get(unit=t.commune_a)
    assert site.contacts.get().phone == "0987 654 321" and site.emblem
    assert AuditEvent.objects.filter(object_type="portal.publicsite", object_id=str(site.pk), action="create").exists()
    assert "0987 654 321" in client.get("/cong/ha-giang-1/lien-he/").content.decode()


def test_officers_and_other_units_cannot_set_up_a_site(client, org_tree):
    t = org_tree
    client.force_login(t.officer_a)
    assert client.get(f"/trang-cong-khai/{t.commune_a.code}/").status_code == 404
    client.force_login(t.manager_a)
    assert client.get(f"/trang-cong-khai/{t.commune_b.code}/").status_code == 404
    assert client.post(f"/trang-cong-khai/{t.commune_b.code}/", {"title": "x"}).status_code == 404


def test_a_wrong_phone_and_an_image_too_large_in_pixels_are_refused_with_a_reason(client, org_tree, settings):
    t = org_tree
    settings.CCHC_MAX_IMAGE_PIXELS = 1_000_000
    client.force_login(t.manager_a)
    data = {"title": "CCHC", "slug": "ha-giang-1", "hotline": "gọi tôi", "is_public": "on",
            "contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0", "contacts-MIN_NUM_FORMS": "0", "contacts-MAX_NUM_FORMS": "30",
            "emblem": SimpleUploadedFile("logo.png", _png(2000, 1000), content_type="image/png")}
    response = client.post(f"/trang-cong-khai/{t.commune_a.code}/", data)
    assert response.status_code == 200 and not PublicSite.objects.exists()
    errors = response.context["form"].errors
    assert "hotline" in errors and "emblem" in errors and "2000 × 1000" in errors["emblem"][0]


def test_a_cached_page_costs_no_query_and_a_changed_site_is_seen_at_once(client, site, settings, django_assert_num_queries):
    settings.CCHC_PUBLIC_CACHE_SECONDS = 60
    client.get("/cong/tuyen-quang/")
    with django_assert_num_queries(0):
        assert client.get("/cong/tuyen-quang/").status_code == 200
    site.hotline = "1900 5678"
    site.save()  # the staff form saves the same way
    assert "1900 5678" in client.get("/cong/tuyen-quang/").content.decode()
    site.slug = "tq"
    site.save()
    assert client.get("/cong/tuyen-quang/").status_code == 404
    assert client.get("/cong/tq/").status_code == 200
    site.contacts.update(phone="0000 111 222")  # a bulk change sends no signal ...
    PublicContact.objects.create(site=site, name="Bộ phận một cửa", phone="0207 111 222")  # ... a saved contact does
    assert "0207 111 222" in client.get("/cong/tq/lien-he/").content.decode()


def test_an_anonymous_visitor_is_answered_before_the_session_layers_and_a_change_is_seen_at_once(client, site, settings):
    """The second anonymous GET of a shared page comes from the early cache (PublicPageCacheMiddleware);
    a visitor with a session goes the whole way; a change of the site is seen at once."""
    from django.core.cache import cache

    settings.CCHC_PUBLIC_CACHE_SECONDS = 60
    client.get("/cong/tuyen-quang/")
    assert not any(":portal:fast:" in k for k in cache._cache)  # the first answer fills the page cache
    client.get("/cong/tuyen-quang/")
    assert any(":portal:fast:" in k for k in cache._cache)
    assert "0207 3822 555" in client.get("/cong/tuyen-quang/").content.decode()
    site.hotline = "1900 8888"
    site.save()
    assert "1900 8888" in client.get("/cong/tuyen-quang/").content.decode()
    client.cookies["sessionid"] = "x"  # not the early cache's to answer
    assert client.get("/cong/tuyen-quang/").status_code == 200


def test_a_page_showing_a_visitors_message_is_not_shared_with_the_next_visitor(client, site, settings):
    """A confirmation or an error shown to one visitor is theirs: the page that shows it is not cached."""
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import Client, RequestFactory

    settings.CCHC_PUBLIC_CACHE_SECONDS = 300
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies[storage.cookie_name] = storage._encode([Message(constants.SUCCESS, "Phiếu của bạn đã được ghi nhận")])
    first = client.get(f"/cong/{site.slug}/")
    assert "Phiếu của bạn đã được ghi nhận" in first.content.decode()
    assert "Phiếu của bạn đã được ghi nhận" not in Client().get(f"/cong/{site.slug}/").content.decode()
