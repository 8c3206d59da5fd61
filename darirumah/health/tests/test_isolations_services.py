"""Recording, shortening and cancelling isolations (services/isolations.py): the roster under
them, the dates that make sense, overlaps, who may, the access log and what the person is told."""

from datetime import date, timedelta

import pytest

from darirumah.core.errors import Conflict, DomainError, NotAllowed, NotFound
from darirumah.health.models import HealthAccessLog, HealthSettings, Isolation
from darirumah.health.services.isolations import (
    isolation_cancel,
    isolation_create,
    isolation_end,
)
from darirumah.notify.models import Notification
from darirumah.org.access import access_for
from darirumah.roster.models import RosterEntry

from .test_tracing_trace import REASON, d

# Monday 24 to Friday 28 August 2026, after the clock's Wednesday 19 August; Tuesday 25 is a
# holiday (Maulid Nabi): no working day to hold.
WEEK = [d(24), d(25), d(26), d(27), d(28)]


@pytest.fixture(autouse=True)
def _clock(clock):
    return clock


def officer(cast):
    return access_for(cast.kesehatan.user)


def create(cast, employee=None, *, start=WEEK[2], end=None, kind="contact", **kw):
    return isolation_create(
        access=kw.pop("access", None) or officer(cast),
        employee=employee or cast.pegawai,
        starts_on=start,
        ends_on=end,
        reason_kind=kind,
        reason=kw.pop("reason", REASON),
        **kw,
    )


def plan_week(employee, modes):
    for day, mode in zip(WEEK, modes, strict=True):
        RosterEntry.objects.create(
            employee=employee, date=day, mode=mode, source="solver", published=True
        )


def week(employee) -> list[tuple[str, str, bool]]:
    found = {
        e.date: (e.mode, e.source, e.published)
        for e in RosterEntry.objects.filter(employee=employee, date__in=WEEK)
    }
    return [found.get(day, ("", "", False)) for day in WEEK]


def test_an_isolation_in_the_middle_of_a_published_roster_and_its_early_end(
    cast, django_capture_on_commit_callbacks
):
    plan_week(cast.pegawai, ["WFO", "WFH", "WFO", "WFH", "WFO"])
    with django_capture_on_commit_callbacks(execute=True):
        iso = create(cast, start=d(26))
    assert iso.ends_on == date(2026, 9, 8)  # 14 days
    held = ("ISOLATION", "health", True)
    assert week(cast.pegawai) == [
        ("WFO", "solver", True),
        ("WFH", "solver", True),
        held,
        held,
        held,
    ]
    with django_capture_on_commit_callbacks(execute=True):
        isolation_end(access=officer(cast), isolation=iso, last_day=d(26), reason=REASON)
    iso.refresh_from_db()
    assert (iso.ends_on, iso.ended_early_on, iso.cancelled) == (d(26), d(19), False)
    assert week(cast.pegawai) == [
        ("WFO", "solver", True),
        ("WFH", "solver", True),
        held,
        ("WFH", "solver", True),
        ("WFO", "solver", True),
    ]
    assert not RosterEntry.objects.filter(employee=cast.pegawai, date__gt=d(28)).exists()
    notices = list(Notification.objects.filter(recipient=cast.pegawai.user).order_by("pk"))
    assert [n.kind for n in notices] == ["health.isolation", "health.isolation"]
    lines = list(HealthAccessLog.objects.order_by("pk").values_list("action", "subject", "reason"))
    assert lines == [
        ("create", f"isolation:{iso.pk}", REASON),
        ("update", f"isolation:{iso.pk}", REASON),
    ]
    assert iso.history.first().history_user == cast.kesehatan.user


def test_cancelling_gives_every_day_back(cast):
    plan_week(cast.pegawai, ["WFO"] * 5)
    iso = create(cast, start=d(24), end=d(28))
    assert [m for m, _s, _p in week(cast.pegawai)] == ["ISOLATION", "WFO"] + ["ISOLATION"] * 3
    isolation_cancel(access=officer(cast), isolation=iso, reason=REASON)
    iso.refresh_from_db()
    assert iso.cancelled and iso.ended_early_on == d(19) and iso.ends_on == d(28)
    assert week(cast.pegawai) == [("WFO", "solver", True)] * 5
    with pytest.raises(Conflict):
        isolation_cancel(access=officer(cast), isolation=iso, reason=REASON)


def test_the_day_before_the_start_cancels(cast):
    iso = create(cast, start=d(24), end=d(28))
    isolation_end(access=officer(cast), isolation=iso, last_day=d(23), reason=REASON)
    iso.refresh_from_db()
    assert iso.cancelled


def test_the_length_follows_the_agencys_setting(cast):
    HealthSettings.objects.create(agency=cast.agency, settings={"isolation_days": 10})
    assert create(cast, start=d(24)).ends_on == date(2026, 9, 2)


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (d(26), d(25), "ends_on"),  # ends before it starts
        (d(20), d(20) + timedelta(days=60), "ends_on"),  # 61 days
        (d(4), None, "starts_on"),  # 15 days ago: beyond the tracing window
        (d(19) + timedelta(days=61), None, "starts_on"),
    ],
)
def test_dates_that_make_no_sense_are_refused(cast, start, end, field):
    with pytest.raises(DomainError) as exc:
        create(cast, start=start, end=end)
    assert field in exc.value.fields
    assert not Isolation.objects.exists()


def test_the_start_may_be_up_to_14_days_back_and_60_days_long(cast):
    iso = create(cast, start=d(5), end=d(5) + timedelta(days=59))
    assert iso.pk and RosterEntry.objects.filter(employee=cast.pegawai, date=d(5)).exists()


def test_a_bad_kind_or_a_long_note_is_refused(cast):
    with pytest.raises(DomainError) as exc:
        create(cast, kind="holiday", note="x" * 301)
    assert set(exc.value.fields) == {"reason_kind", "note"}


def test_two_active_isolations_of_one_person_never_overlap(cast):
    first = create(cast, start=d(24), end=d(28))
    with pytest.raises(Conflict) as exc:
        create(cast, start=d(28), end=d(31))
    assert exc.value.status == 409 and "Pegawai Pelayanan is already in isolation" in str(exc.value)
    assert create(cast, start=d(29), end=d(31)).pk  # right after it
    isolation_cancel(access=officer(cast), isolation=first, reason=REASON)
    assert create(cast, start=d(24), end=d(26)).pk  # a cancelled one does not count


def test_only_the_agencys_health_officers_record_and_end(cast):
    for user in (cast.pimpinan.user, cast.bkpsdm.user, cast.kepala.user, cast.pegawai.user):
        with pytest.raises(NotAllowed):
            create(cast, access=access_for(user))
    with pytest.raises(NotFound):
        create(cast, employee=cast.outsider)
    iso = create(cast)
    with pytest.raises(NotAllowed):
        isolation_end(
            access=access_for(cast.pegawai.user), isolation=iso, last_day=d(27), reason=REASON
        )
    with pytest.raises(DomainError) as exc:
        create(cast, employee=cast.peer, reason="")
    assert exc.value.code == "reason_required"


@pytest.mark.parametrize(
    ("last_day", "words"),
    [
        (d(17), "Days that have passed"),  # before yesterday, in the middle of it
        (d(28), "before the planned last day"),
        (d(30), "before the planned last day"),
        (d(10), "before the isolation starts"),
    ],
)
def test_ending_early_keeps_past_days_and_only_shortens(cast, last_day, words):
    iso = create(cast, start=d(12), end=d(28))
    with pytest.raises(DomainError) as exc:
        isolation_end(access=officer(cast), isolation=iso, last_day=last_day, reason=REASON)
    assert words in exc.value.message and "last_day" in exc.value.fields
    iso.refresh_from_db()
    assert iso.ends_on == d(28) and not iso.cancelled


def test_ending_yesterday_is_allowed(cast):
    iso = create(cast, start=d(12), end=d(28))
    isolation_end(access=officer(cast), isolation=iso, last_day=d(18), reason=REASON)
    iso.refresh_from_db()
    assert iso.ends_on == d(18)
    assert not RosterEntry.objects.filter(employee=cast.pegawai, date=d(19)).exists()
