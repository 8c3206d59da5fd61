"""Every write to circulars: drafting, rule-set versions and the lifecycle."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from pydantic import ValidationError as RulesError

from darirumah.core.calendar import calendar_for
from darirumah.core.errors import Conflict, DomainError, from_django_validation
from darirumah.org.access import Access
from darirumah.org.models import Agency, Office, Unit, User

from . import rules
from .models import Circular, CircularEvent, EarlyStart, RuleSetVersion

FIELDS = {
    "number",
    "title",
    "issuer_name",
    "issuer_position",
    "legal_basis",
    "starts_on",
    "ends_on",
}


def _save(circular: Circular, *, actor: User, message: str) -> Circular:
    try:
        circular.full_clean()
    except ValidationError as exc:
        raise from_django_validation(exc, message) from None
    circular._history_user = actor
    try:
        with transaction.atomic():
            circular.save()
    except IntegrityError as exc:
        raise Conflict(_("%(what)s: it conflicts with existing data.") % {"what": message}) from exc
    return circular


def _event(circular: Circular, action: str, actor: User, note: str = "") -> None:
    CircularEvent.objects.create(circular=circular, action=action, actor=actor, note=note[:300])


def validate_rules(data: dict | None) -> rules.RuleSet:
    """A rule set from JSON-like data, or a DomainError naming each bad field."""
    try:
        return rules.RuleSet.model_validate(data or {})
    except RulesError as exc:
        fields: dict[str, list[str]] = {}
        for item in exc.errors():
            key = ".".join(str(p) for p in item["loc"]) or "__all__"
            fields.setdefault(f"rules.{key}" if key != "__all__" else "rules", []).append(
                item["msg"]
            )
        raise DomainError(_("The circular's rules are not valid."), fields=fields) from None


def _check_scope(agency: Agency, units: list[Unit], offices: list[Office], early: list) -> None:
    strangers = [u.name for u in units if u.agency_id != agency.pk]
    strangers += [o.name for o in offices if o.agency_id != agency.pk]
    strangers += [e[0].name for e in early if e[0].agency_id != agency.pk]
    if strangers:
        raise DomainError(
            _("These belong to another agency: %(names)s.") % {"names": ", ".join(strangers)},
            fields={"units": [_("Not in this agency.")]},
        )


def _set_rules(circular: Circular, ruleset: rules.RuleSet, actor: User, note: str) -> None:
    last = circular.versions.order_by("-number").first()
    RuleSetVersion.objects.create(
        circular=circular,
        number=(last.number + 1) if last else 1,
        rules=ruleset.model_dump(mode="json"),
        note=note,
        created_by=actor,
    )


def _set_scope(circular, units, offices, early) -> None:
    circular.units.set(units)
    circular.offices.set(offices)
    circular.early_starts.all().delete()
    for unit, starts_on in early:
        if starts_on >= circular.starts_on:
            raise DomainError(
                _("An early start for %(unit)s must be before the circular's start.")
                % {"unit": unit.name},
                fields={"early_starts": [_("Must be before the start date.")]},
            )
        EarlyStart.objects.create(circular=circular, unit=unit, starts_on=starts_on)


def circular_create(
    *,
    access: Access,
    agency: Agency,
    rules_data: dict | None = None,
    units: list[Unit] = (),
    offices: list[Office] = (),
    early_starts: list[tuple[Unit, date]] = (),
    **fields,
) -> Circular:
    """A draft circular with its first rule-set version (defaults where the data is silent)."""
    access.require(access.decides_policy(agency.pk))
    unknown = set(fields) - FIELDS
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    ruleset = validate_rules(rules_data)
    _check_scope(agency, list(units), list(offices), list(early_starts))
    circular = Circular(agency=agency, **fields)
    message = _("The circular cannot be saved")
    with transaction.atomic():
        _save(circular, actor=access.user, message=message)
        _set_scope(circular, units, offices, early_starts)
        _set_rules(circular, ruleset, access.user, _("First version"))
        _event(circular, CircularEvent.Action.CREATED, access.user)
    return circular


def circular_update(
    *,
    access: Access,
    circular: Circular,
    rules_data: dict | None = None,
    note: str = "",
    units: list[Unit] | None = None,
    offices: list[Office] | None = None,
    early_starts: list[tuple[Unit, date]] | None = None,
    **fields,
) -> Circular:
    """Edit a draft; once in force only the rules change (as a new version)."""
    access.require(access.decides_policy(circular.agency_id))
    in_force_or_closed = circular.status != Circular.Status.DRAFT
    scope_change = units is not None or offices is not None or early_starts is not None
    if in_force_or_closed and (fields or scope_change):
        raise DomainError(
            _(
                "Only the rules of a circular that is no longer a draft can change; "
                "extend or withdraw it to change its period."
            ),
            code="not_draft",
        )
    if circular.status in (Circular.Status.WITHDRAWN, Circular.Status.ENDED) and rules_data:
        raise DomainError(_("A withdrawn or ended circular cannot change."), code="closed")
    unknown = set(fields) - FIELDS
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    ruleset = validate_rules(rules_data) if rules_data is not None else None
    with transaction.atomic():
        if fields or scope_change:
            for name, value in fields.items():
                setattr(circular, name, value)
            _save(circular, actor=access.user, message=_("The circular cannot be saved"))
            if scope_change:
                # What is not given stays as it is.
                units = list(circular.units.all()) if units is None else list(units)
                offices = list(circular.offices.all()) if offices is None else list(offices)
                if early_starts is None:
                    early_starts = [(e.unit, e.starts_on) for e in circular.early_starts.all()]
                _check_scope(circular.agency, units, offices, list(early_starts))
                _set_scope(circular, units, offices, early_starts)
            _event(circular, CircularEvent.Action.UPDATED, access.user, note)
        if ruleset is not None:
            _set_rules(circular, ruleset, access.user, note)
            _event(circular, CircularEvent.Action.RULES_CHANGED, access.user, note)
    return circular


def current_rules(circular: Circular) -> rules.RuleSet:
    version = circular.versions.order_by("-number").first()
    return rules.RuleSet.model_validate(version.rules if version else {})


def _scope_units(circular: Circular, all_units: list[rules.ScopeUnit]) -> set[int]:
    return rules.covered_units(
        all_units,
        [u.path for u in circular.units.all()],
        {o.pk for o in circular.offices.all()},  # .all() so a prefetch serves it
    )


def _period(circular: Circular) -> tuple[date, date | None]:
    early = [e.starts_on for e in circular.early_starts.all()]
    return min([circular.starts_on, *early]), circular.ends_on


def overlapping(circular: Circular) -> tuple[Circular, Unit, date] | None:
    """Another circular in force covering one of the same units on a shared day, if any."""
    all_units = [
        rules.ScopeUnit(u.pk, u.path, u.office_id)
        for u in Unit.objects.filter(agency_id=circular.agency_id)
    ]
    mine = _scope_units(circular, all_units)
    others = Circular.objects.filter(
        agency_id=circular.agency_id, status__in=Circular.IN_FORCE
    ).exclude(pk=circular.pk)
    for other in others.prefetch_related("units", "offices", "early_starts"):
        day = rules.first_shared_day(_period(circular), _period(other))
        shared = mine & _scope_units(other, all_units)
        if day is not None and shared:
            unit = Unit.objects.filter(pk__in=shared).order_by("path").first()
            return other, unit, day
    return None


def circular_activate(*, access: Access, circular: Circular, note: str = "") -> Circular:
    """Put a draft in force; refused when another circular in force covers the same unit."""
    access.require(access.decides_policy(circular.agency_id))
    if circular.status != Circular.Status.DRAFT:
        raise DomainError(
            _("Only a draft can be activated; this circular is %(status)s.")
            % {"status": circular.get_status_display()},
            code="not_draft",
        )
    clash = overlapping(circular)
    if clash is not None:
        other, unit, day = clash
        raise Conflict(
            _(
                "Circular %(this)s and circular %(other)s would both cover %(unit)s "
                "from %(day)s. End or withdraw %(other)s first, or change the scope."
            )
            % {
                "this": circular.number,
                "other": other.number,
                "unit": unit.name,
                "day": date_format(day),
            },
            code="overlap",
        )
    circular.status = Circular.Status.ACTIVE
    with transaction.atomic():
        _save(circular, actor=access.user, message=_("The circular cannot be activated"))
        _event(circular, CircularEvent.Action.ACTIVATED, access.user, note)
        # R25: every employee it covers gets a statement letter to sign, made in the background.
        # Imported here: the documents app builds on this one.
        from darirumah.documents.tasks import statements_for_circular

        pk = circular.pk
        transaction.on_commit(lambda: statements_for_circular(pk))
    return circular


def circular_extend(*, access: Access, circular: Circular, ends_on: date, note: str = ""):
    """Move the end of a circular in force to a later day (or open it: ends_on None)."""
    access.require(access.decides_policy(circular.agency_id))
    if circular.status not in Circular.IN_FORCE:
        raise DomainError(_("Only a circular in force can be extended."), code="not_in_force")
    if circular.ends_on is not None and ends_on is not None and ends_on <= circular.ends_on:
        raise DomainError(
            _("The new end must be after the current end (%(end)s).")
            % {"end": date_format(circular.ends_on)},
            fields={"ends_on": [_("Must be later than the current end.")]},
        )
    previous = circular.ends_on
    circular.ends_on = ends_on
    circular.status = Circular.Status.EXTENDED
    with transaction.atomic():
        _save(circular, actor=access.user, message=_("The circular cannot be extended"))
        clash = overlapping(circular)
        if clash is not None:
            transaction.set_rollback(True)
            circular.ends_on = previous
            other, unit, day = clash
            raise Conflict(
                _("Extended, it would cover %(unit)s from %(day)s together with %(other)s.")
                % {"unit": unit.name, "day": date_format(day), "other": other.number},
                code="overlap",
            )
        _event(circular, CircularEvent.Action.EXTENDED, access.user, note)
    return circular


def circular_withdraw(*, access: Access, circular: Circular, note: str) -> Circular:
    """Withdraw a circular in force (R2): it ends today, in the agency's time; from the next
    working day the staff it covered return to the office."""
    access.require(access.decides_policy(circular.agency_id))
    if circular.status not in Circular.IN_FORCE:
        raise DomainError(_("Only a circular in force can be withdrawn."), code="not_in_force")
    if not (note or "").strip():
        raise DomainError(
            _("Say why the circular is withdrawn."), fields={"note": [_("Required.")]}
        )
    calendar = calendar_for(circular.agency)
    today = calendar.today()
    circular.status = Circular.Status.WITHDRAWN
    circular.ends_on = max(circular.starts_on, min(circular.ends_on or today, today))
    with transaction.atomic():
        _save(circular, actor=access.user, message=_("The circular cannot be withdrawn"))
        _event(circular, CircularEvent.Action.WITHDRAWN, access.user, note)
        # Imported here: the roster app builds on this one.
        from darirumah.roster.services import roster_return_to_office

        back = calendar.next_working_day(today)
        roster_return_to_office(circular=circular, from_day=back, actor=access.user)
    return circular
