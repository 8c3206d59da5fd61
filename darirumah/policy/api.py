"""Circular endpoints: list, draft, edit, the lifecycle (activate, extend, withdraw), and the
effectiveness review with leadership's decision (R2, R3)."""

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from darirumah.core.errors import NotFound
from darirumah.org.access import Access, access_for, get_visible

from . import selectors_effectiveness, services, services_effectiveness
from .models import Circular, EffectivenessDecision
from .schemas import CircularIn, CircularOut, CircularPatch, ExtendIn, NoteIn

router = Router(tags=["policy"])


def _access(request) -> Access:
    return access_for(request.user)


def _circulars(access: Access):
    return Circular.objects.filter(agency__in=access.agencies()).prefetch_related(
        "units", "offices", "early_starts", "versions", "events"
    )


def _scoped(queryset, ids: list[int] | None, field: str, agency_id: int):
    """Objects of the circular's agency by id; an unknown id is a 404 naming the field."""
    if ids is None:
        return None
    found = list(queryset.filter(pk__in=ids, agency_id=agency_id))
    missing = sorted(set(ids) - {o.pk for o in found})
    if missing:
        raise NotFound(
            _("%(field)s %(ids)s do not exist or are not visible to you.")
            % {"field": field, "ids": ", ".join(map(str, missing))},
            fields={field: [_("Unknown or not visible.")]},
        )
    return found


def _scope_args(access: Access, data: dict, agency_id: int) -> dict:
    out = {}
    out["units"] = _scoped(access.units(), data.pop("units", None), "units", agency_id)
    out["offices"] = _scoped(access.offices(), data.pop("offices", None), "offices", agency_id)
    early = data.pop("early_starts", None)
    if early is not None:
        units = _scoped(access.units(), [e["unit"] for e in early], "early_starts", agency_id)
        by_id = {u.pk: u for u in units}
        out["early_starts"] = [(by_id[e["unit"]], e["starts_on"]) for e in early]
    return {k: v for k, v in out.items() if v is not None}


@router.get("/policies", response=list[CircularOut])
@paginate(PageNumberPagination)
def policies_list(request, status: Circular.Status | None = None):
    """The agency's circulars, newest first; everyone in the agency may read them."""
    qs = _circulars(_access(request))
    return qs.filter(status=status) if status else qs


@router.post("/policies", response={201: CircularOut})
def policies_create(request, payload: CircularIn):
    access = _access(request)
    data = payload.dict()
    agency_id = data.pop("agency") or access.agency_id
    agency = get_visible(access.agencies(), agency_id) if agency_id else None
    if agency is None:
        raise NotFound(_("Say which agency."), fields={"agency": [_("Required.")]})
    scope = _scope_args(access, data, agency.pk)
    rules_data = data.pop("rules")
    circular = services.circular_create(
        access=access, agency=agency, rules_data=rules_data, **scope, **data
    )
    return Status(201, _circulars(access).get(pk=circular.pk))


@router.get("/policies/{policy_id}", response=CircularOut)
def policies_detail(request, policy_id: int):
    return get_visible(_circulars(_access(request)), policy_id)


@router.patch("/policies/{policy_id}", response=CircularOut)
def policies_update(request, policy_id: int, payload: CircularPatch):
    access = _access(request)
    circular = get_visible(_circulars(access), policy_id)
    data = payload.dict(exclude_unset=True)
    scope = _scope_args(access, data, circular.agency_id)
    rules_data = data.pop("rules", None)
    note = data.pop("note", "")
    services.circular_update(
        access=access, circular=circular, rules_data=rules_data, note=note, **scope, **data
    )
    return _circulars(access).get(pk=circular.pk)


@router.post("/policies/{policy_id}/activate", response=CircularOut)
def policies_activate(request, policy_id: int, payload: NoteIn | None = None):
    access = _access(request)
    circular = get_visible(_circulars(access), policy_id)
    services.circular_activate(
        access=access, circular=circular, note=payload.note if payload else ""
    )
    return _circulars(access).get(pk=circular.pk)


@router.post("/policies/{policy_id}/extend", response=CircularOut)
def policies_extend(request, policy_id: int, payload: ExtendIn):
    access = _access(request)
    circular = get_visible(_circulars(access), policy_id)
    services.circular_extend(
        access=access, circular=circular, ends_on=payload.ends_on, note=payload.note
    )
    return _circulars(access).get(pk=circular.pk)


@router.post("/policies/{policy_id}/withdraw", response=CircularOut)
def policies_withdraw(request, policy_id: int, payload: NoteIn):
    access = _access(request)
    circular = get_visible(_circulars(access), policy_id)
    services.circular_withdraw(access=access, circular=circular, note=payload.note)
    return _circulars(access).get(pk=circular.pk)


# --- the effectiveness review (R2, R3) -------------------------------------------------------

SHARE = 'A share from 0 to 1 as a decimal string ("0.8333"); null when there is no data.'


class TallyOut(Schema):
    person_days: int
    done: int = Field(description="Person-days with the daily report submitted or approved")
    done_share: str | None = Field(description=SHARE)
    checkin_compliance: str | None = Field(description=SHARE)
    on_time_share: str | None = Field(description=SHARE)
    vicon_attendance: str | None = Field(description=SHARE)
    target_progress: str | None = Field(description=SHARE)


class ReviewRowOut(Schema):
    unit: int | None = Field(description="The OPD; null for the whole circular")
    name: str
    verdict: str = Field(description="effective, not_effective or no_data (WFH group)")
    wfh: TallyOut
    wfo: TallyOut
    gap: str | None = Field(description="WFH tasks-done share minus WFO's")
    person_days: int
    report_completion: str | None = Field(description=SHARE)
    checkin_compliance: str | None = Field(description=SHARE)
    on_time_share: str | None = Field(description=SHARE)
    vicon_attendance: str | None = Field(description=SHARE)


class RecommendationOut(Schema):
    decision: str = Field(description="continue, adjust, withdraw or no_data")
    units: list[int] = Field(description="The OPDs below the threshold")
    names: list[str]


class DayOut(Schema):
    day: date
    wfh_done: str | None
    wfo_done: str | None
    checkin_compliance: str | None
    vicon_attendance: str | None


class DecisionOut(Schema):
    id: int
    decision: EffectivenessDecision.Decision
    note: str
    units: list[int]
    decided_by: str | None
    decided_at: datetime
    circular_status: Circular.Status
    review: dict = Field(description="The review as it stood when the decision was taken")

    @staticmethod
    def resolve_units(obj):
        return [u.pk for u in obj.units.all()]

    @staticmethod
    def resolve_decided_by(obj):
        user = obj.decided_by
        if user is None:
            return None
        employee = getattr(user, "employee", None)
        return employee.name if employee is not None else user.get_username()

    @staticmethod
    def resolve_circular_status(obj):
        return obj.circular.status


class ReviewOut(Schema):
    circular: int
    number: str
    start: date
    through: date
    review_due_on: date
    due: bool
    provisional: bool = Field(description="True before the review is due")
    working_days: list[date]
    threshold: str
    answer: str = Field(description="Is WFH working? yes, no, too_early or no_data")
    overall: ReviewRowOut
    opds: list[ReviewRowOut]
    recommendation: RecommendationOut
    series: list[DayOut]
    decisions: list[DecisionOut]


class DecisionIn(Schema):
    decision: EffectivenessDecision.Decision
    note: str = Field(description="Why: required")
    units: list[int] | None = Field(None, description="Units to adjust (decision adjust only)")


def _reviewed(access: Access, policy_id: int) -> Circular:
    return get_visible(selectors_effectiveness.circulars(access), policy_id)


@router.get("/policies/{policy_id}/effectiveness", response=ReviewOut)
def policies_effectiveness(request, policy_id: int, through: date | None = None):
    """Is WFH working? The review of the circular's working days through `through` (default
    today, never past its end), per OPD and overall, with the decisions taken so far. Read by
    pimpinan, BKPSDM, the operator and unit heads of the agency."""
    access = _access(request)
    circular = _reviewed(access, policy_id)
    access.require(
        selectors_effectiveness.may_read_review(access, circular),
        _("Only leadership, BKPSDM and unit heads read the effectiveness review."),
    )
    review = selectors_effectiveness.review_for(circular, through=through).as_json()
    review["decisions"] = selectors_effectiveness.decisions(circular)
    return review


@router.post("/policies/{policy_id}/decision", response={201: DecisionOut})
def policies_decision(request, policy_id: int, payload: DecisionIn):
    """Leadership's decision after the review: continue, adjust (with units) or withdraw."""
    access = _access(request)
    circular = _reviewed(access, policy_id)
    units = _scoped(access.units(), payload.units, "units", circular.agency_id)
    record = services_effectiveness.decision_record(
        access=access,
        circular=circular,
        decision=payload.decision,
        note=payload.note,
        units=units,
    )
    saved = (
        EffectivenessDecision.objects.select_related("circular", "decided_by__employee")
        .prefetch_related("units")
        .get(pk=record.pk)
    )
    return Status(201, saved)
