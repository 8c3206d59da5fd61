"""Planning from the database: the Serang situation, fixed days, an impossible minimum."""

from datetime import date

import pytest

from darirumah.core.errors import DomainError, NotAllowed
from darirumah.org.access import access_for
from darirumah.org.tests.factories import EmployeeFactory
from darirumah.policy.models import Circular
from darirumah.policy.tests.factories import make_circular
from darirumah.roster import services
from darirumah.roster.models import RosterEntry

pytestmark = pytest.mark.django_db
WEEK = (date(2020, 3, 23), date(2020, 3, 27))  # Mon–Fri; 25 March 2020 was Nyepi


def serang(cast, *, staff=10, minimum=3):
    for _ in range(staff - 4):  # the cast already has 4 in the Disdukcapil subtree
        EmployeeFactory(unit=cast.disdukcapil, office=cast.office)
    return make_circular(
        cast.agency,
        status=Circular.Status.ACTIVE,
        units=[cast.disdukcapil],
    ), minimum


def plan(cast, circular, user=None):
    return services.roster_plan(
        access=access_for(user or cast.kepala.user),
        circular=circular,
        start=WEEK[0],
        end=WEEK[1],
        time_limit_s=2,
    )


def test_disdukcapil_keeps_three_on_site_every_working_day(cast):
    circular, minimum = serang(cast)
    cast.disdukcapil.min_on_site = minimum
    cast.disdukcapil.save()
    result, units = plan(cast, circular)
    assert result.violations == []
    entries = RosterEntry.objects.filter(employee__unit__in=units)
    days = sorted({e.date for e in entries})
    assert date(2020, 3, 25) not in days  # Nyepi is not a working day
    assert len(days) == 4
    for day in days:
        assert entries.filter(date=day, mode="WFO").count() >= minimum
    assert all(not e.published and e.source == "solver" for e in entries)
    assert entries.first().rules_version == circular.versions.get()


def test_fixed_leave_is_kept(cast):
    circular, _ = serang(cast)
    services.roster_entry_set(
        access=access_for(cast.kepala.user),
        employee=cast.pegawai,
        day=date(2020, 3, 24),
        mode="LEAVE",
        reason="cuti tahunan",
    )
    plan(cast, circular)
    leave = RosterEntry.objects.get(employee=cast.pegawai, date=date(2020, 3, 24))
    assert (leave.mode, leave.source) == ("LEAVE", "manual")


def test_an_impossible_minimum_is_explained_and_the_plan_is_complete(cast):
    circular = make_circular(
        cast.agency,
        status=Circular.Status.ACTIVE,
        units=[cast.pelayanan],
        number="800/99/SE/2020",
    )
    version = circular.versions.get()
    version.rules = {**version.rules, "minimum_on_site": [{"unit": cast.pelayanan.pk, "count": 3}]}
    version.save()
    result, units = plan(cast, circular)
    assert result.violations
    message = result.violations[0].message
    assert "Bidang Pelayanan needs 3 on site" in message
    assert "only 2 staff are available" in message
    # Everyone still has a mode on every working day.
    assert RosterEntry.objects.filter(employee__unit__in=units).count() == 2 * 4


def test_only_in_force_circulars_are_planned(cast):
    draft = make_circular(cast.agency, units=[cast.disdukcapil])
    with pytest.raises(DomainError, match="in force"):
        plan(cast, draft)


def test_a_head_cannot_plan_units_outside_their_own(cast):
    circular = make_circular(cast.agency, status=Circular.Status.ACTIVE)  # whole agency
    with pytest.raises(NotAllowed):
        plan(cast, circular)
