"""The month-end evaluation (PermenPANRB 6/2022; R8: each month-end the OPD head evaluates), as
pure functions over plain data (no ORM). Every percentage is a Decimal rounded to 2 decimals,
half up; the score is computed from the rounded parts, the numbers a person sees and can check.

- Required days: the agency calendar's working days of the month, minus the working days the
  roster marks LEAVE, DUTY or ISOLATION (published or not: those are facts) and the other working
  days whose attendance is "excused". Those days ask nothing of the person.
- Report completion = daily reports submitted or approved (not draft, not returned) on required
  days / required days × 100; None without required days.
- Attendance compliance = (present days + 0.5 × late days) / required days × 100, counting the
  attendance of required days only; None without required days.
- Video-call compliance = roll lines "present" / (lines present + absent) × 100 over the month's
  calls ("excused" lines count for neither); None when the person has no such line.
- Target achievement, over the person's active targets whose period overlaps the month: the due
  span of a target is period_start..deadline; expected by the month's end = quantity × working
  days of the due span up to the month's last day / working days of the whole due span (the whole
  quantity once the deadline has passed, or when the span has no working day); achieved = the
  output of the report items serving the target in reports submitted or approved dated from
  period_start to the month's end; achievement = min(achieved / expected, 1). A target that
  expects nothing yet (its span has no working day up to the month's end) is shown but not
  weighed. Weighted achievement = Σ weight × achievement / Σ weight × 100; None without targets.
- Score = Σ component weight × component value / Σ weights of the components that are not None
  (a missing part's weight spreads over the others); 0 when every part is None or the parts
  present weigh nothing.
- Rating: score ≥ sangat_baik → Sangat Baik, ≥ baik → Baik, ≥ butuh_perbaikan → Butuh Perbaikan,
  ≥ kurang → Kurang, else Sangat Kurang (thresholds from the agency's rules, config.py).
- Evaluation day: rules `evaluation.run_on_day`; None = the calendar's last working day of the
  month; a day number past the month's length (31 in a 30-day month) = the month's last day.
  A month can be evaluated from its evaluation day on, never before, never a future month.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from darirumah.core.calendar import AgencyCalendar

from ..config import EvaluationConfig, Rating, RatingThresholds
from . import month_bounds

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)
COMPONENTS = ("targets", "reports", "attendance", "vicon")
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def q2(value: Decimal) -> Decimal:
    """Two decimals, half up (12.345 → 12.35)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def percent(part, whole) -> Decimal | None:
    """part / whole × 100, rounded; None when there is no whole."""
    if not whole:
        return None
    return q2(Decimal(part) * HUNDRED / Decimal(whole))


# --- the period ------------------------------------------------------------------------------


def parse_period(text: str | None) -> date | None:
    """ "YYYY-MM" as the first day of the month; None for anything else (years 1900–2999)."""
    match = _PERIOD.match((text or "").strip())
    if match is None or not 1900 <= int(match[1]) <= 2999:
        return None
    return date(int(match[1]), int(match[2]), 1)


def run_day(year: int, month: int, *, run_on_day: int | None, calendar: AgencyCalendar) -> date:
    """The day a month is evaluated (see the module's rules)."""
    if run_on_day is None:
        return calendar.last_working_day_of_month(year, month)
    last = month_bounds(year, month)[1]
    return date(year, month, min(run_on_day, last.day))


def period_problem(period: date, *, today: date, evaluated_on: date) -> str | None:
    """Why a month cannot be evaluated on `today` (both the agency's local days), or None.
    `evaluated_on` is the month's evaluation day (run_day)."""
    month = date_format(period, "F Y")
    if (period.year, period.month) > (today.year, today.month):
        return _("%(month)s has not started yet: it cannot be evaluated.") % {"month": month}
    if today < evaluated_on:
        return _("%(month)s is evaluated from %(day)s on: it is not over yet.") % {
            "month": month,
            "day": date_format(evaluated_on),
        }
    return None


# --- working days over a long range ------------------------------------------------------------


class WorkingDayCounter:
    """Working days between two dates in constant time, after one pass over [first, last]
    (prefix sums): a month's thousands of targets each ask about their own span."""

    def __init__(self, calendar: AgencyCalendar, first: date, last: date):
        self.first = first
        self.last = last
        self._upto = [0]  # _upto[i] = working days in [first, first + i - 1]
        day, running = first, 0
        while day <= last:
            running += calendar.is_working_day(day)
            self._upto.append(running)
            day += timedelta(days=1)

    def count(self, start: date, end: date) -> int:
        if start > end:
            return 0
        if start < self.first or end > self.last:
            raise ValueError(f"{start}..{end} is outside {self.first}..{self.last}")
        return self._upto[(end - self.first).days + 1] - self._upto[(start - self.first).days]


# --- the parts ---------------------------------------------------------------------------------


def required_days(working_days: int, asking_nothing: int) -> int:
    return max(working_days - asking_nothing, 0)


def report_completion(reports: int, required: int) -> Decimal | None:
    return percent(reports, required)


def attendance_compliance(present: int, late: int, required: int) -> Decimal | None:
    if not required:
        return None
    return q2((Decimal(present) + Decimal(late) / 2) * HUNDRED / required)


def vicon_compliance(present: int, absent: int) -> Decimal | None:
    return percent(present, present + absent)


@dataclass(frozen=True)
class TargetMonth:
    """A target as the month sees it. `span_days`: working days of period_start..deadline;
    `due_days`: those up to the month's last day; `achieved`: the output reported for it."""

    id: int
    indicator: str
    quantity: Decimal
    weight: Decimal
    start: date
    deadline: date
    span_days: int
    due_days: int
    achieved: Decimal = ZERO


def expected_quantity(target: TargetMonth, month_end: date) -> Decimal:
    """What the target asks for by the month's end (unrounded)."""
    if target.deadline <= month_end or target.span_days <= 0:
        return target.quantity
    return target.quantity * target.due_days / target.span_days


def target_achievement(
    targets: Iterable[TargetMonth], month_end: date
) -> tuple[Decimal | None, list[dict]]:
    """The weighted achievement (percent) and each target's numbers for the figures."""
    weighed = total = ZERO
    details = []
    for t in targets:
        expected = expected_quantity(t, month_end)
        share = min(t.achieved / expected, Decimal(1)) if expected > 0 else None
        if share is not None:
            weighed += t.weight * share
            total += t.weight
        details.append(
            {
                "id": t.id,
                "indicator": t.indicator,
                "weight": str(t.weight),
                "quantity": str(t.quantity),
                "start": t.start.isoformat(),
                "deadline": t.deadline.isoformat(),
                "expected": str(q2(expected)),
                "achieved": str(t.achieved),
                "achievement": str(q2(share * HUNDRED)) if share is not None else None,
            }
        )
    if not total:
        return None, details
    return q2(weighed / total * HUNDRED), details


def score(values: Mapping[str, Decimal | None], weights: Mapping[str, Decimal]) -> Decimal:
    """The weighted mean of the parts present (see the module's rules)."""
    present = [(weights[key], value) for key, value in values.items() if value is not None]
    total = sum((w for w, _v in present), ZERO)
    if not total:
        return q2(ZERO)
    return q2(sum((w * v for w, v in present), ZERO) / total)


def rating_for(value: Decimal, thresholds: RatingThresholds) -> str:
    for rating, lowest in (
        (Rating.SANGAT_BAIK, thresholds.sangat_baik),
        (Rating.BAIK, thresholds.baik),
        (Rating.BUTUH_PERBAIKAN, thresholds.butuh_perbaikan),
        (Rating.KURANG, thresholds.kurang),
    ):
        if value >= lowest:
            return rating.value
    return Rating.SANGAT_KURANG.value


# --- one person's month ------------------------------------------------------------------------


@dataclass
class PersonMonth:
    """What the month's records say about one person (counts over working days)."""

    working_days: int
    roster_days: int = 0  # working days on leave, duty or isolation in the roster
    excused_days: int = 0  # other working days with attendance "excused"
    reports: int = 0  # reports submitted or approved on required days
    late_reports: int = 0  # of those, first submitted after the day's deadline
    present: int = 0  # attendance of required days
    late: int = 0
    absent: int = 0
    vicon_present: int = 0
    vicon_absent: int = 0
    vicon_excused: int = 0
    targets: list[TargetMonth] = field(default_factory=list)


@dataclass(frozen=True)
class Outcome:
    working_days: int
    required_days: int
    target_achievement: Decimal | None
    report_completion: Decimal | None
    attendance_compliance: Decimal | None
    vicon_compliance: Decimal | None
    score: Decimal
    rating: str
    figures: dict


def evaluate(person: PersonMonth, config: EvaluationConfig, month_end: date) -> Outcome:
    """The month's parts, score and rating, with the figures behind them (JSON-safe)."""
    required = required_days(person.working_days, person.roster_days + person.excused_days)
    targets, target_rows = target_achievement(person.targets, month_end)
    parts = {
        "targets": targets,
        "reports": report_completion(person.reports, required),
        "attendance": attendance_compliance(person.present, person.late, required),
        "vicon": vicon_compliance(person.vicon_present, person.vicon_absent),
    }
    weights = config.weights.model_dump()
    total = score(parts, weights)
    recorded = person.present + person.late + person.absent
    figures = {
        "working_days": person.working_days,
        "required_days": required,
        "leave_duty_isolation_days": person.roster_days,
        "excused_days": person.excused_days,
        "reports_counted": person.reports,
        "late_reports": person.late_reports,
        "attendance": {
            "present": person.present,
            "late": person.late,
            "absent": person.absent,
            "excused": person.excused_days,
            "not_recorded": max(required - recorded, 0),
        },
        "vicon": {
            "present": person.vicon_present,
            "absent": person.vicon_absent,
            "excused": person.vicon_excused,
        },
        "targets": target_rows,
        "weights": {key: str(weights[key]) for key in COMPONENTS},
        "parts_weighed": [key for key in COMPONENTS if parts[key] is not None],
        "thresholds": {k: str(v) for k, v in config.thresholds.model_dump().items()},
    }
    return Outcome(
        working_days=person.working_days,
        required_days=required,
        target_achievement=parts["targets"],
        report_completion=parts["reports"],
        attendance_compliance=parts["attendance"],
        vicon_compliance=parts["vicon"],
        score=total,
        rating=rating_for(total, config.thresholds),
        figures=figures,
    )


def average(total: Decimal | None, count: int) -> str | None:
    """A mean for a summary, as text (None without values)."""
    if not count or total is None:
        return None
    return str(q2(Decimal(total) / count))
