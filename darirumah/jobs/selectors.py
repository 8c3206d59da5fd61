"""Reads for the timed jobs: the rules in force for an agency or a unit on a day, and the runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from darirumah.org.access import Access
from darirumah.org.models import Agency, Unit
from darirumah.policy import rules as policy_rules
from darirumah.policy.models import Circular

from .models import JobRun

RUNS_LIMIT = 200


@dataclass(frozen=True)
class InForce:
    circular: Circular
    rules: policy_rules.RuleSet
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
        policy_rules.ScopeUnit(u.pk, u.path, u.office_id)
        for u in Unit.objects.filter(agency=agency)
    ]
    found = []
    for circular in candidates:
        early = [e.unit.path for e in circular.early_starts.all() if e.starts_on <= day]
        if circular.starts_on > day and not early:
            continue
        paths = [u.path for u in circular.units.all()]
        offices = {o.pk for o in circular.offices.all()}
        covered = policy_rules.covered_units(all_units, paths, offices)
        if circular.starts_on > day:
            started = {u.id for u in all_units if any(u.path.startswith(p) for p in early)}
            covered &= started
        if not covered:
            continue
        versions = sorted(circular.versions.all(), key=lambda v: v.number)
        ruleset = policy_rules.RuleSet.model_validate(versions[-1].rules if versions else {})
        found.append(
            InForce(
                circular=circular,
                rules=ruleset,
                whole_agency=not paths and not offices and circular.starts_on <= day,
                units=frozenset(covered),
            )
        )
    return found


def agency_rules(agency: Agency, day: date, in_force: list[InForce] | None = None):
    """The agency-wide rules on a day: the circular covering the whole agency, else the newest
    circular in force, else the defaults (07:30 deadline, 14:00 call, 15:00 report)."""
    in_force = circulars_in_force(agency, day) if in_force is None else in_force
    for item in in_force:
        if item.whole_agency:
            return item.rules
    return in_force[0].rules if in_force else policy_rules.RuleSet()


def unit_rules(
    in_force: list[InForce], unit_id: int, preferred: int | None = None
) -> policy_rules.RuleSet:
    """The rules for one unit from `circulars_in_force`: the preferred circular (the one the
    roster entry was planned under) when it covers the unit, else the first covering one, else
    the defaults."""
    covering = [item for item in in_force if unit_id in item.units]
    for item in covering:
        if item.circular.pk == preferred:
            return item.rules
    return covering[0].rules if covering else policy_rules.RuleSet()


def runs_for(*, access: Access, agency: Agency | None = None) -> QuerySet[JobRun]:
    """The recent job runs the caller may watch (operator: every agency; BKPSDM: their own),
    narrowed to one agency when given."""
    if not access.watches_jobs(access.agency_id):
        return JobRun.objects.none()
    qs = JobRun.objects.filter(agency__in=access.agencies()).select_related("agency")
    if agency is not None:
        qs = qs.filter(agency=agency)
    return qs.order_by("-local_date", "-queued_at", "name")


def latest_runs(*, access: Access, agency: Agency | None = None, limit: int = RUNS_LIMIT):
    return list(runs_for(access=access, agency=agency)[:limit])
