"""Remote signing services (e.g. BSrE's): the private key never leaves the service.

A deployment names an adapter class in settings.DOCUMENTS_REMOTE_SIGNER; the adapter speaks the
service's protocol and this module turns it into a pyHanko Signer. pyHanko builds the CMS
signature and asks for the raw signature over the signed attributes only, so what travels to
the service is a digest (the service's "sign hash" operation).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol, runtime_checkable

from asn1crypto import keys as asn1_keys
from cryptography.hazmat.primitives import hashes
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.sign.signers.pdf_cms import Signer
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.sig_validate import DefaultSignatureValidator
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from . import CryptoError

logger = logging.getLogger(__name__)


@runtime_checkable
class RemoteSigningAdapter(Protocol):
    """What a remote signing service must offer. Adapters are constructed without arguments
    (they read their own settings) and raise CryptoError with an actionable message for
    failures the user can fix (e.g. code "wrong_passphrase"); any other exception is reported
    as "remote_failed"."""

    def certificate_chain(self, *, user_ref: str) -> list[str]:
        """The user's certificate chain as PEM texts, the signer's certificate first."""
        ...

    def sign_digest(
        self, *, user_ref: str, digest: bytes, digest_algorithm: str, passphrase: str
    ) -> bytes:
        """The raw signature over an already computed digest (`digest_algorithm` is e.g.
        "sha256"), as CMS carries it: PKCS#1 v1.5 for RSA, DER ECDSA-Sig-Value for EC."""
        ...


def load_adapter(dotted_path: str) -> RemoteSigningAdapter:
    """An instance of the adapter class at `dotted_path` (settings.DOCUMENTS_REMOTE_SIGNER)."""
    if not dotted_path:
        raise CryptoError(
            _(
                "No remote signing service is configured. Ask the administrator to set "
                "DOCUMENTS_REMOTE_SIGNER."
            ),
            code="remote_config",
        )
    try:
        adapter = import_string(dotted_path)()
    except ImportError:
        raise CryptoError(
            _(
                "The remote signing service %(path)s cannot be loaded. Ask the administrator "
                "to check DOCUMENTS_REMOTE_SIGNER."
            )
            % {"path": dotted_path},
            code="remote_config",
        ) from None
    if not isinstance(adapter, RemoteSigningAdapter):
        raise CryptoError(
            _(
                "%(path)s is not a remote signing adapter (it needs certificate_chain and "
                "sign_digest). Ask the administrator to check DOCUMENTS_REMOTE_SIGNER."
            )
            % {"path": dotted_path},
            code="remote_config",
        )
    return adapter


def _remote_failed() -> CryptoError:
    return CryptoError(
        _("The remote signing service did not answer correctly. Try again in a few minutes."),
        code="remote_failed",
    )


def _placeholder_size(public_key: asn1_keys.PublicKeyInfo) -> int:
    """An upper bound of the raw signature's length, so pyHanko can reserve room in the PDF
    without a real (and possibly billed or passphrase-counting) call to the service."""
    if public_key.algorithm == "rsa":
        return (public_key.bit_size + 7) // 8
    # DER ECDSA-Sig-Value: two INTEGERs of at most (coordinate bytes + 1) plus headers.
    return 2 * ((public_key.bit_size + 7) // 8 + 1) + 9


class RemoteSigner(Signer):
    """A pyHanko Signer whose raw signature comes from a RemoteSigningAdapter."""

    def __init__(self, *, adapter: RemoteSigningAdapter, user_ref: str, passphrase: str):
        try:
            chain_pem = adapter.certificate_chain(user_ref=user_ref)
            certs = [
                cert
                for pem in chain_pem
                for cert in load_certs_from_pemder_data(
                    pem.encode() if isinstance(pem, str) else pem
                )
            ]
        except CryptoError:
            raise
        except Exception as exc:  # any failure of third-party code is the service's
            logger.warning("remote signing: certificate_chain failed", exc_info=exc)
            raise _remote_failed() from exc
        if not certs:
            raise _remote_failed()
        self.adapter = adapter
        self.user_ref = user_ref
        self.passphrase = passphrase
        super().__init__(
            signing_cert=certs[0], cert_registry=SimpleCertificateStore.from_certs(certs[1:])
        )

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
        if dry_run:
            return bytes(_placeholder_size(self.signing_cert.public_key))
        digest = hashes.Hash(get_pyca_cryptography_hash(digest_algorithm))
        digest.update(data)
        try:
            signature = await asyncio.to_thread(
                self.adapter.sign_digest,
                user_ref=self.user_ref,
                digest=digest.finalize(),
                digest_algorithm=digest_algorithm,
                passphrase=self.passphrase,
            )
        except CryptoError:
            raise
        except Exception as exc:  # any failure of third-party code is the service's
            logger.warning("remote signing: sign_digest failed", exc_info=exc)
            raise _remote_failed() from exc
        # A service that signed with another key (wrong user, wrong slot) would otherwise
        # leave a stored PDF whose signature never validates.
        try:
            DefaultSignatureValidator().validate_signature(
                signature,
                data,
                self.signing_cert.public_key,
                self.get_signature_mechanism_for_digest(digest_algorithm),
            )
        except Exception as exc:
            logger.warning("remote signing: signature does not match the certificate")
            raise _remote_failed() from exc
        return signature
