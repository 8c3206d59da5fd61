"""Isolation periods: recorded, shortened or cancelled by the agency's health officers.

While an isolation runs the roster says ISOLATION on its working days (services/roster.py holds
them and gives them back), attendance counts those days as excused working and the allowance is
kept. `ends_on` is always the last day of isolation: ending early shortens it and records the day
it was decided in `ended_early_on`; an isolation recorded in error is cancelled. Each change is
logged with the officer's reason, and the person is told after commit — never why they isolate
(the notice may be read on a shared screen or a phone's lock screen).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from darirumah.core import calendar as calendar_service
from darirumah.core.errors import Conflict, DomainError, NotFound, from_django_validation
from darirumah.notify.services import notify
from darirumah.org.access import Access
from darirumah.org.models import Employee

from ..models import CloseContact, HealthAccessLog, HealthCase, Isolation
from ..selectors.settings import health_config
from .audit import clean_reason, health_access_log
from .roster import health_roster_refresh

KIND = "health.isolation"
MAX_DAYS = 60  # the longest isolation recorded at once
MAX_AHEAD_DAYS = 60  # how far ahead an isolation may start
MAX_NOTE = Isolation._meta.get_field("note").max_length


def _require_officer(access: Access, agency_id: int) -> None:
    if access.agency_id is None or agency_id != access.agency_id:
        raise NotFound(_("Not found, or not visible to you."))
    access.require(
        access.records_health(agency_id),
        _("Only the agency's health officers record and end isolations."),
    )


def _today(agency) -> date:
    return calendar_service.calendar_for(agency).today()


def _period_problems(
    starts_on: date, ends_on: date, *, today: date, trace_days: int
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if ends_on < starts_on:
        problems["ends_on"] = [_("The last day cannot be before the first day.")]
    elif (ends_on - starts_on).days + 1 > MAX_DAYS:
        problems["ends_on"] = [_("An isolation lasts at most %(n)d days.") % {"n": MAX_DAYS}]
    earliest = today - timedelta(days=trace_days)
    if starts_on < earliest:
        problems["starts_on"] = [
            _("An isolation may start at most %(n)d days ago (%(day)s).")
            % {"n": trace_days, "day": date_format(earliest)}
        ]
    elif starts_on > today + timedelta(days=MAX_AHEAD_DAYS):
        problems["starts_on"] = [
            _("An isolation may start at most %(n)d days ahead.") % {"n": MAX_AHEAD_DAYS}
        ]
    return problems


def default_end(agency_id: int, starts_on: date, days: int | None = None) -> date:
    """The last day of an isolation starting on `starts_on` that lasts `days` days (the agency's
    isolation length by default)."""
    length = days if days is not None else health_config(agency_id).isolation_days
    return starts_on + timedelta(days=length - 1)


def overlapping(employee_id: int, starts_on: date, ends_on: date, *, exclude: int | None = None):
    rows = Isolation.objects.filter(
        employee_id=employee_id, cancelled=False, starts_on__lte=ends_on, ends_on__gte=starts_on
    )
    return rows.exclude(pk=exclude) if exclude else rows


def isolation_create(
    *,
    access: Access,
    employee: Employee,
    starts_on: date,
    ends_on: date | None = None,
    reason_kind: str,
    note: str = "",
    case: HealthCase | None = None,
    contact: CloseContact | None = None,
    reason: str,
) -> Isolation:
    """Record an isolation of `employee` from `starts_on` to `ends_on` (both included; by default
    the agency's isolation length). No two active isolations of one person overlap (409). The
    roster holds its working days as ISOLATION at once."""
    _require_officer(access, employee.agency_id)
    reason = clean_reason(reason)
    config = health_config(employee.agency_id)
    if ends_on is None:
        ends_on = default_end(employee.agency_id, starts_on, config.isolation_days)
    problems = _period_problems(
        starts_on, ends_on, today=_today(employee.agency), trace_days=config.trace_days
    )
    if reason_kind not in Isolation.Reason.values:
        problems["reason_kind"] = [_("Choose why the person isolates.")]
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        problems["note"] = [_("At most %(n)d characters.") % {"n": MAX_NOTE}]
    if case is not None and case.agency_id != employee.agency_id:
        raise NotFound(_("Not found, or not visible to you."))
    if contact is not None and contact.employee_id != employee.pk:
        problems["contact"] = [_("This close contact is another person.")]
    if problems:
        raise DomainError(
            _("The isolation cannot be recorded: check the marked fields."), fields=problems
        )
    with transaction.atomic():
        # One person's isolations are recorded one at a time: the overlap check holds.
        Employee.objects.select_for_update().filter(pk=employee.pk).first()
        other = overlapping(employee.pk, starts_on, ends_on).first()
        if other is not None:
            raise Conflict(
                _(
                    "%(name)s is already in isolation from %(start)s to %(end)s: end or cancel "
                    "that isolation first, or start this one after it."
                )
                % {
                    "name": employee.name,
                    "start": date_format(other.starts_on),
                    "end": date_format(other.ends_on),
                },
                fields={"starts_on": [_("Overlaps another isolation.")]},
            )
        isolation = Isolation(
            agency_id=employee.agency_id,
            employee=employee,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason_kind,
            note=note,
            case=case,
            contact=contact,
            created_by=access.user,
        )
        try:
            isolation.full_clean(exclude=["agency", "employee", "case", "contact", "created_by"])
        except ValidationError as exc:
            raise from_django_validation(exc, _("The isolation cannot be recorded")) from None
        isolation._history_user = access.user
        isolation.save()
        health_roster_refresh(
            agency=employee.agency,
            employee_ids=[employee.pk],
            start=starts_on,
            end=ends_on,
            actor=access.user,
        )
        health_access_log(
            access=access,
            agency_id=employee.agency_id,
            action=HealthAccessLog.Action.CREATE,
            subject=f"isolation:{isolation.pk}",
            reason=reason,
            employees=[employee.pk],
        )
        transaction.on_commit(lambda: _tell_started(isolation), robust=True)
    return isolation


def isolation_end(
    *, access: Access, isolation: Isolation, last_day: date | None, reason: str
) -> Isolation:
    """End an isolation early: `last_day` becomes its last day (yesterday at the earliest: days
    that have passed stay isolation days). The day before it starts, or None, cancels it (it was
    recorded in error). The roster gives the days back to the plan at once."""
    _require_officer(access, isolation.agency_id)
    reason = clean_reason(reason)
    agency = isolation.agency
    today = _today(agency)
    if isolation.cancelled:
        raise Conflict(_("This isolation is already cancelled."))
    cancel = last_day is None or last_day == isolation.starts_on - timedelta(days=1)
    if not cancel:
        problem = None
        if last_day < isolation.starts_on:
            problem = _(
                "The last day is before the isolation starts (%(day)s): to remove it, cancel it."
            ) % {"day": date_format(isolation.starts_on)}
        elif last_day >= isolation.ends_on:
            problem = _("To end early, give a day before the planned last day (%(day)s).") % {
                "day": date_format(isolation.ends_on)
            }
        elif last_day < today - timedelta(days=1):
            problem = _(
                "Days that have passed stay isolation days: the last day can be yesterday at the "
                "earliest. Cancel the isolation if it was recorded in error."
            )
        if problem:
            raise DomainError(problem, fields={"last_day": [problem]})
    old_end = isolation.ends_on
    with transaction.atomic():
        isolation = (
            Isolation.objects.select_for_update().select_related("agency").get(pk=isolation.pk)
        )
        if isolation.cancelled or isolation.ends_on != old_end:
            raise Conflict(_("Someone changed this isolation meanwhile; open it again."))
        if cancel:
            isolation.cancelled = True
        else:
            isolation.ends_on = last_day
        isolation.ended_early_on = today
        isolation._history_user = access.user
        isolation.save()
        health_roster_refresh(
            agency=agency,
            employee_ids=[isolation.employee_id],
            start=isolation.starts_on,
            end=old_end,
            actor=access.user,
        )
        health_access_log(
            access=access,
            agency_id=isolation.agency_id,
            action=HealthAccessLog.Action.UPDATE,
            subject=f"isolation:{isolation.pk}",
            reason=reason,
            employees=[isolation.employee_id],
        )
        transaction.on_commit(lambda: _tell_ended(isolation, old_end), robust=True)
    return isolation


def isolation_cancel(*, access: Access, isolation: Isolation, reason: str) -> Isolation:
    """Cancel an isolation recorded in error: every day goes back to the plan."""
    return isolation_end(access=access, isolation=isolation, last_day=None, reason=reason)


# --- telling the person ---------------------------------------------------------------------


def _link(isolation: Isolation) -> str:
    return reverse("health-isolation-detail", args=[isolation.pk])


def _tell_started(isolation: Isolation) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "start": date_format(isolation.starts_on),
            "end": date_format(isolation.ends_on),
        }
        notify(
            [isolation.employee],
            kind=KIND,
            title=_("Isolation from %(start)s to %(end)s") % values,
            body=_(
                "Stay at home from %(start)s to %(end)s; you keep your allowance. On working "
                "days check in from home as usual. The health officer will be in touch."
            )
            % values,
            link=_link(isolation),
        )


def _tell_ended(isolation: Isolation, old_end: date) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        if isolation.cancelled:
            values = {"start": date_format(isolation.starts_on), "end": date_format(old_end)}
            title = _("Your isolation is cancelled")
            body = (
                _(
                    "The isolation from %(start)s to %(end)s is cancelled: your roster is back to "
                    "the plan. Check it for your next working days."
                )
                % values
            )
        else:
            values = {
                "day": date_format(isolation.ends_on),
                "next": date_format(isolation.ends_on + timedelta(days=1)),
            }
            title = _("Your isolation ends on %(day)s") % values
            body = (
                _(
                    "Your isolation now ends on %(day)s; from %(next)s your roster is back to the "
                    "plan. Check it for your next working days."
                )
                % values
            )
        notify([isolation.employee], kind=KIND, title=title, body=body, link=_link(isolation))
