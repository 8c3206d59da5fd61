"""Health measures over the roster: an isolation or a closure holds days and gives them back.

The measures are saved directly here; their services (and who may call them) have their own
tests. This is the roster's side: the plan underneath is kept and restored exactly.
"""

from datetime import date

import pytest

from darirumah.health.models import Closure, Isolation
from darirumah.health.services.roster import health_roster_refresh, office_staff_ids
from darirumah.org.tests.factories import EmployeeFactory
from darirumah.roster.models import RosterEntry, RosterHold

pytestmark = pytest.mark.django_db

# Monday 10 to Friday 14 August 2026 (17 August is Independence Day).
WEEK = [date(2026, 8, d) for d in (10, 11, 12, 13, 14)]


def plan_week(employee, modes, *, published=True):
    for day, mode in zip(WEEK, modes, strict=True):
        RosterEntry.objects.create(
            employee=employee,
            date=day,
            mode=mode,
            source=RosterEntry.Source.SOLVER,
            published=published,
        )


def week(employee) -> list[str]:
    found = dict(
        RosterEntry.objects.filter(employee=employee, date__in=WEEK).values_list("date", "mode")
    )
    return [found.get(d, "") for d in WEEK]


def refresh(cast, people, start=WEEK[0], end=WEEK[-1]):
    return health_roster_refresh(
        agency=cast.agency, employee_ids=people, start=start, end=end, actor=cast.kesehatan.user
    )


def test_an_isolation_in_the_middle_of_a_published_roster_holds_its_days_and_gives_them_back(
    cast,
):
    plan_week(cast.pegawai, ["WFO", "WFH", "WFO", "WFH", "WFO"])
    iso = Isolation.objects.create(
        agency=cast.agency,
        employee=cast.pegawai,
        starts_on=date(2026, 8, 12),
        ends_on=date(2026, 8, 25),
        reason=Isolation.Reason.CONTACT,
    )
    assert refresh(cast, [cast.pegawai.pk]) == {"held": 3, "released": 0}
    assert week(cast.pegawai) == ["WFO", "WFH", "ISOLATION", "ISOLATION", "ISOLATION"]
    held = RosterEntry.objects.get(employee=cast.pegawai, date=WEEK[2])
    assert (held.source, held.published) == ("health", True)
    assert held.reason == "Isolasi sampai 25 Agu 2026"  # stored in the default language

    # Refreshing again changes nothing.
    assert refresh(cast, [cast.pegawai.pk]) == {"held": 0, "released": 0}

    # Ended early: from Thursday the person is back, on the plan as it was (Wednesday's reason
    # now says the new end).
    iso.ends_on = date(2026, 8, 12)
    iso.save()
    assert refresh(cast, [cast.pegawai.pk]) == {"held": 1, "released": 2}
    assert week(cast.pegawai) == ["WFO", "WFH", "ISOLATION", "WFH", "WFO"]
    back = RosterEntry.objects.get(employee=cast.pegawai, date=WEEK[3])
    assert (back.source, back.published) == ("solver", True)
    assert RosterHold.objects.filter(employee=cast.pegawai).count() == 1


def test_leave_stays_leave_and_a_day_without_plan_goes_back_to_no_entry(cast):
    plan_week(cast.pegawai, ["LEAVE", "WFO", "WFO", "WFO", "WFO"])
    RosterEntry.objects.filter(employee=cast.pegawai, date=WEEK[4]).delete()
    iso = Isolation.objects.create(
        agency=cast.agency,
        employee=cast.pegawai,
        starts_on=WEEK[0],
        ends_on=WEEK[-1],
        reason=Isolation.Reason.CONFIRMED,
    )
    refresh(cast, [cast.pegawai.pk])
    assert week(cast.pegawai) == ["LEAVE", "ISOLATION", "ISOLATION", "ISOLATION", "ISOLATION"]
    iso.cancelled = True
    iso.save()
    refresh(cast, [cast.pegawai.pk])
    assert week(cast.pegawai) == ["LEAVE", "WFO", "WFO", "WFO", ""]
    assert not RosterHold.objects.exists()


def test_a_closed_building_sends_its_staff_home_and_the_public_service_stays_if_asked(cast):
    staff = office_staff_ids(cast.office.pk)
    assert cast.kepala.pk in staff and cast.peer.pk not in staff
    clerk = EmployeeFactory(unit=cast.disdukcapil, office=cast.office)  # serves the public
    plan_week(clerk, ["WFO"] * 5)
    closure = Closure.objects.create(
        agency=cast.agency,
        office=cast.office,
        starts_on=WEEK[1],
        ends_on=WEEK[3],
        reason="22 pegawai positif",
        keep_public_service_open=True,
        closed_at=WEEK[1].isoformat() + "T00:00:00+07:00",
    )
    refresh(cast, office_staff_ids(cast.office.pk))
    assert week(clerk) == ["WFO"] * 5  # the counter stays open
    assert week(cast.kepala) == ["", "", "", "", ""]  # the head is in a public-service unit too

    closure.keep_public_service_open = False
    closure.save()
    refresh(cast, office_staff_ids(cast.office.pk))
    assert week(clerk) == ["WFO", "WFH", "WFH", "WFH", "WFO"]
    assert week(cast.kepala) == ["", "WFH", "WFH", "WFH", ""]

    # An isolation inside the closure wins; when the building reopens the plan is back.
    Isolation.objects.create(
        agency=cast.agency,
        employee=clerk,
        starts_on=WEEK[3],
        ends_on=WEEK[4],
        reason=Isolation.Reason.CONTACT,
    )
    refresh(cast, office_staff_ids(cast.office.pk))
    assert week(clerk) == ["WFO", "WFH", "WFH", "ISOLATION", "ISOLATION"]
    closure.ends_on = WEEK[1]
    closure.save()
    refresh(cast, office_staff_ids(cast.office.pk))
    assert week(clerk) == ["WFO", "WFH", "WFO", "ISOLATION", "ISOLATION"]
    assert week(cast.kepala) == ["", "WFH", "", "", ""]


def test_a_replan_keeps_the_closed_days_at_home(cast):
    """The planner takes held days as fixed: a replan under a circular in force does not bring
    the staff of a closed building back, and plans their other days as usual."""
    from darirumah.org.access import access_for
    from darirumah.policy.models import Circular
    from darirumah.policy.tests.factories import make_circular
    from darirumah.roster import services

    clerks = [EmployeeFactory(unit=cast.pelayanan, office=cast.office) for _ in range(4)]
    circular = make_circular(
        cast.agency,
        status=Circular.Status.ACTIVE,
        units=[cast.disdukcapil],
        starts_on=WEEK[0],
        ends_on=WEEK[-1],
    )
    Closure.objects.create(
        agency=cast.agency,
        office=cast.office,
        starts_on=WEEK[0],
        ends_on=WEEK[1],
        reason="disinfeksi",
        closed_at=WEEK[0].isoformat() + "T00:00:00+07:00",
    )
    refresh(cast, office_staff_ids(cast.office.pk))
    services.roster_plan(
        access=access_for(cast.kepala.user),
        circular=circular,
        start=WEEK[0],
        end=WEEK[-1],
        time_limit_s=2,
    )
    for clerk in clerks:
        days = week(clerk)
        assert days[:2] == ["WFH", "WFH"], days
        assert all(mode in ("WFO", "WFH", "WFA") for mode in days[2:]), days
    held = RosterEntry.objects.filter(employee__in=clerks, date__in=WEEK[:2])
    assert {e.source for e in held} == {"health"}
