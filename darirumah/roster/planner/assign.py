"""Stage two of the planner: who of a unit is on site each day, given the unit's counts.

With the day's count of each group fixed by the quota model (quota.py), the units no longer
share anything but the odd cross-unit team, so each is rotated on its own, in squads
(`squads`). `rotate` chooses people greedily: who was there in the published plan, who asked
for the office or prefers it, who is furthest behind their fair share, who has been home the
longest; WFA only where it was asked for or published, within the weekly limit. `balanced`
replaces a plan that spreads office days more than a day by the fairest plan the counts
allow (optimum.py), and `clean` says whether the solver (polish.py) could still improve it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date

from darirumah.policy.rules import Placement

from .index import Index
from .model import HOME, PLANNED, Mode
from .optimum import best_spread, fair_days
from .quota import Group

Seats = dict[tuple[Group, date], int]


class Unit:
    """The cells of one unit that the planner decides, and the wishes that bear on them."""

    def __init__(self, ix: Index, staff: list, seats: Seats):
        self.ix = ix
        self.staff = staff
        self.ids = {e.id for e in staff}
        self.seats = seats
        p = ix.problem
        self.asked = {
            (r.employee_id, r.day): (Mode(r.mode), max(1, r.weight))
            for r in p.requests
            if r.employee_id in self.ids and r.day in ix.day_set and Mode(r.mode) in PLANNED
        }
        self.previous = {
            (pr.employee_id, pr.day): Mode(pr.mode)
            for pr in p.previous
            if pr.employee_id in self.ids and pr.day in ix.day_set and Mode(pr.mode) in PLANNED
        }
        self.best: float | None = None  # the proven smallest spread, once balanced() knows it
        self.groups: dict[Group, list] = defaultdict(list)
        for e in staff:
            self.groups[(e.unit_id, e.office_id)].append(e)

    def flexible_wish(self, e, d: date) -> bool:
        """A flexible-location day is planned only where it was asked for or published."""
        if not self.ix.may_flex(e) or self.ix.forced(e, d) is not None:
            return False
        return (
            self.asked.get((e.id, d), (None,))[0] == Mode.WFA
            or self.previous.get((e.id, d)) == Mode.WFA
        )

    def rotating(self) -> list:
        ix = self.ix
        return [
            e
            for e in self.staff
            if ix.rotating(e) and ix.available_days(e) > 0 and any(ix.free(e, d) for d in ix.days)
        ]


CHUNK = 40  # people per model: a large unit is rotated as squads of at most this many


def squads(ix: Index, seats: Seats, size: int = CHUNK) -> list[Unit]:
    """Every unit's people as models of at most `size` people. A group (a unit in one office)
    larger than that is cut into squads, teams kept together, and each day's count is shared
    among the squads in proportion to who may be on site, carrying the remainders over to the
    next days: each squad's total stays within one day's seat of its exact share, so squads
    rotate at the same pace and the unit stays as fair as one model would make it."""
    found: list[Unit] = []
    by_group: dict[Group, list] = defaultdict(list)
    for e in ix.employees:
        by_group[(e.unit_id, e.office_id)].append(e)
    for g, staff in by_group.items():
        if len(staff) <= size:
            found.append(Unit(ix, staff, {(g, d): seats.get((g, d), 0) for d in ix.days}))
            continue
        # Teams together: order by the team's supervisor, the supervisor first in their team.
        ordered = sorted(
            staff, key=lambda e: (e.supervisor_id or e.id, e.supervisor_id is not None, e.id)
        )
        count = -(-len(ordered) // size)
        n = len(ordered)
        parts = [ordered[k * n // count : (k + 1) * n // count] for k in range(count)]
        shares: list[dict] = [{} for _ in parts]
        units_of = [Unit(ix, part, shares[k]) for k, part in enumerate(parts)]
        carry = [0.0] * len(parts)
        for d in ix.days:
            total = seats.get((g, d), 0)
            room = [sum(1 for e in part if ix.free(e, d)) for part in parts]
            # Shared by who would take a seat: not those who prefer or asked for home.
            keen = [
                sum(1 for e in part if _willing(units_of[k], e, d)) for k, part in enumerate(parts)
            ]
            keen_total = sum(keen)
            ideal = [
                (total * w / keen_total if keen_total else 0.0) + c
                for w, c in zip(keen, carry, strict=True)
            ]
            given = [min(r, max(0, math.floor(x))) for r, x in zip(room, ideal, strict=True)]
            while sum(given) > total:  # a squad behind its share gives back first
                k = max(
                    (k for k in range(len(parts)) if given[k] > 0),
                    key=lambda k: given[k] - ideal[k],
                )
                given[k] -= 1
            while sum(given) < total:  # the squad furthest below its share takes the seat
                k = min(
                    (k for k in range(len(parts)) if given[k] < room[k]),
                    key=lambda k: given[k] - ideal[k],
                )
                given[k] += 1
            for k in range(len(parts)):
                shares[k][(g, d)] = given[k]
                carry[k] = ideal[k] - given[k]
        found.extend(Unit(ix, part, share) for part, share in zip(parts, shares, strict=True))
    return found


def _willing(unit: Unit, e, d: date) -> bool:
    return (
        unit.ix.free(e, d)
        and e.placement != Placement.HOME_PREFERRED
        and unit.asked.get((e.id, d), (None,))[0] not in HOME
    )


def rotate(unit: Unit) -> dict[tuple[int, date], Mode]:
    """The greedy choice: each day, the group's count of free staff on site, taking first who
    was there in the published plan, then who asked for the office or prefers it, then who is
    furthest behind their fair share (the group's seats over its people's available days,
    times their own available days) for the days they have left, then who has been home the
    longest; a flexible-location day where it was asked for and the week allows it."""
    ix = unit.ix
    plan: dict[tuple[int, date], Mode] = {}
    done: dict[int, int] = defaultdict(int)
    home_run: dict[int, int] = defaultdict(int)
    office_run: dict[int, int] = defaultdict(int)
    flex_used: dict[tuple[int, tuple[int, int]], int] = defaultdict(int)
    limit = ix.problem.flexible_max_per_week
    max_streak = ix.problem.max_streak
    week_of = {d: w for w, days in ix.weeks.items() for d in days}
    # Each person's fair number of office days on their free days, and the free days left.
    left = {e.id: sum(ix.free_row[e.id]) for e in unit.staff}
    fair: dict[int, float] = {}
    for g, members in unit.groups.items():
        seats = sum(unit.seats.get((g, d), 0) for d in ix.days)
        keen = [e for e in members if e.placement != Placement.HOME_PREFERRED]
        days = sum(left[e.id] for e in keen)
        if days < seats:  # the reluctant are needed too: they take turns as well
            days = sum(left[e.id] for e in members)
        ratio = seats / days if days else 0.0
        for e in members:
            fair[e.id] = ratio * left[e.id]

    def rank(e, d):
        prev = unit.previous.get((e.id, d))
        prev_rank = 0 if prev == Mode.WFO else 2 if prev in HOME else 1
        wish = unit.asked.get((e.id, d), (None,))[0]
        wish_rank = 0 if wish == Mode.WFO else 2 if wish in HOME else 1
        pref = {Placement.OFFICE_PREFERRED: 0, Placement.HOME_PREFERRED: 2}.get(e.placement, 1)
        behind = (fair[e.id] - done[e.id]) / max(1, left[e.id])
        return (
            prev_rank,
            wish_rank,
            pref,
            -round(behind, 6),
            office_run[e.id] >= max_streak,
            -home_run[e.id],
            e.id,
        )

    for d in ix.days:
        for e in unit.staff:
            forced = ix.forced(e, d)
            if forced is not None:
                plan[(e.id, d)] = forced
                if forced == Mode.WFA:
                    flex_used[(e.id, week_of[d])] += 1
        for g, members in unit.groups.items():
            count = unit.seats.get((g, d), 0)
            candidates = sorted((e for e in members if ix.free(e, d)), key=lambda e: rank(e, d))
            for e in candidates[:count]:
                plan[(e.id, d)] = Mode.WFO
        for e in unit.staff:
            if (e.id, d) in plan:
                continue
            week = (e.id, week_of[d])
            if unit.flexible_wish(e, d) and flex_used[week] < limit:
                plan[(e.id, d)] = Mode.WFA
                flex_used[week] += 1
            else:
                plan[(e.id, d)] = Mode.WFH
        for e in unit.staff:
            mode = plan[(e.id, d)]
            if ix.free(e, d):
                left[e.id] -= 1
                done[e.id] += mode == Mode.WFO
            if mode == Mode.WFO:
                office_run[e.id] += 1
                home_run[e.id] = 0
            elif mode in HOME:
                home_run[e.id] += 1
                office_run[e.id] = 0
            else:
                home_run[e.id] = office_run[e.id] = 0
    return plan


def spread_of(unit: Unit, plan: dict[tuple[int, date], Mode]) -> float:
    """The spread of office days (scaled to the period) among the unit's rotating members."""
    ix = unit.ix
    n = len(ix.days)
    scores = [
        sum(plan[(e.id, d)] == Mode.WFO for d in ix.days) * n / ix.available_days(e)
        for e in unit.rotating()
    ]
    return max(scores) - min(scores) if scores else 0.0


def balanced(unit: Unit, plan: dict[tuple[int, date], Mode]) -> dict[tuple[int, date], Mode]:
    """When the greedy plan spreads office days more than a day, the fairest plan with the same
    counts instead: the office days of the flow that proves the optimum (optimum.fair_days),
    everyone outside the rotation keeping their days. Its streaks are left to the solver."""
    if spread_of(unit, plan) <= 1.0 + 1e-9:
        return plan
    ix = unit.ix
    seats = {(g[1], d): count for (g, d), count in unit.seats.items()}
    rotating = {e.id for e in unit.rotating()}
    others = {
        e.id: sum(1 for d in ix.days if ix.free(e, d) and plan[(e.id, d)] == Mode.WFO)
        for e in unit.staff
        if e.id not in rotating
    }
    unit.best, days = fair_days(ix, unit.staff, seats, others, spread_of(unit, plan) + 1e-9)
    if not days:
        return plan
    again = dict(plan)
    for e in unit.staff:
        if e.id not in rotating or e.id not in days:
            continue
        on = set(days[e.id])
        for d in ix.days:
            if ix.free(e, d):
                if d in on:
                    again[(e.id, d)] = Mode.WFO
                elif again[(e.id, d)] == Mode.WFO:
                    again[(e.id, d)] = Mode.WFH
    return again if spread_of(unit, again) < spread_of(unit, plan) else plan


def clean(unit: Unit, plan: dict[tuple[int, date], Mode]) -> bool:
    """Whether the greedy plan of a unit leaves the solver nothing worth the time: office days
    within one day of each other (scaled) or at the smallest spread its counts allow (proven by
    optimum.py), no run longer than max_streak, every request and published day kept, and no
    preferred placement crossed."""
    ix = unit.ix
    spread = spread_of(unit, plan)
    if spread > 1.0 + 1e-9:
        best = unit.best if unit.best is not None else best_spread(ix, unit.staff, plan)[1]
        if spread > best + 1e-9:
            return False
    if any(plan[key] != mode for key, (mode, _w) in unit.asked.items()):
        return False
    if any(plan[key] != mode for key, mode in unit.previous.items()):
        return False
    limit = ix.problem.max_streak
    for e in unit.staff:
        if e.placement == Placement.HOME_PREFERRED and any(
            plan[(e.id, d)] == Mode.WFO for d in ix.days if ix.free(e, d)
        ):
            return False
        if e.placement == Placement.OFFICE_PREFERRED and any(
            plan[(e.id, d)] != Mode.WFO for d in ix.days if ix.free(e, d)
        ):
            return False
        if ix.rotating(e):
            run_kind, run = None, 0
            for d in ix.days:
                mode = plan[(e.id, d)]
                kind = "o" if mode == Mode.WFO else "h" if mode in HOME else None
                run = run + 1 if kind is not None and kind == run_kind else int(kind is not None)
                run_kind = kind
                if run > limit:
                    return False
    return True
