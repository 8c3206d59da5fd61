"""The notify app's Huey tasks: plain data in, a service call."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from . import services


@db_task(retries=3, retry_delay=120)
def send_emails(kind: str, subject: str, text: str, people: list[tuple[int, str]]) -> int:
    """E-mail one notice (queued by the e-mail channel); retried when the server is down."""
    return services.send_emails(kind=kind, subject=subject, text=text, people=people)
