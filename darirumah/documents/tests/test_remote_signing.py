"""The remote signing service through the workflow (DOCUMENTS_REMOTE_SIGNER): registering an
identity, signing with the passphrase the service checks, and the safeguards around it."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from django.core.files.uploadedfile import SimpleUploadedFile

from darirumah.conftest import client_for
from darirumah.core import calendar as calendar_service
from darirumah.documents import crypto

from .docs_fixtures import upload

pytestmark = pytest.mark.django_db
P = "/api/v1/documents"
ADAPTER = "darirumah.documents.tests.test_remote_signing.ServiceAdapter"
SERVICE: dict = {}  # user_ref -> (issued certificate, its CA): the service's own store


class ServiceAdapter:
    """A signing service that keeps its users' keys in this process, as BSrE keeps them."""

    def certificate_chain(self, *, user_ref):
        if user_ref not in SERVICE:
            raise crypto.CryptoError("Identitas tidak dikenal.", code="remote_failed")
        issued, ca = SERVICE[user_ref]
        return [issued.certificate_pem, ca.certificate_pem]

    def sign_digest(self, *, user_ref, digest, digest_algorithm, passphrase):
        if passphrase != "123456":
            raise crypto.CryptoError("Passphrase salah.", code="wrong_passphrase")
        key = serialization.load_pem_private_key(SERVICE[user_ref][0].key_pem, password=None)
        return key.sign(digest, ec.ECDSA(Prehashed(hashes.SHA256())))


def _issue(ca, name):
    return crypto.issue_certificate(
        ca_certificate_pem=ca.certificate_pem,
        ca_key_pem=ca.key_pem,
        name=name,
        nip="",
        position="Kepala Dinas",
        organisation="BSrE Uji",
        now=calendar_service.utcnow(),
    )


@pytest.fixture
def service(settings, tmp_path):
    ca = crypto.create_ca(agency_name="BSrE Uji", now=calendar_service.utcnow())
    SERVICE.clear()
    SERVICE["3573010101800001"] = (_issue(ca, "Kepala Dukcapil"), ca)
    roots = tmp_path / "roots.pem"
    roots.write_text(ca.certificate_pem)
    settings.DOCUMENTS_TRUST_ROOTS = str(roots)
    settings.DOCUMENTS_REMOTE_SIGNER = ADAPTER
    return ca


def _register(client, ref="3573010101800001"):
    return client.post(
        f"{P}/certificates/remote", {"user_ref": ref}, content_type="application/json"
    )


def test_a_remote_signature_is_made_with_the_service_passphrase_and_verifies(cast, service):
    head = client_for(cast.kepala.user)
    made = _register(head)
    assert made.status_code == 201, made.content
    cert = made.json()
    assert cert["source"] == "remote" and cert["legally_certified"] is True
    doc = upload(cast, cast.kepala, unit=cast.disdukcapil)
    sign = {"certificate": cert["id"]}
    missing = head.post(f"{P}/{doc.pk}/sign", sign, content_type="application/json")
    assert missing.json()["error"]["code"] == "passphrase_required"
    wrong = head.post(
        f"{P}/{doc.pk}/sign", {**sign, "passphrase": "000000"}, content_type="application/json"
    )
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "wrong_passphrase"
    done = head.post(
        f"{P}/{doc.pk}/sign", {**sign, "passphrase": "123456"}, content_type="application/json"
    )
    assert done.status_code == 200, done.content
    raw = b"".join(head.get(f"{P}/{doc.pk}/file").streaming_content)
    report = head.post(
        f"{P}/verify", {"file": SimpleUploadedFile("d.pdf", raw, "application/pdf")}
    ).json()
    assert report["verdict"] == "valid", report
    assert report["signatures"][0]["signer_name"] == "Kepala Dukcapil"


def test_someone_registering_anothers_identity_does_not_lock_them_out(cast, service):
    assert _register(client_for(cast.peer.user)).status_code == 201
    assert _register(client_for(cast.kepala.user)).status_code == 201
    assert _register(client_for(cast.kepala.user)).status_code == 409  # the same one twice


def test_a_certificate_changed_at_the_service_is_refused(cast, service):
    head = client_for(cast.kepala.user)
    cert = _register(head).json()
    SERVICE["3573010101800001"] = (_issue(service, "Kepala Dukcapil"), service)
    doc = upload(cast, cast.kepala, unit=cast.disdukcapil)
    refused = head.post(
        f"{P}/{doc.pk}/sign",
        {"certificate": cert["id"], "passphrase": "123456"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "certificate_changed"


def test_an_unknown_identity_is_refused(cast, service):
    refused = _register(client_for(cast.kepala.user), ref="0000")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "remote_failed"
