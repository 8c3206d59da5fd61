"""The agency's page (settings, calendar, history), its edit form, and its own calendar days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import messages
from django.forms.models import model_to_dict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from darirumah.core.calendar import DayOff, calendar_for
from darirumah.core.errors import DomainError, NotAllowed, NotFound

from .. import services
from ..access import Access
from ..forms import AgencyDayForm, AgencyForm
from ..models import Agency, AgencyDay
from .common import (
    add_domain_errors,
    chosen_agency,
    deny,
    history_rows,
    page,
    person_name,
    visible_or_404,
)

CALENDAR_SHOWN = 30  # the latest changes to the agency's own calendar days

# What kind of day each calendar row is, for its badge.
DAY_KINDS = {
    "national": gettext_lazy("National holiday"),
    "joint": gettext_lazy("Cuti bersama"),
    "agency": gettext_lazy("Agency day off"),
    "on": gettext_lazy("Extra working day"),
}


@dataclass
class CalendarRow:
    day: date
    reason: str
    kind: str  # a key of DAY_KINDS
    own: AgencyDay | None  # the agency's own entry (it can be removed), if any

    @property
    def kind_label(self) -> str:
        return str(DAY_KINDS[self.kind])


def year_ahead(start: date) -> date:
    """The last day of the twelve months from `start` (29 February counts as 28 February)."""
    try:
        return start.replace(year=start.year + 1) - timedelta(days=1)
    except ValueError:
        return date(start.year + 1, 2, 28)


def calendar_rows(agency: Agency, start: date, end: date) -> list[CalendarRow]:
    """Every weekday off from start to end with its reason, the agency's own days (even on a
    weekend, so they can be removed) and its declared extra working days, by date."""
    cal = calendar_for(agency, years=range(start.year, end.year + 1))
    own = {d.date: d for d in agency.calendar_days.filter(date__range=(start, end))}
    kinds = {DayOff.NATIONAL: "national", DayOff.JOINT_LEAVE: "joint", DayOff.AGENCY: "agency"}
    rows = []
    for day, reason in cal.days_off_between(start, end):
        entry = own.get(day)
        kind, _reason = cal.day_off(day)
        if kind == DayOff.WEEKEND or (day.weekday() >= 5 and entry is None):
            continue
        rows.append(CalendarRow(day=day, reason=reason, kind=kinds[kind], own=entry))
    for day, entry in own.items():
        if entry.kind == AgencyDay.Kind.ON:
            rows.append(CalendarRow(day=day, reason=entry.name, kind="on", own=entry))
    return sorted(rows, key=lambda r: r.day)


def detail_url(access: Access, agency: Agency) -> str:
    """The agency page; the operator's link names the agency (they have none of their own)."""
    url = reverse("agency_detail")
    return f"{url}?agency={agency.pk}" if access.is_operator else url


def _render(request, access: Access, agency: Agency | None, day_form=None):
    context: dict = {"agency": agency}
    if access.is_operator:
        context["agencies"] = access.agencies()
    if agency is not None:
        cal = calendar_for(agency)
        start = cal.today()
        end = year_ahead(start)
        can_manage = access.manages_agency(agency.pk)
        context.update(
            start=start,
            end=end,
            days=calendar_rows(agency, start, end),
            can_manage=can_manage,
            zone=cal.tz,
            query=f"?agency={agency.pk}" if access.is_operator else "",
        )
        if can_manage:
            context["day_form"] = day_form or AgencyDayForm()
        if access.can_view_history(agency):
            context["history"] = history_rows(agency)
            records = (
                AgencyDay.history.filter(agency_id=agency.pk)
                .select_related("history_user__employee")
                .order_by("-history_date", "-history_id")[:CALENDAR_SHOWN]
            )
            context["day_history"] = [(r, person_name(r.history_user)) for r in records]
    return render(request, "org/agency_detail.html", context)


@page
def agency_detail(request, access: Access):
    return _render(request, access, chosen_agency(request, access))


@page
def agency_edit(request, access: Access):
    agency = chosen_agency(request, access)
    if agency is None:
        return redirect("agency_detail")  # the operator picks an agency there first
    deny(access.manages_agency(agency.pk), _("Only BKPSDM can change the agency's settings."))
    data = request.POST if request.method == "POST" else None
    initial = model_to_dict(agency, fields=AgencyForm.field_names)
    form = AgencyForm(data, access=access, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not changes:
            messages.info(request, _("Nothing was changed."))
            return redirect(detail_url(access, agency))
        try:
            services.agency_update(access=access, agency=agency, **changes)
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc)
            agency.refresh_from_db()  # the page header shows the saved name, not the refused one
        else:
            messages.success(request, _("The agency's settings were saved."))
            return redirect(detail_url(access, agency))
    query = f"?agency={agency.pk}" if access.is_operator else ""
    context = {"form": form, "agency": agency, "query": query}
    return render(request, "org/agency_form.html", context)


@require_POST
@page
def agency_day_set(request, access: Access):
    agency = chosen_agency(request, access)
    if agency is None:
        raise NotFound(_("Pick an agency first."))
    deny(access.manages_agency(agency.pk), _("Only BKPSDM can change the agency's calendar."))
    form = AgencyDayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            day = services.agency_day_set(access=access, agency=agency, **data)
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(date)s is now in the agency's calendar: %(name)s.")
                % {"date": date_format(day.date, "j F Y"), "name": day.name},
            )
            return redirect(detail_url(access, agency))
    return _render(request, access, agency, day_form=form)


@require_POST
@page
def agency_day_delete(request, access: Access, pk: int):
    day = visible_or_404(AgencyDay.objects.filter(agency__in=access.agencies()), pk)
    agency = day.agency
    services.agency_day_delete(access=access, day=day)
    messages.success(
        request,
        _("%(date)s (%(name)s) was removed from the agency's calendar.")
        % {"date": date_format(day.date, "j F Y"), "name": day.name},
    )
    return redirect(detail_url(access, agency))
