"""The cryptography of electronic signatures, with no ORM: keys at rest, the agency's development
CA, imported PKCS#12 files, remote signing services, PAdES signing and verification (pyHanko).

Services call these functions with plain values (PEM text, bytes) and store the results; nothing
here reads the database or the clock.
"""

from __future__ import annotations

from darirumah.core.errors import DomainError


class CryptoError(DomainError):
    """A refused cryptographic operation: `message` says what to do, `code` is for programs
    ("wrong_passphrase", "not_pkcs12", "no_key", "no_certificate", "bad_pdf", "tsa_failed",
    "remote_failed", "remote_config", "bad_token", "bad_certificate", "sign_failed").

    It is a DomainError, so the API and the pages already turn it into a 400 with the message."""

    code = "crypto"


# Re-exports: the public surface the services use. Imported after CryptoError, which the
# submodules import from here.
from .ca import CertFacts, Issued, create_ca, describe, issue_certificate, make_crl  # noqa: E402
from .keystore import decrypt, encrypt  # noqa: E402
from .pkcs12 import Loaded, read_pkcs12  # noqa: E402
from .remote import RemoteSigner, RemoteSigningAdapter, load_adapter  # noqa: E402
from .sign import (  # noqa: E402
    Stamp,
    default_box,
    sign_pdf,
    signature_count,
    signer_from_key,
    signer_from_pkcs12,
    signer_from_remote,
)
from .verify import SignatureReport, VerifyReport, verify_pdf  # noqa: E402

__all__ = [
    "CertFacts",
    "CryptoError",
    "Issued",
    "Loaded",
    "RemoteSigner",
    "RemoteSigningAdapter",
    "SignatureReport",
    "Stamp",
    "VerifyReport",
    "create_ca",
    "decrypt",
    "default_box",
    "describe",
    "encrypt",
    "issue_certificate",
    "load_adapter",
    "make_crl",
    "read_pkcs12",
    "sign_pdf",
    "signature_count",
    "signer_from_key",
    "signer_from_pkcs12",
    "signer_from_remote",
    "verify_pdf",
]
