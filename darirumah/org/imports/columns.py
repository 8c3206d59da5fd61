"""The column template (names, aliases, help) and turning one cell into one value.

The template is data: the header matching, the downloadable template and its "Petunjuk" sheet
all read COLUMNS, so they cannot drift apart.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils.datetime import from_excel

from darirumah.org import rules
from darirumah.org.models import Employee, Unit

from .reading import FileProblem, Table


@dataclass(frozen=True)
class Column:
    key: str  # the name in the template, e.g. "KODE_UNIT"
    aliases: tuple[str, ...]
    help: str  # lazy: what goes in the column (shown in the template's "Petunjuk" sheet)
    example: str
    required: bool = False
    text: bool = False  # keep as text in Excel (long digit strings lose digits as numbers)


# Written as a table, one column per entry (hence "fmt: skip" at its end): the formatter would
# spread it over 150 lines and hide the template's shape.
C = Column
COLUMNS: tuple[Column, ...] = (
    C("NIP", ("NIP_BARU", "NIP_18"), gettext_lazy("18-digit NIP. Format the column as Text in Excel."),
      "198503152010011001", required=True, text=True),
    C("NAMA", ("NAME", "NAMA_LENGKAP", "NAMA_PEGAWAI", "FULL_NAME"),
      gettext_lazy("Full name with titles."), "Siti Aminah, S.Kom.", required=True),
    C("JENIS_ASN", ("ASN_TYPE", "STATUS_ASN", "JENIS_PEGAWAI", "STATUS_KEPEGAWAIAN"),
      gettext_lazy("PNS or PPPK (P3K). Empty: PNS for a new employee."), "PNS"),
    C("JABATAN", ("POSITION", "NAMA_JABATAN", "JOB_TITLE"), gettext_lazy("Current position."),
      "Analis Kepegawaian", required=True),
    C("GOLONGAN", ("GOL", "GOL_RUANG", "GRADE"), gettext_lazy("Grade, e.g. III/a."), "III/b"),
    C("KELAS_JABATAN", ("JOB_CLASS", "KELAS"), gettext_lazy("Job class, a whole number 1–17."), "9"),
    C("KODE_UNIT", ("UNIT_CODE", "KODE_UNOR", "KODE_SATKER"),
      gettext_lazy("Code of the employee's unit, as in SIMPEG."), "BKPSDM-MUT", required=True),
    C("NAMA_UNIT", ("UNIT_NAME", "NAMA_UNOR", "UNIT"),
      gettext_lazy("Unit name. Required once per file for a unit that does not exist yet."),
      "Bidang Mutasi dan Promosi"),
    C("JENIS_UNIT", ("UNIT_KIND", "UNIT_TYPE", "JENIS_UNOR"),
      gettext_lazy("Unit kind: %(kinds)s. Required once per file for a new unit."), "bidang"),
    C("KODE_UNIT_INDUK", ("PARENT_UNIT_CODE", "PARENT_CODE", "KODE_INDUK", "KODE_UNOR_INDUK"),
      gettext_lazy("Code of the parent unit: in this file or already in DariRumah. Empty: top level."),
      "BKPSDM"),
    C("UNIT_LAYANAN_PUBLIK", ("SERVES_PUBLIC", "LAYANAN_PUBLIK", "PUBLIC_SERVICE"),
      gettext_lazy("Does the unit serve the public directly? ya/tidak."), "tidak"),
    C("MIN_DI_KANTOR", ("MIN_ON_SITE", "MINIMUM_DI_KANTOR", "MIN_WFO"),
      gettext_lazy("Default minimum staff of the unit on site, a whole number."), "0"),
    C("KANTOR", ("OFFICE", "GEDUNG", "NAMA_KANTOR"),
      gettext_lazy("Office building, as named in DariRumah. Empty: the office of the unit, or of the "
        "nearest unit above it."),
      "Pusat Pemerintahan"),
    C("RUANG", ("ROOM", "RUANGAN"), gettext_lazy("Room in that office, as named in DariRumah."), ""),
    C("NIP_ATASAN", ("SUPERVISOR_NIP", "NIP_ATASAN_LANGSUNG", "ATASAN_NIP"),
      gettext_lazy("NIP of the direct supervisor: in this file or already in DariRumah."),
      "197805202005011002", text=True),
    C("LINTANG_RUMAH", ("HOME_LATITUDE", "HOME_LAT", "LINTANG"),
      gettext_lazy("Home latitude in decimal degrees, e.g. -6.1201."), "-6.1201"),
    C("BUJUR_RUMAH", ("HOME_LONGITUDE", "HOME_LON", "HOME_LNG", "BUJUR"),
      gettext_lazy("Home longitude in decimal degrees, e.g. 106.1502."), "106.1502"),
    C("TELEPON", ("PHONE", "NO_HP", "HP", "TELP", "NOMOR_HP", "NO_TELEPON"),
      gettext_lazy("Mobile number. Format the column as Text in Excel."), "081234567890", text=True),
    C("EMAIL", ("E_MAIL", "SUREL"), gettext_lazy("E-mail address."), "siti.aminah@example.go.id"),
    C("TMT_JABATAN", ("PLACED_ON", "TMT", "TANGGAL_TMT_JABATAN"),
      gettext_lazy("Date placed in the current post: YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY or an Excel date."),
      "2021-01-04"),
    C("AKTIF", ("ACTIVE", "IS_ACTIVE", "STATUS_AKTIF"),
      gettext_lazy("Still working here? ya/tidak. Empty: ya."), "ya"),
    # Placement criteria of SE MenPANRB 58/2020, all optional; an empty cell changes nothing.
    C("KOMORBID", ("COMORBIDITY", "PENYAKIT_PENYERTA"),
      gettext_lazy("Comorbidity (health data)? ya/tidak."), "tidak"),
    C("HAMIL", ("PREGNANT", "SEDANG_HAMIL"),
      gettext_lazy("Pregnant (health data)? ya/tidak. Only for a female employee."), "tidak"),
    C("PERJALANAN_SAMPAI", ("RECENT_TRAVEL_UNTIL", "RIWAYAT_PERJALANAN_SAMPAI"),
      gettext_lazy("After travel from an affected area: the last day to stay home (usually the day "
        "of return plus 14 days), as a date."), ""),
    C("KONTAK_ERAT_SAMPAI", ("RECENT_CONTACT_UNTIL", "KONTAK_SAMPAI"),
      gettext_lazy("After close contact with a case (health data): the last day to stay home, as a "
        "date."), ""),
    C("PEJABAT_PIMPINAN_TINGGI", ("TOP_OFFICIAL", "JPT", "PEJABAT_TINGGI"),
      gettext_lazy("Top official (pejabat pimpinan tinggi), works from the office? ya/tidak."),
      "tidak"),
    C("JABATAN_STRATEGIS", ("STRATEGIC_POST", "POSISI_STRATEGIS"),
      gettext_lazy("Strategic post whose work must be done at the office? ya/tidak."), "tidak"),
)  # fmt: skip
REQUIRED = tuple(c.key for c in COLUMNS if c.required)
UNIT_COLUMNS = (
    "NAMA_UNIT",
    "JENIS_UNIT",
    "KODE_UNIT_INDUK",
    "UNIT_LAYANAN_PUBLIK",
    "MIN_DI_KANTOR",
)

YES = {"ya", "y", "yes", "true", "1", "benar", "aktif"}
NO = {"tidak", "t", "no", "n", "false", "0", "salah", "tidak aktif", "nonaktif"}
ASN_TYPES = {"PNS": Employee.AsnType.PNS, "PPPK": Employee.AsnType.PPPK, "P3K": "PPPK"}
UNIT_KIND_ALIASES = {"uptd": Unit.Kind.UPT, "subbag": Unit.Kind.SUBBAGIAN, "rs": Unit.Kind.RSUD}
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")


def header_key(raw: Any) -> str:
    """ "Kode Unit", "kode_unit " and "KODE-UNIT" are the same column."""
    return re.sub(r"[^A-Z0-9]+", "_", str(raw or "").strip().upper()).strip("_")


_BY_NAME = {header_key(name): c.key for c in COLUMNS for name in (c.key, *c.aliases)}


@dataclass
class Columns:
    """Where each known column is in the file, and the header the file gives it."""

    index: dict[str, int]
    labels: dict[str, str]
    ignored: list[str]


def map_columns(table: Table) -> Columns:
    index: dict[str, int] = {}
    labels: dict[str, str] = {}
    ignored: list[str] = []
    for i, raw in enumerate(table.header):
        label = str(raw or "").strip()
        key = _BY_NAME.get(header_key(raw))
        if key is None:
            if label:
                ignored.append(label)
            continue
        if key in index:
            raise FileProblem(
                _("Columns “%(a)s” and “%(b)s” are both %(key)s; keep only one.")
                % {"a": labels[key], "b": label, "key": key},
                row=table.header_row,
            )
        index[key], labels[key] = i, label
    missing = [k for k in REQUIRED if k not in index]
    if missing:
        raise FileProblem(
            _("Row %(row)s must be the header row; required columns are missing: %(cols)s.")
            % {"row": table.header_row, "cols": ", ".join(missing)},
            row=table.header_row,
        )
    return Columns(index=index, labels=labels, ignored=ignored)


# --- cells -----------------------------------------------------------------------------------


class CellProblem(ValueError):
    pass


def text(value: Any, label: str = "", max_length: int | None = None) -> str:
    """A cell as trimmed text; numbers Excel stored as 12.0 come back as "12"."""
    if value is None:
        result = ""
    elif isinstance(value, bool):
        result = "ya" if value else "tidak"
    elif isinstance(value, float) and value.is_integer():
        result = str(int(value))
    elif isinstance(value, datetime | date):
        result = value.strftime("%Y-%m-%d")
    else:
        result = " ".join(str(value).split())
    if max_length and len(result) > max_length:
        raise CellProblem(
            _("%(col)s is too long: at most %(n)s characters (got %(got)s).")
            % {"col": label, "n": max_length, "got": len(result)}
        )
    return result


def nip(value: Any, label: str, *, today: date | None) -> tuple[str, rules.Nip]:
    if isinstance(value, float):
        # An 18-digit number is beyond what Excel keeps exactly: the last digits are already lost.
        raise CellProblem(
            _(
                "%(col)s is stored as a number, so Excel has rounded its last digits. "
                "Format the column as Text and type the NIP again."
            )
            % {"col": label}
        )
    raw = text(value).lstrip("'")
    try:
        return rules.normalise_nip(raw), rules.parse_nip(raw, today=today)
    except rules.NipError as exc:
        raise CellProblem(f"{label}: {exc}") from None


def integer(value: Any, label: str, *, low: int, high: int | None = None) -> int:
    raw = text(value)
    try:
        number = int(raw)
    except ValueError:
        raise CellProblem(
            _("%(col)s must be a whole number; “%(v)s” is not.") % {"col": label, "v": raw}
        ) from None
    if number < low or (high is not None and number > high):
        bounds = f"{low}–{high}" if high is not None else f"≥ {low}"
        raise CellProblem(
            _("%(col)s must be %(bounds)s (got %(v)s).")
            % {"col": label, "bounds": bounds, "v": raw}
        )
    return number


def decimal(value: Any, label: str) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raw = text(value)
    # Indonesian settings write -6,12 for -6.12; a comma is a decimal point only when alone.
    candidate = raw.replace(",", ".") if raw.count(",") == 1 and "." not in raw else raw
    try:
        return float(candidate)
    except ValueError:
        raise CellProblem(
            _("%(col)s must be a number such as -6.1201; “%(v)s” is not.")
            % {"col": label, "v": raw}
        ) from None


def boolean(value: Any, label: str) -> bool:
    raw = text(value).lower()
    if raw in YES:
        return True
    if raw in NO:
        return False
    raise CellProblem(
        _("%(col)s must be “ya” or “tidak”; “%(v)s” is not.") % {"col": label, "v": raw}
    )


def day(value: Any, label: str, *, is_xlsx: bool) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if is_xlsx and isinstance(value, int | float) and not isinstance(value, bool):
        # A date cell that lost its date format shows Excel's serial number (e.g. 44200).
        try:
            return from_excel(value).date()
        except (ValueError, OverflowError, TypeError):
            pass
    raw = text(value)
    for fmt in DATE_FORMATS:
        try:
            # time.strptime: a calendar date has no time zone, so no datetime is involved.
            return date(*time.strptime(raw, fmt)[:3])
        except ValueError:
            continue
    raise CellProblem(
        _("%(col)s: “%(v)s” is not a date. Write it as YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY.")
        % {"col": label, "v": raw}
    )


def asn_type(value: Any, label: str) -> str:
    raw = text(value).upper().replace(" ", "")
    if raw in ASN_TYPES:
        return str(ASN_TYPES[raw])
    raise CellProblem(
        _("%(col)s must be PNS or PPPK; “%(v)s” is not known.") % {"col": label, "v": text(value)}
    )


def unit_kind(value: Any, label: str) -> str:
    raw = re.sub(r"[\s_\-]+", "", text(value).lower())
    if raw in Unit.Kind.values:
        return raw
    if raw in UNIT_KIND_ALIASES:
        return str(UNIT_KIND_ALIASES[raw])
    raise CellProblem(
        _("%(col)s: “%(v)s” is not a known unit kind. Use one of: %(kinds)s.")
        % {"col": label, "v": text(value), "kinds": ", ".join(Unit.Kind.values)}
    )


def email(value: Any, label: str) -> str:
    raw = text(value, label, 254)
    try:
        validate_email(raw)
    except ValidationError:
        raise CellProblem(
            _("%(col)s: “%(v)s” is not an e-mail address.") % {"col": label, "v": raw}
        ) from None
    return raw


def column_help(column: Column) -> str:
    """The column's help in the active language, with the unit kinds spelled out."""
    return str(column.help) % {"kinds": ", ".join(Unit.Kind.values)}
