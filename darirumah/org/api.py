"""Organisation endpoints: me, agencies, units, offices, employees, roles, tokens, import."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from darirumah.core import calendar as calendar_service
from darirumah.core.calendar import calendar_for
from darirumah.core.errors import DomainError, NotFound

from . import criteria, imports, selectors, services
from .access import Access, access_for, get_visible
from .models import AgencyDay, ApiToken, Employee, RoleAssignment, Room
from .schemas import (
    AgencyIn,
    AgencyOut,
    AgencyPatch,
    CalendarDayIn,
    CalendarDayOut,
    EmployeeIn,
    EmployeeOut,
    EmployeePatch,
    ImportReportOut,
    MeOut,
    OfficeIn,
    OfficeOut,
    OfficePatch,
    RoleIn,
    RoleOut,
    RoomIn,
    RoomOut,
    TokenCreated,
    TokenIn,
    TokenOut,
    UnitIn,
    UnitOut,
    UnitPatch,
)

router = Router(tags=["organisation"])


def _access(request) -> Access:
    return access_for(request.user)


def _ref(queryset, pk, field: str):
    """Resolve an id from the input within the caller's scope, or a field error."""
    if pk is None:
        return None
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise NotFound(
            _("%(field)s %(id)s does not exist or is not visible to you.")
            % {"field": field, "id": pk},
            fields={field: [_("Unknown or not visible.")]},
        )
    return obj


def _agency_for_create(access: Access, agency_id: int | None):
    if agency_id is None:
        agency_id = access.agency_id
    if agency_id is None:
        raise DomainError(_("Say which agency."), fields={"agency": [_("Required.")]})
    return _ref(access.agencies(), agency_id, "agency")


def _resolve(access: Access, data: dict) -> dict:
    """Turn id fields into objects, scoped to the caller's agencies."""
    agency_staff = Employee.objects.filter(agency__in=access.agencies())
    refs = {
        "parent": access.units(),
        "unit": access.units(),
        "office": access.offices(),
        "room": Room.objects.filter(office__in=access.offices()),
        "head": agency_staff,
        "supervisor": agency_staff,
    }
    return {
        key: _ref(refs[key], value, key) if key in refs else value for key, value in data.items()
    }


# --- ping and me ---------------------------------------------------------------------------


class PingOut(Schema):
    user_id: int
    server_time: datetime


@router.get("/ping", response=PingOut, summary="Check the credentials; the server's clock")
def ping(request):
    """The cheapest authenticated call: who the token belongs to and the server's time (UTC).
    A phone can use it to test its token and to see how far its own clock is off."""
    return {"user_id": request.user.pk, "server_time": calendar_service.utcnow()}


@router.get("/me", response=MeOut, summary="The caller: employee, agency, roles")
def me(request):
    access = _access(request)
    agency = access.agencies().filter(pk=access.agency_id).first() if access.agency_id else None
    return {
        "user_id": request.user.pk,
        "username": request.user.username,
        "employee": access.employee,
        "agency": agency,
        "roles": access.role_codes(),
    }


# --- agencies ------------------------------------------------------------------------------


@router.get("/agencies", response=list[AgencyOut])
@paginate(PageNumberPagination)
def agencies_list(request):
    return _access(request).agencies()


@router.post("/agencies", response={201: AgencyOut})
def agencies_create(request, payload: AgencyIn):
    data = payload.dict()
    data["risk_zone"] = data["risk_zone"] or ""
    return Status(201, services.agency_create(access=_access(request), **data))


@router.get("/agencies/{agency_id}", response=AgencyOut)
def agencies_detail(request, agency_id: int):
    return get_visible(_access(request).agencies(), agency_id)


@router.patch("/agencies/{agency_id}", response=AgencyOut)
def agencies_update(request, agency_id: int, payload: AgencyPatch):
    access = _access(request)
    agency = get_visible(access.agencies(), agency_id)
    data = payload.dict(exclude_unset=True)
    if "risk_zone" in data and data["risk_zone"] is None:
        data["risk_zone"] = ""
    return services.agency_update(access=access, agency=agency, **data)


@router.get("/agencies/{agency_id}/calendar", response=list[CalendarDayOut])
def agencies_calendar(request, agency_id: int, start: date, end: date):
    """Each day from start to end: whether it is worked and, if not, why."""
    agency = get_visible(_access(request).agencies(), agency_id)
    if end < start or (end - start).days > 366:
        raise DomainError(_("Give a range of at most one year, with end after start."))
    cal = calendar_for(agency, years=range(start.year, end.year + 1))
    days = []
    for offset in range((end - start).days + 1):
        day = date.fromordinal(start.toordinal() + offset)
        reason = cal.day_off_reason(day)
        days.append({"date": day, "working": reason is None, "reason": reason})
    return days


@router.post("/agencies/{agency_id}/calendar", response={201: CalendarDayOut})
def agencies_calendar_set(request, agency_id: int, payload: CalendarDayIn):
    """Declare an agency day off (joint leave, regional holiday) or an extra working day."""
    access = _access(request)
    agency = get_visible(access.agencies(), agency_id)
    day = services.agency_day_set(access=access, agency=agency, **payload.dict())
    reason = None if day.kind == "on" else day.name
    return Status(201, {"date": day.date, "working": reason is None, "reason": reason})


@router.delete("/agencies/{agency_id}/calendar/{date}", response={204: None})
def agencies_calendar_delete(request, agency_id: int, date: date):
    """Remove the agency's own entry for a day; the day follows the national calendar again."""
    access = _access(request)
    agency = get_visible(access.agencies(), agency_id)
    day = AgencyDay.objects.filter(agency=agency, date=date).first()
    if day is None:
        raise NotFound(
            _("The agency has no calendar entry of its own on %(date)s.") % {"date": date}
        )
    services.agency_day_delete(access=access, day=day)
    return Status(204, None)


# --- units ---------------------------------------------------------------------------------


@router.get("/units", response=list[UnitOut])
@paginate(PageNumberPagination)
def units_list(request, q: str | None = None, parent: int | None = None, kind: str | None = None):
    qs = _access(request).units()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__iexact=q))
    if parent is not None:
        qs = qs.filter(parent_id=parent)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


@router.post("/units", response={201: UnitOut})
def units_create(request, payload: UnitIn):
    access = _access(request)
    data = payload.dict()
    agency = _agency_for_create(access, data.pop("agency"))
    return Status(201, services.unit_create(access=access, agency=agency, **_resolve(access, data)))


@router.get("/units/{unit_id}", response=UnitOut)
def units_detail(request, unit_id: int):
    return get_visible(_access(request).units(), unit_id)


@router.patch("/units/{unit_id}", response=UnitOut)
def units_update(request, unit_id: int, payload: UnitPatch):
    access = _access(request)
    unit = get_visible(access.units(), unit_id)
    data = _resolve(access, payload.dict(exclude_unset=True))
    return services.unit_update(access=access, unit=unit, **data)


# --- offices -------------------------------------------------------------------------------


@router.get("/offices", response=list[OfficeOut])
@paginate(PageNumberPagination)
def offices_list(request, q: str | None = None):
    qs = _access(request).offices().prefetch_related("rooms")
    if q:
        qs = qs.filter(name__icontains=q)
    return qs


@router.post("/offices", response={201: OfficeOut})
def offices_create(request, payload: OfficeIn):
    access = _access(request)
    data = payload.dict()
    agency = _agency_for_create(access, data.pop("agency"))
    return Status(201, services.office_create(access=access, agency=agency, **data))


@router.get("/offices/{office_id}", response=OfficeOut)
def offices_detail(request, office_id: int):
    return get_visible(_access(request).offices(), office_id)


@router.patch("/offices/{office_id}", response=OfficeOut)
def offices_update(request, office_id: int, payload: OfficePatch):
    access = _access(request)
    office = get_visible(access.offices(), office_id)
    return services.office_update(access=access, office=office, **payload.dict(exclude_unset=True))


@router.post("/offices/{office_id}/rooms", response={201: RoomOut})
def offices_room_create(request, office_id: int, payload: RoomIn):
    access = _access(request)
    office = get_visible(access.offices(), office_id)
    return Status(201, services.room_create(access=access, office=office, **payload.dict()))


# --- employees -----------------------------------------------------------------------------


@router.get("/employees", response=list[EmployeeOut])
@paginate(PageNumberPagination)
def employees_list(
    request,
    unit: int | None = None,
    q: str | None = None,
    subtree: bool = True,
    active: bool | None = None,
):
    """Employees visible to the caller; `unit` includes its sub-units unless `subtree=false`."""
    return selectors.employee_list(
        access=_access(request), unit_id=unit, q=q, subtree=subtree, active=active
    )


@router.post("/employees", response={201: EmployeeOut})
def employees_create(request, payload: EmployeeIn):
    access = _access(request)
    data = payload.dict()
    agency = _agency_for_create(access, data.pop("agency"))
    password = data.pop("password")
    employee = services.employee_create(
        access=access, agency=agency, password=password, **_resolve(access, data)
    )
    return Status(201, employee)


@router.post("/employees/import", response={200: ImportReportOut, 400: ImportReportOut})
def employees_import(
    request, file: File[UploadedFile], dry_run: bool = False, agency: int | None = None
):
    """All-or-nothing import of units and employees from CSV or XLSX (SIMPEG-like columns).

    With `dry_run=true` nothing is written. Every bad row is named with its problems; one bad
    row means nothing is imported. Re-importing updates employees by NIP.
    """
    access = _access(request)
    target = _agency_for_create(access, agency)
    report = imports.import_employees(
        access=access, agency=target, upload=file, filename=file.name or "", dry_run=dry_run
    )
    return Status(200 if not report.errors else 400, report.as_dict())


@router.get("/employees/{employee_id}", response=EmployeeOut)
def employees_detail(request, employee_id: int):
    return get_visible(_access(request).employees().select_related("unit", "user"), employee_id)


@router.patch("/employees/{employee_id}", response=EmployeeOut)
def employees_update(request, employee_id: int, payload: EmployeePatch):
    access = _access(request)
    employee = get_visible(access.employees().select_related("unit", "user"), employee_id)
    data = _resolve(access, payload.dict(exclude_unset=True))
    # The criteria have their own rights (the person may declare a pregnancy without being
    # able to edit the rest of their record); both parts are saved together or not at all.
    wanted = {k: data.pop(k) for k in criteria.CRITERIA_FIELDS if k in data}
    with transaction.atomic():
        if data or not wanted:
            employee = services.employee_update(access=access, employee=employee, **data)
        if wanted:
            employee = criteria.employee_criteria_update(access=access, employee=employee, **wanted)
    return employee


# --- roles ---------------------------------------------------------------------------------


@router.get("/roles", response=list[RoleOut])
@paginate(PageNumberPagination)
def roles_list(request, active: bool = True):
    access = _access(request)
    access.require(access.can_manage_roles(access.agency_id))
    return selectors.role_list(access=access, active=active)


@router.post("/roles", response={201: RoleOut})
def roles_assign(request, payload: RoleIn):
    access = _access(request)
    user = _ref(selectors.users_visible(access=access), payload.user, "user")
    agency = _ref(access.agencies(), payload.agency, "agency")
    if agency is None and payload.role != "operator":
        agency = _agency_for_create(access, None)
    unit = _ref(access.units(), payload.unit, "unit")
    grant = services.role_assign(
        access=access, user=user, role=payload.role, agency=agency, unit=unit, note=payload.note
    )
    return Status(201, grant)


@router.post("/roles/{grant_id}/revoke", response=RoleOut)
def roles_revoke(request, grant_id: int):
    access = _access(request)
    grants = RoleAssignment.objects.filter(
        Q(agency__in=access.agencies())
        | Q(agency__isnull=True, user__isnull=not access.is_operator)
    )
    grant = get_visible(grants, grant_id)
    return services.role_revoke(access=access, grant=grant)


# --- personal tokens -----------------------------------------------------------------------


@router.get("/tokens", response=list[TokenOut], summary="The caller's personal tokens")
def tokens_list(request):
    return ApiToken.objects.filter(user=request.user)


@router.post("/tokens", response={201: TokenCreated})
def tokens_create(request, payload: TokenIn):
    token, key = services.token_create(user=request.user, **payload.dict())
    out = TokenOut.from_orm(token).dict()
    return Status(201, {**out, "key": key})


@router.delete("/tokens/{token_id}", response={204: None})
def tokens_revoke(request, token_id: int):
    token = get_visible(ApiToken.objects.filter(user=request.user), token_id)
    services.token_revoke(user=request.user, token=token)
    return Status(204, None)
