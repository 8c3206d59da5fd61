"""The performance app's background work: the daily discipline job and the month-end run,
run by the job runner
(darirumah/jobs) at the end of each working day in each agency's zone."""

from __future__ import annotations

from datetime import date, time

from django.utils.translation import gettext_lazy

from darirumah.jobs.registry import register_timed_job
from darirumah.org.models import Agency

from .models import MonthEndRun
from .services.discipline import discipline_overdue_flag, discipline_scan
from .services.month_end import month_due, month_end_run

DISCIPLINE_DAILY = "performance.discipline_daily"
# Local time, after the working day ends (16:00 Mon–Thu, 16:30 Fri under Perpres 21/2023). The
# day's absences are marked by the end-of-day job at 23:00, so they count in the next day's scan.
END_OF_WORKDAY = time(17, 0)


def discipline_daily(*, agency_id: int, day: date) -> str:
    """Recommend the cases the agency's attendance and targets call for up to `day`, and flag
    the recommendations left undecided past their deadline. Safe to run again."""
    agency = Agency.objects.get(pk=agency_id)
    counts = discipline_scan(agency=agency, through=day)
    flagged = discipline_overdue_flag(agency=agency, today=day)
    return f"opened {counts['opened']}, overdue flagged {flagged}"


def register() -> None:
    """Called from PerformanceConfig.ready()."""
    register_timed_job(
        DISCIPLINE_DAILY,
        at=lambda agency, rules: END_OF_WORKDAY,
        task=discipline_daily,
        label=gettext_lazy("Discipline recommendations"),
    )
    register_timed_job(
        MONTH_END,
        at=lambda agency, rules: MONTH_END_AT,
        task=month_end,
        label=gettext_lazy("Month-end evaluation and TPP"),
    )


MONTH_END = "performance.month_end"
# Local time: after the end-of-day job (23:00) has marked the day's absences.
MONTH_END_AT = time(23, 30)


def month_end(*, agency_id: int, day: date) -> str:
    """On the month's evaluation day (or the first working day after a missed one): evaluate,
    pay and check discipline (services/month_end.py). Safe to run again."""
    agency = Agency.objects.get(pk=agency_id)
    period = month_due(agency, day)
    if period is None:
        return "-"
    run = month_end_run(agency=agency, period=period, trigger=MonthEndRun.Trigger.SCHEDULE)
    evaluation = run.counts["evaluation"]
    return (
        f"{period:%Y-%m}: evaluated {evaluation.get('created', 0) + evaluation.get('updated', 0)}, "
        f"TPP {run.counts['tpp'].get('lines', '')}, cases {run.counts['discipline'].get('opened')}"
    )
