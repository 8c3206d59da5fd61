"""Imported PKCS#12 files (.p12/.pfx) from a certification authority such as BSrE.

The caller keeps the file as given (encrypted again at rest with the keystore) and asks for the
passphrase at every signature; here we only check the file and describe its certificate.
"""

from __future__ import annotations

from dataclasses import dataclass

from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.utils.translation import gettext as _

from . import CryptoError
from .ca import CertFacts, facts_of


@dataclass(frozen=True)
class Loaded:
    certificate_pem: str
    chain_pem: str  # the other certificates in the file, concatenated PEM ("" when none)
    facts: CertFacts


def _is_pkcs12_structure(data: bytes) -> bool:
    """Whether the bytes parse as a PKCS#12 PFX at all; tells a wrong passphrase (it does) from
    a file of another kind (it does not), which cryptography reports with the same error."""
    try:
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        return pfx["version"].native == "v3" and pfx["auth_safe"]["content_type"].native == "data"
    except (ValueError, TypeError, KeyError):
        return False


def load(data: bytes, passphrase: str) -> pkcs12.PKCS12KeyAndCertificates:
    """The key and certificates of a PKCS#12 file, or CryptoError naming what is wrong."""
    try:
        bundle = pkcs12.load_pkcs12(data, passphrase.encode() if passphrase else None)
    except (ValueError, TypeError):
        if not _is_pkcs12_structure(data):
            raise CryptoError(
                _("This file is not a PKCS#12 certificate (.p12 or .pfx)."), code="not_pkcs12"
            ) from None
        raise CryptoError(
            _("The passphrase of the certificate file is wrong. Check it and try again."),
            code="wrong_passphrase",
        ) from None
    if bundle.key is None:
        raise CryptoError(
            _(
                "The certificate file holds no private key. Export it again from the "
                "certification authority together with its private key."
            ),
            code="no_key",
        )
    if bundle.cert is None:
        raise CryptoError(
            _("The certificate file holds no signing certificate."), code="no_certificate"
        )
    spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    key_spki = bundle.key.public_key().public_bytes(*spki)
    if key_spki != bundle.cert.certificate.public_key().public_bytes(*spki):
        raise CryptoError(
            _("The private key in the certificate file does not belong to its certificate."),
            code="no_key",
        )
    return bundle


def read_pkcs12(data: bytes, passphrase: str) -> Loaded:
    """Check a PKCS#12 file and describe its signing certificate."""
    bundle = load(data, passphrase)
    cert = bundle.cert.certificate
    return Loaded(
        certificate_pem=cert.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        chain_pem="".join(
            other.certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")
            for other in bundle.additional_certs
        ),
        facts=facts_of(cert),
    )
