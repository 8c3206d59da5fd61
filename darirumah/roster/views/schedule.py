"""Staff pages of the roster: my schedule (a month of published days) and my requests."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from darirumah.core.calendar import calendar_for
from darirumah.core.errors import DomainError
from darirumah.org.access import Access
from darirumah.org.forms import BootstrapForm
from darirumah.org.views.common import add_domain_errors, deny, page

from .. import services
from ..models import Mode, RosterEntry, RosterRequest


class RequestForm(BootstrapForm):
    date = forms.DateField(
        label=gettext_lazy("Day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("Work"),
        choices=[(m.value, m.label) for m in (Mode.WFO, Mode.WFH, Mode.LEAVE, Mode.DUTY)],
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300)


def _month(raw: str | None, today: date) -> date:
    try:
        year, month = (int(p) for p in (raw or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


def _shift(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _render(request, access: Access, form: RequestForm | None = None):
    employee = access.employee
    context: dict = {"employee": employee, "form": form or RequestForm()}
    if employee is None:
        return render(request, "roster/my_schedule.html", context)
    cal = calendar_for(employee.agency)
    today = cal.today()
    first = _month(request.GET.get("month"), today)
    last = _shift(first, 1)
    entries = {
        e.date: e
        for e in RosterEntry.objects.filter(
            employee=employee, date__gte=first, date__lt=last, published=True
        )
    }
    days = [(d, entries.get(d)) for d in cal.working_days(first, last - timedelta(days=1))]
    context.update(
        {
            "today": today,
            "today_entry": RosterEntry.objects.filter(
                employee=employee, date=today, published=True
            ).first(),
            "month": first,
            "previous": _shift(first, -1).strftime("%Y-%m"),
            "next": _shift(first, 1).strftime("%Y-%m"),
            "days": days,
            "requests": RosterRequest.objects.filter(employee=employee)[:20],
        }
    )
    return render(request, "roster/my_schedule.html", context)


@page
def my_schedule(request, access: Access):
    return _render(request, access)


@require_POST
@page
def my_request(request, access: Access):
    deny(access.employee is not None, _("Only employees can ask for a change of their schedule."))
    form = RequestForm(request.POST)
    if form.is_valid():
        try:
            services.roster_request_create(
                access=access,
                day=form.cleaned_data["date"],
                mode=form.cleaned_data["mode"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Your request was sent to your unit's head."))
            return redirect("my_schedule")
    return _render(request, access, form)
