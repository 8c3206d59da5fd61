"""`darirumah serve [--host 127.0.0.1] [--port 8000] [--workers 2]`: run the app under gunicorn.

The command replaces itself with gunicorn (exec), so Ctrl-C and the signals of a process manager
reach gunicorn directly. DEBUG comes from the environment like every setting; with DEBUG on,
whitenoise serves static files straight from the apps, so collectstatic is only run without it.
"""

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch, reverse

WSGI_APP = "darirumah.wsgi:application"
DEV_SECRET_KEY_PREFIX = "dev-insecure-"


def _bind(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def gunicorn_argv(host: str, port: int, *, workers: int = 2, python: str | None = None):
    """The gunicorn command line for `serve`; a function of its own so it can be tested."""
    return [
        python or sys.executable,
        "-m",
        "gunicorn",
        WSGI_APP,
        "--bind",
        _bind(host, port),
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--error-logfile",
        "-",
        # gunicorn's control socket defaults to one path in $HOME, so two servers on one machine
        # (say the demo and a second port) would clash; nothing here uses it.
        "--no-control-socket",
    ]


def base_url(host: str, port: int) -> str:
    """Where a browser on this machine reaches the server (a wildcard bind means loopback)."""
    shown = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)  # noqa: S104
    return f"http://{_bind(shown, port)}"


def _path(name: str, fallback: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


class Command(BaseCommand):
    help = "Serve DariRumah with gunicorn (access log on standard output)."
    requires_system_checks = []  # gunicorn's workers load the app and run into any problem

    def add_arguments(self, parser):
        parser.add_argument(
            "--host", default="127.0.0.1", help="address to bind (default: %(default)s)"
        )
        parser.add_argument("--port", type=int, default=8000, help="port (default: %(default)s)")
        parser.add_argument("--workers", type=int, default=2, help="web worker processes")
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="with DEBUG off, do not run collectstatic first (already done at deployment)",
        )

    def handle(self, *args, **options):
        host, port, workers = options["host"], options["port"], options["workers"]
        if not 0 < port < 65536:
            raise CommandError(f"--port must be between 1 and 65535 (got {port}).")
        if workers < 1:
            raise CommandError(f"--workers must be 1 or more (got {workers}).")
        if settings.DEBUG:
            self.stdout.write("DEBUG is on: development mode, static files served from the apps.")
        else:
            if settings.SECRET_KEY.startswith(DEV_SECRET_KEY_PREFIX):
                self.stderr.write(
                    "Warning: DEBUG is off but SECRET_KEY is the development key; set SECRET_KEY."
                )
            if not options["no_collectstatic"]:
                call_command("collectstatic", interactive=False, verbosity=0)
        allowed = settings.ALLOWED_HOSTS
        if host not in ("0.0.0.0", "::", *allowed) and "*" not in allowed:  # noqa: S104
            self.stderr.write(
                f"Warning: {host} is not in ALLOWED_HOSTS ({', '.join(allowed)}); requests for it "
                "will be refused. Set ALLOWED_HOSTS."
            )

        url = base_url(host, port)
        login = resolve_url(settings.LOGIN_URL)
        login = login if login.startswith("/") else "/"
        docs = _path("api:openapi-view", "/api/v1/docs")
        self.stdout.write(f"DariRumah at {url}/")
        self.stdout.write(f"  log in:   {url}{login}")
        self.stdout.write(f"  API docs: {url}{docs}")
        self.stdout.write("Stop with Ctrl-C.")

        # The background job worker (reminders at 07:00, the 15:00 recap, month-end jobs) will be
        # started here, as a child process, before gunicorn takes over this process: children
        # share the terminal's process group, so Ctrl-C stops both.

        argv = gunicorn_argv(host, port, workers=workers)
        self.stdout.flush()
        sys.stderr.flush()
        os.execvp(argv[0], argv)  # noqa: S606 — our own fixed command line, no shell
