"""Office and room closures, reopening and the disinfection log (Kepmenkes 328/2020).

A closure sends the staff of the building — or of the closed rooms — home on its working days:
the roster says WFH and the plan underneath comes back when the closure ends or the building
reopens (services/roster.py). Units that serve the public stay at the office only when the
officer says so. A room is disinfected at least 24 hours (a setting) after it was closed.

Only the agency's health officers write. A closure holds no personal health data, but it is a
health measure: every write is logged (health/services/audit.py) with the reason given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from darirumah.core import calendar as calendar_service
from darirumah.core.calendar import zone_info
from darirumah.core.errors import Conflict, DomainError, NotFound
from darirumah.notify.services import notify
from darirumah.org.access import Access
from darirumah.org.models import Agency, Office, Room

from ..models import Closure, Disinfection, HealthAccessLog
from ..rules import facilities as rules
from ..selectors.closures import staff_sent_home
from ..selectors.settings import health_config
from .audit import clean_reason, health_access_log
from .roster import health_roster_refresh, office_staff_ids

KIND = "health.closure"
MAX_DAYS = 60
MAX_REASON = Closure._meta.get_field("reason").max_length
MAX_TEAM = Disinfection._meta.get_field("team").max_length
MAX_AGENT = Disinfection._meta.get_field("agent").max_length
MAX_NOTE = Disinfection._meta.get_field("note").max_length


@dataclass
class ClosureChange:
    """A closure written, with what it did to the roster: the staff it sends home and the
    roster days held or given back."""

    closure: Closure
    people: int
    days: int


def _require_officer(access: Access, agency_id: int) -> None:
    if not access.in_agency(agency_id):
        raise NotFound(_("Not found, or not visible to you."))
    access.require(
        access.records_health(agency_id),
        _("Only the agency's health officers close offices and record disinfections."),
    )


def _start_of(day: date, agency: Agency) -> datetime:
    """Local midnight at the start of `day` in the agency's zone."""
    return datetime.combine(day, time.min, tzinfo=zone_info(agency.zone))


def local_moment(moment: datetime, agency: Agency) -> str:
    """A moment as people of the agency read it: "20 August 2026 10:00 WIB"."""
    local = moment.astimezone(zone_info(agency.zone))
    return f"{date_format(local, 'j F Y H:i')} {agency.zone}"


def _text(value: str, name: str, limit: int, problems: dict, *, required=True) -> str:
    value = " ".join((value or "").split())
    if required and not value:
        problems.setdefault(name, []).append(_("Required."))
    elif len(value) > limit:
        problems.setdefault(name, []).append(_("At most %(n)d characters.") % {"n": limit})
    return value


def _overlap(office: Office, rooms: set[int], starts_on: date, ends_on: date) -> Closure | None:
    """A closure of the same building whose days meet these and which closes the same rooms
    (a whole-building closure meets every room)."""
    for other in Closure.objects.filter(
        office=office, starts_on__lte=ends_on, ends_on__gte=starts_on
    ).prefetch_related("rooms"):
        theirs = {r.pk for r in other.rooms.all()}
        if not theirs or not rooms or theirs & rooms:
            return other
    return None


def _refresh(access: Access, closure: Closure, start: date, end: date) -> int:
    counts = health_roster_refresh(
        agency=closure.agency,
        employee_ids=office_staff_ids(closure.office_id),
        start=start,
        end=end,
        actor=access.user,
    )
    return counts["held"] + counts["released"]


def _log(access: Access, closure: Closure, action: str, reason: str) -> None:
    health_access_log(
        access=access,
        agency_id=closure.agency_id,
        action=action,
        subject=f"closure:{closure.pk}",
        reason=reason,
        employees=[],
    )


# --- a closure --------------------------------------------------------------------------------


def closure_create(
    *,
    access: Access,
    office: Office,
    rooms=(),
    starts_on: date,
    ends_on: date,
    reason: str,
    keep_public_service_open: bool = False,
) -> ClosureChange:
    """Close a building (no rooms) or some of its rooms from `starts_on` to `ends_on` (the last
    closed day), at most 60 days, not ending in the past. Its staff work from home on the
    closed working days; they are told after commit. 409 when a closure of the same building
    (or of one of the rooms) meets these days."""
    _require_officer(access, office.agency_id)
    agency = office.agency
    today = calendar_service.calendar_for(agency).today()
    problems: dict[str, list[str]] = {}
    reason = _text(reason, "reason", MAX_REASON, problems)
    if reason and not problems.get("reason"):
        try:
            clean_reason(reason)
        except DomainError as exc:
            problems["reason"] = [exc.message]
    room_list = list(rooms)
    if any(room.office_id != office.pk for room in room_list):
        problems["rooms"] = [
            _("Choose rooms of %(office)s only.") % {"office": office.name},
        ]
    if starts_on is None:
        problems["starts_on"] = [_("Required.")]
    if ends_on is None:
        problems["ends_on"] = [_("Required.")]
    if starts_on is not None and ends_on is not None:
        if ends_on < starts_on:
            problems["ends_on"] = [_("The last closed day comes before the first.")]
        elif (ends_on - starts_on).days + 1 > MAX_DAYS:
            problems["ends_on"] = [
                _("A closure lasts at most %(n)d days: extend it later if needed.")
                % {"n": MAX_DAYS}
            ]
        elif ends_on < today:
            problems["ends_on"] = [
                _("This closure would be over already: today is %(today)s.")
                % {"today": date_format(today)}
            ]
    if problems:
        raise DomainError(
            _("The office was not closed: correct the marked fields."), fields=problems
        )
    room_ids = {room.pk for room in room_list}
    with transaction.atomic():
        # One writer per building at a time, so two officers cannot close it twice at once.
        Office.objects.select_for_update().filter(pk=office.pk).first()
        other = _overlap(office, room_ids, starts_on, ends_on)
        if other is not None:
            raise Conflict(
                _(
                    "%(office)s already has a closure from %(start)s to %(end)s that meets these "
                    "days and rooms: change that closure instead."
                )
                % {
                    "office": office.name,
                    "start": date_format(other.starts_on),
                    "end": date_format(other.ends_on),
                },
                fields={"starts_on": [_("Another closure covers these days.")]},
            )
        closure = Closure(
            agency=agency,
            office=office,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason,
            keep_public_service_open=keep_public_service_open,
            closed_at=rules.closed_since(calendar_service.utcnow(), _start_of(starts_on, agency)),
            created_by=access.user,
        )
        closure.full_clean(exclude=["rooms"])
        closure._history_user = access.user
        closure.save()
        if room_ids:
            closure.rooms.set(room_ids)
        days = _refresh(access, closure, starts_on, ends_on)
        _log(access, closure, HealthAccessLog.Action.CREATE, reason)
        people = _people(staff_sent_home(closure, room_ids))
        transaction.on_commit(lambda: _tell(closure.pk, people, opened=False), robust=True)
    return ClosureChange(closure, len(people), days)


def closure_reopen(*, access: Access, closure: Closure, on: date, reason: str) -> ClosureChange:
    """Open the building again from `on` (the first open day): the closure now ends the day
    before, and the staff's plan comes back from `on`. `on` comes after the first closed day,
    not after the day following the planned end, and not before today."""
    _require_officer(access, closure.agency_id)
    reason = clean_reason(reason)
    agency = closure.agency
    today = calendar_service.calendar_for(agency).today()
    with transaction.atomic():
        locked = (
            Closure.objects.select_for_update()
            .select_related("agency", "office")
            .get(pk=closure.pk)
        )
        if locked.reopened_at is not None:
            raise Conflict(
                _("%(office)s was already reopened from %(day)s.")
                % {
                    "office": locked.office.name,
                    "day": date_format(locked.ends_on + timedelta(days=1)),
                }
            )
        message = None
        if on is None:
            message = _("Required.")
        elif on <= locked.starts_on:
            message = _(
                "The building reopens after its first closed day (%(day)s); a closure recorded "
                "in error is corrected by a health officer in the admin."
            ) % {"day": date_format(locked.starts_on)}
        elif on > locked.ends_on + timedelta(days=1):
            message = _(
                "The closure already ends on %(day)s: the building is open again the day after."
            ) % {"day": date_format(locked.ends_on)}
        elif on < today:
            message = _("The building reopens today at the earliest (%(today)s).") % {
                "today": date_format(today)
            }
        if message:
            raise DomainError(message, fields={"on": [message]})
        old_end = locked.ends_on
        locked.ends_on = on - timedelta(days=1)
        locked.reopened_at = calendar_service.utcnow()
        locked.reopened_by = access.user
        locked._history_user = access.user
        locked.save()
        days = _refresh(access, locked, locked.starts_on, old_end)
        _log(access, locked, HealthAccessLog.Action.UPDATE, reason)
        people = _people(staff_sent_home(locked))
        transaction.on_commit(lambda: _tell(locked.pk, people, opened=True), robust=True)
    return ClosureChange(locked, len(people), days)


# --- the disinfection log ---------------------------------------------------------------------


def disinfection_record(
    *,
    access: Access,
    closure: Closure,
    room: Room,
    performed_at: datetime,
    team: str,
    agent: str,
    note: str = "",
) -> Disinfection:
    """Record that a room of the closure was disinfected: a room the closure closes (any room of
    the building when it closes the whole building), at least the set hours after the closure
    took effect, not in the future, before the building opened again. A time without a zone
    is the agency's local time."""
    _require_officer(access, closure.agency_id)
    agency = closure.agency
    tz = zone_info(agency.zone)
    problems: dict[str, list[str]] = {}
    team = _text(team, "team", MAX_TEAM, problems)
    agent = _text(agent, "agent", MAX_AGENT, problems)
    note = _text(note, "note", MAX_NOTE, problems, required=False)
    own = {r.pk for r in closure.rooms.all()}
    if room is None or (own and room.pk not in own) or room.office_id != closure.office_id:
        problems["room"] = [_("Choose a room this closure closes.")]
    message = _("The disinfection was not recorded: correct the marked fields.")
    code = "invalid"
    if performed_at is None:
        problems["performed_at"] = [_("Required.")]
    else:
        if timezone.is_naive(performed_at):
            performed_at = performed_at.replace(tzinfo=tz)
        hours = health_config(agency.pk).closed_hours_before_disinfection
        refusal = rules.check_disinfection(
            performed_at,
            closure.closed_at,
            hours,
            _start_of(closure.ends_on + timedelta(days=1), agency),
            calendar_service.utcnow(),
        )
        if refusal is not None:
            code = refusal.code
            if refusal.code == rules.TOO_EARLY:
                message = _(
                    "A room stays closed at least %(hours)d hours before it is disinfected: "
                    "the earliest allowed is %(moment)s."
                ) % {"hours": hours, "moment": local_moment(refusal.earliest, agency)}
            elif refusal.code == rules.IN_FUTURE:
                message = _(
                    "A disinfection is recorded once it is done: this time is in the future."
                )
            else:
                message = _(
                    "The building was open again from %(day)s: this disinfection is not part "
                    "of the closure."
                ) % {"day": date_format(closure.ends_on + timedelta(days=1))}
            problems["performed_at"] = [message]
    if problems:
        raise DomainError(message, code=code, fields=problems)
    with transaction.atomic():
        row = Disinfection(
            closure=closure,
            room=room,
            performed_at=performed_at,
            team=team,
            agent=agent,
            note=note,
            recorded_by=access.user,
        )
        row._history_user = access.user
        row.save()
        _log(
            access,
            closure,
            HealthAccessLog.Action.CREATE,
            note
            if len(note) >= 5
            else _("Disinfection of %(room)s by %(team)s") % {"room": room.name, "team": team},
        )
    return row


# --- the notice to the staff ------------------------------------------------------------------


def _people(staff) -> list[tuple[int, int | None]]:
    """(employee, their login) of the staff, for the count and the notice."""
    return list(staff.values_list("pk", "user_id"))


def _tell(closure_id: int, people: list[tuple[int, int | None]], *, opened: bool) -> None:
    """Tell the staff the closure sends home when they work from home, or that the building
    opens again."""
    closure = Closure.objects.select_related("office").filter(pk=closure_id).first()
    if closure is None or not people:
        return
    link = reverse("health-closure-detail", args=[closure.pk])
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "office": closure.office.name,
            "start": date_format(closure.starts_on),
            "end": date_format(closure.ends_on),
            "open": date_format(closure.ends_on + timedelta(days=1)),
        }
        if opened:
            title = _("%(office)s opens again") % values
            body = (
                _("%(office)s opens again on %(open)s: from that day your roster is as planned.")
                % values
            )
        else:
            title = _("%(office)s is closed") % values
            body = (
                _("%(office)s is closed from %(start)s to %(end)s: work from home on those days.")
                % values
            )
        users = [user_id for _employee, user_id in people if user_id is not None]
        notify(users, kind=KIND, title=title, body=body, link=link)
