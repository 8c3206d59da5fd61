"""Writes of attendance records that are not the person's own check-in: the OPD admin's paper
list (manual entry), the end-of-day absence job, and an excuse attached later.

Who enters attendance for a unit: whoever arranges the unit (`Access.arranges_unit`: the OPD
admin or head over its subtree, BKPSDM, the platform operator). The head is included because the
issue's "done when" has the head entering the list; BKPSDM because it runs the agency's data.
A supervisor as such, pimpinan and the health officer read, they do not enter.

A person's own check-in (source SELF) is never overwritten: such rows are skipped and reported.
A previous manual or system row may be corrected; simple-history keeps the old values and who
changed them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from darirumah.core.calendar import calendar_for, utcnow
from darirumah.core.errors import Conflict, DomainError
from darirumah.core.files import file_kind
from darirumah.org.access import Access
from darirumah.org.models import Agency, Employee, Unit
from darirumah.roster.models import FIXED_MODES, RosterEntry

from ..models import Attendance

MAX_REASON = 300
MAX_MINUTES_LATE = 24 * 60
MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
BATCH = 1000
# The model's check_in_distance_m is null=True without blank=True, so full_clean() refuses an
# empty one; manual and system rows have no check-in location.
CLEAN_EXCLUDE = ["check_in_distance_m"]
# Roster modes that excuse an absence; the reason written is the mode itself.
EXCUSING_MODES = ("LEAVE", "DUTY", "ISOLATION")
NEEDS_REASON = (Attendance.Status.ABSENT, Attendance.Status.EXCUSED)


def unit_staff(unit: Unit):
    """The active people of a unit and its sub-units."""
    return Employee.objects.filter(
        agency_id=unit.agency_id, unit__path__startswith=unit.path, is_active=True
    )


def roster_modes(employee_ids, day: date) -> dict[int, str]:
    """The roster's mode per employee for the day: a published entry, or a fixed one (leave,
    duty, isolation are facts even before the plan is published). A draft plan does not count."""
    rows = RosterEntry.objects.filter(employee_id__in=employee_ids, date=day).values_list(
        "employee_id", "mode", "published"
    )
    return {e: m for e, m, published in rows if published or m in FIXED_MODES}


def check_day(agency: Agency, day: date, *, allow_future: bool = False) -> None:
    calendar = calendar_for(agency, years=[day.year])
    reason = calendar.day_off_reason(day)
    if reason is not None:
        raise DomainError(
            _("%(day)s is not a working day (%(reason)s): there is no attendance to take.")
            % {"day": date_format(day), "reason": reason},
            code="not_working_day",
            fields={"date": [_("Not a working day.")]},
        )
    if not allow_future and day > calendar.today():
        raise DomainError(
            _("%(day)s has not come yet: attendance is entered on the day or after it.")
            % {"day": date_format(day)},
            code="future_day",
            fields={"date": [_("A future day.")]},
        )


def self_checkin_note(record: Attendance, agency: Agency) -> str:
    if record.check_in_at:
        at = calendar_for(agency, years=[record.date.year]).now(record.check_in_at)
        return _("%(name)s checked in themself at %(time)s; left as it is.") % {
            "name": record.employee.name,
            "time": time_format(at, "H:i"),
        }
    return _("%(name)s recorded their own attendance; left as it is.") % {
        "name": record.employee.name
    }


# --- manual entry ---------------------------------------------------------------------------


@dataclass
class ManualResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[dict] = field(default_factory=list)  # {"employee": id, "message": str}


def _parse_row(i: int, raw: dict, staff: dict[int, Employee], seen: set[int]):
    """(Employee, status, reason, minutes late) or a list of problems with the row."""
    label = _("Row %(n)d") % {"n": i + 1}
    problems: list[str] = []
    try:
        pk = int(raw.get("employee"))
    except (TypeError, ValueError):
        return None, [_("%(row)s: say whose row it is.") % {"row": label}]
    employee = staff.get(pk)
    if employee is None:
        exists = Employee.objects.filter(pk=pk).exists()
        message = (
            _("%(row)s: this person is not in the unit (or no longer active).")
            if exists
            else _("%(row)s: unknown person.")
        )
        return None, [message % {"row": label}]
    label = f"{label} ({employee.name})"
    if pk in seen:
        return None, [_("%(row)s: the person appears twice in the list.") % {"row": label}]
    seen.add(pk)
    status = str(raw.get("status") or "").strip().lower()
    if status not in Attendance.Status.values:
        problems.append(
            _("%(row)s: the status must be present, late, absent or excused.") % {"row": label}
        )
    reason = str(raw.get("reason") or "").strip()
    if status in NEEDS_REASON and not reason:
        problems.append(_("%(row)s: give the reason for an absence or excuse.") % {"row": label})
    if len(reason) > MAX_REASON:
        problems.append(
            _("%(row)s: the reason is longer than %(n)d characters.")
            % {"row": label, "n": MAX_REASON}
        )
    minutes = 0
    if status == Attendance.Status.LATE and raw.get("minutes_late") not in (None, ""):
        try:
            minutes = int(raw["minutes_late"])
        except (TypeError, ValueError):
            minutes = -1
        if not 0 <= minutes <= MAX_MINUTES_LATE:
            problems.append(
                _("%(row)s: minutes late must be a whole number from 0 to %(n)d.")
                % {"row": label, "n": MAX_MINUTES_LATE}
            )
    if problems:
        return None, problems
    return (employee, status, reason, minutes), []


def attendance_manual_enter(*, access: Access, unit: Unit, day: date, rows: list[dict]):
    """Enter one working day's attendance for the people of a unit in one go (the paper list).

    All or nothing: any bad row refuses the whole list with every row's problem named. Rows of
    people who checked in themselves are skipped and reported back. Returns a ManualResult.
    """
    access.require(
        access.arranges_unit(unit),
        _("Only the unit's admin or head, or BKPSDM, can enter attendance for %(unit)s.")
        % {"unit": unit.name},
    )
    agency = unit.agency
    check_day(agency, day)
    if not rows:
        raise DomainError(_("The list is empty: add a row per person."), code="empty")
    staff = {e.pk: e for e in unit_staff(unit)}
    seen: set[int] = set()
    parsed, fields = [], {}
    for i, raw in enumerate(rows):
        row, problems = _parse_row(i, raw if isinstance(raw, dict) else {}, staff, seen)
        if problems:
            fields[f"rows.{i}"] = problems
        else:
            parsed.append(row)
    if fields:
        raise DomainError(
            _("Nothing was saved: %(n)d of the rows have problems.") % {"n": len(fields)},
            fields=fields,
        )
    result = ManualResult()
    modes = roster_modes([e.pk for e, *_rest in parsed], day)
    try:
        with transaction.atomic():
            existing = {
                a.employee_id: a
                for a in Attendance.objects.select_for_update()
                .filter(employee_id__in=[e.pk for e, *_rest in parsed], date=day)
                .select_related("employee")
            }
            new = []
            for employee, status, reason, minutes in parsed:
                minutes = minutes if status == Attendance.Status.LATE else 0
                record = existing.get(employee.pk)
                if record is not None and record.source == Attendance.Source.SELF:
                    result.skipped.append(
                        {"employee": employee.pk, "message": self_checkin_note(record, agency)}
                    )
                    continue
                if record is None:
                    new.append(
                        Attendance(
                            employee=employee,
                            date=day,
                            expected_mode=modes.get(employee.pk, ""),
                            status=status,
                            source=Attendance.Source.MANUAL,
                            reason=reason,
                            minutes_late=minutes,
                            recorded_by=access.user,
                        )
                    )
                    continue
                if (record.status, record.reason, record.minutes_late) == (
                    status,
                    reason,
                    minutes,
                ):
                    result.unchanged += 1
                    continue
                record.status, record.reason, record.minutes_late = status, reason, minutes
                record.source = Attendance.Source.MANUAL
                record.recorded_by = access.user
                record._history_user = access.user
                record.full_clean(exclude=CLEAN_EXCLUDE, validate_unique=False)
                record.save()
                result.updated += 1
            for record in new:
                record.full_clean(
                    exclude=CLEAN_EXCLUDE, validate_unique=False, validate_constraints=False
                )
            bulk_create_with_history(new, Attendance, default_user=access.user)
            result.created = len(new)
    except IntegrityError:
        # Someone checked in while the list was being saved: nothing was written.
        raise Conflict(
            _(
                "Someone recorded attendance for this day while the list was being saved; open "
                "the list again and save it once more."
            )
        ) from None
    return result


# --- the end-of-day absence job -------------------------------------------------------------


def attendance_mark_absent(*, agency: Agency, day: date) -> dict[str, int]:
    """Everyone active in the agency without a record for the working day gets one: excused when
    the roster says leave, duty or isolation (the mode is the reason), else absent. Written by
    the system; running it again finds nobody left and changes nothing. A non-working day is
    refused. Returns {"absent": n, "excused": n, "already": n}."""
    check_day(agency, day, allow_future=False)
    staff = list(
        Employee.objects.filter(agency=agency, is_active=True).values_list("pk", flat=True)
    )
    with transaction.atomic():
        have = set(
            Attendance.objects.filter(employee__agency=agency, date=day).values_list(
                "employee_id", flat=True
            )
        )
        roster = RosterEntry.objects.filter(employee__agency=agency, date=day).values_list(
            "employee_id", "mode", "published"
        )
        # A draft plan is not the roster; fixed days (leave, duty, isolation) are facts.
        modes = {e: m for e, m, published in roster if published or m in FIXED_MODES}
        new = []
        for pk in staff:
            if pk in have:
                continue
            mode = modes.get(pk, "")
            excused = mode in EXCUSING_MODES
            new.append(
                Attendance(
                    employee_id=pk,
                    date=day,
                    expected_mode=mode,
                    status=Attendance.Status.EXCUSED if excused else Attendance.Status.ABSENT,
                    source=Attendance.Source.SYSTEM,
                    reason=mode if excused else "",
                )
            )
        # ignore_conflicts: a late check-in racing the job keeps its own row. The rows written
        # are read back in one query (SQLite does not return ids) for their history rows.
        Attendance.objects.bulk_create(new, batch_size=BATCH, ignore_conflicts=True)
        wanted = {a.employee_id for a in new}
        created = [
            a
            for a in Attendance.objects.filter(
                employee__agency=agency, date=day, source=Attendance.Source.SYSTEM
            )
            if a.employee_id in wanted
        ]
        Attendance.history.bulk_history_create(created, batch_size=BATCH)
    excused = sum(1 for a in created if a.status == Attendance.Status.EXCUSED)
    return {"absent": len(created) - excused, "excused": excused, "already": len(have)}


# --- an excuse attached later ---------------------------------------------------------------

# The stored file keeps the extension of its kind.
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png", "webp": "webp"}


def _check_evidence(evidence) -> str:
    if evidence.size is not None and evidence.size > MAX_EVIDENCE_BYTES:
        raise DomainError(
            _("The evidence file is larger than %(n)d MB.")
            % {"n": MAX_EVIDENCE_BYTES // (1024 * 1024)},
            code="too_large",
            fields={"evidence": [_("Too large.")]},
        )
    evidence.seek(0)
    kind = file_kind(evidence.read(16))
    evidence.seek(0)
    if kind is None:
        raise DomainError(
            _("The evidence must be a PDF, JPEG, PNG or WebP file."),
            code="bad_file",
            fields={"evidence": [_("Not a PDF, JPEG, PNG or WebP file.")]},
        )
    return EXTENSIONS[kind]


def attendance_excuse(*, access: Access, record: Attendance, reason: str, evidence=None):
    """An admin excuses an absence later (a doctor's letter, a duty order): absent → excused,
    with the reason and optional evidence, audited. An excused record may get its evidence or
    reason completed; a present or late record has nothing to excuse."""
    employee = record.employee
    access.require(
        access.arranges_unit(employee.unit),
        _("Only the unit's admin or head, or BKPSDM, can excuse an absence."),
    )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the excuse."), fields={"reason": [_("Required.")]})
    if len(reason) > MAX_REASON:
        raise DomainError(
            _("The reason is longer than %(n)d characters.") % {"n": MAX_REASON},
            fields={"reason": [_("Too long.")]},
        )
    kind = _check_evidence(evidence) if evidence is not None else None
    with transaction.atomic():
        record = Attendance.objects.select_for_update().select_related("employee").get(pk=record.pk)
        if record.status not in NEEDS_REASON:
            raise Conflict(
                _("%(name)s was %(status)s on %(day)s: there is no absence to excuse.")
                % {
                    "name": employee.name,
                    "status": record.get_status_display().lower(),
                    "day": date_format(record.date),
                }
            )
        record.status = Attendance.Status.EXCUSED
        record.reason = reason
        record.recorded_by = access.user
        if evidence is not None:
            stamp = utcnow().strftime("%Y%m%d%H%M%S")
            record.evidence.save(
                f"excuse-{record.employee_id}-{record.date:%Y%m%d}-{stamp}.{kind}",
                evidence,
                save=False,
            )
        record._history_user = access.user
        record.save()
    return record
