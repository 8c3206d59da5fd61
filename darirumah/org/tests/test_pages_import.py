"""The import page: upload, dry run by default, the per-row report, the template downloads."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from darirumah.conftest import text
from darirumah.org import imports
from darirumah.org.models import Employee
from darirumah.org.tests.factories import nip_for


def csv_file(*rows: str, name="pegawai.csv") -> SimpleUploadedFile:
    body = "\n".join(["NIP;NAMA;JABATAN;KODE_UNIT", *rows]) + "\n"
    return SimpleUploadedFile(name, body.encode(), content_type="text/csv")


GOOD = f"{nip_for(7001)};Budi Impor;Analis;DISDUKCAPIL"


def test_the_form_has_dry_run_ticked_and_template_links(browse, cast):
    page = text(browse(cast.bkpsdm.user).get(reverse("employee_import")))
    assert re.search(r'type="checkbox" name="dry_run"[^>]*checked', page)
    assert reverse("import_template", args=["xlsx"]) in page
    assert reverse("import_template", args=["csv"]) in page
    assert 'name="agency"' not in page  # BKPSDM imports into its own agency only


def test_a_dry_run_reports_and_writes_nothing(browse, cast):
    response = browse(cast.bkpsdm.user).post(
        reverse("employee_import"), {"file": csv_file(GOOD), "dry_run": "on"}
    )
    page = text(response)
    assert response.status_code == 200
    assert "Dry run" in page
    assert re.search(r"Employees to add</dt><dd[^>]*>1<", page)
    assert not Employee.objects.filter(name="Budi Impor").exists()


def test_a_real_import_writes_and_says_so(browse, cast):
    response = browse(cast.bkpsdm.user).post(reverse("employee_import"), {"file": csv_file(GOOD)})
    page = text(response)
    assert "The import is done." in page
    assert re.search(r"Employees added</dt><dd[^>]*>1<", page)
    assert Employee.objects.get(name="Budi Impor").unit == cast.disdukcapil


def test_bad_rows_are_listed_with_their_problems(browse, cast):
    response = browse(cast.bkpsdm.user).post(
        reverse("employee_import"),
        {"file": csv_file(GOOD, "12345;Salah NIP;Analis;DISDUKCAPIL")},
    )
    page = text(response)
    assert response.status_code == 200
    assert "1 row with problems" in page
    row = re.search(r"<tr>\s*<td[^>]*>3</td>\s*<td[^>]*>12345</td>\s*<td>(.*?)</td>", page, re.S)
    assert row and "18 digits" in row.group(1)
    assert not Employee.objects.filter(name="Budi Impor").exists()  # all or nothing


def test_an_unreadable_file_is_reported_not_raised(browse, cast):
    old_excel = SimpleUploadedFile("data.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 64)
    response = browse(cast.bkpsdm.user).post(reverse("employee_import"), {"file": old_excel})
    page = text(response)
    assert response.status_code == 200
    assert "Excel 97" in page
    assert re.search(r"<td[^>]*>file</td>", page)


def test_an_empty_file_is_a_field_error(browse, cast):
    empty = SimpleUploadedFile("kosong.csv", b"", content_type="text/csv")
    response = browse(cast.bkpsdm.user).post(reverse("employee_import"), {"file": empty})
    assert response.status_code == 200
    assert 'id="id_file_error"' in text(response)


def test_a_missing_file_is_a_form_error(browse, cast):
    response = browse(cast.bkpsdm.user).post(reverse("employee_import"), {"dry_run": "on"})
    assert response.status_code == 200
    assert 'id="id_file_error"' in text(response)


def test_the_report_shown_is_the_one_the_importer_returns(browse, cast, monkeypatch):
    report = imports.ImportReport(
        dry_run=True,
        rows=2,
        errors=[imports.RowError(row=0, nip="", problems=["The file is damaged."])],
        message="Nothing was imported.",
    )
    monkeypatch.setattr(imports, "import_employees", lambda **kwargs: report)
    page = text(browse(cast.bkpsdm.user).post(reverse("employee_import"), {"file": csv_file()}))
    assert "Nothing was imported." in page
    assert re.search(r"<td[^>]*>file</td>", page)  # row 0 is the file as a whole
    assert "The file is damaged." in page


def test_templates_download_as_attachments(browse, cast):
    client = browse(cast.bkpsdm.user)
    xlsx = client.get(reverse("import_template", args=["xlsx"]))
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in xlsx["Content-Disposition"]
    assert xlsx.content[:2] == b"PK"
    csv = client.get(reverse("import_template", args=["csv"]))
    assert csv["Content-Type"].startswith("text/csv")
    assert "attachment" in csv["Content-Disposition"]
    assert csv.content.startswith("\ufeff".encode())  # one byte-order mark, for Excel
    assert not csv.content.startswith(("\ufeff" * 2).encode())
    assert b"NIP" in csv.content
    assert client.get(reverse("import_template", args=["pdf"])).status_code == 404


def test_only_bkpsdm_and_the_operator_import(browse, cast):
    for user in (cast.pegawai.user, cast.admin_opd.user, cast.pimpinan.user):
        assert browse(user).get(reverse("employee_import")).status_code == 403
        assert (
            browse(user).post(reverse("employee_import"), {"file": csv_file(GOOD)}).status_code
            == 403
        )
    assert not Employee.objects.filter(name="Budi Impor").exists()


def test_the_operator_picks_the_agency(browse, cast):
    client = browse(cast.operator)
    page = text(client.get(reverse("employee_import")))
    assert '<select name="agency"' in page
    response = client.post(
        reverse("employee_import"), {"file": csv_file(GOOD), "agency": cast.agency.pk}
    )
    assert "The import is done." in text(response)
    assert Employee.objects.get(name="Budi Impor").agency == cast.agency


def test_bkpsdm_cannot_import_into_another_agency(browse, cast):
    response = browse(cast.outsider_bkpsdm.user).post(
        reverse("employee_import"), {"file": csv_file(GOOD), "agency": cast.agency.pk}
    )
    assert response.status_code == 404
    assert not Employee.objects.filter(name="Budi Impor").exists()
