"""Quantitative targets (chỉ tiêu) in task text, and numbers that are not targets."""

import pytest

from cchc.documents.targets import ETHNIC, parse_targets, with_recurrence
from cchc.documents.timeframes import parse_timeframe
from tests.seed004 import appendix_rows, appendix_task


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


# ---------------------------------------------------------------- recurrences become expected counts

def _soft(text):
    return [(t["quantity"], t["unit"], t["per"], t.get("soft", False)) for t in parse_targets(text)]


@pytest.mark.parametrize("text,expected", [
    ("Phát sóng trên loa truyền thanh hằng tuần", [(1, "lần", "week", True)]),
    ("Tổ chức các chương trình đối thoại định kỳ hằng quý", [(1, "lần", "quarter", True)]),
    ("Cập nhật thông tin lên Trang thông tin điện tử hàng tháng", [(1, "lần", "month", True)]),
    ("Mỗi quý tổ chức một buổi sinh hoạt chuyên đề", [(1, "lần", "quarter", True)]),
    ("Rà soát, cập nhật danh mục 3 tháng/lần", [(1, "lần", "quarter", True)]),
    # a bulletin is counted in issues: a quarterly bulletin is 4 issues a year
    ("định kỳ hàng quý phát hành Bản tin cải cách hành chính", [(1, "số", "quarter", True)]),
    # a count of something else does not state how often: the recurrence still gives its soft target
    ("Hằng quý tổ chức hội nghị đối thoại, mỗi hội nghị khoảng 100 người",
     [(100, "người", None, False), (1, "lần", "quarter", True)]),
])
def test_a_recurrence_without_a_count_is_a_soft_target(text, expected):
    assert _soft(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("mỗi tháng ít nhất 4 tin, bài", [(4, "tin, bài", "month", False)]),
    ("Hằng tháng, mỗi tháng ít nhất 03 tin, bài", [(3, "tin, bài", "month", False)]),
    ("Bản tin CCHC phát hành 01 số/quý", [(1, "số", "quarter", False)]),
    ("đăng 04 tin, bài trên Cổng TTĐT mỗi tháng", [(4, "tin, bài", "month", False)]),
    ("phát sóng 01 lần/tuần", [(1, "lần", "week", False)]),
])
def test_a_stated_rate_is_an_ordinary_target(text, expected):
    assert _soft(text) == expected


@pytest.mark.parametrize("text", [
    "Thường xuyên",
    "Định kỳ báo cáo kết quả thực hiện gửi về Sở Nội vụ",  # "định kỳ" names no period
    "Định kỳ hàng quý, sáu tháng và năm báo cáo kết quả thông tin, tuyên truyền",  # a report, not an output
    "chủ động sử dụng kinh phí thường xuyên được cấp hằng năm",  # yearly: when, not how often
    "Rà soát 6 tháng/lần",  # no rate period of the schema
    "Cập nhật hằng ngày",
])
def test_no_soft_target(text):
    assert [t for t in parse_targets(text) if t.get("soft")] == []


def test_soft_target_shape_matches_the_answer_files():
    (t,) = parse_targets("Phát sóng trên loa truyền thanh hàng tuần")
    assert {k: t[k] for k in ("quantity", "unit", "per", "soft")} == {"quantity": 1, "unit": "lần", "per": "week",
                                                                      "soft": True}
    assert t["text"] == "hàng tuần"
    (t,) = parse_targets("01 lớp")
    assert "soft" not in t


@pytest.mark.parametrize("timeframe,expected", [
    ("Định kỳ hằng quý", [(1, "lần", "quarter", True)]),
    ("Hằng tuần", [(1, "lần", "week", True)]),
    ("Hàng tháng", [(1, "lần", "month", True)]),
    ("Thường xuyên", []),
    ("Hằng năm", [(1, "lần", "year", True)]),  # a task done once a year
    ("Kinh phí cấp hằng năm", []),
    ("Quý II/2023", []),
])
def test_a_recurring_timeframe_gives_the_soft_target(timeframe, expected):
    targets = with_recurrence([], parse_timeframe(timeframe, 2023, None), "Tổ chức đối thoại với doanh nghiệp")
    assert [(t["quantity"], t["unit"], t["per"], t.get("soft", False)) for t in targets] == expected


def test_a_recurring_timeframe_adds_nothing_to_a_stated_rate():
    targets = parse_targets("01 số/quý")
    assert with_recurrence(targets, parse_timeframe("Định kỳ hằng quý", 2023, None)) == targets
    assert with_recurrence([], None) == []


@pytest.mark.parametrize("text", [
    "Báo cáo kết quả thực hiện gửi về Sở Nội vụ",
    "Tổng hợp, báo cáo UBND tỉnh tình hình thực hiện kế hoạch",
    "Định kỳ hàng quý, sáu tháng và năm báo cáo kết quả thông tin, tuyên truyền cải cách hành chính",
])
def test_a_report_duty_expects_no_output(text):
    assert with_recurrence([], parse_timeframe("Định kỳ hằng quý", 2023, None), text) == []


def test_a_recurring_timeframe_of_a_bulletin_counts_issues():
    (t,) = with_recurrence([], parse_timeframe("Hằng quý", 2023, None), "Phát hành Bản tin cải cách hành chính")
    assert (t["quantity"], t["unit"], t["per"], t["soft"]) == (1, "số", "quarter", True)


# ---------------------------------------------------------------- targets restricted to languages

@pytest.mark.parametrize("text,expected", [
    ("(số lượng phát sóng, tin, bài bằng tiếng dân tộc: Tày, Mông, Dao, Pà Thẻn: 12 bài/1 năm)",
     [(12, ["Tày", "Mông", "Dao", "Pà Thẻn"])]),
    ("phát sóng 02 chương trình bằng tiếng Mông, tiếng Dao", [(2, ["Mông", "Dao"])]),
    ("tuyên truyền bằng tiếng dân tộc 12 bài/năm", [(12, [ETHNIC])]),
    ("tin, bài bằng tiếng dân tộc thiểu số: 24 tin", [(24, [ETHNIC])]),
    ("tuyên truyền bằng tiếng dân tộc (tiếng Mông, tiếng Dao): 10 tin", [(10, ["Mông", "Dao"])]),
    ("phát 30 lượt bằng tiếng H'Mông và tiếng Khmer", [(30, ["H'Mông", "Khmer"])]),
    # each count takes the language named just after it
    ("02 bài tiếng Việt, 01 bài tiếng Mông mỗi tháng", [(2, ["Việt"]), (1, ["Mông"])]),
    # a language of another clause is not this target's
    ("Tuyên truyền bằng tiếng Mông; đăng 12 bài trên Cổng TTĐT", [(12, None)]),
    ("tổ chức 01 hội nghị; phát sóng bằng tiếng Dao", [(1, None)]),
    # "tiếng" that names no language
    ("thu 20 phiếu có tiếng nói của người dân", [(20, None)]),
])
def test_languages_of_a_target(text, expected):
    assert [(t["quantity"], t.get("languages")) for t in parse_targets(text)] == expected


# ---------------------------------------------------------------- the appendix of seed 004

def test_seed_004_appendix_targets_recurrences_and_languages():
    rows = appendix_rows()
    assert len(rows) == 15
    tasks = {n: appendix_task(row) for n, row in rows.items()}
    facts = {n: [(t["quantity"], t["unit"], t["per"], t.get("soft", False), t.get("languages")) for t in task["targets"]]
             for n, task in tasks.items()}
    assert facts[6] == [(1, "bài", "quarter", False, None)]
    assert facts[7] == [(1, "chuyên mục", "quarter", False, None)]
    assert facts[8] == [(12, "bài", "year", False, ["Tày", "Mông", "Dao", "Pà Thẻn"])]
    assert facts[9] == [(12, "chuyên mục", "year", False, None)]
    # "Định kỳ hằng quý" in the time column: the dialogues are expected once a quarter
    assert facts[12] == [(1, "lần", "quarter", True, None)]
    assert facts[1] == facts[2] == facts[3] == []  # "Thường xuyên", "Quý I/2023": no count to expect
    assert (tasks[8]["timeframe"]["start"], tasks[8]["timeframe"]["end"]) == ("2023-04-01", "2023-12-31")
