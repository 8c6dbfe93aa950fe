"""The seeds and corpus documents parse into the plan structure a careful reader would write down."""

import json
import unicodedata

import pytest

from cchc.documents import parse_text
from tests.public_documents import PLAN_SCHEMA, SEED_001, document



def _schema():
    return json.loads(PLAN_SCHEMA.read_text(encoding="utf-8"))


def _parse(rel):
    result = parse_text(document(rel).read_text(encoding="utf-8"), name=rel)
    import jsonschema

    jsonschema.validate(result, _schema())
    return result


def _task(result, needle):
    return next(t for t in result["tasks"] if needle in t["title"])


def test_seed_004_appendix_row_5_and_counts():
    r = _parse("seeds/004_1f5d7e236c7063e7.txt")
    d = r["document"]
    assert (d["kind"], d["number"], d["date"], d["plan_year"]) == ("QĐ", "233/QĐ-UBND", "2022-12-19", 2023)
    assert d["issuer"] == "Ủy ban nhân dân tỉnh Hà Giang"
    assert d["signer"]["name"] == "Nguyễn Văn Sơn"
    table = [t for t in r["tasks"] if t["section"] and t["section"].startswith("Phụ lục")]
    assert len(table) == 15
    row5 = table[4]
    assert row5["lead"] == ["Sở Nội vụ"]
    assert "UBND các huyện, thành phố" in row5["support"]
    assert {(x["quantity"], x["unit"]) for x in row5["targets"]} >= {(10, "lớp"), (1000, "lượt")}
    assert (row5["timeframe"]["start"], row5["timeframe"]["end"]) == ("2023-04-01", "2023-09-30")
    # the title "(01 lớp, 40 người)" and the form "Tổ chức 01 lớp" state one class, not two
    assert [(x["quantity"], x["unit"]) for x in table[3]["targets"]] == [(1, "lớp"), (40, "người")]
    row1 = table[0]
    assert row1["lead"] == ["Các sở, ban, ngành", "UBND các huyện, thành phố"]
    assert row1["support"] == ["Đài Phát thanh và truyền hình tỉnh", "Báo Hà Giang"]
    solutions = [t for t in r["tasks"] if (t["section"] or "").startswith("III.")]
    assert len(solutions) == 6 and all(t["lead"] == [] for t in solutions)
    duties = [t for t in r["tasks"] if (t["section"] or "").startswith("V.")]
    assert len(duties) == 31
    assert d["title"] == ("Về việc ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2023 "
                          "trên địa bàn tỉnh Hà Giang")
    assert d["plan_title"] == "Tuyên truyền cải cách hành chính năm 2023 trên địa bàn tỉnh Hà Giang"
    assert d["signer"] == {"name": "Nguyễn Văn Sơn", "position": "Chủ tịch", "authority": None}
    # the appendix's "(Kèm theo Quyết định số 2338/QĐ-UBND ngày 19 tháng 12 năm 2022 …)" is the decision itself
    assert not [x for x in r["references"] if x["number"] in ("2338/QĐ-UBND", "233/QĐ-UBND")]
    assert r["reporting"]["periods"] == ["Q1", "H1", "Q3", "Y"]
    assert r["reporting"]["recipient"] == "Sở Nội vụ"


def test_seed_001_forms_and_parent_plan():
    r = _parse("seeds/001_1bcad453b853a799.txt")
    d = r["document"]
    assert d["number"] == "16/KH-UBND" and d["issuer"] == "Ủy ban nhân dân xã Đức Tân"
    assert d["signer"] == {"name": "Trần Lê Vương Vũ", "position": "Phó Chủ tịch", "authority": "KT. Chủ tịch"}
    forms = [t for t in r["tasks"] if (t["section"] or "").startswith("III.")]
    assert len(forms) == 8
    assert forms[0]["lead"] == ["Văn phòng – Thống kê xã"]
    assert forms[0]["timeframe"]["recurrence"] == "continuous"
    parent = [x for x in r["references"] if x["role"] == "implements"]
    assert [(x["number"], x["date"]) for x in parent] == [("35/KH-UBND", "2024-02-05")]


def test_seed_000_key_activities_and_reporting():
    r = _parse("seeds/000_b4044ae2c624768c.txt")
    d = r["document"]
    assert d["number"] is None and d["date"] is None and d["year"] == 2022
    assert d["issuer"] == "Ủy ban nhân dân tỉnh Bình Phước"
    key = [t for t in r["tasks"] if (t["section"] or "").startswith("II.3")]
    assert len(key) == 6
    duties = [t for t in r["tasks"] if (t["section"] or "").startswith("III.")]
    assert len(duties) == 14  # the whole document is measured against its gold in test_outline
    union = next(t for t in duties if t["section"] == "III.6")
    assert union["lead"] == ["Công Đoàn viên chức tỉnh"] and union["title"].startswith("Phối hợp với Công Đoàn")
    assert key[5]["lead"] == ["Đài Phát thanh - Truyền hình", "Báo Bình Phước"]
    assert "Từ nguồn" in key[0]["funding"] and key[0]["lead"] == ["Công Đoàn viên chức tỉnh"]
    training = key[1]
    assert training["lead"] == ["Sở Nội vụ"]
    assert "UBND các huyện, thị xã, thành phố" in training["support"]
    assert "Sở Nội vụ" in training["funding"] and "nông thôn mới" in training["funding"]
    assert r["reporting"]["periods"] == ["Q1", "H1", "Q3", "Y"]


@pytest.mark.parametrize("rel,number,parent,due", [
    ("corpus/09daab284f92e2dd.md", "141/KH-UBND", "14-KH/TU", {"Y": "2026-11-14"}),
    ("corpus/8718801c503045f9.md", "617/KH-UBND", "283/KH-UBND", {"H1": "2026-05-31", "Y": "2026-11-14"}),
    ("corpus/d40513a8b25883ec.md", "159/KH-UBND", None, {}),
])
def test_corpus_identity_parent_tasks_and_deadlines(rel, number, parent, due):
    r = _parse(rel)
    assert r["document"]["number"] == number
    assert r["document"]["issuer"].startswith("Ủy ban nhân dân")
    assert r["document"]["signer"]["authority"] == "KT. Chủ tịch"
    implements = [x["number"] for x in r["references"] if x["role"] == "implements"]
    assert (parent in implements) if parent else implements == []
    assert len(r["tasks"]) >= 15 and all(t["lead"] for t in r["tasks"] if t["source"] != "solution")
    first_due = {}
    for x in r["reporting"]["deadlines"]:
        first_due.setdefault(x["period"], x["due"])
    assert first_due == due


def test_nfd_input_and_extra_blank_lines_give_the_same_result():
    raw = SEED_001.read_text(encoding="utf-8")
    messy = unicodedata.normalize("NFD", raw).replace("\n\n", "\n\n\n  \n")
    a, b = parse_text(raw), parse_text(messy)
    assert a["document"] == b["document"] and len(a["tasks"]) == len(b["tasks"])
