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

from ortools.graph.python import max_flow, min_cost_flow

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


def fair_days(
    ix: Index,
    staff: list,
    seats: dict[tuple[int, date], int],
    others: dict[int, int],
    known: float,
) -> tuple[float, dict[int, list[date]]]:
    """The office days of each person (on their free days) in a plan with the smallest
    possible spread and these counts per (office, day): the flow that proves the optimum. The
    staff outside the rotation keep the number of office days in `others`. With the optimum:
    ({}, `known`) when nothing beats the spread `known` already reached."""
    search = _Search(ix, staff, seats, others)
    if len(search.rotating) < 2:
        return 0.0, {}
    best, pair = search.optimum(known)
    if pair is None:
        return known, {}
    days = _even_days(search.staff, search.free_days, search.bounds(*pair), search.seats)
    return float(best), days or {}


class _Search:
    def __init__(self, ix, staff, seats, others: dict[int, int] | None = None):
        self.ix, self.staff, self.seats, self.others = ix, staff, seats, others
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
            elif self.others is not None:
                found[e.id] = (self.others.get(e.id, 0),) * 2
            elif top:
                found[e.id] = (0, top)
        return found

    def totals(self, low: Fraction, high: Fraction) -> bool | None:
        """Whether every rotating member can land between low and high (None when not)."""
        bounds = self.bounds(low, high)
        if bounds is None:
            return None
        return True if self._feasible(bounds) else None

    def _network(self) -> None:
        """The flow network, built once; each check only changes the bound arcs' capacities.
        Lower bounds the usual way: S' feeds what a node must receive, T' drains what it must
        send, and a max flow from S' to T' that fills them all is a feasible flow."""
        flow = self.flow = max_flow.SimpleMaxFlow()
        source, sink, self.super_source, self.super_sink = 0, 1, 2, 3
        node = 4
        slot = {}
        for key in self.seats:
            slot[key] = node
            node += 1
        self.person_arcs: dict[int, tuple[int, int]] = {}
        for e in self.staff:
            p = node
            node += 1
            # source→p carries hi − lo, S'→p the lo that p must pass on.
            self.person_arcs[e.id] = (
                flow.add_arc_with_capacity(source, p, 0),
                flow.add_arc_with_capacity(self.super_source, p, 0),
            )
            for d in self.free_days[e.id]:
                if (e.office_id, d) in slot:
                    flow.add_arc_with_capacity(p, slot[(e.office_id, d)], 1)
        seats = sum(self.seats.values())
        for key, count in self.seats.items():
            flow.add_arc_with_capacity(slot[key], self.super_sink, count)
        flow.add_arc_with_capacity(self.super_source, sink, seats)
        flow.add_arc_with_capacity(sink, source, 10**9)
        self.source_out = flow.add_arc_with_capacity(source, self.super_sink, 0)
        self.seat_total = seats

    def _feasible(self, bounds: dict[int, tuple[int, int]]) -> bool:
        if not hasattr(self, "flow"):
            self._network()
        flow = self.flow
        lows = 0
        for e in self.staff:
            lo, hi = bounds.get(e.id, (0, 0))
            free_arc, must_arc = self.person_arcs[e.id]
            flow.set_arc_capacity(free_arc, hi - lo)
            flow.set_arc_capacity(must_arc, lo)
            lows += lo
        flow.set_arc_capacity(self.source_out, lows)
        needed = lows + self.seat_total
        if not needed:
            return True
        status = flow.solve(self.super_source, self.super_sink)
        return status == flow.OPTIMAL and flow.optimal_flow() == needed

    def optimum(self, known: Fraction | None) -> tuple[Fraction, tuple | None]:
        """The smallest H − L with a feasible flow (below `known`, a spread already reached,
        if given) and the (L, H) that reach it."""
        values = self.values
        best = known if known is not None else values[-1] - values[0] + 1
        best_pair = None
        j = 0
        for i, low in enumerate(values):
            j = max(j, i)
            while j < len(values) and values[j] - low < best:
                if self.totals(low, values[j]) is not None:
                    best, best_pair = values[j] - low, (low, values[j])
                    break
                j += 1
            if j == len(values):
                break
        return best, best_pair


def _even_days(staff, free_days, bounds, seats) -> dict[int, list[date]] | None:
    """Like _flow, but of all the plans that fit, one whose office days are evenly spaced: a
    min-cost flow where a day costs nothing when it falls on the person's own regular pattern
    (their share of their free days, offset by a golden-ratio step per person so that people
    do not all come on the same days) and 1 when it does not."""
    flow = min_cost_flow.SimpleMinCostFlow()
    source = 0
    node = 1
    person, slot = {}, {}
    for e in staff:
        if e.id in bounds:
            person[e.id] = node
            node += 1
    for key in seats:
        slot[key] = node
        node += 1
    supply: dict[int, int] = defaultdict(int)
    arcs: dict[int, list] = {}
    for k, e in enumerate(staff):
        if e.id not in bounds:
            continue
        lo, hi = bounds[e.id]
        p = person[e.id]
        if hi > lo:
            flow.add_arc_with_capacity_and_unit_cost(source, p, hi - lo, 0)
        supply[p] += lo
        supply[source] -= lo
        days = [d for d in free_days[e.id] if (e.office_id, d) in slot]
        share = (lo + hi) / 2 / len(days) if days else 0.0
        phase = (k * 0.6180339887) % 1.0
        arcs[e.id] = []
        for j, d in enumerate(days):
            regular = math.floor((j + 1) * share + phase) - math.floor(j * share + phase)
            cost = 0 if regular else 1
            arc = flow.add_arc_with_capacity_and_unit_cost(p, slot[(e.office_id, d)], 1, cost)
            arcs[e.id].append((arc, d))
    for key, count in seats.items():
        supply[slot[key]] -= count
        supply[source] += count
    for v in range(node):
        flow.set_node_supply(v, supply.get(v, 0))
    if flow.solve() != flow.OPTIMAL:
        return None
    return {
        emp_id: [d for arc, d in person_arcs if flow.flow(arc)]
        for emp_id, person_arcs in arcs.items()
    }
