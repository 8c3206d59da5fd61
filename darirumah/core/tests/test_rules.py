"""Working hours under Perpres 21/2023, as the data the calendar and attendance read."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from darirumah.core.rules import PERPRES_21_2023, PERPRES_21_2023_RAMADAN, ZONES, WorkHours

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def _minutes(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


@pytest.mark.parametrize(
    ("weekday", "start", "end"),
    [
        (MON, time(7, 30), time(16, 0)),
        (TUE, time(7, 30), time(16, 0)),
        (WED, time(7, 30), time(16, 0)),
        (THU, time(7, 30), time(16, 0)),
        (FRI, time(7, 30), time(16, 30)),
    ],
)
def test_perpres_common_schedule(weekday, start, end):
    assert PERPRES_21_2023.start[weekday] == start
    assert PERPRES_21_2023.end[weekday] == end


@pytest.mark.parametrize(
    ("weekday", "start", "end"),
    [
        (MON, time(8, 0), time(15, 0)),
        (THU, time(8, 0), time(15, 0)),
        (FRI, time(8, 0), time(15, 30)),
    ],
)
def test_ramadan_schedule_starts_at_eight(weekday, start, end):
    assert PERPRES_21_2023_RAMADAN.start[weekday] == start
    assert PERPRES_21_2023_RAMADAN.end[weekday] == end


@pytest.mark.parametrize(
    ("hours", "breaks_minutes", "weekly"),
    [
        # 60 min breaks Monday–Thursday, 90 min on Friday: 37.5 h of work a week.
        (PERPRES_21_2023, {MON: 60, TUE: 60, WED: 60, THU: 60, FRI: 90}, 37.5),
        # Ramadan: 30 min breaks Monday–Thursday, 60 min on Friday: 32.5 h a week.
        (PERPRES_21_2023_RAMADAN, {MON: 30, TUE: 30, WED: 30, THU: 30, FRI: 60}, 32.5),
    ],
    ids=["normal", "ramadan"],
)
def test_weekly_hours_match_the_schedule_less_breaks(hours, breaks_minutes, weekly):
    worked = sum(_minutes(hours.start[d], hours.end[d]) - breaks_minutes[d] for d in hours.start)
    assert worked / 60 == weekly == hours.weekly_hours


@pytest.mark.parametrize("hours", [PERPRES_21_2023, PERPRES_21_2023_RAMADAN])
@pytest.mark.parametrize(
    ("weekday", "worked"),
    [(MON, True), (WED, True), (FRI, True), (SAT, False), (SUN, False)],
)
def test_monday_to_friday_are_worked(hours, weekday, worked):
    assert hours.is_weekday_worked(weekday) is worked


def test_rule_sets_cite_their_regulation():
    assert "Perpres 21/2023" in PERPRES_21_2023.citation
    assert "Perpres 21/2023" in PERPRES_21_2023_RAMADAN.citation
    assert "Ramadan" in PERPRES_21_2023_RAMADAN.citation


@pytest.mark.parametrize(
    ("hours", "check_in", "late"),
    [
        (PERPRES_21_2023, time(7, 29, 59), False),
        (PERPRES_21_2023, time(7, 30, 0), False),
        (PERPRES_21_2023, time(7, 30, 59), False),  # "after 07:30:59 is late"
        (PERPRES_21_2023, time(7, 31, 0), True),
        (PERPRES_21_2023, time(9, 0), True),
        (PERPRES_21_2023_RAMADAN, time(7, 45), False),
        (PERPRES_21_2023_RAMADAN, time(8, 0, 59), False),
        (PERPRES_21_2023_RAMADAN, time(8, 1, 0), True),
    ],
)
def test_late_threshold_is_the_last_second_of_the_start_minute(hours, check_in, late):
    assert (check_in > hours.late_after) is late


@pytest.mark.parametrize(
    ("zone", "iana", "offset_hours"),
    [("WIB", "Asia/Jakarta", 7), ("WITA", "Asia/Makassar", 8), ("WIT", "Asia/Jayapura", 9)],
)
def test_the_three_zones(zone, iana, offset_hours):
    assert ZONES[zone] == iana
    # Indonesia keeps no daylight saving: the offset is the same in January and July.
    for month in (1, 7):
        offset = datetime(2026, month, 1, 12, tzinfo=ZoneInfo(iana)).utcoffset()
        assert offset == timedelta(hours=offset_hours)


def test_only_three_zones():
    assert set(ZONES) == {"WIB", "WITA", "WIT"}


def test_work_hours_is_plain_frozen_data():
    custom = WorkHours(
        citation="Perkada uji",
        start={d: time(8, 0) for d in range(6)},
        end={d: time(14, 0) for d in range(6)},
        weekly_hours=36,
        late_after=time(8, 0, 59),
    )
    assert custom.is_weekday_worked(SAT)
    assert not custom.is_weekday_worked(SUN)
    with pytest.raises(AttributeError):
        custom.weekly_hours = 40  # type: ignore[misc]
