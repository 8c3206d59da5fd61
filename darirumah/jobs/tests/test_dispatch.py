"""The dispatcher: each agency's jobs at its local time, at most once a day, caught up the same
day, never on a day off. Huey runs in immediate mode in tests, so dispatch() runs the jobs."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext as _

from darirumah.jobs import services, tasks
from darirumah.jobs.models import JobRun
from darirumah.jobs.registry import CHECKIN_REMINDER, register_timed_job, unregister_timed_job
from darirumah.jobs.reminders import checkin_link
from darirumah.notify.models import Notification

from .conftest import DAY, entry

KIND = "attendance.checkin_reminder"


@pytest.fixture
def roster(cast):
    entry(cast.pegawai, "WFH")
    entry(cast.atasan, "WFO")
    entry(cast.peer, "WFA")
    entry(cast.kepala, "LEAVE")
    entry(cast.admin_opd, "WFH", published=False)
    entry(cast.outsider, "WFH")
    cast.pegawai.user.email = "pegawai@example.go.id"
    cast.pegawai.user.save()
    return cast


def _reminders(user=None):
    qs = Notification.objects.filter(kind=KIND)
    return qs.filter(recipient=user) if user is not None else qs


def test_huey_runs_tasks_immediately_in_tests():
    from huey.contrib.djhuey import HUEY

    assert HUEY.immediate


def test_dispatch_twice_in_the_same_minute_runs_once(roster, clock):
    clock.set(2026, 8, 18, 0, 0)  # 07:00 WIB in both agencies
    tasks.dispatch()
    clock.set(2026, 8, 18, 0, 0, 40)
    tasks.dispatch()
    runs = JobRun.objects.filter(name=CHECKIN_REMINDER)
    assert runs.count() == 2  # one per agency
    run = runs.get(agency=roster.agency)
    assert run.local_date == DAY
    assert run.status == JobRun.Status.DONE
    assert run.result == "3"
    assert run.started_at == datetime(2026, 8, 18, 0, 0, tzinfo=UTC)
    told = sorted(_reminders().values_list("recipient_id", flat=True))
    assert told == sorted(
        [
            roster.pegawai.user_id,
            roster.atasan.user_id,
            roster.peer.user_id,
            roster.outsider.user_id,
        ]
    )
    notice = _reminders(roster.pegawai.user).get()
    with translation.override(settings.LANGUAGE_CODE):  # notices use the default language
        title = _("Attendance today: %(mode)s, deadline %(time)s") % {
            "mode": "WFH",
            "time": "07:30",
        }
    assert notice.title == title
    assert notice.key == "checkin-reminder:2026-08-18"
    assert notice.link == checkin_link()
    assert [m.to for m in mail.outbox] == [["pegawai@example.go.id"]]
    assert mail.outbox[0].subject == title


def test_before_seven_nothing_is_sent(roster, clock):
    clock.set(2026, 8, 17, 23, 59)  # 06:59 WIB on the 18th
    tasks.dispatch()
    assert not JobRun.objects.exists()
    assert not _reminders().exists()


def test_a_late_dispatch_still_sends_todays_reminder_once(roster, clock):
    clock.set(2026, 8, 18, 2, 10)  # 09:10 WIB: the worker was down at 07:00
    tasks.dispatch()
    clock.set(2026, 8, 18, 2, 11)
    tasks.dispatch()
    assert JobRun.objects.get(agency=roster.agency, name=CHECKIN_REMINDER).local_date == DAY
    assert _reminders(roster.pegawai.user).count() == 1
    assert _reminders().count() == 4


def test_a_missed_day_is_never_caught_up(roster, clock):
    # Nothing ran on the 18th; on the 19th before 07:00 nothing runs, at 07:00 only the 19th's.
    clock.set(2026, 8, 18, 23, 30)  # 06:30 WIB on the 19th
    tasks.dispatch()
    assert not JobRun.objects.exists()
    clock.set(2026, 8, 19, 0, 5)
    tasks.dispatch()
    assert set(JobRun.objects.values_list("local_date", flat=True)) == {DAY + timedelta(days=1)}
    assert not _reminders().exists()  # the roster has entries for the 18th only


def test_no_reminder_on_a_holiday(roster, clock):
    for person in (roster.pegawai, roster.atasan):
        entry(person, "WFH", day=DAY - timedelta(days=1))  # Monday the 17th: Independence Day
    clock.set(2026, 8, 17, 2, 0)  # 09:00 WIB
    tasks.dispatch()
    assert not JobRun.objects.exists()
    assert not _reminders().exists()


def test_an_agency_in_wit_gets_its_reminder_at_seven_wit(roster, clock):
    roster.agency.zone = "WIT"
    roster.agency.save()
    clock.set(2026, 8, 17, 21, 59)  # 06:59 WIT on the 18th
    tasks.dispatch()
    assert not JobRun.objects.exists()
    clock.set(2026, 8, 17, 22, 0)  # 07:00 WIT; only 05:00 WIB in the other agency
    tasks.dispatch()
    run = JobRun.objects.get()
    assert (run.agency, run.local_date) == (roster.agency, DAY)
    assert _reminders(roster.pegawai.user).exists()
    assert not _reminders(roster.outsider.user).exists()
    clock.set(2026, 8, 18, 0, 0)  # 07:00 WIB: now the other agency
    tasks.dispatch()
    assert JobRun.objects.filter(agency=roster.other_agency).count() == 1
    assert _reminders(roster.outsider.user).count() == 1
    assert _reminders(roster.pegawai.user).count() == 1


def test_an_existing_run_stops_a_concurrent_dispatcher(roster, clock):
    clock.set(2026, 8, 18, 0, 1)
    JobRun.objects.create(
        name=CHECKIN_REMINDER, agency=roster.agency, local_date=DAY, queued_at=clock.moment
    )
    created = services.due_runs_create()
    assert [r.agency for r in created] == [roster.other_agency]
    assert JobRun.objects.filter(agency=roster.agency).count() == 1


def test_a_failing_job_is_recorded_and_others_still_run(roster, clock):
    def explode(*, agency_id, day):
        raise RuntimeError("gateway down")

    register_timed_job(
        "test.explode", at=lambda agency, rules: rules.checkin_deadline, task=explode
    )
    try:
        clock.set(2026, 8, 18, 1, 0)  # 08:00 WIB: after the 07:30 deadline
        tasks.dispatch()
    finally:
        unregister_timed_job("test.explode")
    failed = JobRun.objects.get(agency=roster.agency, name="test.explode")
    assert failed.status == JobRun.Status.FAILED
    assert "gateway down" in failed.error
    assert JobRun.objects.get(agency=roster.agency, name=CHECKIN_REMINDER).status == "done"
    assert _reminders(roster.pegawai.user).exists()


def test_a_lost_queued_run_is_run_by_a_later_dispatch(roster, clock):
    clock.set(2026, 8, 18, 0, 30)
    run = JobRun.objects.create(
        name=CHECKIN_REMINDER,
        agency=roster.agency,
        local_date=DAY,
        queued_at=clock.moment - timedelta(minutes=20),
    )
    tasks.dispatch()
    run.refresh_from_db()
    assert run.status == JobRun.Status.DONE
    assert _reminders(roster.pegawai.user).count() == 1
    # Executing it again changes nothing: it is no longer queued.
    assert services.job_run_execute(run_id=run.pk) is None
