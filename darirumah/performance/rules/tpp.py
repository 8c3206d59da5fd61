"""The TPP allowance (PP 12/2019 art. 58 and the region's own Perkada) as pure functions over
plain data, no ORM. The numbers are the agency's (config.TppConfig; the defaults of DOMAIN.md).

For one person and one month:

1. base = the table amount of the person's job class (kelas jabatan 1–17). No class, or no
   amount for the class → a line paying Rp 0 that states the problem (never an error).
2. performance part = base × performance weight / 100; discipline part = base × discipline
   weight / 100 (60/40 by default).
3. performance paid = performance part × min(evaluation score, 100) / 100, from the month's
   evaluation; with no evaluation yet the whole part is paid and the breakdown says it awaits
   the evaluation.
4. Each working day of the agency calendar is one of (R9: staff sent home keep their pay):
   - LEAVE in the roster → excused (no deduction, not counted as worked);
   - ISOLATION or DUTY in the roster → worked (excused working; isolated staff keep their
     rights, Kepmenkes 328/2020);
   - attendance "excused" → excused; attendance "absent" → unexcused absence;
   - WFO (or no roster entry) with attendance present or late → worked;
   - WFH or WFA with attendance present or late and that day's report submitted or approved →
     worked; without the report → unexcused absence;
   - no attendance record → not recorded: neither worked nor deducted (the end-of-day job
     records every absence; days still to come have no record).
5. Deductions, each a percent of the MONTHLY allowance (base), on the worked WFO/WFH/WFA days:
   - late arrival: minutes_late through the late bands (1–30 min 0.5%, 31–60 1%, 61–90 1.5%,
     over 90 2%); a day marked late without minutes counts as 1 minute;
   - early leave: the whole minutes from the check-out to the end of that day's work hours
     through the early-leave bands (same defaults); no check-out → no early-leave deduction;
   - a check-out without a check-in: no_checkin_percent (2%), counted with late arrival;
   - unexcused absence: absence mode "percent" → absence_percent (4%) a day; "day_share" →
     that day's share, base / working days of the month, a day.
   Together they never take more than the discipline part:
   discipline paid = discipline part − deductions, never below 0.
6. A decided medium sanction (25% allowance cut for 6, 9 or 12 months, PP 94/2021) running in
   the month (first month ≤ month < first month + its months) cuts medium_sanction_cut_percent
   (25%) of (performance paid + discipline paid). Overlapping sanctions cut once.
7. Rounding rule: every amount is computed in Decimal without intermediate rounding (a day share
   to 28 significant digits); each stored amount is then rounded half-up to the whole rupiah
   (Rp 0,50 → Rp 1). net = performance paid + discipline paid − sanction cut, from the rounded
   amounts, never below 0. The per-band rupiah in the breakdown are rounded the same way for
   display; the stored deductions are the rounded exact sums.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, localcontext

from django.utils.translation import gettext as _

from ..config import AbsenceMode, Band, TppConfig

HUNDRED = Decimal(100)
ZERO = Decimal(0)
RUPIAH = Decimal(1)
ROUNDING_RULE = "half_up_whole_rupiah"

# Roster modes (the values of darirumah.roster.models.Mode, kept here as data: no ORM).
WFO, WFH, WFA, ISOLATION, LEAVE, DUTY = "WFO", "WFH", "WFA", "ISOLATION", "LEAVE", "DUTY"
REPORTED_MODES = (WFH, WFA)  # a day worked away from the office needs its daily report
EXCUSED_WORKING = (ISOLATION, DUTY)
# Attendance statuses (darirumah.attendance.models.Attendance.Status).
PRESENT, LATE, ABSENT, EXCUSED = "present", "late", "absent", "excused"

# What a working day counts as.
WORKED, EXCUSED_DAY, ABSENCE, NOT_RECORDED = "worked", "excused", "absence", "not_recorded"

# The months of each medium sanction that cuts the allowance (PP 94/2021 art. 8).
CUT_SANCTIONS = {"tpp_cut_6": 6, "tpp_cut_9": 9, "tpp_cut_12": 12}

NO_JOB_CLASS = "no_job_class"
NO_AMOUNT = "no_amount"


def rounding_rule_text() -> str:
    return _(
        "Each amount is computed exactly and rounded half-up to the whole rupiah; the net is "
        "the performance paid plus the discipline paid minus the sanction cut, never below 0."
    )


def problem_text(code: str, job_class: int | None = None) -> str:
    if code == NO_JOB_CLASS:
        return _("No job class (kelas jabatan) is recorded: no allowance was computed.")
    if code == NO_AMOUNT:
        return _("The TPP table has no amount for job class %(job_class)s.") % {
            "job_class": job_class
        }
    return ""


def rupiah(amount: Decimal) -> Decimal:
    """The amount rounded half-up to the whole rupiah."""
    return amount.quantize(RUPIAH, rounding=ROUND_HALF_UP)


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


# --- input -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayRecord:
    """A day's attendance record as the allowance sees it."""

    status: str
    minutes_late: int = 0
    has_check_in: bool = False
    check_out_at: datetime | None = None


@dataclass(frozen=True)
class Sanction:
    """A decided sanction that cuts the allowance."""

    case_id: int
    sanction: str
    start: date
    months: int = 0

    @property
    def length(self) -> int:
        return self.months or CUT_SANCTIONS.get(self.sanction, 0)

    def runs_in(self, period: date) -> bool:
        first = month_index(self.start)
        return first <= month_index(period) < first + self.length


@dataclass(frozen=True)
class Month:
    """The agency's month: its working days and when each one's work hours end (aware)."""

    period: date
    working_days: Sequence[date]
    day_ends: Mapping[date, datetime]


@dataclass
class PersonMonth:
    job_class: int | None
    modes: Mapping[date, str] = field(default_factory=dict)  # only days with a roster entry
    records: Mapping[date, DayRecord] = field(default_factory=dict)
    reports: Collection[date] = frozenset()  # days with a submitted or approved report
    score: Decimal | None = None  # the month's evaluation score; None: not evaluated yet
    rating: str = ""
    sanctions: Sequence[Sanction] = ()


@dataclass
class Amounts:
    """A computed line: the stored (rounded) amounts, the day counts and the breakdown."""

    base: Decimal
    performance_part: Decimal
    discipline_part: Decimal
    performance_amount: Decimal
    late_deduction: Decimal
    early_leave_deduction: Decimal
    absence_deduction: Decimal
    discipline_amount: Decimal
    sanction_cut: Decimal
    net: Decimal
    working_days: int
    worked_days: int
    problem_code: str
    breakdown: dict


# --- single rules ------------------------------------------------------------------------------


def classify_day(mode: str | None, record: DayRecord | None, report_sent: bool) -> tuple[str, str]:
    """(what the day counts as, why): see rule 4 of the module docstring."""
    if mode == LEAVE:
        return EXCUSED_DAY, "leave"
    if mode in EXCUSED_WORKING:
        return WORKED, mode
    if record is None:
        return NOT_RECORDED, "no_record"
    if record.status == EXCUSED:
        return EXCUSED_DAY, "excused"
    if record.status == ABSENT:
        return ABSENCE, "absent"
    if record.status not in (PRESENT, LATE):
        return NOT_RECORDED, "no_record"
    if mode in REPORTED_MODES:
        return (WORKED, mode) if report_sent else (ABSENCE, "no_report")
    return WORKED, WFO


def band_index(bands: Sequence[Band], minutes: int) -> int | None:
    """The band a number of minutes falls in; None for no minutes."""
    if minutes <= 0:
        return None
    for index, band in enumerate(bands):
        if band.up_to_minutes is None or minutes <= band.up_to_minutes:
            return index
    return None


def early_leave_minutes(check_out_at: datetime | None, day_end: datetime | None) -> int:
    """Whole minutes between the check-out and the end of the work hours (0 when none)."""
    if check_out_at is None or day_end is None or check_out_at >= day_end:
        return 0
    return int((day_end - check_out_at).total_seconds() // 60)


def base_for(config: TppConfig, job_class: int | None) -> tuple[Decimal, str]:
    """(monthly allowance, problem code)."""
    if job_class is None:
        return ZERO, NO_JOB_CLASS
    amount = config.base_by_job_class.get(job_class)
    if amount is None:
        return ZERO, NO_AMOUNT
    return Decimal(amount), ""


def _pct(base: Decimal, percent: Decimal) -> Decimal:
    return base * percent / HUNDRED


def _bands_out(bands: Sequence[Band], counts: list[int], base: Decimal) -> list[dict]:
    return [
        {
            "up_to_minutes": band.up_to_minutes,
            "percent": str(band.percent),
            "days": counts[i],
            "rupiah": str(rupiah(_pct(base, band.percent) * counts[i])) if counts[i] else "0",
        }
        for i, band in enumerate(bands)
    ]


# --- the line ---------------------------------------------------------------------------------


def compute(config: TppConfig, month: Month, person: PersonMonth) -> Amounts:
    """One person's allowance for the month (rules 1–7 of the module docstring)."""
    with localcontext() as ctx:
        ctx.prec = 28
        return _compute(config, month, person)


def _compute(config: TppConfig, month: Month, person: PersonMonth) -> Amounts:
    base, problem = base_for(config, person.job_class)
    performance_part = _pct(base, config.performance_weight)
    discipline_part = _pct(base, config.discipline_weight)

    if person.score is None:
        performance_paid = performance_part
        evaluation = {"awaiting": True, "score": None, "used": "100", "rating": ""}
    else:
        used = min(max(person.score, ZERO), HUNDRED)
        performance_paid = performance_part * used / HUNDRED
        evaluation = {
            "awaiting": False,
            "score": str(person.score),
            "used": str(used),
            "rating": person.rating,
        }

    worked = {WFO: 0, WFH: 0, WFA: 0, ISOLATION: 0, DUTY: 0}
    excused: list[dict] = []
    absences: list[dict] = []
    not_recorded: list[str] = []
    late_counts = [0] * len(config.late_bands)
    early_counts = [0] * len(config.early_leave_bands)
    late_days: list[dict] = []
    early_days: list[dict] = []
    no_checkin_days: list[str] = []
    for day in month.working_days:
        record = person.records.get(day)
        kind, why = classify_day(person.modes.get(day), record, day in person.reports)
        if kind == ABSENCE:
            absences.append({"date": day.isoformat(), "reason": why})
        elif kind == EXCUSED_DAY:
            excused.append({"date": day.isoformat(), "reason": why})
        elif kind == NOT_RECORDED:
            not_recorded.append(day.isoformat())
        else:
            worked[why] += 1
            if why in EXCUSED_WORKING or record is None:
                continue
            if record.status == LATE:
                minutes = max(record.minutes_late, 1)
                index = band_index(config.late_bands, minutes)
                if index is not None:
                    late_counts[index] += 1
                    late_days.append({"date": day.isoformat(), "minutes": minutes})
            elif not record.has_check_in and record.check_out_at is not None:
                no_checkin_days.append(day.isoformat())
            minutes = early_leave_minutes(record.check_out_at, month.day_ends.get(day))
            index = band_index(config.early_leave_bands, minutes)
            if index is not None:
                early_counts[index] += 1
                early_days.append({"date": day.isoformat(), "minutes": minutes})

    late_percent = sum(
        (band.percent * late_counts[i] for i, band in enumerate(config.late_bands)), ZERO
    )
    no_checkin = _pct(base, config.no_checkin_percent) * len(no_checkin_days)
    late = _pct(base, late_percent) + no_checkin
    early_percent = sum(
        (band.percent * early_counts[i] for i, band in enumerate(config.early_leave_bands)),
        ZERO,
    )
    early = _pct(base, early_percent)
    working_days = len(month.working_days)
    if config.absence_mode == AbsenceMode.DAY_SHARE:
        per_absence = base / working_days if working_days else ZERO
    else:
        per_absence = _pct(base, config.absence_percent)
    absence = per_absence * len(absences)

    deductions = late + early + absence
    applied = min(deductions, discipline_part)
    discipline_paid = discipline_part - applied

    running = [s for s in person.sanctions if s.runs_in(month.period)]
    cut_percent = config.medium_sanction_cut_percent if running else ZERO
    cut = _pct(performance_paid + discipline_paid, cut_percent)

    amounts = {
        "base": rupiah(base),
        "performance_part": rupiah(performance_part),
        "discipline_part": rupiah(discipline_part),
        "performance_amount": rupiah(performance_paid),
        "late_deduction": rupiah(late),
        "early_leave_deduction": rupiah(early),
        "absence_deduction": rupiah(absence),
        "discipline_amount": rupiah(discipline_paid),
        "sanction_cut": rupiah(cut),
    }
    net = max(
        amounts["performance_amount"] + amounts["discipline_amount"] - amounts["sanction_cut"],
        ZERO,
    )
    worked_total = sum(worked.values())
    breakdown = {
        "rounding": ROUNDING_RULE,
        "problem": problem,
        "weights": {
            "performance": str(config.performance_weight),
            "discipline": str(config.discipline_weight),
        },
        "evaluation": evaluation,
        "working_days": working_days,
        "worked": {**worked, "total": worked_total},
        "excused": excused,
        "not_recorded": not_recorded,
        "late": {
            "bands": _bands_out(config.late_bands, late_counts, base),
            "days": late_days,
            "no_checkin": {
                "days": len(no_checkin_days),
                "dates": no_checkin_days,
                "percent": str(config.no_checkin_percent),
                "rupiah": str(rupiah(no_checkin)),
            },
        },
        "early_leave": {
            "bands": _bands_out(config.early_leave_bands, early_counts, base),
            "days": early_days,
        },
        "absences": {
            "days": len(absences),
            "dates": absences,
            "mode": str(config.absence_mode),
            "percent": str(config.absence_percent)
            if config.absence_mode == AbsenceMode.PERCENT
            else None,
            "per_day_rupiah": str(rupiah(per_absence)),
            "rupiah": str(rupiah(absence)),
        },
        "deductions": {
            "total": str(rupiah(deductions)),
            "applied": str(rupiah(applied)),
            "capped": deductions > discipline_part,
        },
        "sanction": {
            "applied": bool(running),
            "percent": str(cut_percent),
            "rupiah": str(amounts["sanction_cut"]),
            "cases": [
                {
                    "id": s.case_id,
                    "sanction": s.sanction,
                    "start": s.start.strftime("%Y-%m"),
                    "months": s.length,
                }
                for s in running
            ],
        },
    }
    return Amounts(
        **amounts,
        net=net,
        working_days=working_days,
        worked_days=worked_total,
        problem_code=problem,
        breakdown=breakdown,
    )
