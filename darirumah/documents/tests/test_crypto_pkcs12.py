"""Imported PKCS#12 files: checked on import, the passphrase asked at every signature."""

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from darirumah.documents import crypto
from darirumah.documents.crypto import CryptoError

from .crypto_fixtures import agency, letter_pdf, stamp

PASSPHRASE = "sandi-sertifikat-123"


@pytest.fixture(scope="module")
def world():
    return agency()


def _p12(world, *, with_key=True, passphrase=PASSPHRASE):
    cert = x509.load_pem_x509_certificate(world.head.certificate_pem.encode())
    ca = x509.load_pem_x509_certificate(world.ca.certificate_pem.encode())
    key = serialization.load_pem_private_key(world.head.key_pem, password=None)
    return pkcs12.serialize_key_and_certificates(
        b"budi",
        key if with_key else None,
        cert if with_key else None,
        [ca] if with_key else [cert, ca],
        serialization.BestAvailableEncryption(passphrase.encode())
        if passphrase
        else serialization.NoEncryption(),
    )


@pytest.fixture(scope="module")
def p12(world):
    return _p12(world)


def test_read_describes_the_certificate_and_its_chain(world, p12):
    loaded = crypto.read_pkcs12(p12, PASSPHRASE)
    assert loaded.certificate_pem == world.head.certificate_pem
    assert loaded.chain_pem == world.ca.certificate_pem
    assert loaded.facts.serial == world.head.serial
    assert loaded.facts.fingerprint == world.head.fingerprint
    assert loaded.facts.common_name == "Budi Santoso"


def test_file_without_passphrase_reads_with_an_empty_one(world):
    assert crypto.read_pkcs12(_p12(world, passphrase=""), "").facts.serial == world.head.serial


@pytest.mark.parametrize(
    ("data", "passphrase", "code"),
    [
        ("p12", "salah", "wrong_passphrase"),
        ("p12", "", "wrong_passphrase"),
        (b"bukan file pkcs12", PASSPHRASE, "not_pkcs12"),
        (b"", PASSPHRASE, "not_pkcs12"),
        ("keyless", PASSPHRASE, "no_key"),
    ],
)
def test_bad_files_are_refused(world, p12, data, passphrase, code):
    data = {"p12": p12, "keyless": _p12(world, with_key=False)}.get(data, data)
    with pytest.raises(CryptoError) as refused:
        crypto.read_pkcs12(data, passphrase)
    assert refused.value.code == code
    assert refused.value.message


def test_signs_with_the_passphrase_and_refuses_a_wrong_one(world, p12):
    letter = letter_pdf()
    signer = crypto.signer_from_pkcs12(data=p12, passphrase=PASSPHRASE)
    signed = crypto.sign_pdf(
        letter,
        signer=signer,
        field_name="ttd_1",
        stamp=stamp(),
        reason="Persetujuan",
        location="Kota Contoh",
        **crypto.default_box(data=letter, index=0),
    )
    [sig] = crypto.verify_pdf(signed, trust_roots_pem=[world.ca.certificate_pem]).signatures
    assert sig.status == "valid" and sig.serial == world.head.serial

    with pytest.raises(CryptoError) as refused:
        crypto.signer_from_pkcs12(data=p12, passphrase="salah")
    assert refused.value.code == "wrong_passphrase"
