"""One spreadsheet row → a Row: parsed values and the problems found in the row on its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from darirumah.org import rules
from darirumah.org.criteria_checks import criteria_problems
from darirumah.org.models import Employee, Office, Room

from . import columns as col
from .reading import Table

# Column → (where the value goes, model field, parser). "emp" is a field of Employee, "unit" a
# field of Unit (collected per unit code), "ref" a reference resolved against the file and the
# database later (NIP, unit, office, room, supervisor).
Parser = Callable[[Any, str, "Context"], Any]
PARSERS: dict[str, tuple[str, str, Parser]] = {
    "NIP": ("ref", "nip", lambda v, lbl, c: col.nip(v, lbl, today=c.today)),
    "NAMA": ("emp", "name", lambda v, lbl, c: col.text(v, lbl, 200)),
    "JENIS_ASN": ("emp", "asn_type", lambda v, lbl, c: col.asn_type(v, lbl)),
    "JABATAN": ("emp", "position", lambda v, lbl, c: col.text(v, lbl, 200)),
    "GOLONGAN": ("emp", "grade", lambda v, lbl, c: col.text(v, lbl, 10)),
    "KELAS_JABATAN": ("emp", "job_class", lambda v, lbl, c: col.integer(v, lbl, low=1, high=17)),
    "KODE_UNIT": ("ref", "unit_code", lambda v, lbl, c: col.text(v, lbl, 40)),
    "NAMA_UNIT": ("unit", "name", lambda v, lbl, c: col.text(v, lbl, 200)),
    "JENIS_UNIT": ("unit", "kind", lambda v, lbl, c: col.unit_kind(v, lbl)),
    "KODE_UNIT_INDUK": ("unit", "parent", lambda v, lbl, c: col.text(v, lbl, 40)),
    "UNIT_LAYANAN_PUBLIK": ("unit", "serves_public", lambda v, lbl, c: col.boolean(v, lbl)),
    "MIN_DI_KANTOR": (
        "unit",
        "min_on_site",
        lambda v, lbl, c: col.integer(v, lbl, low=0, high=10_000),
    ),
    "KANTOR": ("ref", "office_name", lambda v, lbl, c: col.text(v, lbl, 200)),
    "RUANG": ("ref", "room_name", lambda v, lbl, c: col.text(v, lbl, 120)),
    "NIP_ATASAN": ("ref", "supervisor_nip", lambda v, lbl, c: col.text(v, lbl).lstrip("'")),
    "LINTANG_RUMAH": ("emp", "home_latitude", lambda v, lbl, c: col.decimal(v, lbl)),
    "BUJUR_RUMAH": ("emp", "home_longitude", lambda v, lbl, c: col.decimal(v, lbl)),
    "TELEPON": ("emp", "phone", lambda v, lbl, c: col.text(v, lbl, 30)),
    "EMAIL": ("emp", "email", lambda v, lbl, c: col.email(v, lbl)),
    "TMT_JABATAN": ("emp", "placed_on", lambda v, lbl, c: col.day(v, lbl, is_xlsx=c.is_xlsx)),
    "AKTIF": ("emp", "is_active", lambda v, lbl, c: col.boolean(v, lbl)),
    "KOMORBID": ("emp", "comorbidity", lambda v, lbl, c: col.boolean(v, lbl)),
    "HAMIL": ("emp", "pregnant", lambda v, lbl, c: col.boolean(v, lbl)),
    "PERJALANAN_SAMPAI": (
        "emp",
        "recent_travel_until",
        lambda v, lbl, c: col.day(v, lbl, is_xlsx=c.is_xlsx),
    ),
    "KONTAK_ERAT_SAMPAI": (
        "emp",
        "recent_contact_until",
        lambda v, lbl, c: col.day(v, lbl, is_xlsx=c.is_xlsx),
    ),
    "PEJABAT_PIMPINAN_TINGGI": ("emp", "top_official", lambda v, lbl, c: col.boolean(v, lbl)),
    "JABATAN_STRATEGIS": ("emp", "strategic_post", lambda v, lbl, c: col.boolean(v, lbl)),
}
CRITERIA_COLUMNS = {
    "pregnant": "HAMIL",
    "recent_travel_until": "PERJALANAN_SAMPAI",
    "recent_contact_until": "KONTAK_ERAT_SAMPAI",
}
EMPLOYEE_KEYS = tuple(k for k in PARSERS if k != "KODE_UNIT" and k not in col.UNIT_COLUMNS)


@dataclass
class Context:
    columns: col.Columns
    today: date | None  # for the NIP's "appointed in the future" check
    is_xlsx: bool

    def label(self, key: str) -> str:
        return self.columns.labels.get(key, key)


@dataclass
class Row:
    number: int
    nip: str = ""  # normalised, and only when valid
    raw_nip: str = ""  # as written, to name the row in the report even when the NIP is bad
    parts: rules.Nip | None = None
    unit_code: str = ""
    office_name: str = ""
    room_name: str = ""
    supervisor_nip: str = ""
    unit_only: bool = False  # describes a unit (e.g. an OPD with no direct staff), no employee
    values: dict[str, Any] = field(default_factory=dict)  # Employee fields given in the row
    unit_values: dict[str, Any] = field(default_factory=dict)  # Unit fields, by column key
    problems: list[str] = field(default_factory=list)
    # Filled in by the plan:
    existing: Employee | None = None
    office: Office | None = None
    room: Room | None = None
    changes: list[str] = field(default_factory=list)

    @property
    def is_employee(self) -> bool:
        return not self.unit_only and bool(self.nip)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_rows(table: Table, ctx: Context) -> list[Row]:
    rows = []
    for number, cells in table.rows:
        given = {
            key: cells[i]
            for key, i in ctx.columns.index.items()
            if i < len(cells) and not _blank(cells[i])
        }
        # A row with values only in columns we do not use (e.g. a pre-filled "No." column
        # below the data) is as good as blank.
        if given:
            rows.append(parse_row(number, given, ctx))
    _check_duplicates(rows)
    return rows


def parse_row(number: int, given: dict[str, Any], ctx: Context) -> Row:
    """A row from its non-blank cells, by column key."""
    row = Row(number)
    row.unit_only = not any(k in given for k in EMPLOYEE_KEYS)
    row.raw_nip = col.text(given.get("NIP"))[:40]
    required = ("KODE_UNIT",) if row.unit_only else col.REQUIRED
    for key in required:
        if key not in given:
            row.problems.append(_("%(col)s is required.") % {"col": ctx.label(key)})
    for key, value in given.items():
        _parse_cell(row, key, value, ctx)
    _check_home(row, ctx)
    _check_criteria(row, ctx)
    return row


def _parse_cell(row: Row, key: str, value: Any, ctx: Context) -> None:
    group, name, parse = PARSERS[key]
    try:
        parsed = parse(value, ctx.label(key), ctx)
    except col.CellProblem as exc:
        row.problems.append(str(exc))
        return
    if group == "emp":
        row.values[name] = parsed
    elif group == "unit":
        row.unit_values[key] = parsed
    elif name == "nip":
        row.nip, row.parts = parsed
    else:
        setattr(row, name, parsed)


def _check_home(row: Row, ctx: Context) -> None:
    lat, lon = row.values.get("home_latitude"), row.values.get("home_longitude")
    problem = rules.check_coordinates(lat, lon)
    if problem:
        labels = f"{ctx.label('LINTANG_RUMAH')}/{ctx.label('BUJUR_RUMAH')}"
        row.problems.append(f"{labels}: {problem}")


def _check_criteria(row: Row, ctx: Context) -> None:
    """The model's own criteria checks (a pregnancy needs a female NIP; no far-off dates)."""
    if row.parts is None or ctx.today is None:
        return
    found = criteria_problems(
        sex=row.parts.sex,
        pregnant=row.values.get("pregnant", False),
        travel_until=row.values.get("recent_travel_until"),
        contact_until=row.values.get("recent_contact_until"),
        today=ctx.today,
    )
    for name, messages in found.items():
        for message in messages:
            row.problems.append(f"{ctx.label(CRITERIA_COLUMNS[name])}: {message}")


def _check_duplicates(rows: list[Row]) -> None:
    first: dict[str, int] = {}
    for row in rows:
        if not row.nip:
            continue
        if row.nip in first:
            row.problems.append(
                _("NIP %(nip)s already appears on row %(row)s; each employee needs one row.")
                % {"nip": row.nip, "row": first[row.nip]}
            )
        else:
            first[row.nip] = row.number
