"""The rules of targets and daily reports, as pure functions over plain data (no ORM).

- The report deadline of a working day is the end of that working day in the agency's zone
  (Perpres 21/2023 hours from the agency calendar: 16:00 Mon–Thu, 16:30 Fri by default). The
  circular's rule set has no field for it: its `report_time` is the hour the OPD recap goes to
  BKPSDM (R12), not the employees' own deadline.
- A report is written for today or an earlier working day of the same month: the month is the
  period the head evaluates at its end (R8), so a closed month is not rewritten.
- A person's active targets weigh at most 100% together on any day (PermenPANRB 6/2022: the
  weights of the planned results share the whole).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from darirumah.core.calendar import AgencyCalendar

MAX_TOTAL_WEIGHT = Decimal(100)
MAX_PERIOD_DAYS = 366
MAX_DAY_MINUTES = 24 * 60


# --- the daily report ----------------------------------------------------------------------


def report_deadline(calendar: AgencyCalendar, day: date) -> datetime | None:
    """The moment a day's report is due (aware, in the agency's zone), None on a day off."""
    hours = calendar.work_hours(day)
    if hours is None:
        return None
    return calendar.local(day, hours[1])


def is_late(submitted_at: datetime, deadline: datetime | None) -> bool:
    """A submission after the deadline is late; on a day without a deadline nothing is."""
    return deadline is not None and submitted_at > deadline


def report_day_problem(day: date, *, today: date, day_off: str | None) -> tuple[str, str] | None:
    """(code, message) when a report cannot be written for `day`, seen on `today` (both in the
    agency's zone); None when it can. `day_off` is the calendar's reason the day is not worked."""
    if day > today:
        return "future_day", _("%(day)s has not come yet: report a day on the day or after it.") % {
            "day": date_format(day)
        }
    if (day.year, day.month) != (today.year, today.month):
        return "period_closed", _(
            "Reports of %(month)s are closed: a report is written for a day of the current month."
        ) % {"month": date_format(day, "F Y")}
    if day_off is not None:
        return "not_working_day", _(
            "%(day)s is not a working day (%(reason)s): there is no report to write."
        ) % {"day": date_format(day), "reason": day_off}
    return None


def total_minutes_problem(minutes: Iterable[int]) -> str | None:
    """The items of one day together take at most 24 hours."""
    total = sum(minutes)
    if total > MAX_DAY_MINUTES:
        return _("The activities add up to %(hours)s hours; a day has 24.") % {
            "hours": f"{total / 60:.1f}"
        }
    return None


# --- targets -------------------------------------------------------------------------------


def period_problems(start: date, end: date, deadline: date) -> dict[str, str]:
    """Problems of a target's period and deadline, per field."""
    problems: dict[str, str] = {}
    if end < start:
        problems["period_end"] = _("The period ends before it starts.")
    elif (end - start) > timedelta(days=MAX_PERIOD_DAYS - 1):
        problems["period_end"] = _("A target's period is at most a year.")
    elif not start <= deadline <= end:
        problems["deadline"] = _(
            "The deadline must fall within the period (%(start)s–%(end)s)."
        ) % {
            "start": date_format(start),
            "end": date_format(end),
        }
    return problems


@dataclass(frozen=True)
class Span:
    """An active target as the weight rule sees it."""

    start: date
    end: date
    weight: Decimal


def peak_weight(spans: Iterable[Span], start: date, end: date) -> Decimal:
    """The highest total weight of the spans on any single day from start to end.

    The total only rises where a span starts, so the peak is on `start` or on a span's start
    within the range."""
    spans = [s for s in spans if s.start <= end and s.end >= start]
    points = {start} | {s.start for s in spans if start <= s.start <= end}
    return max(
        (sum((s.weight for s in spans if s.start <= p <= s.end), Decimal(0)) for p in points),
        default=Decimal(0),
    )


def weight_total_over(existing: Iterable[Span], new: Span) -> Decimal | None:
    """The total weight the new target would bring on its busiest day when that is over 100%,
    else None."""
    total = peak_weight(existing, new.start, new.end) + new.weight
    return total if total > MAX_TOTAL_WEIGHT else None


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month."""
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return first, following - timedelta(days=1)
