"""Leads, coordinating agencies, times and targets written inside a duty's sentence."""

from cchc.documents import parse_text

PLAN = """ỦY BAN NHÂN DÂN
TỈNH NINH BÌNH
Số: 12/KH-UBND
Ninh Bình, ngày 10 tháng 01 năm 2026

KẾ HOẠCH
Phổ biến, giáo dục pháp luật năm 2026

I. MỤC ĐÍCH, YÊU CẦU
Nâng cao nhận thức.

II. NHIỆM VỤ, GIẢI PHÁP
1. Giao Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp và Báo Ninh Bình tổ chức Hội nghị quán triệt cho cán bộ chủ chốt trong Quý III/2026.
2. Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp tổ chức 02 hội nghị tập huấn cho công chức cấp xã, hoàn thành trước ngày 30/9/2026.
3. Sở Thông tin và Truyền thông phối hợp với Đài Phát thanh và Truyền hình tỉnh xây dựng chuyên mục hằng tháng.
4. Rà soát, cập nhật thủ tục hành chính trên Cổng Dịch vụ công, trước 30/6.
5. Triển khai khu công nghệ số tập trung theo Quy hoạch thời kỳ 2021 - 2030, tầm nhìn đến năm 2050.

III. TỔ CHỨC THỰC HIỆN
1. Sở Tư pháp
- Chủ trì, phối hợp với Ngân hàng Nhà nước chi nhánh tỉnh biên soạn tài liệu, hàng quý.
- Phối hợp với Đoàn Thanh niên xã thành lập tổ công nghệ số cộng đồng tại 100% ấp, hoàn thành trong tháng 10/2026.
"""

COMMUNE = """**II. NHIỆM VỤ VÀ GIẢI PHÁP**

1. Tuyên truyền trên hệ thống loa truyền thanh của xã về dịch vụ công trực tuyến,
hàng tuần.

2. Hướng dẫn người dân cài đặt, sử dụng ứng dụng VNeID tại Trung tâm Phục vụ
hành chính công xã, thường xuyên.

3. Đăng tải tin, bài trên Trang thông tin điện tử của xã, hàng tháng có ít nhất 04
tin, bài.
"""


def _span(task):
    tf = task["timeframe"]
    return tf and (tf["start"], tf["end"], tf["recurrence"])


def test_giao_x_chu_tri_phoi_hop_voi_y_in_a_solution():
    tasks = parse_text(PLAN)["tasks"]
    t = tasks[0]
    assert (t["lead"], t["support"]) == (["Sở Nội vụ"], ["Sở Tư pháp", "Báo Ninh Bình"])
    assert _span(t) == ("2026-07-01", "2026-09-30", "once")


def test_x_chu_tri_with_deadline_and_target_in_the_sentence():
    t = parse_text(PLAN)["tasks"][1]
    assert (t["lead"], t["support"]) == (["Sở Nội vụ"], ["Sở Tư pháp"])
    assert _span(t) == (None, "2026-09-29", "once")  # "trước ngày 30/9": the 29th is the last day on time
    assert [(x["quantity"], x["unit"]) for x in t["targets"]] == [(2, "hội nghị")]


def test_x_phoi_hop_voi_y_names_both_and_keeps_capitalised_names_whole():
    t = parse_text(PLAN)["tasks"][2]
    assert t["lead"] == ["Sở Thông tin và Truyền thông"]
    assert t["support"] == ["Đài Phát thanh và Truyền hình tỉnh"]
    assert _span(t)[2] == "monthly"


def test_day_and_month_without_year_fall_in_the_plan_year():
    t = parse_text(PLAN)["tasks"][3]
    assert t["lead"] == [] and _span(t) == (None, "2026-06-29", "once")


def test_horizon_of_a_cited_strategy_is_no_timeframe():
    assert parse_text(PLAN)["tasks"][4]["timeframe"] is None


def test_duties_under_an_agency_heading():
    duties = [t for t in parse_text(PLAN)["tasks"] if (t["section"] or "").startswith("III.")]
    assert duties[0]["lead"] == ["Sở Tư pháp"]
    assert duties[0]["support"] == ["Ngân hàng Nhà nước chi nhánh tỉnh"]
    assert _span(duties[0])[2] == "quarterly"
    # a coordinating agency ends where the verb of the duty begins
    assert duties[1]["support"] == ["Đoàn Thanh niên xã"]
    assert _span(duties[1])[:2] == ("2026-10-01", "2026-10-31")


def test_commune_items_with_recurrence_in_the_sentence():
    tasks = parse_text(COMMUNE, markdown=True)["tasks"]
    assert [_span(t) and _span(t)[2] for t in tasks] == ["weekly", "continuous", "monthly"]
    assert [(x["quantity"], x["unit"], x["per"], x["at_least"]) for x in tasks[2]["targets"]] == \
        [(4, "tin, bài", "month", True)]


ATTRIBUTES = """III. NHIỆM VỤ CỤ THỂ
1. Đăng tải tin, bài về cải cách hành chính trên Trang thông tin điện tử của Sở
- Đơn vị chủ trì: Văn phòng Sở.
- Đơn vị phối hợp: Phòng Cải cách hành chính; các phòng, đơn vị thuộc Sở.
- Thời gian thực hiện: Hằng tháng, mỗi tháng ít nhất 03 tin, bài.
2. Tổ chức tập huấn nghiệp vụ cải cách hành chính cho công chức các xã, phường
- Đơn vị chủ trì: Phòng Cải cách hành chính.
- Thời gian thực hiện: Quý II/2025.
- Số lượng: 02 lớp, khoảng 300 người.
3. Tổ chức tập huấn kỹ năng số
- Đơn vị chủ trì: Phòng Cải cách hành chính.
- Chỉ tiêu: 02 lớp.
4. Phát hành Bản tin cải cách hành chính
- Đơn vị chủ trì: Văn phòng Sở.
- Thời gian thực hiện: Định kỳ hằng quý (01 số/quý).
"""


def test_targets_in_attribute_lines_and_in_the_time():
    tasks = parse_text(ATTRIBUTES)["tasks"]
    facts = [[(x["quantity"], x["unit"], x["per"], x["at_least"]) for x in t["targets"]] for t in tasks]
    assert facts == [
        [(3, "tin, bài", "month", True)],
        [(2, "lớp", None, False), (300, "người", None, False)],
        [(2, "lớp", None, False)],
        [(1, "số", "quarter", False)],
    ]


def test_joint_office_is_one_agency():
    from cchc.documents.agencies import split_agencies

    assert split_agencies("Văn phòng HĐND và UBND xã") == ["Văn phòng HĐND và UBND xã"]
    assert split_agencies("Văn phòng Đoàn ĐBQH và HĐND tỉnh; Sở Nội vụ") == ["Văn phòng Đoàn ĐBQH và HĐND tỉnh",
                                                                             "Sở Nội vụ"]
    assert split_agencies("Sở Nội vụ và UBND các huyện") == ["Sở Nội vụ", "UBND các huyện"]


def test_role_label_inside_an_attribute_line():
    text = """II. NHIỆM VỤ
1. Tổ chức Hội nghị tập huấn nghiệp vụ
- Chủ trì: Sở Nội vụ; phối hợp: Sở Tư pháp.
- Thời gian: Quý II/2025.
"""
    (t,) = parse_text(text)["tasks"]
    assert (t["lead"], t["support"]) == (["Sở Nội vụ"], ["Sở Tư pháp"])


def test_a_text_that_is_no_plan_has_no_document_type():
    d = parse_text("# Ghi chú họp\n\nCuộc họp bàn về lịch công tác tuần tới.\n", markdown=True)["document"]
    assert d["kind"] == ""
    d = parse_text("I. MỤC ĐÍCH, YÊU CẦU\nNâng cao nhận thức.\nII. TỔ CHỨC THỰC HIỆN\n1. Sở Nội vụ: theo dõi.\n")["document"]
    assert d["kind"] == "KH"  # no heading, but a plan's layout


def test_a_long_title_is_shortened_at_a_word():
    words = "Tuyên truyền cải cách hành chính " * 30
    text = f"II. NHIỆM VỤ, GIẢI PHÁP\n1. {words}cho người dân.\n2. Tổ chức hội nghị.\n"
    title = parse_text(text)["tasks"][0]["title"]
    assert len(title) <= 501 and title.endswith("…")
    assert title[:-1].split()[-1] in words.split()
