"""RFC 3161 timestamps from a real time-stamping authority over HTTP (a local one)."""

from datetime import timedelta

import pytest

from darirumah.core import calendar as calendar_service
from darirumah.documents import crypto
from darirumah.documents.crypto import CryptoError

from .crypto_fixtures import LocalTSA, agency, closed_port_url, letter_pdf, sign_with, tsa_material


@pytest.fixture(scope="module")
def world():
    return agency()


@pytest.fixture(scope="module")
def tsa(world):
    with LocalTSA(*tsa_material(world.ca)) as server:
        yield server


@pytest.fixture(scope="module")
def letter():
    return letter_pdf()


@pytest.fixture(scope="module")
def stamped(world, tsa, letter):
    return sign_with(letter, world.head, world.ca, field="ttd_1", index=0, tsa_url=tsa.url)


def _verify(data, world, **kwargs):
    return crypto.verify_pdf(data, trust_roots_pem=[world.ca.certificate_pem], **kwargs)


def test_timestamped_signature(world, stamped):
    [sig] = _verify(stamped, world).signatures
    assert sig.timestamped
    assert sig.status == "valid"
    assert abs(sig.signed_at - calendar_service.utcnow()) < timedelta(minutes=5)


def test_timestamp_of_an_untrusted_authority_does_not_count(stamped, world):
    # Trusting only another CA: neither the signer nor the TSA chains to it.
    other = agency("Kabupaten Lain")
    [sig] = crypto.verify_pdf(stamped, trust_roots_pem=[other.ca.certificate_pem]).signatures
    assert not sig.timestamped and sig.status == "untrusted"


def test_timestamp_keeps_a_signature_valid_after_the_certificate_expires(world, stamped):
    later = calendar_service.utcnow() + timedelta(days=800)  # past the 730 days of the cert
    [sig] = _verify(stamped, world, now=later).signatures
    assert sig.timestamped and not sig.expired
    assert sig.status == "valid"


def test_timestamp_keeps_a_signature_made_before_revocation_valid(world, stamped, letter):
    now = calendar_service.utcnow() + timedelta(minutes=2)
    crl = crypto.make_crl(
        ca_certificate_pem=world.ca.certificate_pem,
        ca_key_pem=world.ca.key_pem,
        revoked=[(world.head.serial, now - timedelta(minutes=1))],  # after the timestamp
        number=1,
        now=now,
    )
    [sig] = _verify(stamped, world, crls_der=[crl], now=now + timedelta(minutes=1)).signatures
    assert not sig.revoked and sig.status == "valid"
    # The same signature without a timestamp: nothing proves it came before the revocation.
    plain = sign_with(letter, world.head, world.ca, field="ttd_1", index=0)
    [sig] = _verify(plain, world, crls_der=[crl], now=now + timedelta(minutes=1)).signatures
    assert sig.revoked and sig.status == "revoked"


def test_second_signer_with_timestamp_keeps_the_first_valid(world, tsa, stamped):
    twice = sign_with(stamped, world.bkpsdm, world.ca, field="ttd_2", index=1, tsa_url=tsa.url)
    first, second = _verify(twice, world).signatures
    assert first.timestamped and second.timestamped
    assert first.status == second.status == "valid"
    assert not first.modified_after


def test_unreachable_authority_refuses_to_sign(world, letter):
    with pytest.raises(CryptoError) as refused:
        sign_with(letter, world.head, world.ca, field="ttd_1", index=0, tsa_url=closed_port_url())
    assert refused.value.code == "tsa_failed"
    assert "DOCUMENTS_TSA_URL" in refused.value.message


def test_authority_answering_garbage_refuses_to_sign(world, letter):
    broken = LocalTSA(*tsa_material(world.ca), garbage=True)
    with broken, pytest.raises(CryptoError) as refused:
        sign_with(letter, world.head, world.ca, field="ttd_1", index=0, tsa_url=broken.url)
    assert refused.value.code == "tsa_failed"
