"""Vietnamese dates: "ngày 19 tháng 12 năm 2022", "19/12/2022", quarters and their bounds."""

from __future__ import annotations

import calendar
import datetime as dt
import re

ROMAN_QUARTER = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}

DATE_WORDS_RE = re.compile(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.IGNORECASE)
DATE_SLASH_RE = re.compile(r"(?<![\d/])(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)")


def make_date(year: int | None, month: int | None, day: int | None) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None


def iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    first = 3 * (quarter - 1) + 1
    return dt.date(year, first, 1), month_end(year, first + 2)


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def first_date(text: str) -> dt.date | None:
    """The first full date written in `text`, in words or with slashes."""
    best = None
    for rx in (DATE_WORDS_RE, DATE_SLASH_RE):
        m = rx.search(text)
        if m and (best is None or m.start() < best[0]):
            if rx is DATE_WORDS_RE:
                d = make_date(m.group(3), m.group(2), m.group(1))
            else:
                d = make_date(m.group(3), m.group(2), m.group(1))
            if d:
                best = (m.start(), d)
    return best[1] if best else None
