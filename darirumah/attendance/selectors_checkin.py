"""Reads for the own check-in: today's day for the caller (mode, area, rules, record) and the
record as the API and the page show it (times in the agency's zone)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import connection
from django.utils import timezone

from darirumah.core import calendar as calendar_service
from darirumah.core.calendar import AgencyCalendar
from darirumah.org.models import AgencyDay, Employee
from darirumah.policy import selectors as policy_selectors
from darirumah.policy.rules import RuleSet
from darirumah.roster.models import RosterEntry

from . import rules
from .models import Attendance


@dataclass
class Today:
    """One employee's working day as the check-in sees it."""

    employee: Employee
    calendar: AgencyCalendar
    now: datetime  # in the agency's zone
    day: date
    day_off: str | None  # why the day is not worked (holiday name, "Sabtu"), None when worked
    mode: str  # the published roster's mode, "" without an entry
    ruleset: RuleSet
    area: str | None  # "office", "home" or None (no area to check against)
    centre: tuple[float, float] | None
    radius_m: int  # the office's own geofence at the office, the circular's radius at home
    record: Attendance | None

    @property
    def deadline(self) -> time:
        return self.ruleset.checkin_deadline


def _area(
    employee: Employee, area: str | None, ruleset: RuleSet
) -> tuple[tuple[float, float] | None, int]:
    """The centre and radius to judge a check-in against. An office has its own geofence (set
    per building by the admin); a home point uses the circular's radius."""
    if area == "office":
        office = employee.office or (employee.unit.office if employee.unit_id else None)
        if office is not None:
            return (office.latitude, office.longitude), office.radius_m
        return None, ruleset.geofence_radius_m
    if (
        area == "home"
        and employee.home_latitude is not None
        and employee.home_longitude is not None
    ):
        return (employee.home_latitude, employee.home_longitude), ruleset.geofence_radius_m
    return None, ruleset.geofence_radius_m


def today_for(employee: Employee, now: datetime | None = None) -> Today:
    """The employee's day at `now` (the server's clock by default), in the agency's zone."""
    moment = now if now is not None else calendar_service.utcnow()
    if timezone.is_naive(moment):
        raise ValueError("naive datetimes are not accepted; pass an aware datetime")
    agency = employee.agency
    local_now = moment.astimezone(calendar_service.zone_info(agency.zone))
    day = local_now.date()
    day_row = _day_of(employee, day)
    calendar = calendar_service.calendar_cached(agency, day.year, day_row.calendar_fingerprint)
    in_force = policy_selectors.circulars_in_force_cached(
        agency, day, fingerprint=day_row.rules_fingerprint
    )
    ruleset = policy_selectors.unit_rules(in_force, employee.unit_id, preferred=day_row.circular_id)
    area = rules.area_for(day_row.mode)
    centre, radius_m = _area(employee, area, ruleset)
    return Today(
        employee=employee,
        calendar=calendar,
        now=local_now,
        day=day,
        day_off=calendar.day_off_reason(day),
        mode=day_row.mode,
        ruleset=ruleset,
        area=area,
        centre=centre,
        radius_m=radius_m,
        # Read whole only when there is one: at 07:25 almost nobody has checked in yet.
        record=(
            Attendance.objects.filter(pk=day_row.record_id).first() if day_row.record_id else None
        ),
    )


@dataclass(frozen=True)
class _DayRow:
    mode: str  # the published roster's mode, "" without an entry
    circular_id: int | None  # the circular the entry was planned under
    record_id: int | None  # today's attendance record
    calendar_fingerprint: tuple  # of the agency's own calendar days
    rules_fingerprint: tuple  # of the agency's circulars, rule sets and units


@functools.cache
def _day_sql() -> str:
    """One statement, written once: the check-in surge reads this for thousands of people
    within minutes, and the ORM would rebuild its subqueries on every request."""
    roster, attendance, days = (m._meta.db_table for m in (RosterEntry, Attendance, AgencyDay))
    # The published roster entry of the employee on the day (one at most: a unique constraint).
    entry = f"FROM {roster} WHERE employee_id = %(e)s AND date = %(d)s AND published"
    # Table names from the models' own metadata; the values are query parameters.
    return (
        f"SELECT (SELECT mode {entry}), (SELECT circular_id {entry}), "  # noqa: S608
        f"(SELECT id FROM {attendance} WHERE employee_id = %(e)s AND date = %(d)s), "
        f"(SELECT count(*) FROM {days} WHERE agency_id = %(a)s), "
        f"(SELECT max(updated_at) FROM {days} WHERE agency_id = %(a)s), "
        f"{policy_selectors.fingerprint_columns()}"
    )


def _day_of(employee: Employee, day: date) -> _DayRow:
    """The roster's mode and circular, today's record and what the caches of the calendar and
    of the rules in force are checked against: one statement."""
    params = {
        "e": employee.pk,
        "d": connection.ops.adapt_datefield_value(day),
        "a": employee.agency_id,
    }
    with connection.cursor() as cursor:
        cursor.execute(_day_sql(), params)
        row = cursor.fetchone()
    return _DayRow(
        mode=row[0] or "",
        circular_id=row[1],
        record_id=row[2],
        calendar_fingerprint=tuple(row[3:5]),
        rules_fingerprint=tuple(row[5:]),
    )


def _local(moment: datetime | None, calendar: AgencyCalendar) -> datetime | None:
    return calendar.now(moment) if moment is not None else None


def record_data(record: Attendance, today: Today) -> dict:
    """The record as the API returns it: times with the agency's UTC offset."""
    return {
        "id": record.pk,
        "employee_id": record.employee_id,
        "date": record.date,
        "status": record.status,
        "source": record.source,
        "expected_mode": record.expected_mode,
        "area": rules.area_for(record.expected_mode),
        "deadline": today.deadline.strftime("%H:%M"),
        "minutes_late": record.minutes_late,
        "check_in_at": _local(record.check_in_at, today.calendar),
        "check_in_latitude": record.check_in_latitude,
        "check_in_longitude": record.check_in_longitude,
        "check_in_accuracy_m": record.check_in_accuracy_m,
        "place": record.check_in_place,
        "distance_m": (
            round(record.check_in_distance_m, 1) if record.check_in_distance_m is not None else None
        ),
        "check_out_at": _local(record.check_out_at, today.calendar),
        "check_out_place": record.check_out_place,
        "has_photo": bool(record.photo or record.photo_incoming),
    }
