"""What every planner and the checker need to know about a problem, computed once."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from darirumah.policy.rules import Placement

from .model import ABSENT, Employee, Mode, Problem


def week_of(day: date) -> tuple[int, int]:
    iso = day.isocalendar()
    return iso[0], iso[1]


class Index:
    """Lookups over one problem (or one part of it)."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self.days = list(problem.days)
        self.day_set = set(self.days)
        self.employees = list(problem.employees)
        self.emp = {e.id: e for e in self.employees}
        self.unit = {u.id: u for u in problem.units}
        self.office = {o.id: o for o in problem.offices}
        self.fixed: dict[tuple[int, date], Mode] = {
            (f.employee_id, f.day): Mode(f.mode)
            for f in problem.fixed
            if f.employee_id in self.emp and f.day in self.day_set
        }
        self.by_unit: dict[int, list[Employee]] = defaultdict(list)
        self.by_office: dict[int, list[Employee]] = defaultdict(list)
        self.team: dict[int, list[int]] = defaultdict(list)
        for e in self.employees:
            self.by_unit[e.unit_id].append(e)
            self.by_office[e.office_id].append(e)
            if e.supervisor_id is not None and e.supervisor_id in self.emp:
                self.team[e.supervisor_id].append(e.id)
        self.weeks: dict[tuple[int, int], list[date]] = defaultdict(list)
        for d in self.days:
            self.weeks[week_of(d)].append(d)
        # Each person's forced mode per day (None where the planner chooses), and whether the
        # planner may put them on site that day: computed once, read millions of times.
        self.day_index = {d: i for i, d in enumerate(self.days)}
        by_person: dict[int, list[tuple[int, Mode]]] = defaultdict(list)
        for (emp_id, d), mode in self.fixed.items():
            by_person[emp_id].append((self.day_index[d], mode))
        self.forced_row: dict[int, list[Mode | None]] = {}
        self.free_row: dict[int, list[bool]] = {}
        self._available: dict[int, int] = {}
        n = len(self.days)
        for e in self.employees:
            row = [self._base_forced(e)] * n
            for i, mode in by_person.get(e.id, ()):
                row[i] = mode
            self.forced_row[e.id] = row
            home = self.home_only(e)
            self.free_row[e.id] = [m is None and not home for m in row]
            self._available[e.id] = sum(1 for m in row if m not in ABSENT)

    # --- what a cell must be -----------------------------------------------------------------

    def exempt(self, e: Employee) -> bool:
        unit = self.unit.get(e.unit_id)
        return bool(unit and unit.exempt)

    def home_only(self, e: Employee) -> bool:
        # Health comes first: a person who must stay home does, even in an exempt unit.
        return e.placement == Placement.HOME_REQUIRED

    def forced(self, e: Employee, d: date) -> Mode | None:
        """The mode a cell must have, or None when the planner chooses."""
        return self.forced_row[e.id][self.day_index[d]]

    def free(self, e: Employee, d: date) -> bool:
        """Whether the planner decides this cell and may put the person on site."""
        return self.free_row[e.id][self.day_index[d]]

    def _base_forced(self, e: Employee) -> Mode | None:
        """The mode on a day without a fixed entry."""
        if self.home_only(e):
            return None if self.may_flex(e) else Mode.WFH
        if self.exempt(e) or e.placement == Placement.OFFICE_REQUIRED:
            return Mode.WFO
        return None

    def may_flex(self, e: Employee) -> bool:
        return e.flexible_ok and self.problem.flexible_max_per_week > 0

    def may_be_on_site(self, e: Employee, d: date) -> bool:
        forced = self.forced(e, d)
        if forced is not None:
            return forced == Mode.WFO
        return not self.home_only(e)

    def rotating(self, e: Employee) -> bool:
        """Whether the person takes part in the unit's rotation (bergantian): not in an exempt
        unit and without a placement (a preferred placement deliberately sets them apart)."""
        return e.placement is None and not (
            self.exempt(e) or e.placement in (Placement.HOME_REQUIRED, Placement.OFFICE_REQUIRED)
        )

    def available_days(self, e: Employee) -> int:
        """Days the person could be at the office (not on leave, duty or isolation)."""
        return self._available[e.id]

    def counted(self, unit_id: int) -> list[Employee]:
        """Who counts towards the unit's minimum on site: its staff and its covered sub-units'."""
        unit = self.unit.get(unit_id)
        found = list(self.by_unit.get(unit_id, []))
        for sub in unit.covers if unit else ():
            if sub != unit_id:
                found.extend(self.by_unit.get(sub, []))
        return found

    def available_on_site(self, unit_id: int, d: date) -> int:
        return sum(1 for e in self.counted(unit_id) if self.may_be_on_site(e, d))

    def forced_on_site(self, office_id: int, d: date) -> int:
        return sum(1 for e in self.by_office[office_id] if self.forced(e, d) == Mode.WFO)
