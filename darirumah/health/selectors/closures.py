"""Reads of office and room closures and their disinfection log.

A closure holds no personal health data (which building, which rooms, which days, why): everyone
of the agency reads it, and the platform operator (org/access.py `in_agency`). Lists cost a
constant number of queries: the rooms with their last disinfection and the number of staff sent
home are gathered for the whole page at once (`with_details`).
"""

from __future__ import annotations

from collections import defaultdict
from copy import copy
from datetime import date

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from darirumah.core.errors import NotFound
from darirumah.org.access import Access
from darirumah.org.models import Employee, Room

from ..models import Closure, Disinfection


def _base() -> QuerySet[Closure]:
    return Closure.objects.select_related(
        "agency", "office", "reopened_by__employee", "created_by__employee"
    ).prefetch_related("rooms")


def closures_for(
    access: Access,
    agency_id: int,
    office_id: int | None = None,
    active_on: date | None = None,
) -> QuerySet[Closure]:
    """The agency's closures, newest first: of one office, or in force on a day."""
    if not access.in_agency(agency_id):
        raise NotFound(_("Not found, or not visible to you."))
    closures = _base().filter(agency_id=agency_id)
    if office_id is not None:
        closures = closures.filter(office_id=office_id)
    if active_on is not None:
        closures = closures.filter(starts_on__lte=active_on, ends_on__gte=active_on)
    return closures


def closure_visible(access: Access, pk: int) -> Closure:
    """The closure, if it belongs to an agency the caller is in; else NotFound."""
    closure = _base().filter(pk=pk).first()
    if closure is None or not access.in_agency(closure.agency_id):
        raise NotFound(_("Not found, or not visible to you."))
    return closure


def building_staff(office_id: int) -> Q:
    """Everyone who works in the building: their own office, or their unit's when unset
    (services/roster.py `office_staff_ids`)."""
    return Q(office_id=office_id) | Q(office__isnull=True, unit__office_id=office_id)


def staff_sent_home(closure: Closure, room_ids: set[int] | None = None) -> QuerySet[Employee]:
    """The active staff a closure sends home: the building's, or only those of its rooms; not
    the public-service units when they stay open."""
    if room_ids is None:
        room_ids = {r.pk for r in closure.rooms.all()}
    staff = Employee.objects.filter(building_staff(closure.office_id), is_active=True)
    if room_ids:
        staff = staff.filter(room_id__in=room_ids)
    if closure.keep_public_service_open:
        staff = staff.exclude(unit__serves_public=True)
    return staff


def _staff_groups(office_ids: set[int]) -> dict[int, list[tuple[int | None, bool, int]]]:
    """Per office: (room, serves the public, how many) of its active staff, in one query."""
    rows = (
        Employee.objects.filter(is_active=True)
        .filter(
            Q(office_id__in=office_ids) | Q(office__isnull=True, unit__office_id__in=office_ids)
        )
        .annotate(building=Coalesce(F("office_id"), F("unit__office_id")))
        .values("building", "room_id", "unit__serves_public")
        .annotate(n=Count("pk"))
        .order_by()
    )
    groups: dict[int, list] = defaultdict(list)
    for row in rows:
        groups[row["building"]].append((row["room_id"], row["unit__serves_public"], row["n"]))
    return groups


def with_details(closures) -> list[Closure]:
    """The closures with, on each: `room_ids` (its own rooms, empty for the whole building),
    `room_rows` (the rooms that may be disinfected, each with `last_disinfection`),
    `disinfection_list` (newest last), `rooms_done` (rooms disinfected at least once) and
    `staff_count` (staff sent home). Three queries for any number of closures (their rooms
    are prefetched)."""
    closures = list(closures)
    if not closures:
        return closures
    offices = {c.office_id for c in closures}
    building_rooms: dict[int, list[Room]] = defaultdict(list)
    for room in Room.objects.filter(office_id__in=offices).order_by("name"):
        building_rooms[room.office_id].append(room)
    done: dict[int, list[Disinfection]] = defaultdict(list)
    for row in Disinfection.objects.filter(closure__in=closures).select_related(
        "room", "recorded_by__employee"
    ):
        done[row.closure_id].append(row)
    groups = _staff_groups(offices)
    for closure in closures:
        own = sorted(closure.rooms.all(), key=lambda r: r.name)
        closure.room_ids = {r.pk for r in own}
        closure.whole_building = not own
        closure.disinfection_list = done[closure.pk]
        last: dict[int, Disinfection] = {}
        for row in closure.disinfection_list:
            last[row.room_id] = row  # ordered by time: the last one wins
        rooms = own or building_rooms[closure.office_id]
        closure.room_rows = []
        for room in rooms:
            room = copy(room)  # a building's rooms are shared by its closures on the page
            room.last_disinfection = last.get(room.pk)
            closure.room_rows.append(room)
        closure.rooms_done = sum(1 for room in closure.room_rows if room.last_disinfection)
        closure.staff_count = sum(
            n
            for room_id, public, n in groups[closure.office_id]
            if (not closure.room_ids or room_id in closure.room_ids)
            and not (closure.keep_public_service_open and public)
        )
    return closures


def closure_status(closure: Closure, today: date) -> str:
    """planned, active, reopened (before its planned end) or ended."""
    if closure.starts_on > today:
        return "planned"
    if closure.ends_on >= today:
        return "active"
    return "reopened" if closure.reopened_at else "ended"
