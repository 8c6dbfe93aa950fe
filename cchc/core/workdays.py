"""Working days (ngày làm việc) in Viet Nam: weekends and public holidays excluded.

Public holidays come from the `holidays` package, which knows the lunar ones (Tết Nguyên đán, Giỗ
Tổ Hùng Vương) as well as 1/1, 30/4, 1/5 and 2/9 with its adjacent day, and the day off in lieu of a
holiday that falls on a weekend. What each year's government decision adds or swaps (the extra Tết
days, a bridge day, the Saturday worked to make up for it) is data: `CalendarDay` rows an
administrator keeps in the admin.

    add_working_days(date(2026, 2, 13), 1)  -> 23/02/2026 (Tết 2026 falls on 17/02)
    working_days_between(a, b)              -> working days after a, up to and including b

Dates are calendar dates of Asia/Ho_Chi_Minh (`today()`); a datetime is turned into its local date.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.utils import timezone

_MAX_STEPS = 3660  # ten years of days: a bounded walk whatever the input


@functools.lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[dt.date]:
    import holidays

    return frozenset(holidays.country_holidays("VN", years=[year]).keys())


def _adjustments() -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(extra days off, extra working days) set by the administrator, read once per request/run."""
    from .models import CalendarDay

    rows = list(CalendarDay.objects.values_list("date", "kind"))
    off = frozenset(d for d, k in rows if k == CalendarDay.Kind.OFF)
    working = frozenset(d for d, k in rows if k == CalendarDay.Kind.WORKING)
    return off, working


class Calendar:
    """Working-day arithmetic with the administrator's days read once (use one for many items)."""

    def __init__(self, *, extra_off=None, extra_working=None):
        if extra_off is None or extra_working is None:
            off, working = _adjustments()
            extra_off = off if extra_off is None else frozenset(extra_off)
            extra_working = working if extra_working is None else frozenset(extra_working)
        self.extra_off = frozenset(extra_off)
        self.extra_working = frozenset(extra_working)

    def is_working_day(self, day: dt.date) -> bool:
        day = as_date(day)
        if day in self.extra_working:
            return True
        if day in self.extra_off or day.weekday() >= 5:
            return False
        return day not in _public_holidays(day.year)

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after `day` (n = 0: `day` itself if it is a working day, else the next
        one). Negative n counts back."""
        day = as_date(day)
        if n == 0:
            steps = 0
            while not self.is_working_day(day) and steps < _MAX_STEPS:
                day += dt.timedelta(days=1)
                steps += 1
            return day
        step = dt.timedelta(days=1 if n > 0 else -1)
        left, steps = abs(n), 0
        while left and steps < _MAX_STEPS + abs(n) * 7:
            day += step
            steps += 1
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (negative when end is before start):
        an answer sent the day after it arrived took 1 working day, one sent on the same day 0."""
        start, end = as_date(start), as_date(end)
        if end < start:
            return -self.working_days_between(end, start)
        if (end - start).days > _MAX_STEPS:
            end = start + dt.timedelta(days=_MAX_STEPS)
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


def as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def today() -> dt.date:
    """Today in Asia/Ho_Chi_Minh (TIME_ZONE)."""
    return timezone.localdate()


def is_working_day(day: dt.date) -> bool:
    return Calendar().is_working_day(day)


def add_working_days(day: dt.date, n: int) -> dt.date:
    return Calendar().add_working_days(day, n)


def working_days_between(start: dt.date, end: dt.date) -> int:
    return Calendar().working_days_between(start, end)
