"""The agency's development certification authority (cryptography's X.509 builders).

Certificates it issues make real PAdES signatures that any validator checks, but they are not
certified by a certification authority recognised by the state (PP 71/2019): the names say so,
in the CA's common name and in every certificate's organisational unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.utils.translation import gettext as _

from . import CryptoError

# id-kp-documentSigning (RFC 9336): the purpose a document-signing certificate declares.
DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")
NOT_CERTIFIED_OU = "Tidak tersertifikasi — hanya untuk pengembangan"

# Certificates start a little before "now": a signature made right after issuing must not fall
# before not_before on a server whose clock runs slightly behind the issuing one.
_CLOCK_SKEW = timedelta(minutes=5)

_NAME_LABELS = {NameOID.SERIAL_NUMBER: "serialNumber", NameOID.TITLE: "title"}
_CA_SUFFIX = " — CA pengembangan (TIDAK TERSERTIFIKASI)"
# RFC 5280's upper bound for the name attributes we use, in UTF-8 bytes (cryptography enforces
# it for the common name).
_NAME_MAX = 64


@dataclass(frozen=True)
class CertFacts:
    """What a certificate says, for the register and the pages."""

    subject: str
    issuer: str
    serial: str  # hex, lower case
    fingerprint: str  # SHA-256 of the DER, hex
    not_before: datetime  # aware, UTC
    not_after: datetime
    common_name: str = ""


@dataclass(frozen=True)
class Issued:
    certificate_pem: str
    key_pem: bytes  # PKCS#8 PEM, unencrypted: the caller encrypts it (keystore.encrypt)
    serial: str
    fingerprint: str
    subject: str
    issuer: str
    not_before: datetime
    not_after: datetime


def _fit(text: str, limit: int = _NAME_MAX) -> str:
    """The text cut to `limit` UTF-8 bytes (with "..."), so a long agency or a name with many
    titles still gets a certificate; the stamp and the register keep the full text."""
    text = text.strip()
    if len(text.encode()) <= limit:
        return text
    while len(text.encode()) > limit - 3:
        text = text[:-1]
    return text.rstrip() + "..."


def _name_text(name: x509.Name) -> str:
    return name.rfc4514_string(_NAME_LABELS)


def facts_of(cert: x509.Certificate) -> CertFacts:
    """CertFacts of a parsed certificate (verify uses it for the certificates inside a PDF)."""
    cns = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return CertFacts(
        subject=_name_text(cert.subject),
        issuer=_name_text(cert.issuer),
        serial=format(cert.serial_number, "x"),
        fingerprint=cert.fingerprint(hashes.SHA256()).hex(),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        common_name=str(cns[0].value) if cns else "",
    )


def describe(pem: str) -> CertFacts:
    """The facts of a PEM certificate (the first one when given a chain)."""
    return facts_of(load_certificate(pem))


def load_certificate(pem: str) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(pem.encode() if isinstance(pem, str) else pem)
    except (ValueError, TypeError):
        raise CryptoError(
            _("This is not a certificate in PEM format (-----BEGIN CERTIFICATE-----)."),
            code="bad_certificate",
        ) from None


def _load_ca(ca_certificate_pem: str, ca_key_pem: bytes):
    cert = load_certificate(ca_certificate_pem)
    try:
        key = serialization.load_pem_private_key(ca_key_pem, password=None)
    except (ValueError, TypeError):
        raise CryptoError(
            _("The CA's private key cannot be read; create the agency CA again."), code="no_key"
        ) from None
    if key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) != cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ):
        raise CryptoError(
            _("The CA's private key does not belong to its certificate."), code="no_key"
        )
    return cert, key


def _aware(moment: datetime) -> datetime:
    if moment.utcoffset() is None:
        raise ValueError("an aware datetime is required")
    return moment.astimezone(UTC)


def _issued(cert: x509.Certificate, key) -> Issued:
    facts = facts_of(cert)
    return Issued(
        certificate_pem=cert.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        key_pem=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        serial=facts.serial,
        fingerprint=facts.fingerprint,
        subject=facts.subject,
        issuer=facts.issuer,
        not_before=facts.not_before,
        not_after=facts.not_after,
    )


def create_ca(*, agency_name: str, now: datetime, years: int = 10) -> Issued:
    """A self-signed EC P-256 CA for one agency, valid `years` from now."""
    now = _aware(now)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            # The warning is never cut: only the agency's part gives way.
            x509.NameAttribute(
                NameOID.COMMON_NAME,
                _fit(agency_name, _NAME_MAX - len(_CA_SUFFIX.encode())) + _CA_SUFFIX,
            ),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, _fit(agency_name)),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        ]
    )
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _CLOCK_SKEW)
        .not_valid_after(now + timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ski, critical=False)
        .sign(key, hashes.SHA256())
    )
    return _issued(cert, key)


def issue_certificate(
    *,
    ca_certificate_pem: str,
    ca_key_pem: bytes,
    name: str,
    nip: str,
    position: str,
    organisation: str,
    email: str = "",
    now: datetime,
    days: int = 730,
    not_before: datetime | None = None,
) -> Issued:
    """A signing certificate for one person, with a new EC P-256 key, issued by the agency CA.

    It never outlives the CA. `not_before` is for tests that need an already expired
    certificate."""
    now = _aware(now)
    ca_cert, ca_key = _load_ca(ca_certificate_pem, ca_key_pem)
    start = _aware(not_before) if not_before is not None else now - _CLOCK_SKEW
    end = min(start + timedelta(days=days), ca_cert.not_valid_after_utc)
    key = ec.generate_private_key(ec.SECP256R1())
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, _fit(name))]
    if nip:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, _fit(nip)))
    if position:
        attributes.append(x509.NameAttribute(NameOID.TITLE, _fit(position)))
    attributes += [
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, _fit(organisation)),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, NOT_CERTIFIED_OU),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
    ]
    ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attributes))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([DOCUMENT_SIGNING, ExtendedKeyUsageOID.EMAIL_PROTECTION]),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if email:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False
        )
    return _issued(builder.sign(ca_key, hashes.SHA256()), key)


def make_crl(
    *,
    ca_certificate_pem: str,
    ca_key_pem: bytes,
    revoked: list[tuple[str, datetime]],
    number: int,
    now: datetime,
    days: int = 7,
) -> bytes:
    """The CA's certificate revocation list (DER), `revoked` = [(serial hex, revoked at)].

    Valid `days` from now; verification ignores an outdated CRL (soft-fail), so make a new one
    whenever a certificate is revoked and before it runs out."""
    now = _aware(now)
    ca_cert, ca_key = _load_ca(ca_certificate_pem, ca_key_pem)
    ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(now)
        .next_update(now + timedelta(days=days))
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski),
            critical=False,
        )
    )
    for serial, revoked_at in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(int(serial, 16))
            .revocation_date(_aware(revoked_at))
            .build()
        )
    return builder.sign(ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
