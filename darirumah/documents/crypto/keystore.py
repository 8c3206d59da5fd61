"""Secrets at rest: private keys and PKCS#12 files are stored Fernet-encrypted.

The Fernet key is derived with HKDF-SHA256 from settings.DOCUMENTS_KEY, or from SECRET_KEY when
that is empty, so a deployment needs no extra secret to start but can separate the two (rotating
SECRET_KEY then does not lose the signing keys).
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils.translation import gettext as _

from . import CryptoError

# Fixed on purpose: changing either makes every stored key unreadable.
_SALT = b"darirumah.documents.keystore"
_INFO = b"fernet-v1"


def _fernet() -> Fernet:
    secret = settings.DOCUMENTS_KEY or settings.SECRET_KEY
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=_INFO).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(data: bytes) -> str:
    """The data encrypted and authenticated, as URL-safe text for a TextField."""
    return _fernet().encrypt(data).decode("ascii")


def decrypt(token: str) -> bytes:
    """The data `encrypt` was given; CryptoError("bad_token") when the token was altered or was
    encrypted under another DOCUMENTS_KEY/SECRET_KEY."""
    try:
        return _fernet().decrypt(token.encode("ascii") if isinstance(token, str) else token)
    except (InvalidToken, UnicodeEncodeError, TypeError, ValueError):
        raise CryptoError(
            _(
                "The stored key cannot be decrypted. The server's DOCUMENTS_KEY (or SECRET_KEY) "
                "has changed since it was saved; restore the old key or issue a new certificate."
            ),
            code="bad_token",
        ) from None
