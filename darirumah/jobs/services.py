"""Starting the timed jobs at each agency's local time, and recording how each run went.

`due_runs_create` is the dispatcher's write: for every agency it works out, in the agency's zone,
which registered jobs are due now (rules.due_jobs) and creates their JobRun rows. The row is the
lock: (name, agency, local date) is unique, so a second dispatch in the same minute, a late one,
or two at once create nothing more, and a job runs at most once per agency and day.
`job_run_execute` runs one queued JobRun and records the outcome.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from darirumah.core import calendar
from darirumah.org.models import Agency
from darirumah.policy.selectors import agency_rules

from . import registry, rules
from .models import JobRun

logger = logging.getLogger(__name__)
ERROR_MAX = 4000
# A run still queued after this long was lost by the queue (e.g. a Redis restart): enqueue it
# again. Running it twice is harmless: job_run_execute takes a queued run only once.
STALE_AFTER = timedelta(minutes=10)


def _slots(agency: Agency, day, jobs: list[registry.TimedJob]) -> list[rules.Slot]:
    ruleset = agency_rules(agency, day)
    slots = []
    for job in jobs:
        try:
            slots.append(rules.Slot(job.name, job.at(agency, ruleset)))
        except Exception:
            # One job with a broken time must not stop the others (nor the other agencies).
            logger.exception(
                "jobs: cannot work out the time of %s for agency %s", job.name, agency.pk
            )
    return slots


def due_runs_create(*, now: datetime | None = None) -> list[JobRun]:
    """Create a JobRun for every job that is due now in every agency; returns the new runs
    (queued), which the caller enqueues. Runs that already exist are left alone."""
    moment = now if now is not None else calendar.utcnow()
    jobs = registry.timed_jobs()
    if not jobs:
        return []
    created: list[JobRun] = []
    for agency in Agency.objects.all().order_by("pk"):
        cal = calendar.calendar_for(agency)
        local_now = cal.now(moment)
        day = local_now.date()
        done = set(
            JobRun.objects.filter(agency=agency, local_date=day).values_list("name", flat=True)
        )
        if len(done) >= len(jobs) or not cal.is_working_day(day):
            continue
        slots = _slots(agency, day, [j for j in jobs if j.name not in done])
        for name in rules.due_jobs(local_now, slots, is_working_day=cal.is_working_day, done=done):
            try:
                # A savepoint per run: the unique constraint refuses a duplicate from a
                # concurrent dispatcher without spoiling anything else.
                with transaction.atomic():
                    run = JobRun.objects.create(
                        name=name, agency=agency, local_date=day, queued_at=calendar.utcnow()
                    )
            except IntegrityError:
                continue
            created.append(run)
    return created


def stale_runs(*, now: datetime | None = None) -> list[int]:
    """Ids of runs queued more than STALE_AFTER ago (within the last day) and never started."""
    moment = now if now is not None else calendar.utcnow()
    return list(
        JobRun.objects.filter(
            status=JobRun.Status.QUEUED,
            queued_at__lt=moment - STALE_AFTER,
            queued_at__gte=moment - timedelta(days=1),
        ).values_list("pk", flat=True)
    )


def job_run_execute(*, run_id: int) -> JobRun | None:
    """Run one queued JobRun: mark it running, call its job, record done or failed. A run that
    is not queued any more (already taken by another worker) is left alone; returns None then."""
    taken = JobRun.objects.filter(pk=run_id, status=JobRun.Status.QUEUED).update(
        status=JobRun.Status.RUNNING, started_at=calendar.utcnow()
    )
    if not taken:
        return None
    run = JobRun.objects.get(pk=run_id)
    job = registry.timed_job(run.name)
    status, result, error = JobRun.Status.DONE, "", ""
    if job is None:
        status, error = JobRun.Status.FAILED, f"no timed job is registered as {run.name!r}"
    else:
        try:
            outcome = job.task(agency_id=run.agency_id, day=run.local_date)
            result = "" if outcome is None else str(outcome)[:300]
        except Exception as exc:
            logger.exception("jobs: %s failed for agency %s", run.name, run.agency_id)
            status, error = JobRun.Status.FAILED, f"{type(exc).__name__}: {exc}"[:ERROR_MAX]
    JobRun.objects.filter(pk=run.pk).update(
        status=status, result=result, error=error, finished_at=calendar.utcnow()
    )
    run.refresh_from_db()
    return run
