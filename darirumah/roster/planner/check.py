"""Check any plan against the circular's hard rules, and measure its soft terms.

The same functions judge the CP-SAT plan, the greedy fallback and the round-robin baseline, so
the benchmark compares like with like. Messages are plain English with the numbers and names,
wrapped in gettext with named placeholders so they can be translated.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext

from .index import Index
from .model import ABSENT, HOME, PLANNED, Mode, Violation


def precheck(ix: Index) -> list[Violation]:
    """The rules that cannot hold whatever the plan, found before solving."""
    found = []
    for unit in ix.unit.values():
        if unit.min_on_site <= 0 or unit.exempt:
            continue
        for d in ix.days:
            available = ix.available_on_site(unit.id, d)
            if available < unit.min_on_site:
                found.append(_short_unit(unit.id, unit.name, d, unit.min_on_site, available))
    for office in ix.office.values():
        for d in ix.days:
            forced = ix.forced_on_site(office.id, d)
            if forced > office.cap:
                found.append(_over_cap(office.id, office.name, d, office.cap, forced, forced))
    return found


def _short_unit(unit_id: int, name: str, d: date, needed: int, available: int) -> Violation:
    message = gettext(
        "%(name)s needs %(needed)d on site on %(day)s; only %(available)d staff are available."
    ) % {"name": name, "needed": needed, "day": d.isoformat(), "available": available}
    return Violation("unit_minimum", d, needed, available, message, unit_id=unit_id)


def _over_cap(office_id: int, name: str, d: date, cap: int, got: int, forced: int) -> Violation:
    message = gettext(
        "%(name)s allows %(cap)d on site on %(day)s; %(got)d are planned there, %(forced)d of "
        "whom must be (exempt units, office-required staff and fixed days)."
    ) % {"name": name, "cap": cap, "day": d.isoformat(), "got": got, "forced": forced}
    return Violation("office_cap", d, cap, got, message, office_id=office_id)


def violations(ix: Index, plan: dict[tuple[int, date], Mode]) -> list[Violation]:
    """Every hard rule the plan breaks (an empty list for a plan that keeps them all)."""
    found: list[Violation] = []
    on_site = {(e.id, d) for e in ix.employees for d in ix.days if plan.get((e.id, d)) == Mode.WFO}
    for e in ix.employees:
        for d in ix.days:
            mode = plan.get((e.id, d))
            if mode is None:
                found.append(
                    _person(e.id, d, "complete", gettext("Employee %(id)s has no mode on %(day)s."))
                )
                continue
            fixed = ix.fixed.get((e.id, d))
            if fixed is not None and mode != fixed:
                found.append(
                    _person(
                        e.id,
                        d,
                        "fixed",
                        gettext(
                            "Employee %(id)s is fixed to %(fixed)s on %(day)s but planned %(mode)s."
                        ),
                        fixed=fixed,
                        mode=mode,
                    )
                )
            elif fixed is None and ix.home_only(e) and mode == Mode.WFO:
                found.append(
                    _person(
                        e.id,
                        d,
                        "placement",
                        gettext(
                            "Employee %(id)s must work from home but is planned at the office "
                            "on %(day)s."
                        ),
                    )
                )
            elif (
                fixed is None
                and not ix.home_only(e)
                and ix.forced(e, d) == Mode.WFO
                and mode != Mode.WFO
            ):
                rule = "exempt" if ix.exempt(e) else "placement"
                found.append(
                    _person(
                        e.id,
                        d,
                        rule,
                        gettext(
                            "Employee %(id)s must be at the office on %(day)s but is planned "
                            "%(mode)s."
                        ),
                        mode=mode,
                    )
                )
            if mode == Mode.WFA and fixed is None and not ix.may_flex(e):
                found.append(
                    _person(
                        e.id,
                        d,
                        "flexible",
                        gettext("Employee %(id)s may not take a flexible-location day (%(day)s)."),
                    )
                )
    limit = ix.problem.flexible_max_per_week
    for e in ix.employees:
        for week_days in ix.weeks.values():
            flex = sum(1 for d in week_days if plan.get((e.id, d)) == Mode.WFA)
            if flex > limit:
                message = gettext(
                    "Employee %(id)s has %(got)d flexible-location days in the week of %(day)s; "
                    "at most %(limit)d are allowed."
                ) % {"id": e.id, "got": flex, "day": week_days[0].isoformat(), "limit": limit}
                found.append(
                    Violation("flexible", week_days[0], limit, flex, message, employee_id=e.id)
                )
    for unit in ix.unit.values():
        if unit.min_on_site <= 0:
            continue
        for d in ix.days:
            got = sum(1 for e in ix.counted(unit.id) if (e.id, d) in on_site)
            if got >= unit.min_on_site:
                continue
            available = ix.available_on_site(unit.id, d)
            if available <= got:
                found.append(_short_unit(unit.id, unit.name, d, unit.min_on_site, got))
            else:
                message = gettext(
                    "%(name)s needs %(needed)d on site on %(day)s; only %(got)d are planned "
                    "(%(available)d staff are available; the office cap limits it)."
                ) % {
                    "name": unit.name,
                    "needed": unit.min_on_site,
                    "day": d.isoformat(),
                    "got": got,
                    "available": available,
                }
                found.append(
                    Violation("unit_minimum", d, unit.min_on_site, got, message, unit_id=unit.id)
                )
    for office in ix.office.values():
        for d in ix.days:
            got = sum(1 for e in ix.by_office[office.id] if (e.id, d) in on_site)
            if got > office.cap:
                forced = ix.forced_on_site(office.id, d)
                found.append(_over_cap(office.id, office.name, d, office.cap, got, forced))
    return found


def _person(emp_id: int, d: date, rule: str, template: str, **extra) -> Violation:
    message = template % {
        "id": emp_id,
        "day": d.isoformat(),
        **{k: str(v) for k, v in extra.items()},
    }
    return Violation(rule, d, 1, 0, message, employee_id=emp_id)


def office_days(ix: Index, plan: dict[tuple[int, date], Mode]) -> dict[int, int]:
    return {e.id: sum(1 for d in ix.days if plan.get((e.id, d)) == Mode.WFO) for e in ix.employees}


def fairness(ix: Index, plan: dict[tuple[int, date], Mode]) -> dict[int, tuple[float, float]]:
    """Per unit, the fewest and most office days among its rotating members, scaled to the full
    period for people away part of it (10 office days in 15 available of 20 count as 13.3)."""
    counts = office_days(ix, plan)
    result = {}
    for unit_id, members in ix.by_unit.items():
        scores = []
        for e in members:
            available = ix.available_days(e)
            if ix.rotating(e) and available:
                scores.append(round(counts[e.id] * len(ix.days) / available, 1))
        if scores:
            result[unit_id] = (min(scores), max(scores))
    return result


def evaluate(ix: Index, plan: dict[tuple[int, date], Mode]) -> dict[str, int]:
    """The soft terms of a plan, as plain counts (lower is better except where noted)."""
    from darirumah.policy.rules import Placement

    p = ix.problem
    fair = fairness(ix, plan)
    streak_excess = 0
    for e in ix.employees:
        if not ix.rotating(e):
            continue
        run_kind, run = None, 0
        for d in ix.days:
            mode = plan.get((e.id, d))
            kind = "office" if mode == Mode.WFO else "home" if mode in HOME else None
            run = run + 1 if kind is not None and kind == run_kind else (1 if kind else 0)
            run_kind = kind
            if run > p.max_streak:
                streak_excess += 1
    requests_missed = sum(
        1
        for r in p.requests
        if r.day in ix.day_set
        and r.employee_id in ix.emp
        and Mode(r.mode) in PLANNED
        and plan.get((r.employee_id, r.day)) != Mode(r.mode)
    )
    changed = sum(
        1
        for pr in p.previous
        if pr.day in ix.day_set
        and pr.employee_id in ix.emp
        and plan.get((pr.employee_id, pr.day)) != Mode(pr.mode)
    )
    shared = 0
    for sup, team in ix.team.items():
        for d in ix.days:
            if plan.get((sup, d)) == Mode.WFO and any(plan.get((t, d)) == Mode.WFO for t in team):
                shared += 1
    preference_missed = 0
    for e in ix.employees:
        for d in ix.days:
            mode = plan.get((e.id, d))
            if mode in ABSENT or ix.forced(e, d) is not None:
                continue  # the planner did not choose this cell
            if e.placement == Placement.HOME_PREFERRED and mode == Mode.WFO:
                preference_missed += 1
            if e.placement == Placement.OFFICE_PREFERRED and mode != Mode.WFO:
                preference_missed += 1
    return {
        "unit_spread_total": round(sum(hi - lo for lo, hi in fair.values())),
        "unit_spread_max": round(max((hi - lo for lo, hi in fair.values()), default=0)),
        "streak_excess_days": streak_excess,
        "requests_missed": requests_missed,
        "changed_vs_previous": changed,
        "supervisor_shared_days": shared,  # higher is better
        "preference_missed": preference_missed,
        "on_site_days": sum(1 for m in plan.values() if m == Mode.WFO),  # up to the caps
    }
