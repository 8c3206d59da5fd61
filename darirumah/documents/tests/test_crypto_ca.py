"""The agency's development CA: what its certificates say, and its revocation list."""

from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from darirumah.core import calendar as calendar_service
from darirumah.documents import crypto
from darirumah.documents.crypto import CryptoError
from darirumah.documents.crypto.ca import DOCUMENT_SIGNING, NOT_CERTIFIED_OU

from .crypto_fixtures import agency


@pytest.fixture(scope="module")
def world():
    return agency()


def _cert(pem):
    return x509.load_pem_x509_certificate(pem.encode())


def test_ca_is_a_self_signed_p256_ca_marked_not_certified(world):
    cert = _cert(world.ca.certificate_pem)
    cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert cn.endswith("— CA pengembangan (TIDAK TERSERTIFIKASI)")
    assert cert.subject == cert.issuer
    assert isinstance(cert.public_key(), ec.EllipticCurvePublicKey)
    assert cert.public_key().curve.name == "secp256r1"
    constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.key_cert_sign and usage.crl_sign and not usage.digital_signature
    cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    assert world.ca.key_pem.startswith(b"-----BEGIN PRIVATE KEY-----")  # PKCS#8, unencrypted
    assert (world.ca.not_after - world.ca.not_before).days >= 3650


def test_long_agency_name_keeps_the_warning():
    ca = crypto.create_ca(
        agency_name="Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Kabupaten Contoh",
        now=calendar_service.utcnow(),
        years=1,
    )
    cn = _cert(ca.certificate_pem).subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert cn.startswith("Badan Kepegawaian")
    assert cn.endswith("(TIDAK TERSERTIFIKASI)")


def test_signing_certificate_says_who_and_what_for(world):
    cert = _cert(world.head.certificate_pem)
    subject = cert.subject
    assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Budi Santoso"
    assert subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value == "198001012005011001"
    assert subject.get_attributes_for_oid(NameOID.TITLE)[0].value == "Kepala Dinas"
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)[0].value == (
        NOT_CERTIFIED_OU
    )
    assert subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "ID"
    assert cert.issuer == _cert(world.ca.certificate_pem).subject
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    purposes = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert DOCUMENT_SIGNING in purposes and ExtendedKeyUsageOID.EMAIL_PROTECTION in purposes
    ca_ski = _cert(world.ca.certificate_pem).extensions.get_extension_for_class(
        x509.SubjectKeyIdentifier
    )
    aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    assert aki.key_identifier == ca_ski.value.digest
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.RFC822Name) == ["kepala@contoh.go.id"]
    assert world.head.not_after - world.head.not_before <= timedelta(days=730)


def test_describe_matches_issued(world):
    facts = crypto.describe(world.head.certificate_pem)
    assert (
        facts.serial
        == world.head.serial
        == format(_cert(world.head.certificate_pem).serial_number, "x")
    )
    assert facts.fingerprint == world.head.fingerprint and len(facts.fingerprint) == 64
    assert facts.subject == world.head.subject
    assert "CN=Budi Santoso" in facts.subject and "title=Kepala Dinas" in facts.subject
    assert facts.issuer == world.ca.subject
    assert facts.not_before == world.head.not_before
    assert facts.not_before.utcoffset() == timedelta(0)
    assert facts.common_name == "Budi Santoso"


def test_describe_refuses_what_is_not_a_certificate():
    with pytest.raises(CryptoError) as refused:
        crypto.describe("bukan sertifikat")
    assert refused.value.code == "bad_certificate"


def test_issuing_with_a_key_of_another_ca_is_refused(world):
    other = crypto.create_ca(agency_name="Kabupaten Lain", now=calendar_service.utcnow())
    with pytest.raises(CryptoError) as refused:
        crypto.issue_certificate(
            ca_certificate_pem=world.ca.certificate_pem,
            ca_key_pem=other.key_pem,
            name="Siapa Saja",
            nip="",
            position="",
            organisation="Kabupaten Contoh",
            now=calendar_service.utcnow(),
        )
    assert refused.value.code == "no_key"


def test_crl_lists_the_revoked_serials(world):
    now = calendar_service.utcnow()
    der = crypto.make_crl(
        ca_certificate_pem=world.ca.certificate_pem,
        ca_key_pem=world.ca.key_pem,
        revoked=[(world.head.serial, now - timedelta(hours=1))],
        number=3,
        now=now,
    )
    crl = x509.load_der_x509_crl(der)
    assert crl.is_signature_valid(_cert(world.ca.certificate_pem).public_key())
    assert crl.issuer == _cert(world.ca.certificate_pem).subject
    assert crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number == 3
    assert crl.get_revoked_certificate_by_serial_number(int(world.head.serial, 16)) is not None
    assert crl.get_revoked_certificate_by_serial_number(int(world.bkpsdm.serial, 16)) is None
