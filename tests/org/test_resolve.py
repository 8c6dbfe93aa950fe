"""Resolving the agency names that plans write into units (`cchc.org.resolve`)."""

import datetime as dt

import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection

from cchc.org.models import Unit
from cchc.org.resolve import resolve_agencies, resolve_agency

pytestmark = pytest.mark.django_db

SEED_004_DATE = dt.date(2022, 12, 19)  # UBND tỉnh Hà Giang, 233/QĐ-UBND, plan for 2023
SEED_000_DATE = dt.date(2022, 6, 1)    # UBND tỉnh Bình Phước, plan for 2022 (draft, undated)
DEPARTMENTS = "departments"
DISTRICTS = "districts"
COMMUNES = "communes"

# Seed 004, appendix table: lead (chủ trì) and coordinating (phối hợp) agencies, as written, and
# what they name in legacy Hà Giang ("old-02"): codes of single units or a group.
SEED_004 = [
    ("Các sở, ban, ngành, UBND các huyện, thành phố", [DEPARTMENTS, DISTRICTS]),
    ("Đài Phát thanh và truyền hình tỉnh; Báo Hà Giang", ["old-02.DPTTH", "old-02.BAO"]),
    ("Sở Tài chính", ["old-02.STC"]),
    ("Sở Nội vụ.", ["old-02.SNV"]),
    ("Văn phòng UBND tỉnh và các đơn vị có liên quan.", ["old-02.VPUB"]),
    ("Sở Nội vụ", ["old-02.SNV"]),
    ("Các sở, ngành, UBND các huyện, thành phố;", [DEPARTMENTS, DISTRICTS]),
    ("Sở Nội vụ; Sở Thông tin và Truyền thông.", ["old-02.SNV", "old-02.STTTT"]),
    ("Báo Hà Giang", ["old-02.BAO"]),
    ("Sở Nội vụ và các đơn vị có liên quan", ["old-02.SNV"]),
    ("Đài Phát thanh - Truyền hình tỉnh", ["old-02.DPTTH"]),
    ("Các Sở, ban, ngành; UBND các huyện, thành phố.", [DEPARTMENTS, DISTRICTS]),
    ("Sở Nội vụ; các sở, ngành liên quan và UBND các huyện, thành phố.", ["old-02.SNV", DEPARTMENTS, DISTRICTS]),
    ("Sở Kế hoạch và Đầu tư", ["old-02.SKHDT"]),
    ("Văn phòng UBND tỉnh; các sở, ngành liên quan và UBND các huyện, thành phố.",
     ["old-02.VPUB", DEPARTMENTS, DISTRICTS]),
    ("Sở Văn hóa Thể thao và Du lịch; Sở Kế hoạch và Đầu tư.", ["old-02.SVHTTDL", "old-02.SKHDT"]),
    ("Đài Phát thanh và truyền hình tỉnh; Báo Hà Giang", ["old-02.DPTTH", "old-02.BAO"]),
    ("Trung tâm phục vụ hành chính công tỉnh", ["old-02.TTPVHCC"]),
    ("Sở Thông tin và Truyền thông; các sở, ngành và UBND các huyện, thành phố.",
     ["old-02.STTTT", DEPARTMENTS, DISTRICTS]),
    # named in the body of the plan (V. Tổ chức thực hiện)
    ("Ban Thi đua khen thưởng tỉnh", ["old-02.BTDKT"]),
    ("Văn phòng UBND tỉnh", ["old-02.VPUB"]),
    ("Trung tâm Thông tin - Công báo", ["old-02.TTTTCB"]),
    ("Sở Tư pháp", ["old-02.STP"]),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Hà Giang", ["old-02.MTTQ"]),
]
# Named there but outside the directory: no unit, not resolved.
SEED_004_OUTSIDE = [
    "Cơ sở đào tạo bồi dưỡng.",
    "Đài phát thanh - Truyền hình Trung ương.",
    "Báo nhân dân/Vietnamnet và các đơn vị có liên quan",
]

# Seed 000, II.3 key activities, in legacy Bình Phước ("old-70").
SEED_000 = [
    ("Công Đoàn viên chức tỉnh", ["old-70.CDVC"]),
    ("Sở Nội vụ.", ["old-70.SNV"]),
    ("Các sở, ban, ngành tỉnh; UBND các huyện, thị xã, thành phố; UBND các xã, phường, thị trấn và các cơ quan, "
     "đơn vị liên quan.", [DEPARTMENTS, DISTRICTS, COMMUNES]),
    ("Sở Kế hoạch và Đầu tư.", ["old-70.SKHDT"]),
    ("Các sở, ban, ngành tỉnh; UBND các huyện, thị xã, thành phố và các cơ quan, đơn vị liên quan.",
     [DEPARTMENTS, DISTRICTS]),
    ("Đài Phát thanh - Truyền hình và Báo Bình Phước", ["old-70.DPTTH", "old-70.BAO"]),
]
SEED_000_UNRESOLVED = ["Công Đoàn cơ sở trực thuộc và các cơ quan, đơn vị liên quan."]


def _expected(province: Unit, on: dt.date, names: list[str]) -> set[str]:
    active = Unit.objects.active_on(on).filter(path__startswith=province.path)
    codes: set[str] = set()
    for name in names:
        if name == DEPARTMENTS:
            codes |= set(active.filter(parent=province, kind__in=["department", "agency", "office"])
                         .values_list("code", flat=True))
        elif name == DISTRICTS:
            codes |= set(active.filter(kind__in=["district", "urban_district", "provincial_city", "town"])
                         .values_list("code", flat=True))
        elif name == COMMUNES:
            codes |= set(active.filter(kind__in=sorted(Unit.COMMUNE_KINDS)).values_list("code", flat=True))
        else:
            codes.add(name)
    return codes


@pytest.mark.parametrize(("context", "on", "table"), [
    ("old-02", SEED_004_DATE, SEED_004), ("old-70", SEED_000_DATE, SEED_000),
], ids=["seed004-ha-giang", "seed000-binh-phuoc"])
def test_every_lead_and_coordinating_agency_of_the_seeds_resolves(unit_directory, context, on, table):
    province = Unit.objects.get(code=context)
    results = resolve_agencies([text for text, _ in table], context=province, on=on)
    for (text, names), result in zip(table, results):
        assert result.resolved, text
        assert {u.code for u in result.units} == _expected(province, on, names), text
        assert result.is_group == (len(result.units) > 1), text


def test_the_seeds_names_outside_the_directory_stay_unresolved(unit_directory):
    ha_giang = Unit.objects.get(code="old-02")
    for result in resolve_agencies(SEED_004_OUTSIDE, context=ha_giang, on=SEED_004_DATE):
        assert not result.resolved and result.units == [], result.text
    central = resolve_agency("Đài phát thanh - Truyền hình Trung ương", context=ha_giang, on=SEED_004_DATE)
    assert central.confidence < 0.5
    grassroots = resolve_agency(SEED_000_UNRESOLVED[0], context=Unit.objects.get(code="old-70"), on=SEED_000_DATE)
    assert not grassroots.resolved
    assert "old-70.CDVC" in [c.unit.code for c in grassroots.candidates]


@pytest.mark.parametrize("text", [
    "Sở TT&TT", "Sở TTTT", "Sở Thông tin và Truyền thông", "so thong tin va truyen thong", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
])
def test_abbreviated_accentless_and_upper_case_forms_name_the_same_department(unit_directory, text):
    result = resolve_agency(text, context=Unit.objects.get(code="old-02"), on=SEED_004_DATE)
    assert [u.code for u in result.units] == ["old-02.STTTT"] and result.resolved


@pytest.mark.parametrize(("text", "code"), [
    ("Đài PT-TH", "old-02.DPTTH"), ("Đài PTTH tỉnh", "old-02.DPTTH"), ("dai phat thanh truyen hinh tinh", "old-02.DPTTH"),
    ("VP UBND tỉnh", "old-02.VPUB"), ("Văn phòng Ủy ban nhân dân tỉnh", "old-02.VPUB"),
    ("UBND tỉnh", "old-02.UBND"), ("Ủy ban nhân dân tỉnh Hà Giang", "old-02.UBND"),
    ("Công đoàn viên chức tỉnh", "old-02.CDVC"), ("cong doan vien chuc tinh", "old-02.CDVC"),
    ("Sở Văn hóa, Thể thao và Du lịch", "old-02.SVHTTDL"), ("Sở VHTTDL", "old-02.SVHTTDL"),
    ("Sở LĐTBXH", "old-02.SLDTBXH"), ("Sở KH&ĐT", "old-02.SKHDT"), ("Sở NN&PTNT", "old-02.SNNPTNT"),
    ("Sở TN&MT", "old-02.STNMT"), ("Sở GD&ĐT", "old-02.SGDDT"), ("Sở Nôi vụ", "old-02.SNV"),
    ("Huyện Bắc Mê", "old-02-031"), ("UBND huyện Bắc Mê", "old-02-031"),
])
def test_forms_written_in_plans(unit_directory, text, code):
    result = resolve_agency(text, context=Unit.objects.get(code="old-02"), on=SEED_004_DATE)
    assert [u.code for u in result.units] == [code], text


def test_after_the_reorganisation_old_names_lead_to_the_merged_departments(unit_directory):
    bac_ninh = Unit.objects.get(code="24")
    on = dt.date(2025, 9, 1)
    answers = {
        "Sở Nội vụ": "24.SNV",
        "Sở TT&TT": "24.SKHCN",
        "Sở Kế hoạch và Đầu tư": "24.STC",
        "Sở Lao động - Thương binh và Xã hội": "24.SNV",
        "Đài PT-TH tỉnh": "24.BPTTH",
        "Báo Bắc Ninh": "24.BPTTH",
        "Sở Nông nghiệp và Môi trường": "24.SNNMT",
    }
    results = resolve_agencies(list(answers), context=bac_ninh, on=on)
    for (text, code), result in zip(answers.items(), results):
        assert [u.code for u in result.units] == [code], text
        assert result.resolved, text


def test_the_date_decides_which_units_a_plan_means(unit_directory):
    tuyen_quang = Unit.objects.get(code="08")
    before = resolve_agency("Sở Nội vụ", context=tuyen_quang, on=dt.date(2023, 3, 1))
    after = resolve_agency("Sở Nội vụ", context=tuyen_quang, on=dt.date(2025, 9, 1))
    assert [u.code for u in before.units] == ["old-08.SNV"]
    assert [u.code for u in after.units] == ["08.SNV"]
    # A department of another province is not one of this province's.
    assert not resolve_agency("Báo Bình Phước", context=Unit.objects.get(code="old-02"), on=SEED_004_DATE).resolved


def test_group_phrases_after_the_reorganisation(unit_directory):
    bac_ninh = Unit.objects.get(code="24")
    on = dt.date(2025, 9, 1)
    communes, districts, departments = resolve_agencies(
        ["UBND các xã, phường", "UBND các huyện, thành phố", "các sở, ban, ngành"], context=bac_ninh, on=on)
    assert communes.is_group and communes.resolved
    assert {u.code for u in communes.units} == set(
        Unit.objects.filter(parent=bac_ninh, kind__in=sorted(Unit.COMMUNE_KINDS)).values_list("code", flat=True))
    assert districts.is_group and districts.units == [] and not districts.resolved  # no districts since 1/7/2025
    assert "24.SNV" in {u.code for u in departments.units} and "24.UBND" not in {u.code for u in departments.units}


def test_sub_units_of_the_issuing_unit(unit_directory):
    snv = Unit.objects.get(code="08.SNV")
    division = Unit(code="08.SNV.PCCHC", name="Phòng Cải cách hành chính", kind=Unit.Kind.DIVISION, parent=snv,
                    valid_from=dt.date(2025, 7, 1))
    division.refresh_derived()
    division.save()
    result = resolve_agency("các phòng và tương đương", context=snv, on=dt.date(2025, 9, 1))
    assert result.is_group and [u.code for u in result.units] == ["08.SNV.PCCHC"]
    assert resolve_agency("Phòng Cải cách hành chính", context=snv, on=dt.date(2025, 9, 1)).units == [division]


def test_a_commune_plan_without_sub_units_answers_unresolved_with_candidates(unit_directory):
    commune = Unit.objects.filter(path__startswith="/old-51/", name="Xã Đức Tân").first()
    assert commune is not None
    for text in ("Văn hóa - Xã hội xã", "Văn phòng – Thống kê xã"):
        result = resolve_agency(text, context=commune, on=dt.date(2024, 2, 20))
        assert not result.resolved and result.units == [], text
    assert resolve_agency("UBND xã", context=commune, on=dt.date(2024, 2, 20)).units == [commune]


def test_many_phrases_are_resolved_from_one_index_without_a_query_each(unit_directory):
    ha_giang = Unit.objects.get(code="old-02")
    texts = [text for text, _ in SEED_004]
    resolve_agencies(texts[:1], context=ha_giang, on=SEED_004_DATE)  # builds the index
    with CaptureQueriesContext(connection) as queries:
        resolve_agencies(texts, context=ha_giang, on=SEED_004_DATE)
    assert len(queries) <= 2
