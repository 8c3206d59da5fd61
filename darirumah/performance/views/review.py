"""Supervisor pages of the daily reports: the inbox of submitted reports to review (oldest
first, late ones flagged), one report with its activities and evidence and the approve / return
form, and the head's list of missing and late reports of a unit on a day."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from darirumah.core.calendar import calendar_for, zone_info
from darirumah.core.errors import DomainError, NotAllowed, NotFound
from darirumah.org.access import Access
from darirumah.org.views.common import (
    add_domain_errors,
    deny,
    page,
    person_name,
    visible_or_404,
)

from .. import rules, selectors
from ..forms import ReviewForm
from ..models import DailyReport
from ..services.reports import report_review

PAGE_SIZE = 30
STATUS_CSS = {
    "none": "light",
    DailyReport.Status.DRAFT: "secondary",
    DailyReport.Status.SUBMITTED: "primary",
    DailyReport.Status.RETURNED: "warning",
    DailyReport.Status.APPROVED: "success",
}


def duration(minutes: int) -> str:
    """Minutes as people say them: "2 h 30 min"."""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return _("%(m)d min") % {"m": rest}
    if not rest:
        return _("%(h)d h") % {"h": hours}
    return _("%(h)d h %(m)d min") % {"h": hours, "m": rest}


def parse_day(request, today: date) -> date:
    """`?date=` (or the posted date), else today; a wrong value says so and shows today."""
    raw = request.POST.get("date") or request.GET.get("date")
    if not raw:
        return today
    try:
        return date.fromisoformat(raw)
    except ValueError:
        messages.error(request, _("Give the date as YYYY-MM-DD; showing today."))
        return today


def _reviews_anyone(access: Access) -> bool:
    return access.employee is not None and (access.is_supervisor or access.is_unit_head)


@page
def review_inbox(request, access: Access):
    """The submitted reports the caller reviews (their team's, their units'), oldest first."""
    deny(_reviews_anyone(access), _("Only a supervisor or the head of a unit reviews reports."))
    unit = None
    if request.GET.get("unit"):
        try:
            unit = visible_or_404(access.units(), int(request.GET["unit"]))
        except ValueError:
            raise Http404(_("Not found, or not visible to you.")) from None
    listing = Paginator(selectors.review_inbox(access, unit=unit), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "report": report,
            "items": len(report.items.all()),
            "duration": duration(sum(i.minutes_spent for i in report.items.all())),
        }
        for report in listing
    ]
    return render(
        request,
        "performance/review_inbox.html",
        {
            "rows": rows,
            "listing": listing,
            "unit": unit,
            "tz": zone_info(access.employee.agency.zone),
        },
    )


@page
def report_detail(request, access: Access, pk: int):
    """One report for whoever may see it; its reviewer approves it or returns it with a
    comment."""
    report = visible_or_404(selectors.reports_visible(access), pk)
    may_review = report.status == DailyReport.Status.SUBMITTED and selectors.reviews_report(
        access, report
    )
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reviewed = report_review(
                access=access,
                report=report,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            values = {"name": report.employee.name}
            if reviewed.status == DailyReport.Status.APPROVED:
                messages.success(request, _("The report of %(name)s is approved.") % values)
            else:
                messages.success(
                    request, _("The report of %(name)s was returned for correction.") % values
                )
            return redirect("performance-review")
    elif request.method == "POST":  # a decision that is not one of the choices
        deny(selectors.reviews_report(access, report))
    items = [
        {"item": item, "duration": duration(item.minutes_spent)} for item in report.items.all()
    ]
    calendar = calendar_for(report.employee.agency, years=[report.date.year])
    total = sum(i.minutes_spent for i in report.items.all())
    own = access.employee is not None and access.employee.pk == report.employee_id
    return render(
        request,
        "performance/report_detail.html",
        {
            "report": report,
            "items": items,
            "total": duration(total) if total else "",
            "deadline": rules.report_deadline(calendar, report.date),
            "reviewer": person_name(report.reviewed_by),
            "may_review": may_review,
            "form": form,
            "own": own,
            "status_css": STATUS_CSS,
            "tz": zone_info(report.employee.agency.zone),
        },
        status=400 if form.errors else 200,
    )


@page
def missing_list(request, access: Access):
    """Who in a unit has not submitted the report of a day, and who submitted it late: for
    whoever oversees the unit, and a supervisor for their team in it."""
    units = selectors.unit_report_units(access)
    raw = request.GET.get("unit")
    if raw:
        try:
            unit = visible_or_404(access.units().select_related("agency"), int(raw))
        except ValueError:
            raise Http404(_("Not found, or not visible to you.")) from None
    else:
        own = access.employee.unit_id if access.employee is not None else None
        unit = next((u for u in units if u.pk == own), units[0] if units else None)
    deny(
        unit is not None and selectors.reads_unit_reports(access, unit),
        _("Only the unit's head or admin, a supervisor of its staff, BKPSDM or pimpinan see this."),
    )
    today = calendar_for(unit.agency, years=[]).today()
    day = parse_day(request, today)
    result = selectors.unit_day(access, unit, day)
    show = request.GET.get("show", "")
    if show == "missing":
        rows = result.missing
    elif show == "late":
        rows = result.late
    else:
        show, rows = "", result.rows
    calendar = calendar_for(unit.agency, years=[day.year - 1, day.year, day.year + 1])

    def url(on: date) -> str:
        query = {"unit": unit.pk, "date": on.isoformat(), **({"show": show} if show else {})}
        return f"{reverse('performance-missing')}?{urlencode(query)}"

    next_day = calendar.next_working_day(day)
    return render(
        request,
        "performance/missing_list.html",
        {
            "result": result,
            "rows": rows,
            "units": units,
            "unit": unit,
            "day": day,
            "show": show,
            "team_only": not access.oversees_unit(unit),
            "day_off_reason": calendar.day_off_reason(day),
            "previous_url": url(calendar.previous_working_day(day)),
            "next_url": url(next_day) if next_day <= today else None,
            "status_css": STATUS_CSS,
            "tz": zone_info(unit.agency.zone),
        },
    )


urlpatterns: list = [
    path("review/", review_inbox, name="performance-review"),
    path("reports/<int:pk>/", report_detail, name="performance-report-detail"),
    path("missing/", missing_list, name="performance-missing"),
]
