"""Attendance pages: the unit's board, the manual list (the paper list of an OPD admin), and an
excuse attached later. Rules live in services/records.py; these parse, call and show."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from darirumah.core.calendar import calendar_for
from darirumah.core.errors import DomainError, NotAllowed, NotFound
from darirumah.org.access import Access
from darirumah.org.forms import BootstrapForm
from darirumah.org.models import Unit
from darirumah.org.views.common import add_domain_errors, deny, page, visible_or_404

from .. import selectors
from ..models import Attendance
from ..services import records as services

STATUS_CSS = {
    Attendance.Status.PRESENT: "success",
    Attendance.Status.LATE: "warning",
    Attendance.Status.ABSENT: "danger",
    Attendance.Status.EXCUSED: "info",
}


def _unit(request, access: Access, may) -> Unit:
    """The unit asked for (`?unit=`), else the caller's own, else the first they may use."""
    raw = request.GET.get("unit") or request.POST.get("unit")
    if raw:
        try:
            pk = int(raw)
        except ValueError:
            raise Http404(_("Not found, or not visible to you.")) from None
        return visible_or_404(access.units().select_related("agency"), pk)
    own = access.employee.unit if access.employee is not None else None
    if own is not None and may(own):
        return Unit.objects.select_related("agency").get(pk=own.pk)
    for unit in access.units().filter(is_active=True).select_related("agency").order_by("path"):
        if may(unit):
            return unit
    deny(False, _("You oversee no unit's attendance."))
    raise AssertionError  # unreachable: deny raised


def _day(request, unit: Unit) -> date:
    today = calendar_for(unit.agency).today()
    raw = request.GET.get("date") or request.POST.get("date")
    if not raw:
        return today
    try:
        return date.fromisoformat(raw)
    except ValueError:
        messages.error(request, _("Give the date as YYYY-MM-DD; showing today."))
        return today


def _url(name: str, unit: Unit, day: date) -> str:
    return f"{reverse(name)}?{urlencode({'unit': unit.pk, 'date': day.isoformat()})}"


@page
def attendance_board(request, access: Access):
    unit = _unit(request, access, lambda u: selectors.board_readable(access, u))
    day = _day(request, unit)
    board = selectors.unit_board(access, unit, day)
    return render(
        request,
        "attendance/board.html",
        {
            "board": board,
            "status_css": {str(k): v for k, v in STATUS_CSS.items()},
            "statuses": Attendance.Status,
            "may_enter": access.arranges_unit(unit),
            "manual_url": _url("attendance_manual", unit, day),
        },
    )


def _manual_rows(request, board, posted: bool):
    """A row per person: the current record, and the values shown in the form."""
    rows = []
    for row in board.rows:
        pk = row.employee.pk
        own = row.record is not None and row.record.source == Attendance.Source.SELF
        if posted:
            status = request.POST.get(f"status_{pk}", "")
            reason = request.POST.get(f"reason_{pk}", "")
            minutes = request.POST.get(f"minutes_{pk}", "")
        else:
            status = row.status
            reason = row.record.reason if row.record else ""
            minutes = row.minutes_late or ""
        rows.append(
            {
                "row": row,
                "own": own,
                "status": status,
                "reason": reason,
                "minutes": minutes,
            }
        )
    return rows


@page
def attendance_manual(request, access: Access):
    unit = _unit(request, access, access.arranges_unit)
    deny(
        access.arranges_unit(unit),
        _("Only the unit's admin or head, or BKPSDM, can enter attendance for %(unit)s.")
        % {"unit": unit.name},
    )
    day = _day(request, unit)
    errors: list[str] = []
    if request.method == "POST":
        rows = []
        for key, value in request.POST.items():
            if key.startswith("status_") and value:
                pk = key.removeprefix("status_")
                rows.append(
                    {
                        "employee": pk,
                        "status": value,
                        "reason": request.POST.get(f"reason_{pk}", ""),
                        "minutes_late": request.POST.get(f"minutes_{pk}") or None,
                    }
                )
        try:
            result = services.attendance_manual_enter(access=access, unit=unit, day=day, rows=rows)
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            errors = [exc.message] + [m for ms in exc.fields.values() for m in ms]
        else:
            messages.success(
                request,
                _("Saved: %(c)d new, %(u)d corrected, %(n)d unchanged.")
                % {"c": result.created, "u": result.updated, "n": result.unchanged},
            )
            for skipped in result.skipped:
                messages.warning(request, skipped["message"])
            return redirect(_url("attendance_manual", unit, day))
    board = selectors.unit_board(access, unit, day)
    return render(
        request,
        "attendance/manual.html",
        {
            "board": board,
            "rows": _manual_rows(request, board, posted=request.method == "POST"),
            "statuses": Attendance.Status.choices,
            "errors": errors,
            "board_url": _url("attendance_board", unit, day),
        },
        status=400 if errors else 200,
    )


class ExcuseForm(BootstrapForm):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=services.MAX_REASON)
    evidence = forms.FileField(
        label=gettext_lazy("Evidence (PDF, JPEG, PNG or WebP)"), required=False
    )


@page
def attendance_excuse(request, access: Access, pk: int):
    record = visible_or_404(selectors.attendance_records(access), pk)
    deny(
        access.arranges_unit(record.employee.unit),
        _("Only the unit's admin or head, or BKPSDM, can excuse an absence."),
    )
    form = ExcuseForm(
        request.POST or None, request.FILES or None, initial={"reason": record.reason}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_excuse(
                access=access,
                record=record,
                reason=form.cleaned_data["reason"],
                evidence=form.cleaned_data["evidence"],
            )
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is excused.") % {"name": record.employee.name})
            return redirect(_url("attendance_board", record.employee.unit, record.date))
    return render(
        request,
        "attendance/excuse.html",
        {"record": record, "form": form},
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("board/", attendance_board, name="attendance_board"),
    path("manual/", attendance_manual, name="attendance_manual"),
    path("<int:pk>/excuse/", attendance_excuse, name="attendance_excuse"),
]
