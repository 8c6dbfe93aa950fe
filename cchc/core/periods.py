"""Reporting periods (kỳ báo cáo): codes, data cut-off windows and default due dates. Pure functions.

Codes: M01..M12 (month), Q1..Q4 (quarter), H1 / H2 (six months), 9M (nine months), Y (year).
"M" in a plan's reporting duty means every month and expands into M01..M12.

Data cut-off (thời gian chốt số liệu) follows Nghị định 09/2019/NĐ-CP, Article 12:
- month: from the 15th of the previous month to the 14th of the month;
- quarter: from the 15th of the month before the quarter to the 14th of the quarter's last month;
- six months (H1): 15 December of the previous year to 14 June;
- nine months (9M): 15 December of the previous year to 14 September;
- year (Y): 15 December of the previous year to 14 December.
H2 is not named by the decree; it is read as the rest of the year: 15 June to 14 December.

Default due date, when the plan's text fixes none for a period: the 20th of the period's last month
(`DEFAULT_DUE_DAY`), which leaves units a few days after the cut-off to write. A due date is the
last day that is still on time: "chậm nhất ngày 15" keeps the 15th, "trước ngày 10" makes it the 9th
(the parser already turns the plan's words into that day; `due_from_words` does it for hand input).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

QUARTERS = {"Q1": 1, "Q2": 2, "Q3": 3, "Q4": 4}
HALVES = {"H1": 6, "H2": 12}
MONTHS = [f"M{m:02d}" for m in range(1, 13)]
CCHC_DEFAULT = ["Q1", "H1", "Q3", "Y"]
ALL_CODES = MONTHS + ["Q1", "Q2", "H1", "Q3", "9M", "Q4", "H2", "Y"]
DEFAULT_DUE_DAY = 20
CUTOFF_DAY = 14  # the last day counted; the next window starts on the 15th

# When reminders go out, in days relative to the due date (negative: before it).
REMINDER_STEPS = (-7, -2, 1, 7)

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class PeriodDates:
    code: str
    year: int
    start: dt.date
    end: dt.date
    due: dt.date


def _order_key(code: str) -> tuple[int, int]:
    """Sort periods by their last month, then shorter first (Q2 before H1, Q3 before 9M)."""
    last = last_month(code)
    span = {"M": 0, "Q": 1, "H": 2, "9": 3, "Y": 4}[code[0]]
    return (last, span)


def sort_codes(codes) -> list[str]:
    return sorted(set(codes), key=_order_key)


def expand_codes(codes) -> list[str]:
    """Plan periods as written by the parser (M, Q1 ...) into period codes (M01..M12, Q1 ...).
    Unknown codes raise ValueError so that a typing mistake is not silently dropped."""
    out = []
    for code in codes or []:
        code = str(code).strip().upper()
        if code == "M":
            out.extend(MONTHS)
        elif code in ALL_CODES:
            out.append(code)
        else:
            raise ValueError(f"unknown reporting period code {code!r}")
    return sort_codes(out)


def last_month(code: str) -> int:
    if code in MONTHS:
        return int(code[1:])
    if code in QUARTERS:
        return QUARTERS[code] * 3
    if code in HALVES:
        return HALVES[code]
    if code == "9M":
        return 9
    if code == "Y":
        return 12
    raise ValueError(f"unknown reporting period code {code!r}")


def _day15_before(year: int, month: int) -> dt.date:
    """The 15th of the month before `month` of `year` (15/12 of the previous year for January)."""
    if month == 1:
        return dt.date(year - 1, 12, 15)
    return dt.date(year, month - 1, 15)


def cutoff(code: str, year: int) -> tuple[dt.date, dt.date]:
    """(first day, last day) of the data counted in the report, by Nghị định 09/2019."""
    end = dt.date(year, last_month(code), CUTOFF_DAY)
    if code in MONTHS:
        start = _day15_before(year, int(code[1:]))
    elif code in QUARTERS:
        start = _day15_before(year, (QUARTERS[code] - 1) * 3 + 1)
    elif code == "H2":
        start = dt.date(year, 6, 15)
    else:  # H1, 9M, Y run from the start of the reporting year
        start = dt.date(year - 1, 12, 15)
    return start, end


def default_due(code: str, year: int) -> dt.date:
    return dt.date(year, last_month(code), DEFAULT_DUE_DAY)


def period_dates(code: str, year: int, deadlines: list[dict] | None = None) -> PeriodDates:
    """The window and due date of one period; a parsed deadline for the same period wins (the plan's
    text fixed it), carried to this year when the plan gave it for another."""
    start, end = cutoff(code, year)
    due = default_due(code, year)
    for item in deadlines or []:
        if not isinstance(item, dict):
            continue
        item_code = str(item.get("period") or "").upper()
        matches = item_code == code or (item_code == "M" and code in MONTHS)
        parsed = _iso(item.get("due"))
        if matches and parsed is not None:
            if item_code == "M":
                # a monthly rule gives a day of the month; carry it to this month
                parsed = _safe_date(year, last_month(code), parsed.day)
            elif parsed.year != year:
                # the plan states its rule once, for its first year ("trước ngày 15/11 hằng năm" in a
                # plan for 2026-2030): the same day and month in this year, as far from the period's last
                # month (a yearly report due in January falls in the next year, and stays so)
                base = min((parsed.year - 1, parsed.year), key=lambda b: abs((parsed - default_due(code, b)).days))
                parsed = _safe_date(year + parsed.year - base, parsed.month, parsed.day)
            due = parsed
            break
    return PeriodDates(code=code, year=year, start=start, end=end, due=due)


def plan_periods(reporting: dict | None, year: int) -> list[PeriodDates]:
    """Every period a plan's reporting duty asks for in `year`; the CCHC four when it names none."""
    reporting = reporting or {}
    codes = expand_codes(reporting.get("periods") or []) or list(CCHC_DEFAULT)
    deadlines = reporting.get("deadlines") or []
    return [period_dates(code, year, deadlines) for code in codes]


def _iso(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


def _safe_date(year: int, month: int, day: int) -> dt.date:
    while day > 28:
        try:
            return dt.date(year, month, day)
        except ValueError:
            day -= 1
    return dt.date(year, month, day)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return "".join(c for c in text if unicodedata.category(c) != "Mn").replace("đ", "d")


def due_from_words(text: str, code: str, year: int) -> dt.date | None:
    """A due date from a rule typed by hand: "chậm nhất ngày 15" (the 15th is on time), "trước ngày 10
    tháng 6" (the 9th is the last day on time), "ngày 20/6". A day without a month falls in the
    period's last month. None when the words name no day."""
    folded = _fold(text or "")
    match = re.search(r"(truoc|cham nhat)?[^0-9]{0,20}?ngay\s*(\d{1,2})(?:\s*(?:thang\s*|/\s*)(\d{1,2}))?", folded)
    if not match:
        return None
    day, month = int(match.group(2)), int(match.group(3)) if match.group(3) else last_month(code)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    due = _safe_date(year, month, day)
    if match.group(1) == "truoc":
        due -= dt.timedelta(days=1)
    return due


def label(code: str, year: int) -> str:
    """The period as a Vietnamese report names it: "Quý I/2025", "6 tháng đầu năm 2025"."""
    if code in MONTHS:
        return f"Tháng {code[1:]}/{year}"
    if code in QUARTERS:
        return f"Quý {_ROMAN[QUARTERS[code]]}/{year}"
    if code == "H1":
        return f"6 tháng đầu năm {year}"
    if code == "H2":
        return f"6 tháng cuối năm {year}"
    if code == "9M":
        return f"9 tháng năm {year}"
    if code == "Y":
        return f"Năm {year}"
    raise ValueError(f"unknown reporting period code {code!r}")


def is_on_time(submitted: dt.date, due: dt.date) -> bool:
    return submitted <= due


def reminder_step(today: dt.date, due: dt.date) -> int | None:
    """The reminder step due today for a deadline (days from the due date), or None."""
    offset = (today - due).days
    return offset if offset in REMINDER_STEPS else None


def overlaps(start: dt.date, end: dt.date, valid_from: dt.date | None, valid_to: dt.date | None) -> bool:
    """Whether a unit valid over [valid_from, valid_to] existed at some time in [start, end]."""
    return (valid_from is None or valid_from <= end) and (valid_to is None or valid_to >= start)
