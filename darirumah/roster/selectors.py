"""Reads of the roster, always within the caller's scope."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from darirumah.org.access import Access

from .models import RosterEntry


def roster_entries(
    *,
    access: Access,
    start: date,
    end: date,
    unit_id: int | None = None,
    employee_id: int | None = None,
) -> QuerySet[RosterEntry]:
    employees = access.employees()
    if unit_id is not None:
        unit = access.units().filter(pk=unit_id).first()
        employees = employees.filter(unit__path__startswith=unit.path) if unit else employees.none()
    if employee_id is not None:
        employees = employees.filter(pk=employee_id)
    return (
        RosterEntry.objects.filter(employee__in=employees, date__range=(start, end))
        .select_related("employee")
        .order_by("date", "employee__name")
    )


def roster_planned_modes(employee_ids, days) -> dict[tuple[int, date], str]:
    """The plan underneath any health measure, per (employee, day): the entry's mode, or for a
    day a health measure holds the mode it had before ("" when there was no entry). Cells
    without anything are left out. Internal (the health services call it with their own checks).
    """
    from .models import RosterHold

    people, days = list(employee_ids), list(days)
    if not people or not days:
        return {}
    planned = {
        (employee_id, day): mode
        for employee_id, day, mode, source in RosterEntry.objects.filter(
            employee_id__in=people, date__in=days
        )
        .values_list("employee_id", "date", "mode", "source")
        .order_by()
        if source != RosterEntry.Source.HEALTH
    }
    for employee_id, day, mode in (
        RosterHold.objects.filter(employee_id__in=people, date__in=days)
        .values_list("employee_id", "date", "original_mode")
        .order_by()
    ):
        if (employee_id, day) not in planned and mode:
            planned[(employee_id, day)] = mode
    return planned
