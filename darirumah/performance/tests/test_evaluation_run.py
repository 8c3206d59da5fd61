"""The month-end run: every active employee's month from the records, kept confirmations, the
OPD summaries, the refused months, and a query count that does not grow with the staff."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from darirumah.core import calendar as calendar_service
from darirumah.core.errors import DomainError
from darirumah.org.models import AgencyDay
from darirumah.org.tests.factories import EmployeeFactory
from darirumah.performance.models import (
    DailyReport,
    Evaluation,
    PerformanceRuleSet,
    ReportItem,
    UnitEvaluation,
)
from darirumah.performance.services.evaluation import evaluation_run

from .factories import TargetFactory, make_report, mark_attendance, mark_roster, mark_vicon

D = Decimal
AUGUST = date(2026, 8, 1)
# Saturday 29 August is declared a working day, so August has 20 (21 weekdays, minus
# Independence Day on the 17th and the Prophet's birthday on the 25th, plus the 29th).
SATURDAY_WORKED = date(2026, 8, 29)


@pytest.fixture
def september(clock):
    clock.set(2026, 9, 1, 3, 0)  # 10:00 WIB on 1 September
    return clock


@pytest.fixture
def august_days(cast):
    AgencyDay.objects.create(agency=cast.agency, date=SATURDAY_WORKED, kind="on", name="Pengganti")
    days = calendar_service.calendar_for(cast.agency).working_days(AUGUST, date(2026, 8, 31))
    assert len(days) == 20
    return days


def run(cast, period=AUGUST, actor=None):
    return evaluation_run(agency=cast.agency, period=period, actor=actor)


def item(report, target, output):
    ReportItem.objects.create(
        report=report,
        activity="Verifikasi",
        target=target,
        output_quantity=output,
        minutes_spent=60,
    )


def hand_example(person, days):
    """The month of tests/test_evaluation_rules.py::test_the_hand_computed_month, as records."""
    leave, rest = days[:2], days[2:]
    mark_roster(person, leave, "LEAVE", published=False)  # leave is a fact even unpublished
    reports = [make_report(person, d, DailyReport.Status.APPROVED, items=0) for d in rest[:15]]
    reports.append(make_report(person, rest[15], DailyReport.Status.SUBMITTED, items=0, late=True))
    make_report(person, leave[0], DailyReport.Status.SUBMITTED)  # a leave day asks nothing
    draft = make_report(person, rest[16], DailyReport.Status.DRAFT, items=0)
    returned = make_report(person, rest[17], DailyReport.Status.RETURNED, items=0)
    mark_attendance(person, rest[:15], "present")
    mark_attendance(person, rest[15:17], "late")
    mark_attendance(person, rest[17:], "absent")
    mark_attendance(person, leave[1:], "present")  # came in on a leave day: not counted
    mark_vicon(person, dict.fromkeys(rest[:8], "present"))
    mark_vicon(person, {rest[8]: "absent", rest[9]: "absent", rest[10]: "excused"})
    a = TargetFactory(employee=person, quantity=D(100), weight=D(60))
    b = TargetFactory(
        employee=person,
        quantity=D(42),
        weight=D(40),
        period_end=date(2026, 9, 30),
        deadline=date(2026, 9, 30),
    )
    for report in reports[:5]:
        item(report, a, D(10))  # 50 of 100
    for report in reports[5:7]:
        item(report, b, D(5))  # 10 of the 20 due by 31 August
    item(draft, a, D(30))  # a draft counts for nothing
    item(returned, b, D(10))  # nor does a returned report
    TargetFactory(employee=person, weight=D(10), status="cancelled")
    return a, b


def test_the_hand_computed_month_from_the_records(cast, september, august_days):
    """See test_the_hand_computed_month: 18 required days, reports 88.89, attendance 88.89,
    video calls 80.00, targets 50.00 → score 64.67, Butuh Perbaikan."""
    a, b = hand_example(cast.pegawai, august_days)
    counts = run(cast, actor=cast.bkpsdm.user)
    evaluation = Evaluation.objects.get(employee=cast.pegawai, period=AUGUST)
    assert evaluation.working_days == 20
    assert evaluation.figures["required_days"] == 18
    assert evaluation.figures["leave_duty_isolation_days"] == 2
    assert evaluation.report_completion == D("88.89")
    assert evaluation.attendance_compliance == D("88.89")
    assert evaluation.vicon_compliance == D("80.00")
    assert evaluation.target_achievement == D("50.00")
    assert evaluation.score == D("64.67")
    assert evaluation.rating == evaluation.final_rating == "butuh_perbaikan"
    assert evaluation.status == "computed"
    assert evaluation.unit == cast.pelayanan
    assert evaluation.figures["reports_counted"] == 16
    assert evaluation.figures["late_reports"] == 1
    assert [(t["id"], t["expected"], t["achieved"]) for t in evaluation.figures["targets"]] == [
        (a.pk, "100.00", "50.00"),
        (b.pk, "20.00", "10.00"),
    ]
    assert evaluation.history.get().history_user == cast.bkpsdm.user
    staff = 8  # every active employee of the cast's agency
    assert counts == {
        "period": "2026-08",
        "employees": staff,
        "working_days": 20,
        "created": staff,
        "updated": 0,
        "unchanged": 0,
        "confirmed_kept": 0,
        "units": 3,  # Setda, Disdukcapil, BKPSDM
    }


def test_someone_without_records_scores_zero_and_the_other_agency_is_untouched(
    cast, september, august_days
):
    run(cast)
    peer = Evaluation.objects.get(employee=cast.peer)
    assert (peer.report_completion, peer.attendance_compliance) == (D("0.00"), D("0.00"))
    assert peer.target_achievement is None and peer.vicon_compliance is None
    assert peer.score == D("0.00") and peer.rating == "sangat_kurang"
    assert not Evaluation.objects.filter(agency=cast.other_agency).exists()


def test_excused_days_ask_nothing(cast, september, august_days):
    """18 of 20 days excused (duty, isolation, an excused absence): 2 required, both present."""
    days = august_days
    mark_roster(cast.peer, days[:10], "DUTY")
    mark_roster(cast.peer, days[10:17], "ISOLATION")
    mark_attendance(cast.peer, days[17:18], "excused")
    mark_attendance(cast.peer, days[18:], "present")
    for d in days[18:]:
        make_report(cast.peer, d, DailyReport.Status.SUBMITTED)
    run(cast)
    peer = Evaluation.objects.get(employee=cast.peer)
    assert peer.figures["required_days"] == 2
    assert peer.figures["excused_days"] == 1
    assert peer.report_completion == peer.attendance_compliance == D("100.00")
    # No targets, no video calls: reports 20 and attendance 10 share the score.
    assert peer.score == D("100.00") and peer.rating == "sangat_baik"


def test_a_confirmed_evaluation_survives_a_new_run(cast, september, august_days):
    run(cast)
    Evaluation.objects.filter(employee=cast.pegawai).update(
        status="confirmed",
        final_rating="baik",
        adjust_reason="Pelayanan KTP-el tetap berjalan",
        confirmed_at=calendar_service.utcnow(),
    )
    before = Evaluation.objects.get(employee=cast.pegawai)
    peer_before = Evaluation.objects.get(employee=cast.peer)
    hand_example(cast.pegawai, august_days)  # records that would change the numbers
    mark_attendance(cast.peer, august_days, "present")
    september.set(2026, 9, 2, 3, 0)
    counts = run(cast)
    after = Evaluation.objects.get(employee=cast.pegawai)
    assert (after.score, after.final_rating, after.status, after.figures) == (
        before.score,
        "baik",
        "confirmed",
        before.figures,
    )
    assert after.history.count() == 1
    assert counts["confirmed_kept"] == 1
    assert counts["updated"] == 1  # the peer's attendance
    assert counts["unchanged"] == 6
    peer = Evaluation.objects.get(employee=cast.peer)
    assert peer.attendance_compliance == D("100.00")
    assert (peer.pk, peer.created_at) == (peer_before.pk, peer_before.created_at)
    assert peer.computed_at > peer_before.computed_at
    updated = peer.history.order_by("-history_id").first()
    assert (updated.history_type, updated.attendance_compliance) == ("~", D("100.00"))
    assert updated.created_at == peer_before.created_at
    assert peer.history.count() == 2


def test_running_again_without_changes_writes_nothing(cast, september, august_days):
    run(cast)
    counts = run(cast)
    assert counts["unchanged"] == 8 and counts["created"] == counts["updated"] == 0
    assert Evaluation.history.count() == 8


def test_inactive_people_are_not_evaluated(cast, september, august_days):
    cast.peer.is_active = False
    cast.peer.save()
    run(cast)
    assert not Evaluation.objects.filter(employee=cast.peer).exists()


def test_the_unit_summaries(cast, september, august_days):
    hand_example(cast.pegawai, august_days)
    run(cast)
    summary = UnitEvaluation.objects.get(unit=cast.disdukcapil, period=AUGUST)
    # Disdukcapil with Bidang Pelayanan: the kepala, the admin, the atasan (0.00 each) and the
    # pegawai (64.67): a mean of 16.17.
    assert summary.figures["staff"] == 4
    assert summary.figures["ratings"] == {
        "sangat_baik": 0,
        "baik": 0,
        "butuh_perbaikan": 1,
        "kurang": 0,
        "sangat_kurang": 3,
    }
    assert summary.figures["unconfirmed"] == 4
    assert summary.figures["average_score"] == "16.17"
    assert summary.figures["averages"]["target_achievement"] == "50.00"  # only the pegawai's
    assert UnitEvaluation.objects.get(unit=cast.setda).figures["staff"] == 3
    assert not UnitEvaluation.objects.filter(unit=cast.pelayanan).exists()  # not an OPD


def test_a_summary_that_changes_after_sending_keeps_its_sending_and_says_so(
    cast, september, august_days
):
    run(cast)
    sent = calendar_service.utcnow()
    UnitEvaluation.objects.filter(unit=cast.setda).update(sent_at=sent)
    mark_attendance(cast.peer, august_days, "present")
    run(cast)
    setda = UnitEvaluation.objects.get(unit=cast.setda)
    assert setda.sent_at == sent
    assert setda.figures["changed_after_sending"] is True
    assert "changed_after_sending" not in UnitEvaluation.objects.get(unit=cast.bkpsdm_unit).figures


def test_a_month_is_refused_before_its_evaluation_day(cast, clock):
    """The clock is at 19 August: August ends on Monday 31 August, September has not started."""
    for period, words in [(AUGUST, "is evaluated from"), (date(2026, 9, 1), "has not started")]:
        with pytest.raises(DomainError) as caught:
            run(cast, period)
        assert caught.value.code == "period_not_started"
        assert words in caught.value.message
    assert not Evaluation.objects.exists()


def test_the_agency_may_evaluate_on_its_own_day(cast, clock):
    PerformanceRuleSet.objects.create(agency=cast.agency, rules={"evaluation": {"run_on_day": 15}})
    assert run(cast)["employees"] == 8


def test_invalid_stored_rules_are_refused_with_a_message(cast, september):
    PerformanceRuleSet.objects.create(
        agency=cast.agency, rules={"evaluation": {"weights": {"targets": 90}}}
    )
    with pytest.raises(DomainError) as caught:
        run(cast)
    assert caught.value.code == "invalid_rules"


def _staff(cast, n, days):
    for i in range(n):
        person = EmployeeFactory(unit=cast.pelayanan, name=f"Staf {i}")
        mark_attendance(person, days[:5], "present")
        mark_roster(person, days[5:6], "LEAVE")
        mark_vicon(person, {days[6]: "present"})
        target = TargetFactory(employee=person)
        item(make_report(person, days[7], DailyReport.Status.APPROVED, items=0), target, D(3))


def test_the_query_count_does_not_grow_with_the_staff(cast, september, august_days):
    _staff(cast, 3, august_days)
    with CaptureQueriesContext(connection) as few:
        assert run(cast)["created"] == 11
    Evaluation.objects.all().delete()
    UnitEvaluation.objects.all().delete()
    _staff(cast, 27, august_days)
    with CaptureQueriesContext(connection) as many:
        assert run(cast)["created"] == 38
    assert len(many) == len(few)
