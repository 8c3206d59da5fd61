"""Health API: office and room closures, reopening and the disinfection log (see API.md).

Everyone of the agency reads the closures (they hold no personal data); the agency's health
officers close, reopen and record disinfections. A room is disinfected at least 24 hours (a
setting) after it was closed: an earlier time is refused with the earliest allowed moment.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from darirumah.core import calendar as calendar_service
from darirumah.core.calendar import zone_info
from darirumah.core.errors import DomainError
from darirumah.org.access import access_for, get_visible
from darirumah.org.models import Agency, Room
from darirumah.org.views.common import person_name

from ..selectors import closures as selectors
from ..services import closures as services

router = Router()

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class NamedOut(Schema):
    id: int
    name: str


class DisinfectionOut(Schema):
    id: int
    room: NamedOut
    performed_at: datetime
    team: str
    agent: str
    note: str
    recorded_by_name: str | None


class RoomOut(Schema):
    id: int
    name: str
    floor: str
    last_disinfected_at: datetime | None = Field(description="The room's last disinfection.")


class ClosureOut(Schema):
    id: int
    agency_id: int
    office: NamedOut
    whole_building: bool = Field(description="True: every room of the building is closed.")
    rooms: list[RoomOut] = Field(description="The closed rooms (every room: whole building).")
    starts_on: date
    ends_on: date = Field(description="The last closed day.")
    reason: str
    keep_public_service_open: bool
    closed_at: datetime = Field(description="From here the 24 hours before disinfection count.")
    reopened_at: datetime | None
    reopened_by_name: str | None
    status: str = Field(description="planned, active, reopened or ended.")
    staff_count: int = Field(description="The staff it sends home.")
    created_at: datetime


class ClosureDetailOut(ClosureOut):
    disinfections: list[DisinfectionOut]


class RosterChangeOut(Schema):
    people: int = Field(description="The staff the closure sends home.")
    days: int = Field(description="Roster days held or given back.")


class ClosureChangeOut(ClosureDetailOut):
    roster: RosterChangeOut


class ClosurePage(Schema):
    items: list[ClosureOut]
    count: int


class ClosureFilters(Schema):
    agency: int | None = Field(None, description="A platform operator's choice; yours otherwise.")
    office: int | None = None
    active_on: date | None = Field(None, description="Only the closures in force on this day.")
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class ClosureIn(Schema):
    office: int
    rooms: list[int] = Field([], description="Empty: the whole building.")
    starts_on: date
    ends_on: date = Field(description="The last closed day; at most 60 days after the first.")
    reason: str = Field(description="Why (at least 5 characters); the staff see it in the roster.")
    keep_public_service_open: bool = Field(
        False, description="Units that serve the public keep their plan."
    )


class ReopenIn(Schema):
    on: date = Field(description="The first day the building is open again.")
    reason: str = Field(description="Why it reopens (written to the access log).")


class DisinfectionIn(Schema):
    room: int
    performed_at: datetime = Field(description="Without an offset: the agency's local time.")
    team: str
    agent: str = Field(description="The disinfectant used.")
    note: str = ""


def _agency(access, agency_id: int | None) -> Agency:
    if agency_id is not None:
        return get_visible(access.agencies(), agency_id)
    if access.agency_id is None:
        message = _("Choose the agency.")
        raise DomainError(message, fields={"agency": [message]})
    return Agency.objects.get(pk=access.agency_id)


def _officer(access, agency_id: int) -> None:
    """The refusal comes before any complaint about the input."""
    access.require(
        access.records_health(agency_id),
        _("Only the agency's health officers close offices and record disinfections."),
    )


def _out(closure, today: date, *, detail: bool = False) -> dict:
    tz = zone_info(closure.agency.zone)

    def local(moment):
        return moment.astimezone(tz) if moment is not None else None

    out = {
        "id": closure.pk,
        "agency_id": closure.agency_id,
        "office": {"id": closure.office_id, "name": closure.office.name},
        "whole_building": closure.whole_building,
        "rooms": [
            {
                "id": room.pk,
                "name": room.name,
                "floor": room.floor,
                "last_disinfected_at": local(
                    room.last_disinfection.performed_at if room.last_disinfection else None
                ),
            }
            for room in closure.room_rows
        ],
        "starts_on": closure.starts_on,
        "ends_on": closure.ends_on,
        "reason": closure.reason,
        "keep_public_service_open": closure.keep_public_service_open,
        "closed_at": local(closure.closed_at),
        "reopened_at": local(closure.reopened_at),
        "reopened_by_name": person_name(closure.reopened_by),
        "status": selectors.closure_status(closure, today),
        "staff_count": closure.staff_count,
        "created_at": local(closure.created_at),
    }
    if detail:
        out["disinfections"] = [
            {
                "id": row.pk,
                "room": {"id": row.room_id, "name": row.room.name},
                "performed_at": local(row.performed_at),
                "team": row.team,
                "agent": row.agent,
                "note": row.note,
                "recorded_by_name": person_name(row.recorded_by),
            }
            for row in closure.disinfection_list
        ]
    return out


def _detail(access, closure_id: int) -> dict:
    closure = selectors.with_details([selectors.closure_visible(access, closure_id)])[0]
    today = calendar_service.calendar_for(closure.agency).today()
    return _out(closure, today, detail=True)


@router.get("/facilities/closures", response=ClosurePage)
def closure_list(request, filters: Query[ClosureFilters]):
    """The agency's office and room closures, newest first: everyone of the agency. Filter by
    office and by a day they are in force."""
    access = access_for(request.user)
    agency = _agency(access, filters.agency)
    office_id = None
    if filters.office is not None:
        office_id = get_visible(access.offices().filter(agency=agency), filters.office).pk
    closures = selectors.closures_for(access, agency.pk, office_id, filters.active_on)
    count = closures.count()
    offset = (filters.page - 1) * filters.page_size
    page = selectors.with_details(closures[offset : offset + filters.page_size])
    today = calendar_service.calendar_for(agency).today()
    return {"items": [_out(c, today) for c in page], "count": count}


@router.get("/facilities/closures/{closure_id}", response=ClosureDetailOut)
def closure_detail(request, closure_id: int):
    """One closure with its rooms, each room's last disinfection and the whole log."""
    return _detail(access_for(request.user), closure_id)


@router.post("/facilities/closures", response={201: ClosureChangeOut})
def closure_create(request, payload: ClosureIn):
    """Close a building (no rooms) or some of its rooms (health officers). Its staff work from
    home on the closed working days and are told; 409 when a closure of the same building or
    rooms meets these days."""
    access = access_for(request.user)
    office = get_visible(access.offices().select_related("agency"), payload.office)
    _officer(access, office.agency_id)
    rooms = list(Room.objects.filter(pk__in=payload.rooms))
    if len(rooms) != len(set(payload.rooms)):
        message = _("Choose rooms of %(office)s only.") % {"office": office.name}
        raise DomainError(message, fields={"rooms": [message]})
    change = services.closure_create(
        access=access,
        office=office,
        rooms=rooms,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        reason=payload.reason,
        keep_public_service_open=payload.keep_public_service_open,
    )
    out = _detail(access, change.closure.pk)
    out["roster"] = {"people": change.people, "days": change.days}
    return Status(201, out)


@router.post("/facilities/closures/{closure_id}/reopen", response=ClosureChangeOut)
def closure_reopen(request, closure_id: int, payload: ReopenIn):
    """Open the building again from `on` (health officers): the closure ends the day before and
    the staff's plan comes back; they are told."""
    access = access_for(request.user)
    closure = selectors.closure_visible(access, closure_id)
    change = services.closure_reopen(
        access=access, closure=closure, on=payload.on, reason=payload.reason
    )
    out = _detail(access, closure_id)
    out["roster"] = {"people": change.people, "days": change.days}
    return out


@router.post("/facilities/closures/{closure_id}/disinfections", response={201: ClosureDetailOut})
def disinfection_add(request, closure_id: int, payload: DisinfectionIn):
    """Record a room's disinfection (health officers): a room the closure closes, at least the
    set hours (24) after it took effect, not in the future, before the building reopened."""
    access = access_for(request.user)
    closure = selectors.closure_visible(access, closure_id)
    room = Room.objects.filter(pk=payload.room, office_id=closure.office_id).first()
    if room is None:
        _officer(access, closure.agency_id)
        message = _("Choose a room this closure closes.")
        raise DomainError(message, fields={"room": [message]})
    services.disinfection_record(
        access=access,
        closure=closure,
        room=room,
        performed_at=payload.performed_at,
        team=payload.team,
        agent=payload.agent,
        note=payload.note,
    )
    return Status(201, _detail(access, closure_id))
