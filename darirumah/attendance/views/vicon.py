"""Attendance pages: the daily video call with its roll, urgent reports."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from darirumah.core.calendar import calendar_for
from darirumah.core.errors import DomainError
from darirumah.org.access import Access
from darirumah.org.forms import BootstrapForm
from darirumah.org.views.common import add_domain_errors, page, visible_or_404

from ..models import Incident, ViconRoll, ViconSession
from ..services import incidents as incident_services
from ..services import vicon as services

# --- video call ------------------------------------------------------------------------------


def _default_unit(access: Access):
    if access.employee is not None:
        return access.employee.unit
    return None


def _chosen(request, access: Access):
    """The unit and day the page is about: ?unit= (the caller's own unit by default) and ?date=
    (the agency's today by default)."""
    source = request.POST if request.method == "POST" else request.GET
    raw_unit = source.get("unit")
    if raw_unit:
        try:
            unit = visible_or_404(access.units().select_related("agency"), int(raw_unit))
        except ValueError:
            raise Http404(_("Not found, or not visible to you.")) from None
    else:
        unit = _default_unit(access)
        if unit is None:
            raise Http404(_("Choose a unit."))
    if not services.sees_session(access, unit):
        raise Http404(_("Not found, or not visible to you."))
    raw_day = source.get("date")
    if raw_day:
        try:
            day = date.fromisoformat(raw_day)
        except ValueError:
            day = None
    else:
        day = calendar_for(unit.agency).today()
    return unit, day


def _roll_url(unit, day) -> str:
    return reverse("vicon_roll") + "?" + urlencode({"unit": unit.pk, "date": day.isoformat()})


@page
def vicon_roll(request, access: Access):
    """The unit's video call of a day: the link and time, and the roll form for whoever takes it.

    Opening the session is a POST (the "Open the video call" button): a GET changes nothing."""
    unit, day = _chosen(request, access)
    if day is None:
        messages.error(request, _("Give the date as YYYY-MM-DD."))
        day = calendar_for(unit.agency).today()
    if request.method == "POST":
        try:
            session = services.vicon_session_open(access=access, unit=unit, day=day)
            if request.POST.get("action") == "roll":
                rows = _posted_rows(request, access, session)
                services.vicon_roll_call(access=access, session=session, rows=rows)
                messages.success(request, _("The roll was saved."))
            else:
                messages.success(request, _("The video call is open."))
            return redirect(_roll_url(unit, day))
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            messages.error(request, exc.message)
            for key, problems in exc.fields.items():
                for problem in problems:
                    messages.error(request, f"{_row_label(key, request)}: {problem}")
    session = (
        ViconSession.objects.filter(unit=unit, date=day).select_related("unit__agency").first()
    )
    cal = calendar_for(unit.agency, years=[day.year])
    markable = services.markable_ids(access, unit)
    rows = []
    if session is not None:
        roll = {r.employee_id: r for r in session.roll.all()}
        for employee in services.unit_staff(unit):
            rows.append(
                {
                    "employee": employee,
                    "line": roll.get(employee.pk),
                    "may_mark": employee.pk in markable,
                }
            )
    return render(
        request,
        "attendance/vicon_roll.html",
        {
            "unit": unit,
            "day": day,
            "session": session,
            "starts_local": cal.now(session.starts_at).strftime("%H:%M") if session else "",
            "working_day": cal.is_working_day(day),
            "day_off_reason": cal.day_off_reason(day),
            "may_open": services.may_open(access, unit),
            "any_markable": bool(markable),
            "rows": rows,
            "statuses": ViconRoll.Status.choices,
            "zone": unit.agency.zone,
        },
    )


def _row_label(key: str, request) -> str:
    return _("Row %(n)s") % {"n": key.split(".")[-1]} if key.startswith("rows.") else key


def _posted_rows(request, access: Access, session: ViconSession) -> list[dict]:
    """The rows the form sent: status-<employee id> and note-<employee id>, for the lines the
    caller may mark and whose status was chosen."""
    rows = []
    for employee_id in sorted(services.markable_ids(access, session.unit)):
        status = request.POST.get(f"status-{employee_id}", "")
        note = request.POST.get(f"note-{employee_id}", "")
        if status:
            rows.append({"employee": employee_id, "status": status, "note": note})
    return rows


# --- urgent reports --------------------------------------------------------------------------


class IncidentForm(BootstrapForm):
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=None)
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=Incident.Category.choices)
    text = forms.CharField(
        label=gettext_lazy("What happened"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=incident_services.TEXT_MAX,
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


def _reporting_units(access: Access):
    units = access.units().select_related("agency").filter(is_active=True).order_by("path")
    return units.filter(pk__in=[u.pk for u in units if access.arranges_unit(u)])


@page
def incident_list(request, access: Access):
    """BKPSDM: the agency's reports, unacknowledged first; OPD admins and heads: their units'."""
    if not incident_services.reads_incidents(access):
        raise Http404(_("Not found, or not visible to you."))
    qs = (
        incident_services.incidents_visible(access)
        .select_related("unit", "reported_by__employee", "acknowledged_by__employee")
        .prefetch_related("attachments")
    )
    items = sorted(
        qs.order_by("-created_at", "-pk")[:200],
        key=lambda i: (i.acknowledged_at is not None,),
    )
    return render(
        request,
        "attendance/incident_list.html",
        {
            "incidents": items,
            "may_report": _reporting_units(access).exists(),
            "acknowledgeable": {i.pk for i in items if incident_services.acknowledges(access, i)},
        },
    )


@page
def incident_new(request, access: Access):
    units = _reporting_units(access)
    if not units.exists():
        raise Http404(_("Not found, or not visible to you."))
    initial = {}
    if access.employee is not None and units.filter(pk=access.employee.unit_id).exists():
        initial["unit"] = access.employee.unit_id
    form = IncidentForm(
        request.POST if request.method == "POST" else None, units=units, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            incident_services.incident_report(
                access=access,
                unit=form.cleaned_data["unit"],
                category=form.cleaned_data["category"],
                text=form.cleaned_data["text"],
                files=request.FILES.getlist("files"),
            )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("The urgent report was sent to BKPSDM."))
            return redirect("incident_list")
    return render(
        request,
        "attendance/incident_new.html",
        {
            "form": form,
            "max_files": incident_services.MAX_FILES,
            "max_mb": incident_services.MAX_FILE_BYTES // (1024 * 1024),
        },
    )


@require_POST
@page
def incident_acknowledge(request, access: Access, pk: int):
    incident = visible_or_404(incident_services.incidents_visible(access), pk)
    try:
        incident_services.incident_acknowledge(access=access, incident=incident)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The report was acknowledged."))
    return redirect("incident_list")


urlpatterns = [
    path("vicon/", vicon_roll, name="vicon_roll"),
    path("incidents/", incident_list, name="incident_list"),
    path("incidents/new/", incident_new, name="incident_new"),
    path(
        "incidents/<int:pk>/acknowledge/",
        incident_acknowledge,
        name="incident_acknowledge",
    ),
]
