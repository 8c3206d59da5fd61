"""The month-end evaluation's rules, with hand-computed numbers (no database)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from darirumah.core.calendar import AgencyCalendar
from darirumah.performance.config import parse
from darirumah.performance.rules import evaluation as rules

D = Decimal
CONFIG = parse({})
CALENDAR = AgencyCalendar()  # WIB, national holidays and joint leave
AUGUST_END = date(2026, 8, 31)


def target(pk, quantity, weight, achieved, start=date(2026, 8, 1), deadline=AUGUST_END, span=20):
    """A target of the month; `span` working days from start to the deadline, of which those
    up to the month's end are min(span, 20)."""
    return rules.TargetMonth(
        id=pk,
        indicator=f"Indikator {pk}",
        quantity=D(quantity),
        weight=D(weight),
        start=start,
        deadline=deadline,
        span_days=span,
        due_days=min(span, 20),
        achieved=D(achieved),
    )


def test_the_hand_computed_month():
    """20 working days, 2 on leave → 18 required days.
    Reports: 16 / 18 × 100 = 88.888… → 88.89.
    Attendance: (15 present + 0.5 × 2 late) / 18 × 100 = 16 / 18 × 100 → 88.89.
    Video calls: 8 present / (8 + 2 absent) × 100 = 80.00 (the excused line counts for neither).
    Targets: A (weight 60) 50 of 100 due by 31 Aug → 0.5; B (weight 40) due 30 Sep, 42 over
    42 working days of which 20 in August → 20 expected, 10 achieved → 0.5;
    (60 × 0.5 + 40 × 0.5) / 100 × 100 = 50.00.
    Score with the default weights 60/20/10/10:
    (60 × 50 + 20 × 88.89 + 10 × 88.89 + 10 × 80) / 100 = (3000 + 1777.8 + 888.9 + 800) / 100
    = 64.667 → 64.67: Butuh Perbaikan (61 ≤ 64.67 < 76)."""
    person = rules.PersonMonth(
        working_days=20,
        roster_days=2,
        reports=16,
        late_reports=1,
        present=15,
        late=2,
        absent=1,
        vicon_present=8,
        vicon_absent=2,
        vicon_excused=1,
        targets=[
            target(1, 100, 60, 50),
            target(2, 42, 40, 10, deadline=date(2026, 9, 30), span=42),
        ],
    )
    outcome = rules.evaluate(person, CONFIG.evaluation, AUGUST_END)
    assert outcome.required_days == 18
    assert outcome.report_completion == D("88.89")
    assert outcome.attendance_compliance == D("88.89")
    assert outcome.vicon_compliance == D("80.00")
    assert outcome.target_achievement == D("50.00")
    assert outcome.score == D("64.67")
    assert outcome.rating == "butuh_perbaikan"
    figures = outcome.figures
    assert figures["attendance"] == {
        "present": 15,
        "late": 2,
        "absent": 1,
        "excused": 0,
        "not_recorded": 0,
    }
    assert figures["vicon"] == {"present": 8, "absent": 2, "excused": 1}
    assert [t["expected"] for t in figures["targets"]] == ["100.00", "20.00"]
    assert [t["achievement"] for t in figures["targets"]] == ["50.00", "50.00"]
    assert figures["late_reports"] == 1
    assert figures["weights"] == {
        "targets": "60",
        "reports": "20",
        "attendance": "10",
        "vicon": "10",
    }


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(2, 3, "66.67"), (1, 8, "12.50"), (1, 6, "16.67"), (5, 5, "100.00"), (0, 7, "0.00")],
)
def test_percentages_round_half_up_to_two_decimals(part, whole, expected):
    assert rules.percent(part, whole) == D(expected)


def test_half_a_cent_rounds_up():
    assert rules.q2(D("12.345")) == D("12.35")
    assert rules.q2(D("12.344")) == D("12.34")


@pytest.mark.parametrize(
    ("present", "late", "required", "expected"),
    [(20, 0, 20, "100.00"), (18, 2, 20, "95.00"), (0, 20, 20, "50.00"), (10, 1, 21, "50.00")],
)
def test_a_late_day_counts_half(present, late, required, expected):
    assert rules.attendance_compliance(present, late, required) == D(expected)


def test_nothing_required_measures_nothing():
    assert rules.required_days(20, 20) == 0
    assert rules.required_days(20, 23) == 0  # never negative
    assert rules.report_completion(0, 0) is None
    assert rules.attendance_compliance(0, 0, 0) is None


def test_video_calls_without_a_present_or_absent_line_measure_nothing():
    assert rules.vicon_compliance(0, 0) is None
    assert rules.vicon_compliance(3, 1) == D("75.00")


@pytest.mark.parametrize(
    ("deadline", "span", "due", "expected"),
    [
        (date(2026, 8, 20), 14, 14, D(30)),  # deadline passed: the whole quantity
        (date(2026, 9, 30), 42, 20, D(30) * 20 / 42),  # 20 of 42 working days by 31 Aug
        (date(2026, 9, 30), 0, 0, D(30)),  # a span without working days: the whole
    ],
)
def test_what_a_target_expects_by_the_months_end(deadline, span, due, expected):
    t = rules.TargetMonth(1, "x", D(30), D(50), date(2026, 8, 1), deadline, span, due)
    assert rules.expected_quantity(t, AUGUST_END) == expected


def test_overachievement_is_capped_and_unweighted_targets_wait():
    over = target(1, 10, 50, 25)  # 250% → 100%
    under = target(2, 10, 50, 0)
    waiting = rules.TargetMonth(3, "next month", D(5), D(30), AUGUST_END, date(2026, 9, 30), 21, 0)
    value, rows = rules.target_achievement([over, under, waiting], AUGUST_END)
    assert value == D("50.00")  # (50 × 1 + 50 × 0) / 100; the waiting one expects 0 so far
    assert rows[2]["expected"] == "0.00" and rows[2]["achievement"] is None
    assert rules.target_achievement([], AUGUST_END) == (None, [])


def test_a_missing_part_spreads_its_weight():
    """No targets: (20 × 90 + 10 × 80 + 10 × 70) / 40 = 3300 / 40 = 82.50."""
    weights = {"targets": D(60), "reports": D(20), "attendance": D(10), "vicon": D(10)}
    values = {"targets": None, "reports": D(90), "attendance": D(80), "vicon": D(70)}
    assert rules.score(values, weights) == D("82.50")
    assert rules.score(dict.fromkeys(values), weights) == D("0.00")


def test_a_month_with_nothing_to_measure_scores_zero():
    outcome = rules.evaluate(rules.PersonMonth(working_days=0), CONFIG.evaluation, AUGUST_END)
    assert outcome.score == D("0.00")
    assert outcome.rating == "sangat_kurang"
    assert outcome.figures["parts_weighed"] == []


@pytest.mark.parametrize(
    ("value", "rating"),
    [
        ("100", "sangat_baik"),
        ("91", "sangat_baik"),
        ("90.99", "baik"),
        ("76", "baik"),
        ("75.99", "butuh_perbaikan"),
        ("61", "butuh_perbaikan"),
        ("60.99", "kurang"),
        ("51", "kurang"),
        ("50.99", "sangat_kurang"),
        ("0", "sangat_kurang"),
    ],
)
def test_default_rating_bands(value, rating):
    assert rules.rating_for(D(value), CONFIG.evaluation.thresholds) == rating


def test_the_agencys_own_thresholds_decide():
    config = parse(
        {
            "evaluation": {
                "thresholds": {"sangat_baik": 95, "baik": 85, "butuh_perbaikan": 70, "kurang": 60}
            }
        }
    )
    assert rules.rating_for(D("90"), config.evaluation.thresholds) == "baik"
    assert rules.rating_for(D("65"), config.evaluation.thresholds) == "kurang"


@pytest.mark.parametrize(
    ("year", "month", "run_on_day", "expected"),
    [
        (2026, 8, None, date(2026, 8, 31)),  # a Monday: the last working day
        (2026, 10, None, date(2026, 10, 30)),  # 31 October is a Saturday
        (2026, 8, 31, date(2026, 8, 31)),
        (2026, 9, 31, date(2026, 9, 30)),  # 31 = the month's last day
        (2026, 2, 31, date(2026, 2, 28)),
        (2026, 2, 25, date(2026, 2, 25)),
    ],
)
def test_the_evaluation_day(year, month, run_on_day, expected):
    assert rules.run_day(year, month, run_on_day=run_on_day, calendar=CALENDAR) == expected


def test_a_month_is_evaluated_from_its_day_on():
    august, day = date(2026, 8, 1), date(2026, 8, 31)
    assert "has not started" in rules.period_problem(
        date(2026, 9, 1), today=date(2026, 8, 31), evaluated_on=date(2026, 9, 30)
    )
    assert "is evaluated from" in rules.period_problem(
        august, today=date(2026, 8, 28), evaluated_on=day
    )
    assert rules.period_problem(august, today=day, evaluated_on=day) is None
    assert rules.period_problem(august, today=date(2026, 11, 2), evaluated_on=day) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-08", date(2026, 8, 1)),
        (" 2026-12 ", date(2026, 12, 1)),
        ("2026-13", None),
        ("2026-00", None),
        ("0000-01", None),
        ("2026-8", None),
        ("agustus", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_period(text, expected):
    assert rules.parse_period(text) == expected


def test_the_working_day_counter_agrees_with_the_calendar():
    first, last = date(2025, 12, 1), date(2026, 12, 31)
    counter = rules.WorkingDayCounter(CALENDAR, first, last)
    for start, length in [
        (first, 0),
        (date(2026, 8, 1), 30),
        (date(2026, 3, 15), 200),
        (first, 395),
    ]:
        end = start + timedelta(days=length)
        assert counter.count(start, end) == CALENDAR.count_working_days(start, end)
    assert counter.count(date(2026, 8, 2), date(2026, 8, 1)) == 0
    with pytest.raises(ValueError):
        counter.count(date(2025, 1, 1), date(2026, 1, 1))
