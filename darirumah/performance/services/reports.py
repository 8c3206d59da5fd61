"""Daily reports: the employee writes the items of a working day (draft), submits them before
the day's deadline, and the direct supervisor or the unit head approves (the report is then
locked) or returns them with a comment. Who may is in darirumah/performance/selectors.py; the
day and deadline rules in darirumah/performance/rules.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from functools import partial

from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from darirumah.core import calendar as calendar_service
from darirumah.core.errors import Conflict, DomainError, NotAllowed
from darirumah.notify.services import notify
from darirumah.org.access import Access

from .. import rules, selectors
from ..models import DailyReport, ReportItem

MAX_ITEMS = 30
MAX_ACTIVITY = 2000
MAX_COMMENT = 1000
DECISIONS = ("approve", "return")


# --- checks --------------------------------------------------------------------------------------


def own_employee(access: Access, report: DailyReport | None = None):
    """The caller's employee record when the report is theirs (or for a new report)."""
    if access.employee is None:
        raise NotAllowed(_("Only an employee writes a daily report."))
    if report is not None and report.employee_id != access.employee.pk:
        raise NotAllowed(_("Only its author changes or submits a daily report."))
    return access.employee


def check_day(employee, day: date) -> None:
    """Refuse a day the employee cannot report: a future day, a day of a closed month, a day
    off. Today is the agency's local day by the server's clock."""
    calendar = calendar_service.calendar_for(employee.agency, years=[day.year])
    problem = rules.report_day_problem(
        day, today=calendar.today(), day_off=calendar.day_off_reason(day)
    )
    if problem is not None:
        code, message = problem
        raise DomainError(message, code=code, fields={"date": [message]})


def locked_error(report: DailyReport) -> Conflict:
    if report.status == DailyReport.Status.APPROVED:
        return Conflict(
            _("The report of %(day)s is approved and locked: it cannot be changed.")
            % {"day": date_format(report.date)},
            code="locked",
        )
    return Conflict(
        _("The report of %(day)s is waiting for review: it can be changed once it is returned.")
        % {"day": date_format(report.date)},
        code="under_review",
    )


def _parse_items(employee, day: date, raw_items, existing: dict[int, ReportItem]) -> list[dict]:
    """The items checked: each {"id", "activity", "target", "output_quantity", "minutes_spent"};
    a DomainError names every wrong field as items.<n>.<field>."""
    raw_items = list(raw_items or [])
    if not raw_items:
        raise DomainError(
            _("Report at least one activity."),
            fields={"items": [_("Report at least one activity.")]},
        )
    if len(raw_items) > MAX_ITEMS:
        message = _("Report at most %(n)d activities a day.") % {"n": MAX_ITEMS}
        raise DomainError(message, fields={"items": [message]})
    targets = {t.pk: t for t in selectors.targets_covering(employee, day)}
    problems: dict[str, list[str]] = {}
    items, seen = [], set()
    for i, raw in enumerate(raw_items):
        where = f"items.{i}"
        item_id = raw.get("id")
        if item_id is not None:
            if item_id not in existing or item_id in seen:
                problems[f"{where}.id"] = [_("Not an activity of this report.")]
            seen.add(item_id)
        activity = (raw.get("activity") or "").strip()
        if not activity:
            problems[f"{where}.activity"] = [_("Say what was done.")]
        elif len(activity) > MAX_ACTIVITY:
            problems[f"{where}.activity"] = [_("At most %(n)d characters.") % {"n": MAX_ACTIVITY}]
        target_id = raw.get("target")
        if target_id is not None and target_id not in targets:
            problems[f"{where}.target"] = [
                _("Not one of your active targets for %(day)s.") % {"day": date_format(day)}
            ]
        try:
            output = Decimal(str(raw.get("output_quantity") or 0))
            if not output.is_finite() or output < 0 or output >= Decimal("1e10"):
                raise InvalidOperation
            output = output.quantize(Decimal("0.01"))
        except (InvalidOperation, TypeError, ValueError):
            problems[f"{where}.output_quantity"] = [_("Give a number of 0 or more.")]
            output = Decimal(0)
        try:
            minutes = int(raw.get("minutes_spent"))
        except (TypeError, ValueError):
            minutes = 0
        if not 1 <= minutes <= rules.MAX_DAY_MINUTES:
            problems[f"{where}.minutes_spent"] = [
                _("Give the minutes spent: 1 to %(n)d.") % {"n": rules.MAX_DAY_MINUTES}
            ]
        items.append(
            {
                "id": item_id,
                "activity": activity,
                "target": targets.get(target_id),
                "output_quantity": output,
                "minutes_spent": minutes,
            }
        )
    if not problems:
        total = rules.total_minutes_problem(item["minutes_spent"] for item in items)
        if total:
            problems["items"] = [total]
    if problems:
        raise DomainError(
            _("The report was not saved: correct the marked fields."), fields=problems
        )
    return items


# --- writes --------------------------------------------------------------------------------------


def report_save(*, access: Access, day: date, items) -> tuple[DailyReport, bool]:
    """Write the caller's report of a day: create it (a draft) or replace its activities while
    it is a draft or returned. An activity sent with its `id` keeps its evidence; one left out
    is removed with its evidence. Returns (report, created)."""
    employee = own_employee(access)
    check_day(employee, day)
    with transaction.atomic():
        report = DailyReport.objects.select_for_update().filter(employee=employee, date=day).first()
        created = report is None
        if created:
            report = DailyReport(employee=employee, date=day)
        elif not report.editable:
            raise locked_error(report)
        existing = {} if created else {item.pk: item for item in report.items.all()}
        parsed = _parse_items(employee, day, items, existing)
        if created:
            report._history_user = access.user
            report.full_clean(validate_unique=False, validate_constraints=False)
            try:
                with transaction.atomic():
                    report.save()
            except IntegrityError:  # the same report created at the same moment elsewhere
                raise Conflict(
                    _("Your report of this day was saved meanwhile; open it again.")
                ) from None
        keep = {item["id"] for item in parsed if item["id"] is not None}
        for pk, old in existing.items():
            if pk not in keep:
                old._history_user = access.user
                for evidence in old.evidence.all():
                    transaction.on_commit(partial(evidence.file.delete, save=False))
                old.delete()
        for values in parsed:
            item = existing.get(values["id"]) or ReportItem(report=report)
            item.activity = values["activity"]
            item.target = values["target"]
            item.output_quantity = values["output_quantity"]
            item.minutes_spent = values["minutes_spent"]
            item._history_user = access.user
            item.full_clean()
            item.save()
        if not created:
            report._history_user = access.user
            report.save(update_fields=["updated_at"])
    return report, created


def _notify_supervisor(report: DailyReport) -> None:
    supervisor = report.employee.supervisor
    if supervisor is None:
        return
    values = {"name": report.employee.name, "day": date_format(report.date)}
    notify(
        [supervisor],
        kind="performance.report_submitted",
        title=gettext_lazy("Daily report of %(name)s for %(day)s to review") % values,
        body=gettext_lazy("%(name)s submitted the daily report of %(day)s.") % values,
    )


def report_submit(*, access: Access, report: DailyReport) -> DailyReport:
    """Send the report for review. Its first submission decides whether it is late (after the
    day's deadline); sending a returned report again keeps that answer."""
    own_employee(access, report)
    with transaction.atomic():
        report = (
            DailyReport.objects.select_for_update().select_related("employee").get(pk=report.pk)
        )
        if not report.editable:
            raise locked_error(report)
        check_day(report.employee, report.date)
        if not report.items.exists():
            raise DomainError(
                _("Report at least one activity before submitting."),
                fields={"items": [_("Report at least one activity.")]},
            )
        now = calendar_service.utcnow()
        if report.status == DailyReport.Status.DRAFT:
            report.late = rules.is_late(now, selectors.deadline_of(report.employee, report.date))
        report.status = DailyReport.Status.SUBMITTED
        report.submitted_at = now
        report.reviewed_by = None
        report.reviewed_at = None
        report.review_comment = ""
        report._history_user = access.user
        report.full_clean(validate_unique=False)
        report.save()
        transaction.on_commit(partial(_notify_supervisor, report), robust=True)
    return report


def _notify_author(report: DailyReport) -> None:
    values = {"day": date_format(report.date), "comment": report.review_comment}
    if report.status == DailyReport.Status.APPROVED:
        title = gettext_lazy("Your daily report of %(day)s is approved") % values
        body = gettext_lazy("Your daily report of %(day)s is approved.") % values
    else:
        title = gettext_lazy("Your daily report of %(day)s is returned") % values
        body = (
            gettext_lazy("Your daily report of %(day)s is returned for correction:\n\n%(comment)s")
            % values
        )
    notify([report.employee], kind="performance.report_reviewed", title=title, body=body)


def report_review(
    *, access: Access, report: DailyReport, decision: str, comment: str = ""
) -> DailyReport:
    """Approve a submitted report (it is then locked) or return it with a comment."""
    if access.employee is not None and report.employee_id == access.employee.pk:
        raise NotAllowed(_("You cannot review your own report."))
    access.require(
        selectors.reviews_report(access, report),
        _("Only the person's direct supervisor or the head of their unit reviews this report."),
    )
    comment = (comment or "").strip()
    if decision not in DECISIONS:
        raise DomainError(
            _("Decide to approve or return the report."),
            fields={"decision": [_("Either approve or return.")]},
        )
    if decision == "return" and not comment:
        raise DomainError(
            _("Say what to correct when returning a report."),
            fields={"comment": [_("Required.")]},
        )
    if len(comment) > MAX_COMMENT:
        raise DomainError(
            _("The comment is longer than %(n)d characters.") % {"n": MAX_COMMENT},
            fields={"comment": [_("Too long.")]},
        )
    with transaction.atomic():
        report = (
            DailyReport.objects.select_for_update().select_related("employee").get(pk=report.pk)
        )
        if report.status != DailyReport.Status.SUBMITTED:
            message = {
                DailyReport.Status.APPROVED: _("This report is already approved."),
                DailyReport.Status.RETURNED: _(
                    "This report was returned and has not been submitted again."
                ),
            }.get(report.status, _("This report has not been submitted yet."))
            raise Conflict(message, code="not_submitted")
        report.status = (
            DailyReport.Status.APPROVED if decision == "approve" else DailyReport.Status.RETURNED
        )
        report.reviewed_by = access.user
        report.reviewed_at = calendar_service.utcnow()
        report.review_comment = comment
        report._history_user = access.user
        report.full_clean(validate_unique=False)
        report.save()
        transaction.on_commit(partial(_notify_author, report), robust=True)
    return report
