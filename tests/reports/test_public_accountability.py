"""The public accountability page: a site's issued plans with their tasks' status, the counted
progress against targets per period and which units have reported; no draft plan, no person's name,
no report text; open without an account."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from cchc.plans import services as plan_services
from cchc.portal.models import PublicSite
from cchc.reports import services

from .conftest import day


@pytest.fixture
def site(world):
    cache.clear()
    return PublicSite.objects.create(unit=world.tree.province, slug="tuyen-quang", title="CCHC Tuyên Quang")


def test_a_citizen_follows_the_plan_and_who_has_reported(client, world, site, q1):
    t = world.tree
    world.record(t.commune_a, day("10/01/2026"), 2)
    report = services.report_open(unit=t.commune_a, period=q1, user=t.officer_a)
    report.results = "Nguyễn Văn Bí mật đã đăng 2 tin"
    report.save()
    services.report_submit(report=report, user=t.manager_a)
    listing = client.get("/cong/tuyen-quang/ke-hoach/").content.decode()
    assert world.plan.title in listing
    page = client.get(f"/cong/tuyen-quang/ke-hoach/{world.plan.pk}/?ky={q1.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Đăng tin, bài về CCHC trên trang thông tin điện tử" in html
    assert "12 tin, bài/năm: <strong>2</strong> / 9" in html  # 3 a quarter for each of the three lead units
    assert "<summary>Đã báo cáo (1)</summary><ul><li>Phường Hà Giang 1</li></ul>" in html
    assert "<summary>Chưa báo cáo (2)</summary>" in html
    # no person's name and no report text reach the public
    for secret in ("Nguyễn Văn Bí mật", t.officer_a.full_name, t.manager_a.full_name, t.supervisor.full_name):
        assert secret not in html
    assert '<a href="/cong/tuyen-quang/ke-hoach/">Kế hoạch và tiến độ thực hiện</a>' in client.get("/cong/tuyen-quang/").content.decode()


def test_a_draft_plan_and_another_units_plan_are_missing(client, world, site):
    t = world.tree
    draft = plan_services.plan_create(user=t.supervisor, owner=t.province, title="Kế hoạch nháp", plan_year=2026)
    assert client.get(f"/cong/tuyen-quang/ke-hoach/{draft.pk}/").status_code == 404
    assert "Kế hoạch nháp" not in client.get("/cong/tuyen-quang/ke-hoach/").content.decode()
    other = PublicSite.objects.create(unit=t.other_province, slug="dong-thap", title="CCHC Đồng Tháp")
    assert other and client.get(f"/cong/dong-thap/ke-hoach/{world.plan.pk}/").status_code == 404
    assert client.get("/cong/tuyen-quang/ke-hoach/abc/").status_code == 404


def test_a_commune_site_shows_the_province_plan_that_assigns_it_work(client, world):
    t = world.tree
    PublicSite.objects.create(unit=t.commune_a, slug="ha-giang-1", title="CCHC Hà Giang 1")
    assert world.plan.title in client.get("/cong/ha-giang-1/ke-hoach/").content.decode()
    assert client.get(f"/cong/ha-giang-1/ke-hoach/{world.plan.pk}/").status_code == 200
