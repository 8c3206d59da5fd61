"""Attendance pages: the mobile check-in page (one big button, location, camera).

A plain form POST that works without JavaScript; darirumah/static/js/checkin.js fills the
location fields from the browser when it may. After a check-in or check-out the page redirects
to itself and shows today's record (on time or late, inside, outside or unknown).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from darirumah.core.errors import DomainError
from darirumah.org.access import Access
from darirumah.org.forms import BootstrapForm
from darirumah.org.views.common import add_domain_errors, page
from darirumah.roster.models import Mode

from ..models import Attendance
from ..selectors_checkin import today_for
from ..services import checkin as services


class CheckinForm(BootstrapForm):
    action = forms.ChoiceField(
        choices=[("check-in", "check-in"), ("check-out", "check-out")],
        widget=forms.HiddenInput,
        initial="check-in",
    )
    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)
    accuracy = forms.CharField(required=False, widget=forms.HiddenInput)
    photo = forms.FileField(
        label=gettext_lazy("Selfie photo"),
        required=False,  # the service says when it is missing (check-out needs none)
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "user"}),
    )


def _render(request, access: Access, form: CheckinForm | None = None, status: int = 200):
    context: dict = {"employee": access.employee, "form": form or CheckinForm()}
    if access.employee is not None:
        today = today_for(access.employee)
        record = today.record
        context.update(
            {
                "today": today,
                "record": record,
                "mode_label": _mode_label(today.mode),
                "area_label": services.area_label(today.area),
                "checked_in": record is not None and record.check_in_at is not None,
                "own": record is None or record.source == Attendance.Source.SELF,
                # Wall-clock times in the agency's zone, formatted here: template filters would
                # convert aware datetimes to the server's zone (UTC).
                "local_check_in": _clock(today, record.check_in_at if record else None),
                "local_check_out": _clock(today, record.check_out_at if record else None),
            }
        )
    return render(request, "attendance/checkin.html", context, status=status)


def _clock(today, moment) -> str:
    return today.calendar.now(moment).strftime("%H:%M:%S") if moment is not None else ""


def _mode_label(mode: str) -> str:
    try:
        return str(Mode(mode).label)
    except ValueError:
        return ""


@page
def checkin(request, access: Access):
    if request.method != "POST":
        return _render(request, access)
    form = CheckinForm(request.POST, request.FILES)
    if access.employee is None:
        form.is_valid()
        form.add_error(None, _("Only employees check in: your account has no employee record."))
        return _render(request, access, form, status=400)
    if not form.is_valid():
        return _render(request, access, form, status=400)
    data = form.cleaned_data
    location = {
        "latitude": data["latitude"],
        "longitude": data["longitude"],
        "accuracy": data["accuracy"],
    }
    try:
        if data["action"] == "check-out":
            result = services.checkout_record(access=access, **location)
            if result.created:
                messages.success(request, _("You are checked out. Thank you!"))
        else:
            result = services.checkin_record(access=access, photo=data["photo"], **location)
            if result.created:
                messages.success(request, _("You are checked in."))
            else:
                messages.info(request, _("You had already checked in today."))
    except DomainError as exc:
        if exc.status == 403:
            raise
        add_domain_errors(form, exc)
        return _render(request, access, form, status=400)
    for note in result.notes:
        messages.warning(request, note)
    return redirect("checkin")


urlpatterns: list = [path("check-in/", checkin, name="checkin")]
