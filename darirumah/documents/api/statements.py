"""Documents API: the statement letters of a circular (R25) and who has not signed."""

from __future__ import annotations

from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from darirumah.org.access import access_for, get_visible
from darirumah.policy.models import Circular

from ..selectors import statements as selectors
from ..services import statements as services
from .common import MAX_PAGE, MAX_PAGE_SIZE, PAGE_SIZE, page_of

router = Router()


class StatementRow(Schema):
    employee_id: int = Field(alias="id")
    name: str
    nip: str
    unit_id: int | None
    unit_name: str = ""
    document_id: int | None = Field(alias="statement_id")
    status: Literal["signed", "pending", "missing"]

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name if obj.unit_id else ""

    @staticmethod
    def resolve_status(obj) -> str:
        return obj.statement_status or "missing"


class Counts(Schema):
    total: int
    signed: int
    pending: int
    missing: int


class StatementPage(Schema):
    circular_id: int
    counts: Counts
    items: list[StatementRow]
    count: int


class StatementFilters(Schema):
    circular: int
    status: Literal["signed", "unsigned"] | None = Field(
        None, description="unsigned: awaiting a signature or no letter yet."
    )
    unit: int | None = Field(None, description="With its sub-units.")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class GenerateIn(Schema):
    circular: int


class GenerateOut(Schema):
    created: int
    message: str


def _circular(access, pk: int) -> Circular:
    return get_visible(Circular.objects.filter(agency__in=access.agencies()), pk)


@router.get("/documents/statements", response=StatementPage)
def statement_list(request, filters: Query[StatementFilters]):
    """Who the circular covers and whether each has signed their statement letter, within the
    caller's scope (a head sees their unit, BKPSDM the agency, an employee themself)."""
    access = access_for(request.user)
    circular = _circular(access, filters.circular)
    unit = get_visible(access.units(), filters.unit) if filters.unit else None
    rows = selectors.statement_rows(
        access=access, circular=circular, status=filters.status or "", unit=unit
    )
    items, count = page_of(rows, filters.page, filters.page_size)
    counts = selectors.statement_counts(access=access, circular=circular, unit=unit)
    return {"circular_id": circular.pk, "counts": counts, "items": items, "count": count}


@router.post("/documents/statements", response=GenerateOut)
def statement_generate(request, payload: GenerateIn):
    """Make the circular's missing statement letters now (they are made when it is put in
    force; this is for staff who joined since). BKPSDM and pimpinan."""
    access = access_for(request.user)
    created = services.statements_request(
        access=access, circular=_circular(access, payload.circular)
    )
    return {
        "created": created,
        "message": _("%(n)s statement letters made.") % {"n": created},
    }
