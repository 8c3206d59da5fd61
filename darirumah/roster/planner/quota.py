"""Stage one of the planner: how many of each unit's free staff are on site each day.

A *group* is the staff of one unit in one office (a unit spread over two buildings has two
groups). For every group and day the quota model chooses `q`, the number of its free staff
(neither forced to a mode nor required at home) on site. It is small (groups × days integers),
so the whole agency is one model however many people it has, and it holds every rule that
couples units:

- hard: 0 ≤ q ≤ the group's free staff who may be on site that day;
- hard with a slack (reported by the checker when broken): each office stays under its cap,
  forced people included; each unit keeps its minimum on site, forced people included;
- soft: fill the office up to its cap (or, with fill_to_cap off, as few as the minimums need),
  but only with people who neither prefer nor asked for home; share the seats fairly between
  the office's units (the spread, in thousandths, between the units that get the largest and
  the smallest share of their possible office days); stay close to the published plan's counts.

Stage two (assign.py) then picks the people, unit by unit, with exactly these counts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from ortools.sat.python import cp_model

from darirumah.policy.rules import Placement

from .index import Index
from .model import HOME, Mode

W_SLACK = 1_000_000
W_OVER_CAP = 2_000_000
W_PREVIOUS = 100  # a seat more or fewer than the published plan had
W_TARGET = 10  # a seat more or fewer than the fair share
W_FILL = 20  # a seat filled (fill_to_cap): beats the fair share, so no seat stays empty
W_RELUCTANT = 50  # a seat beyond the willing: only for a minimum

Group = tuple[int, int]  # (unit id, office id)


@dataclass
class Quotas:
    """The chosen counts and how they were found."""

    seats: dict[tuple[Group, date], int] = field(default_factory=dict)
    status: str = "optimal"


def groups(ix: Index) -> dict[Group, list]:
    found: dict[Group, list] = defaultdict(list)
    for e in ix.employees:
        found[(e.unit_id, e.office_id)].append(e)
    return found


@dataclass
class Counts:
    """Per group, per day index: who may be on site, who of them is willing (neither prefers
    nor asked for home), who must be there, and who was there in the published plan."""

    free: list[int]
    willing: list[int]
    forced: list[int]
    previous: list[int]
    has_previous: list[bool]


def _columns(rows: list[list], n: int) -> list[int]:
    return [sum(column) for column in zip(*rows, strict=True)] if rows else [0] * n


def counts(ix: Index, members: dict[Group, list]) -> dict[Group, Counts]:
    n = len(ix.days)
    at = ix.day_index
    home_asked: dict[int, list[int]] = defaultdict(list)
    for r in ix.problem.requests:
        if Mode(r.mode) in HOME and r.day in at:
            home_asked[r.employee_id].append(at[r.day])
    before: dict[int, list[tuple[int, Mode]]] = defaultdict(list)
    for pr in ix.problem.previous:
        if pr.day in at:
            before[pr.employee_id].append((at[pr.day], Mode(pr.mode)))
    found = {}
    for g, staff in members.items():
        free_rows, willing_rows, forced_rows, prev_rows, has_rows = [], [], [], [], []
        for e in staff:
            free_row = ix.free_row[e.id]
            free_rows.append(free_row)
            forced_rows.append([m == Mode.WFO for m in ix.forced_row[e.id]])
            if e.placement == Placement.HOME_PREFERRED:
                willing_rows.append([False] * n)
            elif e.id in home_asked:
                row = list(free_row)
                for i in home_asked[e.id]:
                    row[i] = False
                willing_rows.append(row)
            else:
                willing_rows.append(free_row)
            if e.id in before:
                prev, has = [False] * n, [False] * n
                for i, mode in before[e.id]:
                    if free_row[i]:
                        prev[i], has[i] = mode == Mode.WFO, True
                prev_rows.append(prev)
                has_rows.append(has)
        found[g] = Counts(
            free=_columns(free_rows, n),
            willing=_columns(willing_rows, n),
            forced=_columns(forced_rows, n),
            previous=_columns(prev_rows, n),
            has_previous=[bool(x) for x in _columns(has_rows, n)],
        )
    return found


def targets(ix: Index, table: dict[Group, Counts]) -> dict[tuple[Group, int], int]:
    """The counts a fair rotation would give: each office's free seats (its cap less those who
    must be there) shared among its groups in proportion to their willing staff that day,
    rounded cumulatively per group so each group's total over the period stays within one of
    its exact share (and the day-to-day counts stay even). A unit in two buildings rotates as
    one: its groups share the unit's average ratio, and each office's other groups share what
    is left."""
    fill = ix.problem.fill_to_cap
    by_office: dict[int, list[Group]] = defaultdict(list)
    by_unit: dict[int, list[Group]] = defaultdict(list)
    for g in table:
        by_office[g[1]].append(g)
        by_unit[g[0]].append(g)
    spanning = {u: gs for u, gs in by_unit.items() if len(gs) > 1}
    ratio: dict[tuple[Group, int], float] = {}
    for i in range(len(ix.days)):
        room: dict[int, float] = {}
        office_ratio: dict[int, float] = {}
        for o, gs in by_office.items():
            office = ix.office.get(o)
            total = sum(table[g].willing[i] for g in gs)
            forced = sum(table[g].forced[i] for g in gs)
            room[o] = max(0, office.cap - forced) if office else total
            office_ratio[o] = _share(room[o], total, fill)
        for gs in spanning.values():
            total = sum(table[g].willing[i] for g in gs)
            unit_ratio = (
                sum(table[g].willing[i] * office_ratio[g[1]] for g in gs) / total if total else 0
            )
            for g in gs:
                ratio[(g, i)] = unit_ratio
                room[g[1]] -= table[g].willing[i] * unit_ratio
        for o, gs in by_office.items():
            rest = [g for g in gs if g[0] not in spanning]
            share = _share(max(0.0, room[o]), sum(table[g].willing[i] for g in rest), fill)
            for g in rest:
                ratio[(g, i)] = share
    wanted: dict[tuple[Group, int], int] = {}
    for g, c in table.items():
        running, given = 0.0, 0
        for i in range(len(ix.days)):
            running += c.willing[i] * ratio[(g, i)]
            count = min(c.willing[i], max(0, round(running) - given))
            wanted[(g, i)] = count
            given += count
    return wanted


def _share(room: float, willing: int, fill: bool) -> float:
    return min(1.0, room / willing) if willing and fill else 0.0


def solve_quotas(ix: Index, *, time_limit_s: float, workers: int) -> Quotas:
    """The counts for every group and day. Days do not interact once the targets are set, so
    each day is its own small model (solved to optimality in milliseconds)."""
    table = counts(ix, groups(ix))
    wanted = targets(ix, table)
    result = Quotas()
    per_day = max(1.0, time_limit_s / max(1, len(ix.days)))
    for i, d in enumerate(ix.days):
        seats, status = _solve_day(ix, table, wanted, i, per_day, workers)
        result.seats.update({(g, d): count for g, count in seats.items()})
        result.status = max(result.status, status, key=_RANK.__getitem__)
    return result


_RANK = {"optimal": 0, "feasible": 1, "fallback": 2}


def _solve_day(ix, table: dict[Group, Counts], wanted, i: int, time_limit_s: float, workers: int):
    p = ix.problem
    m = cp_model.CpModel()
    q: dict[Group, cp_model.IntVar] = {}
    terms = []
    unit_forced: dict[int, int] = defaultdict(int)
    office_forced: dict[int, int] = defaultdict(int)
    upper: dict[int, int] = defaultdict(int)
    for g, c in table.items():
        unit_forced[g[0]] += c.forced[i]
        office_forced[g[1]] += c.forced[i]
        upper[g[1]] += c.free[i]
        if not c.free[i]:
            continue
        var = m.new_int_var(0, c.free[i], f"q{g[0]}_{g[1]}")
        q[g] = var
        # Stay near the published count where there is one, else near the fair target.
        target, weight = wanted[(g, i)], W_TARGET
        if c.has_previous[i]:
            target, weight = c.previous[i], W_PREVIOUS
        dev = m.new_int_var(0, c.free[i], f"d{g[0]}_{g[1]}")
        m.add(var - target <= dev)
        m.add(target - var <= dev)
        terms.append((weight, dev))
        if p.fill_to_cap:
            # Filling a seat earns, beyond the target too, but not with the reluctant.
            above = m.new_int_var(0, c.free[i], f"x{g[0]}_{g[1]}")
            m.add(var - above <= c.willing[i])
            terms.append((-W_FILL, var))
            terms.append((W_RELUCTANT, above))
    if not q:
        return {}, "optimal"

    for unit in ix.unit.values():
        counted = {unit.id, *unit.covers}
        need = unit.min_on_site - sum(unit_forced[u] for u in counted)
        seats = [var for g, var in q.items() if g[0] in counted]
        if unit.min_on_site <= 0 or need <= 0 or not seats:
            continue
        slack = m.new_int_var(0, need, f"short{unit.id}")
        m.add(sum(seats) + slack >= need)
        terms.append((W_SLACK, slack))
    for office in ix.office.values():
        seats = [var for g, var in q.items() if g[1] == office.id]
        room = office.cap - office_forced[office.id]
        if not seats or upper[office.id] <= room:
            continue
        slack = m.new_int_var(0, upper[office.id], f"over{office.id}")
        m.add(sum(seats) - slack <= max(0, room))
        terms.append((W_OVER_CAP, slack))

    m.minimize(sum(w * t for w, t in terms))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = p.seed
    status = solver.solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # Without an answer in time: the fair targets, which may break a cap (it is reported).
        return {g: min(wanted[(g, i)], table[g].free[i]) for g in q}, "fallback"
    seats = {g: solver.value(var) for g, var in q.items()}
    return seats, "optimal" if status == cp_model.OPTIMAL else "feasible"
