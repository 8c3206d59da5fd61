"""The caller's own check-in and check-out for today (issue 4, R7).

The server's clock in the agency's zone decides the day and the lateness; the published roster
gives the expected mode and so the area (office or home); the circular in force gives the
deadline, the geofence radius, the worst accuracy still judged and whether a check-in outside the
area is flagged or refused. One record per person per day (a database constraint): a repeated or
concurrent check-in returns the record that was stored first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from darirumah.core.errors import Conflict, DomainError, NotAllowed
from darirumah.org.access import Access
from darirumah.org.models import Employee

from .. import rules, tasks
from ..models import Attendance, Place
from ..selectors_checkin import Today, today_for
from .checkin_photo import check_photo, delete_photo, store_incoming


@dataclass
class Result:
    record: Attendance
    today: Today
    created: bool  # False: the record already existed and is returned unchanged
    notes: list[str] = field(default_factory=list)


def _employee(access: Access) -> Employee:
    if access.employee is None:
        raise NotAllowed(
            _("Your account has no employee record, so there is no attendance to record."),
            code="no_employee",
        )
    return access.employee


def _number(value, name: str, low: float, high: float) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not low <= number <= high:  # also refuses NaN and infinities
        message = _("Give a number from %(low)s to %(high)s.") % {"low": low, "high": high}
        raise DomainError(
            _("The location is not valid: %(field)s.") % {"field": name},
            code="invalid",
            fields={name: [message]},
        )
    return number


def _location(latitude, longitude, accuracy) -> tuple[float | None, float | None, float | None]:
    lat = _number(latitude, "latitude", -90, 90)
    lon = _number(longitude, "longitude", -180, 180)
    acc = _number(accuracy, "accuracy", 0, 1_000_000)
    if (lat is None) != (lon is None):
        raise DomainError(
            _("Give both latitude and longitude, or neither."),
            code="invalid",
            fields={"latitude": [_("Give both latitude and longitude, or neither.")]},
        )
    return lat, lon, acc


def _open_day(employee: Employee, now: datetime | None) -> Today:
    today = today_for(employee, now)
    if today.day_off is not None:
        raise DomainError(
            _("%(day)s is not a working day (%(reason)s): there is no attendance to record.")
            % {"day": date_format(today.day, "DATE_FORMAT"), "reason": today.day_off},
            code="not_working_day",
        )
    return today


def _not_own(record: Attendance) -> DomainError | None:
    """Why a record someone else wrote cannot be changed by the employee's own check-in."""
    if record.source == Attendance.Source.MANUAL:
        return Conflict(
            _(
                "Your attendance for today was already entered by an admin (%(status)s); "
                "it is not changed. Ask your OPD admin if it is wrong."
            )
            % {"status": record.get_status_display()},
            code="manual_record",
        )
    if record.source == Attendance.Source.SYSTEM:
        return Conflict(
            _("Today's attendance was already closed (%(status)s); it is not changed.")
            % {"status": record.get_status_display()},
            code="closed_record",
        )
    return None


def _notes(today: Today, place: str) -> list[str]:
    notes = []
    if not today.mode:
        notes.append(_("You have no published schedule for today: your location was not checked."))
    elif today.area is not None and today.centre is None:
        if today.area == "home":
            notes.append(_("Your home point is not recorded: your location was not checked."))
        else:
            notes.append(_("Your office has no location: your location was not checked."))
    elif today.area is not None and place == Place.UNKNOWN:
        notes.append(_("Your location is unknown or too inaccurate to check."))
    return notes


def _judge(today: Today, lat, lon, acc) -> tuple[str, float | None]:
    return rules.place(
        latitude=lat,
        longitude=lon,
        accuracy_m=acc,
        centre=today.centre,
        radius_m=today.radius_m,
        max_accuracy_m=today.ruleset.max_accuracy_m,
    )


def area_label(area: str | None) -> str:
    return {"office": _("the office"), "home": _("your home point")}.get(area or "", "")


def checkin_record(
    *, access: Access, latitude, longitude, accuracy, photo, now: datetime | None = None
) -> Result:
    """Record the caller's check-in for today (their agency's local day), or return the record
    already stored today unchanged (created=False)."""
    employee = _employee(access)
    today = _open_day(employee, now)
    if today.record is not None:
        refused = _not_own(today.record)
        if refused:
            raise refused
        return Result(today.record, today, created=False)
    lat, lon, acc = _location(latitude, longitude, accuracy)
    upload = check_photo(photo)
    place, distance = _judge(today, lat, lon, acc)
    if place == Place.OUTSIDE and today.ruleset.outside_checkin == "refuse":
        message = _(
            "You are %(distance)s m from %(area)s, outside the %(radius)s m area: the circular "
            "does not accept a check-in from there."
        ) % {
            "distance": round(distance),
            "area": area_label(today.area),
            "radius": today.radius_m,
        }
        raise DomainError(message, code="outside_area", fields={"latitude": [message]})
    late = rules.minutes_late(today.now, today.deadline)
    name = store_incoming(upload)
    try:
        with transaction.atomic():  # a savepoint when the caller already holds a transaction
            record = Attendance.objects.create(
                employee=employee,
                date=today.day,
                expected_mode=today.mode,
                status=Attendance.Status.LATE if late else Attendance.Status.PRESENT,
                source=Attendance.Source.SELF,
                check_in_at=today.now,
                check_in_latitude=lat,
                check_in_longitude=lon,
                check_in_accuracy_m=acc,
                check_in_place=place,
                check_in_distance_m=distance,
                photo_incoming=name,
                minutes_late=late,
                recorded_by=access.user,
            )
    except IntegrityError:
        # Another request for the same person and day committed first: return its row.
        delete_photo(name)
        winner = Attendance.objects.filter(employee=employee, date=today.day).first()
        if winner is None:
            raise
        refused = _not_own(winner)
        if refused:
            raise refused from None
        return Result(winner, today, created=False)
    except BaseException:
        delete_photo(name)
        raise
    # The photo is cleaned on the job runner once the record is committed (checkin_photo.py).
    transaction.on_commit(lambda: tasks.finish_photo(record.pk))
    return Result(record, today, created=True, notes=_notes(today, place))


def checkout_record(
    *, access: Access, latitude, longitude, accuracy, now: datetime | None = None
) -> Result:
    """Record the caller's check-out for today; once: a repeat returns the record unchanged."""
    employee = _employee(access)
    today = _open_day(employee, now)
    if today.record is None:
        raise Conflict(_("Check in first: there is no check-in today."), code="not_checked_in")
    refused = _not_own(today.record)
    if refused:
        raise refused
    lat, lon, acc = _location(latitude, longitude, accuracy)
    place, _distance = _judge(today, lat, lon, acc)
    with transaction.atomic():
        record = Attendance.objects.select_for_update().get(pk=today.record.pk)
        if record.check_out_at is not None:
            return Result(record, today, created=False)
        if record.check_in_at is None:
            raise Conflict(_("Check in first: there is no check-in today."), code="not_checked_in")
        if today.now < record.check_in_at:
            raise Conflict(_("The check-out cannot be before the check-in."), code="clock")
        record.check_out_at = today.now
        record.check_out_latitude = lat
        record.check_out_longitude = lon
        record.check_out_accuracy_m = acc
        record.check_out_place = place
        record.save(
            update_fields=[
                "check_out_at",
                "check_out_latitude",
                "check_out_longitude",
                "check_out_accuracy_m",
                "check_out_place",
                "updated_at",
            ]
        )
    # The photo is cleaned on the job runner once the record is committed (checkin_photo.py).
    transaction.on_commit(lambda: tasks.finish_photo(record.pk))
    return Result(record, today, created=True, notes=_notes(today, place))
