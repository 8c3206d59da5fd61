"""The signing pages: "My documents to sign" with its one-tap button, the detail page's Sign
form, and every refusal shown as a message on the page (never an error page)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from darirumah.conftest import text
from darirumah.documents.models import Document, SigningCertificate
from darirumah.documents.selectors.verification import verify_document
from darirumah.documents.services.certificates import certificate_issue, certificate_revoke
from darirumah.org.access import access_for

from .docs_fixtures import pkcs12_file, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _current(document: Document) -> bytes:
    document.refresh_from_db()
    with document.file.open("rb") as handle:
        return handle.read()


def test_one_tap_from_the_inbox_makes_a_valid_signature(cast, browse):
    doc = upload(cast, cast.pegawai, title="Surat pernyataan bekerja dari rumah")
    client = browse(cast.pegawai.user)
    inbox = client.get(reverse("documents-inbox"))
    assert inbox.status_code == 200
    page = text(inbox)
    assert "Surat pernyataan bekerja dari rumah" in page
    assert reverse("documents-sign", args=[doc.pk]) in page
    assert "not legally certified" in page  # the agency CA issues the first certificate
    assert 'name="passphrase"' not in page  # one tap: nothing to type

    response = client.post(reverse("documents-sign", args=[doc.pk]), {"next": "inbox"})
    assert response.status_code == 302 and response["Location"] == reverse("documents-inbox")
    after = text(client.get(reverse("documents-inbox")))
    assert "Nothing waits for your signature." in after
    assert "You signed" in after

    result = verify_document(_current(doc))
    assert result.verdict == "valid"
    assert [s.signer_name for s in result.report.signatures] == ["Pegawai Pelayanan"]
    assert result.match is not None and result.match.latest and result.match.version == 1
    assert Document.objects.get(pk=doc.pk).status == Document.Status.SIGNED


def test_the_inbox_lists_what_waits_for_others_first_and_signed_statements(cast, browse):
    upload(cast, cast.kepala, cast.pegawai, unit=cast.disdukcapil, title="Surat berurutan")
    page = text(browse(cast.pegawai.user).get(reverse("documents-inbox")))
    assert "Waiting for others first" in page and "Surat berurutan" in page
    assert "Nothing waits for your signature." in page


def test_signing_out_of_order_shows_whose_turn_it_is(cast, browse):
    doc = upload(cast, cast.kepala, cast.bkpsdm, unit=cast.disdukcapil)
    client = browse(cast.bkpsdm.user)
    detail = text(client.get(reverse("documents-detail", args=[doc.pk])))
    assert "Their turn now" in detail and "You sign after Kepala Dukcapil" in detail
    response = client.post(reverse("documents-sign", args=[doc.pk]))
    assert response.status_code == 409
    assert "It is not your turn yet: Kepala Dukcapil" in text(response)
    assert Document.objects.get(pk=doc.pk).revisions.count() == 1


def test_someone_who_is_not_a_signer_gets_the_message(cast, browse):
    doc = upload(cast, cast.kepala, unit=cast.disdukcapil)
    response = browse(cast.pimpinan.user).post(reverse("documents-sign", args=[doc.pk]))
    assert response.status_code == 403
    assert "You are not among the signers of this document." in text(response)


def test_a_revoked_certificate_is_refused_with_a_message(cast, browse):
    doc = upload(cast, cast.pegawai)
    access = access_for(cast.pegawai.user)
    cert = certificate_issue(access=access, user=cast.pegawai.user, agency=cast.agency)
    certificate_revoke(access=access, certificate=cert, reason="Ponsel hilang")
    client = browse(cast.pegawai.user)
    response = client.post(reverse("documents-sign", args=[doc.pk]), {"next": "inbox"})
    assert response.status_code == 400
    page = text(response)
    assert "was revoked" in page and "Ponsel hilang" in page
    # From the detail page too, on the Sign form.
    response = client.post(reverse("documents-sign", args=[doc.pk]))
    assert response.status_code == 400 and "was revoked" in text(response)


def test_an_expired_certificate_is_refused_with_a_message(cast, browse):
    doc = upload(cast, cast.pegawai)
    cert = certificate_issue(
        access=access_for(cast.pegawai.user), user=cast.pegawai.user, agency=cast.agency
    )
    SigningCertificate.objects.filter(pk=cert.pk).update(
        not_before=cert.not_before - timedelta(days=800),
        not_after=cert.not_before - timedelta(days=1),
    )
    response = browse(cast.pegawai.user).post(reverse("documents-sign", args=[doc.pk]))
    assert response.status_code == 400 and "expired on" in text(response)


def test_a_pkcs12_certificate_asks_for_its_passphrase(cast, browse):
    client = browse(cast.pegawai.user)
    imported = client.post(
        reverse("documents-certificate-import"),
        {"passphrase": "rahasia", "file": SimpleUploadedFile("a.p12", pkcs12_file())},
    )
    assert imported.status_code == 302
    doc = upload(cast, cast.pegawai)
    inbox = text(client.get(reverse("documents-inbox")))
    assert 'name="passphrase"' in inbox
    detail = text(client.get(reverse("documents-detail", args=[doc.pk])))
    assert "Passphrase of your certificate" in detail

    wrong = client.post(
        reverse("documents-sign", args=[doc.pk]), {"passphrase": "salah", "next": "inbox"}
    )
    assert wrong.status_code == 400
    assert Document.objects.get(pk=doc.pk).status == Document.Status.PENDING
    missing = client.post(reverse("documents-sign", args=[doc.pk]))
    assert missing.status_code == 400
    assert "Enter the passphrase of your certificate to sign." in text(missing)
    done = client.post(reverse("documents-sign", args=[doc.pk]), {"passphrase": "rahasia"})
    assert done.status_code == 302
    # Signed by a CA this installation does not trust: intact but untrusted.
    assert verify_document(_current(doc)).verdict == "untrusted"


def test_sign_is_post_only(cast, browse):
    doc = upload(cast, cast.pegawai)
    assert (
        browse(cast.pegawai.user).get(reverse("documents-sign", args=[doc.pk])).status_code == 405
    )
