"""Closures and disinfection (Kepmenkes 328/2020): a room is closed at least 24 hours (a
setting) before it is disinfected. Pure functions over aware datetimes, no ORM.

- a closure takes effect when it is recorded, or at the start of its first day when that is
  later (a closure planned for Monday does not count the weekend);
- a disinfection is recorded once it has happened (not in the future), at least the set hours
  after the closure took effect, and before the building opened again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

TOO_EARLY = "too_early"
AFTER_REOPENING = "after_reopening"
IN_FUTURE = "in_future"


@dataclass(frozen=True)
class Refusal:
    """Why a disinfection cannot be recorded at that moment: `code` for programs; `earliest`
    (with too_early) the first moment allowed."""

    code: str
    earliest: datetime | None = None


def closed_since(created_at: datetime, starts_at: datetime) -> datetime:
    """The moment the closure takes effect: the later of when it was recorded and the start
    (local midnight) of its first day."""
    return max(created_at, starts_at)


def earliest_disinfection(since: datetime, hours: int) -> datetime:
    """The first moment a room closed at `since` may be disinfected."""
    return since + timedelta(hours=hours)


def check_disinfection(
    performed_at: datetime,
    since: datetime,
    hours: int,
    closure_end: datetime,
    now: datetime,
) -> Refusal | None:
    """None when a disinfection at `performed_at` may be recorded, else the refusal.

    since: when the closure took effect; hours: how long a room stays closed first;
    closure_end: the moment the building opens again (the start of the first open day);
    now: the server's clock. A disinfection exactly `hours` after the closure is allowed.
    """
    if performed_at > now:
        return Refusal(IN_FUTURE)
    earliest = earliest_disinfection(since, hours)
    if performed_at < earliest:
        return Refusal(TOO_EARLY, earliest)
    if performed_at >= closure_end:
        return Refusal(AFTER_REOPENING)
    return None
