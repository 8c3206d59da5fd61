"""One CP-SAT model for one part of the agency.

Hard (always kept): fixed entries, exempt units at the office, required placements, the
flexible-location limit per ISO week. Hard with a slack (kept unless impossible, and each broken
one is reported): every unit's minimum on site, every office's cap.

Soft, minimised as one weighted sum (the weights below, largest first):
- OVER_CAP, SLACK: a person over an office cap (twice as bad: a closed or capped building
  is a health rule) or missing from a unit minimum;
- FAIR (below FILL per day): per unit, the spread (max − min) of office days over its
  rotating members, scaled to the full period for people away part of it ("bergantian");
- PREVIOUS: a day changed from the published plan (a replan stays close to it);
- REQUEST × the request's weight: an approved wish not honoured;
- PREFERENCE: a day against HOME_PREFERRED / OFFICE_PREFERRED;
- FILL: a person-day at the office is rewarded, up to the cap (Problem.fill_to_cap), or
  else costs (nobody on site beyond the minimums);
- STREAK: each day past max_streak in a run of office days or of home days;
- SUPERVISOR (a reward): a day a supervisor and at least one of their team are both on site.
"""

from __future__ import annotations

from datetime import date

from ortools.sat.python import cp_model

from .baseline import greedy
from .index import Index
from .model import ABSENT, PLANNED, Mode

# Fairness is counted in tenths of a day (people away part of the period are scaled), so its
# weight is per tenth: a whole day of spread costs 10, less than the FILL reward of a person-day,
# so the solver never leaves a seat empty only to look fairer; among plans that fill the same
# seats it picks the fairest.
W_SLACK = 1_000_000  # a person short of a unit minimum
W_OVER_CAP = 2_000_000  # a person over an office cap: occupancy (health) beats service
W_PREVIOUS = 100
W_REQUEST = 40
W_PREFERENCE = 30
W_FILL = 20
W_FAIR_TENTH = 1
W_STREAK = 6
W_SUPERVISOR = 4


def solve_part(
    ix: Index, *, time_limit_s: float, workers: int
) -> tuple[dict[tuple[int, date], Mode], str]:
    """The best plan found for this part and its status: optimal, feasible or fallback."""
    from darirumah.policy.rules import Placement

    p = ix.problem
    hint = greedy(ix)
    # The starting point: the published plan where it still fits, else the greedy plan. Every
    # variable gets a hinted value (a complete hint is CP-SAT's first solution, so the answer is
    # never worse than the greedy plan).
    start = dict(hint)
    for prev in p.previous:
        key = (prev.employee_id, prev.day)
        if key in start and prev.employee_id in ix.emp and Mode(prev.mode) in PLANNED:
            e = ix.emp[prev.employee_id]
            if ix.forced(e, prev.day) is None and (
                prev.mode == Mode.WFH
                or (prev.mode == Mode.WFO and not ix.home_only(e))
                or (prev.mode == Mode.WFA and ix.may_flex(e))
            ):
                start[key] = Mode(prev.mode)
    hints: dict = {}

    def h(emp_id: int, d: date) -> int:
        return int(start.get((emp_id, d)) == Mode.WFO)

    m = cp_model.CpModel()
    office: dict[tuple[int, date], cp_model.IntVar] = {}
    flex: dict[tuple[int, date], cp_model.IntVar] = {}
    for e in ix.employees:
        for d in ix.days:
            if ix.forced(e, d) is not None:
                continue
            if not ix.home_only(e):
                office[(e.id, d)] = m.new_bool_var(f"o{e.id}_{d:%m%d}")
            if ix.may_flex(e):
                flex[(e.id, d)] = m.new_bool_var(f"a{e.id}_{d:%m%d}")
            if (e.id, d) in office and (e.id, d) in flex:
                m.add(office[(e.id, d)] + flex[(e.id, d)] <= 1)

    def wfo(emp_id: int, d: date):
        var = office.get((emp_id, d))
        if var is not None:
            return var
        return 1 if ix.forced(ix.emp[emp_id], d) == Mode.WFO else 0

    def wfa(emp_id: int, d: date):
        var = flex.get((emp_id, d))
        if var is not None:
            return var
        return 1 if ix.forced(ix.emp[emp_id], d) == Mode.WFA else 0

    def is_mode(emp_id: int, d: date, mode: Mode):
        forced = ix.forced(ix.emp[emp_id], d)
        if forced is not None:
            return int(forced == mode)
        if mode == Mode.WFO:
            return wfo(emp_id, d)
        if mode == Mode.WFA:
            return wfa(emp_id, d)
        if mode == Mode.WFH:
            return 1 - wfo(emp_id, d) - wfa(emp_id, d)
        return 0

    terms = []  # (weight, linear expression)

    # Flexible location: at most flexible_max_per_week per ISO week, fixed WFA days included.
    for e in ix.employees:
        if not ix.may_flex(e):
            continue
        for week_days in ix.weeks.values():
            free = [flex[(e.id, d)] for d in week_days if (e.id, d) in flex]
            fixed = sum(1 for d in week_days if ix.fixed.get((e.id, d)) == Mode.WFA)
            if free:
                m.add(sum(free) <= max(0, p.flexible_max_per_week - fixed))

    # Unit minimums and office caps, each with a heavily penalised slack.
    for unit in ix.unit.values():
        members = ix.counted(unit.id)
        if unit.min_on_site <= 0 or not members:
            continue
        for d in ix.days:
            expr = sum(wfo(e.id, d) for e in members)
            if isinstance(expr, int) and expr >= unit.min_on_site:
                continue
            slack = m.new_int_var(0, unit.min_on_site, f"short_u{unit.id}_{d:%m%d}")
            m.add(expr + slack >= unit.min_on_site)
            hints[slack] = max(0, unit.min_on_site - sum(h(e.id, d) for e in members))
            terms.append((W_SLACK, slack))
    for o in ix.office.values():
        staff = ix.by_office.get(o.id, [])
        if len(staff) <= o.cap:
            continue
        for d in ix.days:
            slack = m.new_int_var(0, len(staff), f"over_o{o.id}_{d:%m%d}")
            m.add(sum(wfo(e.id, d) for e in staff) - slack <= o.cap)
            hints[slack] = max(0, sum(h(e.id, d) for e in staff) - o.cap)
            terms.append((W_OVER_CAP, slack))

    # Fair rotation within each unit, scaled by the days each member is available.
    n_days = len(ix.days)
    for unit_id, members in ix.by_unit.items():
        rotating = [
            (e, ix.available_days(e))
            for e in members
            if ix.rotating(e) and any((e.id, d) in office for d in ix.days)
        ]
        rotating = [(e, a) for e, a in rotating if a > 0]
        if len(rotating) < 2:
            continue
        lo = m.new_int_var(0, 10 * n_days, f"lo_u{unit_id}")
        hi = m.new_int_var(0, 10 * n_days, f"hi_u{unit_id}")
        scaled = []
        for e, available in rotating:
            days_on = sum(wfo(e.id, d) for d in ix.days)
            m.add(days_on * 10 * n_days <= hi * available)
            m.add(days_on * 10 * n_days >= lo * available)
            scaled.append((sum(h(e.id, d) for d in ix.days) * 10 * n_days, available))
        hints[hi] = max(-(-x // a) for x, a in scaled)
        hints[lo] = min(x // a for x, a in scaled)
        terms.append((W_FAIR_TENTH, hi - lo))

    # Streaks of one kind (office, or home) longer than max_streak.
    window = p.max_streak + 1
    for e in ix.employees:
        if not ix.rotating(e) or window > n_days:
            continue
        for first in range(n_days - window + 1):
            days = ix.days[first : first + window]
            if not any((e.id, d) in office for d in days):
                continue
            if any(ix.fixed.get((e.id, d)) in ABSENT for d in days):
                continue
            on = sum(wfo(e.id, d) for d in days)
            hinted_on = sum(h(e.id, d) for d in days)
            for label, count, hinted in (
                ("s", on, hinted_on),
                ("h", window - on, window - hinted_on),
            ):
                excess = m.new_bool_var(f"{label}{e.id}_{first}")
                m.add(count - p.max_streak <= excess)
                hints[excess] = int(hinted > p.max_streak)
                terms.append((W_STREAK, excess))

    # Approved requests and the published plan.
    for r in p.requests:
        if (r.employee_id, r.day) in ix.fixed or r.employee_id not in ix.emp:
            continue
        if r.day in ix.day_set and Mode(r.mode) in PLANNED:
            terms.append((W_REQUEST * max(1, r.weight), 1 - is_mode(r.employee_id, r.day, r.mode)))
    for prev in p.previous:
        if prev.employee_id not in ix.emp or prev.day not in ix.day_set:
            continue
        if ix.forced(ix.emp[prev.employee_id], prev.day) is None and Mode(prev.mode) in PLANNED:
            terms.append((W_PREVIOUS, 1 - is_mode(prev.employee_id, prev.day, prev.mode)))

    # Placements that are only preferences, and filling the office up to its cap.
    for (emp_id, _d), var in office.items():
        placement = ix.emp[emp_id].placement
        if placement == Placement.HOME_PREFERRED:
            terms.append((W_PREFERENCE, var))
        elif placement == Placement.OFFICE_PREFERRED:
            terms.append((W_PREFERENCE, 1 - var))
        # Up to the cap, or (fill_to_cap=False) as few as the minimums need: fewer gatherings.
        terms.append((-W_FILL if p.fill_to_cap else W_FILL, var))

    # Supervisors share office days with their team.
    for sup, team in ix.team.items():
        for d in ix.days:
            sup_on = wfo(sup, d)
            team_on = sum(wfo(t, d) for t in team)
            if isinstance(sup_on, int) and sup_on == 0:
                continue
            if isinstance(team_on, int):
                continue  # nothing to decide: the reward is a constant
            together = m.new_bool_var(f"sup{sup}_{d:%m%d}")
            m.add(together <= sup_on)
            m.add(together <= team_on)
            hints[together] = int(h(sup, d) and any(h(t, d) for t in team))
            terms.append((-W_SUPERVISOR, together))

    m.minimize(sum(w * t for w, t in terms))

    for key, var in office.items():
        m.add_hint(var, start[key] == Mode.WFO)
    for key, var in flex.items():
        m.add_hint(var, start[key] == Mode.WFA)
    for var, value in hints.items():
        m.add_hint(var, value)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit_s)
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = p.seed
    status = solver.solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return hint, "fallback"
    plan: dict[tuple[int, date], Mode] = {}
    for e in ix.employees:
        for d in ix.days:
            forced = ix.forced(e, d)
            if forced is not None:
                plan[(e.id, d)] = forced
            elif (e.id, d) in office and solver.boolean_value(office[(e.id, d)]):
                plan[(e.id, d)] = Mode.WFO
            elif (e.id, d) in flex and solver.boolean_value(flex[(e.id, d)]):
                plan[(e.id, d)] = Mode.WFA
            else:
                plan[(e.id, d)] = Mode.WFH
    return plan, "optimal" if status == cp_model.OPTIMAL else "feasible"
