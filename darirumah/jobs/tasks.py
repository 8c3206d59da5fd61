"""The job runner's Huey tasks: take ids, call a service.

`dispatch` runs every minute on the worker (`darirumah worker`) and enqueues `run_timed_job` for
each job that became due in some agency's zone.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import services


@db_task()
def run_timed_job(run_id: int) -> None:
    services.job_run_execute(run_id=run_id)


@db_periodic_task(crontab(minute="*"))
def dispatch() -> int:
    runs = services.due_runs_create()
    for run in runs:
        run_timed_job(run.pk)
    for run_id in services.stale_runs():
        run_timed_job(run_id)
    return len(runs)
