"""Writes to the roster: manual entries and the fixed inputs the planner respects."""

from __future__ import annotations

from datetime import date
from functools import partial

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from darirumah.core.calendar import calendar_for, utcnow
from darirumah.core.errors import DomainError, NotAllowed
from darirumah.notify import roster as notices
from darirumah.org.access import Access
from darirumah.org.models import Employee

from .models import FIXED_MODES, Mode, RosterEntry, RosterRequest

# What a planner run writes on an entry it changes.
PLANNED_FIELDS = [
    "mode",
    "source",
    "published",
    "circular",
    "rules_version",
    "reason",
    "changed_by",
    "changed_at",
]


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


def roster_plan(
    *,
    access: Access,
    circular,
    start: date,
    end: date,
    unit_ids: list[int] | None = None,
    time_limit_s: float = 5.0,
):
    """Plan the covered staff from start to end under a circular in force and keep the plan as
    unpublished planner entries (fixed days stay as they are). Returns (Result, units)."""
    from darirumah.policy.models import Circular

    from . import planner, problem

    if circular.status not in Circular.IN_FORCE:
        raise DomainError(
            _("Plan under a circular in force; %(n)s is %(status)s.")
            % {"n": circular.number, "status": circular.get_status_display()},
            code="not_in_force",
        )
    if end < start or (end - start).days > 62:
        raise DomainError(_("Plan at most 62 days at a time, with the end not before the start."))
    units = problem.covered_units(circular, unit_ids)
    if not units:
        raise DomainError(_("The circular covers none of these units."), code="empty")
    for unit in units:
        access.require(
            access.arranges_unit(unit),
            _("You cannot plan %(unit)s: it is outside your units.") % {"unit": unit.name},
        )
    days = problem.working_days(circular, start, end)
    if not days:
        raise DomainError(_("There is no working day of the circular in this range."))
    result = planner.plan(problem.build(circular, units, days, time_limit_s=time_limit_s))
    version = circular.versions.order_by("-number").first()
    now = utcnow()
    with transaction.atomic():
        existing = {
            (e.employee_id, e.date): e
            for e in RosterEntry.objects.filter(
                employee__unit__in=units, date__in=days
            ).select_for_update()
        }
        new, changed = [], []
        for (employee_id, day), mode in result.assignments.items():
            entry = existing.get((employee_id, day))
            if entry is not None and (
                entry.mode in FIXED_MODES
                or entry.source == RosterEntry.Source.HEALTH
                or (entry.mode == mode and entry.published)
            ):
                continue  # a fixed day, a health measure's day, or unchanged from the plan
            if entry is None:
                entry = RosterEntry(employee_id=employee_id, date=day)
                new.append(entry)
            else:
                changed.append(entry)
            entry.mode = str(mode)
            entry.source = RosterEntry.Source.SOLVER
            entry.published = False
            entry.circular = circular
            entry.rules_version = version
            entry.reason = ""
            entry.changed_by = access.user
            entry.changed_at = now
        # A whole agency is thousands of cells: write them, and their history, in bulk.
        bulk_create_with_history(new, RosterEntry, default_user=access.user)
        bulk_update_with_history(changed, RosterEntry, PLANNED_FIELDS, default_user=access.user)
    return result, units


def roster_publish(*, access: Access, unit, start: date, end: date) -> int:
    """Make the unit's (and its sub-units') planned days official; returns how many changed."""
    access.require(access.arranges_unit(unit))
    if end < start:
        raise DomainError(_("The end comes before the start."))
    with transaction.atomic():
        entries = list(
            RosterEntry.objects.select_for_update().filter(
                employee__unit__path__startswith=unit.path,
                date__range=(start, end),
                published=False,
            )
        )
        now = utcnow()
        for entry in entries:
            entry.published, entry.changed_at = True, now
        bulk_update_with_history(
            entries, RosterEntry, ["published", "changed_at"], default_user=access.user
        )
        # Tell each person whose days changed, once the days are really official.
        transaction.on_commit(partial(notices.roster_published, entries=entries), robust=True)
    return len(entries)


def roster_request_create(*, access: Access, day: date, mode: str, reason: str):
    """The caller asks for another mode on one of their working days."""
    employee = access.employee
    if employee is None:
        raise NotAllowed(_("Only employees can ask for a change of their schedule."))
    if mode not in (Mode.WFO, Mode.WFH, Mode.WFA, Mode.LEAVE, Mode.DUTY):
        raise DomainError(_("Unknown mode %(m)s.") % {"m": mode}, fields={"mode": [_("Unknown.")]})
    if not (reason or "").strip():
        raise DomainError(_("Say why the day changes."), fields={"reason": [_("Required.")]})
    _check_day(employee, day)
    if RosterRequest.objects.filter(
        employee=employee, date=day, status=RosterRequest.Status.PENDING
    ).exists():
        raise DomainError(
            _("You already asked for %(day)s; wait for the answer.") % {"day": date_format(day)},
            code="duplicate",
        )
    request = RosterRequest(employee=employee, date=day, mode=mode, reason=reason.strip()[:300])
    request._history_user = access.user
    request.save()
    return request


def roster_request_decide(*, access: Access, request, approve: bool, note: str = ""):
    """The head approves or refuses a request; an approved one becomes the day's entry."""
    employee = request.employee
    access.require(
        access.arranges_unit(employee.unit),
        _("Only the unit's head or admin, or BKPSDM, can answer this request."),
    )
    if request.status != RosterRequest.Status.PENDING:
        raise DomainError(_("This request has already been answered."), code="answered")
    if not approve and not (note or "").strip():
        raise DomainError(_("Say why the request is refused."), fields={"note": [_("Required.")]})
    with transaction.atomic():
        request.status = RosterRequest.Status.APPROVED if approve else RosterRequest.Status.REFUSED
        request.decided_by = access.user
        request.decided_at = utcnow()
        request.decision_note = (note or "").strip()[:300]
        request._history_user = access.user
        request.save()
        if approve:
            entry = roster_entry_set(
                access=access,
                employee=employee,
                day=request.date,
                mode=request.mode,
                reason=_("Request approved: %(reason)s") % {"reason": request.reason},
            )
            entry.source = RosterEntry.Source.REQUEST
            entry.published = True
            entry.save(update_fields=["source", "published"])
        transaction.on_commit(partial(notices.roster_request_decided, request=request), robust=True)
    return request


def roster_return_to_office(*, circular, from_day: date, actor) -> int:
    """A withdrawn circular's staff work at the office again: every entry planned under it on
    or after `from_day` at home (WFH) or anywhere (WFA) becomes WFO. Isolation, leave and duty
    stay as they are; published days stay published. Each person is told once. Returns how many
    entries changed. The caller (circular_withdraw) has checked who may do this."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        reason = _("Circular %(n)s withdrawn") % {"n": circular.number}
    now = utcnow()
    with transaction.atomic():
        entries = list(
            RosterEntry.objects.select_for_update()
            .filter(circular=circular, date__gte=from_day, mode__in=(Mode.WFH, Mode.WFA))
            .exclude(source=RosterEntry.Source.HEALTH)  # a closed office stays closed
        )
        for entry in entries:
            entry.mode = Mode.WFO
            entry.source = RosterEntry.Source.MANUAL
            entry.reason = reason[:300]
            entry.changed_by = actor
            entry.changed_at = now
        bulk_update_with_history(
            entries,
            RosterEntry,
            ["mode", "source", "reason", "changed_by", "changed_at"],
            default_user=actor,
        )
        people = sorted({e.employee_id for e in entries})
        if people:
            transaction.on_commit(
                partial(_tell_back_to_office, circular=circular, from_day=from_day, people=people),
                robust=True,
            )
    return len(entries)


def _tell_back_to_office(*, circular, from_day: date, people: list[int]) -> int:
    """One notice to each person whose days went back to the office."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    from darirumah.notify.services import notify

    users = list(
        Employee.objects.filter(pk__in=people, user__isnull=False).values_list("user_id", flat=True)
    )
    with translation.override(settings.LANGUAGE_CODE):
        values = {"n": circular.number, "day": date_format(from_day)}
        return notify(
            users,
            kind="roster.returned_to_office",
            title=_("Back to the office from %(day)s") % values,
            body=_(
                "Circular %(n)s has been withdrawn: from %(day)s you work at the office (WFO). "
                "Days of isolation, leave or official duty stay as they were."
            )
            % values,
            link=f"{reverse('my_schedule')}?month={from_day:%Y-%m}",
            key=f"roster.returned_to_office:{circular.pk}",
        )
