"""Attendance API: records, manual entry by an OPD admin, and an excuse attached later."""

from datetime import date, datetime

from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from darirumah.core.calendar import zone_info
from darirumah.org.access import access_for, get_visible

from .. import selectors
from ..models import Attendance, Place
from ..services import records as services

router = Router(tags=["attendance"])


class RecordOut(Schema):
    id: int
    employee_id: int
    employee_name: str = Field(alias="employee.name")
    unit_id: int = Field(alias="employee.unit_id")
    date: date
    expected_mode: str
    status: Attendance.Status
    source: Attendance.Source
    check_in_at: datetime | None
    check_in_place: Place | str
    check_out_at: datetime | None
    minutes_late: int
    reason: str
    has_evidence: bool = False

    @staticmethod
    def resolve_has_evidence(obj) -> bool:
        return bool(obj.evidence)

    # Times are returned with the agency's offset (API.md).
    @staticmethod
    def resolve_check_in_at(obj) -> datetime | None:
        return _local(obj, obj.check_in_at)

    @staticmethod
    def resolve_check_out_at(obj) -> datetime | None:
        return _local(obj, obj.check_out_at)


def _local(record: Attendance, moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.astimezone(zone_info(record.employee.agency.zone))


@router.get("/attendance", response=list[RecordOut])
@paginate(PageNumberPagination)
def attendance_list(
    request,
    unit: int | None = None,
    employee: int | None = None,
    date: date | None = None,  # noqa: A002 - the query parameter's name in API.md
):
    """Attendance records of the people the caller may see; filter by unit (with its
    sub-units), person and day."""
    access = access_for(request.user)
    unit_obj = get_visible(access.units(), unit) if unit is not None else None
    person = get_visible(access.employees(), employee) if employee is not None else None
    records = selectors.attendance_records(access, unit=unit_obj, employee=person, day=date)
    return records


class ManualRowIn(Schema):
    employee: int
    status: str = Field(description="present, late, absent or excused")
    reason: str = ""
    minutes_late: int | None = None


class ManualIn(Schema):
    unit: int
    date: date
    rows: list[ManualRowIn]


class SkippedOut(Schema):
    employee: int
    message: str


class ManualOut(Schema):
    created: int
    updated: int
    unchanged: int
    skipped: list[SkippedOut]


@router.post("/attendance/manual", response=ManualOut)
def attendance_manual(request, payload: ManualIn):
    """Enter one working day's attendance for a unit's people (the paper list). All or nothing;
    the rows of people who checked in themselves are skipped and listed in `skipped`."""
    access = access_for(request.user)
    unit = get_visible(access.units().select_related("agency"), payload.unit)
    result = services.attendance_manual_enter(
        access=access,
        unit=unit,
        day=payload.date,
        rows=[row.dict() for row in payload.rows],
    )
    return result.__dict__


@router.post("/attendance/{record_id}/excuse", response=RecordOut)
def attendance_excuse(
    request,
    record_id: int,
    reason: Form[str],
    evidence: File[UploadedFile] = None,
):
    """Excuse an absence later (multipart: reason, and evidence as PDF, JPEG, PNG or WebP)."""
    access = access_for(request.user)
    record = get_visible(
        selectors.attendance_records(access).select_related("employee__unit", "employee__agency"),
        record_id,
    )
    return services.attendance_excuse(
        access=access, record=record, reason=reason, evidence=evidence
    )
