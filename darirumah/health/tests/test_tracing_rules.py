"""The tracing rules (rules/tracing.py), table-driven: the reference day, the window, the groups
and the ranking (Kepmenkes 328/2020: 14 days back, the same room before the rest)."""

from datetime import date

import pytest

from darirumah.health.rules.tracing import (
    Colleague,
    Person,
    group_of,
    rank,
    reference_date,
    window,
)

ONSET, TEST, CONFIRMED = date(2026, 8, 17), date(2026, 8, 18), date(2026, 8, 19)


@pytest.mark.parametrize(
    ("onset", "test", "confirmed", "expected"),
    [
        (ONSET, TEST, CONFIRMED, ONSET),  # symptom onset first
        (None, TEST, CONFIRMED, TEST),  # else the first positive test
        (None, None, CONFIRMED, CONFIRMED),  # else the confirmation
        (None, None, None, None),
    ],
)
def test_the_reference_day(onset, test, confirmed, expected):
    assert reference_date(onset, test, confirmed) == expected


@pytest.mark.parametrize(
    ("ref", "days", "expected"),
    [
        (date(2026, 8, 19), 14, (date(2026, 8, 5), date(2026, 8, 19))),
        (date(2026, 8, 19), 7, (date(2026, 8, 12), date(2026, 8, 19))),
        (date(2026, 3, 1), 1, (date(2026, 2, 28), date(2026, 3, 1))),
    ],
)
def test_the_window_counts_back_from_the_reference_day_both_ends_included(ref, days, expected):
    assert window(ref, days) == expected


CASE = Person(unit_id=1, room_id=10)


@pytest.mark.parametrize(
    ("case", "unit_id", "room_id", "group"),
    [
        (CASE, 1, 10, "room"),
        (CASE, 2, 10, "room"),  # another unit in the same room is still the same room
        (CASE, 1, 11, "unit"),
        (CASE, 1, None, "unit"),
        (CASE, 2, 11, "office"),
        (CASE, 2, None, "office"),
        (Person(unit_id=1, room_id=None), 1, None, "unit"),  # no room: never "same room"
        (Person(unit_id=1, room_id=None), 2, None, "office"),
    ],
)
def test_the_group(case, unit_id, room_id, group):
    assert group_of(case, unit_id, room_id) == group


def d(n: int) -> date:
    return date(2026, 8, n)


def test_ranking_room_then_unit_then_office_then_more_days_then_later_then_name():
    case_days = [d(10), d(11), d(12), d(13), d(14)]
    colleagues = [
        Colleague(1, "Office Two Days", 3, None, [d(10), d(11)]),
        Colleague(2, "Unit One Day Early", 1, None, [d(10)]),
        Colleague(3, "Room One Day", 2, 10, [d(12), d(20)]),
        Colleague(4, "Unit Three Days", 1, 12, [d(10), d(12), d(14)]),
        Colleague(5, "Unit One Day Late", 1, None, [d(14)]),
        Colleague(6, "Never Together", 1, 10, [d(3), d(18)]),
        Colleague(7, "Budi Unit One Day Late", 1, None, [d(14)]),
    ]
    ranked = rank(CASE, case_days, colleagues)
    assert [(c.name, c.group, c.count) for c in ranked] == [
        ("Room One Day", "room", 1),
        ("Unit Three Days", "unit", 3),
        ("Budi Unit One Day Late", "unit", 1),
        ("Unit One Day Late", "unit", 1),
        ("Unit One Day Early", "unit", 1),
        ("Office Two Days", "office", 2),
    ]
    room = ranked[0]
    assert room.shared_days == (d(12),) and room.last_day == d(12)
    assert ranked[1].shared_days == (d(10), d(12), d(14)) and ranked[1].last_day == d(14)


def test_plain_tuples_rank_like_colleagues_and_marked_ones_are_flagged():
    as_tuples = [
        (1, "Ani", 1, None, (d(10), d(11)), "Setda", ""),
        (2, "Budi", 1, 10, [d(11)], "", ""),
    ]
    ranked = rank(CASE, [d(10), d(11)], as_tuples, marked={2})
    assert [(c.name, c.group, c.marked, c.unit_name) for c in ranked] == [
        ("Budi", "room", True, ""),
        ("Ani", "unit", False, "Setda"),
    ]


def test_nobody_shares_nothing():
    assert rank(CASE, [], [Colleague(1, "A", 1, 10, [d(10)])]) == []
    assert rank(CASE, [d(10)], []) == []
