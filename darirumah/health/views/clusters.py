"""Health pages: is an office a workplace cluster in a period, and why.

For whoever sees the health overview (health officers, the head of BKPSDM, BKPSDM, pimpinan,
the platform operator): the verdict with its evidence, the cases as "Case 1, Case 2…". A
names-reader who asks for names (?names=1) gives the reason first (views/reason.py); the read is
logged with the people shown.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from darirumah.core import calendar as calendar_service
from darirumah.core.errors import DomainError
from darirumah.org.access import Access
from darirumah.org.forms import BootstrapForm
from darirumah.org.models import Office
from darirumah.org.views.common import add_domain_errors, deny, home_agency, page, visible_or_404

from ..selectors import clusters as selectors
from .reason import reason_or_redirect

DEFAULT_DAYS = 28
VERDICT_CSS = {"cluster": "danger", "not_cluster": "success", "undetermined": "warning"}


def _date(label) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class ClusterForm(BootstrapForm):
    office = forms.ModelChoiceField(label=gettext_lazy("Office"), queryset=Office.objects.none())
    start = _date(gettext_lazy("From"))
    end = _date(gettext_lazy("Until"))

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("start", _("The first day comes after the last day."))
        return data


@page
def cluster_page(request, access: Access):
    offices = access.offices().select_related("agency").order_by("agency__name", "name")
    raw = request.GET.get("office", "")
    if raw:
        if not raw.isdigit():
            offices = offices.none()
        office = visible_or_404(offices, int(raw) if raw.isdigit() else 0)
        deny(access.sees_health_overview(office.agency_id))
    else:
        deny(access.sees_health_overview(access.agency_id) or access.is_operator)
        office = None
    agency = office.agency if office else home_agency(access)
    today = calendar_service.calendar_for(agency).today() if agency else None
    initial = {"end": today, "start": today - timedelta(days=DEFAULT_DAYS - 1)} if today else {}
    form = ClusterForm(request.GET or None, offices=offices, initial=initial)
    context = {"form": form, "result": None, "may_name": False}
    status = 200
    if office is not None and form.is_valid():
        data = form.cleaned_data
        context["may_name"] = access.reads_health_names(office.agency_id)
        reason = None
        if context["may_name"] and request.GET.get("names") == "1":
            reason = reason_or_redirect(request)
            if not isinstance(reason, str):
                return reason
        try:
            result = selectors.cluster_verdict(
                access, office, data["start"], data["end"], reason=reason
            )
        except DomainError as exc:
            if exc.status != 400:
                raise
            add_domain_errors(form, exc)
            status = 400
        else:
            result["css"] = VERDICT_CSS[result["verdict"]]
            context["may_close"] = access.records_health(office.agency_id)
            context["result"] = result
            query = request.GET.copy()
            query["names"] = "1"
            context["names_query"] = query.urlencode()
            query.pop("names")
            context["anonymous_query"] = query.urlencode()
    elif form.is_bound and form.errors:
        status = 400
    return render(request, "health/cluster.html", context, status=status)


urlpatterns = [path("clusters/", cluster_page, name="health-clusters")]
