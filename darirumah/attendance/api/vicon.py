"""Attendance API: the daily video call and its roll, urgent reports (see API.md)."""

import datetime as dt
from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from darirumah.core.errors import NotFound
from darirumah.org.access import access_for, get_visible

from ..models import Incident, ViconRoll, ViconSession
from ..services import incidents as incident_services
from ..services import vicon as services

router = Router(tags=["attendance"])
LIST_LIMIT = 200


# --- video calls -----------------------------------------------------------------------------


class SessionOut(Schema):
    id: int
    unit_id: int
    unit_name: str = Field(alias="unit.name")
    date: date
    starts_at: datetime
    link: str


class RollLineOut(Schema):
    employee_id: int
    employee_name: str = Field(alias="employee.name")
    status: ViconRoll.Status
    note: str
    marked_by_id: int | None
    marked_at: datetime


class SessionDetailOut(SessionOut):
    roll: list[RollLineOut]


class SessionIn(Schema):
    unit: int
    date: date


class RollRowIn(Schema):
    employee: int
    status: str
    note: str = ""


class RollIn(Schema):
    rows: list[RollRowIn] = Field(..., max_length=2000)


def _session_for(access, pk: int) -> ViconSession:
    session = (
        ViconSession.objects.filter(unit__agency__in=access.agencies())
        .select_related("unit__agency")
        .filter(pk=pk)
        .first()
    )
    if session is None or not services.sees_session(access, session.unit):
        raise NotFound(_("Not found, or not visible to you."))
    return session


def _detail(session: ViconSession) -> dict:
    roll = list(session.roll.select_related("employee").order_by("employee__name", "employee_id"))
    return {
        "id": session.pk,
        "unit_id": session.unit_id,
        "unit.name": session.unit.name,
        "date": session.date,
        "starts_at": session.starts_at,
        "link": session.link,
        "roll": roll,
    }


@router.get("/vicon/sessions", response=list[SessionOut])
def vicon_sessions(request, date: dt.date | None = None, unit: int | None = None):
    """The sessions the caller may see, the newest first; narrowed by date and unit."""
    access = access_for(request.user)
    qs = ViconSession.objects.filter(unit__agency__in=access.agencies()).select_related(
        "unit__agency"
    )
    if date is not None:
        qs = qs.filter(date=date)
    if unit is not None:
        qs = qs.filter(unit_id=unit)
    qs = qs.filter(services.sessions_q(access))
    return list(qs.order_by("-date", "unit__path")[:LIST_LIMIT])


@router.post("/vicon/sessions", response={200: SessionOut, 201: SessionOut})
def vicon_session_create(request, payload: SessionIn):
    """Open the unit's video call for a working day; asking again returns the same session."""
    access = access_for(request.user)
    unit = get_visible(access.units().select_related("agency"), payload.unit)
    existed = ViconSession.objects.filter(unit=unit, date=payload.date).exists()
    session = services.vicon_session_open(access=access, unit=unit, day=payload.date)
    return Status(200 if existed else 201, session)


@router.get("/vicon/sessions/{session_id}", response=SessionDetailOut)
def vicon_session_detail(request, session_id: int):
    """One session with its roll."""
    return _detail(_session_for(access_for(request.user), session_id))


@router.post("/vicon/sessions/{session_id}/roll-call", response=SessionDetailOut)
def vicon_session_roll_call(request, session_id: int, payload: RollIn):
    """Mark people present, absent or excused; all rows are saved, or none."""
    access = access_for(request.user)
    session = _session_for(access, session_id)
    services.vicon_roll_call(access=access, session=session, rows=[r.dict() for r in payload.rows])
    return _detail(session)


# --- urgent reports --------------------------------------------------------------------------


class AttachmentOut(Schema):
    id: int
    name: str
    url: str


class IncidentOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    category: Incident.Category
    text: str
    reported_by_id: int
    created_at: datetime
    acknowledged_by_id: int | None
    acknowledged_at: datetime | None
    attachments: list[AttachmentOut]


def _incident_out(incident: Incident) -> dict:
    return {
        "id": incident.pk,
        "unit_id": incident.unit_id,
        "unit_name": incident.unit.name,
        "category": incident.category,
        "text": incident.text,
        "reported_by_id": incident.reported_by_id,
        "created_at": incident.created_at,
        "acknowledged_by_id": incident.acknowledged_by_id,
        "acknowledged_at": incident.acknowledged_at,
        "attachments": [
            {"id": a.pk, "name": a.name, "url": a.file.url} for a in incident.attachments.all()
        ],
    }


@router.post("/incidents", response={201: IncidentOut})
def incident_create(
    request,
    unit: Form[int],
    category: Form[str],
    text: Form[str],
    files: File[list[UploadedFile]] = None,
):
    """An urgent report (multipart: unit, category, text, files), flagged to BKPSDM at once."""
    access = access_for(request.user)
    target = get_visible(access.units().select_related("agency"), unit)
    incident = incident_services.incident_report(
        access=access, unit=target, category=category, text=text, files=files or []
    )
    return Status(201, _incident_out(incident))


@router.get("/incidents", response=list[IncidentOut])
def incident_list(request, unit: int | None = None, open: bool | None = None):
    """The reports the caller may read, the newest first; open=true: not yet acknowledged."""
    access = access_for(request.user)
    qs = incident_services.incidents_visible(access).select_related("unit")
    if unit is not None:
        qs = qs.filter(unit_id=unit)
    if open is not None:
        qs = qs.filter(acknowledged_at__isnull=open)
    qs = qs.prefetch_related("attachments").order_by("-created_at", "-pk")[:LIST_LIMIT]
    return [_incident_out(i) for i in qs]


@router.post("/incidents/{incident_id}/acknowledge", response=IncidentOut)
def incident_acknowledge(request, incident_id: int):
    """BKPSDM has read the report."""
    access = access_for(request.user)
    incident = get_visible(incident_services.incidents_visible(access), incident_id)
    incident = incident_services.incident_acknowledge(access=access, incident=incident)
    return _incident_out(incident)
