"""The job-runs page: for the operator and BKPSDM, did this morning's jobs run?"""

from __future__ import annotations

from itertools import groupby

from django.shortcuts import render

from darirumah.core.calendar import zone_info
from darirumah.org.access import Access
from darirumah.org.views.common import chosen_agency, deny, page

from . import registry, selectors


@page
def job_runs(request, access: Access):
    deny(access.watches_jobs(access.agency_id))
    agency = chosen_agency(request, access) if request.GET.get("agency") else None
    runs = selectors.latest_runs(access=access, agency=agency)
    runs.sort(key=lambda r: (r.agency.name, r.agency_id))
    by_agency = [
        (rows[0].agency, rows, zone_info(rows[0].agency.zone))
        for rows in (list(g) for _, g in groupby(runs, key=lambda r: r.agency_id))
    ]
    for _agency, rows, _zone in by_agency:
        rows.sort(key=lambda r: (r.local_date, r.queued_at), reverse=True)
        for row in rows:
            row.label = registry.label_of(row.name)
    context = {
        "by_agency": by_agency,
        "agency": agency,
        "agencies": list(access.agencies()) if access.is_operator else [],
        "jobs": [(job.name, registry.label_of(job.name)) for job in registry.timed_jobs()],
    }
    return render(request, "jobs/job_runs.html", context)
