"""Health pages: the dashboard (cards for today, a table per OPD, a timeline chart) and the
agency's health settings.

Everyone of the agency and the platform operator reads the counts; the health officers and the
head of BKPSDM may ask for the names (?names=1): the reason is asked first (views/reason.py) and
the read is logged. The figures are in selectors/dashboard.py (shared with the API); numbers are
written in the reader's language (Indonesian: 1.234).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.formats import date_format, number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from darirumah.core import calendar as calendar_service
from darirumah.core.errors import DomainError
from darirumah.org.access import Access
from darirumah.org.forms import BootstrapForm
from darirumah.org.views.common import add_domain_errors, chosen_agency, deny, page, person_name

from ..config import HealthConfig
from ..models import HealthCase, HealthSettings, Isolation
from ..selectors import dashboard as selectors
from ..selectors.settings import health_config
from ..services import settings as services
from .reason import reason_or_redirect

COLOURS = {
    "new_confirmed": "#dc3545",
    "active_cases": "#e69138",
    "isolations": "#8e7cc3",  # the roster's ISOLATION colour
    "closed_offices": "#6c757d",
}
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def num(value: int) -> str:
    """1234 → "1.234" in Indonesian."""
    return number_format(value, force_grouping=True)


def _optional_url(name: str, query: dict | None = None) -> str:
    """The address of a page another part of the app provides, or "" while it does not exist."""
    try:
        url = reverse(name)
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode(query)}" if query else url


def _agency_query(access: Access, agency) -> dict:
    return {} if access.agency_id == agency.pk else {"agency": agency.pk}


def _picker(request, access: Access, template: str):
    """The platform operator without an agency picks one first."""
    deny(access.is_operator)
    agencies = access.agencies().order_by("name")
    return render(request, template, {"agency": None, "agencies": agencies})


# --- the dashboard ------------------------------------------------------------------------------


class RangeForm(BootstrapForm):
    start = forms.DateField(label=gettext_lazy("From"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=gettext_lazy("Through"), required=False, widget=DATE_INPUT)


def _range(request, today):
    """The period asked for, or (None, None) — the default — with the form saying why."""
    form = RangeForm(request.GET or None)
    if not form.is_valid():
        return form, None, None
    start, end = form.cleaned_data.get("start"), form.cleaned_data.get("end")
    try:
        selectors.check_range(start, end, today)
    except DomainError as exc:
        add_domain_errors(form, exc)
        return form, None, None
    return form, start, end


def _chart(board: selectors.Dashboard) -> dict:
    def line(key: str, label: str) -> dict:
        return {
            "label": label,
            "data": [getattr(day, key) for day in board.timeline],
            "color": COLOURS[key],
        }

    return {
        "type": "line",
        "labels": [date_format(day.day, "j M") for day in board.timeline],
        "datasets": [
            line("new_confirmed", _("New confirmed cases")),
            line("active_cases", _("Open cases")),
            line("isolations", _("People isolated")),
            line("closed_offices", _("Offices closed")),
        ],
    }


def _links(access: Access, agency, names: bool, query: dict) -> dict:
    """The other health pages this reader may open ("" while a page does not exist yet)."""
    links = {"closures": _optional_url("health-closures", query)}
    if names:
        links["cases"] = _optional_url("health-cases")
        links["isolations"] = _optional_url("health-isolations")
        links["access_log"] = _optional_url("health-access-log")
    if access.sees_health_overview(agency.pk):
        links["clusters"] = _optional_url("health-clusters")
    if access.employee is not None and access.employee.agency_id == agency.pk:
        links["my_record"] = _optional_url("health-my-record")
    return {k: v for k, v in links.items() if v}


def _named(rows, url_name: str, key: str, labels: dict) -> list[dict]:
    """The named rows with the address of each one's page ("" while it does not exist) and the
    label of its status or reason."""
    out = []
    for row in rows or []:
        try:
            url = reverse(url_name, args=[getattr(row, key)])
        except NoReverseMatch:
            url = ""
        kind = getattr(row, "status", None) or getattr(row, "reason", "")
        out.append({"row": row, "url": url, "label": labels.get(kind, kind)})
    return out


@page
def dashboard(request, access: Access):
    """Today's open cases, isolations and closures, the counts per OPD and the timeline."""
    template = "health/dashboard.html"
    agency = chosen_agency(request, access)
    if agency is None:
        return _picker(request, access, template)
    deny(access.in_agency(agency.pk))
    today = calendar_service.calendar_for(agency, years=[]).today()
    form, start, end = _range(request, today)
    may_name = access.reads_health_names(agency.pk)
    reason = None
    if may_name and request.GET.get("names") == "1":
        reason = reason_or_redirect(request)
        if not isinstance(reason, str):
            return reason
    board = selectors.health_dashboard(access, agency, start, end, reason=reason)
    query = request.GET.copy()
    query["names"] = "1"
    names_query = query.urlencode()
    query.pop("names")
    agency_query = _agency_query(access, agency)
    statuses = dict(HealthCase.Status.choices)
    reasons = dict(Isolation.Reason.choices)
    context = {
        "agency": agency,
        "agencies": access.agencies().order_by("name") if access.is_operator else None,
        "agency_query": agency_query,
        "board": board,
        "form": form,
        "cases": {key: num(n) for key, n in board.cases.items()},
        "period": {key: num(n) for key, n in board.period.items()},
        "status_rows": [(s, statuses[s], num(board.cases[s])) for s in HealthCase.OPEN],
        "isolated": num(board.isolated),
        "reason_rows": [
            (label, num(board.isolations[r])) for r, label in reasons.items() if board.isolations[r]
        ],
        "offices_closed": num(board.offices_closed),
        "rooms_closed": num(board.rooms_closed),
        "opds": [
            {
                "row": row,
                "staff": num(row.staff),
                "confirmed": num(row.confirmed),
                "isolated": num(row.isolated),
            }
            for row in board.opds
        ],
        "timeline": [
            {
                "day": day.day,
                **{
                    key: num(getattr(day, key))
                    for key in (
                        "new_confirmed",
                        "active_cases",
                        "isolations",
                        "closed_offices",
                        "closed_rooms",
                    )
                },
            }
            for day in board.timeline
        ],
        "chart": _chart(board),
        "may_name": may_name,
        "names_query": names_query,
        "anonymous_query": query.urlencode(),
        "named_cases": _named(board.named_cases, "health-case-detail", "case_id", statuses),
        "named_isolations": _named(
            board.named_isolations, "health-isolation-detail", "isolation_id", reasons
        ),
        "links": _links(access, agency, may_name, agency_query),
        "settings_url": reverse("health-settings")
        + (f"?{urlencode(agency_query)}" if agency_query else ""),
    }
    return render(request, template, context, status=400 if form.errors else 200)


# --- the settings -------------------------------------------------------------------------------


def _bounds(name: str) -> dict:
    """min_value and max_value of a setting, from config.py."""
    bounds = {}
    for item in HealthConfig.model_fields[name].metadata:
        if hasattr(item, "ge"):
            bounds["min_value"] = item.ge
        if hasattr(item, "le"):
            bounds["max_value"] = item.le
    return bounds


def _setting(name: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=services.LABELS[name], help_text=services.HELP[name], **_bounds(name)
    )


class SettingsForm(BootstrapForm):
    trace_days = _setting("trace_days")
    isolation_days = _setting("isolation_days")
    incubation_days = _setting("incubation_days")
    closed_hours_before_disinfection = _setting("closed_hours_before_disinfection")
    cluster_closure_days = _setting("cluster_closure_days")
    reason_minutes = _setting("reason_minutes")

    def __init__(self, *args, editable: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.disabled = not editable


@page
def settings_page(request, access: Access):
    """The agency's health settings: everyone of the agency reads them; the health officers,
    BKPSDM and the platform operator change them."""
    template = "health/settings.html"
    agency = chosen_agency(request, access)
    if agency is None:
        return _picker(request, access, template)
    deny(access.in_agency(agency.pk))
    may_edit = services.edits_health_settings(access, agency.pk)
    current = health_config(agency.pk).model_dump()
    if request.method == "POST":
        deny(
            may_edit,
            _("Only the health officers and BKPSDM of the agency change its health settings."),
        )
        form = SettingsForm(request.POST)
        if form.is_valid():
            changed = {k: v for k, v in form.cleaned_data.items() if v != current.get(k)}
            try:
                services.health_settings_update(access=access, agency=agency, values=changed)
            except DomainError as exc:
                if exc.status != 400:
                    raise
                add_domain_errors(form, exc)
            else:
                messages.success(request, _("The health settings were saved."))
                query = _agency_query(access, agency)
                return redirect(
                    reverse("health-settings") + (f"?{urlencode(query)}" if query else "")
                )
    else:
        form = SettingsForm(initial=current, editable=may_edit)
    row = (
        HealthSettings.objects.filter(agency=agency).select_related("changed_by__employee").first()
    )
    stored = set(row.settings) if row is not None else set()
    defaults = services.defaults()
    rows = [
        {"field": form[name], "default": num(defaults[name]), "own": name in stored}
        for name in services.NAMES
    ]
    return render(
        request,
        template,
        {
            "agency": agency,
            "agencies": access.agencies().order_by("name") if access.is_operator else None,
            "form": form,
            "rows": rows,
            "row": row,
            "changed_by": person_name(row.changed_by) if row is not None else None,
            "may_edit": may_edit,
            "dashboard_url": reverse("health-dashboard")
            + (f"?agency={agency.pk}" if access.agency_id != agency.pk else ""),
        },
        status=400 if form.errors else 200,
    )


urlpatterns: list = [
    path("", dashboard, name="health-dashboard"),
    path("settings/", settings_page, name="health-settings"),
]
