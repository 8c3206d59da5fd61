"""The performance app's background work: the daily discipline job, run by the job runner
(darirumah/jobs) at the end of each working day in each agency's zone."""

from __future__ import annotations

from datetime import date, time

from django.utils.translation import gettext_lazy

from darirumah.jobs.registry import register_timed_job
from darirumah.org.models import Agency

from .services.discipline import discipline_overdue_flag, discipline_scan

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
