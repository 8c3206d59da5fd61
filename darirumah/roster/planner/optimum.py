"""The yardstick for fairness: the best spread a unit could have, proven, with the same counts.

Given the number of the unit's free staff on site each day in each office (as a plan gives it),
the smallest possible spread of office days between its rotating members (each scaled to the
whole period, as `check.fairness` measures it) is found exactly, not estimated:

- for bounds L ≤ H, whether every rotating member can land between them is a flow problem:
  each person sends between ceil(L·a/n) and floor(H·a/n) office days (a = their available
  days, n = the period, less the office days already fixed) into the days they are free, and
  each (office, day) takes exactly its count; other free staff take anything from 0 to their
  free days. A feasible flow with lower bounds is a max flow (OR-Tools' SimpleMaxFlow) on the
  usual transformed network;
- the spread is some H − L with L and H among the values a person can reach (k·n/a), and for a
  larger L the smallest feasible H is never smaller, so one sweep over the sorted values with two
  pointers finds the optimum with at most twice as many flows as values.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date
from fractions import Fraction

from ortools.graph.python import max_flow

from .index import Index
from .model import Mode


def unit_spread(ix: Index, unit_id: int, plan: dict[tuple[int, date], Mode]) -> tuple[float, float]:
    """(the plan's spread of office days in the unit, the proven smallest possible spread with
    the plan's daily counts), both in days scaled to the whole period."""
    return best_spread(ix, ix.by_unit[unit_id], plan)


def best_spread(ix: Index, staff: list, plan: dict[tuple[int, date], Mode]) -> tuple[float, float]:
    """The same for any set of people of one unit (a squad)."""
    seats: dict[tuple[int, date], int] = defaultdict(int)
    for e in staff:
        for d in ix.days:
            if ix.free(e, d) and plan[(e.id, d)] == Mode.WFO:
                seats[(e.office_id, d)] += 1
    search = _Search(ix, staff, seats)
    if len(search.rotating) < 2:
        return 0.0, 0.0
    n = len(ix.days)
    scores = [
        Fraction(sum(plan[(e.id, d)] == Mode.WFO for d in ix.days) * n, ix.available_days(e))
        for e in search.rotating
    ]
    spread = max(scores) - min(scores)
    best, _totals = search.optimum(spread)
    return float(spread), float(min(best, spread))


def fair_totals(ix: Index, staff: list, seats: dict[tuple[int, date], int]) -> dict[int, int]:
    """Office days per person (free days only) that reach the smallest possible spread with
    these counts per (office, day), from the flow that proves it; {} if there is nothing to
    balance."""
    search = _Search(ix, staff, seats)
    if len(search.rotating) < 2:
        return {}
    _best, totals = search.optimum(None)
    return totals


class _Search:
    def __init__(self, ix: Index, staff: list, seats: dict[tuple[int, date], int]):
        self.ix, self.staff, self.seats = ix, staff, seats
        self.n = len(ix.days)
        self.rotating = [
            e
            for e in staff
            if ix.rotating(e) and ix.available_days(e) > 0 and any(ix.free(e, d) for d in ix.days)
        ]
        self.rotating_ids = {e.id for e in self.rotating}
        self.fixed_on = {
            e.id: sum(1 for d in ix.days if not ix.free(e, d) and ix.forced(e, d) == Mode.WFO)
            for e in staff
        }
        self.free_days = {e.id: [d for d in ix.days if ix.free(e, d)] for e in staff}
        self.values = sorted(
            {
                Fraction(k * self.n, ix.available_days(e))
                for e in self.rotating
                for k in range(
                    self.fixed_on[e.id], self.fixed_on[e.id] + len(self.free_days[e.id]) + 1
                )
            }
        )

    def bounds(self, low: Fraction, high: Fraction) -> dict[int, tuple[int, int]] | None:
        found = {}
        for e in self.staff:
            top = len(self.free_days[e.id])
            if e.id in self.rotating_ids:
                a = self.ix.available_days(e)
                lo = max(0, math.ceil(low * a / self.n) - self.fixed_on[e.id])
                hi = min(top, math.floor(high * a / self.n) - self.fixed_on[e.id])
                if lo > hi:
                    return None
                found[e.id] = (lo, hi)
            elif top:
                found[e.id] = (0, top)
        return found

    def totals(self, low: Fraction, high: Fraction) -> dict[int, int] | None:
        bounds = self.bounds(low, high)
        if bounds is None:
            return None
        return _flow(self.staff, self.free_days, bounds, self.seats)

    def optimum(self, known: Fraction | None) -> tuple[Fraction, dict[int, int]]:
        """The smallest H − L with a feasible flow (below `known`, a spread already reached,
        if given) and the totals of that flow."""
        values = self.values
        best = known if known is not None else values[-1] - values[0] + 1
        best_totals: dict[int, int] = {}
        j = 0
        for i, low in enumerate(values):
            j = max(j, i)
            while j < len(values) and values[j] - low < best:
                totals = self.totals(low, values[j])
                if totals is not None:
                    best, best_totals = values[j] - low, totals
                    break
                j += 1
            if j == len(values):
                break
        return best, best_totals


def _flow(staff, free_days, bounds, seats) -> dict[int, int] | None:
    """Office days per person that fit their bounds and fill every (office, day) count exactly,
    or None when there are none: a feasible flow with lower bounds, as a max flow."""
    flow = max_flow.SimpleMaxFlow()
    source, sink, super_source, super_sink = 0, 1, 2, 3
    node = 4
    person = {}
    for e in staff:
        if e.id in bounds:
            person[e.id] = node
            node += 1
    slot = {}
    for key in seats:
        slot[key] = node
        node += 1
    balance: dict[int, int] = defaultdict(int)
    arcs: dict[int, list[int]] = {}
    for e in staff:
        if e.id not in bounds:
            continue
        lo, hi = bounds[e.id]
        p = person[e.id]
        if hi > lo:
            flow.add_arc_with_capacity(source, p, hi - lo)
        balance[p] += lo
        balance[source] -= lo
        arcs[e.id] = [
            flow.add_arc_with_capacity(p, slot[(e.office_id, d)], 1)
            for d in free_days[e.id]
            if (e.office_id, d) in slot
        ]
    for key, count in seats.items():
        balance[sink] += count
        balance[slot[key]] -= count
    flow.add_arc_with_capacity(sink, source, 10**9)
    needed = 0
    for v, b in balance.items():
        if b > 0:
            flow.add_arc_with_capacity(super_source, v, b)
            needed += b
        elif b < 0:
            flow.add_arc_with_capacity(v, super_sink, -b)
    if not needed:
        return dict.fromkeys(arcs, 0)
    status = flow.solve(super_source, super_sink)
    if status != flow.OPTIMAL or flow.optimal_flow() != needed:
        return None
    return {
        emp_id: sum(flow.flow(arc) for arc in person_arcs) for emp_id, person_arcs in arcs.items()
    }
