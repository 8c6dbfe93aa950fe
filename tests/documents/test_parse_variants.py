"""Variants no seed shows: a department plan, a commune plan with lower-case headings, noise."""

import json

import pytest

from cchc.documents import parse_text
from tests.public_documents import PLAN_SCHEMA


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
    schema_path = PLAN_SCHEMA
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


DEPT_TABLE = """SỞ TƯ PHÁP TỈNH QUẢNG NAM
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 45/KH-STP
Quảng Nam, ngày 10 tháng 01 năm 2024
KẾ HOẠCH
Tuyên truyền cải cách hành chính năm 2024 của Sở Tư pháp
Căn cứ Kế hoạch số 20/KH-UBND ngày 05/01/2024 của UBND tỉnh Quảng Nam về tuyên truyền cải cách hành chính năm 2024;
Sở Tư pháp xây dựng Kế hoạch như sau:
I. MỤC ĐÍCH, YÊU CẦU
Nâng cao nhận thức của công chức, viên chức về cải cách hành chính.
II. NHIỆM VỤ
Các nhiệm vụ cụ thể tại Phụ lục kèm theo.
III. TỔ CHỨC THỰC HIỆN
Các phòng, đơn vị thuộc Sở báo cáo kết quả định kỳ hằng quý, chậm nhất ngày 15 của tháng cuối kỳ báo cáo, gửi về Văn phòng Sở.
Nơi nhận:
- UBND tỉnh;
- Sở Nội vụ;
- Lưu: VT, VP.
GIÁM ĐỐC
Lê Thị Hoa

PHỤ LỤC
NHIỆM VỤ TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH NĂM 2024
(Kèm theo Kế hoạch số 45/KH-STP ngày 10/01/2024 của Sở Tư pháp)

| STT | Nội dung | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành | Sản phẩm |
|---|---|---|---|---|---|
| 1 | Đăng tin, bài về cải cách hành chính trên Trang thông tin điện tử của Sở | Văn phòng Sở | Các phòng, đơn vị thuộc Sở | Hằng tháng | 12 tin, bài/năm |
| 2 | Tổ chức hội nghị tập huấn nghiệp vụ hộ tịch, chứng thực | Phòng Hành chính tư pháp | Phòng Tư pháp các huyện, thị xã, thành phố | Quý II/2024 | 02 hội nghị, khoảng 200 người |
| 3 | Niêm yết công khai thủ tục hành chính tại Bộ phận Một cửa | Văn phòng Sở | Trung tâm Phục vụ hành chính công tỉnh | Thường xuyên | 100% thủ tục được công khai |
"""

DISTRICT = """ỦY BAN NHÂN DÂN
HUYỆN MỘ ĐỨC
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 88/KH-UBND
Mộ Đức, ngày 30 tháng 12 năm 2022
KẾ HOẠCH
Tuyên truyền cải cách hành chính năm 2023
Thực hiện Kế hoạch số 301/KH-UBND ngày 20/12/2022 của UBND tỉnh Quảng Ngãi về tuyên truyền cải cách hành chính năm 2023, UBND huyện ban hành Kế hoạch như sau:
I. MỤC ĐÍCH, YÊU CẦU
Tuyên truyền sâu rộng đến cán bộ và Nhân dân.
II. NỘI DUNG VÀ HÌNH THỨC TUYÊN TRUYỀN
1. Tuyên truyền trên Đài Truyền thanh huyện
- Cơ quan chủ trì: Phòng Văn hóa và Thông tin huyện.
- Cơ quan phối hợp: Phòng Nội vụ; UBND các xã, thị trấn.
- Thời gian thực hiện: Hàng tháng.
2. Tổ chức Hội thi tìm hiểu về cải cách hành chính
- Cơ quan chủ trì: Phòng Nội vụ.
- Cơ quan phối hợp: Phòng Tư pháp, UBND các xã, thị trấn.
- Thời gian thực hiện: Quý III/2023.
III. TỔ CHỨC THỰC HIỆN
1. Phòng Nội vụ
a) Hướng dẫn, theo dõi, đôn đốc các cơ quan, đơn vị triển khai thực hiện Kế hoạch.
b) Tổng hợp, báo cáo kết quả thực hiện về UBND huyện.
2. Phòng Tài chính - Kế hoạch: Tham mưu bố trí kinh phí thực hiện Kế hoạch.
3. UBND các xã, thị trấn
Xây dựng kế hoạch tuyên truyền cải cách hành chính năm 2023 của địa phương; báo cáo kết quả thực hiện (lồng ghép trong báo cáo cải cách hành chính) về UBND huyện (qua Phòng Nội vụ).
Nơi nhận:
- UBND tỉnh;
- Sở Nội vụ;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn Bình
"""

PLUS = """ỦY BAN NHÂN DÂN
XÃ HÒA BÌNH
Số: 07/KH-UBND
Hòa Bình, ngày 15 tháng 02 năm 2025
KẾ HOẠCH
Tuyên truyền cải cách hành chính năm 2025
I. MỤC ĐÍCH
Nâng cao nhận thức của Nhân dân.
II. NHIỆM VỤ
1. Công chức Văn hóa - Xã hội
+ Tuyên truyền trên hệ thống loa truyền thanh xã hàng tuần.
+ Phối hợp với Đoàn Thanh niên xã tổ chức 01 buổi tọa đàm về dịch vụ công trực tuyến trong Quý II/2025.
2. Công chức Tư pháp - Hộ tịch
+ Niêm yết công khai thủ tục hành chính tại Bộ phận Một cửa.
+ Hướng dẫn người dân nộp hồ sơ trực tuyến.
III. TỔ CHỨC THỰC HIỆN
1. Công chức Văn phòng - Thống kê
+ Theo dõi, đôn đốc việc thực hiện Kế hoạch.
+ Tổng hợp báo cáo kết quả thực hiện gửi UBND huyện trước ngày 20/6 và 20/12.
Nơi nhận:
- Như trên;
- Lưu: VT.
CHỦ TỊCH
Phạm Văn Tâm
"""


def _by_title(result, start):
    return next(t for t in result["tasks"] if t["title"].startswith(start))


def test_department_appendix_with_columns_in_another_order():
    r = parse_text(DEPT_TABLE)
    d = r["document"]
    assert (d["number"], d["issuer"], d["plan_year"]) == ("45/KH-STP", "Sở Tư pháp tỉnh Quảng Nam", 2024)
    assert d["signer"] == {"name": "Lê Thị Hoa", "position": "Giám đốc", "authority": None}
    table = [t for t in r["tasks"] if t["source"] == "table"]
    assert [t["section"] for t in table] == ["Phụ lục/1", "Phụ lục/2", "Phụ lục/3"]
    news, training, listing = table
    assert news["lead"] == ["Văn phòng Sở"] and news["support"] == ["Các phòng, đơn vị thuộc Sở"]
    assert news["timeframe"]["recurrence"] == "monthly"
    assert [(x["quantity"], x["unit"], x["per"]) for x in news["targets"]] == [(12, "tin, bài", "year")]
    assert training["lead"] == ["Phòng Hành chính tư pháp"]
    assert (training["timeframe"]["start"], training["timeframe"]["end"]) == ("2024-04-01", "2024-06-30")
    assert [(x["quantity"], x["unit"]) for x in training["targets"]] == [(2, "hội nghị"), (200, "người")]
    assert listing["timeframe"]["recurrence"] == "continuous"
    assert listing["targets"][0]["unit"] == "%"
    assert r["reporting"]["recipient"] == "Văn phòng Sở"
    # the appendix's "(Kèm theo Kế hoạch số 45/KH-STP …)" is the plan itself
    assert [x["number"] for x in r["references"]] == ["20/KH-UBND"]


def test_district_plan_with_phong_noi_vu_and_communes():
    r = parse_text(DISTRICT)
    d = r["document"]
    assert (d["issuer"], d["plan_year"]) == ("Ủy ban nhân dân huyện Mộ Đức", 2023)
    assert d["signer"]["authority"] == "KT. Chủ tịch"
    assert [x["number"] for x in r["references"] if x["role"] == "implements"] == ["301/KH-UBND"]
    contest = _by_title(r, "Tổ chức Hội thi")
    assert contest["lead"] == ["Phòng Nội vụ"]
    assert contest["support"] == ["Phòng Tư pháp", "UBND các xã, thị trấn"]
    assert (contest["timeframe"]["start"], contest["timeframe"]["end"]) == ("2023-07-01", "2023-09-30")
    radio = _by_title(r, "Tuyên truyền trên Đài Truyền thanh huyện")
    assert radio["support"] == ["Phòng Nội vụ", "UBND các xã, thị trấn"]
    duties = [t for t in r["tasks"] if (t["section"] or "").startswith("III.")]
    assert [t["lead"] for t in duties] == [["Phòng Nội vụ"], ["Phòng Nội vụ"], ["Phòng Tài chính - Kế hoạch"],
                                           ["UBND các xã, thị trấn"]]
    assert r["reporting"]["periods"] == ["Q1", "H1", "Q3", "Y"]
    assert r["reporting"]["recipient"] == "Phòng Nội vụ"


def test_plus_bullets_under_named_officials_and_two_due_dates():
    r = parse_text(PLUS)
    assert r["document"]["issuer"] == "Ủy ban nhân dân xã Hòa Bình"
    tasks = r["tasks"]
    assert len(tasks) == 6
    assert [t["lead"] for t in tasks[:4]] == [["Công chức Văn hóa - Xã hội"]] * 2 + [["Công chức Tư pháp - Hộ tịch"]] * 2
    loudspeaker, talk = tasks[0], tasks[1]
    assert loudspeaker["timeframe"]["recurrence"] == "weekly"
    assert talk["support"] == ["Đoàn Thanh niên xã"]
    assert [(x["quantity"], x["unit"]) for x in talk["targets"]] == [(1, "buổi")]
    assert (talk["timeframe"]["start"], talk["timeframe"]["end"]) == ("2025-04-01", "2025-06-30")
    assert {x["period"]: x["due"] for x in r["reporting"]["deadlines"]} == {"H1": "2025-06-19", "Y": "2025-12-19"}
    assert r["reporting"]["recipient"] == "UBND huyện"
