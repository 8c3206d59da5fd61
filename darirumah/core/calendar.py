"""The one calendar service: the clock, the agency's zone, and its working days.

Nothing else in the program reads the clock. "Now" is UTC from `utcnow()`; "today", "07:30" and
"15:00" are always the agency's local time in its zone (WIB, WITA or WIT). Working days are
weekdays that are neither national holidays (the `holidays` package), national joint leave
(cuti bersama, when the agency observes it) nor the agency's own days off; the agency can also
declare a day a working day against all of these.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from django.utils import timezone

from .memo import Fingerprinted
from .rules import PERPRES_21_2023, ZONES, WorkHours

# A horizon guard for working-day searches: no agency has a year without working days, so more
# than this many consecutive days off means the calendar is broken (not that n is large).
_MAX_SEARCH_DAYS = 366

# Indonesian weekday names (0 = Monday), the reason given for a weekday the rule set does not work.
_WEEKDAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def utcnow() -> datetime:
    """The server's clock, timezone-aware in UTC. The single place the program reads the time."""
    return timezone.now()


def zone_info(zone: str) -> ZoneInfo:
    try:
        return ZoneInfo(ZONES[zone])
    except KeyError:
        raise ValueError(f"unknown zone {zone!r}; expected one of {', '.join(ZONES)}") from None


@functools.lru_cache(maxsize=64)
def _national_days(year: int, category: str) -> Mapping[date, str]:
    """National days off of one `holidays` category: "public" holidays or "government" joint
    leave (cuti bersama), named in Indonesian."""
    return dict(holidays.country_holidays("ID", years=year, categories=(category,), language="id"))


class DayOff:
    """Why a day is not worked: the kinds `AgencyCalendar.day_off` returns."""

    AGENCY = "agency"  # the agency's own day off
    NATIONAL = "national"  # a national public holiday
    JOINT_LEAVE = "joint_leave"  # national joint leave (cuti bersama)
    WEEKEND = "weekend"  # a weekday the working-hours rule does not work


@dataclass(frozen=True)
class AgencyCalendar:
    """Working time for one agency, built from plain data so it is cheap to test and to pass."""

    zone: str = "WIB"
    hours: WorkHours = PERPRES_21_2023
    observe_joint_leave: bool = True
    days_off: Mapping[date, str] = field(default_factory=dict)  # agency holidays / joint leave
    days_on: frozenset[date] = frozenset()  # exceptions: declared working days

    @property
    def tz(self) -> ZoneInfo:
        return zone_info(self.zone)

    # --- the clock, in the agency's zone -------------------------------------------------

    def now(self, at: datetime | None = None) -> datetime:
        """The current moment (or `at`) in the agency's zone."""
        moment = at if at is not None else utcnow()
        if timezone.is_naive(moment):
            raise ValueError("naive datetimes are not accepted; pass an aware datetime")
        return moment.astimezone(self.tz)

    def today(self, at: datetime | None = None) -> date:
        return self.now(at).date()

    def local(self, day: date, clock: time) -> datetime:
        """An aware datetime for a local wall-clock time on a day (e.g. 07:30 WITA)."""
        return datetime.combine(day, clock, tzinfo=self.tz)

    # --- which days are worked -----------------------------------------------------------

    def day_off(self, day: date) -> tuple[str, str] | None:
        """(kind, reason) for a day that is not worked, kind from `DayOff`; None for a working
        day. The agency's own days come first, then national holidays and joint leave."""
        if day in self.days_on:
            return None
        if day in self.days_off:
            return DayOff.AGENCY, self.days_off[day]
        public = _national_days(day.year, "public")
        if day in public:
            return DayOff.NATIONAL, public[day]
        if self.observe_joint_leave:
            joint = _national_days(day.year, "government")
            if day in joint:
                return DayOff.JOINT_LEAVE, joint[day]
        if not self.hours.is_weekday_worked(day.weekday()):
            return DayOff.WEEKEND, _WEEKDAY_NAMES[day.weekday()]
        return None

    def day_off_reason(self, day: date) -> str | None:
        """Why a day is not worked (holiday name, 'Sabtu'/'Minggu'), or None for a working day."""
        off = self.day_off(day)
        return off[1] if off else None

    def is_working_day(self, day: date) -> bool:
        return self.day_off_reason(day) is None

    def work_hours(self, day: date) -> tuple[time, time] | None:
        """Start and end of the working day, or None when the day is not worked."""
        if not self.is_working_day(day):
            return None
        weekday = day.weekday()
        if weekday not in self.hours.start:
            # A declared working day on a day the rule set does not work (a weekend): the pattern
            # of the week's last worked day (Friday in the Perpres), which every rule set has.
            weekday = max(self.hours.start)
        return self.hours.start[weekday], self.hours.end[weekday]

    # --- working-day arithmetic ----------------------------------------------------------

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        return self.add_working_days(day, 1)

    def previous_working_day(self, day: date) -> date:
        """The last working day strictly before `day`."""
        return self.add_working_days(day, -1)

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after `day` (before it when n < 0); n = 0 returns `day` itself."""
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        current = day
        days_off_in_a_row = 0
        while remaining:
            current += timedelta(days=step)
            if self.is_working_day(current):
                remaining -= 1
                days_off_in_a_row = 0
            else:
                days_off_in_a_row += 1
                if days_off_in_a_row > _MAX_SEARCH_DAYS:
                    raise ValueError("no working days found: check the agency's calendar")
        return current

    def nth_working_day(self, start: date, n: int) -> date:
        """The n-th working day counting `start` as the first when it is worked (n ≥ 1)."""
        if n < 1:
            raise ValueError("n starts at 1")
        if self.is_working_day(start):
            return self.add_working_days(start, n - 1)
        return self.add_working_days(start, n)

    def working_days(self, start: date, end: date) -> list[date]:
        """Every working day from start to end, both included."""
        return list(self.iter_working_days(start, end))

    def iter_working_days(self, start: date, end: date) -> Iterator[date]:
        day = start
        while day <= end:
            if self.is_working_day(day):
                yield day
            day += timedelta(days=1)

    def count_working_days(self, start: date, end: date) -> int:
        return sum(1 for _ in self.iter_working_days(start, end))

    def last_working_day_of_month(self, year: int, month: int) -> date:
        first_next = date(year + (month == 12), month % 12 + 1, 1)
        return self.previous_working_day(first_next)

    def days_off_between(self, start: date, end: date) -> list[tuple[date, str]]:
        """Each non-working day in the range with its reason (for calendars and explanations)."""
        out = []
        day = start
        while day <= end:
            reason = self.day_off_reason(day)
            if reason is not None:
                out.append((day, reason))
            day += timedelta(days=1)
        return out


def calendar_for(agency, *, years: Iterable[int] | None = None) -> AgencyCalendar:
    """The calendar of an agency model (reads its zone and its own calendar days).

    `agency` is anything with `zone`, `observe_joint_leave` and a `calendar_days` relation whose
    rows have `date`, `kind` ("off" or "on") and `name`; the org app's Agency is one.
    """
    days = agency.calendar_days.all()
    if years is not None:
        days = days.filter(date__year__in=list(years))
    days_off: dict[date, str] = {}
    days_on: set[date] = set()
    for row in days:
        if row.kind == "on":
            days_on.add(row.date)
        else:
            days_off[row.date] = row.name
    return AgencyCalendar(
        zone=agency.zone,
        observe_joint_leave=agency.observe_joint_leave,
        days_off=days_off,
        days_on=frozenset(days_on),
    )


_CALENDARS: Fingerprinted[AgencyCalendar] = Fingerprinted()


def calendar_cached(agency, year: int, fingerprint: tuple) -> AgencyCalendar:
    """`calendar_for(agency, years=[year])`, reused by this process while `fingerprint` (of the
    agency's own calendar days: the check-in reads it with its day) is unchanged (core.memo).
    The calendar is shared: treat it as read-only."""
    key = (agency.pk, year, agency.zone, agency.observe_joint_leave)
    return _CALENDARS.get(key, fingerprint, lambda: calendar_for(agency, years=[year]))
