"""API shapes for the organisation endpoints."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from .access import access_for
from .models import Agency, Employee, Role, Unit, Zone


class AgencyOut(Schema):
    id: int
    name: str
    code: str
    kind: Agency.Kind
    region: str
    zone: Zone
    risk_zone: str
    ppkm_level: int | None
    observe_joint_leave: bool
    letterhead_title: str
    letterhead_subtitle: str
    address: str
    phone: str
    email: str
    website: str


class AgencyIn(Schema):
    name: str = Field(min_length=2, max_length=200)
    code: str = Field(min_length=2, max_length=40)
    kind: Agency.Kind
    region: str = Field(min_length=2, max_length=120)
    zone: Zone = Zone.WIB
    risk_zone: Agency.RiskZone | None = None
    ppkm_level: int | None = Field(None, ge=1, le=4)
    observe_joint_leave: bool = True
    letterhead_title: str = ""
    letterhead_subtitle: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""


class AgencyPatch(Schema):
    name: str | None = Field(None, min_length=2, max_length=200)
    kind: Agency.Kind | None = None
    region: str | None = None
    zone: Zone | None = None
    risk_zone: Agency.RiskZone | None = None
    ppkm_level: int | None = Field(None, ge=1, le=4)
    observe_joint_leave: bool | None = None
    letterhead_title: str | None = None
    letterhead_subtitle: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None


class CalendarDayIn(Schema):
    date: date
    kind: str = Field("off", pattern="^(off|on)$")
    name: str = Field(min_length=2, max_length=120)


class CalendarDayOut(Schema):
    date: date
    working: bool
    reason: str | None


class UnitOut(Schema):
    id: int
    agency_id: int
    parent_id: int | None
    code: str
    name: str
    kind: Unit.Kind
    serves_public: bool
    head_id: int | None
    min_on_site: int
    office_id: int | None
    is_active: bool
    depth: int


class UnitIn(Schema):
    agency: int | None = Field(None, description="Defaults to the caller's agency.")
    parent: int | None = None
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=2, max_length=200)
    kind: Unit.Kind
    serves_public: bool = False
    head: int | None = None
    min_on_site: int = Field(0, ge=0)
    office: int | None = None


class UnitPatch(Schema):
    parent: int | None = None
    code: str | None = Field(None, min_length=1, max_length=40)
    name: str | None = Field(None, min_length=2, max_length=200)
    kind: Unit.Kind | None = None
    serves_public: bool | None = None
    head: int | None = None
    min_on_site: int | None = Field(None, ge=0)
    office: int | None = None
    is_active: bool | None = None


class RoomOut(Schema):
    id: int
    name: str
    floor: str
    capacity: int | None


class RoomIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    floor: str = ""
    capacity: int | None = Field(None, ge=1)


class OfficeOut(Schema):
    id: int
    agency_id: int
    name: str
    address: str
    latitude: float
    longitude: float
    radius_m: int
    rooms: list[RoomOut]

    @staticmethod
    def resolve_rooms(obj):
        return list(obj.rooms.all())


class OfficeIn(Schema):
    agency: int | None = Field(None, description="Defaults to the caller's agency.")
    name: str = Field(min_length=2, max_length=200)
    address: str = ""
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    radius_m: int = Field(150, ge=10, le=5000)


class OfficePatch(Schema):
    name: str | None = Field(None, min_length=2, max_length=200)
    address: str | None = None
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    radius_m: int | None = Field(None, ge=10, le=5000)


HIDDEN = "Health data: null when the caller may not see it."


def _health(obj, context, name: str):
    """A health field's value, or None when the caller may not see it (or is unknown)."""
    request = (context or {}).get("request")
    if request is None or not access_for(request.user).sees_health_flags(obj):
        return None
    return getattr(obj, name)


class EmployeeOut(Schema):
    id: int
    agency_id: int
    nip: str
    name: str
    sex: Employee.Sex
    birth_date: date
    asn_type: Employee.AsnType
    position: str
    grade: str
    job_class: int | None
    unit_id: int
    unit_name: str = Field(alias="unit.name")
    office_id: int | None
    room_id: int | None
    supervisor_id: int | None
    home_latitude: float | None
    home_longitude: float | None
    phone: str
    email: str
    placed_on: date | None
    is_active: bool
    username: str | None = Field(None, alias="user.username")
    # SE MenPANRB 58/2020 placement criteria. The health ones are null for a caller who may not
    # see health data (only the person, their unit's admin and head, BKPSDM, health officers).
    comorbidity: bool | None = Field(None, description=HIDDEN)
    pregnant: bool | None = Field(None, description=HIDDEN)
    recent_contact_until: date | None = Field(None, description=HIDDEN)
    recent_travel_until: date | None = Field(
        None, description="Last day of the recent-travel criterion; null when none."
    )
    top_official: bool
    strategic_post: bool

    @staticmethod
    def resolve_comorbidity(obj, context):
        return _health(obj, context, "comorbidity")

    @staticmethod
    def resolve_pregnant(obj, context):
        return _health(obj, context, "pregnant")

    @staticmethod
    def resolve_recent_contact_until(obj, context):
        return _health(obj, context, "recent_contact_until")


class EmployeeIn(Schema):
    agency: int | None = Field(None, description="Defaults to the caller's agency.")
    nip: str = Field(min_length=18, max_length=22)
    name: str = Field(min_length=2, max_length=200)
    asn_type: Employee.AsnType = Employee.AsnType.PNS
    position: str = Field(min_length=2, max_length=200)
    grade: str = ""
    job_class: int | None = Field(None, ge=1, le=17)
    unit: int
    office: int | None = None
    room: int | None = None
    supervisor: int | None = None
    home_latitude: float | None = Field(None, ge=-90, le=90)
    home_longitude: float | None = Field(None, ge=-180, le=180)
    phone: str = ""
    email: str = ""
    placed_on: date | None = None
    password: str | None = Field(None, min_length=8, description="Initial password (optional).")


class EmployeePatch(Schema):
    nip: str | None = Field(None, min_length=18, max_length=22)
    name: str | None = Field(None, min_length=2, max_length=200)
    asn_type: Employee.AsnType | None = None
    position: str | None = None
    grade: str | None = None
    job_class: int | None = Field(None, ge=1, le=17)
    unit: int | None = None
    office: int | None = None
    room: int | None = None
    supervisor: int | None = None
    home_latitude: float | None = Field(None, ge=-90, le=90)
    home_longitude: float | None = Field(None, ge=-180, le=180)
    phone: str | None = None
    email: str | None = None
    placed_on: date | None = None
    is_active: bool | None = None
    # Placement criteria (SE MenPANRB 58/2020); each is checked on its own: the person may set
    # their health flags and travel, their unit's head or admin everything.
    comorbidity: bool | None = None
    pregnant: bool | None = None
    recent_contact_until: date | None = Field(None, description="Null clears it.")
    recent_travel_until: date | None = Field(None, description="Null clears it.")
    top_official: bool | None = None
    strategic_post: bool | None = None


class RoleOut(Schema):
    id: int
    user_id: int
    username: str = Field(alias="user.username")
    role: Role
    agency_id: int | None
    unit_id: int | None
    granted_by_id: int | None
    granted_at: datetime
    revoked_at: datetime | None
    note: str


class RoleIn(Schema):
    user: int = Field(description="The user id (see /employees: an employee's account).")
    role: Role
    agency: int | None = None
    unit: int | None = None
    note: str = ""


class MeOut(Schema):
    user_id: int
    username: str
    employee: EmployeeOut | None
    agency: AgencyOut | None
    roles: list[str]


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=80)
    expires_at: datetime | None = None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenOut):
    key: str = Field(description="Shown once: store it now.")


class ImportRowError(Schema):
    row: int
    nip: str
    problems: list[str]


class ImportReportOut(Schema):
    dry_run: bool
    imported: bool
    rows: int
    created: int
    updated: int
    units_created: int
    units_updated: int
    errors: list[ImportRowError]
    message: str
