"""Health API: is this office a workplace cluster, and why (see API.md).

For the health officers, the head of BKPSDM, BKPSDM, pimpinan and the platform operator: the
verdict with its evidence, the cases as "Case 1, Case 2…". A names-reader who passes a `reason`
(or the X-Access-Reason header) gets the names, and the read is logged.
"""

from __future__ import annotations

from datetime import date, timedelta

from ninja import Field, Query, Router, Schema

from darirumah.core import calendar as calendar_service
from darirumah.org.access import access_for, get_visible

from ..selectors import clusters as selectors
from ..services.audit import clean_reason

router = Router()

DEFAULT_DAYS = 28  # without dates: the last four weeks


class PersonOut(Schema):
    id: int
    name: str
    nip: str
    unit: str


class CaseOut(Schema):
    label: str = Field(description="Case 1, Case 2… by reference date.")
    case_id: int | None = Field(description="With names only.")
    employee: PersonOut | None = Field(description="With names only.")
    reference_date: date = Field(description="Symptom onset, else the confirmation day.")
    reference: str = Field(description="onset or confirmed.")
    likely_place: str
    likely_place_label: str
    likely_place_reason: str | None = Field(None, description="With names only.")
    on_site_days: int = Field(description="Days on site in the window looked at.")
    linked: bool


class LinkOut(Schema):
    cases: list[str]
    days: list[date] = Field(description="The days both were on site within the window.")


class ReasonOut(Schema):
    code: str
    numbers: dict


class SuggestionOut(Schema):
    working_days: int
    starts_on: date
    ends_on: date
    url: str = Field(description="The closure form, filled in.")
    text: str


class OfficeOut(Schema):
    id: int
    name: str


class VerdictOut(Schema):
    office: OfficeOut
    start: date
    end: date
    incubation_days: int
    verdict: str = Field(description="cluster, not_cluster or undetermined.")
    verdict_label: str
    named: bool
    cases: list[CaseOut]
    links: list[LinkOut]
    places: dict[str, int]
    linked_places: dict[str, int]
    reasons: list[ReasonOut]
    evidence: list[str] = Field(description="The evidence, in sentences.")
    suggested_closure: SuggestionOut | None


class VerdictQuery(Schema):
    office: int
    start: date | None = Field(
        None, description="The first day; 4 weeks before the end by default."
    )
    end: date | None = Field(None, description="The last day; today by default.")
    reason: str | None = Field(None, description="Names-readers: give a reason to see names.")


@router.get("/health/clusters", response=VerdictOut)
def cluster_verdict(request, query: Query[VerdictQuery]):
    """Is the office a workplace cluster in the period (two or more confirmed cases linked by
    shared presence on site within the incubation window, with office infection likely), with
    the evidence and, for a cluster, the suggested closure."""
    access = access_for(request.user)
    office = get_visible(access.offices().select_related("agency"), query.office)
    end = query.end or calendar_service.calendar_for(office.agency).today()
    start = query.start or end - timedelta(days=DEFAULT_DAYS - 1)
    given = query.reason or request.headers.get("X-Access-Reason", "")
    reason = None
    if given.strip() and access.reads_health_names(office.agency_id):
        reason = clean_reason(given)
    data = selectors.cluster_verdict(access, office, start, end, reason=reason)
    return {**data, "office": {"id": office.pk, "name": office.name}}
