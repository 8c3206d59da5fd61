"""From the database to the planner's plain data: the people, units, offices and fixed days a
circular covers over a date range."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q

from darirumah.core.calendar import calendar_for
from darirumah.org.criteria import person_criteria
from darirumah.org.models import Employee, Office, Unit
from darirumah.policy import rules as policy_rules
from darirumah.policy.models import Circular
from darirumah.policy.services import current_rules

from . import planner
from .models import FIXED_MODES, RosterEntry, RosterRequest

NO_OFFICE = 0  # staff without an office: never capped


def covered_units(circular: Circular, unit_ids: list[int] | None) -> list[Unit]:
    """The active units a circular covers, narrowed to the subtrees of `unit_ids` if given."""
    units = list(Unit.objects.filter(agency_id=circular.agency_id, is_active=True))
    scope = policy_rules.covered_units(
        [policy_rules.ScopeUnit(u.pk, u.path, u.office_id) for u in units],
        [u.path for u in circular.units.all()],
        set(circular.offices.values_list("pk", flat=True)),
    )
    chosen = [u for u in units if u.pk in scope]
    if unit_ids:
        paths = [u.path for u in units if u.pk in unit_ids]
        chosen = [u for u in chosen if any(u.path.startswith(p) for p in paths)]
    return chosen


def working_days(circular: Circular, start: date, end: date) -> list[date]:
    first = max(start, circular.starts_on)
    last = min(end, circular.ends_on) if circular.ends_on else end
    return calendar_for(circular.agency, years=range(first.year, last.year + 1)).working_days(
        first, last
    )


def placement_of(
    employee: Employee, ruleset: policy_rules.RuleSet, on: date
) -> tuple[policy_rules.Placement | None, frozenset[str]]:
    """The employee's placement under the rule set on a day, and the criteria flags that decided
    it (for the grid to show why). The flags may include health data: show them only to those
    who may see it (Access.sees_health_flags)."""
    return policy_rules.person_placement(
        person_criteria(employee), on=on, criteria=ruleset.criteria, over_age=ruleset.over_age
    )


def build(
    circular: Circular, units: list[Unit], days: list[date], *, time_limit_s: float = 5.0
) -> planner.Problem:
    ruleset = current_rules(circular)
    agency = circular.agency
    staff = list(Employee.objects.filter(unit__in=units, is_active=True).select_related("unit"))
    by_unit: dict[int, int] = {}
    for person in staff:
        by_unit[person.unit_id] = by_unit.get(person.unit_id, 0) + 1
    unit_rows = []
    for unit in units:
        # A unit's minimum counts its sub-units' staff too (Disdukcapil and its bidang).
        covers = tuple(u.pk for u in units if u.pk != unit.pk and u.path.startswith(unit.path))
        subtree = by_unit.get(unit.pk, 0) + sum(by_unit.get(pk, 0) for pk in covers)
        minimum = ruleset.minimum_for(unit=unit.pk, staff=subtree)
        if not minimum and unit.serves_public:
            minimum = unit.min_on_site
        unit_rows.append(
            planner.Unit(
                id=unit.pk,
                name=unit.name,
                kind=unit.kind,
                exempt=policy_rules.is_exempt(unit.kind, ruleset.exempt_unit_kinds),
                min_on_site=minimum,
                covers=covers if minimum else (),
            )
        )
    today = calendar_for(agency).today()
    flexible = ruleset.flexible
    # The SE 58/2020 criteria hold for the whole run as they stand on its first day (the
    # planner takes one placement per person): a travel or contact date that has lapsed by then
    # counts no more, one that still holds keeps the person home for the run.
    first_day = days[0] if days else today
    people = [
        planner.Employee(
            id=p.pk,
            unit_id=p.unit_id,
            office_id=p.office_id or NO_OFFICE,
            room_id=p.room_id,
            supervisor_id=p.supervisor_id,
            placement=placement_of(p, ruleset, first_day)[0],
            flexible_ok=flexible.enabled
            and policy_rules.flexible_ineligibility(
                under_sanction=False,
                placed_on=p.placed_on,
                today=today,
                new_placement_months=flexible.new_placement_months,
            )
            is None,
        )
        for p in staff
    ]
    office_ids = {p.office_id for p in people}
    offices = []
    # The cap is a share of everyone who works in the building, planned here or not.
    buildings = Office.objects.filter(pk__in=office_ids - {NO_OFFICE}).annotate(
        total=Count("employees", filter=Q(employees__is_active=True))
    )
    for office in buildings:
        cap = ruleset.cap_for(
            office=office.pk, risk_zone=agency.risk_zone, ppkm_level=agency.ppkm_level
        )
        offices.append(
            planner.Office(office.pk, office.name, policy_rules.cap_count(office.total, cap.share))
        )
    if NO_OFFICE in office_ids:
        offices.append(planner.Office(NO_OFFICE, "—", len(people)))
    entries = RosterEntry.objects.filter(employee__in=staff, date__in=days)

    # Leave, duty and isolation are fixed; so is every day a health measure holds (the staff of
    # a closed office are at home on its days, whatever the plan wanted).
    def is_fixed(e: RosterEntry) -> bool:
        return e.mode in FIXED_MODES or e.source == RosterEntry.Source.HEALTH

    fixed = [
        planner.Fixed(e.employee_id, e.date, planner.Mode(e.mode)) for e in entries if is_fixed(e)
    ]
    previous = [
        planner.Previous(e.employee_id, e.date, planner.Mode(e.mode))
        for e in entries
        if e.published and not is_fixed(e)
    ]
    requests = [
        planner.Request(r.employee_id, r.date, planner.Mode(r.mode))
        for r in RosterRequest.objects.filter(
            employee__in=staff, date__in=days, status=RosterRequest.Status.APPROVED
        )
    ]
    return planner.Problem(
        days=days,
        employees=people,
        units=unit_rows,
        offices=offices,
        fixed=fixed,
        requests=requests,
        previous=previous,
        flexible_max_per_week=flexible.max_days_per_week if flexible.enabled else 0,
        time_limit_s=time_limit_s,
    )
