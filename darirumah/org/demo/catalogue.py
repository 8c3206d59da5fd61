"""The shapes of the demo catalogue: offices, the unit tree with its staff, the agency.

The agencies themselves are in serang.py and batu.py. Coordinates and addresses are close to the
real places but approximate; the people are invented.
"""

from __future__ import annotations

from dataclasses import dataclass

# Staff are listed per unit as (position key, count); keys are defined in people.POSITIONS.
Staff = tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class OfficeSpec:
    name: str
    address: str
    latitude: float
    longitude: float
    radius_m: int = 100
    shared_rooms: tuple[str, ...] = ()  # rooms nobody sits in: halls, meeting rooms


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: str
    staff: Staff = ()
    children: tuple[UnitSpec, ...] = ()
    office: str = ""  # an office name; empty means the parent's office
    serves_public: bool = False
    min_on_site: int = 0
    head: str = ""  # the head's position title; empty means derived from kind and name
    short: str = ""  # the OPD's common short name, used to tell rooms apart


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    region: str
    city: str  # the city name used in titles ("Wali Kota Serang")
    latitude: float  # the centre around which employees live
    longitude: float
    address: str
    phone: str
    website: str
    mail_domain: str  # a reserved .test domain: demo mail must never reach a real mailbox
    offices: tuple[OfficeSpec, ...]
    units: tuple[UnitSpec, ...]  # the Secretariat (Sekretariat Daerah) first: its head is Sekda
    # Who holds each demo login: (login role, unit code). For pegawai the first staff member of
    # the unit; for atasan and kepala_opd the unit's head; otherwise the first staff member.
    logins: tuple[tuple[str, str], ...]
    letterhead_title: str = ""
    letterhead_subtitle: str = ""


def U(code, name, kind, *staff_children, **kw) -> UnitSpec:
    """A unit; positional extras are (position, count) pairs and child units, in any order."""
    staff = tuple(s for s in staff_children if isinstance(s, tuple))
    children = tuple(c for c in staff_children if isinstance(c, UnitSpec))
    return UnitSpec(code=code, name=name, kind=kind, staff=staff, children=children, **kw)


def setda(office: str, bagian: list[tuple[str, str, Staff]]) -> UnitSpec:
    return U(
        "SETDA",
        "Sekretariat Daerah",
        "sekretariat",
        *[U(f"SETDA-{code}", name, "bagian", *staff) for code, name, staff in bagian],
        office=office,
        head="Sekretaris Daerah",
        short="Setda",
    )


SEKRETARIAT_DINAS: Staff = (("pengadministrasi", 2), ("bendahara", 1), ("pengolah_data", 1))
