"""Reads of attendance, always within the caller's scope."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from darirumah.core.calendar import calendar_for
from darirumah.org.access import Access
from darirumah.org.models import Employee, Unit

from .models import Attendance
from .services.records import roster_modes, unit_staff


def attendance_records(
    access: Access,
    unit: Unit | None = None,
    employee: Employee | None = None,
    day: date | None = None,
) -> QuerySet[Attendance]:
    """Records of the people the caller may see, optionally of one unit subtree, one person or
    one day, newest day first."""
    qs = Attendance.objects.filter(employee__in=access.employees())
    if unit is not None:
        qs = qs.filter(employee__unit__path__startswith=unit.path, employee__agency=unit.agency_id)
    if employee is not None:
        qs = qs.filter(employee=employee)
    if day is not None:
        qs = qs.filter(date=day)
    return qs.select_related("employee__unit", "employee__agency").order_by(
        "-date", "employee__name", "pk"
    )


def board_readable(access: Access, unit: Unit) -> bool:
    """Who reads a unit's board: those who oversee the unit (its admin and head, BKPSDM,
    pimpinan, the operator) and a supervisor whose team works in it (their team's rows only)."""
    return access.oversees_unit(unit) or bool(access.team_in(unit))


@dataclass
class BoardRow:
    employee: Employee
    mode: str
    record: Attendance | None
    check_in_local: datetime | None

    @property
    def check_in_time(self) -> str:
        """HH:MM on the agency's wall clock (templates would convert an aware time again)."""
        return self.check_in_local.strftime("%H:%M") if self.check_in_local else ""

    @property
    def status(self) -> str:
        return self.record.status if self.record else ""

    @property
    def place(self) -> str:
        return self.record.check_in_place if self.record else ""

    @property
    def minutes_late(self) -> int:
        return self.record.minutes_late if self.record else 0


@dataclass
class Board:
    unit: Unit
    day: date
    working: bool
    day_off_reason: str | None
    rows: list[BoardRow]
    by_mode: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    team_only: bool = False


def unit_board(access: Access, unit: Unit, day: date) -> Board:
    """The unit's attendance on a day, per person: the roster's mode, the record's status,
    check-in time (in the agency's zone), place and minutes late; with totals by mode and
    status and how many have not checked in yet."""
    access.require(
        board_readable(access, unit),
        _("You cannot see the attendance board of %(unit)s.") % {"unit": unit.name},
    )
    staff = unit_staff(unit).select_related("unit").order_by("unit__path", "name")
    team_only = not access.oversees_unit(unit)
    if team_only:
        staff = staff.filter(pk__in=access.team_in(unit))
    people = list(staff)
    ids = [e.pk for e in people]
    modes = roster_modes(ids, day)
    records = {a.employee_id: a for a in Attendance.objects.filter(employee_id__in=ids, date=day)}
    calendar = calendar_for(unit.agency, years=[day.year])
    rows = []
    for employee in people:
        record = records.get(employee.pk)
        at = calendar.now(record.check_in_at) if record and record.check_in_at else None
        rows.append(BoardRow(employee, modes.get(employee.pk, ""), record, at))
    by_mode = Counter(r.mode or "-" for r in rows)
    statuses = Counter(r.status for r in rows if r.status)
    totals = {s: statuses.get(s, 0) for s in Attendance.Status.values}
    totals["not_yet"] = sum(1 for r in rows if r.record is None)
    totals["people"] = len(rows)
    reason = calendar.day_off_reason(day)
    return Board(
        unit=unit,
        day=day,
        working=reason is None,
        day_off_reason=reason,
        rows=rows,
        by_mode=dict(sorted(by_mode.items())),
        totals=totals,
        team_only=team_only,
    )
