"""The current roster of a unit checked against the circular in force (reads only).

The grid page and the manual-change endpoint ask here which rules the entries as they stand break:
the planner's own checker (planner.check.violations) judges them, over a Problem that
roster.problem builds for the circular in force. The check covers the unit's subtree plus the
other covered units housed in the same offices, so an office cap counts everyone in the building.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from darirumah.core.calendar import calendar_for
from darirumah.org.access import Access
from darirumah.org.models import Employee, Unit
from darirumah.policy.models import Circular

from . import planner, problem
from .models import FIXED_MODES, Mode, RosterEntry
from .planner.check import violations as check_violations
from .planner.index import Index, week_of


@dataclass
class DayCount:
    """On site on one day: the whole subtree, each unit with a minimum against it (its own staff,
    as the planner counts it), each office against its cap (everyone planned in the building)."""

    day: date
    on_site: int = 0
    unplanned: int = 0
    units: dict[int, UnitCount] = field(default_factory=dict)  # by unit id
    offices: dict[int, OfficeCount] = field(default_factory=dict)  # by office id

    @property
    def short(self) -> bool:
        return any(u.short for u in self.units.values())

    @property
    def broken(self) -> bool:
        return self.short or any(o.over for o in self.offices.values())


@dataclass
class UnitCount:
    unit_id: int
    name: str
    on_site: int
    minimum: int
    short: bool


@dataclass
class OfficeCount:
    office_id: int
    name: str
    on_site: int
    cap: int
    over: bool


@dataclass
class Fairness:
    office_days: int
    available_days: int


@dataclass
class RosterCheck:
    unit: Unit
    days: list[date]
    circular: Circular | None
    employees: list[Employee]  # the rows: the active staff of the subtree the caller may see
    entries: dict[tuple[int, date], RosterEntry]
    by_cell: dict[tuple[int, date], list[planner.Violation]]
    by_day: dict[date, list[planner.Violation]]
    counts: dict[date, DayCount]
    fairness: dict[int, Fairness]
    unplanned: set[tuple[int, date]]
    # The units with a minimum and the capped offices, by name, for the footer rows.
    minimum_units: list[tuple[int, str]] = field(default_factory=list)
    offices: list[tuple[int, str]] = field(default_factory=list)

    @property
    def violations(self) -> list[planner.Violation]:
        """Every broken rule, the day's rules first, in day order."""
        found = [v for day in self.days for v in self.by_day.get(day, [])]
        found += [v for key in sorted(self.by_cell) for v in self.by_cell[key]]
        return found

    def for_day(self, day: date, employee_id: int | None = None) -> list[planner.Violation]:
        """The day's rules, and the person's own rules that day (all people when None)."""
        found = list(self.by_day.get(day, []))
        for (emp, d), items in sorted(self.by_cell.items()):
            if d == day and (employee_id is None or emp == employee_id):
                found += items
        return found


def circular_in_force(unit: Unit, start: date, end: date) -> Circular | None:
    """The circular in force covering the unit for most of the days from start to end."""
    best, best_days = None, 0
    candidates = Circular.objects.filter(
        agency_id=unit.agency_id, status__in=Circular.IN_FORCE, starts_on__lte=end
    ).select_related("agency")
    for circular in candidates:
        if circular.ends_on is not None and circular.ends_on < start:
            continue
        if not any(u.pk == unit.pk for u in problem.covered_units(circular, [unit.pk])):
            continue
        days = len(problem.working_days(circular, start, end))
        if days > best_days:
            best, best_days = circular, days
    return best


def _subtree(unit: Unit) -> list[Unit]:
    return list(Unit.objects.filter(agency_id=unit.agency_id, path__startswith=unit.path))


def roster_check(
    *,
    access: Access,
    unit: Unit,
    start: date,
    end: date,
    circular: Circular | None = None,
) -> RosterCheck:
    """Check the unit subtree's roster from start to end as it stands in the database.

    The caller has already decided the unit is theirs to see. Rows, cells and the people's own
    broken rules are those of the staff the caller may see (a supervisor: their team); the day's
    counts and the unit and office rules count everyone."""
    agency = unit.agency
    days = calendar_for(agency, years=range(start.year, end.year + 1)).working_days(start, end)
    if circular is None:
        circular = circular_in_force(unit, start, end)
    subtree = _subtree(unit)
    subtree_ids = {u.pk for u in subtree}
    staff = list(
        Employee.objects.filter(unit_id__in=subtree_ids, is_active=True)
        .select_related("unit")
        .order_by("unit__path", "name")
    )
    visible = set(access.employees().filter(unit_id__in=subtree_ids).values_list("pk", flat=True))
    rows = [e for e in staff if e.pk in visible]
    prob = None
    if circular is not None:
        rule_days = problem.working_days(circular, start, end)
        covered = problem.covered_units(circular, None)
        mine = [u for u in covered if u.pk in subtree_ids]
        if rule_days and mine:
            # Building-mates in other covered units count towards the same office caps.
            offices = {e.office_id for e in staff if e.unit_id in {u.pk for u in mine}}
            mates = set(
                Employee.objects.filter(
                    office_id__in=offices - {None},
                    unit__in=[u for u in covered if u.pk not in subtree_ids],
                    is_active=True,
                ).values_list("unit_id", flat=True)
            )
            units = mine + [u for u in covered if u.pk in mates]
            prob = problem.build(circular, units, rule_days)
    staff_ids = {e.pk for e in staff} | ({e.id for e in prob.employees} if prob else set())
    entries = {
        (e.employee_id, e.date): e
        for e in RosterEntry.objects.filter(employee_id__in=staff_ids, date__in=days)
    }
    result = RosterCheck(
        unit=unit,
        days=days,
        circular=circular if prob is not None else None,
        employees=rows,
        entries=entries,
        by_cell={},
        by_day={},
        counts={d: DayCount(d) for d in days},
        fairness={},
        unplanned={(e.pk, d) for e in rows for d in days if (e.pk, d) not in entries},
    )
    for e in rows:
        available = [d for d in days if _mode(entries, e.pk, d) not in FIXED_MODES]
        result.fairness[e.pk] = Fairness(
            office_days=sum(1 for d in available if _mode(entries, e.pk, d) == Mode.WFO),
            available_days=len(available),
        )
    for e in staff:
        for d in days:
            mode = _mode(entries, e.pk, d)
            count = result.counts[d]
            count.on_site += int(mode == Mode.WFO)
            count.unplanned += int(mode is None)
    if prob is not None:
        _judge(result, prob, subtree_ids, staff)
    return result


def _mode(entries, employee_id: int, day: date) -> str | None:
    entry = entries.get((employee_id, day))
    return entry.mode if entry is not None else None


def _judge(
    result: RosterCheck, prob: planner.Problem, subtree_ids: set[int], staff: list[Employee]
) -> None:
    ix = Index(prob)
    plan = {
        key: planner.Mode(entry.mode)
        for key, entry in result.entries.items()
        if key[0] in ix.emp and key[1] in ix.day_set
    }
    names = {e.pk: e.name for e in result.employees}
    rows = set(names)
    mine_units = {u.id for u in prob.units if u.id in subtree_ids}
    mine_offices = {ix.emp[e.pk].office_id for e in staff if e.pk in ix.emp} - {problem.NO_OFFICE}
    short: set[tuple[int, date]] = set()
    for v in check_violations(ix, plan):
        if v.rule == "complete":
            continue  # an unplanned day is reported as such, not as a broken rule
        if v.employee_id is not None:
            if v.employee_id not in rows:
                continue
            v = replace(v, message=_person_message(v, names[v.employee_id], plan))
            cells = [(v.employee_id, v.day)]
            if v.rule == "flexible" and v.needed != 1:  # the week's limit: each flexible day
                week = week_of(v.day)
                cells = [
                    (v.employee_id, d)
                    for d in ix.weeks[week]
                    if plan.get((v.employee_id, d)) == planner.Mode.WFA
                ]
            for cell in cells:
                result.by_cell.setdefault(cell, []).append(v)
        elif v.unit_id is not None and v.unit_id in mine_units:
            available = ix.available_on_site(v.unit_id, v.day)
            v = replace(v, message=_unit_message(v, ix.unit[v.unit_id].name, available))
            result.by_day.setdefault(v.day, []).append(v)
            short.add((v.unit_id, v.day))
        elif v.office_id is not None and v.office_id in mine_offices:
            v = replace(v, message=_office_message(v, ix.office[v.office_id].name))
            result.by_day.setdefault(v.day, []).append(v)
    # The day's numbers: each unit's own staff against its minimum, each office against its cap.
    by_unit: dict[tuple[int, date], int] = defaultdict(int)
    by_office: dict[tuple[int, date], int] = defaultdict(int)
    for (emp, d), mode in plan.items():
        if mode == planner.Mode.WFO:
            by_unit[ix.emp[emp].unit_id, d] += 1
            by_office[ix.emp[emp].office_id, d] += 1
    units = sorted(
        (u for u in prob.units if u.id in mine_units and u.min_on_site > 0), key=lambda u: u.name
    )
    offices = sorted((ix.office[o] for o in mine_offices if o in ix.office), key=lambda o: o.name)
    for d in ix.days:
        count = result.counts[d]
        count.units = {
            u.id: UnitCount(u.id, u.name, by_unit[u.id, d], u.min_on_site, (u.id, d) in short)
            for u in units
        }
        count.offices = {
            o.id: OfficeCount(o.id, o.name, by_office[o.id, d], o.cap, by_office[o.id, d] > o.cap)
            for o in offices
        }
    result.minimum_units = [(u.id, u.name) for u in units]
    result.offices = [(o.id, o.name) for o in offices]


def _unit_message(v: planner.Violation, name: str, available: int) -> str:
    """The planner speaks of a plan; the grid speaks of the roster as it stands."""
    values = {"name": name, "needed": v.needed, "day": date_format(v.day), "got": v.got}
    if available < v.needed:
        return _(
            "%(name)s needs %(needed)d on site on %(day)s; only %(available)d of its staff can "
            "be there."
        ) % {**values, "available": available}
    return _("%(name)s needs %(needed)d on site on %(day)s; the roster has %(got)d there.") % values


def _office_message(v: planner.Violation, name: str) -> str:
    return _("%(name)s allows %(cap)d on site on %(day)s; the roster has %(got)d there.") % {
        "name": name,
        "cap": v.needed,
        "day": date_format(v.day),
        "got": v.got,
    }


def _person_message(v: planner.Violation, name: str, plan) -> str:
    """The planner names people by id; the grid names them."""
    day = date_format(v.day)
    mode = plan.get((v.employee_id, v.day))
    values = {"name": name, "day": day, "mode": str(mode or "")}  # WFH, WFA: the codes staff use
    if v.rule == "exempt":
        template = _(
            "%(name)s works in a unit that stays at the office, but is set to %(mode)s on %(day)s."
        )
        return template % values
    if v.rule == "placement" and mode == planner.Mode.WFO:
        return _("%(name)s must work from home but is planned at the office on %(day)s.") % values
    if v.rule == "placement":
        return _("%(name)s must be at the office on %(day)s but is set to %(mode)s.") % values
    if v.rule == "flexible" and v.needed != 1:
        return _(
            "%(name)s has %(got)d flexible-location days in the week of %(day)s; at most "
            "%(limit)d are allowed."
        ) % {**values, "got": v.got, "limit": v.needed}
    if v.rule == "flexible":
        return _("%(name)s may not take a flexible-location day (%(day)s).") % values
    return v.message


def day_violations(*, access: Access, employee: Employee, day: date) -> list[planner.Violation]:
    """The rules that hold broken on a day after a change to one person's entry: the day's unit
    and office rules and the person's own (the week around the day, for the weekly limits)."""
    monday = day.fromordinal(day.toordinal() - day.weekday())
    sunday = day.fromordinal(monday.toordinal() + 6)
    check = roster_check(access=access, unit=employee.unit, start=monday, end=sunday)
    found = list(check.by_day.get(day, []))
    found += check.by_cell.get((employee.pk, day), [])
    return found
