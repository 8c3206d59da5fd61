"""Health API: the dashboard and the agency's health settings (see API.md).

The dashboard's counts go to everyone of the agency and the platform operator: per OPD at the
finest, never a name. A names-reader (health officer, head of BKPSDM) who passes a `reason` (or
the X-Access-Reason header) also gets the people with an open case and those isolated today; the
read is written to the access log.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from darirumah.core.calendar import zone_info
from darirumah.core.errors import DomainError
from darirumah.org.access import Access, access_for, get_visible
from darirumah.org.models import Agency
from darirumah.org.views.common import person_name

from ..models import HealthSettings
from ..selectors import dashboard as selectors
from ..selectors.settings import health_config
from ..services import settings as services

router = Router()


def agency_of(access: Access, agency_id: int | None) -> Agency:
    """The agency asked for (among those visible), else the caller's own."""
    if agency_id is not None:
        return get_visible(access.agencies(), agency_id)
    if access.agency_id is None:
        message = _("Choose an agency.")
        raise DomainError(message, fields={"agency": [message]})
    return Agency.objects.get(pk=access.agency_id)


# --- the dashboard ------------------------------------------------------------------------------


class AgencyOut(Schema):
    id: int
    name: str


class CasesOut(Schema):
    suspect: int
    probable: int
    confirmed: int
    open: int = Field(description="Suspect, probable and confirmed together.")


class PeriodOut(Schema):
    new_confirmed: int
    recovered: int
    died: int


class ClosedPlaceOut(Schema):
    closure_id: int
    office_id: int
    office: str
    whole: bool = Field(description="The whole building; else only `rooms`.")
    rooms: list[str]
    starts_on: date
    ends_on: date


class OpdOut(Schema):
    unit_id: int
    name: str
    staff: int
    confirmed: int = Field(description="Confirmed cases not closed.")
    isolated: int = Field(description="People isolated today.")


class DayOut(Schema):
    day: date
    new_confirmed: int
    active_cases: int = Field(description="Open cases (suspect, probable, confirmed).")
    isolations: int = Field(description="People isolated.")
    closed_offices: int = Field(description="Offices closed whole.")
    closed_rooms: int


class NamedCaseOut(Schema):
    case_id: int
    employee_id: int
    name: str
    nip: str
    unit: str
    opd: str
    status: str
    confirmed_on: date | None
    symptom_onset: date | None


class NamedIsolationOut(Schema):
    isolation_id: int
    employee_id: int
    name: str
    nip: str
    unit: str
    opd: str
    reason: str
    starts_on: date
    ends_on: date


class DashboardOut(Schema):
    agency: AgencyOut
    today: date
    start: date
    end: date
    cases: CasesOut = Field(description="Today's open cases by status.")
    period: PeriodOut = Field(description="Cases confirmed, recovered and died in the period.")
    isolated: int = Field(description="People isolated today.")
    isolations: dict[str, int] = Field(description="People isolated today, by reason.")
    offices_closed: int = Field(description="Offices closed whole today.")
    rooms_closed: int = Field(description="Rooms closed today.")
    closures: list[ClosedPlaceOut] = Field(description="The closures in force today.")
    opds: list[OpdOut]
    timeline: list[DayOut]
    named: bool = Field(description="True: the names below are shown (and the read logged).")
    named_cases: list[NamedCaseOut] | None = Field(description="Open cases; with names only.")
    named_isolations: list[NamedIsolationOut] | None = Field(
        description="Isolated today; with names only."
    )


class DashboardQuery(Schema):
    agency: int | None = Field(None, description="A platform operator's choice; yours otherwise.")
    start: date | None = Field(None, description="The timeline's first day; 60 days back.")
    end: date | None = Field(None, description="The timeline's last day; today by default.")
    reason: str | None = Field(None, description="Names-readers: give a reason to see names.")


@router.get("/health/dashboard", response=DashboardOut)
def dashboard(request, query: Query[DashboardQuery]):
    """Today's open cases by status, isolations by reason, closed offices and rooms, the counts
    per OPD and a timeline per day (at most 366 days): for everyone of the agency. Names only for
    the health officers and the head of BKPSDM who give a reason (logged)."""
    access = access_for(request.user)
    agency = agency_of(access, query.agency)
    given = query.reason or request.headers.get("X-Access-Reason", "")
    reason = given if given.strip() and access.reads_health_names(agency.pk) else None
    return selectors.health_dashboard(access, agency, query.start, query.end, reason=reason)


# --- the settings -------------------------------------------------------------------------------


class SettingsValues(Schema):
    trace_days: int
    isolation_days: int
    incubation_days: int
    closed_hours_before_disinfection: int
    cluster_closure_days: int
    reason_minutes: int


class SettingsOut(Schema):
    agency: int
    settings: SettingsValues = Field(description="In force: the agency's, else the defaults.")
    defaults: SettingsValues
    stored: list[str] = Field(description="The settings the agency has set itself.")
    may_edit: bool
    changed_at: datetime | None
    changed_by: str | None


class SettingsIn(Schema):
    """Any of the settings; null puts one back to its default."""

    model_config = ConfigDict(extra="forbid")

    trace_days: int | None = Field(None, description="Contacts traced back, days (1–60; 14).")
    isolation_days: int | None = Field(None, description="Isolation length, days (1–60; 14).")
    incubation_days: int | None = Field(None, description="Cases linked within, days (1–60; 14).")
    closed_hours_before_disinfection: int | None = Field(
        None, description="A room closed before disinfection, hours (0–168; 24)."
    )
    cluster_closure_days: int | None = Field(
        None, description="Closure after a cluster, working days (0–60; 5)."
    )
    reason_minutes: int | None = Field(
        None, description="A reason holds on the pages, minutes (1–480; 30)."
    )


def settings_out(access: Access, agency: Agency) -> dict:
    row = HealthSettings.objects.filter(agency=agency).select_related("changed_by").first()
    stored = row.settings if row is not None else {}
    return {
        "agency": agency.pk,
        "settings": health_config(agency.pk).model_dump(),
        "defaults": services.defaults(),
        "stored": [name for name in services.NAMES if name in stored],
        "may_edit": services.edits_health_settings(access, agency.pk),
        "changed_at": row.updated_at.astimezone(zone_info(agency.zone)) if row else None,
        "changed_by": person_name(row.changed_by) if row else None,
    }


@router.get("/health/settings", response=SettingsOut)
def settings_get(request, agency: int | None = None):
    """The agency's health settings in force, the defaults, and which the agency has set.
    Everyone of the agency reads them."""
    access = access_for(request.user)
    target = agency_of(access, agency)
    return settings_out(access, target)


@router.put("/health/settings", response=SettingsOut)
def settings_put(request, payload: SettingsIn, agency: int | None = None):
    """Change any of the agency's health settings (a wrong one is named in `fields`; null puts
    one back to the default): the health officers, BKPSDM of the agency, the platform
    operator."""
    access = access_for(request.user)
    target = agency_of(access, agency)
    services.health_settings_update(
        access=access, agency=target, values=payload.model_dump(exclude_unset=True)
    )
    return settings_out(access, target)
