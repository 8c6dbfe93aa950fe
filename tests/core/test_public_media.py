"""Uploads shown to the public (an article's cover, a site's emblem) are served by the platform once
what they belong to is public; a draft's cover only to those who may open the draft; any other upload
(evidence, attachments) never through this address."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cchc.news import services
from cchc.news.models import Article, Category
from cchc.portal.models import PublicSite


def _jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (800, 500), "red").save(out, "JPEG")
    return SimpleUploadedFile("anh bia.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_cover_is_public_once_its_article_is_published(client, org_tree, media):
    t = org_tree
    category = Category.objects.order_by("order").first() or Category.objects.create(slug="tin", name="Tin")
    article = services.save_article(article=Article(unit=t.commune_a, title="Tin CCHC", lead="", body="<p>x</p>",
                                                    category=category), user=t.officer_a, cover=_jpeg())
    url = article.cover_480.url
    assert url.startswith("/media/news/covers/")
    assert client.get(url).status_code == 404  # a draft's cover: not for the public
    client.force_login(t.officer_b)
    assert client.get(url).status_code == 404  # nor for a sibling commune
    client.force_login(t.officer_a)
    response = client.get(url)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"  # the draft's writer only: no shared cache keeps it
    client.logout()
    services.publish(article, t.manager_a)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    assert response["Cache-Control"] == "public, max-age=86400"


def test_other_uploads_and_tricks_are_missing(client, org_tree, media, tmp_path):
    (tmp_path / "plans" / "evidence").mkdir(parents=True)
    (tmp_path / "plans" / "evidence" / "danh-sach.pdf").write_bytes(b"%PDF-1.4")
    assert client.get("/media/plans/evidence/danh-sach.pdf").status_code == 404
    assert client.get("/media/news/covers/../../plans/evidence/danh-sach.pdf").status_code == 404
    assert client.get("/media/news/covers/khong-co.jpg").status_code == 404


def test_an_emblem_is_public(client, org_tree, media):
    out = io.BytesIO()
    Image.new("RGB", (64, 64), "yellow").save(out, "PNG")
    site = PublicSite.objects.create(unit=org_tree.province, slug="tq", title="CCHC")
    site.emblem.save("quoc-huy.png", SimpleUploadedFile("quoc-huy.png", out.getvalue()))
    assert client.get(site.emblem.url).status_code == 200
