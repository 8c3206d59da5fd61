"""Performance API: the TPP allowance (lines with their breakdown and totals, the monthly run,
the XLSX export) and the agency's performance rules. Amounts are rupiah as JSON strings (exact
decimals, whole rupiah); the rounding rule is in darirumah/performance/rules/tpp.py."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Body, Field, Query, Router, Schema

from darirumah.core.calendar import calendar_for
from darirumah.core.errors import DomainError
from darirumah.org.access import Access, access_for, get_visible
from darirumah.org.models import Agency, Employee

from .. import config as performance_config
from .. import tpp_xlsx
from ..rules.tpp import ROUNDING_RULE, rounding_rule_text
from ..selectors import people_q
from ..selectors import tpp as selectors
from ..services import rules_config as rules_services
from ..services import tpp as services

router = Router(tags=["performance"])


def agency_of(access: Access, agency_id: int | None) -> Agency:
    """The agency asked for (among those visible), else the caller's own."""
    if agency_id is not None:
        return get_visible(access.agencies(), agency_id)
    if access.agency_id is None:
        message = _("Choose an agency.")
        raise DomainError(message, fields={"agency": [message]})
    return Agency.objects.get(pk=access.agency_id)


class TppLineOut(Schema):
    id: int
    employee_id: int
    employee_name: str = Field(alias="employee.name")
    nip: str = Field(alias="employee.nip")
    unit_id: int
    unit_name: str = Field(alias="unit.name")
    period: date
    job_class: int | None
    base: Decimal
    performance_part: Decimal
    discipline_part: Decimal
    performance_amount: Decimal
    late_deduction: Decimal
    early_leave_deduction: Decimal
    absence_deduction: Decimal
    discipline_amount: Decimal
    sanction_cut: Decimal
    net: Decimal
    working_days: int
    worked_days: int
    problem: str
    breakdown: dict[str, Any]
    computed_at: datetime


class TppTotals(Schema):
    lines: int
    with_problem: int
    base: Decimal
    performance_part: Decimal
    discipline_part: Decimal
    performance_amount: Decimal
    late_deduction: Decimal
    early_leave_deduction: Decimal
    absence_deduction: Decimal
    discipline_amount: Decimal
    sanction_cut: Decimal
    net: Decimal


class TppPage(Schema):
    period: str
    rounding: str
    rounding_rule: str
    count: int
    page: int
    page_size: int
    totals: TppTotals
    items: list[TppLineOut]


class TppFilter(Schema):
    period: str = Field(description="The month, YYYY-MM.")
    unit: int | None = Field(None, description="A unit, with its sub-units.")
    employee: int | None = None
    agency: int | None = Field(None, description="The platform operator picks an agency.")


def _lines(access: Access, filters: TppFilter):
    period = selectors.parse_period(filters.period)
    unit = employee = agency = None
    if filters.agency is not None:
        agency = get_visible(access.agencies(), filters.agency)
    if filters.unit is not None:
        unit = get_visible(access.units(), filters.unit)
        access.require(
            selectors.reads_unit_tpp(access, unit),
            _("You do not read the allowance of this unit."),
        )
    if filters.employee is not None:
        employee = get_visible(Employee.objects.filter(people_q(access)), filters.employee)
    qs = selectors.tpp_lines(access, period=period, unit=unit, employee=employee, agency=agency)
    return period, unit, agency, qs


@router.get("/tpp", response=TppPage)
def tpp_list(
    request,
    filters: Query[TppFilter],
    page: int = Query(1, ge=1, le=100_000),
    page_size: int = Query(100, ge=1, le=500),
):
    """The month's allowance lines the caller reads (their own; their team's; their units'; the
    agency's for BKPSDM and pimpinan), each with its breakdown, and the totals of them all."""
    access = access_for(request.user)
    period, _unit, _agency, qs = _lines(access, filters)
    totals = selectors.tpp_totals(qs)
    offset = (page - 1) * page_size
    return {
        "period": period.strftime("%Y-%m"),
        "rounding": ROUNDING_RULE,
        "rounding_rule": rounding_rule_text(),
        "count": totals["lines"],
        "page": page,
        "page_size": page_size,
        "totals": totals,
        "items": list(qs[offset : offset + page_size]),
    }


@router.get("/tpp/export")
def tpp_export(request, filters: Query[TppFilter]):
    """The same lines as an XLSX workbook: header rows with the agency, the month and the
    rounding rule, one row per person with a unit column, rupiah formats and a totals row."""
    access = access_for(request.user)
    period, unit, agency, qs = _lines(access, filters)
    if agency is None:
        agency = unit.agency if unit is not None else agency_of(access, None)
    cal = calendar_for(agency)
    content = tpp_xlsx.build(
        agency_name=agency.name,
        period=period,
        lines=qs.iterator(chunk_size=2000),
        generated=cal.now().strftime("%Y-%m-%d %H:%M ") + agency.zone,
    )
    response = HttpResponse(content, content_type=tpp_xlsx.CONTENT_TYPE)
    name = tpp_xlsx.filename(period, unit.code if unit else None)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class RunIn(Schema):
    period: str = Field(description="The month, YYYY-MM.")
    agency: int | None = Field(None, description="The platform operator picks an agency.")


class RunOut(Schema):
    period: str
    lines: int
    with_problem: int
    awaiting_evaluation: int
    sanctioned: int
    net_total: Decimal


@router.post("/tpp/run", response=RunOut)
def tpp_run(request, payload: RunIn):
    """Compute the month's allowance of every active employee of the agency again (BKPSDM of
    the agency, the platform operator). Running a month again replaces its lines."""
    access = access_for(request.user)
    period = selectors.parse_period(payload.period)
    agency = agency_of(access, payload.agency)
    access.require(
        selectors.runs_tpp(access, agency), _("Only BKPSDM of the agency runs the allowance.")
    )
    return services.tpp_run(agency=agency, period=period)


# --- rules -------------------------------------------------------------------------------------


class RulesOut(Schema):
    agency: int
    rules: dict[str, Any]
    stored: bool = Field(description="False: no rules saved yet, these are the defaults.")
    changed_at: datetime | None
    changed_by: str | None


def _rules_out(agency: Agency, rule_set) -> dict:
    config = selectors.config_of(agency, rule_set)
    changed_by = None
    if rule_set is not None and rule_set.changed_by is not None:
        user = rule_set.changed_by
        employee = getattr(user, "employee", None)
        changed_by = employee.name if employee is not None else user.get_username()
    return {
        "agency": agency.pk,
        "rules": performance_config.dump(config),
        "stored": rule_set is not None,
        "changed_at": rule_set.updated_at if rule_set is not None else None,
        "changed_by": changed_by,
    }


@router.get("/performance/rules", response=RulesOut)
def rules_get(request, agency: int | None = None):
    """The agency's performance rules (evaluation, TPP, discipline); the defaults when none are
    saved. Everyone of the agency reads them."""
    access = access_for(request.user)
    target = agency_of(access, agency)
    access.require(selectors.reads_rules(access, target))
    return _rules_out(target, selectors.rule_set(target))


@router.put("/performance/rules", response=RulesOut)
def rules_put(request, payload: Body[dict[str, Any]], agency: int | None = None):
    """Replace the agency's performance rules (the JSON of GET's `rules`; missing parts take
    the defaults). Validated; each wrong setting is named in `fields` by its dotted path.
    BKPSDM of the agency and the platform operator."""
    access = access_for(request.user)
    target = agency_of(access, agency)
    rule_set = rules_services.rules_config_update(access=access, agency=target, data=payload)
    return _rules_out(target, rule_set)
