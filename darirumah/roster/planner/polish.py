"""The solver's part of stage two: a CP-SAT model of one squad, with its counts fixed.

The count of each (group, day) is exact, which keeps every cap and minimum the counts model
kept; inside it the model chooses the people: hard, fixed days, required placements, exempt
units and the flexible-location limit per ISO week; soft, as one weighted sum (below), the
published plan, approved requests, preferred placements, the spread of office days, streaks
longer than max_streak and supervisors on site with their team. It starts from the greedy
plan (assign.py) and an answer worse than that plan is not taken.
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import date

from ortools.sat.python import cp_model

from darirumah.policy.rules import Placement

from .assign import Unit, rotate, spread_of
from .model import ABSENT, Mode

W_PREVIOUS = 100
W_REQUEST = 40
W_PREFERENCE = 30
W_FAIR_TENTH = 3  # a whole day of spread costs 30: fairness comes before streaks and teams
W_STREAK = 6
W_SUPERVISOR = 2


class _Model:
    """The CP-SAT variables of one unit and their expressions."""

    def __init__(self, unit: Unit):
        self.unit = unit
        ix = unit.ix
        self.m = cp_model.CpModel()
        self.office: dict[tuple[int, date], cp_model.IntVar] = {}
        self.flex: dict[tuple[int, date], cp_model.IntVar] = {}
        for e in unit.staff:
            for d in ix.days:
                if ix.free(e, d):
                    self.office[(e.id, d)] = self.m.new_bool_var(f"o{e.id}_{d:%m%d}")
                if unit.flexible_wish(e, d):
                    self.flex[(e.id, d)] = self.m.new_bool_var(f"a{e.id}_{d:%m%d}")
                    if (e.id, d) in self.office:
                        self.m.add(self.office[(e.id, d)] + self.flex[(e.id, d)] <= 1)

    def wfo(self, e, d: date):
        var = self.office.get((e.id, d))
        if var is not None:
            return var
        return int(self.unit.ix.forced(e, d) == Mode.WFO)

    def days_on(self, e):
        return sum(self.wfo(e, d) for d in self.unit.ix.days)

    def exact_counts(self) -> None:
        ix = self.unit.ix
        for g, members in self.unit.groups.items():
            for d in ix.days:
                cells = [self.office[(e.id, d)] for e in members if (e.id, d) in self.office]
                if cells:
                    self.m.add(sum(cells) == self.unit.seats.get((g, d), 0))

    def flexible_limit(self) -> None:
        ix = self.unit.ix
        limit = ix.problem.flexible_max_per_week
        for e in self.unit.staff:
            for week_days in ix.weeks.values():
                chosen = [self.flex[(e.id, d)] for d in week_days if (e.id, d) in self.flex]
                if chosen:
                    fixed = sum(1 for d in week_days if ix.fixed.get((e.id, d)) == Mode.WFA)
                    self.m.add(sum(chosen) <= max(0, limit - fixed))

    def spread(self, rotating: list, name: str):
        """hi − lo of the members' office days, in tenths, scaled to the whole period."""
        ix = self.unit.ix
        n = len(ix.days)
        lo = self.m.new_int_var(0, 10 * n, f"lo{name}")
        hi = self.m.new_int_var(0, 10 * n, f"hi{name}")
        for e in rotating:
            available = ix.available_days(e)
            on = self.days_on(e)
            self.m.add(on * 10 * n <= hi * available)
            self.m.add(on * 10 * n >= lo * available)
        return lo, hi


def solve_unit(
    unit: Unit,
    *,
    time_limit_s: float,
    workers: int = 1,
    hint: dict | None = None,
    deadline: float | None = None,
) -> tuple[dict[tuple[int, date], Mode], str]:
    """The best choice of people for one unit within the time (building the model included
    when a `deadline`, a time.monotonic() value, is given), and the solver's status."""
    ix = unit.ix
    p = ix.problem
    hint = hint if hint is not None else rotate(unit)
    if not any(ix.free(e, d) for e in unit.staff for d in ix.days) and not any(
        unit.flexible_wish(e, d) for e in unit.staff for d in ix.days
    ):
        return hint, "optimal"  # nothing to decide
    model = _Model(unit)
    m = model.m
    model.exact_counts()
    model.flexible_limit()
    terms = []
    hints: dict = {}

    rotating = unit.rotating()
    if len(rotating) >= 2:
        lo, hi = model.spread(rotating, "")
        terms.append((W_FAIR_TENTH, hi - lo))
        n = len(ix.days)
        scaled = [
            (sum(hint[(e.id, d)] == Mode.WFO for d in ix.days) * 10 * n, ix.available_days(e))
            for e in rotating
        ]
        hints[hi] = max(-(-x // a) for x, a in scaled)
        hints[lo] = min(x // a for x, a in scaled)

    # Runs of office days or of home days longer than max_streak: one flag per window.
    window = p.max_streak + 1
    days = ix.days
    for e in rotating:
        for first in range(len(days) - window + 1):
            span = days[first : first + window]
            if not any((e.id, d) in model.office for d in span):
                continue
            if any(ix.fixed.get((e.id, d)) in ABSENT for d in span):
                continue
            on = sum(model.wfo(e, d) for d in span)
            hinted = sum(hint[(e.id, d)] == Mode.WFO for d in span)
            excess = m.new_bool_var(f"s{e.id}_{first}")
            m.add(on - p.max_streak <= excess)
            m.add(window - on - p.max_streak <= excess)
            hints[excess] = int(hinted > p.max_streak or window - hinted > p.max_streak)
            terms.append((W_STREAK, excess))

    def is_mode(e, d, mode):
        forced = ix.forced(e, d)
        if forced is not None:
            return int(forced == mode)
        on = model.wfo(e, d)
        flex = model.flex.get((e.id, d), 0)
        if mode == Mode.WFO:
            return on
        if mode == Mode.WFA:
            return flex
        return 1 - on - flex

    by_id = {e.id: e for e in unit.staff}
    for (emp_id, d), (mode, weight) in unit.asked.items():
        if ix.forced(by_id[emp_id], d) is None:
            terms.append((W_REQUEST * weight, 1 - is_mode(by_id[emp_id], d, mode)))
    for (emp_id, d), mode in unit.previous.items():
        if ix.forced(by_id[emp_id], d) is None:
            terms.append((W_PREVIOUS, 1 - is_mode(by_id[emp_id], d, mode)))
    for (emp_id, _d), var in model.office.items():
        placement = by_id[emp_id].placement
        if placement == Placement.HOME_PREFERRED:
            terms.append((W_PREFERENCE, var))
        elif placement == Placement.OFFICE_PREFERRED:
            terms.append((W_PREFERENCE, 1 - var))

    # A supervisor and at least one of their team on site together (teams inside the unit).
    team: dict[int, list] = defaultdict(list)
    for e in unit.staff:
        if e.supervisor_id in unit.ids:
            team[e.supervisor_id].append(e)
    for sup_id, members in team.items():
        sup = by_id[sup_id]
        for d in days:
            sup_on = model.wfo(sup, d)
            team_on = sum(model.wfo(t, d) for t in members)
            if isinstance(sup_on, int) and sup_on == 0 or isinstance(team_on, int):
                continue
            together = m.new_bool_var(f"t{sup_id}_{d:%m%d}")
            m.add(together <= sup_on)
            m.add(together <= team_on)
            hints[together] = int(
                hint[(sup_id, d)] == Mode.WFO and any(hint[(t.id, d)] == Mode.WFO for t in members)
            )
            terms.append((-W_SUPERVISOR, together))

    m.minimize(sum(w * t for w, t in terms))
    for (emp_id, d), var in model.office.items():
        m.add_hint(var, hint[(emp_id, d)] == Mode.WFO)
    for (emp_id, d), var in model.flex.items():
        m.add_hint(var, hint[(emp_id, d)] == Mode.WFA)
    for var, value in hints.items():
        m.add_hint(var, value)

    solver = cp_model.CpSolver()
    if deadline is not None:
        time_limit_s = min(time_limit_s, deadline - time.monotonic())
        if time_limit_s < 0.02:
            return hint, "fallback"  # no time left once the model is built
    solver.parameters.max_time_in_seconds = max(0.02, time_limit_s)
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = p.seed
    status = solver.solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return hint, "fallback"
    plan = {}
    for e in unit.staff:
        for d in days:
            key = (e.id, d)
            forced = ix.forced(e, d)
            if forced is not None:
                plan[key] = forced
            elif key in model.office and solver.boolean_value(model.office[key]):
                plan[key] = Mode.WFO
            elif key in model.flex and solver.boolean_value(model.flex[key]):
                plan[key] = Mode.WFA
            else:
                plan[key] = Mode.WFH
    if status != cp_model.OPTIMAL and score(unit, plan) > score(unit, hint):
        return hint, "feasible"  # stopped early on a plan worse than its starting point
    return plan, "optimal" if status == cp_model.OPTIMAL else "feasible"


def score(unit: Unit, plan: dict[tuple[int, date], Mode]) -> float:
    """The solver's objective for a plan, computed in Python (the same weights)."""
    ix = unit.ix
    total = W_FAIR_TENTH * 10 * spread_of(unit, plan)
    window = ix.problem.max_streak + 1
    days = ix.days
    for e in unit.rotating():
        for first in range(len(days) - window + 1):
            span = days[first : first + window]
            if any(ix.fixed.get((e.id, d)) in ABSENT for d in span):
                continue
            on = sum(plan[(e.id, d)] == Mode.WFO for d in span)
            if on == window or on == 0:
                total += W_STREAK
    for key, (mode, weight) in unit.asked.items():
        total += W_REQUEST * weight * (plan[key] != mode)
    for key, mode in unit.previous.items():
        total += W_PREVIOUS * (plan[key] != mode)
    for e in unit.staff:
        if e.placement in (Placement.HOME_PREFERRED, Placement.OFFICE_PREFERRED):
            want = Mode.WFO if e.placement == Placement.OFFICE_PREFERRED else None
            for d in days:
                if ix.free(e, d) and (plan[(e.id, d)] == Mode.WFO) != (want == Mode.WFO):
                    total += W_PREFERENCE
    team: dict[int, list[int]] = defaultdict(list)
    for e in unit.staff:
        if e.supervisor_id in unit.ids:
            team[e.supervisor_id].append(e.id)
    for sup, members in team.items():
        for d in days:
            if plan[(sup, d)] == Mode.WFO and any(plan[(t, d)] == Mode.WFO for t in members):
                total -= W_SUPERVISOR
    return total
