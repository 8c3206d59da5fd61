"""The rules a WFH circular (Surat Edaran) sets, as data with their citation, and pure functions
over them. No ORM here: the solver, the API and the pages all read the same functions.

Every number is a default an agency may adjust in its circular's rule set, never a law of the
program (see ../shared/DOMAIN.md, "Rules from regulation").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# --- office caps -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cap:
    """The share of an office's staff allowed on site, and where the number comes from."""

    share: float
    citation: str


# SE MenPANRB 67/2020, by the region's risk zone: no cases 100% WFO, low 75%, medium 50%, high 25%.
SE_67_2020 = "SE MenPANRB 67/2020"
ZONE_CAPS = {
    "none": Cap(1.00, SE_67_2020),
    "low": Cap(0.75, SE_67_2020),
    "medium": Cap(0.50, SE_67_2020),
    "high": Cap(0.25, SE_67_2020),
}

# PPKM (SE MenPANRB 23/2021 as amended), by level 1–4 and the kind of office.
SE_23_2021 = "SE MenPANRB 23/2021"


class Sector(StrEnum):
    NON_ESSENTIAL = "non_essential"
    ESSENTIAL = "essential"
    CRITICAL = "critical"


PPKM_CAPS = {
    Sector.NON_ESSENTIAL: {1: 1.00, 2: 0.75, 3: 0.50, 4: 0.25},
    Sector.ESSENTIAL: {1: 1.00, 2: 0.75, 3: 0.50, 4: 0.50},
    Sector.CRITICAL: {1: 1.00, 2: 1.00, 3: 1.00, 4: 1.00},
}
# An office with a workplace cluster closes for this many days (SE 23/2021).
CLUSTER_CLOSURE_DAYS = 5


def office_cap(
    *, risk_zone: str = "", ppkm_level: int | None = None, sector: Sector = Sector.NON_ESSENTIAL
) -> Cap:
    """The preset cap from the agency's current PPKM level or, without one, its risk zone.

    PPKM is the later regime, so a level wins over a zone. With neither, offices are not capped.
    """
    if ppkm_level is not None:
        if ppkm_level not in PPKM_CAPS[sector]:
            raise ValueError(f"PPKM level must be 1–4, got {ppkm_level}")
        return Cap(PPKM_CAPS[sector][ppkm_level], f"{SE_23_2021}, level {ppkm_level}")
    if risk_zone:
        return ZONE_CAPS[risk_zone]
    return Cap(1.00, "")


def cap_count(staff: int, share: float) -> int:
    """How many of an office's `staff` may be on site under a share (rounded down: a cap is a
    ceiling, so 25% of 10 people is 2, not 3)."""
    if staff < 0 or not 0 <= share <= 1:
        raise ValueError("staff must be ≥ 0 and share between 0 and 1")
    return math.floor(staff * share + 1e-9)


# --- who always stays at the office ------------------------------------------------------------

# Kepmenkes HK.01.07/MENKES/328/2020: full WFH only for non-service units; the Batu circular kept
# kecamatan, kelurahan, desa and puskesmas at the office.
DEFAULT_EXEMPT_KINDS = ("kecamatan", "kelurahan", "desa", "puskesmas")
EXEMPT_CITATION = "Kepmenkes HK.01.07/Menkes/328/2020"


def is_exempt(unit_kind: str, exempt_kinds: tuple[str, ...] | list[str]) -> bool:
    """Whether a unit of this kind never goes home under the circular."""
    return unit_kind in exempt_kinds


def min_on_site(*, staff: int, count: int = 0, share: float = 0.0) -> int:
    """The staff a public-service unit must keep on site on a working day: the larger of a fixed
    count and a share of its staff (rounded up: a minimum is a floor)."""
    if staff < 0 or count < 0 or not 0 <= share <= 1:
        raise ValueError("staff and count must be ≥ 0, share between 0 and 1")
    return max(count, math.ceil(staff * share - 1e-9))


# --- per-employee criteria (SE MenPANRB 19/2020 and 58/2020) -----------------------------------


class Placement(StrEnum):
    """What a criterion asks of the roster for one person."""

    HOME_REQUIRED = "home_required"
    HOME_PREFERRED = "home_preferred"
    OFFICE_REQUIRED = "office_required"
    OFFICE_PREFERRED = "office_preferred"


SE_58_2020 = "SE MenPANRB 58/2020"
DEFAULT_CRITERIA = {
    "comorbidity": Placement.HOME_PREFERRED,
    "over_50": Placement.HOME_PREFERRED,
    "pregnant": Placement.HOME_REQUIRED,
    "recent_travel": Placement.HOME_REQUIRED,
    "recent_contact": Placement.HOME_REQUIRED,
    "top_official": Placement.OFFICE_REQUIRED,
    "strategic_post": Placement.OFFICE_REQUIRED,
}

# When criteria disagree the stronger wins; between "home required" and "office required"
# health comes first (a pregnant head of office works from home).
_STRENGTH = [
    Placement.HOME_REQUIRED,
    Placement.OFFICE_REQUIRED,
    Placement.HOME_PREFERRED,
    Placement.OFFICE_PREFERRED,
]


def placement(flags: set[str] | frozenset[str], criteria: dict[str, Placement]) -> Placement | None:
    """The roster's placement for a person with these criteria flags, or None (no constraint)."""
    asked = {criteria[f] for f in flags if f in criteria}
    for candidate in _STRENGTH:
        if candidate in asked:
            return candidate
    return None


def is_over(age_limit: int, birth: date, on: date) -> bool:
    """Whether someone born on `birth` is older than `age_limit` on `on` (the "over 50" flag)."""
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    return age > age_limit


# Flags that are health data (UU 27/2022 on personal data protection): shown only to the person,
# the head and admin of their unit, BKPSDM and health officers (see org.access).
HEALTH_FLAGS = frozenset({"comorbidity", "pregnant", "recent_contact"})
# SE 58/2020 looks back 14 days after travel or a close contact; an "until" date is usually the
# day of return (or of the contact) plus this many days.
LOOK_BACK_DAYS = 14


@dataclass(frozen=True)
class PersonCriteria:
    """What is recorded about one person for the SE 58/2020 criteria, as plain data.

    `recent_travel_until` and `recent_contact_until` are the last day the flag holds; it lapses
    the day after. "Over 50" is never stored: it follows from the birth date on the day asked.
    """

    birth_date: date | None = None
    comorbidity: bool = False
    pregnant: bool = False
    recent_travel_until: date | None = None
    recent_contact_until: date | None = None
    top_official: bool = False
    strategic_post: bool = False


def criteria_flags(person: PersonCriteria, *, on: date, over_age: int = 50) -> frozenset[str]:
    """The person's criteria flags that hold on the day `on` (keys of DEFAULT_CRITERIA)."""
    flags = set()
    if person.comorbidity:
        flags.add("comorbidity")
    if person.pregnant:
        flags.add("pregnant")
    if person.birth_date is not None and is_over(over_age, person.birth_date, on):
        flags.add("over_50")
    if person.recent_travel_until is not None and person.recent_travel_until >= on:
        flags.add("recent_travel")
    if person.recent_contact_until is not None and person.recent_contact_until >= on:
        flags.add("recent_contact")
    if person.top_official:
        flags.add("top_official")
    if person.strategic_post:
        flags.add("strategic_post")
    return frozenset(flags)


def person_placement(
    person: PersonCriteria, *, on: date, criteria: dict[str, Placement], over_age: int = 50
) -> tuple[Placement | None, frozenset[str]]:
    """The roster placement of a person on a day and the flags that decided it (the reason to
    show next to the person; empty when no criterion applies).

    Callers that show the flags to someone else must drop HEALTH_FLAGS unless that viewer may
    see health data.
    """
    flags = criteria_flags(person, on=on, over_age=over_age)
    chosen = placement(flags, criteria)
    return chosen, frozenset(f for f in flags if chosen is not None and criteria.get(f) == chosen)


# --- flexible work (PermenPANRB 4/2025) --------------------------------------------------------

PERMENPANRB_4_2025 = "PermenPANRB 4/2025"


class Ineligible(StrEnum):
    SANCTION = "sanction"  # serving, or in the process of, a disciplinary sanction
    NEWLY_PLACED = "newly_placed"  # placed by recruitment, promotion, transfer or rotation


def months_between(start: date, end: date) -> int:
    """Whole months from start to end (0 when end is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    return max(0, months)


def flexible_ineligibility(
    *, under_sanction: bool, placed_on: date | None, today: date, new_placement_months: int
) -> Ineligible | None:
    """Why a person may not take flexible-location days, or None when they may."""
    if under_sanction:
        return Ineligible.SANCTION
    if placed_on is not None and months_between(placed_on, today) < new_placement_months:
        return Ineligible.NEWLY_PLACED
    return None


# --- the rule set of one circular version ------------------------------------------------------


class MinimumOnSite(BaseModel):
    """A public-service unit's minimum on site: a count, a share of its staff, or both."""

    model_config = ConfigDict(extra="forbid")
    unit: int = Field(description="Unit id")
    count: int = Field(0, ge=0)
    share: float = Field(0.0, ge=0, le=1)


class OfficeCap(BaseModel):
    model_config = ConfigDict(extra="forbid")
    office: int = Field(description="Office id")
    share: float = Field(ge=0, le=1)


class FlexibleWork(BaseModel):
    """PermenPANRB 4/2025 location flexibility (WFA)."""

    model_config = ConfigDict(extra="forbid")
    enabled: bool = False
    max_days_per_week: int = Field(2, ge=0, le=5)
    # The regulation names "new staff" without a number; the agency decides how long that is.
    new_placement_months: int = Field(12, ge=0, le=60)
    citation: str = PERMENPANRB_4_2025


class RuleSet(BaseModel):
    """What one version of a circular decides. Stored as JSON; validated on every save."""

    model_config = ConfigDict(extra="forbid")
    exempt_unit_kinds: list[str] = Field(default_factory=lambda: list(DEFAULT_EXEMPT_KINDS))
    minimum_on_site: list[MinimumOnSite] = Field(default_factory=list)
    # Cap preset: "agency" takes the agency's current PPKM level or risk zone; "none" caps
    # nothing; "custom" uses office_caps only. office_caps override the preset per office.
    cap_preset: str = Field("agency", pattern="^(agency|none|custom)$")
    cap_sector: Sector = Sector.NON_ESSENTIAL
    office_caps: list[OfficeCap] = Field(default_factory=list)
    criteria: dict[str, Placement] = Field(default_factory=lambda: dict(DEFAULT_CRITERIA))
    over_age: int = Field(50, ge=18, le=70)
    flexible: FlexibleWork = Field(default_factory=FlexibleWork)
    checkin_deadline: time = time(7, 30)
    vicon_time: time = time(14, 0)
    report_time: time = time(15, 0)
    # Attendance (issue 4): the geofence around the office or the home point, the worst phone
    # accuracy still judged, and what happens to a check-in outside it.
    geofence_radius_m: int = Field(100, ge=10, le=5000)
    max_accuracy_m: int = Field(150, ge=5, le=5000)
    outside_checkin: str = Field("flag", pattern="^(flag|refuse)$")
    review_after_days: int = Field(3, ge=1, le=60)
    effectiveness_threshold: float = Field(0.8, ge=0, le=1)

    @field_validator("exempt_unit_kinds")
    @classmethod
    def _no_duplicate_kinds(cls, kinds: list[str]) -> list[str]:
        return list(dict.fromkeys(kinds))

    @model_validator(mode="after")
    def _one_entry_per_unit_and_office(self) -> RuleSet:
        units = [m.unit for m in self.minimum_on_site]
        if len(units) != len(set(units)):
            raise ValueError("each unit may have one minimum on site")
        offices = [c.office for c in self.office_caps]
        if len(offices) != len(set(offices)):
            raise ValueError("each office may have one cap")
        if not self.checkin_deadline < self.report_time:
            raise ValueError("the check-in deadline must come before the report time")
        return self

    def cap_for(self, *, office: int, risk_zone: str, ppkm_level: int | None) -> Cap:
        """The cap of one office under this rule set and the agency's current zone or level."""
        for custom in self.office_caps:
            if custom.office == office:
                return Cap(custom.share, "")
        if self.cap_preset == "agency":
            return office_cap(risk_zone=risk_zone, ppkm_level=ppkm_level, sector=self.cap_sector)
        return Cap(1.00, "")

    def minimum_for(self, *, unit: int, staff: int) -> int:
        for entry in self.minimum_on_site:
            if entry.unit == unit:
                return min_on_site(staff=staff, count=entry.count, share=entry.share)
        return 0


# --- scope and overlap ------------------------------------------------------------------------


@dataclass(frozen=True)
class ScopeUnit:
    """A unit as the scope rules see it: its id, materialised path and office."""

    id: int
    path: str
    office_id: int | None


def covered_units(units: list[ScopeUnit], unit_paths: list[str], office_ids: set[int]) -> set[int]:
    """The units a circular covers: the subtrees of its units and the units housed in its
    offices; an empty scope covers every unit."""
    if not unit_paths and not office_ids:
        return {u.id for u in units}
    return {
        u.id
        for u in units
        if u.office_id in office_ids or any(u.path.startswith(p) for p in unit_paths)
    }


def first_shared_day(a: tuple[date, date | None], b: tuple[date, date | None]) -> date | None:
    """The first day two periods (start, end or None for open) share, or None."""
    start = max(a[0], b[0])
    ends = [e for e in (a[1], b[1]) if e is not None]
    if ends and start > min(ends):
        return None
    return start
