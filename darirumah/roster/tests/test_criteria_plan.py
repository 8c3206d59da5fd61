"""The SE MenPANRB 58/2020 criteria stored on the employee reach the planner: a pregnant employee
stays home even when her counter is short, a top official is at the office, someone over 50 is
mostly at home when there is room."""

from datetime import date

import pytest

from darirumah.org.access import access_for
from darirumah.org.rules import format_nip
from darirumah.org.tests.factories import EmployeeFactory
from darirumah.policy import rules as policy_rules
from darirumah.policy.models import Circular
from darirumah.policy.services import current_rules
from darirumah.policy.tests.factories import make_circular
from darirumah.roster import problem, services
from darirumah.roster.models import RosterEntry

pytestmark = pytest.mark.django_db
WEEK = (date(2020, 3, 23), date(2020, 3, 27))  # Mon–Fri; 25 March 2020 was Nyepi: 4 working days


def person(unit, birth: date, sex: str, seq: int, **criteria):
    return EmployeeFactory(
        unit=unit, nip=format_nip(birth, birth.year + 24, 3, sex, seq), **criteria
    )


def plan(cast, units=None):
    circular = make_circular(
        cast.agency, status=Circular.Status.ACTIVE, units=units or [cast.disdukcapil]
    )
    services.roster_plan(
        access=access_for(cast.kepala.user),
        circular=circular,
        start=WEEK[0],
        end=WEEK[1],
        time_limit_s=2,
    )
    return circular


def modes(employee) -> list[str]:
    return list(
        RosterEntry.objects.filter(employee=employee)
        .order_by("date")
        .values_list("mode", flat=True)
    )


def test_a_pregnant_employee_is_never_planned_at_the_office(cast):
    # Disdukcapil keeps 3 on site (cast: serves the public, minimum 3, counting its bidang):
    # she stays home every day whoever else has to come.
    pregnant = person(cast.disdukcapil, date(1990, 5, 5), "P", 801, pregnant=True)
    person(cast.disdukcapil, date(1992, 6, 6), "L", 802)
    plan(cast)
    assert modes(pregnant) == ["WFH"] * 4
    on_site = RosterEntry.objects.filter(
        employee__unit__path__startswith=cast.disdukcapil.path, mode="WFO"
    )
    assert all(on_site.filter(date=d).count() >= 3 for d in {e.date for e in on_site})


def test_a_top_official_is_always_at_the_office(cast):
    # A red zone caps the building at 25%: 9 people in it, 2 on site a day. Eight rotate
    # through the one seat left; the top official keeps the other every day.
    cast.agency.risk_zone = "high"
    cast.agency.save()
    staff = [
        person(cast.pelayanan, date(1980 + i, 2, 2), "L", 810 + i, office=cast.office)
        for i in range(8)
    ]
    chief = staff[0]
    chief.top_official = True
    chief.save()
    plan(cast, units=[cast.pelayanan])
    assert modes(chief) == ["WFO"] * 4
    others = RosterEntry.objects.filter(employee__in=staff[1:], mode="WFO")
    assert all(others.filter(date=d).count() <= 1 for d in {e.date for e in others})


def test_someone_over_50_is_mostly_at_home_when_there_is_room(cast):
    # 55 in March 2020, in a division with no minimum on site and an uncapped office.
    senior = person(cast.pelayanan, date(1965, 1, 10), "L", 803)
    plan(cast, units=[cast.pelayanan])  # Disdukcapil's own minimum counts its bidang too
    planned = modes(senior)
    assert len(planned) == 4
    assert planned.count("WFH") >= 3


def test_travel_and_contact_hold_until_their_date_then_lapse(cast):
    circular = make_circular(cast.agency, status=Circular.Status.ACTIVE, units=[cast.disdukcapil])
    ruleset = current_rules(circular)
    first = WEEK[0]
    travelled = person(cast.pelayanan, date(1990, 1, 2), "L", 804, recent_travel_until=first)
    lapsed = person(
        cast.pelayanan, date(1990, 1, 3), "L", 805, recent_contact_until=date(2020, 3, 22)
    )
    young = person(cast.pelayanan, date(1990, 1, 4), "L", 806)
    assert problem.placement_of(travelled, ruleset, first) == (
        policy_rules.Placement.HOME_REQUIRED,
        frozenset({"recent_travel"}),
    )
    assert problem.placement_of(lapsed, ruleset, first) == (None, frozenset())
    units = problem.covered_units(circular, None)
    built = problem.build(circular, units, problem.working_days(circular, *WEEK))
    placements = {e.id: e.placement for e in built.employees}
    assert placements[travelled.pk] == policy_rules.Placement.HOME_REQUIRED
    assert placements[lapsed.pk] is None and placements[young.pk] is None


def test_the_circulars_own_criteria_and_age_limit_are_used(cast):
    circular = make_circular(cast.agency, status=Circular.Status.ACTIVE, units=[cast.disdukcapil])
    version = circular.versions.get()
    version.rules = {
        **version.rules,
        "over_age": 60,
        "criteria": {**version.rules["criteria"], "comorbidity": "home_required"},
    }
    version.save()
    ruleset = current_rules(circular)
    senior = person(cast.pelayanan, date(1965, 1, 10), "L", 807)  # 55: not over 60
    ill = person(cast.pelayanan, date(1990, 1, 5), "L", 808, comorbidity=True)
    assert problem.placement_of(senior, ruleset, WEEK[0])[0] is None
    assert problem.placement_of(ill, ruleset, WEEK[0])[0] == policy_rules.Placement.HOME_REQUIRED
