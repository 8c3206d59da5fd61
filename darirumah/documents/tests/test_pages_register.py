"""The register pages: the list and its filters, generating a letter, uploading a PDF, the detail
page with its hashes, signers and versions, downloading a version, cancelling."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from darirumah.conftest import text
from darirumah.documents.models import Document, Kind

from .docs_fixtures import active_circular, sign, small_pdf, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_register_lists_and_filters(cast, browse):
    first = upload(cast, cast.bkpsdm, title="Kenaikan gaji berkala Budi")
    upload(cast, cast.kepala, unit=cast.disdukcapil, title="Laporan bidang pelayanan")
    sign(first, cast.bkpsdm)
    client = browse(cast.bkpsdm.user)
    page = text(client.get(reverse("documents-list")))
    assert "Kenaikan gaji berkala Budi" in page and "Laporan bidang pelayanan" in page
    assert "2 documents" in page
    signed = text(client.get(reverse("documents-list"), {"status": "signed"}))
    assert "Kenaikan gaji berkala Budi" in signed and "Laporan bidang pelayanan" not in signed
    found = text(client.get(reverse("documents-list"), {"q": "pelayanan"}))
    assert "Laporan bidang pelayanan" in found and "Budi" not in found
    # An htmx request gets only the rows.
    partial = client.get(reverse("documents-list"), {"kind": "upload"}, HTTP_HX_REQUEST="true")
    assert "<html" not in text(partial) and "Laporan bidang pelayanan" in text(partial)


def test_the_register_shows_an_employee_only_their_own_and_circulars(cast, browse):
    upload(cast, cast.kepala, unit=cast.disdukcapil, title="Laporan bidang pelayanan")
    upload(cast, cast.pegawai, title="Pernyataan pegawai")
    page = text(browse(cast.pegawai.user).get(reverse("documents-list")))
    assert "Pernyataan pegawai" in page and "Laporan bidang pelayanan" not in page
    other = text(browse(cast.outsider_bkpsdm.user).get(reverse("documents-list")))
    assert "No documents." in other


def test_bkpsdm_generates_the_daily_recap_and_lands_on_its_page(cast, browse):
    client = browse(cast.bkpsdm.user)
    form = text(client.get(reverse("documents-new")))
    assert 'value="recap"' in form and 'id="signer-options"' in form
    response = client.post(
        reverse("documents-new"),
        {"kind": "recap", "day": "2026-08-18", "signer_1": cast.bkpsdm.nip},
    )
    assert response.status_code == 302, text(response)
    doc = Document.objects.get(kind=Kind.RECAP)
    assert response["Location"] == reverse("documents-detail", args=[doc.pk])
    assert doc.number and doc.signers.get().user == cast.bkpsdm.user


def test_pimpinan_generates_the_circular_letter(cast, browse):
    circular = active_circular(cast, cast.disdukcapil)
    response = browse(cast.pimpinan.user).post(
        reverse("documents-new"),
        {"kind": "circular", "circular": circular.pk, "signer_1": cast.pimpinan.nip},
    )
    assert response.status_code == 302, text(response)
    assert Document.objects.get(kind=Kind.CIRCULAR).number == circular.number


def test_the_new_letter_form_names_what_is_missing(cast, browse):
    client = browse(cast.bkpsdm.user)
    response = client.post(reverse("documents-new"), {"kind": "evaluation", "signer_1": "123"})
    assert response.status_code == 400
    page = text(response)
    assert "Required for this letter." in page
    assert "Nobody in the agency with a login has this NIP or name." in page
    # Someone of another agency is not a signer here.
    response = client.post(
        reverse("documents-new"),
        {"kind": "recap", "day": "2026-08-18", "signer_1": cast.outsider.nip},
    )
    assert response.status_code == 400 and not Document.objects.exists()


def test_an_opd_head_offers_only_the_letters_they_prepare(cast, browse):
    page = text(browse(cast.kepala.user).get(reverse("documents-new")))
    assert 'value="evaluation"' in page and 'value="discipline"' in page
    assert 'value="recap"' not in page and 'value="circular"' not in page


def test_upload_a_pdf_with_signers_in_order(cast, browse):
    client = browse(cast.admin_opd.user)
    response = client.post(
        reverse("documents-upload"),
        {
            "title": "Kenaikan gaji berkala Pegawai Pelayanan",
            "file": SimpleUploadedFile("kgb.pdf", small_pdf(), "application/pdf"),
            "unit": cast.disdukcapil.pk,
            "signer_1": cast.kepala.nip,
            "signer_2": f"{cast.bkpsdm.nip} — {cast.bkpsdm.name}",  # as the datalist offers it
        },
    )
    assert response.status_code == 302, text(response)
    doc = Document.objects.get()
    assert [s.user_id for s in doc.signers.order_by("order")] == [
        cast.kepala.user_id,
        cast.bkpsdm.user_id,
    ]
    assert doc.unit == cast.disdukcapil and doc.file_name == "kgb.pdf"


def test_upload_refuses_a_file_that_is_not_a_pdf(cast, browse):
    response = browse(cast.bkpsdm.user).post(
        reverse("documents-upload"),
        {
            "title": "Foto",
            "file": SimpleUploadedFile("foto.pdf", b"\x89PNG\r\n\x1a\nxxxx", "application/pdf"),
            "signer_1": cast.bkpsdm.nip,
        },
    )
    assert response.status_code == 400 and "The file is not a PDF." in text(response)
    assert not Document.objects.exists()


def test_the_detail_page_shows_the_record_signers_and_versions(cast, browse):
    doc = upload(cast, cast.kepala, cast.bkpsdm, unit=cast.disdukcapil)
    sign(doc, cast.kepala)
    doc.refresh_from_db()
    client = browse(cast.bkpsdm.user)
    page = text(client.get(reverse("documents-detail", args=[doc.pk])))
    assert doc.number in page and doc.sha256 in page and doc.original_sha256 in page
    assert doc.code in page and f"/documents/verify/{doc.code}/" in page
    assert "Kepala Dukcapil" in page and "Petugas BKPSDM" in page
    assert "Their turn now" in page
    assert "It is your turn to sign." in page  # BKPSDM is next
    assert "Version 0" in page and "Version 1" in page and "signed by Kepala Dukcapil" in page
    assert "Cancel the document" in page

    v0 = client.get(reverse("documents-file", args=[doc.pk]), {"version": 0})
    assert v0.status_code == 200 and v0["Content-Type"] == "application/pdf"
    assert _body(v0) == small_pdf()
    current = client.get(reverse("documents-file", args=[doc.pk]))
    assert _body(current) != small_pdf()
    assert client.get(reverse("documents-file", args=[doc.pk]), {"version": 7}).status_code == 404
    assert client.get(reverse("documents-file", args=[doc.pk]), {"version": "x"}).status_code == 404


def test_cancel_needs_a_reason_and_is_refused_to_others(cast, browse):
    doc = upload(cast, cast.kepala, unit=cast.disdukcapil)
    refused = browse(cast.kepala.user).post(
        reverse("documents-cancel", args=[doc.pk]), {"reason": "Salah"}
    )
    assert refused.status_code == 403
    assert "Only whoever registered the document or BKPSDM cancels it." in text(refused)
    client = browse(cast.bkpsdm.user)
    assert (
        client.post(reverse("documents-cancel", args=[doc.pk]), {"reason": ""}).status_code == 400
    )
    done = client.post(reverse("documents-cancel", args=[doc.pk]), {"reason": "Salah lampiran"})
    assert done.status_code == 302
    page = text(client.get(reverse("documents-detail", args=[doc.pk])))
    assert "Cancelled: Salah lampiran" in page and "Cancel the document" not in page
    again = client.post(reverse("documents-cancel", args=[doc.pk]), {"reason": "Lagi"})
    assert again.status_code == 409


def test_the_signer_lookup_offers_the_agency_staff_with_a_login(cast, browse):
    page = text(browse(cast.bkpsdm.user).get(reverse("documents-signer-lookup"), {"q": "Dukcapil"}))
    assert cast.kepala.nip in page and cast.admin_opd.nip in page
    assert "Batu" not in page
    by_field = text(
        browse(cast.bkpsdm.user).get(reverse("documents-signer-lookup"), {"signer_2": "Wali"})
    )
    assert cast.pimpinan.nip in by_field
