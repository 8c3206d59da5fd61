"""Check every row against the rest of the file and the database, and work out what would change.

Nothing here writes. The checks read the database in a fixed number of queries (in chunks for
long NIP lists), never one per row, so 5,000 rows cost the same few round trips as 50.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.utils.translation import gettext as _

from darirumah.org import rules
from darirumah.org.models import Agency, Employee, Office, Room, Unit, User

from .rows import Context, Row

CHUNK = 500  # stays under every database's limit on query parameters
UNIT_FIELDS = {
    "NAMA_UNIT": "name",
    "JENIS_UNIT": "kind",
    "KODE_UNIT_INDUK": "parent",
    "UNIT_LAYANAN_PUBLIK": "serves_public",
    "MIN_DI_KANTOR": "min_on_site",
}
USER_FIELDS = ("first_name", "email", "is_active")


@dataclass
class UnitPlan:
    code: str
    existing: Unit | None = None
    values: dict[str, Any] = field(default_factory=dict)  # column key → value, first given
    source: dict[str, int] = field(default_factory=dict)  # column key → row that gave it
    rows: list[Row] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # Unit fields that differ (or all if new)


@dataclass
class Plan:
    agency: Agency
    ctx: Context
    rows: list[Row]
    units: dict[str, UnitPlan] = field(default_factory=dict)
    existing_units: dict[str, Unit] = field(default_factory=dict)
    supervisors: dict[str, str | None] = field(default_factory=dict)  # agency NIP → its atasan
    employee_ids: dict[str, int] = field(default_factory=dict)  # agency NIP → employee id
    unit_parents: dict[str, str | None] = field(default_factory=dict)  # the tree after import

    @property
    def bad_rows(self) -> list[Row]:
        return [r for r in self.rows if r.problems]

    @property
    def employee_rows(self) -> list[Row]:
        return [r for r in self.rows if r.is_employee]

    def unit_code_of(self, unit_id: int | None) -> str | None:
        return self._codes_by_id.get(unit_id)

    def unit_office_id(self, code: str) -> int | None:
        """The office a unit sits in after the import: its own, else the nearest ancestor's
        (as services.unit_office decides; new units have no office of their own)."""

        def office_of(unit_code: str) -> int | None:
            unit = self.existing_units.get(unit_code)
            return unit.office_id if unit is not None else None

        return rules.nearest_office(code or None, self.unit_parents.get, office_of)

    def row_at(self, number: int) -> Row:
        return self._rows_by_number[number]

    @cached_property
    def _codes_by_id(self) -> dict[int, str]:
        return {u.pk: code for code, u in self.existing_units.items()}

    @cached_property
    def _rows_by_number(self) -> dict[int, Row]:
        return {r.number: r for r in self.rows}


def build(agency: Agency, rows: list[Row], ctx: Context) -> Plan:
    plan = Plan(agency=agency, ctx=ctx, rows=rows)
    _plan_units(plan)
    _load_people(plan)
    _resolve_places(plan)
    _check_supervisors(plan)
    _diff_units(plan)
    _diff_employees(plan)
    return plan


def chunks(values: Iterable[str]) -> Iterator[list[str]]:
    items = list(values)
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def all_cycles(parent_of: dict[str, str | None]) -> list[list[str]]:
    """Every loop in a parent map, not just the first: each is cut once found, then look again."""
    parent_of = dict(parent_of)
    found = []
    while cycle := rules.find_cycle(parent_of):
        found.append(cycle)
        for node in cycle:
            parent_of[node] = None
    return found


# --- units -------------------------------------------------------------------------------------


def _plan_units(plan: Plan) -> None:
    plan.existing_units = {u.code: u for u in Unit.objects.filter(agency=plan.agency)}
    for row in plan.rows:
        if row.unit_code:
            unit = plan.units.setdefault(
                row.unit_code, UnitPlan(row.unit_code, plan.existing_units.get(row.unit_code))
            )
            unit.rows.append(row)
            _describe_unit(plan, unit, row)
    for unit in plan.units.values():
        _check_unit_known(plan, unit)
    _check_unit_loops(plan)


def _describe_unit(plan: Plan, unit: UnitPlan, row: Row) -> None:
    """Many rows describe one unit: the first value given counts; a different one is a mistake."""
    for key, value in row.unit_values.items():
        if key not in unit.values:
            unit.values[key], unit.source[key] = value, row.number
        elif unit.values[key] != value:
            row.problems.append(
                _(
                    "Unit %(code)s is described differently on row %(row)s: %(col)s is "
                    "“%(a)s” there and “%(b)s” here."
                )
                % {
                    "code": unit.code,
                    "row": unit.source[key],
                    "col": plan.ctx.label(key),
                    "a": _shown(unit.values[key]),
                    "b": _shown(value),
                }
            )


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    return str(value)


def _check_unit_known(plan: Plan, unit: UnitPlan) -> None:
    if unit.existing is None and not {"NAMA_UNIT", "JENIS_UNIT"} <= unit.values.keys():
        message = _(
            "Unit %(code)s does not exist in DariRumah yet. To create it, fill in %(name)s and "
            "%(kind)s on at least one of its rows; otherwise correct the unit code."
        ) % {
            "code": unit.code,
            "name": plan.ctx.label("NAMA_UNIT"),
            "kind": plan.ctx.label("JENIS_UNIT"),
        }
        for row in unit.rows:
            row.problems.append(message)
    parent = unit.values.get("KODE_UNIT_INDUK")
    if parent and parent not in plan.units and parent not in plan.existing_units:
        plan.row_at(unit.source["KODE_UNIT_INDUK"]).problems.append(
            _("Parent unit %(parent)s (of unit %(code)s) is neither in this file nor in DariRumah.")
            % {"parent": parent, "code": unit.code}
        )


def _unit_parents(plan: Plan) -> dict[str, str | None]:
    """Unit code → parent code, as the tree would be after the import."""
    parent_of = {code: plan.unit_code_of(u.parent_id) for code, u in plan.existing_units.items()}
    for unit in plan.units.values():
        if "KODE_UNIT_INDUK" in unit.values:
            parent_of[unit.code] = unit.values["KODE_UNIT_INDUK"]
        else:
            parent_of.setdefault(unit.code, None)
    return parent_of


def _check_unit_loops(plan: Plan) -> None:
    plan.unit_parents = _unit_parents(plan)
    for cycle in all_cycles(plan.unit_parents):
        message = _("Units form a loop: %(loop)s. A unit cannot be under itself.") % {
            "loop": " → ".join(cycle)
        }
        for code in dict.fromkeys(cycle):
            unit = plan.units.get(code)
            if unit and "KODE_UNIT_INDUK" in unit.source:
                plan.row_at(unit.source["KODE_UNIT_INDUK"]).problems.append(message)


def _diff_units(plan: Plan) -> None:
    for unit in plan.units.values():
        for key, name in UNIT_FIELDS.items():
            if key not in unit.values:
                continue
            if unit.existing is None:
                unit.changes.append(name)
            elif name == "parent":
                if plan.unit_code_of(unit.existing.parent_id) != unit.values[key]:
                    unit.changes.append(name)
            elif getattr(unit.existing, name) != unit.values[key]:
                unit.changes.append(name)


# --- employees, their offices and supervisors --------------------------------------------------


def _load_people(plan: Plan) -> None:
    agency = plan.agency
    for nip, pk, supervisor in Employee.objects.filter(agency=agency).values_list(
        "nip", "pk", "supervisor__nip"
    ):
        plan.supervisors[nip], plan.employee_ids[nip] = supervisor, pk
    rows: dict[str, Row] = {}
    for row in plan.employee_rows:
        rows.setdefault(row.nip, row)  # a repeated NIP is already reported on its later rows
    outside = [nip for nip in rows if nip not in plan.supervisors]
    foreign: set[str] = set()
    for part in chunks(outside):
        for nip in Employee.objects.filter(nip__in=part).values_list("nip", flat=True):
            foreign.add(nip)
            rows[nip].problems.append(
                _(
                    "NIP %(nip)s belongs to an employee of another agency in DariRumah, so it "
                    "cannot be imported here. Ask the platform operator to move the employee."
                )
                % {"nip": nip}
            )
    for part in chunks(nip for nip in rows if nip in plan.supervisors):
        for employee in Employee.objects.filter(agency=agency, nip__in=part).select_related(
            "user", "room"
        ):
            rows[employee.nip].existing = employee
    _check_usernames(
        plan,
        [r for r in rows.values() if r.nip not in foreign and not (r.existing and r.existing.user)],
    )


def _check_usernames(plan: Plan, needing_account: list[Row]) -> None:
    """New accounts are named after the NIP, so that login name must still be free."""
    by_nip = {r.nip: r for r in needing_account}
    for part in chunks(by_nip):
        for username in User.objects.filter(username__in=part).values_list("username", flat=True):
            by_nip[username].problems.append(
                _(
                    "A login named %(nip)s already exists but is not this employee's account. "
                    "Ask the platform operator to rename or link it."
                )
                % {"nip": username}
            )


def _resolve_places(plan: Plan) -> None:
    offices = {o.name.casefold(): o for o in Office.objects.filter(agency=plan.agency)}
    rooms = {
        (r.office_id, r.name.casefold()): r for r in Room.objects.filter(office__agency=plan.agency)
    }
    by_id = {o.pk: o for o in offices.values()}
    for row in plan.employee_rows:
        if row.office_name:
            row.office = offices.get(row.office_name.casefold())
            if row.office is None:
                row.problems.append(
                    _(
                        "%(col)s “%(v)s” is not an office of this agency in DariRumah. "
                        "Add the office first, or correct the name."
                    )
                    % {"col": plan.ctx.label("KANTOR"), "v": row.office_name}
                )
                continue
        if row.room_name:
            office = row.office or by_id.get(_office_id_without_column(plan, row))
            _resolve_room(plan, row, office, rooms)


def _office_id_without_column(plan: Plan, row: Row) -> int | None:
    """The office a row's room is in when KANTOR is empty: the employee's, else the unit's."""
    if row.existing and row.existing.office_id:
        return row.existing.office_id
    return plan.unit_office_id(row.unit_code)


def _resolve_room(plan: Plan, row: Row, office: Office | None, rooms: dict) -> None:
    label = plan.ctx.label("RUANG")
    if office is None:
        row.problems.append(
            _("%(col)s needs an office: fill in %(office)s for this row.")
            % {"col": label, "office": plan.ctx.label("KANTOR")}
        )
        return
    row.room = rooms.get((office.pk, row.room_name.casefold()))
    if row.room is None:
        row.problems.append(
            _("%(col)s “%(v)s” is not a room of office “%(office)s” in DariRumah.")
            % {"col": label, "v": row.room_name, "office": office.name}
        )
    elif row.office is None:
        row.office = office


def _check_supervisors(plan: Plan) -> None:
    in_file = {r.nip for r in plan.rows if r.nip}
    label = plan.ctx.label("NIP_ATASAN")
    pending: dict[str, list[Row]] = {}
    for row in plan.rows:
        if row.unit_only or not row.supervisor_nip:
            continue
        raw = row.supervisor_nip
        row.supervisor_nip = rules.normalise_nip(raw)
        try:
            rules.parse_nip(row.supervisor_nip)
        except rules.NipError as exc:
            row.problems.append(f"{label}: {exc}")
            row.supervisor_nip = ""
            continue
        if row.supervisor_nip not in in_file and row.supervisor_nip not in plan.supervisors:
            pending.setdefault(row.supervisor_nip, []).append(row)
    _report_unknown_supervisors(plan, pending)
    _check_supervisor_loops(plan)


def _report_unknown_supervisors(plan: Plan, pending: dict[str, list[Row]]) -> None:
    elsewhere: set[str] = set()
    for part in chunks(pending):
        elsewhere.update(Employee.objects.filter(nip__in=part).values_list("nip", flat=True))
    label = plan.ctx.label("NIP_ATASAN")
    for nip, rows in pending.items():
        if nip in elsewhere:
            message = _(
                "%(col)s %(nip)s works for another agency; the supervisor must work for this one."
            )
        else:
            message = _(
                "%(col)s %(nip)s is neither in this file nor an employee of this agency "
                "in DariRumah."
            )
        for row in rows:
            row.problems.append(message % {"col": label, "nip": nip})
            row.supervisor_nip = ""


def _check_supervisor_loops(plan: Plan) -> None:
    """The reporting lines after the import (file over database) must not loop."""
    parent_of: dict[str, str | None] = dict(plan.supervisors)
    given: dict[str, Row] = {}
    for row in plan.employee_rows:
        if row.supervisor_nip:
            parent_of[row.nip] = row.supervisor_nip
            given[row.nip] = row
        else:
            parent_of.setdefault(row.nip, None)
    for cycle in all_cycles(parent_of):
        message = _(
            "Supervisor loop: %(loop)s. Nobody can be their own supervisor, directly or "
            "through others; correct %(col)s on these rows."
        ) % {"loop": " → ".join(cycle), "col": plan.ctx.label("NIP_ATASAN")}
        for nip in dict.fromkeys(cycle):
            if nip in given:
                given[nip].problems.append(message)


def _diff_employees(plan: Plan) -> None:
    """What each existing employee's row would change; an empty cell never erases a value."""
    for row in plan.employee_rows:
        employee = row.existing
        if employee is None:
            continue
        row.changes = [k for k, v in row.values.items() if getattr(employee, k) != v]
        if employee.user_id is None:
            row.changes.append("user")  # gets the login every employee has
        if plan.unit_code_of(employee.unit_id) != row.unit_code:
            row.changes.append("unit")
        if row.office and row.office.pk != employee.office_id:
            row.changes.append("office")
        if row.room and row.room.pk != employee.room_id:
            row.changes.append("room")
        elif "office" in row.changes and employee.room and employee.room.office_id != row.office.pk:
            # The old room is in the old office; keeping it would break the room-in-office rule,
            # so it is cleared (row.room is None).
            row.changes.append("room")
        if row.supervisor_nip and plan.supervisors.get(row.nip) != row.supervisor_nip:
            row.changes.append("supervisor")
