"""Attendance rules as pure functions: lateness, the geofence, which area a mode asks for."""

from __future__ import annotations

import math
from datetime import datetime, time, timedelta

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)

# The mode of the day decides which area the check-in is judged against.
OFFICE_MODES = ("WFO",)
HOME_MODES = ("WFH", "ISOLATION")


def minutes_late(checked_in: datetime, deadline: time) -> int:
    """Whole minutes after the deadline, in the agency's local time; the deadline's own minute
    is on time (07:30:59 is on time for 07:30, 07:31:00 is one minute late)."""
    limit = checked_in.replace(
        hour=deadline.hour, minute=deadline.minute, second=0, microsecond=0
    ) + timedelta(minutes=1)
    if checked_in < limit:
        return 0
    return int((checked_in - limit).total_seconds() // 60) + 1


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def area_for(mode: str) -> str | None:
    """ "office", "home", or None when the day has no area (flexible location, no roster)."""
    if mode in OFFICE_MODES:
        return "office"
    if mode in HOME_MODES:
        return "home"
    return None


def place(
    *,
    latitude: float | None,
    longitude: float | None,
    accuracy_m: float | None,
    centre: tuple[float, float] | None,
    radius_m: float,
    max_accuracy_m: float,
) -> tuple[str, float | None]:
    """("inside" | "outside" | "unknown", distance in metres or None). Unknown without a
    location, without an area to compare with, or when the phone's accuracy is worse than
    the circular allows; inside when the reported point is within the radius."""
    if latitude is None or longitude is None or centre is None:
        return "unknown", None
    distance = distance_m(latitude, longitude, centre[0], centre[1])
    if accuracy_m is None or accuracy_m > max_accuracy_m:
        return "unknown", distance
    return ("inside" if distance <= radius_m else "outside"), distance
