"""Timeframes of tasks ("Thời gian thực hiện") normalised to start, end and recurrence.

"Thường xuyên" runs the whole plan year (or the plan period), "Hằng năm" recurs every year,
"Quý II, Quý III/2023" spans April to September 2023, "Định kỳ hằng quý" and "3 tháng/lần" recur every quarter,
"Tháng 6/2024" is June 2024, "30/6/2024" is a deadline, "Từ 01/7/2025" starts on a day.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from .dates import (
    DATE_SLASH_RE, DATE_WORDS_RE, ROMAN_QUARTER, iso, make_date, month_end, quarter_bounds, year_bounds,
)
from .folding import fold

_QUARTER_RE = re.compile(r"\bqu[yi]\s*((?:(?:iv|iii|ii|i|[1-4])\b\s*(?:[,;&-]|va|den)?\s*(?:qu[yi]\s*)?)+)")
_QNUM_RE = re.compile(r"iv|iii|ii|i|[1-4]")
_YEAR_AFTER_RE = re.compile(r"^\s*(?:[/-]|nam)\s*(\d{4})")
_MONTH_RE = re.compile(r"\bthang\s*(\d{1,2})\s*(?:[/-]|nam)\s*(\d{4})")
_FROM_MONTH_RE = re.compile(r"\b(?:tu|bat dau(?: tu)?|ke tu)\s*thang\s*\d")
_MONTH_NOYEAR_RE = re.compile(r"\bthang\s*(\d{1,2})\b(?!\s*(?:[/-]|nam)\s*\d)")
# "ngày 30/6", "trước 30/6", "đến 15/11": a day and month of the plan year
_MONTH_DAY_RE = re.compile(r"\b(?:ngay|truoc|den|cham nhat(?: la)?)\s*(?:ngay\s*)?(\d{1,2})\s*[/-]\s*(\d{1,2})\b"
                           r"(?!\s*[/-]\s*\d)")
_YEAR_RE = re.compile(r"\bnam\s*(\d{4})\b")
_ONWARD_RE = re.compile(r"\b(?:nhung|cac) nam tiep theo\b|\bve sau\b")
_HALF_RE = re.compile(r"\b(?:6|sau) thang (dau|cuoi) nam\b")
_WEEKLY_RE = re.compile(r"\b(?:hang|moi) tuan\b")
_MONTHLY_RE = re.compile(r"\b(?:hang|moi) thang\b")
_QUARTERLY_RE = re.compile(r"\b(?:hang|moi) quy\b|dinh ky quy\b|theo quy\b")
_YEARLY_RE = re.compile(r"\b(?:hang|moi) nam\b|\bdinh ky nam\b")
# "tuần/lần", "01 tháng/lần", "3 tháng một lần", "quý một lần": once every week, month or quarter
_ONCE_EVERY_RE = re.compile(r"(?<!\d )\b(?:0?([13]) )?(tuan|thang|quy|nam) ?(?:/|mot) ?(?:0?1 ?)?lan\b")
_ONCE_EVERY = {("", "tuan"): "weekly", ("1", "tuan"): "weekly", ("", "thang"): "monthly", ("1", "thang"): "monthly",
               ("3", "thang"): "quarterly", ("", "quy"): "quarterly", ("1", "quy"): "quarterly",
               ("", "nam"): "yearly", ("1", "nam"): "yearly"}
_DIGIT_RE = re.compile(r"\d")
_PERIOD_RE = re.compile(r"\b(?:giai doan|tu nam|nam)?\s*(\d{4})\s*(?:-|–|den|den nam)\s*(\d{4})\b")


def parse_timeframe(text: str | None, plan_year: int | None, plan_period: list[int] | None = None) -> dict | None:
    """A timeframe dict for the schema, or None for empty text."""
    if not text or not text.strip():
        return None
    text = " ".join(text.split()).strip(" .;,")
    try:
        start, end, recurrence = _interpret_cached(text, plan_year, tuple(plan_period) if plan_period else None)
    except Exception:  # a timeframe we cannot read stays as text
        start = end = recurrence = None
    return {"text": text[:500], "start": iso(start), "end": iso(end), "recurrence": recurrence}


def _span(plan_year, plan_period):
    if plan_period and len(plan_period) == 2:
        return dt.date(plan_period[0], 1, 1), dt.date(plan_period[1], 12, 31)
    if plan_year:
        return year_bounds(plan_year)
    return None, None


@lru_cache(maxsize=2048)
def _interpret_cached(text: str, plan_year, plan_period):
    # A plan's time column repeats a few phrases ("Thường xuyên", "Quý II/2024") over many rows.
    return _interpret(text, plan_year, list(plan_period) if plan_period else None)


def _interpret(text: str, plan_year, plan_period):
    f = fold(text)[:600]
    recurrence = None
    if "thuong xuyen" in f or "lien tuc" in f:
        recurrence = "continuous"
    elif "hang" in f or "moi" in f or "dinh ky" in f or "theo quy" in f:
        if _WEEKLY_RE.search(f):
            recurrence = "weekly"
        elif _MONTHLY_RE.search(f):
            recurrence = "monthly"
        elif _QUARTERLY_RE.search(f):
            recurrence = "quarterly"
        elif _YEARLY_RE.search(f):
            recurrence = "yearly"
    if recurrence is None and "lan" in f:
        m = _ONCE_EVERY_RE.search(f)
        if m:
            recurrence = _ONCE_EVERY.get((m.group(1) or "", m.group(2)))

    # explicit dates: "30/6/2024", "Từ 01/7/2025", "trước ngày 15 tháng 11 năm 2025"
    dates = []
    for rx in (DATE_WORDS_RE, DATE_SLASH_RE) if _DIGIT_RE.search(text) else ():
        for m in rx.finditer(text):
            d = make_date(m.group(3), m.group(2), m.group(1))
            if d:
                dates.append((m.start(), d))
    dates.sort()
    if dates:
        first = dates[0][1]
        if re.search(r"\btu\b|\bbat dau\b|\bke tu\b", f[: max(0, dates[0][0]) + 12]) and len(dates) == 1:
            return first, None, recurrence or "continuous"
        if len(dates) >= 2 and re.search(r"\btu\b", f):
            return first, dates[-1][1], recurrence or "once"
        end = first
        # "trước (ngày) 30/6/2024": before the day, so the 29th is the last one on time
        if re.search(r"\btruoc(?: ngay)?\s*$", fold(text[: dates[0][0]])):
            end = first - dt.timedelta(days=1)
        return None, end, recurrence or "once"

    # quarters: "Quý I/2023", "Quý II, Quý III/2023", "Quý III- IV/2023", "Quí IV-2025"
    m = _QUARTER_RE.search(f)
    if m:
        quarters = [ROMAN_QUARTER[q.upper()] for q in _QNUM_RE.findall(m.group(1))]
        ym = _YEAR_AFTER_RE.match(f[m.end() - 1:]) or _YEAR_AFTER_RE.match(f[m.end():]) or _YEAR_RE.search(f)
        year = int(ym.group(1)) if ym else plan_year
        if quarters and year:
            return quarter_bounds(year, min(quarters))[0], quarter_bounds(year, max(quarters))[1], recurrence or "once"

    m = _MONTH_RE.search(f)
    if m and 1 <= int(m.group(1)) <= 12:
        year, month = int(m.group(2)), int(m.group(1))
        months = [int(x) for x in re.findall(r"\bthang\s*(\d{1,2})", f) if 1 <= int(x) <= 12]
        if len(months) <= 1 and _FROM_MONTH_RE.search(f):
            # "Hằng tháng (từ tháng 6/2023)": from that month on, as "Từ 01/7/2025" is from that day on
            return dt.date(year, month, 1), None, recurrence or "continuous"
        lo, hi = min(months + [month]), max(months + [month])
        return dt.date(year, lo, 1), month_end(year, hi), recurrence or "once"

    m = _PERIOD_RE.search(f)
    if m and int(m.group(1)) < int(m.group(2)) <= int(m.group(1)) + 30:
        a, b = int(m.group(1)), int(m.group(2))
        if _ONWARD_RE.search(f):  # "… và những năm tiếp theo": the work goes on past the period
            return dt.date(a, 1, 1), None, recurrence or "continuous"
        return dt.date(a, 1, 1), dt.date(b, 12, 31), recurrence or "once"

    # "6 tháng đầu năm" / "6 tháng cuối năm" of the plan year (or of the year written)
    m = _HALF_RE.search(f)
    if m:
        ym = _YEAR_RE.search(f)
        year = int(ym.group(1)) if ym else plan_year
        if year:
            if m.group(1) == "dau":
                return dt.date(year, 1, 1), dt.date(year, 6, 30), recurrence or "once"
            return dt.date(year, 7, 1), dt.date(year, 12, 31), recurrence or "once"

    m = _YEAR_RE.search(f)
    if m:
        year = int(m.group(1))
        if re.search(r"\b(?:den )?het nam\b|\bden nam\b", f) and "tu nay" in f:
            return None, dt.date(year, 12, 31), recurrence or "once"
        s, e = year_bounds(year)
        return s, e, recurrence or "once"

    if plan_year:
        m = _MONTH_NOYEAR_RE.search(f)
        if m and 1 <= int(m.group(1)) <= 12 and not recurrence:
            month = int(m.group(1))
            return dt.date(plan_year, month, 1), month_end(plan_year, month), "once"
        m = _MONTH_DAY_RE.search(f)
        if m:
            d = make_date(plan_year, m.group(2), m.group(1))
            if d:
                if re.search(r"\btruoc\s*(?:ngay\s*)?$", f[: m.start(1)]):
                    d -= dt.timedelta(days=1)
                return None, d, recurrence or "once"

    if recurrence or re.search(r"\btrong nam\b|\bca nam\b|\bnam nay\b", f):
        s, e = _span(plan_year, plan_period)
        if recurrence in ("yearly", "quarterly", "monthly", "weekly") and plan_year and not plan_period:
            s, e = year_bounds(plan_year)
        return s, e, recurrence or "once"
    return None, None, None
