"""The log of every read and change of named health data (UU 27/2022: access to specific
personal data is limited, logged and justified). Selectors and services that show or change a
name call `health_access_log` in the same request; the reason is the one the caller gave.

Where the reason comes from:
- the API: the `reason` query parameter (reads) or the body's `reason` (writes), or the
  `X-Access-Reason` header;
- the pages: the reason form (views/reason.py) keeps it in the session for the agency's
  `reason_minutes` (30 by default), then asks again.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from darirumah.core import calendar as calendar_service
from darirumah.core.errors import DomainError
from darirumah.health.models import HealthAccessLog
from darirumah.org.access import Access

REASON_MIN = 5  # characters: "cek" is not a reason
REASON_MAX = 300
SESSION_KEY = "health_reason"


def clean_reason(reason: str | None) -> str:
    """The reason as given, or a DomainError (code reason_required) a person can act on."""
    text = " ".join((reason or "").split())
    if len(text) < REASON_MIN:
        raise DomainError(
            _(
                "Health data is sensitive personal data: say why you open it (at least "
                "%(n)s characters), e.g. 'tracing the contacts of a new case'."
            )
            % {"n": REASON_MIN},
            code="reason_required",
            fields={"reason": [_("Required.")]},
        )
    return text[:REASON_MAX]


def request_reason(request, given: str | None = None) -> str:
    """The caller's reason: `given` (a body field or query parameter), else the
    X-Access-Reason header, else the one the pages keep in the session while it is fresh."""
    if given and given.strip():
        return clean_reason(given)
    header = request.headers.get("X-Access-Reason", "")
    if header.strip():
        return clean_reason(header)
    return clean_reason(session_reason(request))


def session_reason(request) -> str:
    """The reason given on the reason page, if it is still fresh ('' otherwise)."""
    from datetime import datetime, timedelta

    from darirumah.health.selectors.settings import health_config
    from darirumah.org.access import access_for

    kept = getattr(request, "session", {}).get(SESSION_KEY) if hasattr(request, "session") else None
    if not kept:
        return ""
    access = access_for(request.user)
    if access.agency_id is None:
        return ""
    minutes = health_config(access.agency_id).reason_minutes
    try:
        given_at = datetime.fromisoformat(kept["at"])
    except (KeyError, TypeError, ValueError):
        return ""
    if calendar_service.utcnow() - given_at > timedelta(minutes=minutes):
        return ""
    return str(kept.get("text", ""))


def session_reason_keep(request, reason: str) -> str:
    """Keep the reason given on the reason page for the next minutes."""
    text = clean_reason(reason)
    request.session[SESSION_KEY] = {"text": text, "at": calendar_service.utcnow().isoformat()}
    return text


def health_access_log(
    *,
    access: Access,
    agency_id: int,
    action: str,
    subject: str,
    reason: str,
    employees: Iterable[int] = (),
) -> HealthAccessLog:
    """Write one line of the log: `access.user` did `action` on `subject` (e.g. "case:12"),
    showing or changing the named `employees`, because of `reason`."""
    if action not in HealthAccessLog.Action.values:
        raise ValueError(f"health_access_log: unknown action {action!r}")
    return HealthAccessLog.objects.create(
        agency_id=agency_id,
        user=access.user if getattr(access.user, "pk", None) else None,
        at=calendar_service.utcnow(),
        action=action,
        subject=subject[:60],
        employees=sorted({int(e) for e in employees}),
        reason=clean_reason(reason),
    )
