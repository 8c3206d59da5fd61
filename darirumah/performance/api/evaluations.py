"""Performance API: the month-end evaluation (see API.md). Each person's month with the
figures behind it, the run, the head's confirmation, and the OPDs' summaries for BKPSDM.
Percentages and scores are decimals (JSON strings, exact); months are "YYYY-MM"."""

from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from darirumah.core.calendar import zone_info
from darirumah.core.errors import DomainError, NotFound
from darirumah.org.access import Access, access_for, get_visible
from darirumah.org.models import Agency

from ..models import Evaluation
from ..rules import evaluation as rules
from ..selectors import evaluation as selectors
from ..services import evaluation as services

router = Router(tags=["performance"])


class InvalidInput(DomainError):
    """Input that does not parse: like ninja's own validation errors, a 422."""

    status = 422


def _period(value: str | None, *, required: bool = False) -> date | None:
    if not value and not required:
        return None
    period = rules.parse_period(value)
    if period is None:
        message = _("Give the month as YYYY-MM, e.g. 2026-08.")
        raise InvalidInput(message, code="invalid", fields={"period": [message]})
    return period


def _local(agency, moment: datetime | None) -> datetime | None:
    return moment.astimezone(zone_info(agency.zone)) if moment is not None else None


def _person(user) -> str | None:
    if user is None:
        return None
    employee = getattr(user, "employee", None)
    return employee.name if employee is not None else user.get_username()


def _agency(access: Access, agency_id: int | None) -> Agency:
    """The agency asked for among the visible ones, else the caller's own."""
    if agency_id is None:
        agency_id = access.agency_id
        if agency_id is None:
            message = _("Choose an agency.")
            raise DomainError(message, fields={"agency": [message]})
    return get_visible(access.agencies(), agency_id)


class EvaluationOut(Schema):
    id: int
    employee_id: int
    employee_name: str = Field(alias="employee.name")
    employee_nip: str = Field(alias="employee.nip")
    unit_id: int
    unit_name: str = Field(alias="unit.name")
    period: str
    working_days: int
    target_achievement: Decimal | None
    report_completion: Decimal | None
    attendance_compliance: Decimal | None
    vicon_compliance: Decimal | None
    score: Decimal
    rating: Evaluation.Rating
    final_rating: Evaluation.Rating
    adjust_reason: str
    status: Evaluation.Status
    confirmed_by_name: str | None = None
    confirmed_at: datetime | None
    computed_at: datetime
    figures: dict

    @staticmethod
    def resolve_period(obj) -> str:
        return f"{obj.period:%Y-%m}"

    @staticmethod
    def resolve_confirmed_by_name(obj) -> str | None:
        return _person(obj.confirmed_by)

    @staticmethod
    def resolve_confirmed_at(obj) -> datetime | None:
        return _local(obj.agency, obj.confirmed_at)

    @staticmethod
    def resolve_computed_at(obj) -> datetime:
        return _local(obj.agency, obj.computed_at)


class UnitEvaluationOut(Schema):
    id: int
    unit_id: int
    unit_name: str = Field(alias="unit.name")
    period: str
    figures: dict
    computed_at: datetime
    sent_at: datetime | None
    sent_by_name: str | None = None

    @staticmethod
    def resolve_period(obj) -> str:
        return f"{obj.period:%Y-%m}"

    @staticmethod
    def resolve_computed_at(obj) -> datetime:
        return _local(obj.agency, obj.computed_at)

    @staticmethod
    def resolve_sent_at(obj) -> datetime | None:
        return _local(obj.agency, obj.sent_at)

    @staticmethod
    def resolve_sent_by_name(obj) -> str | None:
        return _person(obj.sent_by)


class RunIn(Schema):
    period: str = Field(description="The month, YYYY-MM.")
    agency: int | None = Field(None, description="The agency (the caller's own by default).")


class RunOut(Schema):
    period: str
    employees: int
    working_days: int
    created: int
    updated: int
    unchanged: int
    confirmed_kept: int
    units: int


class ConfirmIn(Schema):
    rating: Evaluation.Rating | None = Field(
        None, description="Another rating than the computed one (then a reason is required)."
    )
    reason: str = Field("", description="Why; required to adjust, or to change a confirmed one.")


# --- the OPDs' summaries (before /evaluations/{id}) ----------------------------------------------


@router.get("/evaluations/units", response=list[UnitEvaluationOut])
@paginate(PageNumberPagination)
def unit_evaluation_list(request, period: str | None = None, agency: int | None = None):
    """The OPDs' month summaries: every OPD for BKPSDM, pimpinan and the operator; its own for
    an OPD's head or admin; nothing for others."""
    access = access_for(request.user)
    agency_obj = get_visible(access.agencies(), agency) if agency is not None else None
    return selectors.unit_evaluation_list(access, period=_period(period), agency=agency_obj)


@router.post("/evaluations/units/{unit_evaluation_id}/send", response=UnitEvaluationOut)
def unit_evaluation_send(request, unit_evaluation_id: int):
    """The OPD's head sends its month to BKPSDM once every evaluation is confirmed."""
    access = access_for(request.user)
    summary = get_visible(selectors.unit_evaluation_list(access), unit_evaluation_id)
    services.unit_evaluation_send(access=access, unit_evaluation=summary)
    return selectors.unit_evaluation_list(access).get(pk=summary.pk)


# --- each person's month -------------------------------------------------------------------------


@router.get("/evaluations", response=list[EvaluationOut])
@paginate(PageNumberPagination)
def evaluation_list(
    request, period: str | None = None, unit: int | None = None, employee: int | None = None
):
    """The evaluations the caller may see (own, team, units, agency) with their figures;
    filter by month (YYYY-MM), unit (with sub-units) and person."""
    access = access_for(request.user)
    month = _period(period)
    unit_obj = get_visible(access.units(), unit) if unit is not None else None
    person = get_visible(access.employees(), employee) if employee is not None else None
    return selectors.evaluation_list(access, period=month, unit=unit_obj, employee=person)


@router.post("/evaluations/run", response=RunOut)
def evaluation_run(request, payload: RunIn):
    """Compute the month for every active employee of the agency (BKPSDM, the operator).
    Confirmed evaluations are kept; the month must have reached its evaluation day."""
    access = access_for(request.user)
    period = _period(payload.period, required=True)
    agency = _agency(access, payload.agency)
    access.require(
        selectors.runs_evaluation(access, agency.pk),
        _("Only BKPSDM runs the month-end evaluation."),
    )
    return services.evaluation_run(agency=agency, period=period, actor=request.user)


def _evaluation(access: Access, evaluation_id: int) -> Evaluation:
    evaluation = selectors.evaluations_visible(access).filter(pk=evaluation_id).first()
    if evaluation is None:
        raise NotFound(_("Not found, or not visible to you."))
    return evaluation


@router.get("/evaluations/{evaluation_id}", response=EvaluationOut)
def evaluation_detail(request, evaluation_id: int):
    return _evaluation(access_for(request.user), evaluation_id)


@router.post("/evaluations/{evaluation_id}/confirm", response=EvaluationOut)
def evaluation_confirm(request, evaluation_id: int, payload: ConfirmIn):
    """The head confirms the computed rating, or sets another one with a reason."""
    access = access_for(request.user)
    evaluation = services.evaluation_confirm(
        access=access,
        evaluation=_evaluation(access, evaluation_id),
        rating=payload.rating.value if payload.rating is not None else None,
        reason=payload.reason,
    )
    return _evaluation(access, evaluation.pk)
