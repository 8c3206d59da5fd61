"""Synthetic agencies for the roster benchmark: plain planner data, no database.

An agency of N employees spread over about 40 units and 8 offices, planned over 20 working
days (four ISO weeks from a Monday). Like a city government: a few units that never go home
(kecamatan, kelurahan, puskesmas), a civil-registry counter and other public-service units with
a minimum on site, two units whose staff sit in two buildings (so offices join into larger
parts), teams of about eight under a supervisor, the SE 58/2020 placements (a few pregnant or
back from travel at home, officials at the office, older staff preferring home), leave and
official travel sprinkled across the month, and a mid-month isolation of a few staff. Each
office allows half its staff on site (the orange-zone preset). Everything comes from a seeded
random generator, so the same size gives the same agency.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from darirumah.policy.rules import Placement
from darirumah.roster import planner

UNITS = 40
OFFICES = 8
DAYS = 20
CAP_SHARE = 0.5
START = date(2027, 3, 1)  # a Monday


def working_days(start: date = START, count: int = DAYS) -> list[date]:
    days, d = [], start
    while len(days) < count:
        if d.weekday() < 5:
            days.append(d)
        d += timedelta(days=1)
    return days


def agency(size: int, *, seed: int = 7, time_limit_s: float = 10.0, workers: int = 0):
    rng = random.Random(seed)
    days = working_days()
    # Unit kinds: 6 field units that stay open (exempt), 6 public-service units with a
    # minimum on site, the rest ordinary offices that rotate.
    units = []
    for i in range(UNITS):
        uid = i + 1
        if i < 6:
            units.append(planner.Unit(uid, f"Kecamatan {uid}", "kecamatan", exempt=True))
        elif i < 12:
            name = "Disdukcapil" if i == 6 else f"Layanan {uid}"
            units.append(planner.Unit(uid, name, "dinas", min_on_site=0))
        else:
            units.append(planner.Unit(uid, f"Bidang {uid}", "bidang"))
    # Unit sizes: uneven, like a real agency (a few big dinas, many small bidang).
    weights = [rng.uniform(0.4, 2.0) for _ in units]
    total = sum(weights)
    sizes = [max(4, int(size * w / total)) for w in weights]
    sizes[-1] += size - sum(sizes)
    employees: list[planner.Employee] = []
    next_id = 1
    unit_office: dict[int, int] = {}
    for unit, count in zip(units, sizes, strict=True):
        home_office = (unit.id - 1) % OFFICES + 1
        unit_office[unit.id] = home_office
        # Two units sit in two buildings: they join those offices into one part.
        second = home_office % OFFICES + 1 if unit.id in (13, 14) else None
        first_id = next_id
        for k in range(count):
            office = second if second and k % 3 == 2 else home_office
            supervisor = None if k == 0 else first_id + 8 * ((k - 1) // 8)
            if supervisor == next_id:
                supervisor = first_id
            placement = None
            roll = rng.random()
            if k == 0:
                placement = Placement.OFFICE_REQUIRED  # the head of the unit
            elif roll < 0.02:
                placement = Placement.HOME_REQUIRED  # pregnant, or back from travel
            elif roll < 0.10:
                placement = Placement.HOME_PREFERRED  # over 50, or a comorbidity
            employees.append(
                planner.Employee(
                    id=next_id,
                    unit_id=unit.id,
                    office_id=office,
                    supervisor_id=supervisor,
                    placement=placement,
                    flexible_ok=rng.random() < 0.7,
                )
            )
            next_id += 1
    # Public-service minimums: a fifth of the unit (Disdukcapil: 3 at the counter at least).
    for i, unit in enumerate(units):
        if 6 <= i < 12:
            staff = sizes[i]
            units[i] = planner.Unit(unit.id, unit.name, unit.kind, min_on_site=max(3, staff // 5))
    by_office: dict[int, int] = {}
    for e in employees:
        by_office[e.office_id] = by_office.get(e.office_id, 0) + 1
    offices = [
        planner.Office(o, f"Gedung {o}", int(by_office.get(o, 0) * CAP_SHARE))
        for o in range(1, OFFICES + 1)
    ]
    fixed: list[planner.Fixed] = []
    for e in employees:
        roll = rng.random()
        if roll < 0.08:  # a run of annual leave
            first = rng.randrange(DAYS - 3)
            for d in days[first : first + rng.randint(1, 4)]:
                fixed.append(planner.Fixed(e.id, d, planner.Mode.LEAVE))
        elif roll < 0.12:  # official travel
            first = rng.randrange(DAYS - 2)
            for d in days[first : first + rng.randint(1, 3)]:
                fixed.append(planner.Fixed(e.id, d, planner.Mode.DUTY))
        elif roll < 0.13:  # isolation from the middle of the month
            for d in days[10:20]:
                fixed.append(planner.Fixed(e.id, d, planner.Mode.ISOLATION))
    requests = [
        planner.Request(e.id, rng.choice(days), rng.choice([planner.Mode.WFO, planner.Mode.WFH]))
        for e in rng.sample(employees, k=max(1, len(employees) // 50))
    ]
    return planner.Problem(
        days=days,
        employees=employees,
        units=units,
        offices=offices,
        fixed=[f for f in fixed if True],
        requests=requests,
        flexible_max_per_week=2,
        time_limit_s=time_limit_s,
        workers=workers,
        seed=seed,
    )
