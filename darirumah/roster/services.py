"""Writes to the roster: manual entries and the fixed inputs the planner respects."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from darirumah.core.calendar import calendar_for
from darirumah.core.errors import DomainError
from darirumah.org.access import Access
from darirumah.org.models import Employee

from .models import Mode, RosterEntry


def _check_day(employee: Employee, day: date) -> None:
    reason = calendar_for(employee.agency, years=[day.year]).day_off_reason(day)
    if reason is not None:
        raise DomainError(
            _("%(day)s is not a working day (%(reason)s): the roster has no entry for it.")
            % {"day": date_format(day), "reason": reason},
            fields={"date": [_("Not a working day.")]},
        )


def roster_entry_set(
    *, access: Access, employee: Employee, day: date, mode: str, reason: str
) -> RosterEntry:
    """Set one person's mode for one working day by hand (a head's change, leave, duty, or an
    isolation entered by a health officer). The one entry per person per day is updated."""
    health_isolation = mode == Mode.ISOLATION and access.is_health_officer
    if not health_isolation:
        access.require(
            access.arranges_unit(employee.unit),
            _("Only the unit's head or admin, or BKPSDM, can change this roster."),
        )
    if mode not in Mode.values:
        raise DomainError(_("Unknown mode %(m)s.") % {"m": mode}, fields={"mode": [_("Unknown.")]})
    if not (reason or "").strip():
        raise DomainError(_("Say why the day changes."), fields={"reason": [_("Required.")]})
    if not employee.is_active:
        raise DomainError(_("%(name)s is no longer active.") % {"name": employee.name})
    _check_day(employee, day)
    source = RosterEntry.Source.HEALTH if health_isolation else RosterEntry.Source.MANUAL
    with transaction.atomic():
        entry = RosterEntry.objects.select_for_update().filter(
            employee=employee, date=day
        ).first() or RosterEntry(employee=employee, date=day)
        entry.mode, entry.source, entry.reason = mode, source, reason.strip()[:300]
        entry.changed_by = access.user
        entry._history_user = access.user
        entry.save()
    return entry
