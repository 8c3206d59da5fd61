"""Roster endpoints: who works where per day, and a manual change."""

from datetime import date

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from darirumah.core.errors import DomainError
from darirumah.org.access import access_for, get_visible

from . import selectors, services
from .models import Mode, RosterEntry

router = Router(tags=["roster"])
MAX_RANGE_DAYS = 92


class EntryOut(Schema):
    employee_id: int
    employee_name: str = Field(alias="employee.name")
    date: date
    mode: Mode
    source: RosterEntry.Source
    published: bool
    reason: str
    changed_by_id: int | None


class EntryIn(Schema):
    mode: Mode
    reason: str = Field(min_length=1, max_length=300)


@router.get("/roster", response=list[EntryOut])
def roster_list(
    request,
    start: date,
    end: date,
    unit: int | None = None,
    employee: int | None = None,
):
    """Entries from start to end (at most 92 days) for the people the caller may see."""
    if end < start or (end - start).days > MAX_RANGE_DAYS:
        raise DomainError(
            _("Give a range of at most %(n)s days, with the end not before the start.")
            % {"n": MAX_RANGE_DAYS}
        )
    return selectors.roster_entries(
        access=access_for(request.user), start=start, end=end, unit_id=unit, employee_id=employee
    )


@router.put("/roster/{employee_id}/{day}", response=EntryOut)
def roster_set(request, employee_id: int, day: date, payload: EntryIn):
    """Set one person's mode for one working day, with the reason."""
    access = access_for(request.user)
    employee = get_visible(access.employees().select_related("unit", "agency"), employee_id)
    return services.roster_entry_set(
        access=access, employee=employee, day=day, mode=payload.mode, reason=payload.reason
    )
