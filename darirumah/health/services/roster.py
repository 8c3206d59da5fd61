"""The roster under the health measures: after an isolation or a closure is recorded, changed
or ended, the covered days of the people it touches are brought in line (roster/services_health
keeps the plan underneath and gives it back)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from darirumah.core.calendar import calendar_for
from darirumah.health.models import Closure, Isolation
from darirumah.health.rules.roster import health_day
from darirumah.org.models import Agency, Employee
from darirumah.roster.selectors import roster_planned_modes
from darirumah.roster.services_health import roster_health_sync


def health_roster_refresh(
    *, agency: Agency, employee_ids, start: date, end: date, actor
) -> dict[str, int]:
    """Recompute the health hold of every working day from `start` to `end` of the given
    employees from the isolations and closures in force, and write the changes. Call it inside
    the service's transaction, after the measure is saved, with the range the measure covered
    before and after the change."""
    days = calendar_for(agency, years=range(start.year, end.year + 1)).working_days(start, end)
    staff = list(
        Employee.objects.filter(pk__in=list(employee_ids), agency=agency)
        .select_related("unit")
        .only("pk", "office_id", "room_id", "unit__serves_public", "unit__office_id")
    )
    if not days or not staff:
        return {"held": 0, "released": 0}
    people = [e.pk for e in staff]
    isolations: dict[int, list[Isolation]] = {}
    for iso in Isolation.objects.filter(
        employee_id__in=people, cancelled=False, starts_on__lte=end, ends_on__gte=start
    ):
        isolations.setdefault(iso.employee_id, []).append(iso)
    offices = {e.office_id or e.unit.office_id for e in staff} - {None}
    closures = list(
        Closure.objects.filter(
            office_id__in=offices, starts_on__lte=end, ends_on__gte=start
        ).prefetch_related("rooms", "office")
    )
    room_sets = {c.pk: {r.pk for r in c.rooms.all()} for c in closures}
    planned = roster_planned_modes(people, days)
    with translation.override(settings.LANGUAGE_CODE):
        targets = {}
        for person in staff:
            office_id = person.office_id or person.unit.office_id
            for day in days:
                iso = next(
                    (i for i in isolations.get(person.pk, ()) if i.starts_on <= day <= i.ends_on),
                    None,
                )
                closure = next(
                    (
                        c
                        for c in closures
                        if c.office_id == office_id
                        and c.starts_on <= day <= c.ends_on
                        and (not room_sets[c.pk] or person.room_id in room_sets[c.pk])
                        and not (c.keep_public_service_open and person.unit.serves_public)
                    ),
                    None,
                )
                mode = health_day(
                    planned.get((person.pk, day), ""),
                    isolated=iso is not None,
                    closed=closure is not None,
                )
                if mode is None:
                    targets[(person.pk, day)] = None
                elif iso is not None and mode == "ISOLATION":
                    targets[(person.pk, day)] = (
                        mode,
                        _("Isolation until %(day)s") % {"day": date_format(iso.ends_on)},
                    )
                else:
                    targets[(person.pk, day)] = (
                        mode,
                        _("%(office)s closed until %(day)s: %(reason)s")
                        % {
                            "office": closure.office.name,
                            "day": date_format(closure.ends_on),
                            "reason": closure.reason,
                        },
                    )
    return roster_health_sync(targets=targets, actor=actor)


def office_staff_ids(office_id: int) -> list[int]:
    """Everyone who works in the building: their own office, or their unit's when unset."""
    return list(
        Employee.objects.filter(
            Q(office_id=office_id) | Q(office__isnull=True, unit__office_id=office_id),
            is_active=True,
        ).values_list("pk", flat=True)
    )
