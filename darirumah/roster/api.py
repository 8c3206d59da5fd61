"""Roster endpoints: who works where per day, and a manual change."""

from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from darirumah.core.errors import DomainError
from darirumah.org.access import access_for, get_visible
from darirumah.policy.models import Circular

from . import checks, selectors, services
from .models import Mode, RosterEntry, RosterRequest

router = Router(tags=["roster"])
MAX_RANGE_DAYS = 92


class EntryOut(Schema):
    employee_id: int
    employee_name: str = Field(alias="employee.name")
    date: date
    mode: Mode
    source: RosterEntry.Source
    published: bool
    reason: str
    changed_by_id: int | None


class EntryIn(Schema):
    mode: Mode
    reason: str = Field(min_length=1, max_length=300)


@router.get("/roster", response=list[EntryOut])
def roster_list(
    request,
    start: date,
    end: date,
    unit: int | None = None,
    employee: int | None = None,
):
    """Entries from start to end (at most 92 days) for the people the caller may see."""
    if end < start or (end - start).days > MAX_RANGE_DAYS:
        raise DomainError(
            _("Give a range of at most %(n)s days, with the end not before the start.")
            % {"n": MAX_RANGE_DAYS}
        )
    return selectors.roster_entries(
        access=access_for(request.user), start=start, end=end, unit_id=unit, employee_id=employee
    )


class PlanIn(Schema):
    policy: int = Field(description="The circular in force to plan under.")
    units: list[int] | None = Field(None, description="Default: every unit the circular covers.")
    start: date
    end: date


class ViolationOut(Schema):
    rule: str
    day: date
    needed: int
    got: int
    message: str
    unit_id: int | None
    office_id: int | None
    employee_id: int | None


class PlanOut(Schema):
    status: str
    parts: int
    seconds: float
    days: int
    employees: int
    violations: list[ViolationOut]
    on_site: dict[str, int] = Field(description="People planned at the office per day.")


@router.post("/roster/plan", response=PlanOut)
def roster_plan(request, payload: PlanIn):
    """Run the planner; the plan is kept unpublished, with every rule it could not meet."""
    access = access_for(request.user)
    circular = get_visible(
        Circular.objects.filter(agency__in=access.agencies()).select_related("agency"),
        payload.policy,
    )
    result, _units = services.roster_plan(
        access=access,
        circular=circular,
        start=payload.start,
        end=payload.end,
        unit_ids=payload.units,
    )
    on_site: dict[str, int] = {}
    for (_employee, day), mode in result.assignments.items():
        if mode == Mode.WFO:
            on_site[day.isoformat()] = on_site.get(day.isoformat(), 0) + 1
    return {
        "status": result.status,
        "parts": result.parts,
        "seconds": round(result.seconds, 2),
        "days": len({day for _e, day in result.assignments}),
        "employees": len({e for e, _d in result.assignments}),
        "violations": [v.__dict__ for v in result.violations],
        "on_site": on_site,
    }


class PublishIn(Schema):
    unit: int
    start: date
    end: date


class PublishOut(Schema):
    published: int


@router.post("/roster/publish", response=PublishOut)
def roster_publish(request, payload: PublishIn):
    """Make a unit's planned days official (with its sub-units)."""
    access = access_for(request.user)
    unit = get_visible(access.units(), payload.unit)
    count = services.roster_publish(access=access, unit=unit, start=payload.start, end=payload.end)
    return {"published": count}


class RequestIn(Schema):
    date: date
    mode: Mode
    reason: str = Field(min_length=1, max_length=300)


class RequestOut(Schema):
    id: int
    employee_id: int
    employee_name: str = Field(alias="employee.name")
    date: date
    mode: Mode
    reason: str
    status: RosterRequest.Status
    decided_by_id: int | None
    decided_at: datetime | None
    decision_note: str


class DecideIn(Schema):
    approve: bool
    note: str = ""


def _requests(access):
    return RosterRequest.objects.filter(employee__in=access.employees()).select_related(
        "employee__unit", "employee__agency"
    )


@router.get("/roster/requests", response=list[RequestOut])
@paginate(PageNumberPagination)
def roster_requests(request, status: str | None = None):
    """The caller's own requests and those of the people they may see (the head's inbox)."""
    qs = _requests(access_for(request.user))
    return qs.filter(status=status) if status else qs


@router.post("/roster/requests", response={201: RequestOut})
def roster_request_create(request, payload: RequestIn):
    access = access_for(request.user)
    created = services.roster_request_create(
        access=access, day=payload.date, mode=payload.mode, reason=payload.reason
    )
    return Status(201, created)


@router.post("/roster/requests/{request_id}/decide", response=RequestOut)
def roster_request_decide(request, request_id: int, payload: DecideIn):
    access = access_for(request.user)
    target = get_visible(_requests(access), request_id)
    return services.roster_request_decide(
        access=access, request=target, approve=payload.approve, note=payload.note
    )


class EntryChecked(EntryOut):
    violations: list[ViolationOut] = Field(
        description="The rules broken on that day once the change holds: the unit's minimum, "
        "the office cap and the person's own rules."
    )
    dry_run: bool = False


@router.put("/roster/{employee_id}/{day}", response=EntryChecked)
def roster_set(request, employee_id: int, day: date, payload: EntryIn, dry_run: bool = False):
    """Set one person's mode for one working day, with the reason, and say which rules are broken
    that day once it holds. With `dry_run=true` nothing is saved: only the check is answered."""
    access = access_for(request.user)
    employee = get_visible(access.employees().select_related("unit", "agency"), employee_id)
    with transaction.atomic():
        entry = services.roster_entry_set(
            access=access, employee=employee, day=day, mode=payload.mode, reason=payload.reason
        )
        found = checks.day_violations(access=access, employee=employee, day=day)
        if dry_run:
            transaction.set_rollback(True)  # the same checks as a real change, then nothing kept
    entry.violations = [v.__dict__ for v in found]
    entry.dry_run = dry_run
    return entry
