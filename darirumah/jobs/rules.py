"""Which timed jobs are due: pure functions over plain data (no ORM, no clock).

A job is due for an agency when, in the agency's zone, today is a working day, the local time has
reached the job's time, and the job has not run yet today. A job missed earlier in the day (the
worker was down) is therefore still due at the next dispatch the same day; a past day is never
caught up, because "today" moves on at local midnight.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time


@dataclass(frozen=True)
class Slot:
    """A job's time of day for one agency (local wall-clock time)."""

    name: str
    at: time


def due_jobs(
    local_now: datetime,
    slots: Iterable[Slot],
    *,
    is_working_day: Callable[[date], bool],
    done: Iterable[str] = (),
) -> list[str]:
    """The names of the jobs to start now, in time order.

    local_now: the current moment in the agency's zone (an aware datetime); slots: the agency's
    jobs with their local times; done: the names that already ran (or were queued) on today's
    local date.
    """
    if local_now.tzinfo is None:
        raise ValueError("local_now must be an aware datetime in the agency's zone")
    today = local_now.date()
    if not is_working_day(today):
        return []
    finished = set(done)
    clock = local_now.time().replace(tzinfo=None)
    due = [s for s in slots if s.name not in finished and s.at <= clock]
    return [s.name for s in sorted(due, key=lambda s: (s.at, s.name))]
