"""Loading the national unit directory (`cchc load-units`)."""

import datetime as dt
import re

import pytest
from django.core.management import call_command

from cchc.org.loader import load_units
from cchc.org.models import Unit

pytestmark = pytest.mark.django_db

CURRENT = dt.date(2025, 7, 1)
BEFORE = dt.date(2023, 6, 1)


def test_current_provinces_and_communes_are_all_there(unit_directory):
    current = Unit.objects.active_on(dt.date(2025, 8, 1))
    assert current.filter(kind__in=Unit.PROVINCE_KINDS, parent__isnull=True).count() == 34
    assert current.filter(kind__in=[Unit.Kind.COMMUNE, Unit.Kind.WARD, Unit.Kind.SPECIAL_ZONE],
                          code__regex=r"^\d{5}$").count() == 3321
    tuyen_quang = Unit.objects.get(code="08")
    assert tuyen_quang.name == "Tỉnh Tuyên Quang"
    assert tuyen_quang.valid_from == CURRENT and tuyen_quang.valid_to is None
    commune = Unit.objects.filter(parent=tuyen_quang, kind=Unit.Kind.COMMUNE).first()
    assert commune.path == f"/08/{commune.code}/" and commune.depth == 1


def test_legacy_provinces_and_districts_are_closed_on_30_june_2025(unit_directory):
    before = Unit.objects.active_on(BEFORE)
    assert before.filter(kind__in=Unit.PROVINCE_KINDS, parent__isnull=True).count() == 63
    district_kinds = [Unit.Kind.DISTRICT, Unit.Kind.URBAN_DISTRICT, Unit.Kind.PROVINCIAL_CITY, Unit.Kind.TOWN]
    assert before.filter(kind__in=district_kinds).count() == 696
    assert not Unit.objects.active_on(CURRENT).filter(kind__in=district_kinds).exists()
    ha_giang = Unit.objects.get(code="old-02")
    assert ha_giang.valid_to == dt.date(2025, 6, 30)


def test_old_provinces_roll_up_into_the_province_they_merged_into(unit_directory):
    assert Unit.objects.get(name="Tỉnh Hà Giang", valid_to__isnull=False).final_successor().name == "Tỉnh Tuyên Quang"
    assert Unit.objects.get(name="Tỉnh Thái Bình").final_successor().name == "Tỉnh Hưng Yên"
    district = Unit.objects.get(code="old-02-024")  # Thành phố Hà Giang
    assert district.final_successor().code == "08"
    # A commune of before points to the commune that took it over.
    old_commune = Unit.objects.filter(path__startswith="/old-02/", kind=Unit.Kind.COMMUNE).first()
    assert old_commune.final_successor().kind in Unit.COMMUNE_KINDS
    assert old_commune.final_successor().path.startswith("/08/")


def test_merged_departments_roll_up_into_the_department_that_absorbed_them(unit_directory):
    expectations = {
        "old-02.STTTT": "08.SKHCN",   # Thông tin và Truyền thông -> Khoa học và Công nghệ
        "old-02.SKHDT": "08.STC",     # Kế hoạch và Đầu tư -> Tài chính
        "old-02.SLDTBXH": "08.SNV",   # Lao động - TB&XH -> Nội vụ
        "old-02.SGTVT": "08.SXD",     # Giao thông vận tải -> Xây dựng
        "old-02.STNMT": "08.SNNMT",
        "old-02.SNNPTNT": "08.SNNMT",
        "old-02.SNV": "08.SNV",
        "old-02.DPTTH": "08.BPTTH",   # radio-television and newspaper merged in 2025
        "old-02.BAO": "08.BPTTH",
        "old-34.SNV": "33.SNV",       # Thái Bình -> Hưng Yên
    }
    for old, new in expectations.items():
        assert Unit.objects.get(code=old).final_successor().code == new, old


def test_agencies_carry_names_short_names_and_aliases(unit_directory):
    snv = Unit.objects.get(code="08.SNV")
    assert snv.name == "Sở Nội vụ tỉnh Tuyên Quang"
    assert snv.short_name == "Sở Nội vụ"
    assert {"Sở NV", "SNV"} <= set(snv.aliases)
    assert "UBND tỉnh" == Unit.objects.get(code="08.UBND").short_name
    assert "Đài PT-TH tỉnh" in Unit.objects.get(code="08.BPTTH").aliases
    assert "Sở TT&TT" in Unit.objects.get(code="old-02.STTTT").aliases
    assert Unit.objects.get(code="08.TTPVHCC").parent.code == "08.VPUB"
    assert Unit.objects.get(code="08.CDVC").valid_from == CURRENT
    # Accent-insensitive search finds them by any of their names.
    assert Unit.objects.current().search("so nv").filter(path__startswith="/08/").get().code == "08.SNV"
    assert Unit.objects.filter(name__startswith="Sở Nội vụ", valid_to__isnull=True).count() == 34


def test_a_second_load_changes_nothing(unit_directory):
    counts = load_units()
    assert counts["created"] == counts["updated"] == counts["closed"] == 0
    assert counts["unchanged"] == Unit.objects.filter(code__regex=r"^(old-|\d{2})").count()


def test_a_reload_repairs_changed_names_and_closes_what_the_data_no_longer_lists(unit_directory):
    Unit.objects.filter(code="08.SNV").update(name="Sở Nội vụ (sai)", aliases=[])
    stray = Unit(code="08.SGTVT", name="Sở Giao thông vận tải tỉnh Tuyên Quang", kind=Unit.Kind.DEPARTMENT,
                 parent=Unit.objects.get(code="08"), valid_from=CURRENT)
    stray.refresh_derived()
    stray.save()
    own = Unit(code="08.SNV.PCCHC", name="Phòng Cải cách hành chính", kind=Unit.Kind.DIVISION,
               parent=Unit.objects.get(code="08.SNV"))
    own.refresh_derived()
    own.save()

    counts = load_units()

    assert counts["updated"] == 1 and counts["closed"] == 1 and counts["created"] == 0
    snv = Unit.objects.get(code="08.SNV")
    assert snv.name == "Sở Nội vụ tỉnh Tuyên Quang" and "SNV" in snv.aliases
    assert Unit.objects.get(code="08.SGTVT").valid_to is not None
    assert Unit.objects.get(code="08.SNV.PCCHC").valid_to is None  # not the loader's to close


def test_command_prints_counts_and_time(unit_directory, capsys):
    call_command("load_units")
    out = capsys.readouterr().out
    assert "0 created, 0 updated, 0 closed" in out
    assert re.search(r"\d+\.\d", out.splitlines()[-1])  # elapsed seconds, in whatever language


LEGACY_POSTS = {"VPTK", "TPHT", "VHXH", "TCKT", "DCXD", "CA", "QS", "DTT"}
CURRENT_DIVISIONS = {"VP", "KT", "VHXH", "TTPVHCC"}


def test_every_commune_has_its_standard_divisions_dated_with_it(unit_directory):
    in_communes = Unit.objects.filter(parent__kind__in=sorted(Unit.COMMUNE_KINDS))
    legacy_communes = Unit.objects.filter(code__regex=r"^old-\d{2}-\d{3}-\d{5}$")
    current_communes = Unit.objects.filter(code__regex=r"^\d{5}$")
    assert legacy_communes.count() == 10051 and current_communes.count() == 3321
    assert in_communes.filter(code__startswith="old-").count() == 8 * 10051
    assert in_communes.exclude(code__startswith="old-").count() == 4 * 3321
    assert not in_communes.filter(code__startswith="old-").exclude(valid_to=dt.date(2025, 6, 30)).exists()
    assert not in_communes.exclude(code__startswith="old-").exclude(valid_from=CURRENT, valid_to__isnull=True).exists()

    duc_tan = Unit.objects.get(code="old-51-533-21427")
    assert {u.code.split(".")[1] for u in duc_tan.children.all()} == LEGACY_POSTS
    culture = Unit.objects.get(code="old-51-533-21427.VHXH")
    assert culture.name == "Văn hóa – Xã hội xã Đức Tân" and culture.path == f"{duc_tan.path}{culture.code}/"
    assert "Công chức Văn hóa – Xã hội" in culture.aliases
    mo_duc = Unit.objects.get(code="21400")
    assert {u.code.split(".")[1] for u in mo_duc.children.all()} == CURRENT_DIVISIONS
    assert Unit.objects.get(code="21400.VP").name == "Văn phòng HĐND và UBND xã Mộ Đức"
    ward = Unit.objects.filter(code__regex=r"^\d{5}$", kind=Unit.Kind.WARD).first()
    assert Unit.objects.get(code=f"{ward.code}.KT").short_name == "Phòng Kinh tế, Hạ tầng và Đô thị"


def test_a_post_of_an_old_commune_rolls_up_into_the_division_that_carries_its_work(unit_directory):
    expectations = {"VPTK": "21400.VP", "TPHT": "21400.VP", "VHXH": "21400.VHXH", "TCKT": "21400.KT",
                    "DCXD": "21400.KT", "DTT": "21400.VHXH", "CA": "21400", "QS": "21400"}
    for key, successor in expectations.items():
        assert Unit.objects.get(code=f"old-51-533-21427.{key}").successor.code == successor, key


def test_divisions_are_stored_as_refresh_derived_computes_them(unit_directory):
    """The loader fills divisions from templates folded once; a unit saved by hand gets the same."""
    for code in ("old-51-533-21427.DCXD", "21400.TTPVHCC", "old-02-024-00688.VPTK"):
        unit = Unit.objects.get(code=code)
        stored = (unit.name, unit.short_name, list(unit.aliases), unit.path, unit.depth, unit.search_text)
        unit.refresh_derived()
        assert (unit.name, unit.short_name, unit.aliases, unit.path, unit.depth, unit.search_text) == stored, code
    assert Unit.objects.current().search("van hoa xa hoi mo duc").get().code == "21400.VHXH"


def test_a_reload_closes_a_division_the_data_no_longer_lists_and_keeps_others_own(unit_directory):
    mo_duc = Unit.objects.get(code="21400")
    stray = Unit(code="21400.VPTK", name="Văn phòng – Thống kê xã Mộ Đức", kind=Unit.Kind.DIVISION, parent=mo_duc,
                 valid_from=CURRENT)
    own = Unit(code="21400.TDT", name="Tổ dân vận", kind=Unit.Kind.DIVISION, parent=mo_duc, valid_from=CURRENT)
    for unit in (stray, own):
        unit.refresh_derived()
        unit.save()
    Unit.objects.filter(code="21400.VHXH").update(name="Phòng Văn hóa (sai)")

    counts = load_units()

    assert counts["closed"] == 1 and counts["updated"] == 1 and counts["created"] == 0
    assert Unit.objects.get(code="21400.VPTK").valid_to is not None
    assert Unit.objects.get(code="21400.TDT").valid_to is None
    assert Unit.objects.get(code="21400.VHXH").name == "Phòng Văn hóa – Xã hội xã Mộ Đức"


def test_a_picker_of_a_provinces_units_leaves_out_other_communes_divisions(unit_directory):
    in_province = Unit.objects.current().filter(path__startswith="/51/")
    mo_duc = Unit.objects.get(code="21400")
    offered = set(in_province.outside_communes().values_list("code", flat=True))
    assert "51.SNV" in offered and "21400" in offered and "21400.VHXH" not in offered
    own = set(in_province.outside_communes(keeping=Unit.objects.get(code="21400.VHXH")).values_list("code", flat=True))
    assert own - offered == {f"21400.{k}" for k in CURRENT_DIVISIONS}
    assert set(in_province.outside_communes(keeping=mo_duc).values_list("code", flat=True)) == own
