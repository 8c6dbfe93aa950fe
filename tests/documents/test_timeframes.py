"""Timeframes as plans write them ("Thời gian thực hiện"), normalised to start, end and recurrence."""

import pytest

from cchc.documents.timeframes import parse_timeframe


@pytest.mark.parametrize("text,start,end,recurrence", [
    ("Thường xuyên", "2023-01-01", "2023-12-31", "continuous"),
    ("Thường xuyên trong năm", "2023-01-01", "2023-12-31", "continuous"),
    ("Hằng năm", "2023-01-01", "2023-12-31", "yearly"),
    ("Hàng năm", "2023-01-01", "2023-12-31", "yearly"),
    ("Trong năm", "2023-01-01", "2023-12-31", "once"),
    ("Năm 2023", "2023-01-01", "2023-12-31", "once"),
    ("Quý I/2023", "2023-01-01", "2023-03-31", "once"),
    ("Quý II, Quý III/2023", "2023-04-01", "2023-09-30", "once"),
    ("Quý III- IV/2023", "2023-07-01", "2023-12-31", "once"),
    ("Quí IV-2025", "2025-10-01", "2025-12-31", "once"),
    ("Định kỳ hằng quý", "2023-01-01", "2023-12-31", "quarterly"),
    ("Quý I hằng năm", "2023-01-01", "2023-03-31", "yearly"),
    ("Tháng 6/2024", "2024-06-01", "2024-06-30", "once"),
    ("Tháng 12/2025", "2025-12-01", "2025-12-31", "once"),
    ("30/6/2024", None, "2024-06-30", "once"),
    ("trước 30/6/2024", None, "2024-06-29", "once"),
    ("Trước ngày 15 tháng 11 năm 2025", None, "2025-11-14", "once"),
    ("Từ 01/7/2025", "2025-07-01", None, "continuous"),
    ("6 tháng đầu năm", "2023-01-01", "2023-06-30", "once"),
    ("6 tháng cuối năm 2024", "2024-07-01", "2024-12-31", "once"),
    ("Theo kế hoạch công tác tư pháp hàng năm", "2023-01-01", "2023-12-31", "yearly"),
    ("Giai đoạn 2026-2030", "2026-01-01", "2030-12-31", "once"),
    ("Giai đoạn 2026-2030 và những năm tiếp theo", "2026-01-01", None, "continuous"),
])
def test_timeframe_forms(text, start, end, recurrence):
    tf = parse_timeframe(text, 2023, None)
    assert (tf["start"], tf["end"], tf["recurrence"]) == (start, end, recurrence)
    assert tf["text"] == text


def test_continuous_work_spans_the_plan_period():
    tf = parse_timeframe("Thường xuyên", 2026, [2026, 2030])
    assert (tf["start"], tf["end"]) == ("2026-01-01", "2030-12-31")


def test_month_without_year_is_in_the_plan_year():
    tf = parse_timeframe("Tháng 6", 2024, None)
    assert (tf["start"], tf["end"]) == ("2024-06-01", "2024-06-30")


@pytest.mark.parametrize("text", ["", "   ", None])
def test_no_text_no_timeframe(text):
    assert parse_timeframe(text, 2023) is None


def test_unreadable_text_is_kept_without_dates():
    tf = parse_timeframe("Khi có yêu cầu", None, None)
    assert tf == {"text": "Khi có yêu cầu", "start": None, "end": None, "recurrence": None}


@pytest.mark.parametrize("text,start,end,recurrence", [
    ("3 tháng/lần", "2023-01-01", "2023-12-31", "quarterly"),
    ("Quý một lần", "2023-01-01", "2023-12-31", "quarterly"),
    ("01 tháng/lần", "2023-01-01", "2023-12-31", "monthly"),
    ("Tuần/lần", "2023-01-01", "2023-12-31", "weekly"),
    ("6 tháng/lần", None, None, None),  # no such recurrence in the schema
    # from a month on: the work recurs until the end of the plan year, not within that month only
    ("Hằng tháng (từ tháng 6/2023)", "2023-06-01", None, "monthly"),
    ("Bắt đầu từ tháng 9/2023", "2023-09-01", None, "continuous"),
    ("Từ tháng 3 đến tháng 6/2023", "2023-03-01", "2023-06-30", "once"),
])
def test_how_often_and_from_when(text, start, end, recurrence):
    tf = parse_timeframe(text, 2023, None)
    assert (tf["start"], tf["end"], tf["recurrence"]) == (start, end, recurrence)
