"""The public verification pages: anyone, logged out, checks a PDF or reads the register's record
behind a QR code; a copy with one changed byte is not valid; an agency CA's signature is said to
be not legally certified."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from darirumah.conftest import text

from .docs_fixtures import sign, small_pdf, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def signed(cast):
    doc = upload(cast, cast.bkpsdm, title="Kenaikan gaji berkala")
    sign(doc, cast.bkpsdm)
    doc.refresh_from_db()
    with doc.file.open("rb") as handle:
        return doc, handle.read()


def _check(client, data: bytes, name: str = "surat.pdf"):
    return client.post(
        reverse("documents-verify"), {"file": SimpleUploadedFile(name, data, "application/pdf")}
    )


def test_the_form_opens_logged_out(browse):
    response = browse().get(reverse("documents-verify"))
    assert response.status_code == 200
    page = text(response)
    assert 'type="file"' in page and "not legally certified" in page


def test_a_signed_file_is_valid_and_found_in_the_register(cast, browse, signed):
    doc, data = signed
    response = _check(browse(), data)
    assert response.status_code == 200
    page = text(response)
    assert "Valid: every signature is intact and trusted" in page
    assert "Petugas BKPSDM" in page
    assert "Agency CA: not legally certified (development)" in page
    assert doc.number in page and "Pemerintah Kota Serang Uji" in page
    assert "the latest version" in page
    assert reverse("documents-verify-code", args=[doc.code]) in page


def test_a_copy_with_one_changed_byte_is_not_valid(browse, signed):
    _doc, data = signed
    tampered = bytearray(data)
    at = tampered.index(b"Surat kenaikan")
    tampered[at] = ord("X")
    page = text(_check(browse(), bytes(tampered)))
    assert "Valid: every signature" not in page
    assert "Not valid: a signature does not match the file." in page
    assert "This file is not in the register of any agency here." in page


def test_an_unsigned_pdf_and_a_non_pdf(browse):
    client = browse()
    assert "Not signed: the PDF holds no electronic signature." in text(_check(client, small_pdf()))
    assert "Not a readable PDF." in text(_check(client, b"GIF89a not a pdf"))
    assert client.post(reverse("documents-verify"), {}).status_code == 400


def test_the_qr_record_is_public_without_the_file(cast, browse, signed):
    doc, _data = signed
    client = browse()
    response = client.get(reverse("documents-verify-code", args=[doc.code]))
    assert response.status_code == 200
    page = text(response)
    assert doc.number in page and doc.title in page and "Pemerintah Kota Serang Uji" in page
    assert "Petugas BKPSDM" in page and "signed " in page
    assert "Agency CA: not legally certified (development)" in page
    assert reverse("documents-file", args=[doc.pk]) not in page
    assert (
        client.get(reverse("documents-verify-code", args=[doc.code[:-1] + "x"])).status_code == 404
    )
