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
