"""Reads of isolation periods, scoped to the caller: the agency's for its health officers and the
head of BKPSDM (names-readers), the caller's own for everyone else. The callers (api/isolations.py,
views/isolations.py) log every read that shows another person's isolation, with the reason.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from darirumah.core.errors import NotFound
from darirumah.org.access import Access
from darirumah.org.models import Unit
from darirumah.roster.models import RosterEntry

from ..models import Isolation

# The `status` filter of the lists.
ACTIVE, OVER, CANCELLED = "active", "over", "cancelled"


def with_people(rows: QuerySet[Isolation]) -> QuerySet[Isolation]:
    return rows.select_related("employee__unit", "agency", "case", "contact")


def own_isolations(access: Access) -> QuerySet[Isolation]:
    if access.employee is None:
        return Isolation.objects.none()
    return with_people(Isolation.objects.filter(employee_id=access.employee.pk))


def isolations_for(
    access: Access,
    agency_id: int | None,
    active_on: date | None = None,
    unit_id: int | None = None,
    reason: str | None = None,
) -> QuerySet[Isolation]:
    """The agency's isolations for a names-reader, the caller's own for everyone else; those in
    force on `active_on` (not cancelled, the day between start and end) when given, of a unit
    with its sub-units, of one reason (confirmed, contact…)."""
    if access.reads_health_names(agency_id):
        rows = with_people(Isolation.objects.filter(agency_id=agency_id))
    else:
        rows = own_isolations(access)
    if active_on is not None:
        rows = rows.filter(cancelled=False, starts_on__lte=active_on, ends_on__gte=active_on)
    if unit_id is not None:
        unit = Unit.objects.filter(pk=unit_id, agency_id=agency_id).first()
        if unit is None:
            raise NotFound(_("Not found, or not visible to you."))
        rows = rows.filter(employee__unit__path__startswith=unit.path)
    if reason:
        rows = rows.filter(reason=reason)
    return rows


def is_own(access: Access, isolation: Isolation) -> bool:
    return access.employee is not None and isolation.employee_id == access.employee.pk


def isolation_visible(access: Access, pk: int) -> Isolation:
    """The isolation, if the caller reads names in its agency or it is their own; else NotFound."""
    isolation = with_people(Isolation.objects.filter(pk=pk)).first()
    if isolation is None or not (
        access.reads_health_names(isolation.agency_id) or is_own(access, isolation)
    ):
        raise NotFound(_("Not found, or not visible to you."))
    return isolation


def status_of(isolation: Isolation, today: date) -> str:
    """active (in force or still to come), over, or cancelled."""
    if isolation.cancelled:
        return CANCELLED
    return OVER if isolation.ends_on < today else ACTIVE


def status_filter(rows: QuerySet[Isolation], status: str | None, today: date):
    """Active (in force today or still to come), over, or cancelled."""
    if status == ACTIVE:
        return rows.filter(cancelled=False, ends_on__gte=today)
    if status == OVER:
        return rows.filter(cancelled=False, ends_on__lt=today)
    if status == CANCELLED:
        return rows.filter(cancelled=True)
    return rows


def roster_days(isolation: Isolation) -> list[RosterEntry]:
    """The person's roster over the isolation's planned period (its working days the roster
    holds as ISOLATION, and what the other days are)."""
    return list(
        RosterEntry.objects.filter(
            Q(employee_id=isolation.employee_id),
            date__range=(isolation.starts_on, isolation.ends_on),
        ).order_by("date")
    )
