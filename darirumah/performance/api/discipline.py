"""Performance API: discipline cases (PP 94/2021). The program recommends a level and a sanction
with the evidence; the person's supervisor, the head of their unit or BKPSDM decides — accept,
change or dismiss — with a reason. Nothing is sanctioned automatically."""

from datetime import date, datetime
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from darirumah.core import calendar as calendar_service
from darirumah.core.calendar import zone_info
from darirumah.core.errors import DomainError
from darirumah.org.access import access_for, get_visible

from ..models import DisciplineCase
from ..selectors import discipline as selectors
from ..services import discipline as services

router = Router(tags=["performance"])


def _person(user) -> str | None:
    if user is None:
        return None
    employee = getattr(user, "employee", None)
    return employee.name if employee is not None else user.get_username()


class CaseOut(Schema):
    id: int
    employee_id: int
    employee_name: str = Field(alias="employee.name")
    unit_id: int = Field(alias="employee.unit_id")
    unit_name: str = Field(alias="employee.unit.name")
    supervisor_id: int | None = Field(description="The one who must act (PP 94/2021).")
    supervisor_name: str | None = None
    source: DisciplineCase.Source
    trigger: str
    recommended_level: DisciplineCase.Level
    recommended_sanction: DisciplineCase.Sanction
    summary: str
    evidence: dict
    status: DisciplineCase.Status
    decide_by: date
    overdue: bool = Field(description="Still awaiting a decision after `decide_by`.")
    level: str = Field(description="The decided level; empty until decided or when dismissed.")
    sanction: str
    sanction_start: date | None
    sanction_months: int
    decision_reason: str
    decided_by_name: str | None = None
    decided_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_supervisor_name(obj) -> str | None:
        return obj.supervisor.name if obj.supervisor_id else None

    @staticmethod
    def resolve_decided_by_name(obj) -> str | None:
        return _person(obj.decided_by)

    @staticmethod
    def resolve_decided_at(obj) -> datetime | None:
        return obj.decided_at.astimezone(zone_info(obj.agency.zone)) if obj.decided_at else None

    @staticmethod
    def resolve_created_at(obj) -> datetime:
        return obj.created_at.astimezone(zone_info(obj.agency.zone))


class CaseIn(Schema):
    employee: int
    level: DisciplineCase.Level
    sanction: DisciplineCase.Sanction = Field(description="One of the level's sanctions.")
    summary: str = Field(description="What happened, in one line (at most 300 characters).")
    evidence_text: str = Field("", description="The facts and where they are recorded.")


class DecisionIn(Schema):
    decision: Literal["accept", "change", "dismiss"]
    reason: str = Field(description="Required for every decision.")
    level: DisciplineCase.Level | None = Field(None, description="With `change` only.")
    sanction: DisciplineCase.Sanction | None = Field(None, description="With `change` only.")


class ScanIn(Schema):
    through: date | None = Field(None, description="The last day counted; today by default.")
    agency: int | None = Field(None, description="The agency (a platform operator's choice).")


class ScanOut(Schema):
    agency_id: int
    through: date
    employees: int
    opened: int
    absence_year: int
    absence_run: int
    missed_targets: int


def _case(access, case_id: int) -> DisciplineCase:
    return get_visible(selectors.cases_visible(access), case_id)


@router.get("/discipline/cases", response=list[CaseOut])
@paginate(PageNumberPagination)
def case_list(
    request,
    status: DisciplineCase.Status | None = None,
    unit: int | None = None,
    employee: int | None = None,
    overdue: bool | None = None,
):
    """The cases the caller may see: their own (read only), their people's (supervisors, unit
    heads and admins), the agency's (BKPSDM, pimpinan). Filter by status, unit (with sub-units),
    person, and whether a recommendation is past its decide-by day."""
    access = access_for(request.user)
    person = get_visible(access.employees(), employee) if employee is not None else None
    unit_obj = get_visible(access.units(), unit) if unit is not None else None
    return selectors.case_list(
        access, status=status, unit=unit_obj, employee=person, overdue=overdue
    )


@router.get("/discipline/cases/{case_id}", response=CaseOut)
def case_detail(request, case_id: int):
    """One case with its evidence (the absent dates, or the months and their achievement)."""
    return _case(access_for(request.user), case_id)


@router.post("/discipline/cases", response={201: CaseOut})
def case_create(request, payload: CaseIn):
    """Open a case by hand (a supervisor up the person's chain, the head over their unit, or
    BKPSDM); it awaits a decision like a recommendation of the scan."""
    access = access_for(request.user)
    person = get_visible(access.employees().select_related("unit", "agency"), payload.employee)
    case = services.case_create(
        access=access,
        employee=person,
        level=payload.level,
        sanction=payload.sanction,
        summary=payload.summary,
        evidence_text=payload.evidence_text,
    )
    return Status(201, _case(access, case.pk))


@router.post("/discipline/cases/{case_id}/decide", response=CaseOut)
def case_decide(request, case_id: int, payload: DecisionIn):
    """Accept the recommendation, change its level and sanction (both, consistent), or dismiss
    it — always with a reason; the person's direct supervisor, the head of their unit or BKPSDM.
    A decided case is final (409)."""
    access = access_for(request.user)
    case = _case(access, case_id)
    services.case_decide(
        access=access,
        case=case,
        decision=payload.decision,
        reason=payload.reason,
        level=payload.level,
        sanction=payload.sanction,
    )
    return _case(access, case_id)


@router.post("/discipline/scan", response=ScanOut)
def discipline_scan(request, payload: ScanIn):
    """Run the scan now (it also runs every working day at 17:00): BKPSDM of the agency or the
    platform operator. Opens only what is not opened yet."""
    access = access_for(request.user)
    agency_id = payload.agency if payload.agency is not None else access.agency_id
    if agency_id is None:
        message = _("Choose the agency to scan.")
        raise DomainError(message, fields={"agency": [message]})
    agency = get_visible(access.agencies(), agency_id)
    access.require(
        selectors.runs_scan(access, agency.pk),
        _("Only BKPSDM runs the discipline scan."),
    )
    today = calendar_service.calendar_for(agency).today()
    through = payload.through or today
    if through > today:
        message = _("The scan counts days that have passed: give today or an earlier day.")
        raise DomainError(message, fields={"through": [message]})
    counts = services.discipline_scan(agency=agency, through=through)
    return {"agency_id": agency.pk, "through": through, **counts}
