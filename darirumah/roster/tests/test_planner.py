"""The roster planner over plain data: each hard rule alone, the two seed situations, infeasible
cases and their explanations, fairness, a replan, and the benchmark's two other planners."""

from collections import Counter
from datetime import date, timedelta

import pytest

from darirumah.policy.rules import Placement, cap_count
from darirumah.roster.planner import (
    Employee,
    Fixed,
    Mode,
    Office,
    Previous,
    Problem,
    Request,
    Unit,
    plan,
    plan_round_robin,
    plan_single_model,
    precheck,
    split,
)
from darirumah.roster.planner.index import Index


def working_days(start: date, n: int) -> list[date]:
    days, d = [], start
    while len(days) < n:
        if d.weekday() < 5:
            days.append(d)
        d += timedelta(days=1)
    return days


MONDAY = date(2020, 3, 16)


def staff(unit_id, office_id, n, first_id, **kw):
    return [Employee(first_id + i, unit_id, office_id, **kw) for i in range(n)]


def problem(employees, units, offices, days=None, **kw):
    kw.setdefault("time_limit_s", 3.0)
    return Problem(
        days=days or working_days(MONDAY, 5),
        employees=employees,
        units=units,
        offices=offices,
        **kw,
    )


def on_site(result, ids, d):
    return sum(1 for i in ids if result.assignments[(i, d)] == Mode.WFO)


def assert_complete(result, p):
    assert len(result.assignments) == len(p.employees) * len(p.days)
    for e in p.employees:
        for d in p.days:
            assert result.assignments[(e.id, d)] in Mode


# --- each hard rule alone ----------------------------------------------------------------------


def test_exempt_unit_stays_at_the_office_even_under_a_low_cap_except_fixed_leave():
    people = staff(1, 1, 4, 1) + staff(2, 1, 4, 11)
    p = problem(
        people,
        [Unit(1, "Puskesmas Batu", "puskesmas", exempt=True), Unit(2, "Dinas")],
        [Office(1, "Gedung", cap=4)],
        fixed=[Fixed(1, MONDAY, Mode.LEAVE)],
    )
    r = plan(p)
    assert_complete(r, p)
    assert r.assignments[(1, MONDAY)] == Mode.LEAVE
    for e in people[1:4]:
        assert all(r.assignments[(e.id, d)] == Mode.WFO for d in p.days)
    # The other unit fills what the cap leaves: 1 seat on Monday, none after.
    assert on_site(r, [11, 12, 13, 14], MONDAY) == 1
    assert all(on_site(r, [11, 12, 13, 14], d) == 0 for d in p.days[1:])
    assert r.violations == []


def test_fixed_entries_are_kept_and_isolation_is_never_on_site():
    people = staff(1, 1, 3, 1)
    p = problem(
        people,
        [Unit(1, "Dinas", min_on_site=1)],
        [Office(1, "Gedung", cap=3)],
        fixed=[Fixed(1, d, Mode.ISOLATION) for d in working_days(MONDAY, 5)]
        + [Fixed(2, MONDAY, Mode.DUTY), Fixed(3, MONDAY + timedelta(1), Mode.WFH)],
    )
    r = plan(p)
    assert all(r.assignments[(1, d)] == Mode.ISOLATION for d in p.days)
    assert r.assignments[(2, MONDAY)] == Mode.DUTY
    assert r.assignments[(3, MONDAY + timedelta(1))] == Mode.WFH
    assert r.assignments[(3, MONDAY)] == Mode.WFO  # the only one left for the minimum


def test_home_required_never_on_site_and_office_required_always():
    people = [
        Employee(1, 1, 1, placement=Placement.HOME_REQUIRED),
        Employee(2, 1, 1, placement=Placement.OFFICE_REQUIRED),
        Employee(3, 1, 1),
    ]
    p = problem(people, [Unit(1, "Dinas", min_on_site=2)], [Office(1, "Gedung", cap=3)])
    r = plan(p)
    for d in p.days:
        assert r.assignments[(1, d)] == Mode.WFH
        assert r.assignments[(2, d)] == Mode.WFO
        assert r.assignments[(3, d)] == Mode.WFO
    assert r.violations == []


def test_unit_minimum_is_kept_every_day_even_without_filling():
    people = staff(1, 1, 6, 1)
    p = problem(
        people,
        [Unit(1, "Disdukcapil", min_on_site=2)],
        [Office(1, "Gedung", cap=6)],
        fill_to_cap=False,
    )
    r = plan(p)
    assert all(on_site(r, range(1, 7), d) == 2 for d in p.days)


def test_office_cap_holds_across_units_sharing_the_office():
    people = staff(1, 1, 5, 1) + staff(2, 1, 5, 11)
    p = problem(people, [Unit(1, "A"), Unit(2, "B")], [Office(1, "Balaikota", cap=3)])
    r = plan(p)
    ids = [e.id for e in people]
    assert all(on_site(r, ids, d) == 3 for d in p.days)
    assert r.violations == []


def test_flexible_location_only_for_eligible_staff_and_at_most_the_weekly_limit():
    people = [Employee(1, 1, 1, flexible_ok=True), Employee(2, 1, 1, flexible_ok=False)]
    days = working_days(MONDAY, 10)
    wishes = [Request(e, d, Mode.WFA, weight=5) for e in (1, 2) for d in days]
    p = problem(
        people,
        [Unit(1, "Dinas")],
        [Office(1, "Gedung", cap=0)],
        days=days,
        requests=wishes,
        flexible_max_per_week=2,
    )
    r = plan(p)
    for week in (days[:5], days[5:]):
        assert sum(r.assignments[(1, d)] == Mode.WFA for d in week) == 2
    assert all(r.assignments[(2, d)] != Mode.WFA for d in days)
    assert r.violations == []


def test_requests_are_honoured_when_the_rules_allow():
    people = staff(1, 1, 4, 1)
    p = problem(
        people,
        [Unit(1, "Dinas")],
        [Office(1, "Gedung", cap=2)],
        requests=[Request(1, MONDAY, Mode.WFH, 3), Request(2, MONDAY, Mode.WFH, 3)],
    )
    r = plan(p)
    assert r.assignments[(1, MONDAY)] == Mode.WFH
    assert r.assignments[(2, MONDAY)] == Mode.WFH
    assert r.objective["requests_missed"] == 0


def test_no_streak_longer_than_the_limit_when_rotation_allows():
    people = staff(1, 1, 2, 1)
    p = problem(
        people,
        [Unit(1, "Dinas")],
        [Office(1, "Gedung", cap=1)],
        days=working_days(MONDAY, 10),
        max_streak=2,
    )
    r = plan(p)
    assert r.objective["streak_excess_days"] == 0


def test_supervisor_shares_office_days_with_the_team():
    people = [
        Employee(1, 1, 1),
        Employee(2, 1, 1, supervisor_id=1),
        Employee(3, 1, 1),
        Employee(4, 1, 1),
    ]
    p = problem(people, [Unit(1, "Dinas")], [Office(1, "Gedung", cap=2)])
    r = plan(p)
    # Whenever the supervisor is in, the subordinate is too.
    assert r.objective["supervisor_shared_days"] == sum(
        r.assignments[(1, d)] == Mode.WFO for d in p.days
    )
    assert r.objective["supervisor_shared_days"] >= 2


# --- the seeds ---------------------------------------------------------------------------------


def test_serang_disdukcapil_keeps_three_on_site_while_the_rest_goes_home():
    """Kota Serang, March 2020: the civil registry keeps its counter open with 3 people."""
    dukcapil = staff(1, 1, 12, 1)
    others = staff(2, 2, 40, 101)
    units = [
        Unit(1, "Dinas Kependudukan dan Pencatatan Sipil", "dinas", min_on_site=3),
        Unit(2, "Badan Kepegawaian dan Pengembangan SDM", "badan"),
    ]
    offices = [
        Office(1, "Kantor Disdukcapil", cap=cap_count(12, 0.25)),
        Office(2, "Puspemkot Serang", cap=cap_count(40, 0.25)),
    ]
    p = problem(dukcapil + others, units, offices, days=working_days(date(2020, 3, 16), 10))
    r = plan(p)
    assert r.violations == []
    assert r.parts == 2
    for d in p.days:
        assert on_site(r, range(1, 13), d) == 3
        assert on_site(r, range(101, 141), d) == 10  # the cap: three in four at home
    assert r.fairness[1][1] - r.fairness[1][0] <= 1
    assert r.fairness[2][1] - r.fairness[2][0] <= 1


def test_batu_main_office_emptied_for_four_days_while_field_units_stay_open():
    """Kota Batu, 18–21 Aug 2020: Balaikota Among Tani is closed, villages and clinics open."""
    days = working_days(date(2020, 8, 17), 5)  # Mon 17 is a holiday in reality; fine here
    closed = days[1:5]
    main = staff(1, 1, 10, 1) + staff(2, 1, 10, 21)
    field = staff(3, 2, 5, 41) + staff(4, 3, 5, 51) + staff(5, 4, 6, 61)
    units = [
        Unit(1, "Sekretariat Daerah"),
        Unit(2, "Badan Kepegawaian", min_on_site=1),
        Unit(3, "Kecamatan Batu", "kecamatan", exempt=True),
        Unit(4, "Kelurahan Sisir", "kelurahan", exempt=True),
        Unit(5, "Puskesmas Batu", "puskesmas", exempt=True),
    ]
    offices = [
        Office(1, "Balaikota Among Tani", cap=0),
        Office(2, "Kantor Kecamatan Batu", 5),
        Office(3, "Kantor Kelurahan Sisir", 5),
        Office(4, "Puskesmas Batu", 6),
    ]
    # Cap 0 is the closure; on the Monday before, the circular's caps did not yet apply.
    open_day = [Fixed(e.id, days[0], Mode.WFO) for e in main[:3] + main[10:12]]
    p = problem(main + field, units, offices, days=days, fixed=open_day)
    r = plan(p)
    for d in closed:
        assert all(r.assignments[(e.id, d)] in (Mode.WFH, Mode.WFA) for e in main)
        assert all(r.assignments[(e.id, d)] == Mode.WFO for e in field)
    # The staffing unit's minimum cannot hold in an emptied building: it says so, in numbers.
    short = [v for v in r.violations if v.rule == "unit_minimum"]
    assert {v.day for v in short} == set(closed)
    assert all(v.unit_id == 2 and v.needed == 1 and v.got == 0 for v in short)
    assert "Badan Kepegawaian needs 1 on site on 2020-08-18" in short[0].message
    # The Monday breaks the cap (fixed entries), and that is said too.
    assert [v.day for v in r.violations if v.rule == "office_cap"] == [days[0]]
    assert r.parts == 5  # one model per unit (squad)


# --- infeasible cases --------------------------------------------------------------------------


def test_infeasible_minimum_is_explained_and_the_plan_is_still_complete():
    people = staff(1, 1, 4, 1)
    d = date(2020, 3, 20)
    days = working_days(date(2020, 3, 16), 5)
    p = problem(
        people,
        [Unit(1, "Dinas Kependudukan dan Pencatatan Sipil", min_on_site=3)],
        [Office(1, "Kantor", cap=4)],
        days=days,
        fixed=[Fixed(1, d, Mode.LEAVE), Fixed(2, d, Mode.ISOLATION)],
    )
    found = precheck(Index(p))
    assert [(v.rule, v.day, v.needed, v.got) for v in found] == [("unit_minimum", d, 3, 2)]
    r = plan(p)
    assert_complete(r, p)
    assert r.status in ("optimal", "feasible")
    [v] = r.violations
    assert v.message == (
        "Dinas Kependudukan dan Pencatatan Sipil needs 3 on site on 2020-03-20; "
        "only 2 staff are available."
    )
    assert on_site(r, range(1, 5), d) == 2


def test_cap_below_the_exempt_staff_is_explained():
    people = staff(1, 1, 5, 1) + staff(2, 1, 3, 11)
    p = problem(
        people,
        [Unit(1, "Puskesmas", "puskesmas", exempt=True), Unit(2, "Dinas")],
        [Office(1, "Gedung Bersama", cap=3)],
    )
    r = plan(p)
    assert_complete(r, p)
    caps = [v for v in r.violations if v.rule == "office_cap"]
    assert len(caps) == 5
    assert caps[0].message.startswith(
        "Gedung Bersama allows 3 on site on 2020-03-16; 5 are planned"
    )
    assert all(on_site(r, [11, 12, 13], d) == 0 for d in p.days)


def test_minimum_against_a_cap_is_explained_as_the_cap():
    people = staff(1, 1, 4, 1) + staff(2, 1, 4, 11)
    p = problem(
        people,
        [Unit(1, "Disdukcapil", min_on_site=3), Unit(2, "Dinsos", min_on_site=3)],
        [Office(1, "Gedung", cap=4)],
        days=working_days(MONDAY, 2),
    )
    r = plan(p)
    assert_complete(r, p)
    ids = [e.id for e in people]
    assert all(on_site(r, ids, d) <= 4 for d in p.days)
    # 6 needed, 4 allowed: the cap holds (occupancy is a health rule) and the shortfall is
    # named with the cap as its cause, 2 people a day.
    assert {v.rule for v in r.violations} == {"unit_minimum"}
    assert sum(v.needed - v.got for v in r.violations) == 2 * len(p.days)
    assert all("staff are available; the office cap limits it" in v.message for v in r.violations)


# --- fairness and replanning -------------------------------------------------------------------


def test_fair_rotation_ten_staff_twenty_days_minimum_three():
    people = staff(1, 1, 10, 1)
    p = problem(
        people,
        [Unit(1, "Disdukcapil", min_on_site=3)],
        [Office(1, "Kantor", cap=10)],
        days=working_days(MONDAY, 20),
        fill_to_cap=False,
        time_limit_s=5.0,
    )
    r = plan(p)
    counts = Counter(e for (e, _d), m in r.assignments.items() if m == Mode.WFO)
    assert sum(counts.values()) == 60
    assert max(counts.values()) - min(counts[e.id] for e in people) <= 1
    assert r.fairness[1] == (6, 6)


def test_replan_after_a_mid_week_isolation_changes_few_other_days():
    people = staff(1, 1, 8, 1)
    days = working_days(MONDAY, 10)
    base = problem(
        people,
        [Unit(1, "Disdukcapil", min_on_site=3)],
        [Office(1, "Kantor", cap=8)],
        days=days,
        fill_to_cap=False,
    )
    first = plan(base)
    previous = [Previous(e, d, m) for (e, d), m in first.assignments.items()]
    # Employee 1 is a close contact from Wednesday of week one to the end.
    isolated = [Fixed(1, d, Mode.ISOLATION) for d in days[2:]]
    replan = plan(Problem(**{**base.__dict__, "previous": previous, "fixed": isolated}))
    assert replan.violations == []
    changed_others = sum(
        1 for (e, d), m in replan.assignments.items() if e != 1 and first.assignments[(e, d)] != m
    )
    lost = sum(1 for d in days[2:] if first.assignments[(1, d)] == Mode.WFO)
    # Each lost office day needs one stand-in; allow a little reshuffling for fairness.
    assert changed_others <= 2 * lost + 2
    assert all(replan.assignments[(1, d)] == Mode.ISOLATION for d in days[2:])
    assert all(on_site(replan, range(1, 9), d) == 3 for d in days)


# --- splitting and the benchmark's variants ----------------------------------------------------


def test_split_joins_offices_through_units_that_span_them():
    people = [Employee(1, 1, 1), Employee(2, 1, 2), Employee(3, 2, 3), Employee(4, 3, 3)]
    p = problem(
        people,
        [Unit(1, "A"), Unit(2, "B"), Unit(3, "C")],
        [Office(1, "X", 1), Office(2, "Y", 1), Office(3, "Z", 1)],
    )
    parts = sorted(sorted(e.id for e in part.employees) for part in split(p))
    assert parts == [[1, 2], [3, 4]]


@pytest.mark.parametrize("planner", [plan_single_model, plan_round_robin, plan])
def test_every_planner_returns_a_complete_plan(planner):
    people = staff(1, 1, 12, 1) + staff(2, 1, 8, 21) + staff(3, 2, 6, 41)
    units = [
        Unit(1, "Disdukcapil", min_on_site=3),
        Unit(2, "Dinsos"),
        Unit(3, "Puskesmas", "puskesmas", exempt=True),
    ]
    offices = [Office(1, "Balaikota", cap=cap_count(20, 0.5)), Office(2, "Puskesmas", 6)]
    p = problem(
        people,
        units,
        offices,
        days=working_days(MONDAY, 10),
        fixed=[Fixed(5, MONDAY, Mode.LEAVE), Fixed(41, MONDAY, Mode.DUTY)],
    )
    r = planner(p)
    assert_complete(r, p)
    assert r.assignments[(5, MONDAY)] == Mode.LEAVE
    assert r.assignments[(41, MONDAY)] == Mode.DUTY
    assert all(
        r.assignments[(e.id, d)] == Mode.WFO
        for e in people[20:]
        for d in p.days
        if (e.id, d) != (41, MONDAY)
    )
    assert set(r.fairness) == {1, 2}
    if planner is not plan_round_robin:
        assert r.violations == []
        assert r.status in ("optimal", "feasible")


# --- the fairness yardstick (optimum.py) ------------------------------------------------------


def test_optimum_proves_the_smallest_spread_for_the_same_daily_counts():
    from darirumah.roster.planner.optimum import unit_spread

    people = staff(1, 1, 4, 1)
    p = problem(people, [Unit(1, "Bidang")], [Office(1, "Kantor", cap=2)])
    ix = Index(p)
    # Two a day for five days: the first two every day, the others never. Spread 5; the best
    # with two a day is 10 office days over 4 people: 2 or 3 each, a spread of 1.
    lopsided = {(e.id, d): Mode.WFO if e.id <= 2 else Mode.WFH for e in people for d in p.days}
    assert unit_spread(ix, 1, lopsided) == (5.0, 1.0)


def test_optimum_scales_by_available_days_and_respects_leave():
    from darirumah.roster.planner.optimum import unit_spread

    people = staff(1, 1, 3, 1)
    days = working_days(MONDAY, 4)
    # Person 3 is on leave half the period: 1 day in 2 available counts as 2 in 4.
    leave = [Fixed(3, d, Mode.LEAVE) for d in days[2:]]
    p = problem(people, [Unit(1, "Bidang")], [Office(1, "Kantor", cap=3)], days=days, fixed=leave)
    ix = Index(p)
    week = {(e.id, d): Mode.WFH for e in people for d in days}
    for d, who in zip(days, (1, 2, 1, 2), strict=True):
        week[(who, d)] = Mode.WFO
    week[(3, days[0])] = Mode.WFO
    spread, best = unit_spread(ix, 1, week)
    assert spread == 0.0 and best == 0.0  # 2 of 4, 2 of 4, 1 of 2: all "2 days in 4"
    r = plan(p)
    assert r.violations == []


def test_the_plan_is_within_a_day_of_the_proven_optimum_in_every_unit():
    from darirumah.roster.planner.optimum import unit_spread

    days = working_days(MONDAY, 20)
    people = staff(1, 1, 17, 1) + staff(2, 1, 9, 101) + staff(3, 2, 23, 201)
    fixed = [Fixed(5, d, Mode.ISOLATION) for d in days[8:]]
    fixed += [Fixed(104, d, Mode.LEAVE) for d in days[3:6]]
    fixed += [Fixed(210, d, Mode.DUTY) for d in days[12:15]]
    p = problem(
        people,
        [Unit(1, "Disdukcapil", min_on_site=4), Unit(2, "Bidang A"), Unit(3, "Bidang B")],
        [Office(1, "Gedung 1", cap=11), Office(2, "Gedung 2", cap=9)],
        days=days,
        fixed=fixed,
    )
    r = plan(p)
    assert r.violations == []
    ix = Index(p)
    for unit_id in (1, 2, 3):
        spread, best = unit_spread(ix, unit_id, r.assignments)
        assert spread - best <= 1.0 + 1e-9, (unit_id, spread, best)


def test_a_minimum_counts_the_staff_of_covered_sub_units():
    """Disdukcapil's minimum of 3 is met by the staff of its bidang, not only its own head."""
    head = staff(1, 1, 1, 1)
    bidang = staff(2, 1, 6, 11) + staff(3, 1, 6, 21)
    p = problem(
        head + bidang,
        [
            Unit(1, "Disdukcapil", min_on_site=3, covers=(2, 3)),
            Unit(2, "Bidang Pelayanan"),
            Unit(3, "Bidang Data"),
        ],
        [Office(1, "Kantor", cap=4)],
    )
    p = Problem(**{**p.__dict__, "fill_to_cap": False})
    r = plan(p)
    assert r.violations == []
    for d in p.days:
        assert on_site(r, [e.id for e in head + bidang], d) == 3  # the minimum, from the subtree
    # Without the sub-units the head alone cannot keep it, and the checker says so.
    alone = problem(head, [Unit(1, "Disdukcapil", min_on_site=3)], [Office(1, "Kantor", cap=4)])
    assert {v.rule for v in plan(alone).violations} == {"unit_minimum"}
