"""The downloadable template: the header row, one example row, and a "Petunjuk" (guide) sheet."""

from __future__ import annotations

import csv
import io

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from darirumah.org.models import Unit

from .columns import COLUMNS, YES, Column, column_help
from .reading import DATA_SHEET

GUIDE_SHEET = "Petunjuk"
TEXT_FORMAT = "@"  # Excel's "Text" number format: long digit strings keep every digit
VALIDATED_ROWS = 20_001
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
CHOICES = {
    "JENIS_ASN": ("PNS", "PPPK"),
    "JENIS_UNIT": tuple(Unit.Kind.values),
    "UNIT_LAYANAN_PUBLIK": ("ya", "tidak"),
    "AKTIF": ("ya", "tidak"),
}


def example_row() -> list[str]:
    return [c.example for c in COLUMNS]


def template_csv() -> str:
    """The template as CSV text separated by ";" (what Excel expects with Indonesian settings).

    It starts with a byte-order mark so Excel opens it as UTF-8; encode it as UTF-8 to serve it.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.key for c in COLUMNS])
    writer.writerow(example_row())
    return "\ufeff" + out.getvalue()


def template_xlsx() -> bytes:
    """The template as an Excel workbook: sheet "Pegawai" to fill in, sheet "Petunjuk" to read."""
    book = openpyxl.Workbook()
    _data_sheet(book.active)
    _guide_sheet(book.create_sheet(GUIDE_SHEET))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _data_sheet(ws) -> None:
    ws.title = DATA_SHEET
    ws.append([c.key for c in COLUMNS])
    ws.append(example_row())
    ws.freeze_panes = "A2"
    for i, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(i)
        header = ws.cell(row=1, column=i)
        header.font = Font(bold=True, color="C00000" if column.required else "000000")
        header.fill = HEADER_FILL
        ws.column_dimensions[letter].width = max(14, len(column.key) + 2, len(column.example) + 2)
        if column.text:
            ws.column_dimensions[letter].number_format = TEXT_FORMAT
            ws.cell(row=2, column=i).number_format = TEXT_FORMAT
        if column.key in CHOICES:
            _choices(ws, letter, CHOICES[column.key])


def _choices(ws, letter: str, values: tuple[str, ...]) -> None:
    """A drop-down list; other values are still accepted (e.g. "P3K"), so only a warning."""
    rule = DataValidation(
        type="list", formula1='"' + ",".join(values) + '"', allow_blank=True, errorStyle="warning"
    )
    rule.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
    ws.add_data_validation(rule)


def _guide_sheet(ws) -> None:
    ws.append([_("How to fill in the import file")])
    ws["A1"].font = Font(bold=True, size=14)
    for line in _general_notes():
        ws.append([line])
    ws.append([])
    header = [_("Column"), _("Required"), _("What to fill in"), _("Example"), _("Also accepted as")]
    ws.append(header)
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    for column in COLUMNS:
        ws.append(_guide_line(column))
    for letter, width in zip("ABCDE", (24, 10, 80, 26, 44), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _guide_line(column: Column) -> list[str]:
    return [
        column.key,
        _("yes") if column.required else "",
        column_help(column),
        column.example,
        ", ".join(column.aliases),
    ]


def _general_notes() -> list[str]:
    return [
        _("Fill in the sheet “%(sheet)s”: row 1 is the header, then one row per employee.")
        % {"sheet": DATA_SHEET},
        _("Replace the example in row 2. Column names may be in any order and any case."),
        _("Required: NIP, NAMA, JABATAN, KODE_UNIT; for a new unit also NAMA_UNIT and JENIS_UNIT."),
        _(
            "A unit is described by the rows of its employees; repeat the same values or fill "
            "them in once. A row with only unit columns describes a unit without its own staff."
        ),
        _("Re-importing updates employees by NIP. An empty cell never erases a stored value."),
        _(
            "All or nothing: if any row has a problem, nothing is imported and every problem is "
            "listed with its row number. Use “check only” (dry run) first."
        ),
        _("Yes/no columns accept: %(yes)s.") % {"yes": ", ".join(sorted(YES))},
    ]
