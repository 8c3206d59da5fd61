"""The product's own commands: `token` and `serve` (the demo has test_demo.py)."""

import re
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from darirumah.org.management.commands import serve
from darirumah.org.models import ApiToken

KEY = re.compile(r"^(drt_\S+)$", re.MULTILINE)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The cast's logins get passwords; the real hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def me(key: str):
    return Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")


# --- token ---------------------------------------------------------------------------------


def test_token_create_prints_a_key_that_authenticates(cast):
    out = run("token", "create", cast.pegawai.user.username, "--name", "laporan harian")
    key = KEY.search(out).group(1)
    assert "not shown again" in out

    response = me(key)
    assert response.status_code == 200
    assert response.json()["username"] == cast.pegawai.user.username
    assert "pegawai" in response.json()["roles"]
    token = ApiToken.objects.get(user=cast.pegawai.user)
    assert token.name == "laporan harian"
    assert key not in (token.key_hash, token.prefix)  # only the hash is stored


def test_token_create_finds_the_user_by_nip(cast):
    nip = cast.bkpsdm.nip
    spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"  # as printed on an ID card
    key = KEY.search(run("token", "create", spaced)).group(1)
    assert me(key).json()["username"] == cast.bkpsdm.user.username


def test_token_create_for_an_unknown_user_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No user or employee with NIP or username 'nobody'"):
        run("token", "create", "nobody")
    with pytest.raises(CommandError, match="No user or employee"):
        run("token", "create", "199001012015011001")
    assert not ApiToken.objects.exists()


def test_token_create_refuses_an_inactive_user(cast):
    cast.peer.user.is_active = False
    cast.peer.user.save()
    with pytest.raises(CommandError, match="inactive"):
        run("token", "create", cast.peer.nip)


def test_token_list_and_revoke(cast):
    username = cast.atasan.user.username
    key = KEY.search(run("token", "create", username, "--name", "skrip rekap")).group(1)
    token = ApiToken.objects.get(user=cast.atasan.user)

    listing = run("token", "list", username)
    assert "skrip rekap" in listing and token.prefix in listing and "active" in listing
    assert key not in listing

    assert f"Token {token.pk}" in run("token", "revoke", str(token.pk))
    assert me(key).status_code == 401
    assert "revoked" in run("token", "list", username)
    assert "already revoked" in run("token", "revoke", str(token.pk))


def test_token_list_and_revoke_errors(cast):
    assert "no API tokens" in run("token", "list", cast.peer.nip)
    with pytest.raises(CommandError, match="No API token with id 999999"):
        run("token", "revoke", "999999")
    with pytest.raises(CommandError, match="No user or employee"):
        run("token", "list", "siapa")


# --- serve ---------------------------------------------------------------------------------


def test_gunicorn_argv():
    argv = serve.gunicorn_argv("127.0.0.1", 8000)
    assert argv[:4] == [sys.executable, "-m", "gunicorn", "darirumah.wsgi:application"]
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8000"
    assert argv[argv.index("--workers") + 1] == "2"
    assert argv[argv.index("--access-logfile") + 1] == "-"  # the access log on stdout


def test_gunicorn_argv_binds_ipv6_in_brackets():
    argv = serve.gunicorn_argv("::1", 9000, workers=4, python="/usr/bin/python3")
    assert argv[0] == "/usr/bin/python3"
    assert argv[argv.index("--bind") + 1] == "[::1]:9000"
    assert argv[argv.index("--workers") + 1] == "4"


def test_serve_prints_the_urls_then_execs_gunicorn(monkeypatch, settings):
    settings.DEBUG = True
    calls = []
    monkeypatch.setattr(serve.os, "execvp", lambda file, argv: calls.append((file, argv)))

    out = run("serve", "--host", "0.0.0.0", "--port", "8123")

    assert "http://127.0.0.1:8123/" in out  # a wildcard bind is reached on loopback
    assert "http://127.0.0.1:8123/api/v1/docs" in out
    assert re.search(r"log in: +http://127\.0\.0\.1:8123/\S*", out)
    [(file, argv)] = calls
    assert file == sys.executable
    assert argv == serve.gunicorn_argv("0.0.0.0", 8123)


def test_serve_without_debug_collects_static_files_first(monkeypatch, settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = str(tmp_path)
    collected = []
    monkeypatch.setattr(serve.os, "execvp", lambda file, argv: None)
    monkeypatch.setattr(serve, "call_command", lambda *a, **kw: collected.append(a))
    run("serve")
    assert collected == [("collectstatic",)]
    collected.clear()
    run("serve", "--no-collectstatic")
    assert collected == []


def test_serve_rejects_a_bad_port():
    with pytest.raises(CommandError, match="--port"):
        run("serve", "--port", "0")
