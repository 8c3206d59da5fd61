"""Daily reports: writing a working day, the deadline, submitting, the review and its lock, and
the head's list of missing and late reports."""

from datetime import date
from decimal import Decimal

import pytest

from darirumah.core.errors import Conflict, DomainError, NotAllowed
from darirumah.notify.models import Notification
from darirumah.org.access import access_for
from darirumah.org.models import AgencyDay
from darirumah.performance import selectors
from darirumah.performance.models import DailyReport, ReportItem, Target
from darirumah.performance.services.reports import report_review, report_save, report_submit
from darirumah.roster.models import RosterEntry

from .factories import DAY, FRIDAY, HOLIDAY, SATURDAY, TargetFactory, make_report

ITEM = {"activity": "Verifikasi 40 berkas KTP-el", "output_quantity": "40", "minutes_spent": 240}


def write(cast, who="pegawai", day=DAY, items=None):
    return report_save(
        access=access_for(getattr(cast, who).user), day=day, items=items or [dict(ITEM)]
    )


def submit(cast, report, who="pegawai"):
    return report_submit(access=access_for(getattr(cast, who).user), report=report)


def review(cast, report, who="atasan", decision="approve", comment=""):
    return report_review(
        access=access_for(getattr(cast, who).user),
        report=DailyReport.objects.select_related("employee__unit").get(pk=report.pk),
        decision=decision,
        comment=comment,
    )


# --- writing -----------------------------------------------------------------------------------


def test_an_employee_writes_the_report_of_today(cast, clock):
    target = TargetFactory(employee=cast.pegawai)
    report, created = write(cast, items=[{**ITEM, "target": target.pk}, {**ITEM, "target": None}])
    assert created
    assert report.status == DailyReport.Status.DRAFT
    assert report.submitted_at is None
    items = list(report.items.order_by("pk"))
    assert [i.target for i in items] == [target, None]
    assert items[0].output_quantity == Decimal("40.00")
    assert items[0].minutes_spent == 240
    assert report.history.get().history_user == cast.pegawai.user


def test_saving_again_replaces_the_activities(cast, clock):
    report, _ = write(cast, items=[dict(ITEM), {**ITEM, "activity": "Rapat daring"}])
    keep, drop = report.items.order_by("pk")
    again, created = write(cast, items=[{**ITEM, "id": keep.pk, "minutes_spent": 90}, dict(ITEM)])
    assert not created and again.pk == report.pk
    assert keep.pk in {i.pk for i in again.items.all()}
    assert not ReportItem.objects.filter(pk=drop.pk).exists()
    assert ReportItem.objects.get(pk=keep.pk).minutes_spent == 90
    assert again.items.count() == 2


def test_an_earlier_working_day_of_the_month_can_be_reported(cast, clock):
    report, _ = write(cast, day=date(2026, 8, 3))
    assert report.date == date(2026, 8, 3)


@pytest.mark.parametrize(
    ("day", "code", "message"),
    [
        (date(2026, 8, 20), "future_day", "has not come yet"),
        (HOLIDAY, "not_working_day", "is not a working day"),
        (SATURDAY, "not_working_day", "is not a working day (Sabtu)"),
        (date(2026, 7, 31), "period_closed", "Reports of July 2026 are closed"),
    ],
)
def test_days_that_cannot_be_reported(cast, clock, day, code, message):
    clock.set(2026, 8, 24, 3, 0)  # Monday 24 August, 10:00 WIB
    if code == "future_day":
        clock.set(2026, 8, 19, 3, 0)
    with pytest.raises(DomainError) as refused:
        write(cast, day=day)
    assert refused.value.code == code
    assert message in refused.value.message
    assert "date" in refused.value.fields
    assert not DailyReport.objects.exists()


def test_an_agency_working_day_on_a_saturday_can_be_reported(cast, clock):
    AgencyDay.objects.create(agency=cast.agency, date=SATURDAY, kind="on", name="Kerja bakti")
    clock.set(2026, 8, 22, 3, 0)
    assert write(cast, day=SATURDAY)[1]


def test_someone_without_an_employee_record_writes_no_report(cast, clock):
    with pytest.raises(NotAllowed, match="Only an employee writes a daily report"):
        report_save(access=access_for(cast.operator), day=DAY, items=[dict(ITEM)])


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"activity": " "}, "items.0.activity"),
        ({"minutes_spent": 0}, "items.0.minutes_spent"),
        ({"minutes_spent": 1441}, "items.0.minutes_spent"),
        ({"output_quantity": "-1"}, "items.0.output_quantity"),
        ({"output_quantity": "lots"}, "items.0.output_quantity"),
        ({"id": 999999}, "items.0.id"),
    ],
)
def test_bad_items_are_named(cast, clock, item, field):
    with pytest.raises(DomainError) as refused:
        write(cast, items=[{**ITEM, **item}])
    assert field in refused.value.fields
    assert not DailyReport.objects.exists()


def test_a_day_has_at_most_24_hours_of_activities(cast, clock):
    with pytest.raises(DomainError) as refused:
        write(cast, items=[{**ITEM, "minutes_spent": 800}, {**ITEM, "minutes_spent": 700}])
    assert refused.value.fields["items"] == ["The activities add up to 25.0 hours; a day has 24."]


def test_no_activities_is_refused(cast, clock):
    with pytest.raises(DomainError, match="Report at least one activity"):
        report_save(access=access_for(cast.pegawai.user), day=DAY, items=[])


def test_an_item_serves_only_the_own_active_target_of_that_day(cast, clock):
    others = TargetFactory(employee=cast.atasan)
    cancelled = TargetFactory(employee=cast.pegawai, status=Target.Status.CANCELLED)
    september = TargetFactory(
        employee=cast.pegawai,
        period_start=date(2026, 9, 1),
        period_end=date(2026, 9, 30),
        deadline=date(2026, 9, 30),
    )
    for target in (others, cancelled, september):
        with pytest.raises(DomainError) as refused:
            write(cast, items=[{**ITEM, "target": target.pk}])
        assert refused.value.fields["items.0.target"] == [
            "Not one of your active targets for Aug. 19, 2026."
        ]


# --- submitting and the deadline ---------------------------------------------------------------


def test_submitted_before_the_deadline_is_on_time(cast, clock, django_capture_on_commit_callbacks):
    report, _ = write(cast)
    clock.set(2026, 8, 19, 8, 59)  # 15:59 WIB
    with django_capture_on_commit_callbacks(execute=True):
        sent = submit(cast, report)
    assert sent.status == DailyReport.Status.SUBMITTED
    assert sent.submitted_at == clock.moment
    assert sent.late is False
    # The direct supervisor is told.
    notice = Notification.objects.get(recipient=cast.atasan.user)
    assert notice.kind == "performance.report_submitted"
    assert "Pegawai Pelayanan" in notice.title


def test_submitted_after_the_deadline_is_late(cast, clock):
    report, _ = write(cast)
    clock.set(2026, 8, 19, 9, 1)  # 16:01 WIB
    assert submit(cast, report).late is True


def test_friday_ends_at_half_past_four(cast, clock):
    clock.set(2026, 8, 21, 9, 20)  # 16:20 WIB on Friday
    report, _ = write(cast, day=FRIDAY)
    assert submit(cast, report).late is False


def test_a_returned_report_keeps_the_answer_of_its_first_submission(cast, clock):
    report, _ = write(cast)
    submit(cast, report)  # 10:00 WIB: on time
    review(cast, report, decision="return", comment="Tambahkan foto berkas")
    clock.set(2026, 8, 20, 2, 0)  # the next morning
    again = submit(cast, report)
    assert again.late is False
    assert again.status == DailyReport.Status.SUBMITTED
    assert again.review_comment == "" and again.reviewed_by is None


def test_an_empty_report_is_not_submitted(cast, clock):
    report = make_report(cast.pegawai, items=0)
    with pytest.raises(DomainError, match="Report at least one activity before submitting"):
        submit(cast, report)


def test_only_the_author_submits(cast, clock):
    report, _ = write(cast)
    with pytest.raises(NotAllowed, match="Only its author"):
        submit(cast, report, who="atasan")


def test_a_submitted_report_waits_for_review(cast, clock):
    report, _ = write(cast)
    submit(cast, report)
    with pytest.raises(Conflict) as refused:
        write(cast)
    assert refused.value.code == "under_review"
    with pytest.raises(Conflict):
        submit(cast, report)


# --- the review --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["atasan", "kepala"])
def test_the_direct_supervisor_or_the_unit_head_approves_and_the_report_is_locked(
    cast, clock, who, django_capture_on_commit_callbacks
):
    report, _ = write(cast)
    submit(cast, report)
    with django_capture_on_commit_callbacks(execute=True):
        approved = review(cast, report, who=who, comment="Baik")
    assert approved.status == DailyReport.Status.APPROVED
    assert approved.reviewed_by == getattr(cast, who).user
    assert approved.reviewed_at == clock.moment
    assert approved.history.first().history_user == getattr(cast, who).user
    assert Notification.objects.filter(
        recipient=cast.pegawai.user, kind="performance.report_reviewed"
    ).exists()
    # Locked: no more edits, no resubmission, no second review.
    with pytest.raises(Conflict) as refused:
        write(cast)
    assert refused.value.code == "locked"
    assert "approved and locked" in refused.value.message
    with pytest.raises(Conflict):
        submit(cast, report)
    with pytest.raises(Conflict, match="already approved"):
        review(cast, report, who=who)


def test_returning_needs_a_comment_and_reopens_the_report(cast, clock):
    report, _ = write(cast)
    submit(cast, report)
    with pytest.raises(DomainError) as refused:
        review(cast, report, decision="return", comment="  ")
    assert refused.value.fields == {"comment": ["Required."]}
    returned = review(cast, report, decision="return", comment="Lampirkan bukti")
    assert returned.status == DailyReport.Status.RETURNED
    assert returned.review_comment == "Lampirkan bukti"
    again, created = write(cast, items=[{**ITEM, "activity": "Verifikasi ulang"}])
    assert not created and again.status == DailyReport.Status.RETURNED


def test_an_unknown_decision_is_refused(cast, clock):
    report, _ = write(cast)
    submit(cast, report)
    with pytest.raises(DomainError) as refused:
        review(cast, report, decision="maybe")
    assert "decision" in refused.value.fields


def test_nobody_reviews_their_own_report(cast, clock):
    report, _ = write(cast, who="kepala")
    submit(cast, report, who="kepala")
    with pytest.raises(NotAllowed, match="You cannot review your own report"):
        review(cast, report, who="kepala")


@pytest.mark.parametrize("who", ["admin_opd", "bkpsdm", "pimpinan", "peer", "kesehatan"])
def test_others_do_not_review(cast, clock, who):
    report, _ = write(cast)
    submit(cast, report)
    with pytest.raises(NotAllowed, match="direct supervisor or the head"):
        review(cast, report, who=who)


def test_the_supervisor_of_the_supervisor_does_not_review_as_such(cast, clock):
    # The atasan's report: the kepala is both the direct supervisor and the head. The pegawai's
    # report under an atasan in a unit the reviewer does not head is refused.
    from darirumah.org.tests.factories import EmployeeFactory

    grand = EmployeeFactory(unit=cast.setda, name="Sekretaris")
    cast.kepala.supervisor = grand
    cast.kepala.save()
    report, _ = write(cast)
    submit(cast, report)
    with pytest.raises(NotAllowed):
        report_review(
            access=access_for(grand.user),
            report=DailyReport.objects.select_related("employee__unit").get(pk=report.pk),
            decision="approve",
        )


def test_a_draft_is_not_reviewed(cast, clock):
    report, _ = write(cast)
    with pytest.raises(Conflict, match="has not been submitted yet"):
        review(cast, report)


# --- the head's list: missing and late ---------------------------------------------------------


def test_the_head_sees_who_is_missing_and_who_is_late(cast, clock):
    on_time = make_report(cast.atasan, status=DailyReport.Status.SUBMITTED)
    late = make_report(cast.pegawai, status=DailyReport.Status.APPROVED, late=True)
    clock.set(2026, 8, 19, 10, 0)  # 17:00 WIB: after the deadline
    day = selectors.unit_day(access_for(cast.kepala.user), cast.disdukcapil, DAY)
    assert day.working_day and day.deadline_passed
    rows = {r.employee.name: r for r in day.rows}
    assert set(rows) == {
        "Kepala Dukcapil",
        "Admin Dukcapil",
        "Atasan Pelayanan",
        "Pegawai Pelayanan",
    }
    assert {r.employee.name for r in day.missing} == {"Kepala Dukcapil", "Admin Dukcapil"}
    assert [r.employee.name for r in day.late] == ["Pegawai Pelayanan"]
    assert rows["Atasan Pelayanan"].report == on_time
    assert rows["Pegawai Pelayanan"].report == late
    assert rows["Admin Dukcapil"].status == "none"


def test_a_draft_counts_as_missing_and_leave_excuses(cast, clock):
    make_report(cast.pegawai)  # a draft only
    RosterEntry.objects.create(
        employee=cast.atasan, date=DAY, mode="LEAVE", source="manual", published=True
    )
    day = selectors.unit_day(access_for(cast.kepala.user), cast.pelayanan, DAY)
    rows = {r.employee.name: r for r in day.rows}
    assert rows["Pegawai Pelayanan"].missing and rows["Pegawai Pelayanan"].status == "draft"
    assert rows["Atasan Pelayanan"].excused and not rows["Atasan Pelayanan"].missing
    assert not day.deadline_passed  # 10:00 WIB


def test_a_day_off_owes_no_report(cast, clock):
    day = selectors.unit_day(access_for(cast.kepala.user), cast.pelayanan, HOLIDAY)
    assert not day.working_day and day.rows == []


def test_a_supervisor_sees_their_team_only(cast, clock):
    day = selectors.unit_day(access_for(cast.atasan.user), cast.disdukcapil, DAY)
    assert [r.employee.name for r in day.rows] == ["Pegawai Pelayanan"]
    assert selectors.reads_unit_reports(access_for(cast.atasan.user), cast.disdukcapil)
    assert not selectors.reads_unit_reports(access_for(cast.pegawai.user), cast.pelayanan)
    assert not selectors.reads_unit_reports(access_for(cast.kesehatan.user), cast.pelayanan)
