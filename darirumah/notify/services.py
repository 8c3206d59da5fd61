"""Telling people about things: one `notify()` call, delivered through pluggable channels.

Channels today: the in-app inbox (rows of `Notification`) and e-mail (Django's mail backend, from
the EMAIL_* settings). A WhatsApp gateway is another `Channel` subclass passed to
`register_channel()`; callers then name it in `channels=`.

Language: notices are written in the deployment's default language (settings.LANGUAGE_CODE,
Indonesian), not in the language of whoever triggered them. Callers pass lazy strings
(gettext_lazy, or a `format_lazy`) or build their strings under
`translation.override(settings.LANGUAGE_CODE)`; `notify()` renders lazy strings under that
override.

Delivery never breaks the caller: a channel that fails is logged and the others still run. Call
`notify()` from `transaction.on_commit` so nobody is told about a change that was rolled back.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from darirumah.core.calendar import utcnow
from darirumah.org.access import Access
from darirumah.org.models import Employee, User

from .models import KIND_PATTERN, Notification

logger = logging.getLogger(__name__)

DEFAULT_CHANNELS = ("inbox", "email")
TITLE_MAX = Notification._meta.get_field("title").max_length
LINK_MAX = Notification._meta.get_field("link").max_length
KEY_MAX = Notification._meta.get_field("key").max_length


@dataclass(frozen=True)
class Notice:
    """What is said, already rendered to plain text."""

    kind: str
    title: str
    body: str
    link: str = ""
    key: str | None = None


@dataclass(frozen=True)
class Recipient:
    user: User
    agency_id: int | None
    email: str  # "" when the person has no address


class Channel:
    """One way of reaching people. `deliver` may raise: `notify()` logs it and carries on."""

    name: ClassVar[str]

    def deliver(self, recipients: Sequence[Recipient], notice: Notice) -> None:
        raise NotImplementedError


class InboxChannel(Channel):
    """A row per person in the in-app inbox; a repeated key for the same person is dropped."""

    name = "inbox"

    def deliver(self, recipients: Sequence[Recipient], notice: Notice) -> None:
        now = utcnow()
        rows = [
            Notification(
                recipient=r.user,
                agency_id=r.agency_id,
                kind=notice.kind,
                title=notice.title,
                body=notice.body,
                link=notice.link,
                key=notice.key,
                created_at=now,
            )
            for r in recipients
        ]
        # A savepoint: should the insert fail, the caller's own transaction stays usable.
        # ignore_conflicts is ON CONFLICT DO NOTHING on both SQLite and PostgreSQL, so a job that
        # runs twice (or twice at once) leaves one row per person and key.
        with transaction.atomic():
            Notification.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


class EmailChannel(Channel):
    """A plain-text e-mail to everyone with an address. The sending is queued on the job runner
    (`send_emails`), so a slow or unreachable mail server never holds up a page or a job."""

    name = "email"

    def deliver(self, recipients: Sequence[Recipient], notice: Notice) -> None:
        people = [(r.user.pk, r.email) for r in recipients if r.email]
        if not people:
            return
        text = notice.body
        if notice.link:
            with translation.override(settings.LANGUAGE_CODE):
                text += "\n\n" + _("Open it in DariRumah: %(url)s") % {
                    "url": absolute_url(notice.link)
                }
        from . import tasks  # the task module imports this one

        tasks.send_emails(notice.kind, notice.title, text, people)


def send_emails(*, kind: str, subject: str, text: str, people: Sequence[tuple[int, str]]) -> int:
    """Send one notice to (user id, address) pairs over one connection; returns how many were
    sent. A server that cannot be reached raises (the job runner retries: nothing was sent);
    one refused address is logged and the rest still go."""
    sent = 0
    with get_connection(fail_silently=False) as connection:
        for user_id, address in people:
            message = EmailMessage(subject=subject, body=text, to=[address], connection=connection)
            try:
                message.send()
            except Exception:
                logger.exception("notify: e-mail %s to user %s failed", kind, user_id)
            else:
                sent += 1
    return sent


CHANNELS: dict[str, Channel] = {}


def register_channel(channel: Channel) -> Channel:
    """Make a channel available to `notify(..., channels=(name, ...))`."""
    CHANNELS[channel.name] = channel
    return channel


register_channel(InboxChannel())
register_channel(EmailChannel())


def absolute_url(link: str) -> str:
    """A link inside DariRumah as a full address for e-mail (SITE_URL + path)."""
    base = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    return f"{base}{link}" if base else link


def is_local_link(link: str) -> bool:
    """A path on this site ("/roster/me/"): never another host, a scheme or a protocol-relative
    URL, so an inbox link cannot send someone elsewhere."""
    return (
        link.startswith("/")
        and not link.startswith("//")
        and len(link) <= LINK_MAX
        and url_has_allowed_host_and_scheme(link, allowed_hosts=set())
    )


def _one_line(value: str) -> str:
    # Titles become e-mail subjects: no line breaks (a header injection), no runs of spaces.
    return " ".join(value.split())


def _recipients(people: Iterable, key: str | None) -> list[Recipient]:
    """Active users (given as users, employees or user ids), once each, minus those who already
    have a notice with this key."""
    user_ids = set()
    for person in people:
        if person is None:
            continue
        if isinstance(person, int):
            user_ids.add(person)
        elif isinstance(person, Employee):
            if person.user_id is not None:
                user_ids.add(person.user_id)
        else:
            user_ids.add(person.pk)
    if key is not None and user_ids:
        user_ids -= set(
            Notification.objects.filter(recipient_id__in=user_ids, key=key).values_list(
                "recipient_id", flat=True
            )
        )
    if not user_ids:
        return []
    found = []
    for user in User.objects.filter(pk__in=user_ids, is_active=True).select_related("employee"):
        employee = getattr(user, "employee", None)
        if employee is not None and not employee.is_active:
            continue
        email = user.email or (employee.email if employee is not None else "")
        found.append(
            Recipient(
                user=user,
                agency_id=employee.agency_id if employee is not None else None,
                email=email,
            )
        )
    return found


def notify(
    recipients: Iterable,
    *,
    kind: str,
    title,
    body,
    link: str = "",
    key: str | None = None,
    channels: Sequence[str] = DEFAULT_CHANNELS,
) -> int:
    """Tell people (users, employees or user ids) something; returns how many were told.

    kind: a dotted slug ("roster.published"). title, body: text or lazy strings, rendered in the
    default language. link: a path on this site. key: for jobs that may run twice, e.g.
    "attendance.reminder:2026-08-18": a person who already has a notice with this key is skipped
    on every channel (the inbox records the key, so pass a key only with the inbox channel).

    Wrong arguments are a programming error (ValueError); a failing channel is only logged.
    """
    if not re.fullmatch(KIND_PATTERN, kind):
        raise ValueError(f"notify: kind {kind!r} is not a dotted slug like 'roster.published'")
    if link and not is_local_link(link):
        raise ValueError(f"notify: link {link!r} is not a path on this site")
    if key is not None and not 0 < len(key) <= KEY_MAX:
        raise ValueError(f"notify: key must be 1 to {KEY_MAX} characters")
    unknown = [name for name in channels if name not in CHANNELS]
    if unknown:
        raise ValueError(f"notify: unknown channels {unknown}; known: {sorted(CHANNELS)}")
    with translation.override(settings.LANGUAGE_CODE):
        notice = Notice(
            kind=kind,
            title=_one_line(str(title))[:TITLE_MAX],
            body=str(body).strip(),
            link=link,
            key=key,
        )
    people = _recipients(recipients, key)
    if not people:
        return 0
    for name in channels:
        try:
            CHANNELS[name].deliver(people, notice)
        except Exception:
            logger.exception(
                "notify: channel %s failed for %s (%d recipients)", name, kind, len(people)
            )
    return len(people)


def mark_read(*, access: Access, ids: Iterable[int] | Literal["all"]) -> int:
    """Mark the caller's own notices read (the given ids, or "all"); returns how many changed.
    Ids of other people's notices are ignored: they are not the caller's to touch."""
    unread = Notification.objects.filter(recipient=access.user, read_at__isnull=True)
    if ids != "all":
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=utcnow())
