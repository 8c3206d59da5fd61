"""The TPP rules (rules/tpp.py) with DOMAIN.md's numbers and hand-computed rupiah.

A synthetic month of 20 working days (Mon 3 – Fri 28 August 2026, holidays ignored here) so the
day share is a round Rp 250.000 of a Rp 5.000.000 allowance; work ends 16:00 WIB, Fri 16:30."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from darirumah.performance.config import TppConfig
from darirumah.performance.rules import tpp as r

WIB = ZoneInfo("Asia/Jakarta")
DAYS = [
    date(2026, 8, 3) + timedelta(days=n)
    for n in range(26)
    if (date(2026, 8, 3) + timedelta(days=n)).weekday() < 5
]
ENDS = {
    d: datetime.combine(d, time(16, 30) if d.weekday() == 4 else time(16, 0), WIB) for d in DAYS
}
MONTH = r.Month(period=date(2026, 8, 1), working_days=DAYS, day_ends=ENDS)
WED = date(2026, 8, 5)
FRI = date(2026, 8, 7)
BASE = Decimal(5_000_000)


def config(**kw) -> TppConfig:
    return TppConfig(base_by_job_class={9: BASE, 3: Decimal(4_100_100)}, **kw)


def present(**kw) -> r.DayRecord:
    return r.DayRecord("present", has_check_in=True, **kw)


def person(changes=None, **kw) -> r.PersonMonth:
    """Present at the office every day (no check-out recorded), with `changes` per day."""
    records = {d: present() for d in DAYS}
    for day, record in (changes or {}).items():
        if record is None:
            records.pop(day)
        else:
            records[day] = record
    kw.setdefault("job_class", 9)
    return r.PersonMonth(records=records, **kw)


def compute(p: r.PersonMonth, **kw) -> r.Amounts:
    return r.compute(config(**kw), MONTH, p)


def test_days_of_the_synthetic_month():
    assert len(DAYS) == 20 and DAYS[-1] == date(2026, 8, 28)


# --- bands (DOMAIN.md: 1–30 min 0.5%, 31–60 1%, 61–90 1.5%, over 90 2% of the monthly TPP) ---


@pytest.mark.parametrize(
    ("minutes", "rupiah"),
    [
        (1, 25_000),  # 0.5% of 5.000.000
        (30, 25_000),
        (31, 50_000),  # 1%
        (60, 50_000),
        (61, 75_000),  # 1.5%
        (90, 75_000),
        (91, 100_000),  # 2%
        (480, 100_000),
    ],
)
def test_late_bands_at_their_edges(minutes, rupiah):
    line = compute(person({WED: r.DayRecord("late", minutes, True)}))
    assert line.late_deduction == rupiah
    assert line.discipline_amount == 2_000_000 - rupiah


@pytest.mark.parametrize(
    ("minutes", "index"), [(0, None), (1, 0), (30, 0), (31, 1), (60, 1), (61, 2), (90, 2), (91, 3)]
)
def test_band_index(minutes, index):
    assert r.band_index(config().late_bands, minutes) == index


def test_a_late_day_without_minutes_counts_in_the_first_band():
    assert compute(person({WED: r.DayRecord("late", 0, True)})).late_deduction == 25_000


@pytest.mark.parametrize(
    ("day", "out", "rupiah"),
    [
        (WED, time(15, 30), 25_000),  # 30 min before 16:00
        (WED, time(15, 29), 50_000),  # 31
        (WED, time(15, 0), 50_000),  # 60
        (WED, time(14, 59), 75_000),  # 61
        (WED, time(14, 30), 75_000),  # 90
        (WED, time(14, 29), 100_000),  # 91
        (WED, time(15, 59, 30), 0),  # half a minute: not a whole minute early
        (WED, time(16, 0), 0),
        (WED, time(17, 45), 0),
        (FRI, time(16, 0), 25_000),  # Friday ends 16:30: 30 min early
        (FRI, time(16, 30), 0),
    ],
)
def test_early_leave_bands_from_that_days_end(day, out, rupiah):
    record = present(check_out_at=datetime.combine(day, out, WIB))
    assert compute(person({day: record})).early_leave_deduction == rupiah


def test_no_check_out_means_no_early_leave_deduction():
    line = compute(person())
    assert line.early_leave_deduction == 0 and line.net == 5_000_000


def test_a_check_out_without_a_check_in_costs_2_percent():
    out = datetime.combine(WED, time(16, 5), WIB)
    line = compute(person({WED: r.DayRecord("present", 0, False, out)}))
    assert line.late_deduction == 100_000
    assert line.breakdown["late"]["no_checkin"]["days"] == 1


def test_a_manual_entry_without_times_has_no_deduction():
    line = compute(person({WED: r.DayRecord("present")}))
    assert line.late_deduction == 0 and line.worked_days == 20


# --- absence ---------------------------------------------------------------------------------


def test_unexcused_absence_is_4_percent_a_day():
    absent = {d: r.DayRecord("absent") for d in DAYS[:3]}
    line = compute(person(absent))
    assert line.absence_deduction == 600_000  # 3 × 4% × 5.000.000
    assert line.discipline_amount == 1_400_000
    assert [a["date"] for a in line.breakdown["absences"]["dates"]] == [
        "2026-08-03",
        "2026-08-04",
        "2026-08-05",
    ]


def test_day_share_mode_takes_the_days_share():
    absent = {d: r.DayRecord("absent") for d in DAYS[:3]}
    line = compute(person(absent), absence_mode="day_share")
    assert line.absence_deduction == 750_000  # 3 × 5.000.000 / 20
    assert line.breakdown["absences"]["per_day_rupiah"] == "250000"


def test_day_share_of_an_odd_month_is_rounded_once():
    month = r.Month(MONTH.period, DAYS[:19], ENDS)
    line = r.compute(config(absence_mode="day_share"), month, person({WED: r.DayRecord("absent")}))
    # 5.000.000 / 19 = 263.157,89… → Rp 263.158; discipline 2.000.000 − 263.157,89… → 1.736.842
    assert line.absence_deduction == 263_158
    assert line.discipline_amount == 1_736_842


def test_deductions_never_exceed_the_discipline_part():
    absent = {d: r.DayRecord("absent") for d in DAYS[:11]}
    line = compute(person(absent))
    assert line.absence_deduction == 2_200_000  # 11 × 4% = 44% > the 40% discipline part
    assert line.discipline_amount == 0
    assert line.net == 3_000_000  # the performance part stays whole
    assert line.breakdown["deductions"] == {
        "total": "2200000",
        "applied": "2000000",
        "capped": True,
    }


# --- R9: working from home or in isolation is working ----------------------------------------


@pytest.mark.parametrize(
    ("mode", "record", "report", "expected"),
    [
        (None, present(), False, (r.WORKED, "WFO")),
        ("WFO", r.DayRecord("late", 5, True), False, (r.WORKED, "WFO")),
        ("WFH", present(), True, (r.WORKED, "WFH")),
        ("WFH", present(), False, (r.ABSENCE, "no_report")),
        ("WFA", present(), True, (r.WORKED, "WFA")),
        ("WFA", present(), False, (r.ABSENCE, "no_report")),
        ("WFH", r.DayRecord("absent"), True, (r.ABSENCE, "absent")),
        ("ISOLATION", r.DayRecord("excused"), False, (r.WORKED, "ISOLATION")),
        ("ISOLATION", None, False, (r.WORKED, "ISOLATION")),
        ("DUTY", r.DayRecord("absent"), False, (r.WORKED, "DUTY")),
        ("LEAVE", r.DayRecord("absent"), False, (r.EXCUSED_DAY, "leave")),
        (None, r.DayRecord("excused"), False, (r.EXCUSED_DAY, "excused")),
        (None, r.DayRecord("absent"), False, (r.ABSENCE, "absent")),
        (None, None, False, (r.NOT_RECORDED, "no_record")),
        ("WFH", None, False, (r.NOT_RECORDED, "no_record")),
    ],
)
def test_what_a_day_counts_as(mode, record, report, expected):
    assert r.classify_day(mode, record, report) == expected


def test_wfh_and_isolation_days_are_paid_as_worked():
    wfh, no_report, isolated = DAYS[0], DAYS[1], DAYS[2:4]
    modes = {wfh: "WFH", no_report: "WFH", **dict.fromkeys(isolated, "ISOLATION")}
    records = {d: r.DayRecord("excused") for d in isolated}
    line = compute(person(records, modes=modes, reports={wfh}))
    worked = line.breakdown["worked"]
    assert (worked["WFH"], worked["ISOLATION"], worked["WFO"]) == (1, 2, 16)
    assert line.worked_days == 19
    assert line.breakdown["absences"]["dates"] == [{"date": "2026-08-04", "reason": "no_report"}]
    assert line.absence_deduction == 200_000  # only the WFH day without a report


def test_leave_and_excused_days_are_neither_worked_nor_deducted():
    line = compute(
        person({DAYS[0]: r.DayRecord("excused"), DAYS[1]: None}, modes={DAYS[2]: "LEAVE"})
    )
    assert line.worked_days == 17
    assert line.net == 5_000_000
    assert len(line.breakdown["excused"]) == 2 and line.breakdown["not_recorded"] == ["2026-08-04"]


def test_late_on_a_day_that_is_an_absence_is_not_also_deducted_as_late():
    line = compute(person({WED: r.DayRecord("late", 75, True)}, modes={WED: "WFH"}))
    assert (line.late_deduction, line.absence_deduction) == (0, 200_000)


# --- evaluation, sanction, the whole line --------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "paid", "awaiting"),
    [(None, 3_000_000, True), (Decimal(85), 2_550_000, False), (Decimal(120), 3_000_000, False)],
)
def test_performance_paid_follows_the_evaluation_score(score, paid, awaiting):
    line = compute(person(score=score))
    assert line.performance_amount == paid
    assert line.breakdown["evaluation"]["awaiting"] is awaiting


@pytest.mark.parametrize(
    ("start", "months", "month", "runs"),
    [
        (date(2026, 3, 1), 6, date(2026, 3, 1), True),
        (date(2026, 3, 1), 6, date(2026, 8, 1), True),  # the sixth month
        (date(2026, 3, 1), 6, date(2026, 9, 1), False),
        (date(2026, 3, 1), 6, date(2026, 2, 1), False),
        (date(2026, 3, 15), 0, date(2026, 8, 1), True),  # months from tpp_cut_6
        (date(2025, 11, 1), 12, date(2026, 10, 1), True),  # across the year
        (date(2025, 11, 1), 12, date(2026, 11, 1), False),
    ],
)
def test_a_sanction_runs_for_its_months(start, months, month, runs):
    assert r.Sanction(1, "tpp_cut_6", start, months).runs_in(month) is runs


def test_a_decided_medium_sanction_cuts_25_percent_in_its_months_only():
    sanction = r.Sanction(7, "tpp_cut_6", date(2026, 3, 1), 6)
    inside = compute(person(sanctions=[sanction]))
    assert (inside.sanction_cut, inside.net) == (1_250_000, 3_750_000)
    assert inside.breakdown["sanction"]["cases"] == [
        {"id": 7, "sanction": "tpp_cut_6", "start": "2026-03", "months": 6}
    ]
    later = r.compute(config(), r.Month(date(2026, 9, 1), DAYS, ENDS), person(sanctions=[sanction]))
    assert (later.sanction_cut, later.net) == (0, 5_000_000)


def test_the_hand_computed_line():
    """Base Rp 5.000.000, 60/40, score 85, late 20 and 75 minutes, one unexcused absence:
    performance part 3.000.000 × 85% = 2.550.000;
    discipline part 2.000.000 − (0,5% + 1,5%) × 5.000.000 − 4% × 5.000.000
                  = 2.000.000 − 25.000 − 75.000 − 200.000 = 1.700.000;
    net 2.550.000 + 1.700.000 = 4.250.000.
    With a medium sanction: cut 25% × 4.250.000 = 1.062.500, net 3.187.500."""
    changes = {
        DAYS[0]: r.DayRecord("late", 20, True),
        DAYS[1]: r.DayRecord("late", 75, True),
        DAYS[2]: r.DayRecord("absent"),
    }
    line = compute(person(changes, score=Decimal(85)))
    assert line.base == 5_000_000
    assert (line.performance_part, line.discipline_part) == (3_000_000, 2_000_000)
    assert line.performance_amount == 2_550_000
    assert (line.late_deduction, line.early_leave_deduction) == (100_000, 0)
    assert line.absence_deduction == 200_000
    assert line.discipline_amount == 1_700_000
    assert (line.sanction_cut, line.net) == (0, 4_250_000)
    assert (line.working_days, line.worked_days) == (20, 19)
    bands = line.breakdown["late"]["bands"]
    assert [(b["days"], b["rupiah"]) for b in bands] == [
        (1, "25000"),
        (0, "0"),
        (1, "75000"),
        (0, "0"),
    ]
    cut = compute(
        person(changes, score=Decimal(85), sanctions=[r.Sanction(1, "tpp_cut_9", DAYS[0])])
    )
    assert (cut.sanction_cut, cut.net) == (1_062_500, 3_187_500)


def test_rounding_is_half_up_to_the_whole_rupiah():
    """Base 4.100.100 (class 3): performance 60% = 2.460.060; one late day 0,5% = 20.500,50 →
    Rp 20.501 (half up, not to even); discipline 1.640.040 − 20.500,50 = 1.619.539,50 → 1.619.540;
    net from the rounded amounts 2.460.060 + 1.619.540 = 4.079.600."""
    line = compute(person({WED: r.DayRecord("late", 10, True)}, job_class=3))
    assert line.late_deduction == 20_501
    assert line.discipline_amount == 1_619_540
    assert line.net == 4_079_600
    assert r.rupiah(Decimal("0.5")) == 1 and r.rupiah(Decimal("2.5")) == 3


def test_the_net_is_never_negative():
    """A 100% cut of amounts that each round down but together round up: performance paid
    1.968,05 → 1.968, discipline paid 561.066,45 → 561.066, cut 563.034,50 → 563.035; the net
    from the rounded amounts would be −1, and is 0."""
    rules = TppConfig(
        base_by_job_class={4: Decimal(4_100_101)},
        absence_mode="day_share",
        medium_sanction_cut_percent=Decimal(100),
    )
    month = r.Month(MONTH.period, DAYS[:19], ENDS)
    absent = {d: r.DayRecord("absent") for d in DAYS[:5]}
    sanction = r.Sanction(1, "tpp_cut_12", DAYS[0])
    line = r.compute(
        rules, month, person(absent, job_class=4, score=Decimal("0.08"), sanctions=[sanction])
    )
    assert (line.performance_amount, line.discipline_amount) == (1_968, 561_066)
    assert line.sanction_cut == 563_035
    assert line.net == 0


@pytest.mark.parametrize(("job_class", "code"), [(None, r.NO_JOB_CLASS), (5, r.NO_AMOUNT)])
def test_no_job_class_or_amount_gives_a_zero_line_with_its_problem(job_class, code):
    line = compute(person({WED: r.DayRecord("absent")}, job_class=job_class))
    assert (line.base, line.net, line.absence_deduction) == (0, 0, 0)
    assert line.problem_code == code
    assert line.worked_days == 19  # the days are still counted for the person to check
