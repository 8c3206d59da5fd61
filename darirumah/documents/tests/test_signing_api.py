"""The signing workflow through the API: in order, by the right person, with a valid
certificate; each signature checked by pyHanko's validator through the verification endpoint."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from darirumah.conftest import client_for
from darirumah.documents.models import Document, SigningCertificate
from darirumah.documents.services.certificates import certificate_issue, certificate_revoke
from darirumah.org.access import access_for

from .docs_fixtures import pkcs12_file, small_pdf, upload

pytestmark = pytest.mark.django_db
P = "/api/v1/documents"


def _verify(data: bytes, client=None):
    from django.test import Client

    client = client or Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(
        f"{P}/verify", {"file": SimpleUploadedFile("x.pdf", data, "application/pdf")}
    )
    assert response.status_code == 200, response.content
    return response.json()


def _file(client, pk: int, version: int | None = None) -> bytes:
    url = f"{P}/{pk}/file" + (f"?version={version}" if version is not None else "")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def test_upload_then_head_then_bkpsdm_sign_in_order_and_verify(cast):
    bkpsdm = client_for(cast.bkpsdm.user)
    response = bkpsdm.post(
        f"{P}/upload",
        {
            "title": "Kenaikan gaji berkala a.n. Pegawai Pelayanan",
            "signers": f"{cast.kepala.user.pk},{cast.bkpsdm.user.pk}",
            "unit": cast.disdukcapil.pk,
            "file": SimpleUploadedFile("kgb.pdf", small_pdf(), "application/pdf"),
        },
    )
    assert response.status_code == 201, response.content
    doc = response.json()
    assert doc["status"] == "pending" and doc["next_signer"] == cast.kepala.user.pk
    assert doc["number"]  # numbered by the agency's format
    assert doc["original_sha256"] == doc["sha256"]

    # BKPSDM cannot sign before the head.
    early = bkpsdm.post(f"{P}/{doc['id']}/sign", {}, content_type="application/json")
    assert early.status_code == 409
    assert early.json()["error"]["code"] == "out_of_order"
    assert "Kepala Dukcapil" in early.json()["error"]["message"]

    # Someone who is not a signer is refused.
    pimpinan = client_for(cast.pimpinan.user)
    stranger = pimpinan.post(f"{P}/{doc['id']}/sign", {}, content_type="application/json")
    assert stranger.status_code == 403
    assert stranger.json()["error"]["code"] == "not_a_signer"

    head = client_for(cast.kepala.user)
    first = head.post(f"{P}/{doc['id']}/sign", {}, content_type="application/json")
    assert first.status_code == 200, first.content
    assert first.json()["next_signer"] == cast.bkpsdm.user.pk
    again = head.post(f"{P}/{doc['id']}/sign", {}, content_type="application/json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_signed"

    second = bkpsdm.post(f"{P}/{doc['id']}/sign", {}, content_type="application/json")
    assert second.status_code == 200, second.content
    body = second.json()
    assert body["status"] == "signed"
    assert [s["status"] for s in body["signers"]] == ["signed", "signed"]

    signed = _file(bkpsdm, doc["id"])
    report = _verify(signed)
    assert report["verdict"] == "valid", report
    assert [s["signer_name"] for s in report["signatures"]] == ["Kepala Dukcapil", "Petugas BKPSDM"]
    assert all(s["intact"] and s["valid"] and s["trusted"] for s in report["signatures"])
    assert report["signatures"][0]["covers_whole_file"] is False
    assert report["signatures"][0]["modified_after"] is False
    assert report["signatures"][1]["covers_whole_file"] is True
    assert report["in_register"] and report["document"]["number"] == body["number"]
    assert report["document"]["latest"] and report["document"]["exact"]
    assert report["document"]["version"] == 2

    # The first signed version is still in the register, as version 1 and not the latest.
    v1 = _verify(_file(bkpsdm, doc["id"], version=1))
    assert v1["verdict"] == "valid" and v1["document"]["version"] == 1
    assert v1["document"]["latest"] is False
    # The version before any signature is not shown from the register: it may be a blank
    # form anyone holds.
    v0 = _verify(_file(bkpsdm, doc["id"], version=0))
    assert v0["verdict"] == "unsigned" and v0["in_register"] is False


def test_one_changed_byte_is_caught(cast):
    doc = upload(cast, cast.bkpsdm)
    from .docs_fixtures import sign

    sign(doc, cast.bkpsdm)
    doc.refresh_from_db()
    with doc.file.open("rb") as handle:
        signed = bytearray(handle.read())
    # A byte of the page content, inside the signed range.
    at = signed.index(b"Surat kenaikan")
    signed[at] = ord("X")
    report = _verify(bytes(signed))
    assert report["verdict"] == "invalid"
    assert report["signatures"][0]["intact"] is False
    assert report["in_register"] is False


def test_an_edit_after_signing_is_reported_modified(cast):
    doc = upload(cast, cast.bkpsdm)
    from .docs_fixtures import sign

    sign(doc, cast.bkpsdm)
    doc.refresh_from_db()
    with doc.file.open("rb") as handle:
        signed = handle.read()
    # An incremental update that replaces the page content after the signature.
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 700 Td (Dibatalkan) Tj ET")
    page["/Contents"] = writer.add_object(stream)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    report = _verify(out.getvalue())
    assert report["verdict"] == "modified", report
    assert report["signatures"][0]["intact"] is True
    assert report["signatures"][0]["modified_after"] is True
    # The signed part is still the registered document: the register names it.
    assert report["in_register"] and report["document"]["exact"] is False


def test_revoked_and_expired_certificates_are_refused(cast):
    doc = upload(cast, cast.bkpsdm)
    access = access_for(cast.bkpsdm.user)
    cert = certificate_issue(access=access, user=cast.bkpsdm.user, agency=cast.agency)
    certificate_revoke(access=access, certificate=cert, reason="Kunci hilang")
    client = client_for(cast.bkpsdm.user)
    refused = client.post(f"{P}/{doc.pk}/sign", {}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "certificate_revoked"
    assert "revoked" in refused.json()["error"]["message"]

    fresh = certificate_issue(access=access, user=cast.bkpsdm.user, agency=cast.agency)
    SigningCertificate.objects.filter(pk=fresh.pk).update(
        not_before=fresh.not_before - timedelta(days=800),
        not_after=fresh.not_before - timedelta(days=1),
    )
    expired = client.post(
        f"{P}/{doc.pk}/sign", {"certificate": fresh.pk}, content_type="application/json"
    )
    assert expired.status_code == 400
    assert expired.json()["error"]["code"] == "certificate_expired"
    assert Document.objects.get(pk=doc.pk).status == "pending"
    assert Document.objects.get(pk=doc.pk).revisions.count() == 1


def test_a_signature_by_a_certificate_revoked_later_is_reported_revoked(cast):
    doc = upload(cast, cast.bkpsdm)
    from .docs_fixtures import sign

    sign(doc, cast.bkpsdm)
    doc.refresh_from_db()
    signer = doc.signers.get()
    certificate_revoke(
        access=access_for(cast.bkpsdm.user), certificate=signer.certificate, reason="Bocor"
    )
    with doc.file.open("rb") as handle:
        report = _verify(handle.read())
    assert report["verdict"] == "revoked", report
    assert report["signatures"][0]["revoked"] is True


def test_pkcs12_import_signs_with_its_passphrase_each_time(cast):
    client = client_for(cast.pegawai.user)
    wrong = client.post(
        f"{P}/certificates/import",
        {"passphrase": "salah", "file": SimpleUploadedFile("a.p12", pkcs12_file())},
    )
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "wrong_passphrase"
    made = client.post(
        f"{P}/certificates/import",
        {"passphrase": "rahasia", "file": SimpleUploadedFile("a.p12", pkcs12_file())},
    )
    assert made.status_code == 201, made.content
    cert = made.json()
    assert cert["source"] == "pkcs12" and cert["legally_certified"] is True

    doc = upload(cast, cast.pegawai)
    missing = client.post(
        f"{P}/{doc.pk}/sign", {"certificate": cert["id"]}, content_type="application/json"
    )
    assert missing.status_code == 400
    assert missing.json()["error"]["code"] == "passphrase_required"
    bad = client.post(
        f"{P}/{doc.pk}/sign",
        {"certificate": cert["id"], "passphrase": "salah"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "wrong_passphrase"
    ok = client.post(
        f"{P}/{doc.pk}/sign",
        {"certificate": cert["id"], "passphrase": "rahasia"},
        content_type="application/json",
    )
    assert ok.status_code == 200, ok.content
    report = _verify(_file(client, doc.pk))
    # Signed with a CA this installation does not trust (no DOCUMENTS_TRUST_ROOTS): intact
    # and valid, but not trusted.
    sig = report["signatures"][0]
    assert sig["intact"] and sig["valid"] and not sig["trusted"]
    assert report["verdict"] == "untrusted"


def test_someone_elses_certificate_cannot_be_used(cast):
    doc = upload(cast, cast.pegawai)
    other = certificate_issue(
        access=access_for(cast.bkpsdm.user), user=cast.bkpsdm.user, agency=cast.agency
    )
    client = client_for(cast.pegawai.user)
    response = client.post(
        f"{P}/{doc.pk}/sign", {"certificate": other.pk}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_your_certificate"


def test_a_cancelled_document_cannot_be_signed(cast):
    doc = upload(cast, cast.pegawai)
    bkpsdm = client_for(cast.bkpsdm.user)
    no_reason = bkpsdm.post(
        f"{P}/{doc.pk}/cancel", {"reason": " "}, content_type="application/json"
    )
    assert no_reason.status_code == 400
    done = bkpsdm.post(
        f"{P}/{doc.pk}/cancel", {"reason": "Salah lampiran"}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["status"] == "cancelled"
    refused = client_for(cast.pegawai.user).post(
        f"{P}/{doc.pk}/sign", {}, content_type="application/json"
    )
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "not_pending"


def test_verify_refuses_nothing_and_names_a_non_pdf(cast):
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.post(f"{P}/verify", {}).status_code == 400
    report = _verify(b"GIF89a not a pdf at all", client)
    assert report["verdict"] == "not_pdf" and report["is_pdf"] is False and report["error"]


def test_the_qr_code_record_is_public_and_unguessable(cast):
    from django.test import Client

    doc = upload(cast, cast.bkpsdm)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    record = client.get(f"{P}/verify/{doc.code}")
    assert record.status_code == 200
    assert record.json()["number"] == doc.number
    assert record.json()["signers"][0]["name"] == "Petugas BKPSDM"
    assert client.get(f"{P}/verify/{doc.code[:-1]}x").status_code == 404


def test_upload_refuses_a_renamed_file_and_unknown_signers(cast):
    client = client_for(cast.bkpsdm.user)
    renamed = client.post(
        f"{P}/upload",
        {
            "title": "Surat",
            "signers": str(cast.bkpsdm.user.pk),
            "file": SimpleUploadedFile("foto.pdf", b"\x89PNG\r\n\x1a\nxxxx", "application/pdf"),
        },
    )
    assert renamed.status_code == 400 and renamed.json()["error"]["code"] == "not_pdf"
    stranger = client.post(
        f"{P}/upload",
        {
            "title": "Surat",
            "signers": str(cast.outsider.user.pk),
            "file": SimpleUploadedFile("a.pdf", small_pdf(), "application/pdf"),
        },
    )
    assert stranger.status_code == 400 and "signers" in stranger.json()["error"]["fields"]
    assert Document.objects.count() == 0
