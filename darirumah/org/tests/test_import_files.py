"""The import's files: CSV and XLSX as people really send them, the template, the documented
examples, and the `darirumah import_employees` command."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from io import StringIO

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from darirumah.org import imports
from darirumah.org.access import access_for
from darirumah.org.imports import columns, sample
from darirumah.org.models import Employee, Unit
from darirumah.org.tests.test_import import csv_file, english, nip, row, run, snapshot

__all__ = ["english"]  # the autouse fixture, shared

DOCS = settings.BASE_DIR / "docs"


def xlsx_file(header: list, *rows: list) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(header)
    for values in rows:
        book.active.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def only_problem(report) -> str:
    [error] = report.errors
    assert error.row == 0
    return error.problems[0]


# --- CSV and XLSX as they come -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("delimiter", "bom"), [(";", True), (";", False), (",", True), (",", False), ("\t", False)]
)
def test_csv_with_semicolons_or_commas_with_or_without_bom(cast, delimiter, bom):
    data = csv_file([row(0, NAMA="Siti Aminah, S.Kom."), row(1)], delimiter=delimiter, bom=bom)
    report = run(cast.bkpsdm.user, data, cast.agency)
    assert report.imported, report.errors
    assert Employee.objects.get(nip=nip(0)).name == "Siti Aminah, S.Kom."


def cast_access(cast):
    return access_for(cast.bkpsdm.user)


def test_kind_is_judged_by_content_not_by_name(cast):
    data = sample.to_xlsx([row(0)])
    upload = SimpleUploadedFile("pegawai.csv", data, content_type="text/csv")
    report = imports.import_employees(
        access=cast_access(cast), agency=cast.agency, upload=upload, filename="x.csv", dry_run=False
    )
    assert report.imported


def test_headers_ignore_case_spaces_and_accept_english_names(cast):
    header = ["nip", " Name ", "Position", "unit code", "Home Latitude", "home-longitude", "Agama"]
    data = xlsx_file(header, [nip(0), "Budi", "Analis", "SETDA", -6.2, 106.8, "Islam"])
    report = run(cast.bkpsdm.user, data, cast.agency)
    assert report.imported, report.errors
    assert "Columns not used: Agama" in report.message
    employee = Employee.objects.get(nip=nip(0))
    assert (employee.name, employee.home_latitude) == ("Budi", -6.2)


def test_header_aliases_cover_every_column():
    for column in columns.COLUMNS:
        for name in (column.key, *column.aliases):
            assert columns._BY_NAME[columns.header_key(name.lower().replace("_", " "))] == (
                column.key
            )


def test_missing_required_columns_are_named_on_the_header_row(cast):
    report = run(cast.bkpsdm.user, xlsx_file(["NIP", "NAMA"], [nip(0), "Budi"]), cast.agency)
    [error] = report.errors
    assert error.row == 1
    assert "JABATAN, KODE_UNIT" in error.problems[0]


def test_a_column_given_twice_is_refused(cast):
    data = xlsx_file(["NIP", "NAMA", "NAME", "JABATAN", "KODE_UNIT"], [nip(0), "a", "b", "c", "d"])
    assert "are both NAMA" in run(cast.bkpsdm.user, data, cast.agency).errors[0].problems[0]


def test_row_numbers_are_the_spreadsheets_even_with_blank_rows(cast):
    header = ["NIP", "NAMA", "JABATAN", "KODE_UNIT"]
    data = xlsx_file(
        header, [nip(0), "A", "x", "SETDA"], [], [None, "  "], [nip(1), "", "x", "SETDA"]
    )
    report = run(cast.bkpsdm.user, data, cast.agency)
    assert [e.row for e in report.errors] == [5]
    assert report.rows == 2


def test_rows_with_values_only_in_unused_columns_are_blank(cast):
    header = ["No.", "NIP", "NAMA", "JABATAN", "KODE_UNIT"]
    data = xlsx_file(header, [1, nip(0), "A", "x", "SETDA"], [2], [3])
    report = run(cast.bkpsdm.user, data, cast.agency)
    assert report.imported, report.errors
    assert report.rows == 1


def test_dates_as_excel_dates_serial_numbers_and_three_text_formats(cast):
    header = ["NIP", "NAMA", "JABATAN", "KODE_UNIT", "TMT_JABATAN"]
    values = [
        datetime(2021, 1, 4),
        date(2021, 1, 5),
        44202,  # Excel's serial number for 2021-01-06
        "2021-01-07",
        "08-01-2021",
        "09/01/2021",
    ]
    lines = [[nip(i), f"P{i}", "Analis", "SETDA", v] for i, v in enumerate(values)]
    report = run(cast.bkpsdm.user, xlsx_file(header, *lines), cast.agency)
    assert report.imported, report.errors
    placed = [Employee.objects.get(nip=nip(i)).placed_on.day for i in range(len(values))]
    assert placed == [4, 5, 6, 7, 8, 9]


def test_a_nip_stored_as_a_number_in_excel_is_refused_with_advice(cast):
    header = ["NIP", "NAMA", "JABATAN", "KODE_UNIT"]
    # Excel (and openpyxl) keep 15 significant digits of a number: 18 digits come back rounded.
    data = xlsx_file(header, [nip(1), "B", "x", "SETDA"], [int(nip(0)), "A", "x", "SETDA"])
    report = run(cast.bkpsdm.user, data, cast.agency)
    assert [e.row for e in report.errors] == [3]
    assert "Format the column as Text" in report.errors[0].problems[0]


def test_numbers_written_the_indonesian_way(cast):
    data = csv_file([row(0, LINTANG_RUMAH="-6,1201", BUJUR_RUMAH="106,15", KELAS_JABATAN="9")])
    assert run(cast.bkpsdm.user, data, cast.agency).imported
    employee = Employee.objects.get(nip=nip(0))
    assert (employee.home_latitude, employee.home_longitude, employee.job_class) == (
        -6.1201,
        106.15,
        9,
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "The file is empty"),
        (b"  \r\n ;;; \r\n", "The file is empty"),
        (b"NIP;NAMA;JABATAN;KODE_UNIT\r\n", "no data rows"),
        (b"NO;NIP;NAMA;JABATAN;KODE_UNIT\r\n1;;;;\r\n2\r\n", "no data rows in the columns"),
        (b"PK\x03\x04 this is not really a workbook", "cannot be opened"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old Excel 97"),
        ("NIP;NAMA\r\n1;Dédé\r\n".encode("cp1252"), "UTF-8"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "UTF-8"),
    ],
    ids=[
        "empty",
        "blank",
        "header only",
        "only unused columns",
        "corrupt xlsx",
        "old xls",
        "not utf-8",
        "image",
    ],
)
def test_a_file_that_cannot_be_read_gives_one_clear_error(cast, data, expected):
    before = snapshot()
    report = run(cast.bkpsdm.user, data, cast.agency)
    assert expected in only_problem(report)
    assert report.message == report.errors[0].problems[0]
    assert snapshot() == before


def test_a_file_over_the_size_limit_is_refused_before_reading(cast, settings):
    settings.IMPORT_MAX_BYTES = 100
    upload = SimpleUploadedFile("big.csv", csv_file([row(i) for i in range(5)]))
    report = imports.import_employees(
        access=cast_access(cast), agency=cast.agency, upload=upload, filename="", dry_run=True
    )
    assert "larger than" in only_problem(report)


def test_a_workbook_that_unpacks_to_far_more_than_the_limit_is_refused(cast, settings):
    settings.IMPORT_MAX_BYTES = 10_000
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("xl/worksheets/sheet1.xml", "<row/>" * 100_000)
    report = run(cast.bkpsdm.user, out.getvalue(), cast.agency)
    assert "unpacks to more than" in only_problem(report)


def test_a_file_over_the_row_limit_is_refused(cast, settings):
    settings.IMPORT_MAX_ROWS = 3
    report = run(cast.bkpsdm.user, csv_file([row(i) for i in range(4)]), cast.agency)
    assert "more than 3 data rows" in only_problem(report)


# --- the template and the documented examples --------------------------------------------------


def test_xlsx_template_has_the_columns_an_example_and_a_guide():
    book = openpyxl.load_workbook(io.BytesIO(imports.template_xlsx()))
    assert book.sheetnames == ["Pegawai", "Petunjuk"]
    data = book["Pegawai"]
    header = [c.value for c in data[1]]
    assert header == [c.key for c in columns.COLUMNS]
    example = dict(zip(header, [c.value for c in data[2]], strict=True))
    assert example["NIP"] == "198503152010011001"
    assert data["A2"].number_format == "@"  # text, so Excel keeps all 18 digits
    guide = "\n".join(str(c.value) for line in book["Petunjuk"].iter_rows() for c in line)
    for column in columns.COLUMNS:
        assert column.key in guide
    assert "sekretariat, dinas, badan" in guide  # the unit kinds are spelled out


def test_csv_template_matches_the_xlsx_template():
    text = imports.template_csv()
    assert text.startswith("\ufeff")
    header, example = text.lstrip("\ufeff").splitlines()
    assert header.split(";") == [c.key for c in columns.COLUMNS]
    assert example.split(";")[0] == "198503152010011001"


def test_the_filled_in_template_imports(cast):
    book = openpyxl.load_workbook(io.BytesIO(imports.template_xlsx()))
    sheet = book["Pegawai"]
    header = [c.value for c in sheet[1]]
    filled = {
        "KODE_UNIT": "BKPSDM",
        "NAMA_UNIT": None,
        "JENIS_UNIT": None,
        "KODE_UNIT_INDUK": None,
        "NIP_ATASAN": None,
    }
    for key, value in filled.items():
        sheet.cell(row=2, column=header.index(key) + 1).value = value
    out = io.BytesIO()
    book.save(out)
    report = run(cast.bkpsdm.user, out.getvalue(), cast.agency)
    assert report.imported, report.errors
    employee = Employee.objects.get(nip="198503152010011001")
    assert (employee.unit, employee.office) == (cast.bkpsdm_unit, cast.office)


def test_the_documented_template_names_every_column_and_alias():
    page = (DOCS / "import-template.md").read_text()
    for column in columns.COLUMNS:
        for name in (column.key, *column.aliases):
            assert f"`{name}`" in page, name


@pytest.mark.parametrize("name", ["contoh-impor-pegawai.csv", "contoh-impor-pegawai.xlsx"])
def test_the_documented_example_imports(cast, name):
    report = run(cast.bkpsdm.user, (DOCS / name).read_bytes(), cast.agency)
    assert report.imported, report.errors
    assert (report.rows, report.created, report.units_created) == (10, 10, 3)
    puskesmas = Unit.objects.get(agency=cast.agency, code="PKM-KASEMEN")
    assert (puskesmas.parent.code, puskesmas.kind, puskesmas.serves_public) == (
        "DINKES",
        "puskesmas",
        True,
    )
    assert puskesmas.min_on_site == 3
    assert puskesmas.path == f"{puskesmas.parent.path}{puskesmas.pk}/"
    assert Employee.objects.get(nip="199501072022032001").supervisor.nip == "198301152008011003"
    # The import checks rows itself (in bulk); what it saves must pass the models' own rules.
    for employee in Employee.objects.filter(agency=cast.agency):
        employee.full_clean()
    for unit in Unit.objects.filter(agency=cast.agency):
        unit.full_clean()


# --- the command -------------------------------------------------------------------------------


def call(*args) -> str:
    out = StringIO()
    call_command("import_employees", *args, stdout=out)
    return out.getvalue()


def test_command_dry_run_then_import(cast, tmp_path):
    path = tmp_path / "pegawai.csv"
    path.write_bytes(csv_file([row(0), row(1)]))
    output = call(str(path), "--agency", cast.agency.code, "--dry-run")
    assert "created=2" in output and "imported=False" in output
    assert not Employee.objects.filter(nip=nip(0)).exists()
    output = call(str(path), "--agency", cast.agency.code)
    assert "imported=True" in output
    assert Employee.objects.filter(nip=nip(0)).exists()


def test_command_lists_every_bad_row_and_fails(cast, tmp_path):
    path = tmp_path / "pegawai.xlsx"
    path.write_bytes(sample.to_xlsx([row(0, NAMA=""), row(1), row(2, KODE_UNIT="NOPE")]))
    out = StringIO()
    with pytest.raises(CommandError, match="2 rows have problems"):
        call_command("import_employees", str(path), "--agency", cast.agency.code, stdout=out)
    lines = out.getvalue().splitlines()
    assert any(line.startswith(f"  row 2 (NIP {nip(0)}): NAMA is required") for line in lines)
    assert any(line.startswith("  row 4") and "NOPE" in line for line in lines)


def test_command_needs_the_agency_when_there_are_several(cast, tmp_path):
    path = tmp_path / "pegawai.csv"
    path.write_bytes(csv_file([row(0)]))
    with pytest.raises(CommandError, match="--agency"):
        call(str(path))
    with pytest.raises(CommandError, match="no agency with code"):
        call(str(path), "--agency", "tidak-ada")


def test_command_as_a_user_checks_their_right(cast, tmp_path):
    path = tmp_path / "pegawai.csv"
    path.write_bytes(csv_file([row(0)]))
    with pytest.raises(CommandError):
        call(str(path), "--agency", cast.agency.code, "--user", cast.pegawai.user.username)
    output = call(str(path), "--agency", cast.agency.code, "--user", cast.bkpsdm.user.username)
    assert "imported=True" in output
    employee = Employee.objects.get(nip=nip(0))
    assert employee.history.get().history_user == cast.bkpsdm.user


def test_command_reports_a_missing_file(cast, tmp_path):
    with pytest.raises(CommandError, match="Cannot open"):
        call(str(tmp_path / "tidak-ada.xlsx"), "--agency", cast.agency.code)
