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
    """Plan the whole period, part by part, in parallel."""
    started = time.monotonic()
    parts = split(problem)
    if not parts:
        return _finish(problem, {}, "optimal", 0, started)
    workers = problem.workers or os.cpu_count() or 1
    threads = min(workers, len(parts))
    per_model = max(1, workers // len(parts))
    # Each part gets its share of the wall-clock budget, never past the overall deadline.
    rounds = -(-len(parts) // threads)
    budget = problem.time_limit_s / rounds
    deadline = started + problem.time_limit_s

    def run(part: Problem):
        limit = min(budget, deadline - time.monotonic())
        return solve_part(Index(part), time_limit_s=max(0.2, limit), workers=per_model)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(run, parts))
    assignments = {}
    status = "optimal"
    for part_plan, part_status in results:
        assignments.update(part_plan)
        status = max(status, part_status, key=_RANK.__getitem__)
    return _finish(problem, assignments, status, len(parts), started)


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
