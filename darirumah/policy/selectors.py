"""Reads of circulars: what a rule set means today for an agency's offices and units, what each
rule-set version changed, and which rules are in force for an agency or a unit on a day.

Callers pass an agency (or circular) already checked against the caller's access (the views get
it through visible_or_404 / chosen_agency); nothing here widens that scope.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from darirumah.core.memo import Fingerprinted
from darirumah.org.models import Agency, Office, Unit

from . import rules
from .models import Circular, RuleSetVersion

SECTOR_LABELS = {
    rules.Sector.NON_ESSENTIAL: gettext_lazy("Non-essential"),
    rules.Sector.ESSENTIAL: gettext_lazy("Essential"),
    rules.Sector.CRITICAL: gettext_lazy("Critical"),
}
PLACEMENT_LABELS = {
    rules.Placement.HOME_REQUIRED: gettext_lazy("Must work from home"),
    rules.Placement.HOME_PREFERRED: gettext_lazy("Preferably from home"),
    rules.Placement.OFFICE_REQUIRED: gettext_lazy("Must work at the office"),
    rules.Placement.OFFICE_PREFERRED: gettext_lazy("Preferably at the office"),
}
CRITERION_LABELS = {
    "comorbidity": gettext_lazy("Has a comorbidity"),
    "over_50": gettext_lazy("Over the age limit"),
    "pregnant": gettext_lazy("Pregnant"),
    "recent_travel": gettext_lazy("Travelled in the last 14 days"),
    "recent_contact": gettext_lazy("Contact with a COVID-19 patient in the last 14 days"),
    "top_official": gettext_lazy("Top official"),
    "strategic_post": gettext_lazy("Strategic post"),
}
# Which part of the rule set each field belongs to, for the version history.
SECTIONS = {
    "exempt_unit_kinds": gettext_lazy("Units always at the office"),
    "minimum_on_site": gettext_lazy("Public-service minimums"),
    "cap_preset": gettext_lazy("Occupancy cap"),
    "cap_sector": gettext_lazy("Occupancy cap"),
    "office_caps": gettext_lazy("Occupancy cap"),
    "criteria": gettext_lazy("Criteria"),
    "over_age": gettext_lazy("Criteria"),
    "flexible": gettext_lazy("Flexible work"),
    "checkin_deadline": gettext_lazy("Times"),
    "vicon_time": gettext_lazy("Times"),
    "report_time": gettext_lazy("Times"),
    "geofence_radius_m": gettext_lazy("Attendance"),
    "max_accuracy_m": gettext_lazy("Attendance"),
    "outside_checkin": gettext_lazy("Attendance"),
    "review_after_days": gettext_lazy("Review"),
    "effectiveness_threshold": gettext_lazy("Review"),
}

# What happens to a check-in outside the geofence (RuleSet.outside_checkin).
OUTSIDE_CHECKIN_LABELS = {
    "flag": gettext_lazy("Accept it, marked outside the area for review"),
    "refuse": gettext_lazy("Refuse it"),
}


def percent(share: float) -> str:
    """0.5 → "50%", 0.333 → "33.3%"."""
    return f"{round(share * 100, 1):g}%"


def criterion_label(flag: str) -> str:
    return str(CRITERION_LABELS.get(flag, flag))


# --- occupancy caps -----------------------------------------------------------------------------


def preset_text(agency: Agency, sector: rules.Sector | str) -> str:
    """What the "agency" preset gives today, e.g. "Medium risk (orange zone): 50% at the office"."""
    sector = rules.Sector(sector)
    cap = rules.office_cap(risk_zone=agency.risk_zone, ppkm_level=agency.ppkm_level, sector=sector)
    if agency.ppkm_level is not None:
        return _("PPKM level %(level)s, %(sector)s office: %(share)s at the office (%(cite)s)") % {
            "level": agency.ppkm_level,
            "sector": str(SECTOR_LABELS[sector]).lower(),
            "share": percent(cap.share),
            "cite": cap.citation,
        }
    if agency.risk_zone:
        return _("%(zone)s: %(share)s at the office (%(cite)s)") % {
            "zone": agency.get_risk_zone_display(),
            "share": percent(cap.share),
            "cite": cap.citation,
        }
    return _("The agency has no risk zone or PPKM level set: offices are not capped.")


@dataclass
class CapRow:
    office: Office
    staff: int
    share: float
    max_on_site: int
    source: str
    custom: bool

    @property
    def percent(self) -> str:
        return percent(self.share)


def office_staff(agency: Agency) -> list[Office]:
    """The agency's offices, each with `staff`: its active employees (planned here or not)."""
    return list(
        Office.objects.filter(agency=agency)
        .annotate(staff=Count("employees", filter=Q(employees__is_active=True)))
        .order_by("name")
    )


def cap_rows(agency: Agency, ruleset: rules.RuleSet, offices: list[Office] | None = None):
    """Each office's cap under the rule set today: its staff and how many may be on site."""
    rows = []
    custom = {c.office for c in ruleset.office_caps}
    for office in office_staff(agency) if offices is None else offices:
        cap = ruleset.cap_for(
            office=office.pk, risk_zone=agency.risk_zone, ppkm_level=agency.ppkm_level
        )
        if office.pk in custom:
            source = _("custom share")
        elif cap.citation:
            source = cap.citation
        else:
            source = _("no cap")
        rows.append(
            CapRow(
                office=office,
                staff=office.staff,
                share=cap.share,
                max_on_site=rules.cap_count(office.staff, cap.share),
                source=source,
                custom=office.pk in custom,
            )
        )
    return rows


# --- public-service minimums -------------------------------------------------------------------


def unit_staff(agency: Agency) -> dict[int, int]:
    """Active staff placed directly in each unit (the planner counts a unit's minimum this way)."""
    counts = (
        Unit.objects.filter(agency=agency)
        .annotate(staff=Count("employees", filter=Q(employees__is_active=True)))
        .values_list("pk", "staff")
    )
    return dict(counts)


def minimum_units(agency: Agency, ruleset: rules.RuleSet) -> list[Unit]:
    """The units that get a minimum row: those serving the public and those the rules name."""
    named = {m.unit for m in ruleset.minimum_on_site}
    return list(
        Unit.objects.filter(agency=agency)
        .filter(Q(serves_public=True, is_active=True) | Q(pk__in=named))
        .order_by("path")
    )


@dataclass
class MinimumRow:
    unit: Unit | None
    name: str
    count: int
    share: float
    staff: int
    minimum: int
    over_staff: bool
    unit_default: bool = False

    @property
    def percent(self) -> str:
        return percent(self.share)


def minimum_rows(agency: Agency, ruleset: rules.RuleSet) -> list[MinimumRow]:
    units = {u.pk: u for u in Unit.objects.filter(agency=agency)}
    staff = unit_staff(agency)
    rows = []
    for entry in ruleset.minimum_on_site:
        unit = units.get(entry.unit)
        n = staff.get(entry.unit, 0)
        rows.append(
            MinimumRow(
                unit=unit,
                name=unit.name if unit else f"#{entry.unit}",
                count=entry.count,
                share=entry.share,
                staff=n,
                minimum=rules.min_on_site(staff=n, count=entry.count, share=entry.share),
                over_staff=entry.count > n,
            )
        )
    # Without an entry the planner keeps a public-service unit's own default (Unit.min_on_site).
    named = {m.unit for m in ruleset.minimum_on_site}
    for unit in sorted(units.values(), key=lambda u: u.path):
        if unit.pk in named or not (unit.serves_public and unit.is_active and unit.min_on_site):
            continue
        n = staff.get(unit.pk, 0)
        rows.append(
            MinimumRow(
                unit=unit,
                name=unit.name,
                count=unit.min_on_site,
                share=0.0,
                staff=n,
                minimum=unit.min_on_site,
                over_staff=unit.min_on_site > n,
                unit_default=True,
            )
        )
    return rows


# --- the whole rule set, readable ---------------------------------------------------------------


@dataclass
class RuleSummary:
    ruleset: rules.RuleSet
    preset: str
    sector: str
    caps: list[CapRow]
    minimums: list[MinimumRow]
    criteria: list[tuple[str, str]]
    exempt_kinds: list[str]

    @property
    def threshold(self) -> str:
        return percent(self.ruleset.effectiveness_threshold)

    @property
    def outside_checkin(self) -> str:
        value = self.ruleset.outside_checkin
        return str(OUTSIDE_CHECKIN_LABELS.get(value, value))


def rule_summary(agency: Agency, ruleset: rules.RuleSet) -> RuleSummary:
    kinds = dict(Unit.Kind.choices)
    criteria = [
        (criterion_label(flag), str(PLACEMENT_LABELS.get(value, value)))
        for flag, value in ruleset.criteria.items()
    ]
    no_effect = [f for f in rules.DEFAULT_CRITERIA if f not in ruleset.criteria]
    criteria += [(criterion_label(f), _("No effect")) for f in no_effect]
    return RuleSummary(
        ruleset=ruleset,
        preset=preset_text(agency, ruleset.cap_sector),
        sector=str(SECTOR_LABELS[ruleset.cap_sector]),
        caps=cap_rows(agency, ruleset),
        minimums=minimum_rows(agency, ruleset),
        criteria=criteria,
        exempt_kinds=[str(kinds.get(k, k)) for k in ruleset.exempt_unit_kinds],
    )


# --- version history ---------------------------------------------------------------------------


@dataclass
class VersionRow:
    number: int
    when: datetime
    who: str | None
    note: str
    changes: list[str] = field(default_factory=list)


def _person(user) -> str | None:
    if user is None:
        return None
    employee = getattr(user, "employee", None)
    return employee.name if employee is not None else user.get_username()


def version_rows(circular: Circular) -> list[VersionRow]:
    """Every rule-set version, newest first, with the parts of the rules it changed."""
    versions = list(circular.versions.select_related("created_by__employee").order_by("number"))
    rows = []
    previous: dict | None = None
    for version in versions:
        try:
            current = rules.RuleSet.model_validate(version.rules).model_dump(mode="json")
        except ValueError:  # a version saved under older rules: compare what is stored
            current = dict(version.rules or {})
        # Rows in another order are the same rules.
        for key, by in (("minimum_on_site", "unit"), ("office_caps", "office")):
            if isinstance(current.get(key), list):
                current[key] = sorted(current[key], key=lambda row, by=by: str(row.get(by)))
        changes: list[str] = []
        if previous is not None:
            for key, value in current.items():
                label = str(SECTIONS.get(key, key))
                if previous.get(key) != value and label not in changes:
                    changes.append(label)
        rows.append(
            VersionRow(
                number=version.number,
                when=version.created_at,
                who=_person(version.created_by),
                note=version.note,
                changes=changes,
            )
        )
        previous = current
    return list(reversed(rows))


# --- the rules in force on a day (attendance, the timed jobs) --------------------------------


@dataclass(frozen=True)
class InForce:
    circular: Circular
    rules: rules.RuleSet
    whole_agency: bool  # an empty scope: every unit
    units: frozenset[int]  # the units covered on the day


def circulars_in_force(agency: Agency, day: date) -> list[InForce]:
    """The agency's circulars in force on a day with the units each covers (an early start
    counts for its unit's subtree only), the newest first."""
    candidates = list(
        Circular.objects.filter(agency=agency, status__in=Circular.IN_FORCE)
        .exclude(ends_on__lt=day)
        .prefetch_related("units", "offices", "early_starts__unit", "versions")
        .order_by("-starts_on", "-pk")
    )
    if not candidates:
        return []
    all_units = [
        rules.ScopeUnit(u.pk, u.path, u.office_id) for u in Unit.objects.filter(agency=agency)
    ]
    found = []
    for circular in candidates:
        early = [e.unit.path for e in circular.early_starts.all() if e.starts_on <= day]
        if circular.starts_on > day and not early:
            continue
        paths = [u.path for u in circular.units.all()]
        offices = {o.pk for o in circular.offices.all()}
        covered = rules.covered_units(all_units, paths, offices)
        if circular.starts_on > day:
            started = {u.id for u in all_units if any(u.path.startswith(p) for p in early)}
            covered &= started
        if not covered:
            continue
        versions = sorted(circular.versions.all(), key=lambda v: v.number)
        ruleset = rules.RuleSet.model_validate(versions[-1].rules if versions else {})
        found.append(
            InForce(
                circular=circular,
                rules=ruleset,
                whole_agency=not paths and not offices and circular.starts_on <= day,
                units=frozenset(covered),
            )
        )
    return found


# The check-in asks for the rules in force on every request, thousands in the 07:25 surge, and
# they hardly ever change: each process keeps the answer per agency and day, and reuses it while
# one query says that nothing it was built from has changed (circulars: count and last change,
# which their scope and early starts move too; rule-set versions; units: count and last change).
_IN_FORCE: Fingerprinted[list[InForce]] = Fingerprinted()


@functools.cache
def fingerprint_columns() -> str:
    """The fingerprint's five columns as SQL (the agency is the parameter %(a)s), for a caller
    that reads them inside a statement of its own (the check-in does)."""
    circular, version, unit = (m._meta.db_table for m in (Circular, RuleSetVersion, Unit))
    # Table names from the models' own metadata; the agency is a query parameter.
    return (
        f"(SELECT count(*) FROM {circular} WHERE agency_id = %(a)s), "  # noqa: S608
        f"(SELECT max(updated_at) FROM {circular} WHERE agency_id = %(a)s), "
        f"(SELECT max(v.id) FROM {version} v JOIN {circular} c ON c.id = v.circular_id "
        f"WHERE c.agency_id = %(a)s), "
        f"(SELECT count(*) FROM {unit} WHERE agency_id = %(a)s), "
        f"(SELECT max(updated_at) FROM {unit} WHERE agency_id = %(a)s)"
    )


def _in_force_fingerprint(agency_id: int) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {fingerprint_columns()}", {"a": agency_id})
        return tuple(cursor.fetchone())


def circulars_in_force_cached(
    agency: Agency, day: date, *, fingerprint: tuple | None = None
) -> list[InForce]:
    """`circulars_in_force`, reused by this process while the agency's circulars and units are
    unchanged: one query to know, none when the caller read `fingerprint_columns()` itself.
    The result is shared: treat it as read-only."""
    if fingerprint is None:
        fingerprint = _in_force_fingerprint(agency.pk)
    return _IN_FORCE.get((agency.pk, day), fingerprint, lambda: circulars_in_force(agency, day))


def agency_rules(agency: Agency, day: date, in_force: list[InForce] | None = None):
    """The agency-wide rules on a day: the circular covering the whole agency, else the newest
    circular in force, else the defaults (07:30 deadline, 14:00 call, 15:00 report)."""
    in_force = circulars_in_force(agency, day) if in_force is None else in_force
    for item in in_force:
        if item.whole_agency:
            return item.rules
    return in_force[0].rules if in_force else rules.RuleSet()


def unit_rules(
    in_force: list[InForce], unit_id: int, preferred: int | None = None
) -> rules.RuleSet:
    """The rules for one unit from `circulars_in_force`: the preferred circular (the one the
    roster entry was planned under) when it covers the unit, else the first covering one, else
    the defaults."""
    covering = [item for item in in_force if unit_id in item.units]
    for item in covering:
        if item.circular.pk == preferred:
            return item.rules
    return covering[0].rules if covering else rules.RuleSet()
