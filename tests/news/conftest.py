import pytest
from django.core.cache import cache

from cchc.news.models import Category
from cchc.portal.models import PublicSite


@pytest.fixture(autouse=True)
def _fresh(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sites(org_tree, output_catalogue):
    province = PublicSite.objects.create(unit=org_tree.province, slug="tuyen-quang", title="CCHC tỉnh Tuyên Quang")
    commune = PublicSite.objects.create(unit=org_tree.commune_a, slug="ha-giang-1", title="CCHC phường Hà Giang 1")
    return province, commune


@pytest.fixture
def category(db):
    return Category.objects.get(slug="tin-hoat-dong")
