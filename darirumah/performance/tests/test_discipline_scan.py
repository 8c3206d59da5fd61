"""The discipline scan, the overdue flag and the daily job: what a supervisor and BKPSDM find in
their inbox and their case list."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from darirumah.jobs.registry import timed_job
from darirumah.notify.models import Notification
from darirumah.org.models import Unit
from darirumah.org.tests.factories import EmployeeFactory
from darirumah.performance.models import DisciplineCase, PerformanceRuleSet
from darirumah.performance.services.discipline import discipline_overdue_flag, discipline_scan
from darirumah.performance.tasks import DISCIPLINE_DAILY

from .factories import absent_on, evaluated_month, make_case, working_days

THROUGH = date(2026, 8, 19)  # the clock's day (Wednesday)
JAN = date(2026, 1, 5)  # the first Monday of 2026
TEN_DAYS = working_days(date(2026, 8, 11), 10)  # Tue 11 – Wed 26 Aug, across 15–17 and 22–25


@pytest.fixture(autouse=True)
def _clock(clock):
    return clock


def cases(employee):
    return list(DisciplineCase.objects.filter(employee=employee).order_by("pk"))


def notices(employee_or_user, kind="performance.discipline_recommended"):
    user = getattr(employee_or_user, "user", employee_or_user)
    return list(Notification.objects.filter(recipient=user, kind=kind))


def test_three_days_absent_recommend_a_verbal_warning(cast, django_capture_on_commit_callbacks):
    days = working_days(JAN, 3)
    absent_on(cast.pegawai, *days)
    with django_capture_on_commit_callbacks(execute=True):
        counts = discipline_scan(agency=cast.agency, through=THROUGH)
    assert counts["opened"] == 1 and counts["absence_year"] == 1
    [case] = cases(cast.pegawai)
    assert case.trigger == "absence_year:2026:3"
    assert (case.recommended_level, case.recommended_sanction) == ("ringan", "verbal_warning")
    assert case.status == "recommended" and case.level == "" and case.sanction == ""
    assert case.evidence["dates"] == [d.isoformat() for d in days]
    assert case.evidence["days"] == 3
    assert case.supervisor == cast.atasan
    assert case.decide_by == THROUGH + timedelta(days=14)
    assert case.history.count() == 1
    assert len(notices(cast.atasan)) == 1 and len(notices(cast.bkpsdm)) == 1
    assert notices(cast.pegawai) == [] and notices(cast.kepala) == []


def test_two_days_open_nothing(cast):
    absent_on(cast.pegawai, *working_days(JAN, 2))
    assert discipline_scan(agency=cast.agency, through=THROUGH)["opened"] == 0
    assert cases(cast.pegawai) == []


def test_a_second_scan_opens_nothing_new(cast, django_capture_on_commit_callbacks):
    absent_on(cast.pegawai, *TEN_DAYS[:7])
    absent_on(cast.peer, *working_days(JAN, 4))
    evaluated_month(cast.atasan, date(2026, 7, 1), "30")
    with django_capture_on_commit_callbacks(execute=True):
        first = discipline_scan(agency=cast.agency, through=THROUGH)
    assert first["opened"] == 3
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = discipline_scan(agency=cast.agency, through=THROUGH)
    assert second["opened"] == 0 and callbacks == []
    assert DisciplineCase.objects.count() == 3
    assert len(notices(cast.bkpsdm)) == 1


def test_from_three_to_twelve_days_between_scans_only_the_11_to_13_case(cast):
    days = working_days(JAN, 24)[::2]  # every other working day: no run
    absent_on(cast.pegawai, *days[:3])
    discipline_scan(agency=cast.agency, through=THROUGH)
    absent_on(cast.pegawai, *days[3:])
    counts = discipline_scan(agency=cast.agency, through=THROUGH)
    assert counts["opened"] == 1
    assert [c.trigger for c in cases(cast.pegawai)] == [
        "absence_year:2026:3",
        "absence_year:2026:11",
    ]
    latest = cases(cast.pegawai)[-1]
    assert (latest.recommended_level, latest.recommended_sanction) == ("sedang", "tpp_cut_6")
    assert latest.evidence["days"] == 12 and len(latest.evidence["dates"]) == 12


def test_only_days_up_to_through_count(cast):
    absent_on(cast.pegawai, *working_days(JAN, 3))
    assert discipline_scan(agency=cast.agency, through=JAN + timedelta(days=1))["opened"] == 0
    assert discipline_scan(agency=cast.agency, through=THROUGH)["opened"] == 1


def test_ten_consecutive_working_days_recommend_dismissal(cast):
    absent_on(cast.pegawai, *TEN_DAYS)
    discipline_scan(agency=cast.agency, through=date(2026, 8, 26))
    by_source = {c.source: c for c in cases(cast.pegawai)}
    run = by_source["absence_run"]
    assert run.trigger == "absence_run:2026-08-11"
    assert (run.recommended_level, run.recommended_sanction) == ("berat", "dismissal")
    assert run.evidence["days"] == 10 and run.evidence["last"] == "2026-08-26"
    # The same ten days also reach the 7–10 band of the year.
    assert by_source["absence_year"].trigger == "absence_year:2026:7"


def test_nine_consecutive_working_days_are_not_a_run_case(cast):
    absent_on(cast.pegawai, *TEN_DAYS[:9])
    discipline_scan(agency=cast.agency, through=date(2026, 8, 26))
    assert [c.source for c in cases(cast.pegawai)] == ["absence_year"]


def test_a_run_that_goes_on_is_not_opened_again(cast):
    absent_on(cast.pegawai, *TEN_DAYS)
    discipline_scan(agency=cast.agency, through=date(2026, 8, 26))
    absent_on(cast.pegawai, date(2026, 8, 27))
    counts = discipline_scan(agency=cast.agency, through=date(2026, 8, 27))
    assert counts["absence_run"] == 0 and counts["absence_year"] == 1  # 11 days: the next band


def test_the_agency_sets_the_length_of_a_run(cast):
    PerformanceRuleSet.objects.create(
        agency=cast.agency, rules={"discipline": {"consecutive_absence_days": 5}}
    )
    absent_on(cast.pegawai, *TEN_DAYS[:5])
    discipline_scan(agency=cast.agency, through=THROUGH)
    assert "absence_run" in {c.source for c in cases(cast.pegawai)}


def test_excused_days_inactive_people_and_other_agencies_do_not_count(cast):
    absent_on(cast.pegawai, *working_days(JAN, 5), status="excused")
    absent_on(cast.peer, *working_days(JAN, 5))
    cast.peer.is_active = False
    cast.peer.save()
    absent_on(cast.outsider, *working_days(JAN, 5))
    assert discipline_scan(agency=cast.agency, through=THROUGH)["opened"] == 0
    assert DisciplineCase.objects.count() == 0


@pytest.mark.parametrize(
    ("values", "sanction"),
    [
        ({date(2026, 7, 1): "42.5"}, "verbal_warning"),
        ({date(2026, 6, 1): "30", date(2026, 7, 1): "42.5"}, "written_warning"),
        (
            {date(2026, 5, 1): "10", date(2026, 6, 1): "30", date(2026, 7, 1): "42.5"},
            "dissatisfaction",
        ),
        ({date(2026, 6, 1): "30", date(2026, 7, 1): "50"}, None),
        ({date(2026, 7, 1): None}, None),
    ],
)
def test_missed_targets_in_the_latest_evaluated_month(cast, values, sanction):
    for month, value in values.items():
        evaluated_month(cast.pegawai, month, value)
    discipline_scan(agency=cast.agency, through=THROUGH)
    found = cases(cast.pegawai)
    if sanction is None:
        assert found == []
        return
    [case] = found
    assert case.trigger == "missed_targets:2026-07"
    assert (case.recommended_level, case.recommended_sanction) == ("ringan", sanction)
    assert case.evidence["month"] == "2026-07" and case.evidence["achievement"] == "42.50"
    assert case.evidence["months"][-1] == {"month": "2026-07", "achievement": "42.50"}


def test_without_a_supervisor_the_head_of_the_unit_above_must_act(cast):
    person = EmployeeFactory(unit=cast.pelayanan, name="Tanpa Atasan")
    absent_on(person, *working_days(JAN, 3))
    absent_on(cast.kepala, *working_days(JAN, 3))
    absent_on(cast.peer, *working_days(JAN, 3))
    discipline_scan(agency=cast.agency, through=THROUGH)
    assert cases(person)[0].supervisor == cast.kepala  # head of Disdukcapil, above Pelayanan
    assert cases(cast.kepala)[0].supervisor is None  # heads the unit, no supervisor
    assert cases(cast.peer)[0].supervisor is None  # the Secretariat has no head


def _staff(cast, n: int):
    """n more people in Bidang Pelayanan, each with their own supervisor, with absences (3, a
    run of 10 in August) and a missed month."""
    for i in range(n):
        boss = EmployeeFactory(unit=cast.pelayanan, name=f"Atasan {i}")
        person = EmployeeFactory(unit=cast.pelayanan, name=f"Pegawai {i}", supervisor=boss)
        absent_on(person, *working_days(JAN, 3), *TEN_DAYS)
        evaluated_month(person, date(2026, 6, 1), "20")
        evaluated_month(person, date(2026, 7, 1), "30")


def _scan_queries(cast, capture) -> int:
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        counts = discipline_scan(agency=cast.agency, through=date(2026, 8, 26))
    assert counts["opened"] == DisciplineCase.objects.count()
    return len(queries)


def test_the_scan_issues_the_same_queries_for_many_employees(
    cast, django_capture_on_commit_callbacks
):
    """2 people or 12 (with their supervisors), 3 cases each. Up to 38 cases: SQLite takes at
    most 999 parameters a statement, so larger bulk inserts go in batches (a query per ~38
    cases, never one per case)."""
    _staff(cast, 2)
    few = _scan_queries(cast, django_capture_on_commit_callbacks)
    assert DisciplineCase.objects.count() == 3 * 2
    DisciplineCase.objects.all().delete()
    Notification.objects.all().delete()
    _staff(cast, 10)
    many = _scan_queries(cast, django_capture_on_commit_callbacks)
    assert DisciplineCase.objects.count() == 3 * 12
    # One notice to each of the 12 supervisors and one to BKPSDM.
    assert Notification.objects.filter(kind="performance.discipline_recommended").count() == 13
    assert many == few


# --- overdue -------------------------------------------------------------------------------


def test_an_overdue_recommendation_is_flagged_against_the_supervisor(cast):
    case = make_case(cast.pegawai, decide_by=date(2026, 8, 18))
    make_case(cast.peer, band=3, decide_by=date(2026, 8, 19))  # due today: not yet
    make_case(cast.pegawai, band=7, decide_by=date(2026, 8, 1), status="dismissed",
              decision_reason="x", decided_at=cast.agency.created_at)  # fmt: skip
    assert discipline_overdue_flag(agency=cast.agency, today=THROUGH) == 1
    kind = "performance.discipline_overdue"
    for person in (cast.bkpsdm, cast.kepala):  # BKPSDM and the supervisor's own superior
        [notice] = notices(person, kind)
        assert "Atasan Pelayanan" in notice.body and notice.key == f"{kind}:{case.pk}"
    assert notices(cast.atasan, kind) == [] and notices(cast.pegawai, kind) == []
    # Flagged once per case.
    assert discipline_overdue_flag(agency=cast.agency, today=THROUGH + timedelta(days=1)) == 1
    assert len(notices(cast.bkpsdm, kind)) == 2  # the peer's case, a day later
    assert discipline_overdue_flag(agency=cast.agency, today=THROUGH + timedelta(days=2)) == 0


def test_the_superior_of_a_head_is_the_head_above(cast):
    Unit.objects.filter(pk=cast.pelayanan.pk).update(head=cast.atasan)
    make_case(cast.pegawai, supervisor=cast.atasan, decide_by=date(2026, 8, 1))
    discipline_overdue_flag(agency=cast.agency, today=THROUGH)
    assert len(notices(cast.kepala, "performance.discipline_overdue")) == 1


# --- the daily job ---------------------------------------------------------------------------


def test_the_daily_job_scans_and_flags(cast, django_capture_on_commit_callbacks):
    job = timed_job(DISCIPLINE_DAILY)
    assert job is not None and str(job.at(cast.agency, None)) == "17:00:00"
    absent_on(cast.pegawai, *working_days(JAN, 4))
    make_case(cast.peer, decide_by=date(2026, 8, 1))
    with django_capture_on_commit_callbacks(execute=True):
        summary = job.task(agency_id=cast.agency.pk, day=THROUGH)
    assert summary == "opened 1, overdue flagged 1"
    assert cases(cast.pegawai)[0].recommended_sanction == "written_warning"
    with django_capture_on_commit_callbacks(execute=True):
        assert job.task(agency_id=cast.agency.pk, day=THROUGH) == "opened 0, overdue flagged 0"
