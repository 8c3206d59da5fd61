"""Job-run endpoints: did the timed jobs run? For the platform operator and BKPSDM."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from darirumah.core.calendar import zone_info
from darirumah.org.access import access_for, get_visible

from . import registry, selectors
from .models import JobRun

router = Router(tags=["jobs"])


def _local(obj: JobRun, value: datetime | None) -> datetime | None:
    # Times carry the agency's offset (WIB, WITA, WIT).
    return None if value is None else timezone.localtime(value, zone_info(obj.agency.zone))


class JobRunOut(Schema):
    id: int
    name: str
    label: str
    agency_id: int
    agency: str
    local_date: date
    status: str
    queued_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    result: str
    error: str

    @staticmethod
    def resolve_label(obj):
        return registry.label_of(obj.name)

    @staticmethod
    def resolve_agency(obj):
        return obj.agency.name

    @staticmethod
    def resolve_queued_at(obj):
        return _local(obj, obj.queued_at)

    @staticmethod
    def resolve_started_at(obj):
        return _local(obj, obj.started_at)

    @staticmethod
    def resolve_finished_at(obj):
        return _local(obj, obj.finished_at)


@router.get("/jobs/runs", response=list[JobRunOut])
@paginate(PageNumberPagination)
def job_run_list(request, agency_id: int | None = None, name: str | None = None):
    """Recent runs of the timed jobs, newest day first: the operator sees every agency, BKPSDM
    their own; `agency_id` and `name` narrow the list."""
    access = access_for(request.user)
    access.require(access.watches_jobs(access.agency_id))
    agency = get_visible(access.agencies(), agency_id) if agency_id is not None else None
    runs = selectors.runs_for(access=access, agency=agency)
    if name:
        runs = runs.filter(name=name)
    return runs
