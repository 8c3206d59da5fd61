"""The daily video call of a unit (R11): the session with its meeting link, the link sent to the
staff before the call, and the roll the supervisor or head takes.

Who may do what (decided here, on top of org/access.py):
- open a session and take the whole roll: the head (kepala OPD) or OPD admin over the unit's
  subtree, and the platform operator; the admin enters the roll on the head's behalf, as with
  manual attendance;
- a supervisor (atasan) opens the session of a unit where someone they supervise works and marks
  the lines of the people they supervise, and only those;
- nobody marks their own line;
- BKPSDM and pimpinan read every session of the agency but do not take a unit's roll;
- an employee sees the session (link and time) of their own unit.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from darirumah.core.calendar import calendar_for, utcnow
from darirumah.core.errors import DomainError, NotAllowed, NotFound
from darirumah.notify.services import notify
from darirumah.org.access import Access
from darirumah.org.models import Agency, Employee, Role, Unit
from darirumah.policy import selectors as policy_selectors
from darirumah.roster.models import Mode, RosterEntry

from ..models import ViconRoll, ViconSession

# Remote modes: a unit with someone working away from the office that day holds the call.
REMOTE_MODES = (Mode.WFH, Mode.WFA)
LINK_MINUTES_BEFORE = 15
_TOKEN_ALPHABET = string.ascii_lowercase + string.digits
TOKEN_LENGTH = 12  # about 62 bits: the room cannot be guessed from the unit and the date


# --- who may ---------------------------------------------------------------------------------


def takes_whole_roll(access: Access, unit: Unit) -> bool:
    """The head or OPD admin over the unit's subtree, or the platform operator."""
    if access.is_operator:
        return True
    return unit.agency_id == access.agency_id and any(
        unit.path.startswith(p) for p in access.unit_paths(Role.ADMIN_OPD, Role.KEPALA_OPD)
    )


def unit_staff(unit: Unit):
    """The people on a unit's roll: its active employees (not those of sub-units)."""
    return Employee.objects.filter(unit=unit, is_active=True).order_by("name", "pk")


def markable_ids(access: Access, unit: Unit) -> set[int]:
    """The employees of the unit whose line the caller may mark (never their own)."""
    staff = set(unit_staff(unit).values_list("pk", flat=True))
    if takes_whole_roll(access, unit):
        allowed = staff
    elif unit.agency_id == access.agency_id:
        allowed = staff & set(access.subordinate_ids)
    else:
        allowed = set()
    if access.employee is not None:
        allowed.discard(access.employee.pk)
    return allowed


def may_open(access: Access, unit: Unit) -> bool:
    return bool(takes_whole_roll(access, unit) or markable_ids(access, unit))


def sees_session(access: Access, unit: Unit) -> bool:
    """Reads the session and its roll: whoever oversees the unit, its own staff, and
    supervisors of someone in it."""
    if access.oversees_unit(unit):
        return True
    if access.employee is not None and access.employee.unit_id == unit.pk:
        return True
    return may_open(access, unit)


def sessions_q(access: Access) -> Q:
    """The sessions `sees_session` allows, as a query over ViconSession (for lists)."""
    if access.is_operator:
        return Q()
    q = Q(pk__in=[])
    if access.agency_id is None:
        return q
    if access.agency_roles & {Role.BKPSDM, Role.PIMPINAN}:
        return Q(unit__agency_id=access.agency_id)
    for path in access.unit_paths():
        q |= Q(unit__agency_id=access.agency_id, unit__path__startswith=path)
    if access.employee is not None:
        q |= Q(unit_id=access.employee.unit_id)
    if access.subordinate_ids:
        units = Employee.objects.filter(pk__in=access.subordinate_ids, is_active=True)
        q |= Q(unit_id__in=units.values("unit_id"))
    return q


# --- sessions --------------------------------------------------------------------------------


def _room_name(unit: Unit, day: date) -> str:
    token = "".join(secrets.choice(_TOKEN_ALPHABET) for _i in range(TOKEN_LENGTH))
    parts = [slugify(unit.agency.code), slugify(unit.code), day.strftime("%Y%m%d"), token]
    return "-".join(p for p in parts if p)


def meeting_link(unit: Unit, day: date) -> str:
    """settings.VICON_BASE_URL + a room name per unit and day, with a random token."""
    base = settings.VICON_BASE_URL
    if not base.endswith("/"):
        base += "/"
    return base + _room_name(unit, day)


def vicon_time_for(unit: Unit, day: date):
    """The circular's video-call time for the unit on the day (14:00 without a circular)."""
    in_force = policy_selectors.circulars_in_force(unit.agency, day)
    return policy_selectors.unit_rules(in_force, unit.pk).vicon_time


def _open(unit: Unit, day: date, user) -> ViconSession:
    existing = ViconSession.objects.filter(unit=unit, date=day).first()
    if existing is not None:
        return existing
    cal = calendar_for(unit.agency, years=[day.year])
    if not cal.is_working_day(day):
        raise DomainError(
            _("%(day)s is not a working day (%(reason)s): there is no video call.")
            % {"day": day.isoformat(), "reason": cal.day_off_reason(day)},
            fields={"date": [_("Choose a working day.")]},
        )
    if not unit.is_active:
        raise DomainError(_("This unit is no longer active."), fields={"unit": [_("Inactive.")]})
    session = ViconSession(
        unit=unit,
        date=day,
        starts_at=cal.local(day, vicon_time_for(unit, day)),
        link=meeting_link(unit, day),
        created_by=user,
    )
    session.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError:
        # Opened at the same moment by someone else (or the timed job): theirs stands.
        return ViconSession.objects.get(unit=unit, date=day)
    return session


def vicon_session_open(*, access: Access, unit: Unit, day: date) -> ViconSession:
    """The unit's video call on `day`, opened on first ask; asking again returns the same one."""
    if not access.in_agency(unit.agency_id):
        raise NotFound(_("Not found, or not visible to you."))
    access.require(
        may_open(access, unit),
        _("Only the head, the OPD admin or a supervisor in this unit opens its video call."),
    )
    return _open(unit, day, access.user)


def vicon_sessions_open_for(agency: Agency, day: date) -> list[ViconSession]:
    """For the timed job: a session for every unit with staff working remotely on `day` per the
    published roster. Running it again opens nothing new. Nothing on a day off."""
    if not calendar_for(agency, years=[day.year]).is_working_day(day):
        return []
    unit_ids = set(
        RosterEntry.objects.filter(
            employee__agency=agency,
            employee__is_active=True,
            date=day,
            published=True,
            mode__in=REMOTE_MODES,
        ).values_list("employee__unit_id", flat=True)
    )
    units = Unit.objects.filter(pk__in=unit_ids, is_active=True).select_related("agency")
    return [_open(unit, day, None) for unit in units.order_by("path")]


def session_page(session: ViconSession) -> str:
    return (
        reverse("vicon_roll")
        + "?"
        + urlencode({"unit": session.unit_id, "date": session.date.isoformat()})
    )


def vicon_notify_link(session: ViconSession) -> int:
    """Send the meeting link to the unit's staff (inbox and e-mail); once per person and session
    whatever the number of calls (key `vicon:<id>`). Returns how many were told."""
    unit = session.unit
    cal = calendar_for(unit.agency, years=[session.date.year])
    values = {
        "unit": unit.name,
        "time": cal.now(session.starts_at).strftime("%H:%M"),
        "zone": unit.agency.zone,
        "link": session.link,
    }
    users = unit_staff(unit).filter(user__isnull=False, user__is_active=True)
    return notify(
        list(users.values_list("user_id", flat=True)),
        kind="attendance.vicon_link",
        title=gettext_lazy("Video call today at %(time)s %(zone)s") % values,
        body=gettext_lazy(
            "The daily video call of %(unit)s starts at %(time)s %(zone)s. Join it here: %(link)s"
        )
        % values,
        link=session_page(session),
        key=f"vicon:{session.pk}",
    )


def vicon_link_job(*, agency_id: int, day: date) -> int:
    """The timed job before the call: open the day's sessions and send their links."""
    agency = Agency.objects.get(pk=agency_id)
    return sum(vicon_notify_link(s) for s in vicon_sessions_open_for(agency, day))


# --- the roll --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RollRow:
    employee: int
    status: str
    note: str = ""


def _row(raw) -> RollRow:
    if isinstance(raw, RollRow):
        return raw
    get = raw.get if isinstance(raw, dict) else lambda k, d=None: getattr(raw, k, d)
    return RollRow(employee=get("employee"), status=get("status"), note=get("note") or "")


def vicon_roll_call(*, access: Access, session: ViconSession, rows) -> list[ViconRoll]:
    """Mark each person present, absent or excused with a note. Every row is checked first:
    one bad row writes nothing and every problem is reported. Marking again updates the line
    (the audit history keeps the earlier marks)."""
    unit = session.unit
    if not may_open(access, unit):
        raise NotAllowed(
            _("Only the head, the OPD admin or a supervisor in this unit takes its roll.")
        )
    rows = [_row(r) for r in rows]
    if not rows:
        raise DomainError(_("Mark at least one person."), fields={"rows": [_("Empty.")]})
    staff = set(unit_staff(unit).values_list("pk", flat=True))
    allowed = markable_ids(access, unit)
    statuses = set(ViconRoll.Status.values)
    fields: dict[str, list[str]] = {}
    seen: set = set()
    for i, row in enumerate(rows):
        problems = []
        if row.employee not in staff:
            problems.append(_("This person is not on the staff of the unit."))
        elif row.employee not in allowed:
            problems.append(_("You may not mark this person."))
        if row.employee in seen:
            problems.append(_("This person is listed twice."))
        seen.add(row.employee)
        if row.status not in statuses:
            problems.append(_("Choose present, absent or excused."))
        if len(row.note) > 300:
            problems.append(_("Keep the note under 300 characters."))
        if row.status == ViconRoll.Status.EXCUSED and not row.note.strip():
            problems.append(_("Give the reason in the note."))
        if problems:
            fields[f"rows.{i}"] = problems
    if fields:
        raise DomainError(_("The roll was not saved: correct the marked rows."), fields=fields)
    now = utcnow()
    saved = []
    with transaction.atomic():
        existing = {
            r.employee_id: r
            for r in ViconRoll.objects.select_for_update().filter(
                session=session, employee_id__in=[r.employee for r in rows]
            )
        }
        for row in rows:
            line = existing.get(row.employee) or ViconRoll(
                session=session, employee_id=row.employee
            )
            if line.pk and (line.status, line.note) == (row.status, row.note.strip()):
                saved.append(line)
                continue
            line.status = row.status
            line.note = row.note.strip()
            line.marked_by = access.user
            line.marked_at = now
            line._history_user = access.user
            line.save()
            saved.append(line)
    return saved
