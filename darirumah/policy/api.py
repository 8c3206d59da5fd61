"""Circular endpoints: list, draft, edit, and the lifecycle (activate, extend, withdraw)."""

from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import PageNumberPagination, paginate

from darirumah.core.errors import NotFound
from darirumah.org.access import Access, access_for, get_visible

from . import services
from .models import Circular
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
