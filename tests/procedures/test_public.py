"""The catalogue on the public sites: a citizen searches with or without accents, filters, opens a
procedure and reads what to prepare; an abolished procedure leaves the lists but keeps its page with
its decision; a site shows its own and its parents' catalogues only; pages are cached and forgotten
when the catalogue changes. Runs on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from cchc.portal import sites as portal_sites
from cchc.portal.models import PublicSite
from cchc.procedures import search
from cchc.procedures.models import Change, Decision, Level, OnlineLevel, Procedure, ProcedureChange
from cchc.procedures.public import find

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites(org_tree):
    province = PublicSite.objects.create(unit=org_tree.province, slug="tuyen-quang", title="CCHC tỉnh Tuyên Quang")
    commune = PublicSite.objects.create(unit=org_tree.commune_a, slug="ha-giang-1", title="CCHC phường Hà Giang 1")
    other = PublicSite.objects.create(unit=org_tree.other_province, slug="dong-thap", title="CCHC tỉnh Đồng Tháp")
    return province, commune, other


def make(unit, name, **extra) -> Procedure:
    extra.setdefault("field", "Xây dựng")
    extra.setdefault("level", Level.PROVINCE)
    return Procedure.objects.create(unit=unit, name=name, **extra)


def decision(unit, number, day, **extra) -> Decision:
    return Decision.objects.create(unit=unit, number=number, date=day, status=Decision.Status.APPLIED,
                                   applied_at=timezone.now(), issuer="Chủ tịch UBND tỉnh Tuyên Quang", **extra)


@pytest.fixture
def catalogue(org_tree, sites):
    p = org_tree.province
    return {
        "permit": make(p, "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt", code="1.009972.000.00.00.H56",
                       agency="Sở Xây dựng", online_level=OnlineLevel.PARTIAL, postal=True, time_limit_days=20,
                       working_days=True, fee="Lệ phí: 150.000 đồng/giấy phép", place="Trung tâm Phục vụ hành chính công tỉnh",
                       documents_required="Đơn đề nghị cấp giấy phép xây dựng\nBản vẽ thiết kế xây dựng",
                       legal_basis=["Luật Xây dựng số 50/2014/QH13", "Nghị định số 15/2021/NĐ-CP"]),
        "permit_repair": make(p, "Cấp giấy phép sửa chữa, cải tạo công trình", code="1.009974", agency="Sở Xây dựng"),
        # "xây dựng" only in the field and agency, not in the name
        "planning": make(p, "Thẩm định nhiệm vụ quy hoạch chi tiết", code="1.008432", agency="Sở Xây dựng"),
        "birth": make(p, "Đăng ký khai sinh", code="1.001193", field="Hộ tịch", level=Level.COMMUNE,
                      agency="Ủy ban nhân dân cấp xã", online_level=OnlineLevel.FULL, fee_free=True),
        "death": make(p, "Đăng ký khai tử", code="1.000656", field="Hộ tịch", level=Level.COMMUNE,
                      agency="Ủy ban nhân dân cấp xã", online_level=OnlineLevel.FULL),
        "elsewhere": make(org_tree.other_province, "Cấp giấy phép xây dựng nhà ở riêng lẻ", code="1.009975"),
    }


def names(queryset) -> list[str]:
    return [p.name for p in queryset]


def test_search_without_accents_finds_the_accented_name_first(sites, catalogue):
    province = sites[0]
    found, query, loose = find(province, text="cap giay phep xay dung")
    assert not loose
    assert names(found)[:2] == ["Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt",
                                "Cấp giấy phép sửa chữa, cải tạo công trình"][:1] + names(found)[1:2]
    assert names(found)[0] == catalogue["permit"].name
    # the other province's catalogue is not this site's
    assert catalogue["elsewhere"].name not in names(found)
    # with accents, the same answer
    assert names(find(province, text="Cấp giấy phép XÂY DỰNG")[0]) == names(found)


def test_a_name_match_ranks_above_a_field_or_agency_match(sites, catalogue):
    found = names(find(sites[0], text="xay dung")[0])
    assert set(found) == {catalogue["permit"].name, catalogue["permit_repair"].name, catalogue["planning"].name}
    assert found[0] == catalogue["permit"].name  # "xây dựng" in the name
    assert found[-1] in (catalogue["permit_repair"].name, catalogue["planning"].name)


def test_the_last_word_is_a_prefix_and_a_code_finds_its_procedure(sites, catalogue):
    assert names(find(sites[0], text="dang ky khai s")[0]) == ["Đăng ký khai sinh"]
    assert names(find(sites[0], text="1.009972")[0]) == [catalogue["permit"].name]
    assert names(find(sites[0], text=" 1.009972.000.00.00.H56 ")[0]) == [catalogue["permit"].name]
    assert names(find(sites[0], text="1.009975")[0]) == []  # another province's


def test_words_that_never_meet_fall_back_to_any_word(sites, catalogue):
    found, _query, loose = find(sites[0], text="khai sinh cho con nuoi")
    assert loose and names(found)[0] == "Đăng ký khai sinh"


@pytest.mark.parametrize("text", [
    '"', "'", '"cap giay', "NEAR(cap giay)", "cap AND giay", "cap OR", "* giay", "giay*", "^cap", "cap:giay",
    "-cap", "(", ")", "{a b}", "a & b | !c", "\\", "%", "_", "x" * 2000, "cấp " * 700, "", "   ", "\x00",
    "đ", "1.", "1.0", "SELECT * FROM procedures_procedure",
])
def test_odd_input_never_errors(client, sites, catalogue, text):
    found, _query, _loose = find(sites[0], text=text)
    list(found[:5])
    response = client.get("/cong/tuyen-quang/thu-tuc/", {"q": text, "trang": "x"})
    assert response.status_code == 200


def test_filters_combine_with_search(sites, catalogue):
    province = sites[0]
    filters = {"level": "", "field": "Hộ tịch", "agency": "", "online": ""}
    assert names(find(province, text="dang ky", filters=filters)[0]) == ["Đăng ký khai sinh", "Đăng ký khai tử"]
    assert names(find(province, text="khai sinh", filters={**filters, "field": "Xây dựng"})[0]) == []
    by_online = names(find(province, filters={"level": "", "field": "", "agency": "", "online": "mot-phan"})[0])
    assert by_online == [catalogue["permit"].name]
    by_agency = names(find(province, text="giay phep", filters={"level": "", "field": "", "agency": "Sở Xây dựng", "online": ""})[0])
    assert len(by_agency) == 2


def test_the_list_shows_active_procedures_in_vietnamese_order_with_filters_in_the_address(client, sites, catalogue):
    make(sites[0].unit, "Đăng ký kết hôn", field="Hộ tịch", level=Level.COMMUNE)
    make(sites[0].unit, "Dăng ký thử (sai chính tả)", field="Hộ tịch", level=Level.COMMUNE)
    page = client.get("/cong/tuyen-quang/thu-tuc/", {"linh-vuc": "Hộ tịch"}).content.decode()
    # d before đ; "kết hôn" before "khai sinh" (e … h)
    order = [page.index(n) for n in ("Dăng ký thử", "Đăng ký kết hôn", "Đăng ký khai sinh", "Đăng ký khai tử")]
    assert order == sorted(order)
    assert "Cấp giấy phép" not in page
    assert "4 thủ tục đang áp dụng" in page


def test_an_abolished_procedure_leaves_the_list_and_its_page_says_by_which_decision(client, sites, catalogue, org_tree):
    abolishing = decision(org_tree.province, "2666/QĐ-UBND", dt.date(2025, 11, 26))
    permit = catalogue["permit_repair"]
    permit.status, permit.abolished_by, permit.abolished_on = Procedure.Status.ABOLISHED, abolishing, dt.date(2025, 11, 26)
    permit.save()
    ProcedureChange.objects.create(procedure=permit, decision=abolishing, kind=Change.ABOLISHED, date=dt.date(2025, 11, 26))
    assert permit.name not in names(find(sites[0], text="sua chua")[0])
    listing = client.get("/cong/tuyen-quang/thu-tuc/", {"q": "cap giay phep"}).content.decode()
    assert "Cấp giấy phép sửa chữa" not in listing
    page = client.get(f"/cong/tuyen-quang/thu-tuc/{permit.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Thủ tục này đã bị bãi bỏ" in text and "26/11/2025" in text and "2666/QĐ-UBND" in text
    # and the recent changes list it, with a link to its page
    recent = client.get("/cong/tuyen-quang/thu-tuc/moi-cong-bo/").content.decode()
    assert "2666/QĐ-UBND" in recent and f"/cong/tuyen-quang/thu-tuc/{permit.pk}/" in recent and "Bãi bỏ" in recent


def test_the_procedure_page_gives_what_to_prepare(client, sites, catalogue, org_tree):
    publishing = decision(org_tree.province, "1520/QĐ-UBND", dt.date(2025, 8, 4), title="Công bố danh mục TTHC lĩnh vực xây dựng")
    permit = catalogue["permit"]
    permit.introduced_by = publishing
    permit.save()
    response = client.get(f"/cong/tuyen-quang/thu-tuc/{permit.pk}/")
    text = response.content.decode()
    for expected in ("Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt", "1.009972.000.00.00.H56", "Sở Xây dựng",
                     "Trung tâm Phục vụ hành chính công tỉnh", "20 ngày làm việc", "Lệ phí: 150.000 đồng/giấy phép",
                     "Đơn đề nghị cấp giấy phép xây dựng", "Bản vẽ thiết kế xây dựng", "Luật Xây dựng số 50/2014/QH13",
                     "Nghị định số 15/2021/NĐ-CP", "1520/QĐ-UBND", "04/08/2025", "bưu chính công ích",
                     "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html?keyword=1.009972"):
        assert expected in text, expected
    assert f'<link rel="canonical" href="http://testserver/cong/tuyen-quang/thu-tuc/{permit.pk}/">' in text
    assert 'property="og:title" content="Cấp giấy phép xây dựng mới' in text
    birth = client.get(f"/cong/tuyen-quang/thu-tuc/{catalogue['birth'].pk}/").content.decode()
    assert "Không mất phí" in birth or "Miễn phí" in birth
    assert "toàn bộ" in birth  # the plain sentence for a fully online procedure


def test_a_site_shows_its_own_and_its_parents_catalogues_only(client, sites, catalogue, org_tree):
    province, commune, other = sites
    own = make(org_tree.commune_a, "Xác nhận tình trạng hôn nhân", field="Hộ tịch", level=Level.COMMUNE)
    assert client.get(f"/cong/ha-giang-1/thu-tuc/{catalogue['permit'].pk}/").status_code == 200  # the province's
    assert client.get(f"/cong/ha-giang-1/thu-tuc/{own.pk}/").status_code == 200
    assert client.get(f"/cong/tuyen-quang/thu-tuc/{own.pk}/").status_code == 404  # a commune's is not the province's
    assert client.get(f"/cong/tuyen-quang/thu-tuc/{catalogue['elsewhere'].pk}/").status_code == 404
    assert client.get(f"/cong/dong-thap/thu-tuc/{catalogue['permit'].pk}/").status_code == 404
    assert client.get("/cong/tuyen-quang/thu-tuc/999999/").status_code == 404


def test_a_commune_site_opens_on_commune_level_procedures(client, sites, catalogue):
    page = client.get("/cong/ha-giang-1/thu-tuc/").content.decode()
    assert "Đăng ký khai sinh" in page and "Cấp giấy phép xây dựng mới" not in page
    assert "Xem tất cả các cấp" in page
    every = client.get("/cong/ha-giang-1/thu-tuc/", {"cap": ""}).content.decode()
    assert "Đăng ký khai sinh" in every and "Cấp giấy phép xây dựng mới" in every
    # a search limited to the commune level points to the other levels' answers
    search_page = client.get("/cong/ha-giang-1/thu-tuc/", {"q": "giay phep xay dung", "cap": "xa"}).content.decode()
    assert "ở cấp khác" in search_page
    # the province's own site opens on every level
    assert "Cấp giấy phép xây dựng mới" in client.get("/cong/tuyen-quang/thu-tuc/").content.decode()


def test_paging(client, sites, org_tree):
    for i in range(45):
        make(org_tree.province, f"Thủ tục thử số {i:02d}", field="Thử")
    first = client.get("/cong/tuyen-quang/thu-tuc/", {"q": "thu tuc thu"}).content.decode()
    assert "Trang 1/3" in first and "Thủ tục thử số 00" in first and "Thủ tục thử số 20" not in first
    assert 'href="?q=thu+tuc+thu&amp;trang=2"' in first
    third = client.get("/cong/tuyen-quang/thu-tuc/", {"q": "thu tuc thu", "trang": 3}).content.decode()
    assert "Thủ tục thử số 44" in third and "Thủ tục thử số 39" not in third
    assert client.get("/cong/tuyen-quang/thu-tuc/", {"trang": 99}).status_code == 200


def test_the_recent_page_and_home_block_list_the_last_decisions(client, sites, catalogue, org_tree):
    old = decision(org_tree.province, "100/QĐ-UBND", dt.date(2020, 1, 1))
    new = decision(org_tree.province, "2666/QĐ-UBND", timezone.localdate() - dt.timedelta(days=10))
    ProcedureChange.objects.create(procedure=catalogue["birth"], decision=new, kind=Change.NEW, date=new.date)
    ProcedureChange.objects.create(procedure=catalogue["permit"], decision=new, kind=Change.AMENDED, date=new.date)
    ProcedureChange.objects.create(procedure=catalogue["death"], decision=old, kind=Change.NEW, date=old.date)
    recent = client.get("/cong/tuyen-quang/thu-tuc/moi-cong-bo/").content.decode()
    assert recent.index("2666/QĐ-UBND") < recent.index("100/QĐ-UBND")  # newest first; few decisions: the old one too
    assert "Mới ban hành (1)" in recent and "Sửa đổi, bổ sung (1)" in recent
    home = client.get("/cong/tuyen-quang/").content.decode()
    assert 'data-block="procedures.recent"' in home and "Đăng ký khai sinh" in home
    assert 'href="/cong/tuyen-quang/thu-tuc/"' in home  # the menu
    sitemap = client.get("/cong/tuyen-quang/sitemap.xml").content.decode()
    assert f"/cong/tuyen-quang/thu-tuc/{catalogue['permit'].pk}/" in sitemap
    # a decision that lists a procedure again (regardless of boundaries) says so, even where the catalogue
    # first learnt of the procedure from it: not "newly issued"
    again = decision(org_tree.province, "1520/QĐ-UBND", timezone.localdate() - dt.timedelta(days=2))
    catalogue["death"].introduced_by = again
    catalogue["death"].save()
    ProcedureChange.objects.create(procedure=catalogue["death"], decision=again, kind=Change.UNCHANGED, date=again.date)
    cache.clear()  # the pages are forgotten once the change commits; this test's transaction never does
    recent = client.get("/cong/tuyen-quang/thu-tuc/moi-cong-bo/").content.decode()
    listed_again = recent[recent.index("1520/QĐ-UBND"):recent.index("2666/QĐ-UBND")]
    assert "Giữ nguyên, công bố lại (1)" in listed_again and "Mới ban hành" not in listed_again
    assert "/cong/tuyen-quang/thu-tuc/moi-cong-bo/" in sitemap
    assert f"/thu-tuc/{catalogue['elsewhere'].pk}/" not in sitemap


def test_a_site_without_catalogue_shows_no_menu_entry_nor_block(client, sites):
    home = client.get("/cong/tuyen-quang/").content.decode()
    assert "/thu-tuc/" not in home


@pytest.mark.django_db(transaction=True)
def test_pages_are_cached_and_forgotten_when_the_catalogue_changes(client, sites, catalogue, org_tree, settings):
    settings.CCHC_PUBLIC_CACHE_SECONDS = 300
    commune_site = sites[1]
    url = "/cong/ha-giang-1/thu-tuc/"  # a commune's site shows the province's catalogue
    assert "Đăng ký khai sinh" in client.get(url).content.decode()
    birth = catalogue["birth"]
    Procedure.objects.filter(pk=birth.pk).update(name="Đăng ký khai sinh (đổi tên lén)")  # no signal: cache answers
    assert "Đăng ký khai sinh (đổi tên lén)" not in client.get(url).content.decode()
    birth.name = "Đăng ký khai sinh có yếu tố nước ngoài"
    birth.save()
    assert "Đăng ký khai sinh có yếu tố nước ngoài" in client.get(url).content.decode()
    # a decision applied forgets the pages of every site that shows the catalogue, once per transaction
    recent = client.get("/cong/ha-giang-1/thu-tuc/moi-cong-bo/").content.decode()
    assert "3000/QĐ-UBND" not in recent
    before, other_before = portal_sites.generation(commune_site.pk), portal_sites.generation(sites[2].pk)
    with transaction.atomic():
        applied = decision(org_tree.province, "3000/QĐ-UBND", timezone.localdate())
        for p in Procedure.objects.filter(unit=org_tree.province):
            p.last_decision = applied
            p.save()
        assert portal_sites.generation(commune_site.pk) == before  # not before the commit
    assert portal_sites.generation(commune_site.pk) == before + 1
    assert "3000/QĐ-UBND" in client.get("/cong/ha-giang-1/thu-tuc/moi-cong-bo/").content.decode()
    # another province's site is not forgotten
    assert portal_sites.generation(sites[2].pk) == other_before


def test_the_index_follows_saves_updates_and_deletes(sites, catalogue, org_tree):
    province = sites[0]
    death = catalogue["death"]
    death.name = "Đăng ký khai tử lưu động"
    death.save(update_fields=["name"])
    assert names(find(province, text="luu dong")[0]) == ["Đăng ký khai tử lưu động"]
    death.delete()
    assert names(find(province, text="luu dong")[0]) == []
    # rows written in bulk are found after reindex()
    rows = Procedure.objects.bulk_create([Procedure(unit=org_tree.province, name="Cấp phiếu lý lịch tư pháp", field="Lý lịch tư pháp")])
    assert names(find(province, text="ly lich")[0]) == []
    assert search.reindex(Procedure.objects.filter(pk__in=[r.pk for r in rows])) == 1
    assert names(find(province, text="ly lich")[0]) == ["Cấp phiếu lý lịch tư pháp"]
    assert search.reindex(Procedure.objects.all()) == 0


def test_the_index_is_the_databases_own(db):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name LIKE 'procedures_fts%'")
            assert cursor.fetchone()[0] >= 4  # the FTS5 table and its three triggers
        elif connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'procedures_search_vector_gin'")
            assert "gin" in cursor.fetchone()[0]


def test_sort_key_follows_vietnamese_order():
    words = ["Đăng", "Dăng", "Ăn", "An", "Âm", "Bé", "Be", "Bè", "Ba", "Băng", "Á", "A"]
    from cchc.core.text import vi_sorted

    assert sorted(words, key=search.sort_key) == vi_sorted(words)
    assert search.sort_key("Đăng ký") < search.sort_key("Đăng ký khai sinh")
