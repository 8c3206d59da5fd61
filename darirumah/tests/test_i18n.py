"""Every user-facing string has an Indonesian translation, and Indonesian is the default."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

PACKAGE = Path(__file__).resolve().parents[1]
PO = PACKAGE / "locale" / "id" / "LC_MESSAGES" / "django.po"


def statistics(po: Path) -> dict[str, int]:
    """msgfmt's own count of translated, fuzzy and untranslated messages."""
    out = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for number, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", out):
        counts[kind] = int(number)
    return counts


def test_indonesian_is_the_default_language():
    assert settings.LANGUAGE_CODE == "id"
    assert [code for code, _ in settings.LANGUAGES] == ["id", "en"]


def test_the_indonesian_catalogue_is_complete():
    counts = statistics(PO)
    assert counts["translated"] > 100
    assert counts["fuzzy"] == 0
    assert counts["untranslated"] == 0


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed")
def test_no_string_in_the_code_is_missing_from_the_catalogue(tmp_path):
    """Re-extract the strings from a copy of the code; anything new would be untranslated."""
    copy = tmp_path / "darirumah"
    shutil.copytree(
        PACKAGE,
        copy,
        ignore=shutil.ignore_patterns("locale", "tests", "static", "__pycache__", "migrations"),
    )
    (tmp_path / "locale" / "id" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(PO, tmp_path / "locale" / "id" / "LC_MESSAGES" / "django.po")
    env = {"PATH": "/usr/bin:/bin:/usr/local/bin", "PYTHONPATH": ""}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "id", "--no-obsolete", "-v", "0"],
        cwd=tmp_path,
        env=env,
        check=True,
    )
    counts = statistics(tmp_path / "locale" / "id" / "LC_MESSAGES" / "django.po")
    assert counts["untranslated"] == 0 and counts["fuzzy"] == 0, (
        "strings without an Indonesian translation: run `make messages-update` and translate "
        f"them in {PO.relative_to(PACKAGE.parent)} ({counts})"
    )


@pytest.mark.django_db
def test_pages_speak_indonesian_whatever_the_phone_language():
    """An ASN's phone set to English still gets Indonesian until they choose English."""
    page = Client().get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="id"' in page.content.decode()
    assert "NIP atau nama pengguna" in page.content.decode()


@pytest.mark.django_db
def test_the_language_switcher_sets_english_for_pages():
    client = Client()
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert switched.status_code == 302
    page = client.get("/login/")
    assert 'lang="en"' in page.content.decode()
    assert "NIP or username" in page.content.decode()


@pytest.mark.django_db
def test_api_clients_may_ask_for_english(cast):
    client = Client()
    client.force_login(cast.pegawai.user)
    indonesian = client.get("/api/v1/employees/999999").json()["error"]["message"]
    english = client.get("/api/v1/employees/999999", HTTP_ACCEPT_LANGUAGE="en").json()
    assert indonesian == "Tidak ditemukan, atau tidak dapat Anda lihat."
    assert english["error"]["message"] == "Not found, or not visible to you."
