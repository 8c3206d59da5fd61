"""Health API: the register (cases and their tests) and the log of who opened it (see API.md).

Names go to the agency's health officers and the head of BKPSDM, who give a reason for every
read (`reason` query parameter or the X-Access-Reason header) and every write (`reason` in the
body); each is written to the access log. An employee reads their own cases without a reason.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from darirumah.core import calendar as calendar_service
from darirumah.core.calendar import zone_info
from darirumah.core.errors import DomainError, NotAllowed, NotFound
from darirumah.org.access import access_for, get_visible
from darirumah.org.models import Agency, Employee
from darirumah.org.views.common import person_name

from ..models import HealthAccessLog, HealthCase, HealthTest, Place
from ..selectors import cases as selectors
from ..services import cases as services
from ..services.audit import health_access_log, request_reason

router = Router()

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
LOG_DAYS = 30  # the access log's default window: the last 30 days
StatusFilter = Literal["suspect", "probable", "confirmed", "recovered", "died", "open"]


class UnitOut(Schema):
    id: int
    name: str


class EmployeeOut(Schema):
    id: int
    name: str
    nip: str
    unit: UnitOut


class TestOut(Schema):
    id: int
    kind: HealthTest.Kind
    taken_on: date
    result: HealthTest.Result
    result_on: date | None
    place: str


class CaseOut(Schema):
    id: int
    employee: EmployeeOut
    status: HealthCase.Status
    confirmed_on: date | None
    symptom_onset: date | None
    likely_place: Place
    likely_place_reason: str
    closed_on: date | None
    note: str
    tests: list[TestOut]
    created_at: datetime

    @staticmethod
    def resolve_tests(obj) -> list:
        return list(obj.tests.all())

    @staticmethod
    def resolve_created_at(obj) -> datetime:
        return obj.created_at.astimezone(zone_info(obj.agency.zone))


class CasePage(Schema):
    items: list[CaseOut]
    count: int


class TestIn(Schema):
    kind: HealthTest.Kind
    taken_on: date
    result: HealthTest.Result = HealthTest.Result.PENDING
    result_on: date | None = None
    place: str = ""


class CaseIn(Schema):
    employee: int = Field(description="The employee's id.")
    status: HealthCase.Status = Field(description="suspect, probable or confirmed.")
    confirmed_on: date | None = Field(
        None, description="Confirmed cases; by default the positive test's day, else today."
    )
    symptom_onset: date | None = None
    likely_place: Place = Place.UNKNOWN
    likely_place_reason: str = Field("", description="Required with office or outside.")
    note: str = ""
    test: TestIn | None = Field(None, description="The first test, optional.")
    reason: str = Field(description="Why you record it (written to the access log).")


class CasePatch(Schema):
    status: HealthCase.Status | None = None
    confirmed_on: date | None = None
    symptom_onset: date | None = None
    closed_on: date | None = Field(None, description="Recovered or died; today by default.")
    likely_place: Place | None = None
    likely_place_reason: str | None = None
    note: str | None = None
    reason: str = Field(description="Why you change it (written to the access log).")


class TestAddIn(TestIn):
    reason: str = Field(description="Why you record it (written to the access log).")


class LogOut(Schema):
    id: int
    at: datetime
    user_id: int | None
    user_name: str | None
    action: HealthAccessLog.Action
    subject: str
    employees: list[int]
    reason: str


class LogPage(Schema):
    items: list[LogOut]
    count: int


class CaseFilters(Schema):
    agency: int | None = Field(None, description="A platform operator's choice; yours otherwise.")
    status: StatusFilter | None = Field(None, description="A status, or `open`.")
    unit: int | None = Field(None, description="With its sub-units.")
    q: str | None = Field(None, description="A part of the name, or the start of the NIP.")
    reason: str | None = Field(None, description="Required for names (health officers).")
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class LogFilters(Schema):
    agency: int | None = None
    start: date | None = Field(None, description="First day; 30 days ago by default.")
    end: date | None = Field(None, description="Last day; today by default.")
    user: int | None = Field(None, description="Only this user's reads and changes.")
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


def _agency(access, agency_id: int | None) -> Agency | None:
    if agency_id is not None:
        return get_visible(access.agencies(), agency_id)
    if access.agency_id is None:
        return None
    return Agency.objects.get(pk=access.agency_id)


def _page(rows, page: int, page_size: int) -> tuple[list, int]:
    count = rows.count()
    offset = (page - 1) * page_size
    return list(rows[offset : offset + page_size]), count


@router.get("/health/cases", response=CasePage)
def case_list(request, filters: Query[CaseFilters]):
    """The agency's cases for its health officers and the head of BKPSDM — with a reason, and
    the read is logged with the people listed; the caller's own cases for everyone else."""
    access = access_for(request.user)
    agency = _agency(access, filters.agency)
    agency_id = agency.pk if agency is not None else None
    names = access.reads_health_names(agency_id)
    reason = request_reason(request, filters.reason) if names else ""
    cases = selectors.cases_for(
        access, agency_id, status=filters.status, unit_id=filters.unit, search=filters.q
    )
    items, count = _page(cases, filters.page, filters.page_size)
    if names:
        health_access_log(
            access=access,
            agency_id=agency_id,
            action=HealthAccessLog.Action.LIST,
            subject="cases",
            reason=reason,
            employees=[case.employee_id for case in items],
        )
    return {"items": items, "count": count}


def _read(request, case_id: int, reason: str | None) -> HealthCase:
    """The case for the caller; a names-reader's read of another's case is logged."""
    access = access_for(request.user)
    case = selectors.case_visible(access, case_id)
    if not selectors.is_own(access, case):
        health_access_log(
            access=access,
            agency_id=case.agency_id,
            action=HealthAccessLog.Action.VIEW,
            subject=f"case:{case.pk}",
            reason=request_reason(request, reason),
            employees=[case.employee_id],
        )
    return case


@router.get("/health/cases/{case_id}", response=CaseOut)
def case_detail(request, case_id: int, reason: str | None = None):
    """One case with its tests: a health officer or the head of BKPSDM (with a reason, logged),
    or the person themself."""
    return _read(request, case_id, reason)


@router.post("/health/cases", response={201: CaseOut})
def case_create(request, payload: CaseIn):
    """Record a case (health officers): one open case per person; a positive PCR or antigen
    first test confirms it. 409 when the person already has an open case."""
    access = access_for(request.user)
    if access.agency_id is None:
        raise NotFound(_("Not found, or not visible to you."))
    employee = get_visible(
        Employee.objects.filter(agency_id=access.agency_id).select_related("agency"),
        payload.employee,
    )
    case = services.case_create(
        access=access,
        employee=employee,
        status=payload.status,
        confirmed_on=payload.confirmed_on,
        symptom_onset=payload.symptom_onset,
        likely_place=payload.likely_place,
        likely_place_reason=payload.likely_place_reason,
        note=payload.note,
        reason=payload.reason,
        test=payload.test.dict() if payload.test is not None else None,
    )
    return Status(201, selectors.case_visible(access, case.pk))


@router.patch("/health/cases/{case_id}", response=CaseOut)
def case_update(request, case_id: int, payload: CasePatch):
    """Change a case (health officers): status (recovered or died close it, on `closed_on` or
    today), dates, the likely place with its reason, the note."""
    access = access_for(request.user)
    case = selectors.case_visible(access, case_id)
    changes = payload.dict(exclude_unset=True)
    reason = changes.pop("reason")
    services.case_update(access=access, case=case, reason=reason, **changes)
    return selectors.case_visible(access, case_id)


@router.post("/health/cases/{case_id}/tests", response={201: CaseOut})
def test_add(request, case_id: int, payload: TestAddIn):
    """Add a test to a case (health officers); returns the case. A positive PCR or antigen
    result confirms a suspect or probable case."""
    access = access_for(request.user)
    case = selectors.case_visible(access, case_id)
    services.test_add(
        access=access,
        case=case,
        kind=payload.kind,
        taken_on=payload.taken_on,
        result=payload.result,
        result_on=payload.result_on,
        place=payload.place,
        reason=payload.reason,
    )
    return Status(201, selectors.case_visible(access, case_id))


@router.get("/health/access-log", response=LogPage)
def access_log(request, filters: Query[LogFilters]):
    """Who read or changed named health data, when and why (health officers and the head of
    BKPSDM), newest first; the last 30 days by default."""
    access = access_for(request.user)
    agency = _agency(access, filters.agency)
    if agency is None or not access.reads_health_names(agency.pk):
        raise NotAllowed(
            _("Only the health officers and the head of BKPSDM read the health data access log.")
        )
    end = filters.end or calendar_service.calendar_for(agency).today()
    start = filters.start or end - timedelta(days=LOG_DAYS - 1)
    if start > end:
        message = _("The first day comes after the last day.")
        raise DomainError(message, fields={"start": [message]})
    rows = selectors.access_log_for(access, agency.pk, start, end, user_id=filters.user)
    items, count = _page(rows, filters.page, filters.page_size)
    tz = zone_info(agency.zone)
    return {
        "items": [
            {
                "id": row.pk,
                "at": row.at.astimezone(tz),
                "user_id": row.user_id,
                "user_name": person_name(row.user),
                "action": row.action,
                "subject": row.subject,
                "employees": row.employees,
                "reason": row.reason,
            }
            for row in items
        ],
        "count": count,
    }
