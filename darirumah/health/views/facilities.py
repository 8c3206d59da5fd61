"""Health pages: office and room closures — the list, closing a building or rooms, a closure
with its rooms and disinfection log, reopening, and recording a disinfection.

A closure holds no personal data: everyone of the agency reads these pages; the health officers
write. The rules are in services/closures.py; these parse, call and show.
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime, time

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from darirumah.core import calendar as calendar_service
from darirumah.core.calendar import zone_info
from darirumah.core.errors import DomainError, NotAllowed, NotFound
from darirumah.org.access import Access
from darirumah.org.forms import BootstrapForm
from darirumah.org.models import Office, Room
from darirumah.org.views.common import (
    add_domain_errors,
    chosen_agency,
    deny,
    history_rows,
    page,
    visible_or_404,
)

from ..selectors import closures as selectors
from ..services import closures as services

PAGE_SIZE = 25
STATUS_CSS = {"planned": "info", "active": "danger", "reopened": "success", "ended": "secondary"}
DATE_WIDGET = {"type": "date"}


def _date(label, *, required=True, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        **kwargs,
    )


def _status_label(code: str) -> str:
    return {
        "planned": _("Planned"),
        "active": _("Closed"),
        "reopened": _("Reopened"),
        "ended": _("Ended"),
    }[code]


def _dress(closures, today: date):
    for closure in closures:
        closure.status = selectors.closure_status(closure, today)
        closure.status_css = STATUS_CSS[closure.status]
        closure.status_label = _status_label(closure.status)
    return closures


def _int_or_404(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise Http404(_("Not found, or not visible to you.")) from None


# --- the list ---------------------------------------------------------------------------------


class FilterForm(BootstrapForm):
    office = forms.ModelChoiceField(
        label=gettext_lazy("Office"), queryset=Office.objects.none(), required=False
    )
    active_on = _date(gettext_lazy("Closed on"), required=False)

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Office.objects.filter(agency=agency)
        self.fields["office"].empty_label = _("All offices")


@page
def closure_list(request, access: Access):
    agency = chosen_agency(request, access)
    if agency is None:
        raise Http404(_("Choose the agency."))
    deny(access.in_agency(agency.pk))
    form = FilterForm(request.GET or None, agency=agency)
    filters = form.cleaned_data if form.is_valid() else {}
    office = filters.get("office")
    closures = selectors.closures_for(
        access, agency.pk, office.pk if office else None, filters.get("active_on")
    )
    page_obj = Paginator(closures, PAGE_SIZE).get_page(request.GET.get("page"))
    today = calendar_service.calendar_for(agency).today()
    rows = _dress(selectors.with_details(page_obj.object_list), today)
    return render(
        request,
        "health/closure_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "closures": rows,
            "agency": agency,
            "may_record": access.records_health(agency.pk),
        },
    )


# --- a new closure ----------------------------------------------------------------------------


class RoomChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Room) -> str:
        return f"{obj.office.name} — {obj.name}"


class ClosureForm(BootstrapForm):
    office = forms.ModelChoiceField(label=gettext_lazy("Office"), queryset=Office.objects.none())
    rooms = RoomChoice(
        label=gettext_lazy("Rooms"),
        queryset=Room.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None: the whole building is closed."),
    )
    starts_on = _date(gettext_lazy("Closed from"))
    ends_on = _date(
        gettext_lazy("Closed until"),
        help_text=gettext_lazy("The last closed day; at most 60 days."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=services.MAX_REASON,
        help_text=gettext_lazy("The staff read it in their roster, e.g. '3 confirmed cases'."),
    )
    keep_public_service_open = forms.BooleanField(
        label=gettext_lazy("Units that serve the public stay open"),
        required=False,
        help_text=gettext_lazy("Their staff keep their plan and stay at the office."),
    )

    def __init__(self, *args, agency, office=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Office.objects.filter(agency=agency)
        rooms = Room.objects.filter(office__agency=agency).select_related("office")
        if office is not None:
            rooms = rooms.filter(office=office)
        self.fields["rooms"].queryset = rooms.order_by("office__name", "name")


def _office_from(request, access: Access, agency) -> Office | None:
    raw = request.POST.get("office") or request.GET.get("office")
    if not raw:
        return None
    return visible_or_404(access.offices().filter(agency=agency), _int_or_404(raw))


@page
def closure_new(request, access: Access):
    deny(
        access.records_health(access.agency_id),
        _("Only the agency's health officers close offices."),
    )
    agency = access.employee.agency if access.employee else chosen_agency(request, access)
    office = _office_from(request, access, agency)
    initial = {"office": office}
    for field, key in (("starts_on", "start"), ("ends_on", "end")):
        with contextlib.suppress(ValueError):
            initial[field] = date.fromisoformat(request.GET.get(key, ""))
    form = ClosureForm(request.POST or None, agency=agency, office=office, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = services.closure_create(
                access=access,
                office=data["office"],
                rooms=list(data["rooms"]),
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                reason=data["reason"],
                keep_public_service_open=data["keep_public_service_open"],
            )
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(office)s is closed: %(n)d staff work from home on the closed days.")
                % {"office": data["office"].name, "n": change.people},
            )
            return redirect("health-closure-detail", pk=change.closure.pk)
    return render(
        request,
        "health/closure_new.html",
        {"form": form, "office": office},
        status=400 if form.errors else 200,
    )


# --- one closure ------------------------------------------------------------------------------


class ReopenForm(BootstrapForm):
    on = _date(
        gettext_lazy("Open again from"),
        help_text=gettext_lazy("The first day the building is open again."),
    )
    reason = forms.CharField(label=gettext_lazy("Why it reopens"), max_length=300)


class DisinfectionForm(BootstrapForm):
    room = forms.ModelChoiceField(label=gettext_lazy("Room"), queryset=Room.objects.none())
    performed_at = forms.DateTimeField(
        label=gettext_lazy("Disinfected at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        help_text=gettext_lazy("Local time of the office."),
    )
    team = forms.CharField(label=gettext_lazy("Team"), max_length=services.MAX_TEAM)
    agent = forms.CharField(label=gettext_lazy("Disinfectant"), max_length=services.MAX_AGENT)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=services.MAX_NOTE, required=False)

    def __init__(self, *args, closure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.filter(
            pk__in=[room.pk for room in closure.room_rows]
        )


def _local(value: datetime, tz) -> datetime:
    """A form's time is the office's local time, whatever the server's zone."""
    return datetime.combine(value.date(), time(value.hour, value.minute), tzinfo=tz)


def _closure(access: Access, pk: int):
    closure = selectors.with_details([selectors.closure_visible(access, pk)])[0]
    today = calendar_service.calendar_for(closure.agency).today()
    return _dress([closure], today)[0]


def _detail(request, access: Access, closure, *, reopen=None, disinfection=None):
    officer = access.records_health(closure.agency_id)
    tz = zone_info(closure.agency.zone)
    may_reopen = officer and closure.status in ("planned", "active") and not closure.reopened_at
    context = {
        "closure": closure,
        "zone": tz,
        "officer": officer,
        "reopen_form": (reopen or ReopenForm()) if may_reopen else None,
        "disinfection_form": (disinfection or DisinfectionForm(closure=closure))
        if officer
        else None,
    }
    if officer or access.can_view_history(closure):
        context["history"] = history_rows(closure)
    bad = (reopen is not None and reopen.errors) or (
        disinfection is not None and disinfection.errors
    )
    return render(request, "health/closure_detail.html", context, status=400 if bad else 200)


@page
def closure_detail(request, access: Access, pk: int):
    return _detail(request, access, _closure(access, pk))


def _officer_closure(access: Access, pk: int):
    closure = _closure(access, pk)
    deny(
        access.records_health(closure.agency_id),
        _("Only the agency's health officers close offices and record disinfections."),
    )
    return closure


@require_POST
@page
def closure_reopen(request, access: Access, pk: int):
    closure = _officer_closure(access, pk)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            change = services.closure_reopen(
                access=access,
                closure=closure,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            )
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(office)s is open again: the staff's plan is back.")
                % {"office": change.closure.office.name},
            )
            return redirect("health-closure-detail", pk=closure.pk)
    return _detail(request, access, closure, reopen=form)


@require_POST
@page
def disinfection_add(request, access: Access, pk: int):
    closure = _officer_closure(access, pk)
    form = DisinfectionForm(request.POST, closure=closure)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.disinfection_record(
                access=access,
                closure=closure,
                room=data["room"],
                performed_at=_local(data["performed_at"], zone_info(closure.agency.zone)),
                team=data["team"],
                agent=data["agent"],
                note=data["note"],
            )
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("The disinfection is recorded."))
            return redirect("health-closure-detail", pk=closure.pk)
    return _detail(request, access, closure, disinfection=form)


urlpatterns = [
    path("closures/", closure_list, name="health-closures"),
    path("closures/new/", closure_new, name="health-closure-new"),
    path("closures/<int:pk>/", closure_detail, name="health-closure-detail"),
    path("closures/<int:pk>/reopen/", closure_reopen, name="health-closure-reopen"),
    path("closures/<int:pk>/disinfections/", disinfection_add, name="health-disinfection-add"),
]
