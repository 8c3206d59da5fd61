"""The monthly TPP run over the database: real attendance, roster, reports, evaluations and
decided sanctions of August 2026 (19 working days: 17 Aug and 25 Aug are holidays)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from darirumah.attendance.models import Attendance
from darirumah.org.tests.factories import AgencyFactory, UnitFactory
from darirumah.performance.models import DailyReport, TppLine
from darirumah.performance.services.tpp import tpp_run

from .factories import (
    fill_month,
    make_evaluation,
    make_report,
    make_roster,
    make_sanction,
    set_tpp_rules,
    tpp_staff,
    working_days_of,
)

AUG = date(2026, 8, 1)
WED = date(2026, 8, 19)
FRI = date(2026, 8, 21)


@pytest.fixture
def unit(db):
    agency = AgencyFactory(name="Pemerintah Kota Serang Uji")
    set_tpp_rules(agency)
    return UnitFactory(agency=agency, name="Dinas Kependudukan")


@pytest.fixture
def days(unit):
    found = working_days_of(unit.agency, AUG)
    assert len(found) == 19
    return found


def line_of(employee) -> TppLine:
    return TppLine.objects.get(employee=employee, period=AUG)


def set_day(employee, day, **fields):
    Attendance.objects.filter(employee=employee, date=day).update(**fields)


def test_the_hand_computed_line_from_the_database(unit, days):
    """Rp 5.000.000 (class 9), 60/40, score 85, late 20 and 75 min, one absence:
    2.550.000 + (2.000.000 − 25.000 − 75.000 − 200.000) = 4.250.000."""
    (person,) = tpp_staff(unit, 1)
    fill_month([person], days)
    set_day(person, days[0], status="late", minutes_late=20)
    set_day(person, days[1], status="late", minutes_late=75)
    set_day(person, days[2], status="absent", check_in_at=None)
    make_evaluation(person, AUG, "85.00")
    counts = tpp_run(agency=unit.agency, period=date(2026, 8, 14))
    assert counts["lines"] == 1 and counts["period"] == "2026-08"
    line = line_of(person)
    assert line.period == AUG and line.unit == unit and line.job_class == 9
    assert line.base == 5_000_000
    assert line.performance_amount == 2_550_000
    assert (line.late_deduction, line.absence_deduction) == (100_000, 200_000)
    assert line.discipline_amount == 1_700_000
    assert line.net == 4_250_000
    assert (line.working_days, line.worked_days) == (19, 18)
    assert line.breakdown["evaluation"]["score"] == "85.00"
    assert line.breakdown["absences"]["dates"] == [
        {"date": days[2].isoformat(), "reason": "absent"}
    ]
    assert line.problem == ""


def test_wfh_with_report_and_isolation_are_worked_wfh_without_report_is_absence(unit, days):
    (person,) = tpp_staff(unit, 1)
    fill_month([person], days)
    wfh_ok, wfh_missing, isolated, draft_wfh = days[3], days[4], days[5], days[6]
    make_roster(person, wfh_ok, "WFH")
    make_report(person, wfh_ok, status=DailyReport.Status.SUBMITTED)
    make_roster(person, wfh_missing, "WFH")
    make_report(person, wfh_missing, status=DailyReport.Status.DRAFT)  # a draft is not sent
    make_roster(person, isolated, "ISOLATION", published=False)  # fixed modes count unpublished
    set_day(person, isolated, status="excused", check_in_at=None)
    make_roster(person, draft_wfh, "WFH", published=False)  # a draft plan does not count
    tpp_run(agency=unit.agency, period=AUG)
    line = line_of(person)
    worked = line.breakdown["worked"]
    assert (worked["WFH"], worked["ISOLATION"], worked["WFO"]) == (1, 1, 16)
    assert line.breakdown["absences"]["dates"] == [
        {"date": wfh_missing.isoformat(), "reason": "no_report"}
    ]
    assert line.absence_deduction == 200_000
    assert line.net == 4_800_000


def test_an_approved_report_counts_and_a_returned_one_does_not(unit, days):
    (person,) = tpp_staff(unit, 1)
    fill_month([person], days)
    for day in days[:2]:
        make_roster(person, day, "WFA")
    make_report(person, days[0], status=DailyReport.Status.APPROVED)
    make_report(person, days[1], status=DailyReport.Status.RETURNED)
    tpp_run(agency=unit.agency, period=AUG)
    line = line_of(person)
    assert line.breakdown["worked"]["WFA"] == 1
    assert [a["date"] for a in line.breakdown["absences"]["dates"]] == [days[1].isoformat()]


def test_early_leave_is_measured_from_that_days_end(unit, days):
    """Friday ends 16:30 WIB: a 16:00 check-out is 30 minutes early (0,5%); on Wednesday,
    ending 16:00, a 15:29 check-out is 31 minutes early (1%)."""
    (person,) = tpp_staff(unit, 1)
    fill_month([person], days)
    set_day(person, FRI, check_out_at=datetime(2026, 8, 21, 9, 0, tzinfo=UTC))
    set_day(person, WED, check_out_at=datetime(2026, 8, 19, 8, 29, tzinfo=UTC))
    tpp_run(agency=unit.agency, period=AUG)
    line = line_of(person)
    assert line.early_leave_deduction == 75_000
    assert line.breakdown["early_leave"]["days"] == [
        {"date": "2026-08-19", "minutes": 31},
        {"date": "2026-08-21", "minutes": 30},
    ]


def test_day_share_mode_uses_the_months_working_days(unit, days):
    set_tpp_rules(unit.agency, absence_mode="day_share")
    (person,) = tpp_staff(unit, 1)
    fill_month([person], days)
    set_day(person, days[0], status="absent", check_in_at=None)
    tpp_run(agency=unit.agency, period=AUG)
    # 5.000.000 / 19 = 263.157,89… → Rp 263.158
    assert line_of(person).absence_deduction == 263_158


@pytest.mark.parametrize(
    ("start", "status", "cut"),
    [
        (date(2026, 3, 1), "accepted", 1_250_000),  # March–August: August is the sixth month
        (date(2026, 8, 1), "changed", 1_250_000),
        (date(2026, 2, 1), "accepted", 0),  # February–July: over
        (date(2026, 9, 1), "accepted", 0),  # not started
        (date(2026, 3, 1), "recommended", 0),  # nobody decided it
        (date(2026, 3, 1), "dismissed", 0),
    ],
)
def test_a_decided_medium_sanction_cuts_25_percent_in_its_months(unit, days, start, status, cut):
    (person,) = tpp_staff(unit, 1)
    fill_month([person], days)
    make_sanction(person, "tpp_cut_6", start, 6, status=status)
    counts = tpp_run(agency=unit.agency, period=AUG)
    line = line_of(person)
    assert (line.sanction_cut, line.net) == (cut, 5_000_000 - cut)
    assert counts["sanctioned"] == (1 if cut else 0)


def test_people_without_a_job_class_or_amount_get_a_zero_line_saying_why(unit, days):
    (no_class,) = tpp_staff(unit, 1, job_class=None)
    (no_amount,) = tpp_staff(unit, 1, job_class=12)
    counts = tpp_run(agency=unit.agency, period=AUG)
    assert counts["with_problem"] == 2
    assert line_of(no_class).net == 0
    assert "job class" in line_of(no_class).problem
    assert line_of(no_amount).problem == "The TPP table has no amount for job class 12."


def test_an_agency_without_rules_uses_the_defaults_with_an_empty_table(db):
    unit = UnitFactory(agency=AgencyFactory())
    (person,) = tpp_staff(unit, 1)
    tpp_run(agency=unit.agency, period=AUG)
    assert line_of(person).breakdown["weights"] == {"performance": "60", "discipline": "40"}
    assert line_of(person).breakdown["problem"] == "no_amount"


def test_running_again_replaces_the_month(unit, days):
    staying, leaving = tpp_staff(unit, 2)
    fill_month([staying, leaving], days)
    tpp_run(agency=unit.agency, period=AUG)
    first = line_of(staying)
    leaving.is_active = False
    leaving.save()
    set_day(staying, days[0], status="absent", check_in_at=None)
    counts = tpp_run(agency=unit.agency, period=AUG)
    again = tpp_run(agency=unit.agency, period=AUG)
    assert counts == again
    assert counts["lines"] == 1
    assert TppLine.objects.filter(period=AUG).count() == 1
    assert line_of(staying).net == first.net - 200_000


def test_other_agencies_and_other_months_are_left_alone(unit, days):
    (person,) = tpp_staff(unit, 1)
    other = UnitFactory(agency=AgencyFactory())
    (stranger,) = tpp_staff(other, 1)
    tpp_run(agency=other.agency, period=AUG)
    tpp_run(agency=unit.agency, period=date(2026, 7, 1))
    tpp_run(agency=unit.agency, period=AUG)
    assert TppLine.objects.filter(employee=stranger).count() == 1
    assert TppLine.objects.filter(employee=person).count() == 2


def _month_of_data(unit, days, n):
    people = tpp_staff(unit, n)
    fill_month(people, days)
    for person in people:
        make_roster(person, days[0], "WFH")
        make_report(person, days[0], status=DailyReport.Status.SUBMITTED)
        make_evaluation(person, AUG, "90")
    make_sanction(people[0], "tpp_cut_9", date(2026, 6, 1))
    return people


def test_the_number_of_queries_does_not_grow_with_the_staff(db):
    counts = []
    for n in (3, 30):
        unit = UnitFactory(agency=AgencyFactory())
        set_tpp_rules(unit.agency)
        _month_of_data(unit, working_days_of(unit.agency, AUG), n)
        with CaptureQueriesContext(connection) as queries:
            result = tpp_run(agency=unit.agency, period=AUG)
        assert result["lines"] == n and result["sanctioned"] == 1
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_totals_are_exact_decimals(unit, days):
    people = tpp_staff(unit, 3)
    fill_month(people, days)
    counts = tpp_run(agency=unit.agency, period=AUG)
    assert Decimal(counts["net_total"]) == 15_000_000
