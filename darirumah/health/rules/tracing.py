"""Contact tracing of a confirmed case (Kepmenkes 328/2020): the colleagues who were physically at
the same office on the days the case was there, in the window before symptom onset (or the first
positive test), ranked by how close they worked — the same room first, then the same unit, then
the same office — and, within a group, by how many days they shared and how recently.

Pure functions over plain data: the selector (selectors/tracing.py) reads the days.

A building of thousands gives thousands of colleagues per trace. `rank` takes them as plain
tuples in the order of `Colleague` (a Colleague is one too): the garbage collector stops
following a plain tuple of plain values, not a named tuple or any other object — thousands of
short-lived objects per trace would otherwise trigger full collections, the slowest traces of
the benchmark. The shared days are worked out once per distinct set of days.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

ROOM, UNIT, OFFICE = "room", "unit", "office"
GROUP_ORDER = {ROOM: 0, UNIT: 1, OFFICE: 2}


@dataclass(frozen=True)
class Person:
    """Where the case works: their unit and room (None when no room is recorded)."""

    unit_id: int | None
    room_id: int | None


class Colleague(NamedTuple):
    """Someone of the same office with the days they were on site (any days: only those the
    case was there too count), and the names of their unit and room for display. `rank` also
    takes a plain tuple of these fields in this order."""

    id: int
    name: str
    unit_id: int | None
    room_id: int | None
    days: Iterable[date]
    unit_name: str = ""
    room_name: str = ""


class Contact(NamedTuple):
    """A traced colleague: how close, the days both were at the office, and whether the officer
    has marked them a close contact already."""

    id: int
    name: str
    unit_id: int | None
    room_id: int | None
    group: str
    shared_days: tuple[date, ...]
    unit_name: str = ""
    room_name: str = ""
    marked: bool = False

    @property
    def count(self) -> int:
        return len(self.shared_days)

    @property
    def last_day(self) -> date:
        return self.shared_days[-1]


def reference_date(
    onset: date | None, first_positive_test: date | None, confirmed_on: date | None
) -> date | None:
    """The day tracing counts back from: symptom onset, else the first positive test, else the
    day the case was confirmed (None when none is known)."""
    return onset or first_positive_test or confirmed_on


def window(ref: date, trace_days: int) -> tuple[date, date]:
    """The first and last day of the tracing window, both included: `trace_days` days before the
    reference day up to the reference day itself (14 days before onset is in, 15 is out)."""
    return ref - timedelta(days=trace_days), ref


def group_of(case: Person, unit_id: int | None, room_id: int | None) -> str:
    """How close a colleague of that unit and room worked: the same room only when both have one
    and it is the same, else the same unit, else (only) the same office."""
    if case.room_id is not None and case.room_id == room_id:
        return ROOM
    if case.unit_id is not None and case.unit_id == unit_id:
        return UNIT
    return OFFICE


def sort_key(contact: tuple) -> tuple:
    """Closer groups first, then more shared days, then the latest shared day, then the name
    (a Contact, or a plain tuple in its order)."""
    pk, name, _unit, _room, group, shared = contact[:6]
    return (GROUP_ORDER[group], -len(shared), -shared[-1].toordinal(), name, pk)


def rank_rows(
    case: Person,
    case_days: Iterable[date],
    colleagues: Iterable[tuple],
    marked: Collection[int] = (),
) -> list[tuple]:
    """The colleagues (Colleague, or plain tuples in its order) who shared at least one of the
    case's days at the office, ranked, as plain tuples in the order of Contact; those whose id
    is in `marked` are flagged."""
    on_site = frozenset(case_days)
    shared_of: dict = {}
    contacts = []
    for pk, name, unit_id, room_id, days, unit_name, room_name in colleagues:
        if not isinstance(days, tuple):
            days = tuple(days)
        shared = shared_of.get(days)
        if shared is None:
            shared = shared_of[days] = tuple(sorted(on_site.intersection(days)))
        if shared:
            group = group_of(case, unit_id, room_id)
            contacts.append(
                (pk, name, unit_id, room_id, group, shared, unit_name, room_name, pk in marked)
            )
    contacts.sort(key=sort_key)
    return contacts


def rank(
    case: Person,
    case_days: Iterable[date],
    colleagues: Iterable[tuple],
    marked: Collection[int] = (),
) -> list[Contact]:
    """`rank_rows` as Contacts."""
    return [Contact._make(row) for row in rank_rows(case, case_days, colleagues, marked)]


class Ranked(Sequence):
    """Ranked contacts kept as plain tuples, handed out as Contacts one at a time: a trace of
    thousands keeps no thousands of objects for the garbage collector to follow."""

    def __init__(self, rows: list[tuple] | None = None):
        self.rows = rows or []

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [Contact._make(row) for row in self.rows[index]]
        return Contact._make(self.rows[index])

    def __iter__(self):
        return map(Contact._make, self.rows)

    def ids(self) -> list[int]:
        return [row[0] for row in self.rows]
