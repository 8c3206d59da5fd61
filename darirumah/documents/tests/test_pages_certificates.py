"""Certificates and number formats pages: request one from the agency CA (development, not
legally certified), import a PKCS#12, revoke; BKPSDM sees the agency's; the agency CA as PEM;
the number formats (BKPSDM edits, others read); the Documents menu."""

from __future__ import annotations

import pytest
from cryptography import x509
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from darirumah.conftest import text
from darirumah.documents.models import AgencyCA, LetterFormat, SigningCertificate

from .docs_fixtures import pkcs12_file

pytestmark = pytest.mark.django_db


def test_request_a_certificate_then_revoke_it(cast, browse):
    client = browse(cast.pegawai.user)
    empty = text(client.get(reverse("documents-certificates")))
    assert "No certificates yet." in empty and "not legally certified" in empty
    response = client.post(reverse("documents-certificate-issue"), follow=True)
    page = text(response)
    cert = SigningCertificate.objects.get(user=cast.pegawai.user)
    assert cert.source == SigningCertificate.Source.AGENCY_CA
    assert cert.serial in page and "not legally certified" in page
    assert reverse("documents-ca-pem") in page

    no_reason = client.post(reverse("documents-certificate-revoke", args=[cert.pk]), {"reason": ""})
    assert no_reason.status_code == 400
    done = client.post(
        reverse("documents-certificate-revoke", args=[cert.pk]),
        {"reason": "Ponsel hilang"},
        follow=True,
    )
    assert "it can no longer sign" in text(done) and "Ponsel hilang" in text(done)
    cert.refresh_from_db()
    assert cert.revoked_at is not None and cert.revoked_by == cast.pegawai.user
    again = client.post(
        reverse("documents-certificate-revoke", args=[cert.pk]), {"reason": "Lagi"}, follow=True
    )
    assert "This certificate is already revoked." in text(again)


def test_import_a_pkcs12_and_a_wrong_passphrase(cast, browse):
    client = browse(cast.kepala.user)
    data = pkcs12_file(name="Kepala Dukcapil")
    wrong = client.post(
        reverse("documents-certificate-import"),
        {"passphrase": "salah", "file": SimpleUploadedFile("a.p12", data)},
    )
    assert wrong.status_code == 400 and not SigningCertificate.objects.exists()
    done = client.post(
        reverse("documents-certificate-import"),
        {"passphrase": "rahasia", "file": SimpleUploadedFile("a.p12", data)},
        follow=True,
    )
    cert = SigningCertificate.objects.get()
    assert cert.source == SigningCertificate.Source.PKCS12 and cert.user == cast.kepala.user
    assert "imported" in text(done)
    twice = client.post(
        reverse("documents-certificate-import"),
        {"passphrase": "rahasia", "file": SimpleUploadedFile("a.p12", data)},
    )
    assert twice.status_code == 400 and "already registered" in text(twice)


def test_bkpsdm_sees_and_revokes_the_agency_certificates(cast, browse):
    browse(cast.pegawai.user).post(reverse("documents-certificate-issue"))
    cert = SigningCertificate.objects.get(user=cast.pegawai.user)
    bkpsdm = browse(cast.bkpsdm.user)
    page = text(bkpsdm.get(reverse("documents-certificates")))
    assert "The agency's signing certificates" in page and "Pegawai Pelayanan" in page
    # Nobody else sees it, let alone revokes it.
    assert cert.serial not in text(browse(cast.kepala.user).get(reverse("documents-certificates")))
    outsider = browse(cast.outsider_bkpsdm.user).post(
        reverse("documents-certificate-revoke", args=[cert.pk]), {"reason": "x"}
    )
    assert outsider.status_code == 404
    done = bkpsdm.post(
        reverse("documents-certificate-revoke", args=[cert.pk]), {"reason": "Pindah tugas"}
    )
    assert done.status_code == 302
    assert SigningCertificate.objects.get(pk=cert.pk).revoked_by == cast.bkpsdm.user


def test_the_agency_ca_certificate_downloads_as_pem(cast, browse):
    client = browse(cast.pegawai.user)
    assert client.get(reverse("documents-ca-pem")).status_code == 404  # no CA yet
    client.post(reverse("documents-certificate-issue"))
    response = client.get(reverse("documents-ca-pem"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('serang-uji-ca.pem"')
    ca = x509.load_pem_x509_certificate(response.content)
    assert (
        ca.subject.rfc4514_string()
        == x509.load_pem_x509_certificate(
            AgencyCA.objects.get(agency=cast.agency).certificate_pem.encode()
        ).subject.rfc4514_string()
    )
    # Another agency's staff get their own agency's CA: here, none yet.
    assert browse(cast.outsider.user).get(reverse("documents-ca-pem")).status_code == 404


def test_bkpsdm_edits_a_number_format_and_others_read(cast, browse):
    client = browse(cast.bkpsdm.user)
    page = text(client.get(reverse("documents-formats")))
    assert "{seq}/SP-WFH/{unit}/{month_roman}/{year}" in page and "Save" in page
    bad = client.post(
        reverse("documents-formats"),
        {"kind": "statement", "statement-pattern": "SP/{year}", "statement-code": "SP"},
    )
    assert bad.status_code == 400 and "Add {seq}" in text(bad)
    done = client.post(
        reverse("documents-formats"),
        {"kind": "statement", "statement-pattern": "{seq}/SPK/{year}", "statement-code": "SPK"},
        follow=True,
    )
    assert "is saved" in text(done)
    assert (
        LetterFormat.objects.get(agency=cast.agency, kind="statement").pattern == "{seq}/SPK/{year}"
    )
    reader = browse(cast.kepala.user)
    shown = text(reader.get(reverse("documents-formats")))
    assert "{seq}/SPK/{year}" in shown and "Save" not in shown
    refused = reader.post(
        reverse("documents-formats"),
        {"kind": "statement", "statement-pattern": "{seq}/X/{year}"},
    )
    assert refused.status_code == 403


def test_the_documents_menu(cast, browse):
    pegawai = text(browse(cast.pegawai.user).get(reverse("documents-inbox")))
    assert 'id="nav-documents"' in pegawai
    assert reverse("documents-inbox") in pegawai and reverse("documents-new") not in pegawai
    assert reverse("documents-statements-index") not in pegawai
    head = text(browse(cast.kepala.user).get(reverse("documents-inbox")))
    assert reverse("documents-new") in head and reverse("documents-statements-index") in head
    anonymous = text(browse().get(reverse("documents-verify")))
    assert 'id="nav-documents"' not in anonymous
