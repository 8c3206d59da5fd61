"""Performance pages of the daily report: the employee's report of a day (write activities,
attach evidence, submit; read the supervisor's comment; locked once approved), the list of their
own reports, and the evidence files. The targets pages are in targets.py, the supervisor's inbox,
one report with its review and the head's list of missing reports in review.py; their
urlpatterns are joined here.

Every change is a POST to the day's page with an `action`; the services decide, and a refusal
is shown on the form it concerns (status 400), never as an error page.
"""

from __future__ import annotations

import os
from datetime import date

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from darirumah.core.calendar import calendar_for, zone_info
from darirumah.core.errors import DomainError, NotAllowed, NotFound
from darirumah.org.access import Access
from darirumah.org.views.common import add_domain_errors, deny, page, visible_or_404

from .. import rules, selectors
from ..forms import EvidenceForm, ItemForm, month_value
from ..models import DailyReport, ReportEvidence, ReportItem
from ..services import evidence as evidence_services
from ..services import reports as report_services
from . import review, targets
from .review import STATUS_CSS, duration, parse_day


def _employee(access: Access):
    deny(access.employee is not None, _("Only an employee writes a daily report."))
    return access.employee


def _day_url(day: date, **extra) -> str:
    return f"{reverse('performance-my-report')}?{urlencode({'date': day.isoformat(), **extra})}"


def _as_payload(report: DailyReport | None) -> list[dict]:
    """The report's activities as the service takes them back unchanged (keeping evidence)."""
    if report is None:
        return []
    return [
        {
            "id": item.pk,
            "activity": item.activity,
            "target": item.target_id,
            "output_quantity": item.output_quantity,
            "minutes_spent": item.minutes_spent,
        }
        for item in report.items.all()
    ]


def _item_errors(form, exc: DomainError, index: int | None) -> None:
    """Put the service's `items.<n>.<field>` problems on the form of item `index`; another
    item's problem is named by its number above the form."""
    form.add_error(None, exc.message)
    for key, problems in exc.fields.items():
        parts = key.split(".")
        for problem in problems:
            if len(parts) == 3 and parts[0] == "items" and parts[1] == str(index):
                form.add_error(parts[2] if parts[2] in form.fields else None, problem)
            elif len(parts) == 3 and parts[0] == "items":
                form.add_error(
                    None,
                    _("Activity %(n)d: %(problem)s") % {"n": int(parts[1]) + 1, "problem": problem},
                )
            elif problem != exc.message:
                form.add_error(None, problem)


class _Refused(Exception):
    """A refused action whose message is already on a form or in `errors`."""


def _find_item(report: DailyReport | None, raw) -> ReportItem:
    for item in report.items.all() if report is not None else ():
        if str(item.pk) == str(raw):
            return item
    raise Http404(_("Not found, or not visible to you."))


def _save(access, day, items, form, index) -> DailyReport:
    try:
        report, _created = report_services.report_save(access=access, day=day, items=items)
    except (NotAllowed, NotFound):
        raise
    except DomainError as exc:
        _item_errors(form, exc, index)
        raise _Refused from exc
    return report


def _act(request, access: Access, day: date, report, state: dict) -> str:
    """Run the posted action; the success message's text, or _Refused with the problem put on
    `state` (the forms and the page's errors)."""
    action = request.POST.get("action", "")
    payload = _as_payload(report)
    if action == "add":
        form = state["add_form"] = ItemForm(request.POST, targets=state["targets"])
        if not form.is_valid():
            raise _Refused
        _save(access, day, [*payload, form.as_item()], form, len(payload))
        return _("The activity was added.")
    if action == "update":
        item = _find_item(report, request.POST.get("item"))
        form = state["edit_form"] = ItemForm(
            request.POST, targets=state["targets"], auto_id="id_edit_%s"
        )
        state["editing"] = item.pk
        if not form.is_valid():
            raise _Refused
        index = next(i for i, row in enumerate(payload) if row["id"] == item.pk)
        payload[index] = form.as_item(item.pk)
        _save(access, day, payload, form, index)
        return _("The activity was saved.")
    try:
        if action == "remove":
            item = _find_item(report, request.POST.get("item"))
            report_services.report_save(
                access=access, day=day, items=[row for row in payload if row["id"] != item.pk]
            )
            return _("The activity was removed.")
        if action == "evidence":
            item = _find_item(report, request.POST.get("item"))
            form = EvidenceForm(request.POST, request.FILES, auto_id=f"id_evidence_{item.pk}_%s")
            form.is_valid()
            state["evidence_forms"][item.pk] = form
            try:
                evidence_services.evidence_add(
                    access=access, report=report, item=item, upload=form.cleaned_data.get("file")
                )
            except (NotAllowed, NotFound):
                raise
            except DomainError as exc:
                add_domain_errors(form, exc)
                raise _Refused from exc
            return _("The file was attached.")
        if action == "evidence-remove":
            evidence = next(
                (
                    e
                    for item in (report.items.all() if report else ())
                    for e in item.evidence.all()
                    if str(e.pk) == request.POST.get("evidence")
                ),
                None,
            )
            if evidence is None:
                raise Http404(_("Not found, or not visible to you."))
            evidence_services.evidence_remove(access=access, report=report, evidence=evidence)
            return _("The file was removed.")
        if action == "submit":
            if report is None:
                raise DomainError(_("Report at least one activity before submitting."))
            report_services.report_submit(access=access, report=report)
            return _("Your report was sent to your supervisor for review.")
    except (NotAllowed, NotFound):
        raise
    except DomainError as exc:
        state["errors"] += [exc.message] + [
            m for ms in exc.fields.values() for m in ms if m != exc.message
        ]
        raise _Refused from exc
    raise Http404(_("Not found, or not visible to you."))


def _load(access: Access, employee, day: date) -> DailyReport | None:
    return selectors.report_list(access, employee=employee, day=day).first()


@page
def my_report(request, access: Access):
    """The caller's report of a day (today unless ?date=): its activities, evidence, deadline
    and review; editable while a draft or returned, locked once approved."""
    employee = _employee(access)
    today = calendar_for(employee.agency, years=[]).today()
    day = parse_day(request, today)
    calendar = calendar_for(employee.agency, years=sorted({day.year - 1, day.year, day.year + 1}))
    report = _load(access, employee, day)
    targets_today = list(selectors.targets_covering(employee, day).order_by("deadline", "pk"))
    state = {
        "targets": targets_today,
        "add_form": None,
        "edit_form": None,
        "editing": None,
        "evidence_forms": {},
        "errors": [],
    }
    if request.method == "POST" and day.isoformat() != request.POST.get("date", day.isoformat()):
        state["errors"].append(_("Give the date as YYYY-MM-DD."))  # never act on another day
    elif request.method == "POST":
        try:
            done = _act(request, access, day, report, state)
        except _Refused:
            report = _load(access, employee, day)
        else:
            messages.success(request, done)
            return redirect(_day_url(day))
    return _render(request, employee, day, calendar, report, state)


def _render(request, employee, day: date, calendar, report, state):
    try:
        report_services.check_day(employee, day)
        day_problem = None
    except DomainError as exc:
        day_problem = exc.message
    editable = day_problem is None and (report is None or report.editable)
    if not editable:  # the forms are not shown: their refusals go above the report
        for form in (state["add_form"], state["edit_form"], *state["evidence_forms"].values()):
            for problems in form.errors.values() if form is not None else ():
                state["errors"] += [p for p in problems if p not in state["errors"]]
    editing = state["editing"]
    if editing is None and editable and request.method == "GET":
        raw = request.GET.get("edit")
        editing = next(
            (i.pk for i in (report.items.all() if report else ()) if str(i.pk) == raw), None
        )
        if editing is not None:
            item = next(i for i in report.items.all() if i.pk == editing)
            state["edit_form"] = ItemForm(
                initial={
                    "activity": item.activity,
                    "target": item.target_id,
                    "output_quantity": f"{item.output_quantity.normalize():f}",
                    "minutes_spent": item.minutes_spent,
                },
                targets=state["targets"],
                auto_id="id_edit_%s",
            )
    items = []
    for item in report.items.all() if report else ():
        items.append(
            {
                "item": item,
                "duration": duration(item.minutes_spent),
                "evidence_form": state["evidence_forms"].get(item.pk)
                or EvidenceForm(auto_id=f"id_evidence_{item.pk}_%s"),
            }
        )
    deadline = rules.report_deadline(calendar, day)
    now = calendar.now()
    today = calendar.today()
    total = sum(row["item"].minutes_spent for row in items)
    context = {
        "employee": employee,
        "day": day,
        "today": today,
        "report": report,
        "items": items,
        "total": duration(total) if total else "",
        "editable": editable,
        "editing": editing,
        "edit_form": state["edit_form"],
        "add_form": state["add_form"] or ItemForm(targets=state["targets"]),
        "errors": state["errors"],
        "day_problem": day_problem,
        "deadline": deadline,
        "deadline_passed": deadline is not None and now > deadline,
        "may_submit": editable and report is not None and bool(items),
        "status_css": STATUS_CSS,
        "tz": zone_info(employee.agency.zone),
        "max_minutes": rules.MAX_DAY_MINUTES,
        "previous_day": calendar.previous_working_day(day),
        "next_day": calendar.next_working_day(day),
    }
    failed = bool(state["errors"]) or any(
        f is not None and f.errors
        for f in (state["add_form"], state["edit_form"], *state["evidence_forms"].values())
    )
    return render(request, "performance/report_day.html", context, status=400 if failed else 200)


@page
def my_reports(request, access: Access):
    """The caller's reports of a month (this month unless ?month=YYYY-MM): each working day up
    to today with its report's status, late or not, and the days still to write."""
    employee = _employee(access)
    today = calendar_for(employee.agency, years=[]).today()
    raw = request.GET.get("month") or ""
    try:
        year, month = (int(part) for part in raw.split("-"))
        first, last = rules.month_bounds(year, month)
    except ValueError:
        if raw:
            messages.error(request, _("Give the month as YYYY-MM; showing this month."))
        first, last = rules.month_bounds(today.year, today.month)
    calendar = calendar_for(employee.agency, years=[first.year])
    reports = {
        r.date: r for r in selectors.report_list(access, employee=employee, start=first, end=last)
    }
    days = set(calendar.working_days(first, min(last, today))) | set(reports)
    rows = []
    for day in sorted(days, reverse=True):
        report = reports.get(day)
        minutes = sum(i.minutes_spent for i in report.items.all()) if report else 0
        rows.append(
            {
                "day": day,
                "report": report,
                "items": len(report.items.all()) if report else 0,
                "duration": duration(minutes) if minutes else "",
                "status": report.status if report else "none",
                "writable": (day.year, day.month) == (today.year, today.month),
            }
        )
    return render(
        request,
        "performance/report_list.html",
        {
            "rows": rows,
            "month": first,
            "month_value": month_value(first),
            "previous_month": month_value(first - date.resolution),
            "next_month": month_value(last + date.resolution) if last < today else None,
            "status_css": STATUS_CSS,
            "missing": sum(1 for r in rows if r["report"] is None),
        },
    )


@page
def evidence_file(request, access: Access, report_id: int, evidence_id: int):
    """A file of evidence, for whoever may see its report (the same check as the API)."""
    report = visible_or_404(selectors.reports_visible(access), report_id)
    evidence = next(
        (e for item in report.items.all() for e in item.evidence.all() if e.pk == evidence_id),
        None,
    )
    if evidence is None:
        raise Http404(_("Not found, or not visible to you."))
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from storage.")) from None
    is_pdf = evidence.kind == ReportEvidence.Kind.PDF
    stem = os.path.splitext(evidence.name)[0] or "bukti"
    return FileResponse(
        handle,
        filename=f"{stem}.{'pdf' if is_pdf else 'jpg'}",
        content_type="application/pdf" if is_pdf else "image/jpeg",
    )


urlpatterns: list = [
    path("reports/mine/", my_reports, name="performance-my-reports"),
    path("reports/day/", my_report, name="performance-my-report"),
    path(
        "reports/<int:report_id>/evidence/<int:evidence_id>/",
        evidence_file,
        name="performance-evidence",
    ),
    *targets.urlpatterns,
    *review.urlpatterns,
]
