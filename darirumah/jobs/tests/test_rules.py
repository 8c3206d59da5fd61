"""Which timed jobs are due, across the three zones and around midnight UTC (pure rules)."""

from datetime import UTC, date, datetime, time

import pytest

from darirumah.core.calendar import AgencyCalendar
from darirumah.jobs.registry import minutes_before
from darirumah.jobs.rules import Slot, due_jobs

SLOTS = [
    Slot("recap", time(15, 0)),
    Slot("reminder", time(7, 0)),
    Slot("vicon", time(13, 45)),
]


def _due(zone: str, utc: datetime, done=()):
    cal = AgencyCalendar(zone=zone)
    return due_jobs(cal.now(utc), SLOTS, is_working_day=cal.is_working_day, done=done)


@pytest.mark.parametrize(
    ("zone", "utc", "expected"),
    [
        # 07:00 local is 00:00 UTC in WIB (UTC+7), 23:00 UTC the day before in WITA, 22:00 in WIT.
        ("WIB", datetime(2026, 8, 17, 23, 59, tzinfo=UTC), []),  # 06:59 WIB on Tue 18th
        ("WIB", datetime(2026, 8, 18, 0, 0, tzinfo=UTC), ["reminder"]),
        ("WITA", datetime(2026, 8, 17, 22, 59, tzinfo=UTC), []),
        ("WITA", datetime(2026, 8, 17, 23, 0, tzinfo=UTC), ["reminder"]),
        ("WIT", datetime(2026, 8, 17, 21, 59, tzinfo=UTC), []),
        ("WIT", datetime(2026, 8, 17, 22, 0, tzinfo=UTC), ["reminder"]),
        # 15:00 WIT is 06:00 UTC: everything of the day is due, in time order.
        ("WIT", datetime(2026, 8, 18, 6, 0, tzinfo=UTC), ["reminder", "vicon", "recap"]),
        # The same instant is still 04:00 WIB: nothing yet.
        ("WIB", datetime(2026, 8, 17, 21, 0, tzinfo=UTC), []),
    ],
)
def test_due_at_local_time_in_each_zone(zone, utc, expected):
    assert _due(zone, utc) == expected


def test_the_local_day_decides_not_the_utc_day():
    # 23:30 UTC on Monday the 17th (a national holiday) is already Tuesday 08:30 in WIT: a working
    # day, so the reminder is due; in WIB it is 06:30 on Tuesday: not yet.
    moment = datetime(2026, 8, 17, 23, 30, tzinfo=UTC)
    assert _due("WIT", moment) == ["reminder"]
    assert _due("WIB", moment) == []
    # 16:30 UTC on Sunday the 16th is 23:30 WIB Sunday (nothing) but 01:30 WIT on the holiday.
    sunday = datetime(2026, 8, 16, 16, 30, tzinfo=UTC)
    assert _due("WIB", sunday) == []
    assert _due("WIT", sunday) == []


def test_nothing_on_a_holiday_or_weekend_even_late():
    assert _due("WIB", datetime(2026, 8, 17, 9, 0, tzinfo=UTC)) == []  # Independence Day
    assert _due("WIB", datetime(2026, 8, 15, 9, 0, tzinfo=UTC)) == []  # Saturday
    assert _due("WIB", datetime(2026, 8, 18, 9, 0, tzinfo=UTC)) == ["reminder", "vicon", "recap"]


def test_done_jobs_are_not_due_again_and_late_jobs_catch_up():
    at_0910_wib = datetime(2026, 8, 18, 2, 10, tzinfo=UTC)
    assert _due("WIB", at_0910_wib) == ["reminder"]  # the worker was down at 07:00
    assert _due("WIB", at_0910_wib, done={"reminder"}) == []


def test_an_agency_day_off_counts():
    cal = AgencyCalendar(zone="WITA", days_off={date(2026, 8, 18): "HUT Kota"})
    local = cal.now(datetime(2026, 8, 18, 1, 0, tzinfo=UTC))
    assert due_jobs(local, SLOTS, is_working_day=cal.is_working_day) == []


def test_naive_time_is_refused():
    with pytest.raises(ValueError, match="aware"):
        due_jobs(datetime(2026, 8, 18, 8, 0), SLOTS, is_working_day=lambda d: True)


def test_minutes_before():
    assert minutes_before(time(14, 0), 15) == time(13, 45)
    assert minutes_before(time(0, 10), 15) == time(0, 0)
