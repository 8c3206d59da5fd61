"""The timed jobs: each app registers its own, the dispatcher starts them at each agency's time.

    from darirumah.jobs.registry import register_timed_job

    register_timed_job(
        DAILY_RECAP,
        at=lambda agency, rules: rules.report_time,   # a local time of day
        task=recap_send,                               # task(agency_id=…, day=…) -> summary
    )

Register in the app's AppConfig.ready() (or a module it imports). `at` gets the Agency and the
agency-wide RuleSet of the circular in force that day (the defaults when none is): a job whose
time differs per unit (the video call) registers the earliest time and sorts out the units in
its task. `task` is a plain function, or a Huey task (its undecorated function is called); it
runs inside the worker's `run_timed_job` task, once per agency and local working day, and returns
a short summary (text or a number) that the job-runs page shows. It must be safe to run again
(e.g. notices with a dedupe key): an exception leaves a failed run with its error on /jobs/, and
deleting that JobRun (in /admin/) lets the next dispatch run the job again, the same day only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

# The timed jobs of issue 4. The reminder is registered by darirumah.jobs.reminders; the
# attendance app registers the other three under these names.
CHECKIN_REMINDER = "attendance.checkin_reminder"  # 07:00: today's mode and the deadline
VICON_LINK = "attendance.vicon_link"  # before the video call (14:00 or 15:00): the meeting link
DAILY_RECAP = "attendance.daily_recap"  # the circular's report time (15:00): each OPD's recap
END_OF_DAY_ABSENCE = "attendance.absence"  # end of the working day: mark the absent


@dataclass(frozen=True)
class TimedJob:
    name: str
    at: Callable  # (agency, rules) -> time
    task: Callable  # (*, agency_id: int, day: date) -> str | int | None
    label: str = ""  # for people (a lazy string); the name when empty


_JOBS: dict[str, TimedJob] = {}


def register_timed_job(name: str, *, at: Callable, task: Callable, label="") -> TimedJob:
    """Add (or replace, for a reload) the timed job `name` (at most 64 characters); `label` is
    what the job-runs page calls it."""
    if not name or len(name) > 64:
        raise ValueError("a timed job needs a name of 1 to 64 characters")
    if not callable(at) or not callable(task):
        raise ValueError("register_timed_job needs callables for `at` and `task`")
    job = TimedJob(name=name, at=at, task=getattr(task, "call_local", task), label=label)
    _JOBS[name] = job
    return job


def unregister_timed_job(name: str) -> None:
    _JOBS.pop(name, None)


def timed_jobs() -> list[TimedJob]:
    return list(_JOBS.values())


def timed_job(name: str) -> TimedJob | None:
    return _JOBS.get(name)


def label_of(name: str) -> str:
    job = _JOBS.get(name)
    return str(job.label) if job is not None and job.label else name


def minutes_before(clock: time, minutes: int) -> time:
    """A local time `minutes` earlier the same day (never before midnight), e.g. the link
    15 minutes before a 14:00 call."""
    moment = datetime.combine(date(2000, 1, 2), clock) - timedelta(minutes=minutes)
    return clock.min if moment.date() < date(2000, 1, 2) else moment.time()
