"""Keys at rest: Fernet under a key derived from DOCUMENTS_KEY, or SECRET_KEY when it is empty."""

import pytest

from darirumah.documents.crypto import CryptoError, decrypt, encrypt


def test_round_trip(settings):
    settings.DOCUMENTS_KEY = "kunci-dokumen-uji"
    token = encrypt(b"-----BEGIN PRIVATE KEY-----\nrahasia")
    assert isinstance(token, str)
    assert b"rahasia" not in token.encode()
    assert decrypt(token) == b"-----BEGIN PRIVATE KEY-----\nrahasia"


def test_falls_back_to_secret_key_and_a_changed_key_cannot_decrypt(settings):
    settings.DOCUMENTS_KEY = ""
    settings.SECRET_KEY = "rahasia-server-pertama"
    token = encrypt(b"kunci privat")
    assert decrypt(token) == b"kunci privat"

    settings.SECRET_KEY = "rahasia-server-kedua"
    with pytest.raises(CryptoError) as refused:
        decrypt(token)
    assert refused.value.code == "bad_token"

    # DOCUMENTS_KEY set: SECRET_KEY no longer matters.
    settings.DOCUMENTS_KEY = "kunci-dokumen"
    token = encrypt(b"kunci privat")
    settings.SECRET_KEY = "rahasia-server-ketiga"
    assert decrypt(token) == b"kunci privat"


@pytest.mark.parametrize("token", ["bukan-token", "", "gAAAAABkZ" + "x" * 80, "é"])
def test_bad_token_is_refused(token):
    with pytest.raises(CryptoError) as refused:
        decrypt(token)
    assert refused.value.code == "bad_token"
    assert "DOCUMENTS_KEY" in refused.value.message


def test_altered_token_is_refused():
    token = encrypt(b"kunci privat")
    altered = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
    with pytest.raises(CryptoError):
        decrypt(altered)
