"""Reads for the own check-in: today's day for the caller (mode, area, rules, record) and the
record as the API and the page show it (times in the agency's zone)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Subquery

from darirumah.core import calendar as calendar_service
from darirumah.core.calendar import AgencyCalendar
from darirumah.org.models import Employee
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
    agency = employee.agency
    local = moment.astimezone(calendar_service.zone_info(agency.zone))
    calendar = calendar_service.calendar_for(agency, years=[local.year])
    local_now = calendar.now(moment)
    day = local_now.date()
    mode, circular_id, record_id = _day_of(employee, day)
    in_force = policy_selectors.circulars_in_force_cached(agency, day)
    ruleset = policy_selectors.unit_rules(in_force, employee.unit_id, preferred=circular_id)
    area = rules.area_for(mode)
    centre, radius_m = _area(employee, area, ruleset)
    return Today(
        employee=employee,
        calendar=calendar,
        now=local_now,
        day=day,
        day_off=calendar.day_off_reason(day),
        mode=mode,
        ruleset=ruleset,
        area=area,
        centre=centre,
        radius_m=radius_m,
        # Read whole only when there is one: at 07:25 almost nobody has checked in yet.
        record=Attendance.objects.filter(pk=record_id).first() if record_id else None,
    )


def _day_of(employee: Employee, day: date) -> tuple[str, int | None, int | None]:
    """(the published roster's mode or "", the circular it was planned under, today's record id)
    in one statement: the check-in surge reads them for thousands of people within minutes."""
    entries = RosterEntry.objects.filter(employee=employee, date=day, published=True).order_by("pk")
    row = (
        Employee.objects.filter(pk=employee.pk)
        .values_list(
            Subquery(entries.values("mode")[:1]),
            Subquery(entries.values("circular_id")[:1]),
            Subquery(Attendance.objects.filter(employee=employee, date=day).values("pk")[:1]),
        )
        .first()
    )
    if row is None:
        return "", None, None
    return row[0] or "", row[1], row[2]


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
