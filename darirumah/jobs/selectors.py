"""Reads for the timed jobs: their runs. (The rules in force on a day: policy.selectors.)"""

from __future__ import annotations

from django.db.models import QuerySet

from darirumah.org.access import Access
from darirumah.org.models import Agency

from .models import JobRun

RUNS_LIMIT = 200


def runs_for(*, access: Access, agency: Agency | None = None) -> QuerySet[JobRun]:
    """The recent job runs the caller may watch (operator: every agency; BKPSDM: their own),
    narrowed to one agency when given."""
    if not access.watches_jobs(access.agency_id):
        return JobRun.objects.none()
    qs = JobRun.objects.filter(agency__in=access.agencies()).select_related("agency")
    if agency is not None:
        qs = qs.filter(agency=agency)
    return qs.order_by("-local_date", "-queued_at", "name")


def latest_runs(*, access: Access, agency: Agency | None = None, limit: int = RUNS_LIMIT):
    return list(runs_for(access=access, agency=agency)[:limit])
