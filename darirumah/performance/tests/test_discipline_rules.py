"""The discipline rules with the regulation's own numbers (PP 94/2021)."""

from datetime import date
from decimal import Decimal

import pytest

from darirumah.core.calendar import AgencyCalendar
from darirumah.performance.rules import discipline as rules

from .factories import working_days

# Days of unexcused absence in a year → (level, sanction, the band's lower bound, months).
TABLE = [
    (2, None),
    (3, ("ringan", "verbal_warning", 3, 0)),
    (4, ("ringan", "written_warning", 4, 0)),
    (6, ("ringan", "written_warning", 4, 0)),
    (7, ("ringan", "dissatisfaction", 7, 0)),
    (10, ("ringan", "dissatisfaction", 7, 0)),
    (11, ("sedang", "tpp_cut_6", 11, 6)),
    (13, ("sedang", "tpp_cut_6", 11, 6)),
    (14, ("sedang", "tpp_cut_9", 14, 9)),
    (16, ("sedang", "tpp_cut_9", 14, 9)),
    (17, ("sedang", "tpp_cut_12", 17, 12)),
    (20, ("sedang", "tpp_cut_12", 17, 12)),
    (21, ("berat", "demotion_12", 21, 12)),
    (24, ("berat", "demotion_12", 21, 12)),
    (25, ("berat", "non_managerial_12", 25, 12)),
    (27, ("berat", "non_managerial_12", 25, 12)),
    (28, ("berat", "dismissal", 28, 0)),
    (60, ("berat", "dismissal", 28, 0)),
]


@pytest.mark.parametrize(("days", "expected"), TABLE)
def test_the_cumulative_absence_table(days, expected):
    band = rules.absence_band(days)
    if expected is None:
        assert band is None
    else:
        assert (band.level, band.sanction, band.low, band.months) == expected


def test_below_three_days_there_is_nothing():
    assert [rules.absence_band(n) for n in range(3)] == [None, None, None]


@pytest.mark.parametrize(
    ("sanction", "level", "months"),
    [
        ("verbal_warning", "ringan", 0),
        ("written_warning", "ringan", 0),
        ("dissatisfaction", "ringan", 0),
        ("tpp_cut_6", "sedang", 6),
        ("tpp_cut_9", "sedang", 9),
        ("tpp_cut_12", "sedang", 12),
        ("demotion_12", "berat", 12),
        ("non_managerial_12", "berat", 12),
        ("dismissal", "berat", 0),
    ],
)
def test_each_sanction_belongs_to_one_level_and_runs_its_months(sanction, level, months):
    assert rules.level_matches(level, sanction)
    assert [lvl for lvl in ("ringan", "sedang", "berat") if rules.level_matches(lvl, sanction)] == [
        level
    ]
    assert rules.sanction_months(sanction) == months


def test_a_mismatched_level_and_sanction_is_named_on_the_sanction():
    assert rules.level_sanction_problems("sedang", "tpp_cut_9") == {}
    assert set(rules.level_sanction_problems("ringan", "tpp_cut_9")) == {"sanction"}
    assert set(rules.level_sanction_problems("", "")) == {"level", "sanction"}
    assert set(rules.level_sanction_problems("berat", "nonsense")) == {"sanction"}


@pytest.mark.parametrize(
    ("decided", "start"),
    [
        (date(2026, 8, 19), date(2026, 9, 1)),
        (date(2026, 8, 31), date(2026, 9, 1)),
        (date(2026, 9, 1), date(2026, 10, 1)),
        (date(2026, 12, 15), date(2027, 1, 1)),
    ],
)
def test_a_sanction_starts_the_first_day_of_the_following_month(decided, start):
    assert rules.sanction_start(decided) == start


# --- consecutive working days ---------------------------------------------------------------

INDEX = rules.working_day_index(AgencyCalendar().working_days(date(2026, 1, 1), date(2026, 12, 31)))
# Tue 11 Aug to Wed 26 Aug 2026: ten working days; the weekends of 15–16 and 22–23 Aug,
# Independence Day (Mon 17 Aug) and the Prophet's Birthday (Tue 25 Aug) lie between them.
TEN_DAYS = [
    date(2026, 8, d) for d in (11, 12, 13, 14, 18, 19, 20, 21, 24, 26)
]  # fmt: skip


def test_ten_working_days_across_a_weekend_and_holidays_are_one_run():
    assert working_days(date(2026, 8, 11), 10) == TEN_DAYS
    runs = rules.absence_runs(TEN_DAYS, INDEX)
    assert len(runs) == 1
    assert (runs[0].first, runs[0].last, len(runs[0])) == (date(2026, 8, 11), date(2026, 8, 26), 10)
    assert rules.dismissal_runs(runs, 10) == runs


def test_nine_working_days_are_not_enough():
    runs = rules.absence_runs(TEN_DAYS[:9], INDEX)
    assert [len(r) for r in runs] == [9]
    assert rules.dismissal_runs(runs, 10) == []


def test_a_working_day_present_breaks_the_run():
    days = TEN_DAYS[:4] + TEN_DAYS[5:]  # present on Tue 18 Aug
    runs = rules.absence_runs(days, INDEX)
    assert [len(r) for r in runs] == [4, 5]
    assert len(rules.longest_run(runs)) == 5


def test_a_day_that_is_not_worked_is_left_out():
    runs = rules.absence_runs([date(2026, 8, 14), date(2026, 8, 17), date(2026, 8, 18)], INDEX)
    assert [r.days for r in runs] == [(date(2026, 8, 14), date(2026, 8, 18))]


def test_a_run_needs_its_configured_length():
    runs = rules.absence_runs(TEN_DAYS[:5], INDEX)
    assert rules.dismissal_runs(runs, 5) == runs
    assert rules.dismissal_runs(runs, 6) == []


# --- missed targets ------------------------------------------------------------------------

HALF = Decimal(50)


def _months(*values):
    """Achievement per month from January 2026."""
    return [
        rules.MonthResult(date(2026, n + 1, 1), None if v is None else Decimal(v))
        for n, v in enumerate(values)
    ]


@pytest.mark.parametrize(
    ("values", "streak", "expected"),
    [
        (("80", "40"), 1, ("ringan", "verbal_warning")),
        (("40", "49.99"), 2, ("ringan", "written_warning")),
        (("10", "20", "30"), 3, ("ringan", "dissatisfaction")),
        (("10", "20", "30", "40"), 4, ("ringan", "dissatisfaction")),
        (("40", "50"), 0, None),  # exactly the threshold is not missed
        (("40", None), 0, None),  # a month without targets is not missed
        (("40", None, "30"), 1, ("ringan", "verbal_warning")),
    ],
)
def test_missed_targets_escalate_with_consecutive_months(values, streak, expected):
    found = rules.missed_streak(_months(*values), HALF)
    assert len(found) == streak
    assert rules.missed_targets_sanction(len(found)) == expected


def test_a_month_without_an_evaluation_ends_the_streak():
    months = [
        rules.MonthResult(date(2026, 5, 1), Decimal(30)),
        rules.MonthResult(date(2026, 7, 1), Decimal(30)),  # no June
    ]
    assert [m.month for m in rules.missed_streak(months, HALF)] == [date(2026, 7, 1)]


def test_a_streak_crosses_the_new_year():
    months = [
        rules.MonthResult(date(2025, 12, 1), Decimal(30)),
        rules.MonthResult(date(2026, 1, 1), Decimal(30)),
    ]
    assert len(rules.missed_streak(months, HALF)) == 2


def test_the_missed_targets_docstring_says_they_are_the_programs_defaults():
    assert "leaves the" in rules.missed_targets_sanction.__doc__
    assert "program's defaults" in rules.missed_targets_sanction.__doc__


# --- the deadline and what a scan opens ------------------------------------------------------


def test_the_deadline_and_overdue():
    assert rules.decide_by(date(2026, 8, 19), 14) == date(2026, 9, 2)
    assert not rules.is_overdue("recommended", date(2026, 9, 2), date(2026, 9, 2))
    assert rules.is_overdue("recommended", date(2026, 9, 2), date(2026, 9, 3))
    assert not rules.is_overdue("accepted", date(2026, 9, 2), date(2026, 9, 3))


def _year(employee_id, days):
    return rules.year_finding(employee_id, [date(2026, 1, 1)] * days, date(2026, 8, 19))


def test_only_the_highest_band_not_yet_opened_is_new():
    twelve = _year(1, 12)
    assert twelve.trigger == "absence_year:2026:11"
    assert rules.new_findings([twelve], {1: {"absence_year:2026:3"}}, 2026) == [twelve]
    assert rules.new_findings([twelve], {1: {"absence_year:2026:11"}}, 2026) == []
    # A lower band after a higher one (an absence excused later) opens nothing.
    assert rules.new_findings([_year(1, 5)], {1: {"absence_year:2026:11"}}, 2026) == []
    # Another year's bands do not count.
    assert rules.new_findings([twelve], {1: {"absence_year:2025:28"}}, 2026) == [twelve]


def test_the_one_who_must_act():
    staff = {
        1: rules.Person(1, 11, 2, "/10/20/", True),  # supervised by 2
        2: rules.Person(2, 12, None, "/10/20/", False),  # inactive
        3: rules.Person(3, 13, None, "/10/", True),  # heads unit 10
        4: rules.Person(4, 14, None, "/10/", True),
    }
    heads = {10: 3, 20: None}
    assert rules.must_act(staff[1], staff, heads) == 3  # supervisor inactive: the head above
    assert rules.must_act(staff[4], staff, heads) == 3
    assert rules.must_act(staff[3], staff, heads) is None  # the head has nobody above
