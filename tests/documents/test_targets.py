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
