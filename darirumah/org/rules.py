"""Organisation rules as pure functions: the NIP, coordinates, supervisor chains."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

# The youngest age at which a civil servant is appointed (CPNS/PPPK candidates are 18 or older).
MIN_APPOINTMENT_AGE = 18
EARLIEST_BIRTH_YEAR = 1940


@dataclass(frozen=True)
class Nip:
    """The parts of an 18-digit NIP: birth date, appointment month, sex, sequence."""

    birth_date: date
    appointment_year: int
    appointment_month: int
    sex: str  # "L" (1, male) or "P" (2, female)
    sequence: int


class NipError(ValueError):
    pass


def parse_nip(raw: str, *, today: date | None = None) -> Nip:
    """Validate and split a NIP (BKN format: YYYYMMDD YYYYMM S NNN). Spaces are ignored.

    Raises NipError with a message that names what is wrong.
    """
    nip = "".join(str(raw).split())
    # ASCII digits only: str.isdigit() also accepts other scripts' digits (e.g. "１", "٣") and
    # superscripts ("²"), which would be stored as they are or crash int() below.
    if len(nip) != 18:
        raise NipError(_("NIP must be exactly 18 digits (got %(n)s characters).") % {"n": len(nip)})
    if not (nip.isascii() and nip.isdigit()):
        raise NipError(_("NIP must contain only the digits 0–9."))
    try:
        birth = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise NipError(
            _("NIP digits 1–8 must be a real birth date (YYYYMMDD); %(v)s is not.") % {"v": nip[:8]}
        ) from None
    if birth.year < EARLIEST_BIRTH_YEAR or (today and birth > today):
        raise NipError(_("NIP birth year %(y)s is not plausible.") % {"y": birth.year})
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12:
        raise NipError(
            _("NIP digits 13–14 must be the appointment month (01–12); %(v)s is not.")
            % {"v": nip[12:14]}
        )
    # Compared by month (the NIP has no appointment day): born December 1990 and appointed
    # January 2008 is 17 years old, even though 2008 - 1990 = 18.
    if (year, month) < (birth.year + MIN_APPOINTMENT_AGE, birth.month):
        raise NipError(
            _("NIP appointment month %(v)s is less than %(a)s years after the birth date %(b)s.")
            % {"v": f"{year:04d}-{month:02d}", "a": MIN_APPOINTMENT_AGE, "b": birth.isoformat()}
        )
    if today and (year, month) > (today.year, today.month):
        raise NipError(_("NIP appointment month %(v)s is in the future.") % {"v": nip[8:14]})
    if nip[14] not in "12":
        raise NipError(
            _("NIP digit 15 must be the sex code, 1 (male) or 2 (female); %(v)s is not.")
            % {"v": nip[14]}
        )
    sequence = int(nip[15:18])
    if sequence == 0:
        raise NipError(_("NIP digits 16–18 (sequence number) cannot be 000."))
    return Nip(birth, year, month, "L" if nip[14] == "1" else "P", sequence)


def normalise_nip(raw: str) -> str:
    return "".join(str(raw).split())


def check_coordinates(lat: float | None, lon: float | None) -> str | None:
    """None when a point is valid (or both parts are empty); otherwise what is wrong."""
    if lat is None and lon is None:
        return None
    if lat is None or lon is None:
        return _("Give both latitude and longitude, or neither.")
    if not -90 <= lat <= 90:
        return _("Latitude must be between -90 and 90 (got %(v)s).") % {"v": lat}
    if not -180 <= lon <= 180:
        return _("Longitude must be between -180 and 180 (got %(v)s).") % {"v": lon}
    return None


def find_cycle(parent_of: Mapping[str, str | None]) -> list[str] | None:
    """A loop in a parent map (employee → supervisor, unit → parent), or None.

    Returns the keys on the loop in order, e.g. ["A", "B", "A"], so a message can name them.
    """
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for start in parent_of:
        if state.get(start):
            continue
        path: list[str] = []
        node: str | None = start
        while node is not None and node in parent_of and not state.get(node):
            state[node] = 1
            path.append(node)
            node = parent_of[node]
        if node is not None and state.get(node) == 1:
            return path[path.index(node) :] + [node]
        for n in path:
            state[n] = 2
    return None


def nearest_office(unit, parent_of: Callable, office_of: Callable):
    """The office a unit sits in: its own, else the nearest ancestor's (a bidang sits with its
    dinas). Units are any keys; loop-safe (a loop is reported elsewhere, here it must not spin).
    """
    seen = set()
    while unit is not None and unit not in seen:
        seen.add(unit)
        office = office_of(unit)
        if office:
            return office
        unit = parent_of(unit)
    return None


def chain_has_loop(start: str, proposed_parent: str | None, parent_of: Callable[[str], str | None]):
    """Whether making `proposed_parent` the parent of `start` creates a loop.

    Walks up from the proposed parent through `parent_of`; a loop exists when it reaches `start`.
    """
    seen = set()
    node = proposed_parent
    while node is not None:
        if node == start:
            return True
        if node in seen:  # an existing loop elsewhere: stop rather than spin
            return True
        seen.add(node)
        node = parent_of(node)
    return False


def format_nip(birth: date, appointed_year: int, appointed_month: int, sex: str, seq: int) -> str:
    """Compose a NIP from its parts (sex "L" or "P"); the inverse of parse_nip."""
    return (
        f"{birth:%Y%m%d}{appointed_year:04d}{appointed_month:02d}"
        f"{'1' if sex == 'L' else '2'}{seq:03d}"
    )
