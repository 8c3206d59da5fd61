"""Health API: contact tracing of a confirmed case, close contacts, isolation periods (see
API.md).

Names go to the agency's health officers and the head of BKPSDM, who give a reason for every
read (`reason` query parameter or the X-Access-Reason header) and every write (`reason` in the
body); each is written to the access log. An employee reads their own isolations without one.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from darirumah.core import calendar as calendar_service
from darirumah.core.calendar import zone_info
from darirumah.core.errors import DomainError, NotFound
from darirumah.org.access import access_for, get_visible
from darirumah.org.models import Agency, Employee

from ..models import CloseContact, HealthAccessLog, Isolation
from ..selectors import isolations as selectors
from ..selectors import tracing
from ..services import contacts as contact_services
from ..services import isolations as services
from ..services.audit import health_access_log, request_reason
from .cases import MAX_PAGE_SIZE, PAGE_SIZE, EmployeeOut

router = Router()


class TracedOut(Schema):
    employee_id: int = Field(alias="id")
    name: str
    unit_id: int | None
    unit_name: str
    room_id: int | None
    room_name: str
    group: CloseContact.Group = Field(description="room, unit or office: how close they worked.")
    shared_days: list[date] = Field(description="The days both were at the office.")
    count: int
    last_day: date
    marked: bool = Field(description="Already marked a close contact of this case.")


class TraceOut(Schema):
    case_id: int
    employee_id: int
    reference_date: date = Field(
        description="Symptom onset, else the first positive test, else the confirmation day."
    )
    start: date
    end: date
    trace_days: int
    office_id: int | None
    case_days: list[date] = Field(description="The days the case was at the office.")
    contacts: list[TracedOut]


class ContactsIn(Schema):
    employees: list[int] = Field(description="Employee ids among the traced colleagues.")
    reason: str = Field(description="Why you mark them (written to the access log).")
    starts_on: date | None = Field(None, description="First day of isolation; today by default.")
    days: int | None = Field(None, description="Isolation length; the agency's by default.")


class ContactOut(Schema):
    id: int
    employee_id: int
    group: CloseContact.Group
    shared_days: list[date]
    last_contact_on: date | None


class IsolationOut(Schema):
    id: int
    employee: EmployeeOut
    starts_on: date
    ends_on: date = Field(description="The last day of isolation.")
    reason_kind: Isolation.Reason = Field(alias="reason")
    note: str
    case_id: int | None
    contact_id: int | None
    ended_early_on: date | None
    cancelled: bool
    status: str = Field(description="active (in force or to come), over or cancelled.")
    created_at: datetime

    @staticmethod
    def resolve_status(obj) -> str:
        today = getattr(obj, "today", None) or calendar_service.calendar_for(obj.agency).today()
        return selectors.status_of(obj, today)

    @staticmethod
    def resolve_created_at(obj) -> datetime:
        return obj.created_at.astimezone(zone_info(obj.agency.zone))


class MarkedOut(Schema):
    contacts: list[ContactOut]
    isolations: list[IsolationOut]
    skipped: list[int] = Field(description="Already close contacts of the case: left as they are.")


class IsolationPage(Schema):
    items: list[IsolationOut]
    count: int


class IsolationFilters(Schema):
    agency: int | None = Field(None, description="A platform operator's choice; yours otherwise.")
    active_on: date | None = Field(None, description="In force on this day.")
    status: str | None = Field(None, description="active, over or cancelled.")
    unit: int | None = Field(None, description="With its sub-units.")
    kind: Isolation.Reason | None = Field(None, description="Why they isolate.")
    reason: str | None = Field(None, description="Required for names (health officers).")
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class IsolationIn(Schema):
    employee: int = Field(description="The employee's id.")
    starts_on: date
    ends_on: date | None = Field(None, description="The last day; by `days` or the agency's.")
    days: int | None = Field(None, ge=1, le=services.MAX_DAYS, description="Instead of ends_on.")
    reason_kind: Isolation.Reason = Field(description="Why the person isolates.")
    note: str = ""
    case: int | None = Field(None, description="The health case it belongs to, if any.")
    reason: str = Field(description="Why you record it (written to the access log).")


class EndIn(Schema):
    last_day: date | None = Field(None, description="The new last day (yesterday at the earliest).")
    cancel: bool = Field(False, description="Recorded in error: every day back to the plan.")
    reason: str = Field(description="Why (written to the access log).")


def _agency(access, agency_id: int | None) -> Agency | None:
    if agency_id is not None:
        return get_visible(access.agencies(), agency_id)
    if access.agency_id is None:
        return None
    return Agency.objects.get(pk=access.agency_id)


def _dated(items: list[Isolation], agency: Agency | None) -> list[Isolation]:
    """Today of the agency on each row, so the status costs no query per row."""
    if items:
        today = calendar_service.calendar_for(agency or items[0].agency).today()
        for item in items:
            item.today = today
    return items


# --- tracing and close contacts ---------------------------------------------------------------


@router.get("/health/cases/{case_id}/contacts", response=TraceOut)
def case_contacts(request, case_id: int, reason: str | None = None):
    """The colleagues of a confirmed case who were at the same office on its days in the
    tracing window (14 days before onset by default), ranked: the same room, then the same unit,
    then the same office; more shared days and later ones first. Health officers and the head
    of BKPSDM, with a reason (logged)."""
    access = access_for(request.user)
    case = tracing.case_for_tracing(access, case_id)
    result = tracing.trace(access, case, request_reason(request, reason))
    return {
        "case_id": case.pk,
        "employee_id": case.employee_id,
        "reference_date": result.reference,
        "start": result.start,
        "end": result.end,
        "trace_days": result.trace_days,
        "office_id": result.office_id,
        "case_days": result.case_days,
        "contacts": list(result.contacts),
    }


@router.post("/health/cases/{case_id}/contacts", response={201: MarkedOut})
def case_contacts_mark(request, case_id: int, payload: ContactsIn):
    """Mark traced colleagues as close contacts (health officers): each is recorded and goes into
    isolation from `starts_on` for `days` days; people already marked are skipped. All or
    nothing: 409 when one of them is already isolating in that period."""
    access = access_for(request.user)
    case = tracing.case_for_tracing(access, case_id)
    marked = contact_services.contacts_mark(
        access=access,
        case=case,
        employee_ids=payload.employees,
        reason=payload.reason,
        starts_on=payload.starts_on,
        days=payload.days,
    )
    isolations = _dated(
        list(
            selectors.with_people(
                Isolation.objects.filter(pk__in=[i.pk for i in marked.isolations])
            )
        ),
        case.agency,
    )
    return Status(
        201,
        {
            "contacts": marked.contacts,
            "isolations": isolations,
            "skipped": [e.pk for e in marked.skipped],
        },
    )


# --- isolations -------------------------------------------------------------------------------


@router.get("/health/isolations", response=IsolationPage)
def isolation_list(request, filters: Query[IsolationFilters]):
    """The agency's isolations for its health officers and the head of BKPSDM — with a reason,
    and the read is logged with the people listed; the caller's own for everyone else."""
    access = access_for(request.user)
    agency = _agency(access, filters.agency)
    agency_id = agency.pk if agency is not None else None
    names = access.reads_health_names(agency_id)
    reason = request_reason(request, filters.reason) if names else ""
    if filters.status not in (None, "", selectors.ACTIVE, selectors.OVER, selectors.CANCELLED):
        message = _("Choose active, over or cancelled.")
        raise DomainError(message, fields={"status": [message]})
    rows = selectors.isolations_for(
        access, agency_id, active_on=filters.active_on, unit_id=filters.unit, reason=filters.kind
    )
    if filters.status:
        today = calendar_service.calendar_for(agency).today() if agency else None
        if today is not None:
            rows = selectors.status_filter(rows, filters.status, today)
    count = rows.count()
    offset = (filters.page - 1) * filters.page_size
    items = _dated(list(rows[offset : offset + filters.page_size]), agency)
    if names:
        health_access_log(
            access=access,
            agency_id=agency_id,
            action=HealthAccessLog.Action.LIST,
            subject="isolations",
            reason=reason,
            employees=[i.employee_id for i in items],
        )
    return {"items": items, "count": count}


@router.post("/health/isolations", response={201: IsolationOut})
def isolation_create(request, payload: IsolationIn):
    """Record an isolation (health officers): from `starts_on` to `ends_on` (or for `days` days,
    or the agency's isolation length). 409 when it overlaps another of the person's."""
    access = access_for(request.user)
    if access.agency_id is None:
        raise NotFound(_("Not found, or not visible to you."))
    employee = get_visible(
        Employee.objects.filter(agency_id=access.agency_id).select_related("agency"),
        payload.employee,
    )
    case = None
    if payload.case is not None:
        case = tracing.case_for_tracing(access, payload.case)
    ends_on = payload.ends_on
    if ends_on is None and payload.days is not None:
        ends_on = services.default_end(employee.agency_id, payload.starts_on, payload.days)
    isolation = services.isolation_create(
        access=access,
        employee=employee,
        starts_on=payload.starts_on,
        ends_on=ends_on,
        reason_kind=payload.reason_kind,
        note=payload.note,
        case=case,
        reason=payload.reason,
    )
    return Status(201, _dated([selectors.isolation_visible(access, isolation.pk)], None)[0])


@router.get("/health/isolations/{isolation_id}", response=IsolationOut)
def isolation_detail(request, isolation_id: int, reason: str | None = None):
    """One isolation: a health officer or the head of BKPSDM (with a reason, logged), or the
    person themself."""
    access = access_for(request.user)
    isolation = selectors.isolation_visible(access, isolation_id)
    if not selectors.is_own(access, isolation):
        health_access_log(
            access=access,
            agency_id=isolation.agency_id,
            action=HealthAccessLog.Action.VIEW,
            subject=f"isolation:{isolation.pk}",
            reason=request_reason(request, reason),
            employees=[isolation.employee_id],
        )
    return _dated([isolation], None)[0]


@router.post("/health/isolations/{isolation_id}/end", response=IsolationOut)
def isolation_end(request, isolation_id: int, payload: EndIn):
    """End an isolation early with its new last day, or cancel it (`cancel`: recorded in error);
    health officers. The roster gives the days back to the plan."""
    access = access_for(request.user)
    isolation = selectors.isolation_visible(access, isolation_id)
    if payload.cancel == (payload.last_day is not None):
        message = _("Give the new last day, or cancel the isolation — one of the two.")
        raise DomainError(message, fields={"last_day": [message]})
    services.isolation_end(
        access=access,
        isolation=isolation,
        last_day=None if payload.cancel else payload.last_day,
        reason=payload.reason,
    )
    return _dated([selectors.isolation_visible(access, isolation_id)], None)[0]
