"""Reads of the health register and of its access log, scoped to the caller.

Names go only to the agency's health officers and the head of BKPSDM (`reads_health_names`);
everyone else reads their own cases. The callers (api/cases.py, views/cases.py) log every read
that shows names, with the reason given.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from darirumah.core.calendar import zone_info
from darirumah.core.errors import NotAllowed, NotFound
from darirumah.org.access import Access
from darirumah.org.models import Agency, Unit

from ..models import HealthAccessLog, HealthCase

# `status` may also be "open": suspect, probable or confirmed.
OPEN_FILTER = "open"


def _with_people(cases: QuerySet[HealthCase]) -> QuerySet[HealthCase]:
    return cases.select_related("employee__unit", "agency").prefetch_related("tests")


def own_cases(access: Access) -> QuerySet[HealthCase]:
    """The caller's own cases (none without an employee record)."""
    if access.employee is None:
        return HealthCase.objects.none()
    return _with_people(HealthCase.objects.filter(employee_id=access.employee.pk))


def cases_for(
    access: Access,
    agency_id: int | None,
    status: str | None = None,
    unit_id: int | None = None,
    search: str | None = None,
) -> QuerySet[HealthCase]:
    """The agency's cases for a names-reader, filtered by status ("open" for the three open
    ones), unit (with its sub-units) and a part of the name or NIP; the caller's own cases for
    everyone else (the same filters apply)."""
    if access.reads_health_names(agency_id):
        cases = _with_people(HealthCase.objects.filter(agency_id=agency_id))
    else:
        cases = own_cases(access)
    if status == OPEN_FILTER:
        cases = cases.filter(status__in=HealthCase.OPEN)
    elif status:
        cases = cases.filter(status=status)
    if unit_id is not None:
        unit = Unit.objects.filter(pk=unit_id, agency_id=agency_id).first()
        if unit is None:
            raise NotFound(_("Not found, or not visible to you."))
        cases = cases.filter(employee__unit__path__startswith=unit.path)
    words = " ".join((search or "").split())
    if words:
        cases = cases.filter(
            Q(employee__name__icontains=words) | Q(employee__nip__startswith=words)
        )
    return cases


def is_own(access: Access, case: HealthCase) -> bool:
    return access.employee is not None and case.employee_id == access.employee.pk


def case_visible(access: Access, pk: int) -> HealthCase:
    """The case, if the caller reads names in its agency or it is their own; else NotFound."""
    case = _with_people(HealthCase.objects.filter(pk=pk)).first()
    if case is None or not (access.reads_health_names(case.agency_id) or is_own(access, case)):
        raise NotFound(_("Not found, or not visible to you."))
    return case


def day_bounds(agency: Agency, start: date, end: date) -> tuple[datetime, datetime]:
    """The moments from the start of `start` to the end of `end`, in the agency's zone."""
    tz = zone_info(agency.zone)
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def access_log_for(
    access: Access,
    agency_id: int,
    start: date,
    end: date,
    user_id: int | None = None,
) -> QuerySet[HealthAccessLog]:
    """Who read or changed named health data in the agency between two of its days, newest
    first: for the names-readers only (they answer for it; UU 27/2022)."""
    if not access.reads_health_names(agency_id):
        raise NotAllowed(
            _("Only the health officers and the head of BKPSDM read the health data access log.")
        )
    agency = Agency.objects.get(pk=agency_id)
    since, until = day_bounds(agency, start, end)
    rows = HealthAccessLog.objects.filter(agency_id=agency_id, at__gte=since, at__lt=until)
    if user_id is not None:
        rows = rows.filter(user_id=user_id)
    return rows.select_related("user__employee")


def log_users(agency_id: int) -> list:
    """The people who appear in the agency's access log, for the page's filter."""
    from darirumah.org.models import User

    ids = HealthAccessLog.objects.filter(agency_id=agency_id).values("user_id").distinct()
    return list(User.objects.filter(pk__in=ids).select_related("employee").order_by("username"))
