"""The effectiveness review of a circular (R2, R3) on a hand-made Serang scenario, and the
leadership decisions it leads to: continue, adjust, withdraw (staff back to the office)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from darirumah.attendance.models import Attendance, ViconRoll, ViconSession
from darirumah.core.errors import DomainError, NotAllowed
from darirumah.notify.models import Notification
from darirumah.org.access import access_for
from darirumah.org.models import Employee
from darirumah.org.tests.factories import EmployeeFactory
from darirumah.performance.models import DailyReport, ReportItem
from darirumah.performance.tests.factories import Clock, TargetFactory, make_report
from darirumah.policy import selectors_effectiveness as selectors
from darirumah.policy.models import Circular, EffectivenessDecision
from darirumah.policy.services_effectiveness import decision_record
from darirumah.policy.tests.factories import make_circular
from darirumah.roster.models import RosterEntry

pytestmark = pytest.mark.django_db

# The circular starts on Thursday 19 March 2020; its first three working days are 19, 20 and
# 23 March (21–22 are a weekend), so the review is due on Monday the 23rd. 25 March was Nyepi.
D1, D2, D3 = date(2020, 3, 19), date(2020, 3, 20), date(2020, 3, 23)
DAYS = (D1, D2, D3)
D4, D5 = date(2020, 3, 24), date(2020, 3, 26)
SUBMITTED, APPROVED = DailyReport.Status.SUBMITTED, DailyReport.Status.APPROVED
RETURNED, DRAFT = DailyReport.Status.RETURNED, DailyReport.Status.DRAFT
S = Decimal


@dataclass
class Serang:
    circular: Circular
    a1: Employee  # Disdukcapil, at home
    a2: Employee
    a3: Employee  # Disdukcapil's Bidang Pelayanan, at home
    w1: Employee  # Disdukcapil, at the office
    b1: Employee  # Setda, at home
    b2: Employee
    bw: Employee  # Setda, at the office


def enter(employee, circular, day, mode, *, published=True):
    return RosterEntry.objects.create(
        employee=employee,
        date=day,
        mode=mode,
        source="solver",
        published=published,
        circular=circular,
    )


def output(report, target, quantity):
    ReportItem.objects.create(
        report=report, activity="Verifikasi berkas", target=target,
        output_quantity=S(quantity), minutes_spent=60,
    )  # fmt: skip


def target(employee, quantity):
    # 16–27 March 2020: 9 working days (25 March was Nyepi).
    return TargetFactory(
        employee=employee, quantity=S(quantity),
        period_start=date(2020, 3, 16), period_end=date(2020, 3, 27), deadline=date(2020, 3, 27),
    )  # fmt: skip


def build(cast) -> Serang:
    """Two OPDs under one circular, three working days.

    Disdukcapil at home: a1 reports every day, a2's are approved, a3 (in its Bidang Pelayanan)
    submits day 1, has day 2 returned and day 3 still a draft → 7 of 9 done = 77.78% (below 80%).
    Disdukcapil at the office: w1 reports every day → 3/3 = 100%. Gap −22.22 points.
    Setda at home: b1 every day, b2 days 1–2 → 5/6 = 83.33%. At the office: bw days 1–2 → 2/3.
    Overall at home: 12/15 = 80.00% → effective (the threshold is reached), so the
    recommendation is to adjust Disdukcapil. At the office 5/6; everyone 17/21 = 80.95%.
    Check-in (day 1 only): a1 and w1 present, a2 late, a3 absent → 3 of 21 person-days = 14.29%,
    on time 2/21 = 9.52%; Disdukcapil 3/12 = 25%, on time 2/12 = 16.67%.
    Video call (Disdukcapil, day 1): a1 present, a2 absent, a3 excused → 1/2 = 50%.
    Targets at home (Disdukcapil): a1 20 over 9 days → 3 days expect 6.6667, 8 reported, capped;
    a2 9 → expects 3, 1.5 done; a3 9 → expects 3, its 4 were on a returned report → 0.
    (6.6667 + 1.5 + 0) / 12.6667 = 64.47%.
    Left out: a Setda colleague in isolation, an unpublished day, a BKPSDM (not covered) person.
    """
    circular = make_circular(
        cast.agency, status=Circular.Status.ACTIVE, units=[cast.setda, cast.disdukcapil]
    )
    people = {
        "a1": EmployeeFactory(unit=cast.disdukcapil, name="Staf Dukcapil 1"),
        "a2": EmployeeFactory(unit=cast.disdukcapil, name="Staf Dukcapil 2"),
        "a3": EmployeeFactory(unit=cast.pelayanan, name="Staf Pelayanan 3"),
        "w1": EmployeeFactory(unit=cast.disdukcapil, name="Staf Loket"),
        "b1": EmployeeFactory(unit=cast.setda, name="Staf Setda 1"),
        "b2": EmployeeFactory(unit=cast.setda, name="Staf Setda 2"),
        "bw": EmployeeFactory(unit=cast.setda, name="Staf Setda Kantor"),
    }
    s = Serang(circular=circular, **people)
    for person in (s.a1, s.a2, s.a3, s.b1, s.b2):
        for day in DAYS:
            enter(person, circular, day, "WFH" if day != D2 or person != s.b1 else "WFA")
    for person in (s.w1, s.bw):
        for day in DAYS:
            enter(person, circular, day, "WFO")
    isolated = EmployeeFactory(unit=cast.setda, name="Staf Isolasi")
    enter(isolated, circular, D1, "ISOLATION")
    make_report(isolated, D1, SUBMITTED, items=0)
    unpublished = EmployeeFactory(unit=cast.setda, name="Staf Belum Terbit")
    enter(unpublished, circular, D1, "WFH", published=False)
    outside = EmployeeFactory(unit=cast.bkpsdm_unit, name="Staf BKPSDM")
    enter(outside, None, D1, "WFH")

    reports = {}
    for person, statuses in (
        (s.a1, (SUBMITTED,) * 3),
        (s.a2, (APPROVED,) * 3),
        (s.a3, (SUBMITTED, RETURNED, DRAFT)),
        (s.w1, (SUBMITTED,) * 3),
        (s.b1, (SUBMITTED,) * 3),
        (s.b2, (SUBMITTED, SUBMITTED)),
        (s.bw, (APPROVED, SUBMITTED)),
    ):
        for day, status in zip(DAYS, statuses, strict=False):
            reports[(person.pk, day)] = make_report(person, day, status, items=0)
    t1, t2, t3 = target(s.a1, 20), target(s.a2, 9), target(s.a3, 9)
    output(reports[(s.a1.pk, D1)], t1, 5)
    output(reports[(s.a1.pk, D2)], t1, 3)
    output(reports[(s.a2.pk, D1)], t2, "1.5")
    output(reports[(s.a3.pk, D2)], t3, 4)  # returned: not counted

    for person, status in ((s.a1, "present"), (s.a2, "late"), (s.a3, "absent"), (s.w1, "present")):
        Attendance.objects.create(employee=person, date=D1, status=status, source="self")
    session = ViconSession.objects.create(
        unit=cast.disdukcapil,
        date=D1,
        starts_at=datetime(2020, 3, 19, 7, 0, tzinfo=UTC),
        link="https://meet.example.org/dukcapil",
    )
    for person, status in ((s.a1, "present"), (s.a2, "absent"), (s.a3, "excused")):
        ViconRoll.objects.create(
            session=session, employee=person, status=status, marked_at=session.starts_at
        )
    return s


@pytest.fixture
def serang(cast) -> Serang:
    return build(cast)


def review(cast, circular, through=D3):
    access = access_for(cast.pimpinan.user)
    fresh = selectors.circulars(access).get(pk=circular.pk)
    return selectors.review_for(fresh, through=through)


def test_the_hand_computed_review_on_the_third_working_day(cast, serang):
    r = review(cast, serang.circular)
    assert r.days == list(DAYS)
    assert r.review_due_on == D3 and r.due and r.answer == "yes"
    overall = r.overall
    assert (overall.wfh.person_days, overall.wfh.done) == (15, 12)
    assert overall.wfh.done_share == S("0.8000")
    assert overall.wfo.done_share == S("0.8333")
    assert overall.everyone.done_share == S("0.8095")
    assert overall.everyone.checkin_compliance == S("0.1429")
    assert overall.everyone.on_time_share == S("0.0952")
    assert overall.everyone.vicon_attendance == S("0.5000")
    assert overall.wfh_progress.value == S("0.6447")

    rows = {row.name: row for row in r.opds}
    assert list(rows) == ["Sekretariat Daerah", "Dinas Kependudukan dan Pencatatan Sipil"]
    dukcapil, setda = rows["Dinas Kependudukan dan Pencatatan Sipil"], rows["Sekretariat Daerah"]
    assert (dukcapil.wfh.person_days, dukcapil.wfh.done) == (9, 7)
    assert dukcapil.wfh.done_share == S("0.7778") and dukcapil.verdict == "not_effective"
    assert dukcapil.gap == S("-0.2222")
    assert dukcapil.everyone.checkin_compliance == S("0.2500")
    assert dukcapil.everyone.on_time_share == S("0.1667")
    assert setda.wfh.done_share == S("0.8333") and setda.verdict == "effective"
    assert setda.wfo.done_share == S("0.6667")
    assert setda.gap == S("0.1666")  # 0.8333 − 0.6667, each rounded first
    assert setda.everyone.vicon_attendance is None  # no roll in Setda
    assert r.recommendation == "adjust" and r.below == [cast.disdukcapil.pk]

    assert [p.wfh.done_share for p in r.series] == [S(1), S("0.8"), S("0.6")]
    assert [p.wfo.done_share for p in r.series] == [S(1), S(1), S("0.5")]
    assert [p.everyone.checkin_compliance for p in r.series] == [S("0.4286"), S(0), S(0)]


def test_overall_below_the_threshold_recommends_withdrawing(cast, serang):
    DailyReport.objects.filter(employee=serang.a1, date=D3).delete()
    r = review(cast, serang.circular)
    # At home 11/15 = 73.33%: not effective. Disdukcapil 6/9, Setda still 5/6.
    assert r.overall.wfh.done_share == S("0.7333")
    assert (r.answer, r.recommendation, r.below) == ("no", "withdraw", [cast.disdukcapil.pk])


def test_before_the_third_working_day_the_review_is_provisional(cast, serang):
    r = review(cast, serang.circular, through=D2)
    assert r.days == [D1, D2] and not r.due and r.provisional
    assert r.answer == "too_early"
    assert r.overall.wfh.done_share == S("0.9000")  # 9 of 10 at home
    assert r.as_json()["provisional"] is True


def test_the_window_never_passes_the_circulars_end(cast, serang):
    Circular.objects.filter(pk=serang.circular.pk).update(ends_on=D2)
    r = review(cast, serang.circular, through=date(2020, 4, 30))
    assert r.through == D2 and r.days == [D1, D2]
    assert r.due  # the circular is over: its review is final


def test_the_figures_take_a_fixed_number_of_queries(cast):
    circular = make_circular(cast.agency, status=Circular.Status.ACTIVE, units=[cast.disdukcapil])

    def add_staff(n):
        for i in range(n):
            person = EmployeeFactory(unit=cast.pelayanan if i % 2 else cast.disdukcapil)
            t = target(person, 9)
            for day in DAYS:
                enter(person, circular, day, "WFH" if i % 3 else "WFO")
                output(make_report(person, day, SUBMITTED, items=0), t, 1)
                Attendance.objects.create(employee=person, date=day, status="late", source="self")

    def queries():
        # The caller's access and roles are read once per request, before this.
        assert access_for(cast.pimpinan.user).agency_roles
        with CaptureQueriesContext(connection) as ctx:
            r = review(cast, circular)
        return len(ctx), r

    add_staff(3)
    few, small = queries()
    add_staff(27)
    many, large = queries()
    assert large.overall.everyone.person_days == 90 and small.overall.everyone.person_days == 9
    assert few == many, (few, many)


# --- decisions ------------------------------------------------------------------------------


@pytest.fixture
def on_day3(monkeypatch):
    return Clock(monkeypatch, 2020, 3, 23, 3, 0)  # Monday 23 March 2020, 10:00 WIB


def decide(cast, serang, decision, note="Tugas terlaksana", units=None, who=None):
    access = access_for((who or cast.pimpinan).user)
    circular = Circular.objects.get(pk=serang.circular.pk)
    return decision_record(
        access=access, circular=circular, decision=decision, note=note, units=units
    )


def test_continue_is_recorded_with_the_review_the_mayor_saw(cast, serang, on_day3):
    record = decide(cast, serang, "continue")
    assert record.decided_by == cast.pimpinan.user
    assert record.review["answer"] == "yes"
    assert record.review["overall"]["wfh"]["done_share"] == "0.8000"
    assert record.review["recommendation"]["decision"] == "adjust"
    assert Circular.objects.get(pk=serang.circular.pk).status == Circular.Status.ACTIVE


def test_adjust_needs_units_the_circular_covers(cast, serang, on_day3):
    with pytest.raises(DomainError) as missing:
        decide(cast, serang, "adjust")
    assert "units" in missing.value.fields
    with pytest.raises(DomainError) as outside:
        decide(cast, serang, "adjust", units=[cast.bkpsdm_unit])
    assert "BKPSDM" in outside.value.message
    record = decide(cast, serang, "adjust", units=[cast.disdukcapil], who=cast.bkpsdm)
    assert list(record.units.all()) == [cast.disdukcapil]
    assert EffectivenessDecision.objects.count() == 1


def test_a_reason_is_required_and_only_leadership_decides(cast, serang, on_day3):
    with pytest.raises(DomainError) as no_reason:
        decide(cast, serang, "continue", note="  ")
    assert no_reason.value.fields == {"note": ["Required."]}
    for who in (cast.kepala, cast.pegawai, cast.kesehatan):
        with pytest.raises(NotAllowed):
            decide(cast, serang, "continue", who=who)
    assert not EffectivenessDecision.objects.exists()


def test_withdraw_ends_the_circular_and_sends_staff_back_from_the_next_working_day(
    cast, serang, on_day3, django_capture_on_commit_callbacks
):
    later = {
        "wfh": enter(serang.a1, serang.circular, D4, "WFH"),
        "wfa": enter(serang.a1, serang.circular, D5, "WFA", published=False),
        "isolation": enter(serang.b1, serang.circular, D4, "ISOLATION"),
        "leave": enter(serang.b2, serang.circular, D4, "LEAVE"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        record = decide(cast, serang, "withdraw", note="Tugas tidak terlaksana")
    circular = Circular.objects.get(pk=serang.circular.pk)
    assert record.decision == "withdraw"
    assert (circular.status, circular.ends_on) == (Circular.Status.WITHDRAWN, D3)
    assert circular.events.last().action == "withdrawn"
    modes = {k: RosterEntry.objects.get(pk=e.pk) for k, e in later.items()}
    assert modes["wfh"].mode == "WFO" and modes["wfh"].published
    assert modes["wfa"].mode == "WFO" and not modes["wfa"].published
    assert modes["isolation"].mode == "ISOLATION" and modes["leave"].mode == "LEAVE"
    # Today (the 23rd) was worked from home as planned.
    assert RosterEntry.objects.get(employee=serang.a1, date=D3).mode == "WFH"
    # a1 is told once for two days; the heads of both OPDs are told of the decision.
    back = Notification.objects.filter(kind="roster.returned_to_office")
    assert list(back.values_list("recipient", flat=True)) == [serang.a1.user_id]
    told = Notification.objects.filter(kind="policy.decision")
    assert list(told.values_list("recipient", flat=True)) == [cast.kepala.user_id]


def test_a_closed_circular_takes_no_decision(cast, serang, on_day3):
    Circular.objects.filter(pk=serang.circular.pk).update(status=Circular.Status.WITHDRAWN)
    with pytest.raises(DomainError) as closed:
        decide(cast, serang, "continue")
    assert closed.value.code == "not_in_force"
