"""Reads of the TPP allowance and of the agency's performance rules, within the caller's scope.

Who reads TPP lines (the same people as performance data, selectors.people_q): the person their
own; the OPD admin and head their unit subtrees; supervisors their team; BKPSDM, pimpinan and
the platform operator the agency. Not the health officer as such.
Who runs the month and edits the rules: BKPSDM of the agency and the platform operator.
Who reads the rules: everyone of the agency (they are the region's published Perkada).
"""

from __future__ import annotations

import re
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from darirumah.core.errors import DomainError
from darirumah.org.access import Access
from darirumah.org.models import Agency, Employee, Unit

from .. import config as performance_config
from ..models import PerformanceRuleSet, TppLine
from . import evaluation as evaluation_selectors
from . import people_q

MONEY_FIELDS = (
    "base",
    "performance_part",
    "discipline_part",
    "performance_amount",
    "late_deduction",
    "early_leave_deduction",
    "absence_deduction",
    "discipline_amount",
    "sanction_cut",
    "net",
)
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_period(raw: str | None, *, name: str = "period") -> date:
    """A month given as YYYY-MM, as its first day; DomainError with the field otherwise."""
    match = _MONTH.match((raw or "").strip())
    if match is None or not 2000 <= int(match.group(1)) <= 2100:
        message = _("Give the month as YYYY-MM, e.g. 2026-08.")
        raise DomainError(message, code="invalid", fields={name: [message]})
    return date(int(match.group(1)), int(match.group(2)), 1)


# --- rules -------------------------------------------------------------------------------------


def rule_set(agency: Agency) -> PerformanceRuleSet | None:
    return PerformanceRuleSet.objects.filter(agency=agency).select_related("changed_by").first()


def config_of(agency: Agency, rules: PerformanceRuleSet | None = None):
    """The agency's performance config (its stored rules, or the defaults); pass the rule set
    when the caller has it already loaded."""
    if rules is None:
        return evaluation_selectors.performance_config(agency)
    return performance_config.parse(rules.rules)


def reads_rules(access: Access, agency: Agency) -> bool:
    return access.in_agency(agency.pk)


def edits_rules(access: Access, agency: Agency) -> bool:
    return access.manages_agency(agency.pk)


def runs_tpp(access: Access, agency: Agency) -> bool:
    return access.manages_agency(agency.pk)


# --- lines -------------------------------------------------------------------------------------


def reads_unit_tpp(access: Access, unit: Unit) -> bool:
    """May ask for a unit's TPP list: whoever oversees the unit, a supervisor whose team works
    in it, and a person of the unit (who sees their own line in it)."""
    if access.oversees_unit(unit) or access.team_in(unit):
        return True
    own = access.employee
    return (
        own is not None and own.agency_id == unit.agency_id and own.unit.path.startswith(unit.path)
    )


def lines_visible(access: Access) -> QuerySet[TppLine]:
    return TppLine.objects.filter(people_q(access, "employee__")).select_related(
        "employee", "unit", "agency"
    )


def tpp_lines(
    access: Access,
    *,
    period: date,
    unit: Unit | None = None,
    employee: Employee | None = None,
    agency: Agency | None = None,
) -> QuerySet[TppLine]:
    """The month's lines the caller reads, by unit (with its sub-units), person or agency,
    ordered by unit and name."""
    qs = lines_visible(access).filter(period=period)
    if agency is not None:
        qs = qs.filter(agency=agency)
    if unit is not None:
        qs = qs.filter(agency_id=unit.agency_id, unit__path__startswith=unit.path)
    if employee is not None:
        qs = qs.filter(employee=employee)
    return qs.order_by("unit__path", "unit__name", "employee__name", "pk")


def tpp_totals(qs: QuerySet[TppLine]) -> dict:
    """Sums of every amount over the lines, with the number of lines (one query)."""
    sums = qs.order_by().aggregate(
        lines=Count("pk"),
        with_problem=Count("pk", filter=~Q(problem="")),
        **{name: Sum(name) for name in MONEY_FIELDS},
    )
    return {k: (v if v is not None else 0) for k, v in sums.items()}


def own_lines(access: Access, *, limit: int = 12) -> list[TppLine]:
    """The caller's own lines, newest month first."""
    if access.employee is None:
        return []
    return list(
        TppLine.objects.filter(employee=access.employee)
        .select_related("unit")
        .order_by("-period")[:limit]
    )
