"""Quantitative targets (chỉ tiêu) in task text, and numbers that are not targets."""

import pytest

from cchc.documents.targets import parse_targets


def _facts(text):
    return [(t["quantity"], t["unit"], t["per"], t["at_least"]) for t in parse_targets(text)]


@pytest.mark.parametrize("text,expected", [
    ("01 lớp, 40 người", [(1, "lớp", None, False), (40, "người", None, False)]),
    ("Tổ chức 10 lớp tập huấn cho khoảng 1000 lượt cán bộ", [(10, "lớp", None, False), (1000, "lượt", None, False)]),
    ("12 bài/1 năm", [(12, "bài", "year", False)]),
    ("12 chuyên mục/năm", [(12, "chuyên mục", "year", False)]),
    ("hàng tháng, có ít nhất 04 tin, bài", [(4, "tin, bài", "month", True)]),
    ("100%", [(100, "%", None, False)]),
    ("≥ 30%", [(30, "%", None, True)]),
    ("ít nhất 10%", [(10, "%", None, True)]),
    ("đạt 95% trở lên", [(95, "%", None, True)]),
    ("02 hội nghị", [(2, "hội nghị", None, False)]),
    ("khoảng 500 người", [(500, "người", None, False)]),
    ("in 2.000 tờ rơi", [(2000, "tờ rơi", None, False)]),
])
def test_target_forms(text, expected):
    assert _facts(text) == expected


def test_rate_with_total():
    (t,) = parse_targets("1 bài/ 1 quý = 4 bài")
    assert (t["quantity"], t["unit"], t["per"], t["total"]) == (1, "bài", "quarter", 4)


def test_weekly_without_a_number_is_once_a_week():
    assert _facts("Phát sóng trên loa truyền thanh hàng tuần") == [(1, "lần", "week", True)]


@pytest.mark.parametrize("text", [
    "ngày 15/7/2021", "Nghị quyết số 76/NQ-CP", "76/NQ-CP", "năm 2023", "giai đoạn 2021-2025",
    "theo khoản 2 Điều 5", "điểm a khoản 3 Điều 12", "Mục 2", "Quý 3", "tháng 6", "Khóa XIII",
    "lần thứ 2", "Nghị định số 30/2020/NĐ-CP", "",
])
def test_non_targets_give_nothing(text):
    assert parse_targets(text) == []


@pytest.mark.parametrize("text,expected", [
    ("ít nhất 2.000 phiếu", [(2000, "phiếu", None, True)]),
    ("500 phiếu khảo sát", [(500, "phiếu", None, False)]),
    ("tiếp nhận 100 hồ sơ trực tuyến", [(100, "hồ sơ", None, False)]),
    ("giải quyết 30 thủ tục hành chính", [(30, "thủ tục", None, False)]),
    ("hỗ trợ 20 hộ nghèo, 15 lao động", [(20, "hộ", None, False), (15, "lao động", None, False)]),
    ("lắp đặt 12 pano, 300 tờ rơi, 40 băng rôn, 25 khẩu hiệu", [
        (12, "pano", None, False), (300, "tờ rơi", None, False), (40, "băng rôn", None, False),
        (25, "khẩu hiệu", None, False)]),
    # a counted noun outside the list of known units is read all the same
    ("nâng 5 bậc xếp hạng", [(5, "bậc", None, False)]),
    ("từ 15 đến 20 người", [(20, "người", None, False)]),
])
def test_counted_nouns_in_other_fields(text, expected):
    assert _facts(text) == expected


@pytest.mark.parametrize("text", [
    "Nghị quyết 76 của Chính phủ", "Quyết định 1085 ngày 15", "Chỉ số PAR Index 2024 xếp hạng",
    "Điều 5 của Luật", "Chương 2 quy định", "kinh phí 50 triệu đồng", "trong 7 ngày làm việc", "học 3 tháng",
])
def test_numbers_that_are_not_counts(text):
    assert parse_targets(text) == []


def test_rate_with_total_keeps_the_whole_phrase():
    (t,) = parse_targets("1 bài/ 1 quý = 4 bài")
    assert t["text"] == "1 bài/ 1 quý = 4 bài"
