"""Apply a checked plan in one transaction, in bulk, with a history row for every change.

Rows are written level by level (parents before children, supervisors before their staff) so
every foreign key points at a row that already exists and each record gets exactly one history
row, instead of being created and then patched.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import datetime
from typing import TypeVar

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from darirumah.core.calendar import utcnow
from darirumah.org.models import Employee, Unit, User
from darirumah.org.services import unit_path

from .planning import UNIT_FIELDS, USER_FIELDS, Plan, UnitPlan
from .rows import Row

T = TypeVar("T")
EMPLOYEE_DEFAULTS = {"asn_type": Employee.AsnType.PNS, "is_active": True}


def apply(plan: Plan, *, actor: User | None) -> None:
    now = utcnow()
    with transaction.atomic():
        units = _write_units(plan, actor, now)
        write_paths(plan.agency)
        accounts = _write_accounts(plan, actor)
        _write_employees(plan, units, accounts, actor, now)


def levels(items: dict[Hashable, T], parent_of: Callable[[T], Hashable | None]) -> list[list[T]]:
    """Items grouped by depth among themselves: level 0 has no parent among `items`.

    The caller has already refused loops; the guard only stops a bug from spinning forever.
    """
    depth: dict[Hashable, int] = {}
    for key in items:
        chain, node = [], key
        while node in items and node not in depth:
            chain.append(node)
            node = parent_of(items[node])
            if len(chain) > len(items):
                raise ValueError("loop in the parent links")
        base = depth.get(node, -1)
        for k in reversed(chain):
            base += 1
            depth[k] = base
    grouped: list[list[T]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for key, item in items.items():
        grouped[depth[key]].append(item)
    return grouped


# --- units -------------------------------------------------------------------------------------


def _write_units(plan: Plan, actor: User | None, now: datetime) -> dict[str, Unit]:
    by_code = dict(plan.existing_units)
    new = {u.code: u for u in plan.units.values() if u.existing is None}
    for level in levels(new, lambda u: u.values.get("KODE_UNIT_INDUK")):
        objs = [_unit_values(Unit(agency=plan.agency), u, by_code) for u in level]
        for unit in bulk_create_with_history(objs, Unit, default_user=actor):
            by_code[unit.code] = unit
    changed = [u for u in plan.units.values() if u.existing is not None and u.changes]
    if changed:
        for u in changed:
            _unit_values(u.existing, u, by_code).updated_at = now
        fields = sorted({name for u in changed for name in u.changes}) + ["updated_at"]
        bulk_update_with_history([u.existing for u in changed], Unit, fields, default_user=actor)
    return by_code


def _unit_values(unit: Unit, plan: UnitPlan, by_code: dict[str, Unit]) -> Unit:
    unit.code = plan.code
    for key, name in UNIT_FIELDS.items():
        if key not in plan.values:
            continue
        if name == "parent":
            unit.parent = by_code[plan.values[key]]
        else:
            setattr(unit, name, plan.values[key])
    return unit


def write_paths(agency) -> None:
    """Recompute every materialised path of the agency's tree with the services' own rule."""
    units = {u.pk: u for u in Unit.objects.filter(agency=agency).only("pk", "parent", "path")}
    changed = []
    for level in levels(units, lambda u: u.parent_id):
        for unit in level:
            if unit.parent_id in units:
                unit.parent = units[unit.parent_id]
            path = unit_path(unit)
            if path != unit.path:
                unit.path = path
                changed.append(unit)
    # `path` is left out of the unit history (it follows from `parent`), so no history here.
    Unit.objects.bulk_update(changed, ["path"], batch_size=500)


# --- accounts and employees --------------------------------------------------------------------


def _final(row: Row, name: str):
    """A field's value after the import: the file's when given, else the current one."""
    if name in row.values:
        return row.values[name]
    if row.existing is not None:
        return getattr(row.existing, name)
    return EMPLOYEE_DEFAULTS.get(name, "")


def _account_values(row: Row) -> dict:
    # The same as services.employee_account: the login mirrors the employee's name, e-mail and
    # whether they still work here.
    return {
        "first_name": _final(row, "name")[:150],
        "email": _final(row, "email"),
        "is_active": _final(row, "is_active"),
    }


def _write_accounts(plan: Plan, actor: User | None) -> dict[str, User]:
    """New logins (username = NIP, unusable password) and updates of kept ones."""
    new, changed = [], []
    for row in plan.employee_rows:
        values = _account_values(row)
        user = row.existing.user if row.existing else None
        if user is None:
            user = User(username=row.nip, **values)
            user.set_unusable_password()
            new.append(user)
        elif any(getattr(user, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(user, k, v)
            changed.append(user)
    created = bulk_create_with_history(new, User, default_user=actor) if new else []
    if changed:
        bulk_update_with_history(changed, User, list(USER_FIELDS), default_user=actor)
    return {u.username: u for u in created}


def _write_employees(
    plan: Plan,
    units: dict[str, Unit],
    accounts: dict[str, User],
    actor: User | None,
    now: datetime,
) -> None:
    ids = dict(plan.employee_ids)
    new = {r.nip: r for r in plan.employee_rows if r.existing is None}
    for level in levels(new, lambda r: r.supervisor_nip or None):
        objs = [_new_employee(plan, r, units[r.unit_code], accounts, ids) for r in level]
        for employee in bulk_create_with_history(objs, Employee, default_user=actor):
            ids[employee.nip] = employee.pk
    updates = [r for r in plan.employee_rows if r.existing and (r.changes or r.nip in accounts)]
    if updates:
        fields = {"updated_at"}
        for row in updates:
            office_id = plan.unit_office_id(row.unit_code)
            fields |= _update_employee(row, units[row.unit_code], office_id, accounts, ids, now)
        bulk_update_with_history(
            [r.existing for r in updates], Employee, sorted(fields), default_user=actor
        )


def _new_employee(
    plan: Plan, row: Row, unit: Unit, accounts: dict[str, User], ids: dict[str, int]
) -> Employee:
    employee = Employee(
        agency=plan.agency,
        user=accounts[row.nip],
        nip=row.nip,
        sex=row.parts.sex,
        birth_date=row.parts.birth_date,
        unit=unit,
        # An employee sits in their unit's office unless told otherwise (as the services do).
        office_id=row.office.pk if row.office else plan.unit_office_id(row.unit_code),
        room=row.room,
        supervisor_id=ids.get(row.supervisor_nip),
        **EMPLOYEE_DEFAULTS,
    )
    for name, value in row.values.items():
        setattr(employee, name, value)
    return employee


def _update_employee(
    row: Row,
    unit: Unit,
    unit_office_id: int | None,
    accounts: dict[str, User],
    ids: dict[str, int],
    now: datetime,
) -> set[str]:
    """Set the row's changes on the employee; returns the fields that bulk_update must write."""
    employee = row.existing
    fields = {name for name in row.changes if name in row.values}
    for name in fields:
        setattr(employee, name, row.values[name])
    if "unit" in row.changes:
        employee.unit = unit
        fields.add("unit")
        if employee.office_id is None and row.office is None and unit_office_id:
            employee.office_id = unit_office_id
            fields.add("office")
    for name in ("office", "room"):
        if name in row.changes:
            setattr(employee, name, getattr(row, name))
            fields.add(name)
    if "supervisor" in row.changes:
        employee.supervisor_id = ids[row.supervisor_nip]
        fields.add("supervisor")
    if row.nip in accounts:
        employee.user = accounts[row.nip]
        fields.add("user")
    employee.updated_at = now
    return fields
