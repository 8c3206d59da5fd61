"""POST /api/v1/employees/import: multipart field `file`, query `dry_run`."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from darirumah.org.imports import sample
from darirumah.org.models import Employee
from darirumah.org.tests.test_import import csv_file, english, nip, row, snapshot

__all__ = ["english"]  # the autouse fixture, shared

URL = "/api/v1/employees/import"


def post(client, data: bytes, *, name: str = "pegawai.xlsx", query: str = ""):
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(f"{URL}{query}", {"file": upload}, HTTP_ACCEPT_LANGUAGE="en")


# Each test logs in before its snapshot(): logging in saves the user, which writes a history row.


def test_dry_run_returns_the_report_and_writes_nothing(client, cast):
    client.force_login(cast.bkpsdm.user)
    before = snapshot()
    response = post(client, sample.to_xlsx([row(0), row(1)]), query="?dry_run=true")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["dry_run"] is True and body["imported"] is False
    assert (body["rows"], body["created"], body["errors"]) == (2, 2, [])
    assert snapshot() == before


def test_import_returns_200_with_the_report(client, cast):
    client.force_login(cast.bkpsdm.user)
    response = post(client, csv_file([row(0)]), name="pegawai.csv")
    assert response.status_code == 200, response.content
    assert response.json()["imported"] is True
    assert Employee.objects.get(nip=nip(0)).unit == cast.setda


def test_bad_rows_return_400_with_every_row_named(client, cast):
    client.force_login(cast.bkpsdm.user)
    before = snapshot()
    response = post(client, csv_file([row(0, NAMA=""), row(1), row(2, KELAS_JABATAN="x")]))
    assert response.status_code == 400
    body = response.json()
    assert body["imported"] is False
    assert [(e["row"], e["nip"]) for e in body["errors"]] == [(2, nip(0)), (4, nip(2))]
    assert "NAMA is required" in body["errors"][0]["problems"][0]
    assert snapshot() == before


def test_an_unreadable_file_returns_400_not_500(client, cast):
    client.force_login(cast.bkpsdm.user)
    response = post(client, b"PK\x03\x04broken")
    assert response.status_code == 400
    assert response.json()["errors"][0]["row"] == 0


def test_a_pegawai_gets_403(client, cast):
    client.force_login(cast.pegawai.user)
    before = snapshot()
    response = post(client, csv_file([row(0)]))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert snapshot() == before


def test_an_admin_opd_gets_403(client, cast):
    client.force_login(cast.admin_opd.user)
    assert post(client, csv_file([row(0)])).status_code == 403


def test_bkpsdm_of_another_agency_cannot_import_into_ours(client, cast):
    client.force_login(cast.outsider_bkpsdm.user)
    before = snapshot()
    response = post(client, csv_file([row(0)]), query=f"?agency={cast.agency.pk}")
    assert response.status_code in (403, 404)
    assert snapshot() == before


def test_bkpsdm_of_another_agency_imports_into_their_own(client, cast):
    client.force_login(cast.outsider_bkpsdm.user)
    response = post(client, csv_file([row(0, KODE_UNIT="SETDA")]))
    assert response.status_code == 200, response.content
    assert Employee.objects.get(nip=nip(0)).agency == cast.other_agency
