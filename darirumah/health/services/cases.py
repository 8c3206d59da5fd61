"""The health register: a case per episode of illness of an employee, and its tests.

Only the agency's health officers write (org/access.py `records_health`); every write is logged
with the officer's reason (services/audit.py). Dates are the agency's days: none in the future,
symptom onset not after confirmation. A positive PCR or antigen result confirms a suspect or
probable case. The person is told (after commit) that their record changed — never what changed:
the notice may be read on a shared screen or a phone's lock screen.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from darirumah.core import calendar as calendar_service
from darirumah.core.errors import Conflict, DomainError, NotFound
from darirumah.notify.services import notify
from darirumah.org.access import Access
from darirumah.org.models import Employee

from ..models import HealthAccessLog, HealthCase, HealthTest, Place
from .audit import clean_reason, health_access_log

Status = HealthCase.Status
KIND_CHANGED = "health.case"
MAX_NOTE = 4000
MAX_PLACE_REASON = HealthCase._meta.get_field("likely_place_reason").max_length
MAX_TEST_PLACE = HealthTest._meta.get_field("place").max_length
OPEN = tuple(s.value for s in HealthCase.OPEN)
CLOSED = (Status.RECOVERED.value, Status.DIED.value)
# A positive result of these confirms a case (Kepmenkes 328/2020; an antibody test does not).
CONFIRMING_KINDS = (HealthTest.Kind.PCR.value, HealthTest.Kind.ANTIGEN.value)
UPDATABLE = frozenset(
    {"status", "confirmed_on", "symptom_onset", "closed_on", "likely_place"}
    | {"likely_place_reason", "note"}
)


def _require_officer(access: Access, agency_id: int) -> None:
    if agency_id != access.agency_id and not access.is_operator:
        raise NotFound(_("Not found, or not visible to you."))
    access.require(
        access.records_health(agency_id),
        _("Only the agency's health officers record cases and tests."),
    )


def _today(agency) -> date:
    return calendar_service.calendar_for(agency).today()


def _not_future(value: date | None, name: str, today: date, problems: dict) -> None:
    if value is not None and value > today:
        problems.setdefault(name, []).append(
            _("This date is in the future: today is %(today)s.") % {"today": date_format(today)}
        )


def _text(value, name: str, limit: int, problems: dict) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        problems.setdefault(name, []).append(_("At most %(n)d characters.") % {"n": limit})
    return value


def _place_problems(place: str, reason: str, problems: dict) -> None:
    if place not in Place.values:
        problems.setdefault("likely_place", []).append(
            _("Choose the office, outside the office or unknown.")
        )
    elif place != Place.UNKNOWN and not reason:
        problems.setdefault("likely_place_reason", []).append(
            _("Say why the infection most likely happened here (e.g. who, where, when).")
        )


def _onset_problems(onset: date | None, confirmed: date | None, problems: dict) -> None:
    if onset is not None and confirmed is not None and onset > confirmed:
        problems.setdefault("symptom_onset", []).append(
            _("The symptoms cannot start after the confirmation (%(date)s).")
            % {"date": date_format(confirmed)}
        )


def _test_values(test: dict, today: date, problems: dict, prefix: str = "") -> dict:
    """A test's fields checked: kind and result known, dates not in the future, the result not
    before the sample, a result date only with a result."""
    kind = test.get("kind") or ""
    result = test.get("result") or HealthTest.Result.PENDING
    taken_on = test.get("taken_on")
    result_on = test.get("result_on")
    if kind not in HealthTest.Kind.values:
        problems.setdefault(f"{prefix}kind", []).append(_("Choose the kind of test."))
    if result not in HealthTest.Result.values:
        problems.setdefault(f"{prefix}result", []).append(_("Choose the result."))
    if taken_on is None:
        problems.setdefault(f"{prefix}taken_on", []).append(_("Required."))
    _not_future(taken_on, f"{prefix}taken_on", today, problems)
    _not_future(result_on, f"{prefix}result_on", today, problems)
    if result_on is not None and taken_on is not None and result_on < taken_on:
        problems.setdefault(f"{prefix}result_on", []).append(
            _("The result cannot come before the sample was taken.")
        )
    if result_on is not None and result == HealthTest.Result.PENDING:
        problems.setdefault(f"{prefix}result_on", []).append(
            _("A test waiting for its result has no result date yet.")
        )
    place = _text(test.get("place"), f"{prefix}place", MAX_TEST_PLACE, problems)
    return {
        "kind": kind,
        "taken_on": taken_on,
        "result": result,
        "result_on": result_on,
        "place": place,
    }


def _confirms(test: dict) -> date | None:
    """The day a test confirms a case (its result day, else the day taken), or None."""
    if test["kind"] in CONFIRMING_KINDS and test["result"] == HealthTest.Result.POSITIVE:
        return test["result_on"] or test["taken_on"]
    return None


def _open_case(employee_id: int, *, excluding: int | None = None) -> HealthCase | None:
    found = HealthCase.objects.filter(employee_id=employee_id, status__in=OPEN)
    if excluding is not None:
        found = found.exclude(pk=excluding)
    return found.order_by("created_at").first()


def _conflict_open(employee: Employee, case: HealthCase) -> Conflict:
    return Conflict(
        _(
            "%(name)s already has an open case (#%(id)s, %(status)s, recorded on %(date)s): "
            "update that case instead."
        )
        % {
            "name": employee.name,
            "id": case.pk,
            "status": case.get_status_display(),
            "date": date_format(case.created_at.date()),
        },
        fields={"employee": [_("This person already has an open case.")]},
    )


def _invalid(message: str, problems: dict) -> DomainError:
    return DomainError(message, fields=problems)


# --- a new case --------------------------------------------------------------------------------


def case_create(
    *,
    access: Access,
    employee: Employee,
    status: str,
    reason: str,
    confirmed_on: date | None = None,
    symptom_onset: date | None = None,
    likely_place: str = Place.UNKNOWN,
    likely_place_reason: str = "",
    note: str = "",
    test: dict | None = None,
) -> HealthCase:
    """Record a case of an active employee of the officer's agency, with an optional first test
    (a dict with kind, taken_on, result, result_on, place). One open case per person at a time.
    A confirmed case needs its confirmation day: the day of the positive test given with it,
    else today; a positive PCR or antigen test confirms a suspect or probable case."""
    _require_officer(access, employee.agency_id)
    reason = clean_reason(reason)
    agency = employee.agency
    today = _today(agency)
    problems: dict[str, list[str]] = {}
    if not employee.is_active:
        problems["employee"] = [_("%(name)s is no longer active.") % {"name": employee.name}]
    if status not in OPEN:
        problems["status"] = [
            _("A new case is suspect, probable or confirmed; record the recovery afterwards.")
        ]
    first = _test_values(test, today, problems, "test_") if test else None
    confirmed_by_test = _confirms(first) if first else None
    if confirmed_by_test is not None and status in OPEN:
        status = Status.CONFIRMED.value
    if status == Status.CONFIRMED:
        confirmed_on = confirmed_on or confirmed_by_test or today
    elif confirmed_on is not None:
        problems["confirmed_on"] = [_("Only a confirmed case has a confirmation date.")]
    _not_future(confirmed_on, "confirmed_on", today, problems)
    _not_future(symptom_onset, "symptom_onset", today, problems)
    _onset_problems(symptom_onset, confirmed_on, problems)
    likely_place_reason = _text(
        likely_place_reason, "likely_place_reason", MAX_PLACE_REASON, problems
    )
    _place_problems(likely_place, likely_place_reason, problems)
    note = _text(note, "note", MAX_NOTE, problems)
    if problems:
        raise _invalid(_("The case was not recorded: correct the marked fields."), problems)
    with transaction.atomic():
        # One writer per person at a time, so two officers cannot open two cases at once.
        Employee.objects.select_for_update().filter(pk=employee.pk).first()
        existing = _open_case(employee.pk)
        if existing is not None:
            raise _conflict_open(employee, existing)
        case = HealthCase(
            agency_id=employee.agency_id,
            employee=employee,
            status=status,
            confirmed_on=confirmed_on,
            symptom_onset=symptom_onset,
            likely_place=likely_place,
            likely_place_reason=likely_place_reason,
            note=note,
            recorded_by=access.user,
        )
        case._history_user = access.user
        case.save()
        if first is not None:
            _save_test(access, case, first)
        health_access_log(
            access=access,
            agency_id=case.agency_id,
            action=HealthAccessLog.Action.CREATE,
            subject=f"case:{case.pk}",
            reason=reason,
            employees=[employee.pk],
        )
        _notify_later(case)
    return case


def _save_test(access: Access, case: HealthCase, values: dict) -> HealthTest:
    test = HealthTest(case=case, recorded_by=access.user, **values)
    test._history_user = access.user
    test.save()
    return test


# --- changes -----------------------------------------------------------------------------------


def case_update(*, access: Access, case: HealthCase, reason: str, **changes) -> HealthCase:
    """Change a case: its status (recovered or died close it on `closed_on`, today by default,
    and only from an open case; an open status again reopens it), the confirmation day, the
    symptom onset, the likely place with its reason, the note. Nothing changed → nothing written."""
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise TypeError(f"case_update: unknown fields {sorted(unknown)}")
    _require_officer(access, case.agency_id)
    reason = clean_reason(reason)
    today = _today(case.agency)
    problems: dict[str, list[str]] = {}
    with transaction.atomic():
        locked = HealthCase.objects.select_for_update().select_related("employee").get(pk=case.pk)
        old_status = locked.status
        status = changes.get("status", old_status)
        if status not in Status.values:
            problems["status"] = [_("Choose a status.")]
        values = {
            "status": status,
            "confirmed_on": changes.get("confirmed_on", locked.confirmed_on),
            "symptom_onset": changes.get("symptom_onset", locked.symptom_onset),
            "closed_on": changes.get("closed_on", locked.closed_on),
            "likely_place": changes.get("likely_place", locked.likely_place),
            "likely_place_reason": _text(
                changes.get("likely_place_reason", locked.likely_place_reason),
                "likely_place_reason",
                MAX_PLACE_REASON,
                problems,
            ),
            "note": _text(changes.get("note", locked.note), "note", MAX_NOTE, problems),
        }
        if status in CLOSED:
            if old_status not in OPEN and status != old_status:
                problems["status"] = [
                    _("Only an open case (suspect, probable or confirmed) recovers or dies.")
                ]
            kept = locked.closed_on if old_status in CLOSED else None
            values["closed_on"] = changes.get("closed_on") or kept or today
        elif status in OPEN:
            if "closed_on" in changes and changes["closed_on"] is not None:
                problems["closed_on"] = [_("Only a recovered or died case has a closing date.")]
            values["closed_on"] = None
            if old_status not in OPEN:
                other = _open_case(locked.employee_id, excluding=locked.pk)
                if other is not None:
                    raise _conflict_open(locked.employee, other)
        if status == Status.CONFIRMED:
            values["confirmed_on"] = values["confirmed_on"] or today
        elif status in OPEN:
            if changes.get("confirmed_on") is not None:
                problems["confirmed_on"] = [_("Only a confirmed case has a confirmation date.")]
            values["confirmed_on"] = None  # a confirmation withdrawn (e.g. a false positive)
        for name in ("confirmed_on", "symptom_onset"):
            if name in changes:
                _not_future(values[name], name, today, problems)
        if {"confirmed_on", "symptom_onset", "status"} & set(changes):
            _onset_problems(values["symptom_onset"], values["confirmed_on"], problems)
        if status in CLOSED and {"closed_on", "status", "confirmed_on"} & set(changes):
            _not_future(values["closed_on"], "closed_on", today, problems)
            start = values["confirmed_on"] or values["symptom_onset"]
            if start is not None and values["closed_on"] < start:
                problems.setdefault("closed_on", []).append(
                    _("The case cannot close before it started (%(date)s).")
                    % {"date": date_format(start)}
                )
        if {"likely_place", "likely_place_reason"} & set(changes):
            _place_problems(values["likely_place"], values["likely_place_reason"], problems)
        if problems:
            raise _invalid(_("The case was not changed: correct the marked fields."), problems)
        changed = [name for name, value in values.items() if getattr(locked, name) != value]
        if not changed:
            return locked
        for name in changed:
            setattr(locked, name, values[name])
        locked._history_user = access.user
        locked.save()
        _log_update(access, locked, reason)
        _notify_later(locked)
    return locked


def test_add(
    *,
    access: Access,
    case: HealthCase,
    kind: str,
    taken_on: date | None,
    result: str,
    reason: str,
    result_on: date | None = None,
    place: str = "",
) -> HealthTest:
    """Add a test to a case. A positive PCR or antigen result confirms a suspect or probable
    case on the result day (else the day the sample was taken)."""
    _require_officer(access, case.agency_id)
    reason = clean_reason(reason)
    problems: dict[str, list[str]] = {}
    values = _test_values(
        {
            "kind": kind,
            "taken_on": taken_on,
            "result": result,
            "result_on": result_on,
            "place": place,
        },
        _today(case.agency),
        problems,
    )
    if problems:
        raise _invalid(_("The test was not recorded: correct the marked fields."), problems)
    with transaction.atomic():
        locked = HealthCase.objects.select_for_update().get(pk=case.pk)
        test = _save_test(access, locked, values)
        confirmed_on = _confirms(values)
        if confirmed_on is not None and locked.status in (Status.SUSPECT, Status.PROBABLE):
            locked.status = Status.CONFIRMED
            locked.confirmed_on = confirmed_on
            locked._history_user = access.user
            locked.save()
        _log_update(access, locked, reason)
        _notify_later(locked)
    return test


def _log_update(access: Access, case: HealthCase, reason: str) -> None:
    health_access_log(
        access=access,
        agency_id=case.agency_id,
        action=HealthAccessLog.Action.UPDATE,
        subject=f"case:{case.pk}",
        reason=reason,
        employees=[case.employee_id],
    )


# --- the notice to the person ------------------------------------------------------------------


def _notify_later(case: HealthCase) -> None:
    employee_id = case.employee_id
    transaction.on_commit(lambda: _notify_changed(employee_id), robust=True)


def _notify_changed(employee_id: int) -> None:
    """Tell the person their health record changed, with a link to it; no medical detail."""
    employee = Employee.objects.filter(pk=employee_id).first()
    if employee is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            [employee],
            kind=KIND_CHANGED,
            title=_("Your health record was updated"),
            body=_(
                "A health officer updated your health record. Open it to see what it says; only "
                "you, the health officers and the head of BKPSDM can see it."
            ),
            link=reverse("health-my-record"),
        )
