"""Attendance API: the caller's own check-in and check-out for today (see API.md).

Multipart (latitude, longitude, accuracy, photo); location fields may be empty when the phone
gives none (the place is then unknown). Bad input is a 400 with the field that is wrong.
"""

from datetime import date, datetime

from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from darirumah.org.access import access_for

from ..selectors_checkin import record_data
from ..services import checkin as services

router = Router(tags=["attendance"])


class CheckinOut(Schema):
    id: int
    employee_id: int
    date: date
    status: str
    source: str
    expected_mode: str
    area: str | None
    deadline: str
    minutes_late: int
    check_in_at: datetime | None
    check_in_latitude: float | None
    check_in_longitude: float | None
    check_in_accuracy_m: float | None
    place: str
    distance_m: float | None
    check_out_at: datetime | None
    check_out_place: str
    has_photo: bool
    created: bool
    notes: list[str]


def _out(result: services.Result) -> Status:
    data = record_data(result.record, result.today)
    data.update({"created": result.created, "notes": result.notes})
    return Status(201 if result.created else 200, data)


@router.post("/attendance/check-in", response={200: CheckinOut, 201: CheckinOut})
def check_in(
    request,
    latitude: Form[str] = "",
    longitude: Form[str] = "",
    accuracy: Form[str] = "",
    photo: File[UploadedFile] = None,
):
    """Check in for today: 201 with the new record, or 200 with today's record unchanged when
    the caller already checked in. Refused (400) on a day off, without a photo, or outside the
    area when the circular refuses that; 409 when an admin already entered today's record."""
    result = services.checkin_record(
        access=access_for(request.user),
        latitude=latitude,
        longitude=longitude,
        accuracy=accuracy,
        photo=photo,
    )
    return _out(result)


@router.post("/attendance/check-out", response={200: CheckinOut, 201: CheckinOut})
def check_out(
    request,
    latitude: Form[str] = "",
    longitude: Form[str] = "",
    accuracy: Form[str] = "",
):
    """Check out for today (after a check-in): 201 when recorded, 200 with the record unchanged
    when already checked out. The place is stored, never refused."""
    result = services.checkout_record(
        access=access_for(request.user),
        latitude=latitude,
        longitude=longitude,
        accuracy=accuracy,
    )
    return _out(result)
