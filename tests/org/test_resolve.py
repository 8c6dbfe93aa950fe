"""Resolving the agency names that plans write into units (`cchc.org.resolve`)."""

import datetime as dt

import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection

from cchc.org.models import Unit
from cchc.org.resolve import context_on, resolve_agencies, resolve_agency, standard_groups

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


OLD_DUC_TAN = "old-51-533-21427"  # Xã Đức Tân, huyện Mộ Đức, Quảng Ngãi (seed 001), until 30/06/2025
MO_DUC = "21400"                  # Xã Mộ Đức, which took it over on 1/7/2025
SEED_001_DATE = dt.date(2024, 2, 20)
AFTER = dt.date(2025, 9, 1)

# Seed 001, III and V: the lead and coordinating divisions of its 13 tasks, every occurrence (23),
# as the reader gave them when issue 8 was written; what each names in old Đức Tân ("*" = all its
# divisions; None = no unit of the directory).
SEED_001 = [
    ("Văn phòng – Thống kê xã", "VPTK"), ("Các ngành chuyên môn UBND xã", "*"),
    ("Văn hóa - Xã hội xã", "VHXH"), ("Cán bộ quản lý Đài truyền thanh xã", "DTT"),
    ("Văn hóa - Xã hội xã", "VHXH"), ("các ngành, hội đoàn thể xã", "*"),
    ("các cơ quan, đơn vị có liên quan", None),
    ("Tư pháp- Hộ tịch xã", "TPHT"), ("Các ngành, hội đoàn thể xã", "*"),
    ("Văn hóa – Xã hội", "VHXH"), ("Các ngành có liên quan", "*"),
    ("Tài chính- Kế toán xã", "TCKT"), ("Các ngành, hội đoàn thể xã", "*"),
    ("Văn hóa- Xã hội xã", "VHXH"), ("Văn phòng – Thống kê xã", "VPTK"),
    ("Văn hóa - Xã hội xã", "VHXH"), ("Cán bộ quản lý Đài truyền thanh xã", "DTT"),
    ("Các ban, ngành, hội đoàn thể xã", "*"), ("Văn hóa- Xã hội", "VHXH"), ("Tài chính - Kế toán xã", "TCKT"),
    ("Cán bộ quản lý Đài truyền thanh xã", "DTT"),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam", None), ("các Hội đoàn thể xã", None),  # the commune's own: not held
]
LEGACY_POSTS = {"VPTK", "TPHT", "VHXH", "TCKT", "DCXD", "CA", "QS", "DTT"}


def test_seed_001_resolves_20_of_its_23_agency_phrases_to_the_communes_divisions(unit_directory):
    duc_tan = Unit.objects.get(code=OLD_DUC_TAN)
    results = resolve_agencies([text for text, _ in SEED_001], context=duc_tan, on=SEED_001_DATE)
    for (text, key), result in zip(SEED_001, results):
        codes = {u.code for u in result.units}
        if key is None:
            assert not result.resolved and not codes, text
        elif key == "*":
            assert result.resolved and result.is_group, text
            assert codes == {f"{OLD_DUC_TAN}.{k}" for k in LEGACY_POSTS}, text
        else:
            assert result.resolved and codes == {f"{OLD_DUC_TAN}.{key}"}, text
    assert sum(r.resolved for r in results) >= 20
    # Named without "tỉnh", the Front is the commune's own, not the province's: offered, not chosen.
    front = results[-2]
    assert [c.unit.code for c in front.candidates] == ["old-51.MTTQ"]


@pytest.mark.parametrize(("text", "legacy", "current"), [
    ("Công chức Văn hóa - Xã hội", "VHXH", "VHXH"),
    ("Văn hóa – Xã hội", "VHXH", "VHXH"),
    ("Văn hoá - xã hội xã", "VHXH", "VHXH"),
    ("Phòng Văn hóa - Xã hội", "VHXH", "VHXH"),
    ("Tư pháp - Hộ tịch", "TPHT", "VP"),  # before: the post; after: its work is the office's
    ("Văn phòng HĐND và UBND xã", "VPTK", "VP"),
    ("Văn phòng - Thống kê", "VPTK", "VP"),
    ("Địa chính - Xây dựng xã", "DCXD", "KT"),
    ("Phòng Kinh tế", None, "KT"),
    ("Trung tâm Phục vụ hành chính công xã", None, "TTPVHCC"),
    ("Đài truyền thanh xã", "DTT", "VHXH"),
])
def test_a_communes_plan_names_its_divisions_before_and_after_the_reorganisation(unit_directory, text, legacy, current):
    before = resolve_agency(text, context=Unit.objects.get(code=OLD_DUC_TAN), on=SEED_001_DATE)
    if legacy is None:
        assert not before.resolved
    else:
        assert before.resolved and [u.code for u in before.units] == [f"{OLD_DUC_TAN}.{legacy}"], text
    after = resolve_agency(text, context=Unit.objects.get(code=MO_DUC), on=AFTER)
    assert after.resolved and [u.code for u in after.units] == [f"{MO_DUC}.{current}"], text


def test_a_ward_has_an_economic_infrastructure_and_urban_division(unit_directory):
    ward = Unit.objects.filter(kind=Unit.Kind.WARD, code__regex=r"^\d{5}$").first()
    division = Unit.objects.get(code=f"{ward.code}.KT")
    assert division.name.startswith("Phòng Kinh tế, Hạ tầng và Đô thị phường")
    for text in ("Phòng Kinh tế, Hạ tầng và Đô thị", "Phòng Kinh tế phường"):
        assert resolve_agency(text, context=ward, on=AFTER).units == [division], text


def test_divisions_are_the_issuing_communes_own_never_another_communes(unit_directory):
    tuyen_quang = Unit.objects.get(code="08")
    # In the province's plan, the centre is the province's; a commune's post is nobody's.
    assert [u.code for u in resolve_agency("Trung tâm Phục vụ hành chính công tỉnh", context=tuyen_quang,
                                           on=AFTER).units] == ["08.TTPVHCC"]
    assert [u.code for u in resolve_agency("Trung tâm Phục vụ hành chính công", context=tuyen_quang,
                                           on=AFTER).units] == ["08.TTPVHCC"]
    assert not any(u.kind == Unit.Kind.DIVISION
                   for u in resolve_agency("Phòng Văn hóa - Xã hội", context=tuyen_quang, on=AFTER).units)
    # A commune's plan: "UBND" and "UBND xã" are the commune; a department is the province's.
    mo_duc = Unit.objects.get(code=MO_DUC)
    for text in ("UBND", "UBND xã", "Ủy ban nhân dân xã Mộ Đức"):
        assert resolve_agency(text, context=mo_duc, on=AFTER).units == [mo_duc], text
    assert [u.code for u in resolve_agency("Sở Nội vụ", context=mo_duc, on=AFTER).units] == ["51.SNV"]
    assert [u.code for u in resolve_agency("Ủy ban MTTQ Việt Nam tỉnh", context=mo_duc, on=AFTER).units] == ["51.MTTQ"]


def test_a_plan_is_read_on_its_date_and_rolled_up_to_the_units_that_carry_its_work_today(unit_directory):
    """Seed 001 kept by today's Xã Mộ Đức: old Đức Tân's posts become Mộ Đức's divisions."""
    mo_duc = Unit.objects.get(code=MO_DUC)
    texts = ["Văn hóa - Xã hội xã", "Tư pháp- Hộ tịch xã", "Tài chính - Kế toán xã", "Các ngành chuyên môn UBND xã",
             "UBND huyện"]
    culture, justice, finance, branches, district = resolve_agencies(
        texts, context=mo_duc, on=SEED_001_DATE, issuer="Ủy ban nhân dân xã Đức Tân", roll_up_to=AFTER)
    assert [u.code for u in culture.named] == [f"{OLD_DUC_TAN}.VHXH"]
    assert [u.code for u in culture.units] == [f"{MO_DUC}.VHXH"]
    assert [u.code for u in justice.units] == [f"{MO_DUC}.VP"]
    assert [u.code for u in finance.units] == [f"{MO_DUC}.KT"]
    assert branches.is_group and {u.code for u in branches.units} >= {f"{MO_DUC}.{k}" for k in ("VP", "KT", "VHXH")}
    assert [g.kind for g in branches.groups] == ["branches"]
    # The district of 2024 (Mộ Đức) is carried on by the communes that took over its communes.
    old_district = Unit.objects.get(code="old-51-533")
    assert district.named == [old_district]
    expected = set(Unit.objects.filter(parent=old_district, kind__in=sorted(Unit.COMMUNE_KINDS))
                   .values_list("successor__code", flat=True))
    assert {u.code for u in district.units} == expected and MO_DUC in expected


def test_seed_004_kept_by_todays_tuyen_quang_names_the_districts_of_2023_and_their_communes_today(unit_directory):
    tuyen_quang = Unit.objects.get(code="08")
    today = dt.date(2026, 1, 15)
    [result] = resolve_agencies(["UBND các huyện, thành phố"], context=tuyen_quang, on=SEED_004_DATE,
                                issuer="Ủy ban nhân dân tỉnh Hà Giang", roll_up_to=today)
    districts = Unit.objects.filter(parent__code="old-02", kind__in=["district", "provincial_city", "town"])
    assert {u.code for u in result.named} == set(districts.values_list("code", flat=True)) and len(result.named) == 11
    communes = set(Unit.objects.filter(parent__in=districts).values_list("successor__code", flat=True))
    assert {u.code for u in result.units} == communes
    assert all(u.active_on(today) and u.kind in Unit.COMMUNE_KINDS and u.parent.code == "08" for u in result.units)
    assert result.resolved and result.is_group
    assert [(g.kind, len(g.units)) for g in result.groups] == [("districts", len(communes))]
    # Departments named in 2023 are today's departments that absorbed them.
    sttt, = resolve_agencies(["Sở Thông tin và Truyền thông"], context=tuyen_quang, on=SEED_004_DATE,
                              issuer="Ủy ban nhân dân tỉnh Hà Giang", roll_up_to=today)
    assert [u.code for u in sttt.named] == ["old-02.STTTT"] and [u.code for u in sttt.units] == ["08.SKHCN"]


def test_the_issuer_chooses_which_predecessor_issued_the_plan(unit_directory):
    tuyen_quang = Unit.objects.get(code="08")
    assert context_on(tuyen_quang, SEED_004_DATE, issuer="Ủy ban nhân dân tỉnh Hà Giang").code == "old-02"
    assert context_on(tuyen_quang, SEED_004_DATE, issuer="UBND tỉnh Tuyên Quang").code == "old-08"
    assert context_on(tuyen_quang, SEED_004_DATE).code == "old-08"  # no issuer: the one of the same name
    mo_duc = Unit.objects.get(code=MO_DUC)
    assert context_on(mo_duc, SEED_001_DATE, issuer="Ủy ban nhân dân xã Đức Tân").code == OLD_DUC_TAN
    assert context_on(mo_duc, AFTER, issuer="Ủy ban nhân dân xã Đức Tân") == mo_duc


def test_standard_groups_offer_a_whole_level_in_one_choice(unit_directory):
    groups = {g.kind: g.units for g in standard_groups(Unit.objects.get(code="08"), on=AFTER)}
    assert len(groups["communes"]) == Unit.objects.filter(parent__code="08", kind__in=sorted(Unit.COMMUNE_KINDS)).count()
    assert "08.SNV" in {u.code for u in groups["departments"]} and "districts" not in groups
    branches = standard_groups(Unit.objects.get(code=MO_DUC), on=AFTER)
    assert [g.kind for g in branches] == ["branches"]
    assert {u.code for u in branches[0].units} == {f"{MO_DUC}.{k}" for k in ("VP", "KT", "VHXH", "TTPVHCC")}


def test_many_phrases_are_resolved_from_one_index_without_a_query_each(unit_directory):
    ha_giang = Unit.objects.get(code="old-02")
    texts = [text for text, _ in SEED_004]
    resolve_agencies(texts[:1], context=ha_giang, on=SEED_004_DATE)  # builds the index
    with CaptureQueriesContext(connection) as queries:
        resolve_agencies(texts, context=ha_giang, on=SEED_004_DATE)
    assert len(queries) <= 2


def test_a_communes_phrases_are_resolved_from_its_index_without_a_query_each(unit_directory):
    duc_tan = Unit.objects.get(code=OLD_DUC_TAN)
    texts = [text for text, _ in SEED_001]
    resolve_agencies(texts[:1], context=duc_tan, on=SEED_001_DATE)  # builds the indexes
    with CaptureQueriesContext(connection) as queries:
        resolve_agencies(texts, context=duc_tan, on=SEED_001_DATE)
    assert len(queries) <= 2
