"""More of the signing workflow: an RFC 3161 timestamp when a time-stamping authority is
configured (and nothing written when it cannot be reached), and every kind of generated letter
signed and checked by pyHanko's validator."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from darirumah.conftest import client_for
from darirumah.core import calendar as calendar_service
from darirumah.documents import crypto
from darirumah.documents.models import Document

from .crypto_fixtures import LocalTSA, closed_port_url, tsa_material
from .docs_fixtures import active_circular, upload

pytestmark = pytest.mark.django_db
P = "/api/v1/documents"


def _verify(client, pk: int) -> dict:
    raw = b"".join(client.get(f"{P}/{pk}/file").streaming_content)
    response = client.post(
        f"{P}/verify", {"file": SimpleUploadedFile("d.pdf", raw, "application/pdf")}
    )
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def tsa(settings, tmp_path):
    """A real RFC 3161 authority on 127.0.0.1 whose root the installation trusts."""
    root = crypto.create_ca(agency_name="Otoritas Waktu Uji", now=calendar_service.utcnow())
    roots = tmp_path / "roots.pem"
    roots.write_text(root.certificate_pem)
    settings.DOCUMENTS_TRUST_ROOTS = str(roots)
    with LocalTSA(*tsa_material(root)) as server:
        settings.DOCUMENTS_TSA_URL = server.url
        yield server


def test_a_configured_authority_timestamps_every_signature(cast, tsa):
    doc = upload(cast, cast.kepala, cast.bkpsdm, unit=cast.disdukcapil)
    for who in (cast.kepala, cast.bkpsdm):
        response = client_for(who.user).post(
            f"{P}/{doc.pk}/sign", {}, content_type="application/json"
        )
        assert response.status_code == 200, response.content
    body = response.json()
    assert [s["timestamped"] for s in body["signers"]] == [True, True]
    report = _verify(client_for(cast.bkpsdm.user), doc.pk)
    assert report["verdict"] == "valid", report
    assert all(s["timestamped"] for s in report["signatures"])


def test_an_unreachable_authority_refuses_and_writes_nothing(cast, settings):
    settings.DOCUMENTS_TSA_URL = closed_port_url()
    doc = upload(cast, cast.bkpsdm)
    response = client_for(cast.bkpsdm.user).post(
        f"{P}/{doc.pk}/sign", {}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "tsa_failed"
    doc.refresh_from_db()
    assert doc.status == Document.Status.PENDING
    assert doc.revisions.count() == 1
    assert doc.signers.get().status == "waiting"


@pytest.mark.parametrize("kind", ["circular", "evaluation", "recap", "discipline"])
def test_every_generated_letter_signs_and_validates(cast, kind):
    from darirumah.performance.tests.factories import make_sanction

    body = {"kind": kind, "signers": [cast.kepala.user.pk, cast.bkpsdm.user.pk]}
    if kind == "circular":
        body["circular"] = active_circular(cast, cast.disdukcapil).pk
    elif kind == "evaluation":
        body.update(unit=cast.disdukcapil.pk, period="2026-10")
    elif kind == "recap":
        body["day"] = "2026-11-20"
    else:
        body["case"] = make_sanction(cast.pegawai, "tpp_cut_6", date(2026, 12, 1), months=6).pk
    bkpsdm = client_for(cast.bkpsdm.user)
    made = bkpsdm.post(P, body, content_type="application/json")
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    unsigned = _verify(bkpsdm, pk)
    assert unsigned["verdict"] == "unsigned" and unsigned["document"] is None
    for who in (cast.kepala, cast.bkpsdm):
        signed = client_for(who.user).post(f"{P}/{pk}/sign", {}, content_type="application/json")
        assert signed.status_code == 200, signed.content
    report = _verify(bkpsdm, pk)
    assert report["verdict"] == "valid", report
    assert [s["signer_name"] for s in report["signatures"]] == ["Kepala Dukcapil", "Petugas BKPSDM"]
    # Each stamp sits in the place the letter reserved for it.
    document = Document.objects.get(pk=pk)
    assert len(document.stamp_boxes) == 2
    assert document.stamp_boxes[0]["box"] != document.stamp_boxes[1]["box"]
