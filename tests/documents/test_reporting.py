"""The reporting duty: periods, the last day on time for each, and who receives the reports."""

import pytest

from cchc.documents.reporting import CCHC_DEFAULT, parse_reporting


def _due(result):
    return {d["period"]: d["due"] for d in result["deadlines"]}


def test_quarter_half_year_and_year_folded_into_the_cchc_report():
    r = parse_reporting(["d) Định kỳ hàng quý, sáu tháng và năm báo cáo kết quả thông tin, tuyên truyền cải cách "
                         "hành chính (lồng ghép trong báo cáo cải cách hành chính) về UBND tỉnh (qua Sở Nội vụ)."],
                        2022)
    assert r["periods"] == ["Q1", "H1", "Q3", "Y"]
    assert r["recipient"] == "Sở Nội vụ"
    assert r["deadlines"] == []


def test_folded_into_the_cchc_report_alone_means_the_cchc_periods():
    r = parse_reporting(["Kết quả thực hiện được lồng ghép vào báo cáo CCHC của cơ quan, đơn vị."], 2024)
    assert r["periods"] == CCHC_DEFAULT == ["Q1", "H1", "Q3", "Y"]


def test_at_the_latest_the_15th_of_the_last_month_keeps_the_15th():
    r = parse_reporting(["Báo cáo kết quả định kỳ hằng quý, chậm nhất ngày 15 của tháng cuối kỳ báo cáo, "
                         "gửi về Sở Nội vụ."], 2024)
    assert _due(r) == {"Q1": "2024-03-15", "Q2": "2024-06-15", "Q3": "2024-09-15", "Q4": "2024-12-15"}


def test_the_15th_rule_with_the_cchc_periods_puts_the_annual_report_on_15_december():
    r = parse_reporting(["Các đơn vị báo cáo kết quả (lồng ghép trong báo cáo CCHC), chậm nhất ngày 15 của "
                         "tháng cuối kỳ báo cáo."], 2024)
    assert _due(r) == {"Q1": "2024-03-15", "H1": "2024-06-15", "Q3": "2024-09-15", "Y": "2024-12-15"}


def test_before_a_day_makes_the_day_before_the_last_one_on_time():
    r = parse_reporting(["Báo cáo kết quả thực hiện trước ngày 10 tháng 6 đối với báo cáo 6 tháng và trước ngày "
                         "10 tháng 12 đối với báo cáo năm, gửi về Sở Nội vụ."], 2024)
    assert r["periods"] == ["H1", "Y"]
    assert _due(r) == {"H1": "2024-06-09", "Y": "2024-12-09"}
    assert r["recipient"] == "Sở Nội vụ"


def test_monthly_report_before_the_25th():
    r = parse_reporting(["Các xã thực hiện báo cáo định kỳ hằng tháng trước ngày 25 gửi về UBND huyện."], 2024)
    assert r["periods"] == ["M"]
    assert _due(r) == {"M": "2024-01-24"}  # the day carries to every month
    assert r["recipient"] == "UBND huyện"


def test_nine_month_report():
    r = parse_reporting(["Báo cáo 9 tháng gửi về Sở Nội vụ trước ngày 15/9."], 2024)
    assert r["periods"] == ["9M"] and _due(r) == {"9M": "2024-09-14"}


def test_two_dates_in_one_rule_are_the_half_year_and_the_year():
    r = parse_reporting(["định kỳ trước ngày 01/6 và 15/11 hằng năm (hoặc đột xuất khi có yêu cầu) báo cáo kết quả "
                         "thực hiện về Sở Khoa học và Công nghệ để tổng hợp"], 2025)
    assert _due(r) == {"H1": "2025-05-31", "Y": "2025-11-14"}
    assert r["recipient"] == "Sở Khoa học và Công nghệ"


def test_a_plan_over_several_years_states_its_due_date_once_and_the_platform_carries_it():
    from cchc.core.periods import period_dates

    r = parse_reporting(["Định kỳ báo cáo UBND tỉnh (qua Sở Tư pháp) kết quả thực hiện Kế hoạch hằng năm "
                         "(trước ngày 15 tháng 11) hoặc theo đề nghị."], 2026, [2026, 2030])
    assert r["periods"] == ["Y"]
    assert [d["due"] for d in r["deadlines"]] == ["2026-11-14"]  # one entry per period (the schema)
    assert r["recipient"] == "Sở Tư pháp"
    assert [period_dates("Y", y, r["deadlines"]).due.isoformat() for y in (2026, 2028, 2030)] == \
        ["2026-11-14", "2028-11-14", "2030-11-14"]


@pytest.mark.parametrize("text", [
    "Trong quá trình thực hiện nếu có khó khăn, vướng mắc, báo cáo về Sở Nội vụ để tổng hợp.",
    "Tuyên truyền về cải cách hành chính trên Cổng thông tin điện tử.",
])
def test_no_periodic_report(text):
    r = parse_reporting([text], 2024)
    assert r["periods"] == [] and r["deadlines"] == []


def test_without_a_plan_year_periods_but_no_dates():
    r = parse_reporting(["Báo cáo 6 tháng trước ngày 10 tháng 6."], None)
    assert r["periods"] == ["H1"] and r["deadlines"] == []


def test_a_specific_deadline_overrides_the_general_one():
    r = parse_reporting(["Căn cứ Kế hoạch này, chủ động triển khai thực hiện; báo cáo kết quả tuyên truyền cải cách "
                         "hành chính định kỳ quý, 6 tháng, năm gửi về Sở (qua Phòng Cải cách hành chính) chậm nhất "
                         "ngày 15 của tháng cuối kỳ báo cáo; riêng báo cáo 6 tháng gửi trước ngày 10 tháng 6, báo cáo "
                         "năm gửi trước ngày 10 tháng 12."], 2025)
    assert _due(r) == {"Q1": "2025-03-15", "H1": "2025-06-09", "Q3": "2025-09-15", "Y": "2025-12-09"}
    assert r["recipient"] == "Phòng Cải cách hành chính"


def test_a_due_date_before_the_document_moves_to_the_next_year():
    r = parse_reporting(["định kỳ trước ngày 01/6 và 15/11 hằng năm báo cáo kết quả thực hiện về Sở Khoa học và "
                         "Công nghệ"], 2025, issued="2025-12-01")
    assert _due(r) == {"H1": "2026-05-31", "Y": "2026-11-14"}
    r = parse_reporting(["định kỳ trước ngày 01/6 và 15/11 hằng năm báo cáo kết quả"], 2025, issued="2025-03-01")
    assert _due(r) == {"H1": "2025-05-31", "Y": "2025-11-14"}
