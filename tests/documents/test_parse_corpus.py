"""The three messy corpus conversions (.md): identity, parent plan, tasks with leads, reporting due dates."""

import json

import pytest

from cchc.documents import parse_text
from tests.public_documents import PLAN_SCHEMA, document


BAC_NINH = "corpus/09daab284f92e2dd.md"
DONG_THAP = "corpus/8718801c503045f9.md"
CAN_THO = "corpus/d40513a8b25883ec.md"


@pytest.fixture(scope="module")
def parsed():
    import jsonschema

    schema = json.loads(PLAN_SCHEMA.read_text(encoding="utf-8"))
    out = {}
    for rel in (BAC_NINH, DONG_THAP, CAN_THO):
        result = parse_text(document(rel).read_text(encoding="utf-8"), name=rel)
        jsonschema.validate(result, schema)
        out[rel] = result
    return out


def _identity(doc):
    return (doc["kind"], doc["number"], doc["symbol"], doc["place"], doc["date"], doc["issuer"])


def _section(result, prefix):
    return [t for t in result["tasks"] if (t["section"] or "").startswith(prefix)]


def test_bac_ninh_identity_and_parent_plans(parsed):
    r = parsed[BAC_NINH]
    d = r["document"]
    assert _identity(d) == ("KH", "141/KH-UBND", "KH-UBND", "Bắc Ninh", "2025-11-20", "Ủy ban nhân dân tỉnh Bắc Ninh")
    assert d["title"] == ("Nâng cao năng lực cho đội ngũ cán bộ, công chức xây dựng chính sách, pháp luật "
                          "trên địa bàn tỉnh giai đoạn 2026 - 2030")
    assert (d["plan_year"], d["plan_period"]) == (2026, [2026, 2030])
    assert d["signer"] == {"name": "Phạm Văn Thịnh", "position": "Phó Chủ tịch", "authority": "KT. Chủ tịch"}
    parents = {x["number"]: x for x in r["references"] if x["role"] == "implements"}
    assert set(parents) == {"14-KH/TU", "24/KH-UBND"}
    assert parents["14-KH/TU"]["issuer"] == "Ban Thường vụ Tỉnh ủy" and parents["14-KH/TU"]["date"] == "2025-07-29"
    # the resolution the parent plan carries out is cited, not a parent
    assert next(x for x in r["references"] if x["number"] == "66-NQ/TW")["role"] == "cited"


def test_bac_ninh_tasks(parsed):
    r = parsed[BAC_NINH]
    activities = [t for t in r["tasks"] if t["source"] == "lead"]
    assert len(activities) == 16 and len(_section(r, "IV.")) == 6
    first = activities[0]
    assert first["lead"] == ["Các Sở, ngành, đơn vị", "UBND cấp xã"]
    assert first["support"] == ["Sở Nội vụ", "Sở Tư pháp"]
    assert first["timeframe"]["recurrence"] == "continuous"
    assert first["timeframe"]["start"] == "2026-01-01" and first["timeframe"]["end"] == "2030-12-31"
    ai = next(t for t in activities if t["title"].startswith("Ra mắt AI pháp luật"))
    assert ai["lead"] == ["Sở Khoa học và Công nghệ"]
    assert (ai["timeframe"]["start"], ai["timeframe"]["end"]) == ("2025-12-01", "2025-12-31")
    support_policy = next(t for t in activities if t["section"] == "III.6")
    assert support_policy["timeframe"]["start"] == "2025-07-01"
    finance = next(t for t in r["tasks"] if t["section"] == "IV.2")
    assert finance["lead"] == ["Sở Tài chính"] and finance["title"].startswith("Chủ trì")


def test_bac_ninh_yearly_report_before_15_november(parsed):
    rep = parsed[BAC_NINH]["reporting"]
    assert rep["periods"] == ["Y"]
    assert [d["due"] for d in rep["deadlines"]] == ["2026-11-14"]
    assert rep["recipient"] == "Sở Tư pháp"


def test_dong_thap_identity_and_parent_plan(parsed):
    r = parsed[DONG_THAP]
    d = r["document"]
    assert _identity(d) == ("KH", "617/KH-UBND", "KH-UBND", "Đồng Tháp", "2025-12-01", "Ủy ban nhân dân tỉnh Đồng Tháp")
    assert d["title"].startswith("Chuyển đổi số cho các doanh nghiệp, nhất là doanh nghiệp nhỏ và vừa")
    assert d["signer"] == {"name": "Huỳnh Minh Tuấn", "position": "Phó Chủ tịch", "authority": "KT. Chủ tịch"}
    assert [(x["number"], x["date"]) for x in r["references"] if x["role"] == "implements"] == \
        [("283/KH-UBND", "2025-09-24")]
    # the appendix's "(Kèm theo Kế hoạch số 617/KH-UBND …)" is the plan itself
    assert "617/KH-UBND" not in {x["number"] for x in r["references"]}


def test_dong_thap_tasks(parsed):
    r = parsed[DONG_THAP]
    duties = _section(r, "IV.")
    assert len(duties) == 11  # lettered duties one each, one-paragraph agencies one each
    by_section = {t["section"]: t for t in duties}
    assert by_section["IV.3"]["lead"] == ["Sở Công Thương"]
    assert by_section["IV.5"]["lead"] == ["Ủy ban nhân dân các xã, phường"]
    assert by_section["IV.6.b"]["lead"] == ["Hiệp hội Doanh nghiệp tỉnh", "Hội Nông dân tỉnh",
                                            "Liên minh Hợp tác xã Tỉnh"]
    table = [t for t in r["tasks"] if t["source"] == "table"]
    assert len(table) == 11
    assert table[3]["lead"] == ["Sở KH&CN"]
    assert (table[3]["timeframe"]["start"], table[3]["timeframe"]["end"]) == ("2025-10-01", "2025-12-31")
    assert len([t for t in r["tasks"] if t["source"] == "solution"]) == 19


def test_dong_thap_reports_before_1_june_and_15_november(parsed):
    rep = parsed[DONG_THAP]["reporting"]
    # signed on 01/12/2025: the first reports it can meet are those of 2026
    assert {d["period"]: d["due"] for d in rep["deadlines"]} == {"H1": "2026-05-31", "Y": "2026-11-14"}
    assert rep["recipient"] == "Sở Khoa học và Công nghệ"


def test_can_tho_identity_and_basis(parsed):
    r = parsed[CAN_THO]
    d = r["document"]
    assert _identity(d) == ("KH", "159/KH-UBND", "KH-UBND", "Cần Thơ", "2025-11-19",
                            "Ủy ban nhân dân thành phố Cần Thơ")
    assert d["title"].endswith("trên địa bàn thành phố Cần Thơ năm 2025") and d["plan_year"] == 2025
    assert d["signer"] == {"name": "Trần Chí Hùng", "position": "Phó Chủ tịch", "authority": "KT. Chủ tịch"}
    assert [x for x in r["references"] if x["role"] == "implements"] == []
    basis = {x["number"]: x for x in r["references"] if x["role"] == "basis"}
    assert basis["206/NQ-HĐND"]["issuer"] == "Hội đồng nhân dân thành phố Cần Thơ"


def test_can_tho_tasks_and_yearly_report(parsed):
    r = parsed[CAN_THO]
    assert all(t["source"] == "implementation" for t in r["tasks"])  # counts: against the gold in test_outline
    assert [t["lead"] for t in _section(r, "V.1")] == [["Sở Nông nghiệp và Môi trường"]] * 3
    assert _section(r, "V.6")[0]["lead"] == ["Ủy ban nhân dân cấp xã"]
    rep = r["reporting"]
    # folded into the yearly poverty-reduction report, no due date written
    assert rep["periods"] == ["Y"] and rep["deadlines"] == []
    assert rep["recipient"] == "Sở Nông nghiệp và Môi trường"
