"""Remote signing: an adapter implemented here with a local key stands in for the service."""

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from darirumah.documents import crypto
from darirumah.documents.crypto import CryptoError

from .crypto_fixtures import agency, letter_pdf, stamp

HERE = __name__
# What the "service" holds: set by the module fixture, read by adapters built without arguments
# (as load_adapter builds them).
SERVICE = {}


class LocalAdapter:
    """A remote signing service that keeps the key in this process."""

    calls = []

    def certificate_chain(self, *, user_ref):
        issued, ca = SERVICE[user_ref]
        return [issued.certificate_pem, ca.certificate_pem]

    def sign_digest(self, *, user_ref, digest, digest_algorithm, passphrase):
        if passphrase != "123456":
            raise CryptoError("Kode sertifikat salah.", code="wrong_passphrase")
        self.calls.append((user_ref, digest_algorithm, len(digest)))
        key = serialization.load_pem_private_key(SERVICE[user_ref][0].key_pem, password=None)
        return key.sign(digest, ec.ECDSA(Prehashed(hashes.SHA256())))


class WrongKeyAdapter(LocalAdapter):
    """A service that answers with another user's key."""

    def sign_digest(self, *, user_ref, digest, digest_algorithm, passphrase):
        return super().sign_digest(
            user_ref="bkpsdm",
            digest=digest,
            digest_algorithm=digest_algorithm,
            passphrase=passphrase,
        )


class BrokenAdapter(LocalAdapter):
    def sign_digest(self, **kwargs):
        raise ConnectionError("service down")


class NotAnAdapter:
    pass


@pytest.fixture(scope="module")
def world():
    world = agency()
    SERVICE.update(head=(world.head, world.ca), bkpsdm=(world.bkpsdm, world.ca))
    yield world
    SERVICE.clear()


def _sign(signer):
    letter = letter_pdf()
    return crypto.sign_pdf(
        letter,
        signer=signer,
        field_name="ttd_1",
        stamp=stamp(),
        reason="Persetujuan",
        location="Kota Contoh",
        **crypto.default_box(data=letter, index=0),
    )


def test_remote_adapter_makes_a_valid_signature(world):
    adapter = crypto.load_adapter(f"{HERE}.LocalAdapter")
    LocalAdapter.calls.clear()
    signed = _sign(crypto.signer_from_remote(adapter=adapter, user_ref="head", passphrase="123456"))
    [sig] = crypto.verify_pdf(signed, trust_roots_pem=[world.ca.certificate_pem]).signatures
    assert sig.status == "valid"
    assert sig.serial == world.head.serial
    # One call to the service, with a SHA-256 digest: size estimation does not call it.
    assert LocalAdapter.calls == [("head", "sha256", 32)]


def test_wrong_passphrase_from_the_service_reaches_the_user(world):
    signer = crypto.signer_from_remote(adapter=LocalAdapter(), user_ref="head", passphrase="salah")
    with pytest.raises(CryptoError) as refused:
        _sign(signer)
    assert refused.value.code == "wrong_passphrase"


@pytest.mark.parametrize("adapter", [WrongKeyAdapter, BrokenAdapter])
def test_misbehaving_service_is_refused(world, adapter):
    signer = crypto.signer_from_remote(adapter=adapter(), user_ref="head", passphrase="123456")
    with pytest.raises(CryptoError) as refused:
        _sign(signer)
    assert refused.value.code == "remote_failed"


def test_unknown_user_at_the_service_is_refused(world):
    with pytest.raises(CryptoError) as refused:
        crypto.signer_from_remote(adapter=LocalAdapter(), user_ref="siapa", passphrase="1")
    assert refused.value.code == "remote_failed"


@pytest.mark.parametrize(
    "path", ["", "darirumah.tidak.ada.Adapter", f"{HERE}.TidakAda", f"{HERE}.NotAnAdapter"]
)
def test_load_adapter_refuses_a_bad_setting(path):
    with pytest.raises(CryptoError) as refused:
        crypto.load_adapter(path)
    assert refused.value.code == "remote_config"
    assert "DOCUMENTS_REMOTE_SIGNER" in refused.value.message
