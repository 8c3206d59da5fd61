"""The roster planner (issue 3): who works where each day, as a pure function over plain data.

`plan(problem)` splits the agency into independent parts (employees who share an office, joined
through units that span offices), solves each part as its own CP-SAT model side by side, and
checks the merged plan against every hard rule. It always answers: rules that cannot all hold
come back as `Violation`s in plain words next to the best plan found, and a part the solver could
not finish in time gets the greedy plan.

`plan_single_model` (the whole agency as one model) and `plan_round_robin` (the naive baseline)
exist for the benchmark.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from . import assign, polish
from .baseline import greedy, round_robin
from .check import evaluate, fairness, precheck, violations
from .index import Index
from .model import (
    Employee,
    Fixed,
    Mode,
    Office,
    Previous,
    Problem,
    Request,
    Result,
    Unit,
    Violation,
)
from .quota import solve_quotas
from .solve import solve_part

__all__ = [
    "Employee",
    "Fixed",
    "Mode",
    "Office",
    "Previous",
    "Problem",
    "Request",
    "Result",
    "Unit",
    "Violation",
    "greedy",
    "plan",
    "plan_round_robin",
    "plan_single_model",
    "precheck",
    "split",
]

_RANK = {"optimal": 0, "feasible": 1, "fallback": 2}
QUOTA_SHARE = 0.15  # of the time limit, for the small models of counts
MIN_SOLVE_S = 0.05  # a squad left less time than this keeps its greedy plan
CHECK_S = 1e-5  # seconds per cell for the final check (measured: about 1.5 s for 200,000)
MAX_SOLVE_S = 1.0  # a squad's model rarely improves after this


def split(problem: Problem) -> list[Problem]:
    """The independent parts: offices joined by any unit with staff in both, with their staff."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for e in problem.employees:
        parent[find(("u", e.unit_id))] = find(("o", e.office_id))
    groups: dict[tuple[str, int], list[Employee]] = {}
    for e in problem.employees:
        groups.setdefault(find(("o", e.office_id)), []).append(e)
    parts = []
    for members in groups.values():
        ids = {e.id for e in members}
        units = {e.unit_id for e in members}
        offices = {e.office_id for e in members}
        parts.append(
            replace(
                problem,
                employees=members,
                units=[u for u in problem.units if u.id in units],
                offices=[o for o in problem.offices if o.id in offices],
                fixed=[f for f in problem.fixed if f.employee_id in ids],
                requests=[r for r in problem.requests if r.employee_id in ids],
                previous=[p for p in problem.previous if p.employee_id in ids],
            )
        )
    # Largest first, so the pool starts the slow parts early.
    parts.sort(key=lambda part: -len(part.employees))
    return parts


def _finish(problem: Problem, assignments, status: str, parts: int, started: float) -> Result:
    ix = Index(problem)
    return Result(
        assignments=assignments,
        violations=violations(ix, assignments),
        status=status,
        parts=parts,
        objective=evaluate(ix, assignments),
        fairness=fairness(ix, assignments),
        seconds=round(time.monotonic() - started, 3),
    )


def plan(problem: Problem) -> Result:
    """Plan the whole period in two stages: the day's count on site of each unit in each office
    (one small model for the agency, quota.py), then the people of each unit (one model per
    unit, solved side by side, assign.py)."""
    started = time.monotonic()
    ix = Index(problem)
    if not ix.employees:
        return _finish(problem, {}, "optimal", 0, started)
    workers = problem.workers or os.cpu_count() or 1
    # The time limit bounds the whole call: keep back what the final check of every cell takes.
    cells = len(ix.employees) * len(ix.days)
    deadline = started + problem.time_limit_s - min(problem.time_limit_s / 4, CHECK_S * cells)
    quotas = solve_quotas(ix, time_limit_s=problem.time_limit_s * QUOTA_SHARE, workers=1)
    # Stage two: the greedy rotation of every squad (aimed at the fairest totals its counts
    # allow when it spreads office days more than a day), then the solver where it can do better.
    squads = assign.squads(ix, quotas.seats)
    assignments: dict = {}
    todo = []
    for squad in squads:
        greedy_plan = assign.balanced(squad, assign.rotate(squad))
        assignments.update(greedy_plan)
        if not assign.clean(squad, greedy_plan):
            todo.append((squad, greedy_plan))
    status = quotas.status
    if todo:
        todo.sort(key=lambda item: -len(item[0].staff))
        threads = min(workers, len(todo))
        total = sum(len(squad.staff) for squad, _ in todo)
        # Each gets a share of the time left in proportion to its size, never past the deadline.
        left = max(0.0, deadline - time.monotonic())

        def run(item):
            squad, greedy_plan = item
            share = left * threads * len(squad.staff) / total
            limit = min(share, MAX_SOLVE_S, deadline - time.monotonic())
            if limit < MIN_SOLVE_S:
                return greedy_plan, "fallback"
            return polish.solve_unit(
                squad, time_limit_s=limit, workers=1, hint=greedy_plan, deadline=deadline
            )

        with ThreadPoolExecutor(max_workers=threads) as pool:
            for squad_plan, squad_status in pool.map(run, todo):
                assignments.update(squad_plan)
                status = max(status, squad_status, key=_RANK.__getitem__)
    return _finish(problem, assignments, status, len(squads), started)


def plan_single_model(problem: Problem) -> Result:
    """The whole agency as one CP-SAT model (for the benchmark's comparison)."""
    started = time.monotonic()
    workers = problem.workers or os.cpu_count() or 1
    assignments, status = solve_part(
        Index(problem), time_limit_s=problem.time_limit_s, workers=workers
    )
    return _finish(problem, assignments, status, 1, started)


def plan_round_robin(problem: Problem) -> Result:
    """The naive baseline: each unit's staff through the office by index (see round_robin)."""
    started = time.monotonic()
    return _finish(problem, round_robin(Index(problem)), "baseline", 1, started)
