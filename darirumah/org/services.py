"""Every write to the organisation data. Each function checks access, validates, and saves in a
transaction; the audit trail is written by django-simple-history with the acting user."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from darirumah.core.calendar import utcnow
from darirumah.core.errors import Conflict, DomainError, NotAllowed, from_django_validation

from .access import Access
from .models import (
    Agency,
    AgencyDay,
    ApiToken,
    Employee,
    Office,
    Role,
    RoleAssignment,
    Room,
    Unit,
    User,
)
from .rules import nearest_office, normalise_nip

TOKEN_PREFIX = "drt_"


def _clean(obj, *, message: str, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise from_django_validation(exc, message) from None


def _save(obj, *, actor: User | None, message: str, exclude: list[str] | None = None):
    """full_clean() then save, recording the actor in the history row."""
    _clean(obj, message=message, exclude=exclude)
    if actor is not None and actor.is_authenticated:
        obj._history_user = actor
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise Conflict(_("%(what)s: it conflicts with existing data.") % {"what": message}) from exc
    return obj


def _apply(obj, fields: dict, allowed: set[str]):
    unknown = set(fields) - allowed
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here: %(f)s.") % {"f": ", ".join(sorted(unknown))},
            fields={f: [_("Not changeable.")] for f in unknown},
        )
    for name, value in fields.items():
        setattr(obj, name, value)


# --- agencies ------------------------------------------------------------------------------

AGENCY_FIELDS = {
    "name",
    "code",
    "kind",
    "region",
    "zone",
    "risk_zone",
    "ppkm_level",
    "observe_joint_leave",
    "letterhead_title",
    "letterhead_subtitle",
    "address",
    "phone",
    "email",
    "website",
}


def agency_create(*, access: Access, **fields) -> Agency:
    access.require(access.is_operator, _("Only the platform operator can create agencies."))
    agency = Agency()
    _apply(agency, fields, AGENCY_FIELDS)
    return _save(agency, actor=access.user, message=_("The agency cannot be saved"))


def agency_update(*, access: Access, agency: Agency, **fields) -> Agency:
    access.require(access.manages_agency(agency.pk))
    _apply(agency, fields, AGENCY_FIELDS - ({"code"} if not access.is_operator else set()))
    return _save(agency, actor=access.user, message=_("The agency cannot be saved"))


def agency_day_set(*, access: Access, agency: Agency, date, kind: str, name: str) -> AgencyDay:
    """Declare an agency day off (joint leave, regional holiday) or an extra working day."""
    access.require(access.manages_agency(agency.pk))
    day = AgencyDay.objects.filter(agency=agency, date=date).first() or AgencyDay(
        agency=agency, date=date
    )
    day.kind, day.name = kind, name
    return _save(day, actor=access.user, message=_("The calendar day cannot be saved"))


def agency_day_delete(*, access: Access, day: AgencyDay) -> None:
    """Remove an agency's own calendar day: the date follows the national calendar again."""
    access.require(access.manages_agency(day.agency_id))
    if access.user is not None and access.user.is_authenticated:
        day._history_user = access.user  # the deletion's history row names who removed it
    with transaction.atomic():
        day.delete()


# --- units ---------------------------------------------------------------------------------

UNIT_FIELDS = {
    "parent",
    "code",
    "name",
    "kind",
    "serves_public",
    "head",
    "min_on_site",
    "office",
    "is_active",
}


def _check_unit_links(unit: Unit) -> None:
    errors = {}
    if unit.parent_id and unit.parent.agency_id != unit.agency_id:
        errors["parent"] = [_("The parent unit belongs to another agency.")]
    if unit.head_id and unit.head.agency_id != unit.agency_id:
        errors["head"] = [_("The head works for another agency.")]
    if unit.office_id and unit.office.agency_id != unit.agency_id:
        errors["office"] = [_("The office belongs to another agency.")]
    if unit.pk and unit.parent_id:
        node = unit.parent
        while node is not None:
            if node.pk == unit.pk:
                errors["parent"] = [_("A unit cannot be placed under itself or its own sub-unit.")]
                break
            node = node.parent
    if errors:
        raise DomainError(_("The unit cannot be saved"), fields=errors)


def unit_path(unit: Unit) -> str:
    return f"{unit.parent.path if unit.parent_id else '/'}{unit.pk}/"


@transaction.atomic
def unit_save_tree(unit: Unit, *, actor: User | None) -> Unit:
    """Save a unit and keep the materialised paths of it and its whole subtree right."""
    old_path = unit.path
    _save(unit, actor=actor, message=_("The unit cannot be saved"), exclude=["path"])
    new_path = unit_path(unit)
    if new_path != old_path:
        Unit.objects.filter(pk=unit.pk).update(path=new_path)
        unit.path = new_path
        if old_path:
            for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
                Unit.objects.filter(pk=child.pk).update(path=new_path + child.path[len(old_path) :])
    return unit


def unit_create(*, access: Access, agency: Agency, **fields) -> Unit:
    unit = Unit(agency=agency)
    _apply(unit, fields, UNIT_FIELDS)
    _check_unit_links(unit)
    if unit.parent_id and not unit.head_id:
        access.require(access.administers_unit(unit.parent))
    else:
        # A new top-level unit, or naming its head (who becomes kepala OPD), is BKPSDM's call.
        access.require(access.manages_agency(agency.pk))
    return unit_save_tree(unit, actor=access.user)


def unit_update(*, access: Access, unit: Unit, **fields) -> Unit:
    access.require(access.administers_unit(unit))
    if "parent" in fields or "head" in fields:
        # Moving a unit in the tree or naming its head is BKPSDM's decision.
        access.require(access.manages_agency(unit.agency_id))
    _apply(unit, fields, UNIT_FIELDS)
    _check_unit_links(unit)
    return unit_save_tree(unit, actor=access.user)


# --- offices and rooms ---------------------------------------------------------------------

OFFICE_FIELDS = {"name", "address", "latitude", "longitude", "radius_m"}


def office_create(*, access: Access, agency: Agency, **fields) -> Office:
    access.require(access.manages_agency(agency.pk))
    office = Office(agency=agency)
    _apply(office, fields, OFFICE_FIELDS)
    return _save(office, actor=access.user, message=_("The office cannot be saved"))


def office_update(*, access: Access, office: Office, **fields) -> Office:
    access.require(access.manages_agency(office.agency_id))
    _apply(office, fields, OFFICE_FIELDS)
    return _save(office, actor=access.user, message=_("The office cannot be saved"))


def room_create(*, access: Access, office: Office, **fields) -> Room:
    access.require(access.manages_agency(office.agency_id))
    room = Room(office=office)
    _apply(room, fields, {"name", "floor", "capacity"})
    return _save(room, actor=access.user, message=_("The room cannot be saved"))


# --- employees -----------------------------------------------------------------------------

EMPLOYEE_FIELDS = {
    "nip",
    "name",
    "asn_type",
    "position",
    "grade",
    "job_class",
    "unit",
    "office",
    "room",
    "supervisor",
    "home_latitude",
    "home_longitude",
    "phone",
    "email",
    "placed_on",
    "is_active",
}


def unit_office(unit: Unit) -> Office | None:
    """The office a unit sits in: its own, else the nearest ancestor's."""
    ids = [int(i) for i in unit.path.strip("/").split("/") if i] or [unit.pk]
    offices = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "office_id"))
    parents = dict(zip(ids[1:], ids[:-1], strict=False))
    office_id = nearest_office(ids[-1], parents.get, offices.get)
    return Office.objects.get(pk=office_id) if office_id else None


def _employee_defaults(employee: Employee) -> None:
    # An employee sits in their unit's office unless told otherwise.
    if employee.office_id is None and employee.unit_id:
        employee.office = unit_office(employee.unit)


def employee_account(
    employee: Employee, *, password: str | None = None, old_nip: str | None = None
) -> User:
    """Create or update the employee's login (username = NIP). Without a password the account
    cannot log in until one is set (by the employee through reset, or by an admin).

    A corrected NIP renames a login that was named after the old NIP, so the old number is free
    for the employee who really owns it.
    """
    user = employee.user or User(username=employee.nip)
    if user.pk and old_nip and user.username == old_nip:
        user.username = employee.nip
    user.first_name = employee.name[:150]
    user.email = employee.email
    user.is_active = employee.is_active
    if password:
        user.set_password(password)
    elif not user.pk:
        user.set_unusable_password()
    user.save()
    return user


def employee_create(*, access: Access, agency: Agency, password: str | None = None, **fields):
    employee = Employee(agency=agency)
    _apply(employee, fields, EMPLOYEE_FIELDS)
    if not employee.unit_id:
        raise DomainError(_("The employee cannot be saved"), fields={"unit": [_("Required.")]})
    access.require(access.administers_unit(employee.unit))
    _employee_defaults(employee)
    message = _("The employee cannot be saved")
    with transaction.atomic():
        # Validate first: the account's username is the (validated) NIP.
        _clean(employee, message=message, exclude=["user"])
        employee.user = employee_account(employee, password=password)
        _save(employee, actor=access.user, message=message)
    return employee


def employee_update(*, access: Access, employee: Employee, **fields) -> Employee:
    access.require(access.can_edit_employee(employee))
    old_nip = employee.nip
    if "nip" in fields:
        fields["nip"] = normalise_nip(fields["nip"] or "")
        if fields["nip"] != old_nip:
            access.require(
                access.manages_agency(employee.agency_id), _("Only BKPSDM can correct a NIP.")
            )
    _apply(employee, fields, EMPLOYEE_FIELDS)
    if "unit" in fields:
        access.require(
            access.administers_unit(employee.unit),
            _("You cannot move an employee to a unit outside your own."),
        )
    with transaction.atomic():
        _save(employee, actor=access.user, message=_("The employee cannot be saved"))
        if employee.user_id:
            employee_account(employee, old_nip=old_nip)
    return employee


# --- roles ---------------------------------------------------------------------------------


def role_assign(*, access: Access, user: User, role: str, agency=None, unit=None, note=""):
    if role == Role.OPERATOR:
        access.require(access.is_operator)
    else:
        access.require(access.can_manage_roles(agency.pk if agency else None))
    grant = RoleAssignment(
        user=user, role=role, agency=agency, unit=unit, note=note, granted_by=access.user
    )
    if (
        role != Role.OPERATOR
        and agency is not None
        and not Employee.objects.filter(user=user, agency=agency).exists()
        and not RoleAssignment.objects.filter(user=user, agency=agency).exists()
    ):
        # Roles go to the agency's own staff (the Wali Kota, without an employee record, holds
        # a grant in the agency already).
        raise DomainError(
            _("%(user)s does not work for this agency.") % {"user": user.get_username()},
            fields={"user": [_("Not in this agency.")]},
        )
    if RoleAssignment.objects.filter(
        user=user, role=role, agency=agency, unit=unit, revoked_at__isnull=True
    ).exists():
        raise Conflict(_("%(user)s already holds this role here.") % {"user": user.get_username()})
    _save(grant, actor=access.user, message=_("The role cannot be granted"))
    return grant


def role_revoke(*, access: Access, grant: RoleAssignment) -> RoleAssignment:
    access.require(
        access.is_operator
        if grant.role == Role.OPERATOR
        else access.can_manage_roles(grant.agency_id)
    )
    if grant.revoked_at is None:
        grant.revoked_at = utcnow()
        grant.revoked_by = access.user
        _save(grant, actor=access.user, message=_("The role cannot be revoked"))
    return grant


# --- personal API tokens -------------------------------------------------------------------


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_create(*, user: User, name: str, expires_at: datetime | None = None):
    """Create a token; returns (token, key). The key is shown once and never stored."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the token a name."), fields={"name": [_("Required.")]})
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:80], prefix=key[:12], key_hash=_hash(key), expires_at=expires_at
    )
    return token, key


def token_revoke(*, user: User, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise NotAllowed(_("This token is not yours."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        token.save(update_fields=["revoked_at"])


def token_authenticate(key: str) -> User | None:
    """The user owning an active token, or None. Records the last use (at most once a minute)."""
    if not key or not key.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(key), revoked_at__isnull=True)
        .first()
    )
    now = utcnow()
    if token is None or not token.user.is_active:
        return None
    if token.expires_at and token.expires_at <= now:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
