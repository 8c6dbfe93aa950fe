"""Working days with real Vietnamese calendars: weekends, the Labour Code's holidays (Tết from the
lunar calendar), and the days an administrator adds after the year's government decision."""

import datetime as dt

import pytest

from cchc.core import workdays
from cchc.core.models import CalendarDay

D = dt.date
pytestmark = pytest.mark.django_db


def test_weekend_is_skipped():
    # Friday 6/3/2026 + 1 working day = Monday 9/3/2026
    assert workdays.add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 9)
    assert workdays.add_working_days(D(2026, 3, 2), 10) == D(2026, 3, 16)


def test_tet_2026_is_skipped():
    # Tết Nguyên đán 2026 falls on Tuesday 17/02/2026; Monday 16 (giao thừa) to Friday 20 are off
    for day in range(16, 21):
        assert not workdays.is_working_day(D(2026, 2, day))
    assert workdays.is_working_day(D(2026, 2, 13))
    assert workdays.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    assert workdays.working_days_between(D(2026, 2, 13), D(2026, 2, 23)) == 1


def test_reunification_and_labour_day():
    # 30/4/2026 (Thursday) and 1/5/2026 (Friday) are off: Wednesday 29/4 + 1 = Monday 4/5
    assert workdays.add_working_days(D(2026, 4, 29), 1) == D(2026, 5, 4)


def test_national_day_and_its_adjacent_day():
    # 2025: 1/9 (Monday) and 2/9 (Tuesday) off
    assert not workdays.is_working_day(D(2025, 9, 1))
    assert not workdays.is_working_day(D(2025, 9, 2))
    assert workdays.add_working_days(D(2025, 8, 29), 1) == D(2025, 9, 3)
    # 2026: 1/9 (Tuesday) and 2/9 (Wednesday)
    assert workdays.add_working_days(D(2026, 8, 31), 1) == D(2026, 9, 3)


def test_hung_kings_day_from_the_lunar_calendar():
    # 10/3 lunar: 7/4/2025 (Monday); 26/4/2026 is a Sunday, so Monday 27/4/2026 is off in lieu
    assert not workdays.is_working_day(D(2025, 4, 7))
    assert not workdays.is_working_day(D(2026, 4, 27))


def test_government_decision_days_are_data():
    # a bridge day off (Friday 2/1/2026) and a Saturday worked to make up for it (10/1/2026)
    assert workdays.is_working_day(D(2026, 1, 2))
    CalendarDay.objects.create(date=D(2026, 1, 2), kind=CalendarDay.Kind.OFF, note="hoán đổi")
    CalendarDay.objects.create(date=D(2026, 1, 10), kind=CalendarDay.Kind.WORKING, note="làm bù")
    assert not workdays.is_working_day(D(2026, 1, 2))
    assert workdays.is_working_day(D(2026, 1, 10))
    # Wednesday 31/12/2025 + 1: 1/1 holiday, 2/1 off -> Monday 5/1/2026
    assert workdays.add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 5)
    assert workdays.add_working_days(D(2026, 1, 9), 1) == D(2026, 1, 10)


def test_between_and_back():
    assert workdays.working_days_between(D(2026, 3, 2), D(2026, 3, 2)) == 0
    assert workdays.working_days_between(D(2026, 3, 2), D(2026, 3, 16)) == 10
    assert workdays.working_days_between(D(2026, 3, 16), D(2026, 3, 2)) == -10
    assert workdays.add_working_days(D(2026, 2, 23), -1) == D(2026, 2, 13)
    # n = 0 on a holiday gives the next working day
    assert workdays.add_working_days(D(2026, 2, 17), 0) == D(2026, 2, 23)


def test_aware_datetime_is_read_in_vietnam_time():
    from datetime import timezone as tz
    # 18:30 UTC on Friday 13/2/2026 is 01:30 on Saturday 14/2 in Hà Nội
    moment = dt.datetime(2026, 2, 13, 18, 30, tzinfo=tz.utc)
    assert workdays.as_date(moment) == D(2026, 2, 14)
