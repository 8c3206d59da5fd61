"""Performance API: targets, daily reports with evidence, the supervisor's review, and the
head's list of missing and late reports (see API.md). Times carry the agency's UTC offset;
quantities and weights are decimals (JSON strings, exact)."""

import os
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.http import FileResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from darirumah.core.calendar import zone_info
from darirumah.core.errors import DomainError, NotFound
from darirumah.org.access import Access, access_for, get_visible
from darirumah.policy.models import Circular

from .. import rules, selectors
from ..models import DailyReport, ReportEvidence, Target
from ..services import evidence as evidence_services
from ..services import reports as report_services
from ..services import targets as target_services

router = Router(tags=["performance"])
P = "/api/v1"


def _local(employee, moment: datetime | None) -> datetime | None:
    return moment.astimezone(zone_info(employee.agency.zone)) if moment is not None else None


def _person(user) -> str | None:
    if user is None:
        return None
    employee = getattr(user, "employee", None)
    return employee.name if employee is not None else user.get_username()


# --- targets ---------------------------------------------------------------------------------


class TargetOut(Schema):
    id: int
    employee_id: int
    employee_name: str = Field(alias="employee.name")
    unit_id: int = Field(alias="employee.unit_id")
    period_start: date
    period_end: date
    indicator: str
    quantity: Decimal
    unit_of_measure: str
    quality_measure: str
    deadline: date
    weight: Decimal
    plan_ref: str
    batch: UUID | None
    status: Target.Status
    assigned_by_id: int | None
    assigned_by_name: str | None = None

    @staticmethod
    def resolve_assigned_by_name(obj) -> str | None:
        return _person(obj.assigned_by)


class TargetIn(Schema):
    employee: int | None = Field(None, description="One person; or give `unit`.")
    unit: int | None = Field(
        None, description="Every active person of the unit and its sub-units (the head only)."
    )
    month: str | None = Field(
        None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="The period as a month, YYYY-MM."
    )
    circular: int | None = Field(None, description="The period of a WFH circular (start to end).")
    period_start: date | None = None
    period_end: date | None = None
    indicator: str
    quantity: Decimal
    unit_of_measure: str
    quality_measure: str
    deadline: date
    weight: Decimal = Field(description="Percent, more than 0 and at most 100.")
    plan_ref: str = Field("", description="The planned result (RHK) of the person's SKP, if any.")


class TargetsCreated(Schema):
    batch: UUID | None
    count: int
    targets: list[TargetOut]


def _period(access: Access, payload: TargetIn) -> tuple[date, date]:
    given = [
        payload.month is not None,
        payload.circular is not None,
        payload.period_start is not None or payload.period_end is not None,
    ]
    if sum(given) != 1 or (given[2] and not (payload.period_start and payload.period_end)):
        message = _("Give the period once: a month, a circular, or a start and an end date.")
        raise DomainError(message, fields={"period_start": [message]})
    if payload.month is not None:
        year, month = (int(part) for part in payload.month.split("-"))
        return rules.month_bounds(year, month)
    if payload.circular is not None:
        circular = get_visible(
            Circular.objects.filter(agency__in=access.agencies()), payload.circular
        )
        if circular.ends_on is None:
            message = _("The circular has no end date: give the period as dates or a month.")
            raise DomainError(message, fields={"circular": [message]})
        return circular.starts_on, circular.ends_on
    return payload.period_start, payload.period_end


@router.get("/targets", response=list[TargetOut])
@paginate(PageNumberPagination)
def target_list(
    request,
    employee: int | None = None,
    unit: int | None = None,
    status: Target.Status | None = None,
    on: date | None = None,
    batch: UUID | None = None,
):
    """The targets the caller may see: their own, their team's, their units' (heads, admins),
    the agency's (BKPSDM, pimpinan). Filter by person, unit (with sub-units), status, a day the
    period covers, or an assignment batch."""
    access = access_for(request.user)
    person = get_visible(access.employees(), employee) if employee is not None else None
    unit_obj = get_visible(access.units(), unit) if unit is not None else None
    return selectors.target_list(
        access, employee=person, unit=unit_obj, status=status, on=on, batch=batch
    )


@router.post("/targets", response={201: TargetsCreated})
def target_create(request, payload: TargetIn):
    """Give a target to one person (`employee`: their supervisor or unit head) or to every
    active person of a unit (`unit`: its head), for a month, a circular's period, or dates.
    Refused when a person's active targets would weigh more than 100% on any day."""
    access = access_for(request.user)
    if (payload.employee is None) == (payload.unit is None):
        message = _("Give either one employee or one unit.")
        raise DomainError(message, fields={"employee": [message]})
    start, end = _period(access, payload)
    fields = target_services.TargetFields(
        period_start=start,
        period_end=end,
        indicator=payload.indicator,
        quantity=payload.quantity,
        unit_of_measure=payload.unit_of_measure,
        quality_measure=payload.quality_measure,
        deadline=payload.deadline,
        weight=payload.weight,
        plan_ref=payload.plan_ref,
    )
    if payload.employee is not None:
        person = get_visible(access.employees().select_related("unit"), payload.employee)
        targets = [target_services.target_assign(access=access, employee=person, fields=fields)]
        batch = None
    else:
        unit = get_visible(access.units(), payload.unit)
        targets = target_services.target_assign_unit(access=access, unit=unit, fields=fields)
        batch = targets[0].batch
    return Status(201, {"batch": batch, "count": len(targets), "targets": targets})


@router.post("/targets/{target_id}/cancel", response=TargetOut)
def target_cancel(request, target_id: int):
    """Cancel an active target (its weight is freed); its supervisor or unit head only."""
    access = access_for(request.user)
    target = get_visible(selectors.targets_visible(access), target_id)
    return target_services.target_cancel(access=access, target=target)


# --- daily reports ---------------------------------------------------------------------------


class EvidenceOut(Schema):
    id: int
    name: str
    kind: ReportEvidence.Kind
    size: int
    uploaded_at: datetime
    url: str

    @staticmethod
    def resolve_uploaded_at(obj) -> datetime:
        return _local(obj.item.report.employee, obj.uploaded_at)

    @staticmethod
    def resolve_url(obj) -> str:
        return f"{P}/daily-reports/{obj.item.report_id}/evidence/{obj.pk}"


class ItemOut(Schema):
    id: int
    activity: str
    target_id: int | None
    target_indicator: str | None = None
    output_quantity: Decimal
    minutes_spent: int
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_target_indicator(obj) -> str | None:
        return obj.target.indicator if obj.target_id else None

    @staticmethod
    def resolve_evidence(obj) -> list:
        return list(obj.evidence.all())


class ReportOut(Schema):
    id: int
    employee_id: int
    employee_name: str = Field(alias="employee.name")
    unit_id: int = Field(alias="employee.unit_id")
    date: date
    status: DailyReport.Status
    submitted_at: datetime | None
    late: bool
    reviewed_by_id: int | None
    reviewed_by_name: str | None = None
    reviewed_at: datetime | None
    review_comment: str
    total_minutes: int = 0
    items: list[ItemOut]

    @staticmethod
    def resolve_submitted_at(obj) -> datetime | None:
        return _local(obj.employee, obj.submitted_at)

    @staticmethod
    def resolve_reviewed_at(obj) -> datetime | None:
        return _local(obj.employee, obj.reviewed_at)

    @staticmethod
    def resolve_reviewed_by_name(obj) -> str | None:
        return _person(obj.reviewed_by)

    @staticmethod
    def resolve_items(obj) -> list:
        return list(obj.items.all())

    @staticmethod
    def resolve_total_minutes(obj) -> int:
        return sum(item.minutes_spent for item in obj.items.all())


class ItemIn(Schema):
    id: int | None = Field(None, description="An activity already in the report: keeps its files.")
    activity: str
    target: int | None = Field(None, description="One of the caller's active targets that day.")
    output_quantity: Decimal = Decimal(0)
    minutes_spent: int


class ReportIn(Schema):
    date: date
    items: list[ItemIn]


class ReviewIn(Schema):
    decision: str = Field(description="approve or return")
    comment: str = Field("", description="Required when returning the report.")


class DayRowOut(Schema):
    employee_id: int
    employee_name: str
    unit_id: int
    mode: str
    excused: bool
    report_id: int | None
    status: str = Field(description="none, draft, submitted, approved or returned")
    submitted_at: datetime | None
    late: bool
    missing: bool


class UnitDayOut(Schema):
    unit_id: int
    unit_name: str
    date: date
    working_day: bool
    deadline: datetime | None
    deadline_passed: bool
    missing_count: int
    late_count: int
    rows: list[DayRowOut]


def _report(access: Access, report_id: int) -> DailyReport:
    return get_visible(selectors.reports_visible(access), report_id)


@router.get("/daily-reports", response=list[ReportOut])
@paginate(PageNumberPagination)
def report_list(
    request,
    employee: int | None = None,
    unit: int | None = None,
    date: date | None = None,  # noqa: A002 - the query parameter's name, as elsewhere
    start: date | None = None,
    end: date | None = None,
    status: DailyReport.Status | None = None,
):
    """The reports the caller may see (own, team, units, agency), newest day first."""
    access = access_for(request.user)
    person = get_visible(access.employees(), employee) if employee is not None else None
    unit_obj = get_visible(access.units(), unit) if unit is not None else None
    return selectors.report_list(
        access, employee=person, unit=unit_obj, day=date, start=start, end=end, status=status
    )


@router.get("/daily-reports/missing", response=UnitDayOut)
def report_missing(request, unit: int, date: date):  # noqa: A002
    """Who in the unit (with sub-units) has not submitted the report of a working day, and who
    submitted it late; people on leave, duty or isolation are excused. For whoever oversees the
    unit; a supervisor gets their own team's rows."""
    access = access_for(request.user)
    unit_obj = get_visible(access.units().select_related("agency"), unit)
    access.require(
        selectors.reads_unit_reports(access, unit_obj),
        _("Only the unit's head or admin, a supervisor of its staff, BKPSDM or pimpinan see this."),
    )
    day = selectors.unit_day(access, unit_obj, date)
    zone = zone_info(unit_obj.agency.zone)
    rows = [
        {
            "employee_id": row.employee.pk,
            "employee_name": row.employee.name,
            "unit_id": row.employee.unit_id,
            "mode": row.mode,
            "excused": row.excused,
            "report_id": row.report.pk if row.report else None,
            "status": row.status,
            "submitted_at": row.report.submitted_at.astimezone(zone)
            if row.report and row.report.submitted_at
            else None,
            "late": row.late,
            "missing": row.missing,
        }
        for row in day.rows
    ]
    return {
        "unit_id": unit_obj.pk,
        "unit_name": unit_obj.name,
        "date": date,
        "working_day": day.working_day,
        "deadline": day.deadline,
        "deadline_passed": day.deadline_passed,
        "missing_count": len(day.missing),
        "late_count": len(day.late),
        "rows": rows,
    }


@router.post("/daily-reports", response={200: ReportOut, 201: ReportOut})
def report_save(request, payload: ReportIn):
    """Write the caller's own report of a working day (today, or an earlier working day of this
    month): 201 when created as a draft, 200 when a draft or returned report was replaced.
    Send every activity; one sent with its `id` keeps its evidence, one left out is removed."""
    access = access_for(request.user)
    report, created = report_services.report_save(
        access=access, day=payload.date, items=[item.model_dump() for item in payload.items]
    )
    return Status(201 if created else 200, _report(access, report.pk))


@router.get("/daily-reports/{report_id}", response=ReportOut)
def report_detail(request, report_id: int):
    return _report(access_for(request.user), report_id)


@router.post("/daily-reports/{report_id}/submit", response=ReportOut)
def report_submit(request, report_id: int):
    """Send the own report for review; after the day's deadline it is marked late."""
    access = access_for(request.user)
    report = report_services.report_submit(access=access, report=_report(access, report_id))
    return _report(access, report.pk)


@router.post("/daily-reports/{report_id}/review", response=ReportOut)
def report_review(request, report_id: int, payload: ReviewIn):
    """Approve a submitted report (it is locked) or return it with a comment: the author's
    direct supervisor or the head of their unit, never the author."""
    access = access_for(request.user)
    report = report_services.report_review(
        access=access,
        report=_report(access, report_id),
        decision=payload.decision,
        comment=payload.comment,
    )
    return _report(access, report.pk)


@router.post("/daily-reports/{report_id}/items/{item_id}/evidence", response={201: EvidenceOut})
def evidence_add(request, report_id: int, item_id: int, file: File[UploadedFile] = None):
    """Attach a photo (JPEG, PNG, WebP) or a PDF document to an activity of the own report
    (multipart, field `file`). Judged by content: a renamed file of another kind is refused."""
    access = access_for(request.user)
    report = _report(access, report_id)
    item = next((i for i in report.items.all() if i.pk == item_id), None)
    if item is None:
        raise NotFound(_("Not found, or not visible to you."))
    evidence = evidence_services.evidence_add(access=access, report=report, item=item, upload=file)
    return Status(201, evidence)


def _evidence(
    access: Access, report_id: int, evidence_id: int
) -> tuple[DailyReport, ReportEvidence]:
    report = _report(access, report_id)
    for item in report.items.all():
        for evidence in item.evidence.all():
            if evidence.pk == evidence_id:
                return report, evidence
    raise NotFound(_("Not found, or not visible to you."))


@router.get("/daily-reports/{report_id}/evidence/{evidence_id}")
def evidence_file(request, report_id: int, evidence_id: int):
    """The file itself, for whoever may see the report."""
    _report_obj, evidence = _evidence(access_for(request.user), report_id, evidence_id)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise NotFound(_("The file is missing from storage.")) from None
    # Named by what it is, not by what it was called: a PDF sent as "surat.jpg" is surat.pdf.
    is_pdf = evidence.kind == ReportEvidence.Kind.PDF
    stem = os.path.splitext(evidence.name)[0] or "bukti"
    return FileResponse(
        handle,
        filename=f"{stem}.{'pdf' if is_pdf else 'jpg'}",
        content_type="application/pdf" if is_pdf else "image/jpeg",
    )


@router.delete("/daily-reports/{report_id}/evidence/{evidence_id}", response={204: None})
def evidence_remove(request, report_id: int, evidence_id: int):
    """Remove a file from an activity of the own report while it can be changed."""
    access = access_for(request.user)
    report, evidence = _evidence(access, report_id, evidence_id)
    evidence_services.evidence_remove(access=access, report=report, evidence=evidence)
    return Status(204, None)
