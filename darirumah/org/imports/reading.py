"""Uploaded bytes → a table of raw cells with the row numbers the spreadsheet shows.

The kind of file is judged by its content, never by its name: people rename files, and an .xlsx
saved as "data.csv" must still work (an XLSX is a zip archive, which starts with PK\\x03\\x04).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from django.utils.translation import gettext as _

from .report import FILE_ROW

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (Excel 97–2003)
DATA_SHEET = "Pegawai"
CSV_DELIMITERS = (";", ",", "\t")
# 20,000 real rows unpack to about 25 MB of XML. A workbook unpacking to more than this multiple
# of the upload limit is a "zip bomb" that would fill the memory when opened, not a staff list.
UNPACKED_RATIO = 10


class FileProblem(Exception):
    """The file as a whole cannot be imported; `row` is 0 (the file) or the header row."""

    def __init__(self, message: str, *, row: int = FILE_ROW):
        super().__init__(message)
        self.message = message
        self.row = row


@dataclass
class Table:
    header: list[Any]
    header_row: int
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)  # (row number, cells)
    is_xlsx: bool = False


def read_table(upload, *, max_bytes: int, max_rows: int) -> Table:
    data = _read_bytes(upload, max_bytes)
    if not data.strip():
        raise FileProblem(_("The file is empty."))
    if data.startswith(ZIP_MAGIC):
        _check_unpacked_size(data, max_bytes * UNPACKED_RATIO)
        table = _read_xlsx(data, max_rows)
    elif data.startswith(OLE2_MAGIC):
        raise FileProblem(
            _(
                "This is an old Excel 97–2003 file (.xls), which cannot be read. "
                "Open it in Excel and save it as .xlsx or as CSV UTF-8."
            )
        )
    else:
        table = _read_csv(data, max_rows)
    if not table.rows:
        raise FileProblem(_("The file has a header row but no data rows."))
    return table


def _read_bytes(upload, max_bytes: int) -> bytes:
    """The upload's bytes, refusing more than `max_bytes` without reading them all into memory."""
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        size = getattr(upload, "size", None)
        if size is not None and size > max_bytes:
            raise FileProblem(_too_big(max_bytes))
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileProblem(_too_big(max_bytes))
    return data


def _too_big(max_bytes: int) -> str:
    return _("The file is larger than %(mb)s MB. Split it into smaller files.") % {
        "mb": round(max_bytes / 1024 / 1024, 1)
    }


def _too_many_rows(max_rows: int) -> str:
    return _("The file has more than %(n)s data rows. Split it into smaller files.") % {
        "n": max_rows
    }


def _is_blank(cells) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _collect(rows, max_rows: int, *, is_xlsx: bool) -> Table:
    """Header = the first non-blank row; blank rows are skipped but keep their numbers."""
    table: Table | None = None
    for number, cells in rows:
        if _is_blank(cells):
            continue
        if table is None:
            table = Table(header=list(cells), header_row=number, is_xlsx=is_xlsx)
            continue
        if len(table.rows) >= max_rows:
            raise FileProblem(_too_many_rows(max_rows))
        table.rows.append((number, list(cells)))
    if table is None:
        raise FileProblem(_("The file is empty."))
    return table


def _damaged_xlsx() -> FileProblem:
    return FileProblem(
        _(
            "The file looks like an Excel workbook (.xlsx) but cannot be opened; it may be "
            "damaged. Save it again from Excel, or export it as CSV UTF-8."
        )
    )


def _check_unpacked_size(data: bytes, limit: int) -> None:
    try:
        unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise _damaged_xlsx() from exc
    if unpacked > limit:
        raise FileProblem(
            _("The workbook unpacks to more than %(mb)s MB. Split it into smaller files.")
            % {"mb": round(limit / 1024 / 1024)}
        )


def _read_xlsx(data: bytes, max_rows: int) -> Table:
    # openpyxl raises many different exceptions on a damaged or foreign zip (BadZipFile, KeyError,
    # InvalidFileException, XML errors…); for the person uploading they all mean the same thing.
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise _damaged_xlsx() from exc
    try:
        sheet = book[DATA_SHEET] if DATA_SHEET in book.sheetnames else book.worksheets[0]
        rows = enumerate(sheet.iter_rows(values_only=True), start=1)
        return _collect(rows, max_rows, is_xlsx=True)
    except FileProblem:
        raise
    except Exception as exc:
        raise _damaged_xlsx() from exc
    finally:
        book.close()


def _read_csv(data: bytes, max_rows: int) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:
        raise FileProblem(
            _(
                "The file is neither an Excel workbook (.xlsx) nor CSV text in UTF-8. "
                "In Excel use Save As → “CSV UTF-8 (comma delimited)” or “Excel Workbook”."
            )
        )
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    # Excel writes ";" where the decimal separator is a comma (Indonesian settings) and ","
    # elsewhere; the header row (plain names) tells which one this file uses.
    delimiter = max(CSV_DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _collect(enumerate(reader, start=1), max_rows, is_xlsx=False)
    except csv.Error as exc:
        raise FileProblem(
            _("The CSV file cannot be read (%(why)s). Export it from Excel again.") % {"why": exc}
        ) from exc
