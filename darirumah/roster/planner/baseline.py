"""Two plans without a solver: the greedy fallback (never an empty answer) and the naive
round-robin a head would draw by hand (the benchmark's baseline)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from darirumah.policy.rules import Placement

from .index import Index
from .model import Mode


def _forced_cells(ix: Index, d: date, plan: dict) -> None:
    for e in ix.employees:
        forced = ix.forced(e, d)
        if forced is None and ix.home_only(e):
            forced = Mode.WFH
        if forced is not None:
            plan[(e.id, d)] = forced


def greedy(ix: Index) -> dict[tuple[int, date], Mode]:
    """Fixed entries, exempt units and placements first; then each unit's minimum, then
    (fill_to_cap) each office up to its cap, choosing first who asked for the office or prefers
    it, then who has had the fewest office days (scaled to their available days), then who has
    not just had a long run at the office; nobody who asked for home or prefers home fills a
    seat. Everyone else at home. It is the fallback and the solver's starting point."""
    plan: dict[tuple[int, date], Mode] = {}
    done = defaultdict(int)  # office days so far
    run = defaultdict(int)  # consecutive office days up to yesterday
    available = {e.id: max(1, ix.available_days(e)) for e in ix.employees}
    n_days = len(ix.days)
    asked = {(r.employee_id, r.day): Mode(r.mode) for r in ix.problem.requests}
    max_streak = ix.problem.max_streak

    def rank(e, d):
        wish = asked.get((e.id, d))
        wish_rank = 0 if wish == Mode.WFO else 2 if wish in (Mode.WFH, Mode.WFA) else 1
        pref = 0 if e.placement == Placement.OFFICE_PREFERRED else 1
        if e.placement == Placement.HOME_PREFERRED:
            pref = 2
        share = round(done[e.id] * n_days / available[e.id])
        return (wish_rank, pref, share, run[e.id] >= max_streak, e.id)

    def wants_home(e, d):
        return e.placement == Placement.HOME_PREFERRED or asked.get((e.id, d)) in (
            Mode.WFH,
            Mode.WFA,
        )

    for d in ix.days:
        _forced_cells(ix, d, plan)
        left = {
            o: ix.office[o].cap - sum(1 for e in staff if plan.get((e.id, d)) == Mode.WFO)
            for o, staff in ix.by_office.items()
            if o in ix.office
        }
        for unit_id in ix.by_unit:
            unit = ix.unit.get(unit_id)
            if unit is None or unit.min_on_site <= 0:
                continue
            members = ix.counted(unit_id)
            need = unit.min_on_site - sum(1 for e in members if plan.get((e.id, d)) == Mode.WFO)
            free = [e for e in members if (e.id, d) not in plan]
            for e in sorted(free, key=lambda e: rank(e, d)):
                if need <= 0:
                    break
                if left.get(e.office_id, 0) > 0:
                    plan[(e.id, d)] = Mode.WFO
                    left[e.office_id] -= 1
                    need -= 1
        if ix.problem.fill_to_cap:
            free = [e for e in ix.employees if (e.id, d) not in plan and not wants_home(e, d)]
            for e in sorted(free, key=lambda e: rank(e, d)):
                if left.get(e.office_id, 0) > 0:
                    plan[(e.id, d)] = Mode.WFO
                    left[e.office_id] -= 1
        for e in ix.employees:
            mode = plan.setdefault((e.id, d), Mode.WFH)
            if mode == Mode.WFO:
                done[e.id] += 1
                run[e.id] += 1
            else:
                run[e.id] = 0
    return plan


def round_robin(ix: Index) -> dict[tuple[int, date], Mode]:
    """Each unit sends k of its rotating members a day, by index, wrapping around: k is the
    unit's minimum or (fill_to_cap) its share of its offices' caps, whichever is larger. Fixed
    entries, exempt units and required placements are kept; caps and minimums are not checked,
    and nobody stands in for a person on leave."""
    plan: dict[tuple[int, date], Mode] = {}
    for d in ix.days:
        _forced_cells(ix, d, plan)
    for unit_id, members in ix.by_unit.items():
        unit = ix.unit.get(unit_id)
        rotating = sorted((e for e in members if ix.rotating(e)), key=lambda e: e.id)
        if not rotating:
            continue
        k = unit.min_on_site if unit else 0
        if ix.problem.fill_to_cap:
            shares = [
                ix.office[e.office_id].cap / len(ix.by_office[e.office_id])
                for e in rotating
                if e.office_id in ix.office
            ]
            k = max(k, round(len(rotating) * sum(shares) / max(1, len(shares))))
        k = min(k, len(rotating))
        for i, d in enumerate(ix.days):
            chosen = {rotating[(i * k + j) % len(rotating)].id for j in range(k)}
            for e in rotating:
                plan.setdefault((e.id, d), Mode.WFO if e.id in chosen else Mode.WFH)
    for e in ix.employees:
        for d in ix.days:
            plan.setdefault((e.id, d), Mode.WFH)
    return plan
