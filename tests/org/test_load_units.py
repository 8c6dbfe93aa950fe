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
