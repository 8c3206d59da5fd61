"""PAdES signing and verification with the agency CA, checked by pyHanko's validator."""

import hashlib
from datetime import timedelta
from io import BytesIO

import pytest
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from darirumah.core import calendar as calendar_service
from darirumah.documents import crypto
from darirumah.documents.crypto import CryptoError

from .crypto_fixtures import LETTER_TEXT, agency, append_page_content, letter_pdf, sign_with


@pytest.fixture(scope="module")
def world():
    return agency()


@pytest.fixture(scope="module")
def letter():
    return letter_pdf()


@pytest.fixture(scope="module")
def signed_once(world, letter):
    return sign_with(letter, world.head, world.ca, field="ttd_1", index=0)


@pytest.fixture(scope="module")
def signed_twice(world, signed_once):
    return sign_with(signed_once, world.bkpsdm, world.ca, field="ttd_2", index=1)


def _verify(data, world, **kwargs):
    return crypto.verify_pdf(data, trust_roots_pem=[world.ca.certificate_pem], **kwargs)


def test_signature_validates_with_pyhanko(world, signed_once):
    reader = PdfFileReader(BytesIO(signed_once))
    [embedded] = reader.embedded_signatures
    status = validate_pdf_signature(
        embedded,
        ValidationContext(trust_roots=[_asn1(world.ca.certificate_pem)], allow_fetching=False),
    )
    assert status.intact and status.valid and status.trusted
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert embedded.md_algorithm == "sha256"


def _asn1(pem):
    return next(load_certs_from_pemder_data(pem.encode()))


def test_verify_reports_a_valid_signature(world, signed_once):
    report = _verify(signed_once, world)
    assert report.is_pdf and not report.error
    assert report.sha256 == hashlib.sha256(signed_once).hexdigest()
    [sig] = report.signatures
    assert sig.field_name == "ttd_1"
    assert sig.signer_name == "Budi Santoso"
    assert sig.serial == world.head.serial
    assert sig.issuer == world.ca.subject
    assert (sig.intact, sig.valid, sig.trusted) == (True, True, True)
    assert (sig.revoked, sig.expired, sig.timestamped) == (False, False, False)
    assert sig.covers_whole_file and not sig.modified_after
    assert sig.status == "valid"
    assert sig.message == "The signature is valid and its certificate is trusted."
    assert abs(sig.signed_at - calendar_service.utcnow()) < timedelta(minutes=5)
    assert sig.revision_sha256 == report.sha256


def test_signing_keeps_the_input_and_adds_an_incremental_update(letter, signed_once):
    assert signed_once.startswith(letter)
    assert crypto.signature_count(letter) == 0
    assert crypto.signature_count(signed_once) == 1


def test_two_signers_in_order_both_stay_valid(world, signed_once, signed_twice):
    assert signed_twice.startswith(signed_once)
    assert crypto.signature_count(signed_twice) == 2
    first, second = _verify(signed_twice, world).signatures
    assert [first.signer_name, second.signer_name] == ["Budi Santoso", "Siti Rahayu"]
    assert first.status == second.status == "valid"
    assert not first.covers_whole_file and not first.modified_after
    assert second.covers_whole_file
    # Each signature names the exact revision it signed, as the register stores them.
    assert first.revision_sha256 == hashlib.sha256(signed_once).hexdigest()
    assert second.revision_sha256 == hashlib.sha256(signed_twice).hexdigest()


def test_changing_one_signed_byte_is_detected(world, signed_twice):
    at = signed_twice.index(LETTER_TEXT.encode())
    tampered = signed_twice[:at] + b"X" + signed_twice[at + 1 :]
    for sig in _verify(tampered, world).signatures:
        assert not sig.intact
        assert sig.status == "invalid"


def test_content_drawn_after_signing_is_reported_modified(world, signed_twice):
    for sig in _verify(append_page_content(signed_twice), world).signatures:
        assert sig.intact and sig.valid  # the signed bytes are still there...
        assert sig.modified_after  # ...but the file shows something else now
        assert sig.status == "modified"


def test_appended_garbage_is_reported_modified(world, signed_once):
    [sig] = _verify(signed_once + b"\nsisipan setelah tanda tangan\n", world).signatures
    assert sig.modified_after and sig.status == "modified"
    # Whitespace after %%EOF is what many tools add and changes nothing.
    [sig] = _verify(signed_once + b"\n", world).signatures
    assert sig.status == "valid"


def test_revoked_certificate_is_reported_revoked(world, signed_once):
    now = calendar_service.utcnow()
    crl = crypto.make_crl(
        ca_certificate_pem=world.ca.certificate_pem,
        ca_key_pem=world.ca.key_pem,
        revoked=[(world.head.serial, now - timedelta(minutes=1))],
        number=1,
        now=now,
    )
    [sig] = _verify(signed_once, world, crls_der=[crl]).signatures
    assert sig.revoked and not sig.trusted
    assert sig.status == "revoked"
    assert "revoked" in sig.message
    # A CRL that does not list it changes nothing.
    clean = crypto.make_crl(
        ca_certificate_pem=world.ca.certificate_pem,
        ca_key_pem=world.ca.key_pem,
        revoked=[],
        number=2,
        now=now,
    )
    [sig] = _verify(signed_once, world, crls_der=[clean]).signatures
    assert sig.status == "valid"


def test_untrusted_root_is_reported_untrusted(signed_once):
    other = agency("Kabupaten Lain")
    [sig] = crypto.verify_pdf(signed_once, trust_roots_pem=[other.ca.certificate_pem]).signatures
    assert sig.intact and sig.valid and not sig.trusted
    assert sig.status == "untrusted"
    [sig] = crypto.verify_pdf(signed_once, trust_roots_pem=[]).signatures
    assert sig.status == "untrusted"


def test_expired_certificate_is_reported_expired(world, letter):
    now = calendar_service.utcnow()
    old = crypto.issue_certificate(
        ca_certificate_pem=world.ca.certificate_pem,
        ca_key_pem=world.ca.key_pem,
        name="Pejabat Lama",
        nip="197001011995011001",
        position="Kepala Dinas",
        organisation="Pemerintah Kabupaten Contoh",
        now=now,
        not_before=now - timedelta(days=400),
        days=30,
    )
    signed = sign_with(letter, old, world.ca, field="ttd_1", index=0)
    [sig] = _verify(signed, world).signatures
    assert sig.expired and not sig.trusted
    assert sig.status == "invalid"
    assert "expired" in sig.message


def test_certificate_that_expired_later_without_timestamp_is_untrusted(world, signed_once):
    later = calendar_service.utcnow() + timedelta(days=800)  # past the 730 days of the cert
    [sig] = _verify(signed_once, world, now=later).signatures
    assert not sig.expired  # it was valid when signed...
    assert not sig.trusted and sig.status == "untrusted"  # ...but nothing proves when that was
    assert "timestamp" in sig.message


def test_default_boxes_fill_the_bottom_of_the_last_page_right_to_left():
    data = letter_pdf(pages=2)
    first = crypto.default_box(data=data, index=0)
    second = crypto.default_box(data=data, index=1)
    third = crypto.default_box(data=data, index=2)
    assert first["page"] == second["page"] == 1
    x1, y1, x2, y2 = first["box"]
    assert round(x2 - x1) == 227 and round(y2 - y1) == 91  # 80 x 32 mm
    assert round(y1) == 43  # 15 mm from the bottom
    assert x2 <= 595 - 42  # inside the A4 page, 15 mm from the edge
    assert second["box"][2] < x1  # to the left of the first
    assert third["box"][1] > y2  # an A4 row holds two; the third goes above


def test_signature_goes_where_asked(world, letter):
    signed = crypto.sign_pdf(
        letter,
        signer=crypto.signer_from_key(
            certificate_pem=world.head.certificate_pem, key_pem=world.head.key_pem
        ),
        field_name="ttd_kepala",
        stamp=crypto.Stamp(
            name="Budi Santoso",
            position="Kepala Dinas",
            signed_at="23-11-2026 07:25 WIB",
            url="https://darirumah.example/v/xyz",
            heading="Ditandatangani secara elektronik oleh",
        ),
        page=0,
        box=[300, 100, 527, 191],
        reason="",
        location="",
        certify=True,
    )
    [embedded] = PdfFileReader(BytesIO(signed)).embedded_signatures
    rect = [round(float(v)) for v in embedded.sig_field["/Rect"]]
    assert rect == [300, 100, 527, 191]
    [sig] = _verify(signed, world).signatures
    assert sig.status == "valid"
    # A certified letter takes no new signature field: that would count as a modification.
    with pytest.raises(CryptoError) as refused:
        sign_with(signed, world.bkpsdm, world.ca, field="ttd_2", index=0)
    assert refused.value.code == "certified"


def test_only_the_first_signature_certifies(world, signed_once):
    with pytest.raises(CryptoError) as refused:
        sign_with(signed_once, world.bkpsdm, world.ca, field="ttd_2", index=1, certify=True)
    assert refused.value.code == "certify_first"


@pytest.mark.parametrize(
    ("page", "box", "code"),
    [(1, [10, 10, 100, 50], "bad_box"), (0, [100, 10, 10, 50], "bad_box"), (0, [1, 2], "bad_box")],
)
def test_bad_place_is_refused(world, letter, page, box, code):
    with pytest.raises(CryptoError) as refused:
        crypto.sign_pdf(
            letter,
            signer=crypto.signer_from_key(
                certificate_pem=world.head.certificate_pem, key_pem=world.head.key_pem
            ),
            field_name="ttd",
            stamp=crypto.Stamp("A", "B", "C", "https://x.example/", "D"),
            page=page,
            box=box,
            reason="",
            location="",
        )
    assert refused.value.code == code


def test_same_field_twice_is_refused(world, signed_once):
    with pytest.raises(CryptoError) as refused:
        sign_with(signed_once, world.bkpsdm, world.ca, field="ttd_1", index=1)
    assert refused.value.code == "field_used"


@pytest.mark.parametrize("data", [b"", b"bukan pdf", b"%PDF-1.7\nrusak sama sekali"])
def test_bad_pdf_is_refused_when_signing(world, data):
    with pytest.raises(CryptoError) as refused:
        sign_with(data, world.head, world.ca, field="ttd", index=0)
    assert refused.value.code == "bad_pdf"
    with pytest.raises(CryptoError):
        crypto.signature_count(data)


def test_key_of_another_certificate_is_refused(world):
    with pytest.raises(CryptoError) as refused:
        crypto.signer_from_key(
            certificate_pem=world.head.certificate_pem, key_pem=world.bkpsdm.key_pem
        )
    assert refused.value.code == "no_key"


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04 a zip file", b"teks" * 100])
def test_verify_of_a_non_pdf_says_so(world, data):
    report = _verify(data, world)
    assert not report.is_pdf
    assert report.error == "This file is not a PDF."
    assert report.signatures == []


def test_verify_of_a_damaged_pdf_says_so(world):
    report = _verify(b"%PDF-1.7\n1 0 obj << >> endobj\n", world)
    assert not report.is_pdf and report.error


def test_unsigned_pdf_has_no_signatures(world, letter):
    report = _verify(letter, world)
    assert report.is_pdf and report.signatures == [] and not report.error
