"""The OPD's daily recap for BKPSDM (R11): produced at report time, sent by the OPD.

`recap_produce` is what the 15:00 job calls for an agency and a working day: one DailyRecap per
OPD (a top-level unit, with its whole subtree), a snapshot of the day that a second run leaves
as it is. `recap_send` is the OPD's admin or head sending it with a note; BKPSDM's inbox
(selectors_recap.recap_inbox) shows who has sent and who has not.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from darirumah.core.calendar import calendar_for, utcnow
from darirumah.core.errors import DomainError
from darirumah.org.access import Access
from darirumah.org.models import Agency, Employee, Unit
from darirumah.performance.models import DailyReport
from darirumah.roster.models import RosterEntry

from ..models import Attendance, DailyRecap, ViconRoll


def recap_figures(unit: Unit, day: date) -> dict:
    """The day's numbers for an OPD and its sub-units, as stored in DailyRecap.figures."""
    staff = list(
        Employee.objects.filter(unit__path__startswith=unit.path, is_active=True).values_list(
            "pk", flat=True
        )
    )
    modes = Counter(
        RosterEntry.objects.filter(employee_id__in=staff, date=day).values_list("mode", flat=True)
    )
    statuses = Counter(
        Attendance.objects.filter(employee_id__in=staff, date=day).values_list("status", flat=True)
    )
    roll = Counter(
        ViconRoll.objects.filter(
            session__date=day, session__unit__path__startswith=unit.path
        ).values_list("status", flat=True)
    )
    # Reports sent so far (the recap is made at report time, before the day's report deadline):
    # a report returned for a fix was sent too.
    reports = DailyReport.objects.filter(
        employee_id__in=staff, date=day, submitted_at__isnull=False
    ).count()
    recorded = sum(statuses.values())
    return {
        "staff": len(staff),
        "by_mode": dict(sorted(modes.items())),
        "unplanned": len(staff) - sum(modes.values()),
        "present": statuses.get(Attendance.Status.PRESENT, 0),
        "late": statuses.get(Attendance.Status.LATE, 0),
        "absent": statuses.get(Attendance.Status.ABSENT, 0),
        "excused": statuses.get(Attendance.Status.EXCUSED, 0),
        "not_recorded": len(staff) - recorded,
        "vicon": {
            "present": roll.get(ViconRoll.Status.PRESENT, 0),
            "absent": roll.get(ViconRoll.Status.ABSENT, 0),
            "excused": roll.get(ViconRoll.Status.EXCUSED, 0),
        },
        "reports_submitted": reports,
    }


def opds(agency: Agency) -> list[Unit]:
    """The agency's OPDs: its active top-level units."""
    return list(Unit.objects.filter(agency=agency, parent__isnull=True, is_active=True))


def recap_produce(*, agency: Agency, day: date) -> list[DailyRecap]:
    """One recap per OPD for a working day; an existing one is kept as it was (idempotent)."""
    if not calendar_for(agency, years=[day.year]).is_working_day(day):
        return []
    units = opds(agency)
    existing = {
        r.unit_id: r for r in DailyRecap.objects.filter(agency=agency, date=day, unit__in=units)
    }
    now = utcnow()
    new = [
        DailyRecap(
            agency=agency, unit=unit, date=day, produced_at=now, figures=recap_figures(unit, day)
        )
        for unit in units
        if unit.pk not in existing
    ]
    # ignore_conflicts: a second worker producing the same day at the same time adds nothing.
    DailyRecap.objects.bulk_create(new, ignore_conflicts=True)
    return list(DailyRecap.objects.filter(agency=agency, date=day, unit__in=units))


def may_send(access: Access, recap: DailyRecap) -> bool:
    """The OPD's admin or head (and BKPSDM, the operator) may send its recap."""
    return access.arranges_unit(recap.unit)


def recap_send(*, access: Access, recap: DailyRecap, note: str = "") -> DailyRecap:
    """The OPD's admin or head sends the day's recap to BKPSDM, with a note if they like."""
    access.require(may_send(access, recap), _("Only the OPD's admin or head can send its recap."))
    if recap.sent_at is not None:
        raise DomainError(
            _("The recap of %(day)s was already sent.") % {"day": date_format(recap.date)},
            code="sent",
        )
    with transaction.atomic():
        recap.note = (note or "").strip()[:2000]
        recap.sent_at = utcnow()
        recap.sent_by = access.user
        recap.save(update_fields=["note", "sent_at", "sent_by"])
    return recap


def recap_mark_read(*, access: Access, recap: DailyRecap) -> DailyRecap:
    """BKPSDM of the recap's agency has read a sent recap: the first reading is kept, once."""
    if recap.sent_at is None or recap.read_by_bkpsdm_at is not None:
        return recap
    if not (access.is_bkpsdm and access.agency_id == recap.agency_id):
        return recap
    now = utcnow()
    # The filter keeps the first reading when two requests race.
    if DailyRecap.objects.filter(pk=recap.pk, read_by_bkpsdm_at__isnull=True).update(
        read_by_bkpsdm_at=now
    ):
        recap.read_by_bkpsdm_at = now
    else:
        recap.refresh_from_db(fields=["read_by_bkpsdm_at"])
    return recap
