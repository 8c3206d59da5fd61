"""The rules as pure functions: the report deadline, lateness, the report window, weights."""

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest

from darirumah.core.calendar import AgencyCalendar
from darirumah.performance import rules
from darirumah.performance.rules import Span

D = Decimal
WIB = AgencyCalendar(zone="WIB")


@pytest.mark.parametrize(
    ("day", "zone", "expected_utc"),
    [
        (date(2026, 8, 19), "WIB", datetime(2026, 8, 19, 9, 0, tzinfo=UTC)),  # Wed 16:00 WIB
        (date(2026, 8, 21), "WIB", datetime(2026, 8, 21, 9, 30, tzinfo=UTC)),  # Fri 16:30 WIB
        (date(2026, 8, 19), "WITA", datetime(2026, 8, 19, 8, 0, tzinfo=UTC)),  # 16:00 WITA
        (date(2026, 8, 19), "WIT", datetime(2026, 8, 19, 7, 0, tzinfo=UTC)),  # 16:00 WIT
    ],
)
def test_the_deadline_is_the_end_of_the_working_day_in_the_agency_zone(day, zone, expected_utc):
    deadline = rules.report_deadline(AgencyCalendar(zone=zone), day)
    assert deadline == expected_utc
    assert deadline.tzinfo is not None


@pytest.mark.parametrize("day", [date(2026, 8, 17), date(2026, 8, 22), date(2026, 8, 23)])
def test_a_day_off_has_no_deadline(day):
    assert rules.report_deadline(WIB, day) is None


def test_a_declared_working_saturday_has_fridays_hours():
    calendar = AgencyCalendar(zone="WIB", days_on=frozenset({date(2026, 8, 22)}))
    assert rules.report_deadline(calendar, date(2026, 8, 22)) == calendar.local(
        date(2026, 8, 22), time(16, 30)
    )


@pytest.mark.parametrize(
    ("submitted", "late"),
    [
        (datetime(2026, 8, 19, 8, 59, 59, tzinfo=UTC), False),
        (datetime(2026, 8, 19, 9, 0, 0, tzinfo=UTC), False),  # on the minute is on time
        (datetime(2026, 8, 19, 9, 0, 1, tzinfo=UTC), True),
        (datetime(2026, 8, 20, 1, 0, tzinfo=UTC), True),  # the next morning
    ],
)
def test_late_is_after_the_deadline(submitted, late):
    deadline = rules.report_deadline(WIB, date(2026, 8, 19))
    assert rules.is_late(submitted, deadline) is late


def test_nothing_is_late_without_a_deadline():
    assert rules.is_late(datetime(2026, 8, 22, 12, tzinfo=UTC), None) is False


@pytest.mark.parametrize(
    ("day", "today", "day_off", "code"),
    [
        (date(2026, 8, 19), date(2026, 8, 19), None, None),  # today
        (date(2026, 8, 3), date(2026, 8, 19), None, None),  # earlier this month
        (date(2026, 8, 20), date(2026, 8, 19), None, "future_day"),
        (date(2026, 7, 31), date(2026, 8, 3), None, "period_closed"),  # last month
        (date(2026, 8, 17), date(2026, 8, 19), "Hari Kemerdekaan", "not_working_day"),
    ],
)
def test_which_days_can_be_reported(day, today, day_off, code):
    problem = rules.report_day_problem(day, today=today, day_off=day_off)
    assert (problem[0] if problem else None) == code


def test_a_holiday_is_refused_with_its_name():
    code, message = rules.report_day_problem(
        date(2026, 8, 17), today=date(2026, 8, 19), day_off="Hari Kemerdekaan"
    )
    assert "not a working day (Hari Kemerdekaan)" in message


@pytest.mark.parametrize(
    ("minutes", "ok"), [([480], True), ([720, 720], True), ([1000, 441], False)]
)
def test_a_day_has_24_hours(minutes, ok):
    assert (rules.total_minutes_problem(minutes) is None) is ok


AUG = (date(2026, 8, 1), date(2026, 8, 31))


@pytest.mark.parametrize(
    ("existing", "new", "peak_then"),
    [
        ([], Span(*AUG, D(100)), None),  # one target may weigh the whole
        ([Span(*AUG, D(60))], Span(*AUG, D(40)), None),
        ([Span(*AUG, D(60))], Span(*AUG, D("40.01")), D("100.01")),
        # Two targets in different halves of the month never meet: 70 + 70 is fine ...
        (
            [Span(date(2026, 8, 1), date(2026, 8, 15), D(70))],
            Span(date(2026, 8, 16), date(2026, 8, 31), D(70)),
            None,
        ),
        # ... but a month-long one meets both halves: 70 + 40 on the busiest day.
        (
            [
                Span(date(2026, 8, 1), date(2026, 8, 15), D(70)),
                Span(date(2026, 8, 16), date(2026, 8, 31), D(30)),
            ],
            Span(*AUG, D(40)),
            D(110),
        ),
        # A WFH period overlapping the month's end counts where it overlaps.
        ([Span(date(2026, 8, 18), date(2026, 8, 21), D(50))], Span(*AUG, D(50)), None),
        ([Span(date(2026, 8, 18), date(2026, 8, 21), D(50))], Span(*AUG, D(51)), D(101)),
        # A target of another period does not count.
        ([Span(date(2026, 7, 1), date(2026, 7, 31), D(100))], Span(*AUG, D(100)), None),
    ],
)
def test_active_targets_weigh_at_most_100_percent_on_any_day(existing, new, peak_then):
    assert rules.weight_total_over(existing, new) == peak_then


@pytest.mark.parametrize(
    ("start", "end", "deadline", "field"),
    [
        (date(2026, 8, 1), date(2026, 8, 31), date(2026, 8, 31), None),
        (date(2026, 8, 1), date(2026, 8, 31), date(2026, 9, 1), "deadline"),
        (date(2026, 8, 1), date(2026, 8, 31), date(2026, 7, 31), "deadline"),
        (date(2026, 8, 31), date(2026, 8, 1), date(2026, 8, 15), "period_end"),
        (date(2026, 1, 1), date(2027, 1, 2), date(2026, 6, 1), "period_end"),  # over a year
    ],
)
def test_the_deadline_falls_within_the_period(start, end, deadline, field):
    problems = rules.period_problems(start, end, deadline)
    assert (next(iter(problems)) if problems else None) == field


@pytest.mark.parametrize(
    ("year", "month", "bounds"),
    [
        (2026, 2, (date(2026, 2, 1), date(2026, 2, 28))),
        (2028, 2, (date(2028, 2, 1), date(2028, 2, 29))),
        (2026, 12, (date(2026, 12, 1), date(2026, 12, 31))),
    ],
)
def test_month_bounds(year, month, bounds):
    assert rules.month_bounds(year, month) == bounds
