"""The planner's input and output as plain frozen data: no Django models, no ORM.

The roster app turns its rows into a `Problem`, calls `plan()`, and stores the `Result`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from darirumah.policy.rules import Placement


class Mode(StrEnum):
    WFO = "WFO"  # at the office
    WFH = "WFH"  # at home
    WFA = "WFA"  # flexible location (PermenPANRB 4/2025)
    ISOLATION = "ISOLATION"  # never on site
    LEAVE = "LEAVE"
    DUTY = "DUTY"  # official travel


# The modes the solver chooses between; the others only come in as fixed entries.
PLANNED = (Mode.WFO, Mode.WFH, Mode.WFA)
HOME = (Mode.WFH, Mode.WFA)
# Fixed modes that take a person out of the day's work at the office.
ABSENT = (Mode.ISOLATION, Mode.LEAVE, Mode.DUTY)


@dataclass(frozen=True)
class Employee:
    id: int
    unit_id: int
    office_id: int
    room_id: int | None = None
    supervisor_id: int | None = None
    placement: Placement | None = None
    flexible_ok: bool = False


@dataclass(frozen=True)
class Unit:
    id: int
    name: str
    kind: str = ""
    exempt: bool = False
    min_on_site: int = 0
    # Sub-units whose staff also count towards the minimum (a dinas and its bidang).
    covers: tuple[int, ...] = ()


@dataclass(frozen=True)
class Office:
    id: int
    name: str
    cap: int  # the most people on site on one day


@dataclass(frozen=True)
class Fixed:
    """Leave, duty, isolation or an approved fixed day: the plan takes it as given."""

    employee_id: int
    day: date
    mode: Mode


@dataclass(frozen=True)
class Request:
    """An approved wish the plan honours when it can; weight 1 is an ordinary wish."""

    employee_id: int
    day: date
    mode: Mode
    weight: int = 1


@dataclass(frozen=True)
class Previous:
    """A day of the published plan; a replan stays close to it."""

    employee_id: int
    day: date
    mode: Mode


@dataclass(frozen=True)
class Problem:
    days: list[date]
    employees: list[Employee]
    units: list[Unit]
    offices: list[Office]
    fixed: list[Fixed] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    previous: list[Previous] = field(default_factory=list)
    flexible_max_per_week: int = 0
    max_streak: int = 3
    time_limit_s: float = 5.0  # the wall-clock budget of the whole plan() call
    # Work at the office up to each office's cap (the circular's cap is the occupancy it allows);
    # False sends everyone home who is not needed for a minimum.
    fill_to_cap: bool = True
    workers: int = 0  # CP-SAT search workers in total; 0 = the machine's cores
    seed: int = 0


@dataclass(frozen=True)
class Violation:
    """A hard rule the plan breaks, in words a head of unit understands."""

    rule: str  # unit_minimum, office_cap, exempt, fixed, placement, flexible
    day: date
    needed: int
    got: int
    message: str
    unit_id: int | None = None
    office_id: int | None = None
    employee_id: int | None = None


@dataclass
class Result:
    assignments: dict[tuple[int, date], Mode]
    violations: list[Violation]
    status: str  # optimal, feasible, fallback (greedy), baseline
    parts: int
    objective: dict[str, int] = field(default_factory=dict)
    fairness: dict[int, tuple[float, float]] = field(default_factory=dict)
    seconds: float = 0.0
