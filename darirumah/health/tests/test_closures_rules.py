"""The disinfection rule (Kepmenkes 328/2020): a room is closed at least 24 hours before it is
disinfected, the disinfection has happened, and it belongs to the closure (before reopening)."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from darirumah.health.rules.facilities import (
    AFTER_REOPENING,
    IN_FUTURE,
    TOO_EARLY,
    Refusal,
    check_disinfection,
    closed_since,
    earliest_disinfection,
)

WIB = timezone(timedelta(hours=7))


def wib(day, hour=0, minute=0):
    return datetime(2026, 8, day, hour, minute, tzinfo=WIB)


@pytest.mark.parametrize(
    ("recorded", "first_day", "expected"),
    [
        # Recorded during the first closed day: it takes effect when recorded.
        (wib(20, 10), wib(20), wib(20, 10)),
        # Recorded ahead for Monday: it takes effect at Monday's midnight, not over the weekend.
        (wib(19, 10), wib(24), wib(24)),
        # Recorded at the very start of the day: the same moment.
        (wib(24), wib(24), wib(24)),
    ],
)
def test_a_closure_takes_effect_when_recorded_or_at_its_first_day(recorded, first_day, expected):
    assert closed_since(recorded, first_day) == expected


def test_the_earliest_disinfection_is_the_set_hours_after():
    assert earliest_disinfection(wib(20, 10), 24) == wib(21, 10)
    assert earliest_disinfection(wib(20, 10), 0) == wib(20, 10)
    assert earliest_disinfection(wib(20, 10), 48) == wib(22, 10)


SINCE = wib(20, 10)  # closed Thursday 20 August 10:00 WIB
END = wib(29)  # open again Saturday 29 August
NOW = wib(27, 9)


@pytest.mark.parametrize(
    ("performed", "hours", "expected"),
    [
        (wib(21, 10), 24, None),  # exactly 24 hours: allowed
        (wib(21, 9, 59), 24, Refusal(TOO_EARLY, wib(21, 10))),  # 23:59: refused
        (wib(20, 10), 24, Refusal(TOO_EARLY, wib(21, 10))),
        (wib(20, 9), 24, Refusal(TOO_EARLY, wib(21, 10))),  # before the closure
        (wib(22, 14), 24, None),
        (wib(22, 9, 59), 48, Refusal(TOO_EARLY, wib(22, 10))),  # an agency's 48 hours
        (wib(20, 10), 0, None),  # an agency without a wait
        (wib(27, 9), 24, None),  # right now
        (wib(27, 9, 1), 24, Refusal(IN_FUTURE)),
        (wib(28, 23, 59), 24, Refusal(IN_FUTURE)),
    ],
)
def test_the_24_hour_rule(performed, hours, expected):
    assert check_disinfection(performed, SINCE, hours, END, NOW) == expected


@pytest.mark.parametrize(
    ("performed", "expected"),
    [
        (wib(28, 23, 59), None),  # the last closed evening
        (wib(29), Refusal(AFTER_REOPENING)),  # the building is open again
        (wib(30, 8), Refusal(AFTER_REOPENING)),
    ],
)
def test_nothing_after_the_building_opened_again(performed, expected):
    later = wib(31, 12)
    assert check_disinfection(performed, SINCE, 24, END, later) == expected


def test_moments_in_other_zones_compare_as_moments():
    # 21 August 03:00 UTC is 10:00 WIB: exactly 24 hours.
    at = datetime(2026, 8, 21, 3, 0, tzinfo=UTC)
    assert check_disinfection(at, SINCE, 24, END, NOW) is None
    wita = timezone(timedelta(hours=8))
    assert check_disinfection(datetime(2026, 8, 21, 10, 59, tzinfo=wita), SINCE, 24, END, NOW) == (
        Refusal(TOO_EARLY, wib(21, 10))
    )
