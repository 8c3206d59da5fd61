"""The month-end run (issue 5): on the month's evaluation day, after the day's absences are
marked, the evaluation of every employee, then the TPP list (it pays the performance part by
the evaluation's score), then the discipline recommendations up to the month's end. Each step is
idempotent, so a run started twice — by the schedule and by BKPSDM — gives the same numbers.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from darirumah.core.calendar import calendar_for, utcnow
from darirumah.org.models import Agency

from ..models import MonthEndRun
from ..rules import month_bounds
from ..selectors import evaluation as evaluation_selectors
from .discipline import discipline_scan
from .evaluation import evaluation_run
from .tpp import tpp_run

# A scheduled run missed (a day off, the worker down) is caught up on a working day within this
# many days; older months are run by BKPSDM from the evaluation page if at all.
CATCH_UP_DAYS = 10


def month_end_run(
    *, agency: Agency, period: date, trigger: str = MonthEndRun.Trigger.MANUAL, actor=None
) -> MonthEndRun:
    """Evaluate, pay and check discipline for one month of an agency; returns the run record
    with the counts of each step. Refuses a month before its evaluation day (DomainError from
    evaluation_run), leaving only an unfinished run record behind to show the attempt."""
    start, end = month_bounds(period.year, period.month)
    run = MonthEndRun.objects.create(
        agency=agency, period=start, trigger=trigger, started_by=actor, started_at=utcnow()
    )
    counts: dict = {}
    counts["evaluation"] = evaluation_run(agency=agency, period=start, actor=actor)
    counts["tpp"] = tpp_run(agency=agency, period=start)
    through = min(end, calendar_for(agency).today())
    counts["discipline"] = discipline_scan(agency=agency, through=through)
    with transaction.atomic():
        run.counts = counts
        run.finished_at = utcnow()
        run.save(update_fields=["counts", "finished_at"])
    return run


def month_due(agency: Agency, today: date) -> date | None:
    """The month the schedule should run on `today`: this month from its evaluation day on, or
    the previous month when its scheduled run never finished (its day fell on a day off or the
    worker was down) within the last CATCH_UP_DAYS; None when there is nothing to do."""
    config = evaluation_selectors.performance_config(agency)
    calendar = calendar_for(agency, years=[today.year - 1, today.year])
    this_month = today.replace(day=1)
    previous = (this_month - timedelta(days=1)).replace(day=1)
    done = set(
        MonthEndRun.objects.filter(
            agency=agency,
            period__in=[previous, this_month],
            trigger=MonthEndRun.Trigger.SCHEDULE,
            finished_at__isnull=False,
        ).values_list("period", flat=True)
    )
    if today >= evaluation_selectors.evaluation_day(this_month, config, calendar):
        return None if this_month in done else this_month
    missed = evaluation_selectors.evaluation_day(previous, config, calendar)
    if previous in done or today - missed > timedelta(days=CATCH_UP_DAYS):
        return None
    return previous
