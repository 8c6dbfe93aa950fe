from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from cchc.news.models import Article, Category
from cchc.portal.models import PublicContact, PublicSite

BODY = (
    "<p>Tỉnh Tuyên Quang đẩy mạnh <strong>Cải cách hành chính</strong>, rút ngắn thời gian giải quyết thủ tục.</p>"
    "<ul><li>Người dân được hướng dẫn tận tình ở Trung tâm Phục vụ hành chính công.</li>"
    "<li>Những thủ tục trực tuyến toàn trình tăng nhanh.</li></ul>"
)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site(org_tree):
    site = PublicSite.objects.create(unit=org_tree.commune_a, slug="ha-giang-1", title="Cải cách hành chính phường Hà Giang 1",
                                     email="vanphong@hagiang1.tuyenquang.gov.vn")
    PublicContact.objects.create(site=site, name="Trần Văn Lãnh", position="Chủ tịch UBND phường",
                                 email="chutich@hagiang1.tuyenquang.gov.vn")
    return site


def make_article(unit, title, *, body=BODY, lead="Đường lối đổi mới thủ tục hành chính.", published=True):
    # the categories a migration seeds; a live-server test before may have flushed them
    category = Category.objects.order_by("order").first() or Category.objects.create(slug="tin-hoat-dong",
                                                                                      name="Tin hoạt động")
    return Article.objects.create(
        unit=unit, title=title, slug="bai", lead=lead, body=body, category=category,
        status=Article.Status.PUBLISHED if published else Article.Status.DRAFT,
        published_at=timezone.now() - dt.timedelta(hours=1) if published else None,
    )


@pytest.fixture
def articles(site, org_tree):
    return [
        make_article(org_tree.commune_a, "Cải cách hành chính ở phường Hà Giang 1"),
        make_article(org_tree.commune_a, "Đơn giản hóa thủ tục cấp giấy phép xây dựng"),
        make_article(org_tree.commune_a, "Bài chưa đăng", published=False),
    ]
