"""Variants no seed shows: a department plan, a commune plan with lower-case headings, noise."""

import json
from pathlib import Path

import pytest

from cchc.documents import parse_text

SHARED = Path(__file__).resolve().parents[2].parent / "shared"

DEPARTMENT = """UBND TỈNH LẠNG SƠN
SỞ NỘI VỤ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 12/KH-SNV
Lạng Sơn, ngày 28 tháng 12 năm 2023
KẾ HOẠCH
Tuyên truyền cải cách hành chính năm 2024
Thực hiện Kế hoạch số 301/KH-UBND ngày 15/12/2023 của UBND tỉnh Lạng Sơn về tuyên truyền cải cách hành chính năm 2024, Sở Nội vụ ban hành Kế hoạch như sau:
I. Nhiệm vụ
1. Viết tin, bài về cải cách hành chính trên Trang thông tin điện tử của Sở (hàng tháng, có ít nhất 04 tin, bài).
- Đơn vị chủ trì: Văn phòng Sở.
- Đơn vị phối hợp: Các phòng, đơn vị thuộc Sở.
- Thời gian thực hiện: Quý II/2024.
II. Tổ chức thực hiện
1. Văn phòng Sở: Báo cáo kết quả định kỳ hằng quý, chậm nhất ngày 15 của tháng cuối kỳ báo cáo, gửi về Phòng Cải cách hành chính.
Nơi nhận:
- UBND tỉnh;
- Lưu: VT.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
Hoàng Văn Nam
"""


def test_department_plan_signed_in_december_is_for_next_year():
    r = parse_text(DEPARTMENT)
    d = r["document"]
    assert d["number"] == "12/KH-SNV" and d["symbol"] == "KH-SNV"
    assert d["issuer"] == "Sở Nội vụ tỉnh Lạng Sơn"
    assert d["plan_year"] == 2024
    assert d["signer"] == {"name": "Hoàng Văn Nam", "position": "Phó Giám đốc", "authority": "KT. Giám đốc"}
    task = r["tasks"][0]
    assert task["lead"] == ["Văn phòng Sở"]
    assert task["targets"][0]["unit"] == "tin, bài" and task["targets"][0]["per"] == "month"
    assert task["timeframe"]["start"] == "2024-04-01"
    assert r["reporting"]["periods"] == ["Q1", "Q2", "Q3", "Q4"]
    assert {x["period"]: x["due"] for x in r["reporting"]["deadlines"]}["Q2"] == "2024-06-15"


COMMUNE = """Số: /KH-UBND

Tân Phú, ngày   tháng   năm 2025

KẾ HOẠCH

Tuyên truyền cải cách hành chính năm 2025 trên địa bàn xã Tân Phú

UBND xã ban hành Kế hoạch như sau:

i. mục đích

ii. tổ chức thực hiện

1. Công chức Văn hóa - Xã hội

a) Tuyên truyền trên hệ thống loa truyền thanh hàng tuần.

b) Báo cáo kết quả trước ngày 10 tháng 6 đối với báo cáo 6 tháng gửi về UBND xã.
"""


def test_commune_draft_with_blank_number_and_date():
    r = parse_text(COMMUNE)
    d = r["document"]
    assert d["number"] is None and d["date"] is None and d["year"] == 2025
    assert d["issuer"] == "Ủy ban nhân dân xã Tân Phú"
    assert {x["period"]: x["due"] for x in r["reporting"]["deadlines"]} == {"H1": "2025-06-09"}


@pytest.mark.parametrize("text", ["", "\x00\x01", "|\n|\n|", "**" * 5000, "Số: /" * 1000, "a\tb\n\tc\n" * 500,
                                  "I. " * 3000, "ngày 99 tháng 99 năm 9999", "Chủ trì: ;" * 200])
def test_any_text_gives_schema_valid_output(text):
    result = parse_text(text)
    schema_path = SHARED / "schemas" / "plan.schema.json"
    if schema_path.exists():
        import jsonschema

        jsonschema.validate(result, json.loads(schema_path.read_text(encoding="utf-8")))
    assert result["schema"] == "cchc.plan/1"


LOWER_CASE = """KẾ HOẠCH
Tuyên truyền cải cách hành chính năm 2025
i. mục đích, yêu cầu
1. mục đích: nâng cao nhận thức.
ii. nội dung
iii. hình thức
iv. kinh phí
kinh phí bố trí trong dự toán.
v. tổ chức thực hiện
1. sở nội vụ
chủ trì, hướng dẫn các cơ quan triển khai kế hoạch.
2. sở tài chính: bố trí kinh phí thực hiện kế hoạch.
3. báo cáo kết quả thực hiện trước ngày 10/12.
"""


def test_lower_case_roman_headings_and_agency_headings():
    r = parse_text(LOWER_CASE)
    assert [s["number"] for s in r["sections"]] == ["I", "II", "III", "IV", "V"]
    assert r["sections"][4]["heading"] == "tổ chức thực hiện"
    leads = [t["lead"] for t in r["tasks"] if (t["section"] or "").startswith("V.")]
    assert leads == [["Sở nội vụ"], ["Sở tài chính"]]


def test_lone_lower_case_i_or_v_is_a_part_only_in_sequence():
    text = "KẾ HOẠCH\nThử\nI. Nội dung\nv. một việc lẻ\nII. Tổ chức thực hiện\n"
    assert [s["number"] for s in parse_text(text)["sections"]] == ["I", "II"]
