"""Target pages: the targets the caller may see (their own, their team's, their units'), giving
a target to one person or (a unit's head) to a whole unit, and cancelling one. The rules are in
services/targets.py; who may is in selectors.assigns_targets / heads_unit."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from darirumah.core.calendar import calendar_for
from darirumah.core.errors import DomainError, NotAllowed, NotFound
from darirumah.org.access import Access
from darirumah.org.views.common import add_domain_errors, deny, page, visible_or_404

from .. import selectors
from ..forms import TargetFilterForm, TargetForm, month_value
from ..models import Target
from ..services import targets as services

PAGE_SIZE = 50


def _int(raw) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def _sets_targets(access: Access) -> bool:
    """Gives targets to someone: a supervisor or a unit's head (with an employee record)."""
    return access.employee is not None and (access.is_supervisor or access.is_unit_head)


@page
def target_list(request, access: Access):
    """The targets the caller may see, filtered by person or indicator, unit, status and month
    (active ones by default), with a cancel button where the caller set them."""
    data = request.GET.copy()
    data.setdefault("status", Target.Status.ACTIVE)
    form = TargetFilterForm(data, access=access)
    form.is_valid()  # a wrong filter is dropped and marked, the list still shows
    filters = form.cleaned_data
    person = None
    if _int(request.GET.get("employee")) is not None:
        person = visible_or_404(access.employees(), _int(request.GET["employee"]))
    batch = None
    if request.GET.get("batch"):
        try:
            batch = uuid.UUID(request.GET["batch"])
        except ValueError:
            raise Http404(_("Not found, or not visible to you.")) from None
    qs = selectors.target_list(
        access,
        employee=person,
        unit=filters.get("unit"),
        status=filters.get("status") or None,
        batch=batch,
    )
    if filters.get("q"):
        qs = qs.filter(
            Q(employee__name__icontains=filters["q"]) | Q(indicator__icontains=filters["q"])
        )
    if filters.get("month"):
        start, end = filters["month"]
        qs = qs.filter(period_start__lte=end, period_end__gte=start)
    listing = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "target": target,
            "may_cancel": target.status == Target.Status.ACTIVE
            and selectors.assigns_targets(access, target.employee),
        }
        for target in listing
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "performance/target_list.html",
        {
            "form": form,
            "rows": rows,
            "listing": listing,
            "person": person,
            "batch": batch,
            "query": query.urlencode(),
            "may_assign": _sets_targets(access),
            "own": access.employee,
        },
    )


@page
def target_new(request, access: Access):
    """Give a target to one person (their supervisor or unit head) or to everyone in a unit
    (its head), for a month, from a date to a date, or for a circular's WFH period."""
    deny(
        _sets_targets(access),
        _("Only a supervisor or the head of a unit sets targets."),
    )
    today = calendar_for(access.employee.agency, years=[]).today()
    initial = {"month": month_value(today), "period_kind": TargetForm.MONTH}
    chosen = _int(request.GET.get("employee"))
    if chosen is not None:
        initial["employee"] = chosen
    form = TargetForm(request.POST or None, initial=initial, access=access)
    if request.method == "POST" and form.is_valid():
        fields = form.fields_for_service()
        try:
            if form.cleaned_data.get("assign_to") == TargetForm.UNIT and form.heads_units:
                unit = form.cleaned_data["unit"]
                created = services.target_assign_unit(access=access, unit=unit, fields=fields)
            else:
                person = form.cleaned_data["employee"]
                created = [services.target_assign(access=access, employee=person, fields=fields)]
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            if created[0].batch is not None:
                messages.success(
                    request,
                    ngettext(
                        "The target was given to %(n)d person of %(unit)s.",
                        "The target was given to %(n)d people of %(unit)s.",
                        len(created),
                    )
                    % {"n": len(created), "unit": unit.name},
                )
                query = {"batch": created[0].batch}
            else:
                messages.success(
                    request,
                    _("The target was given to %(name)s.") % {"name": created[0].employee.name},
                )
                query = {"employee": created[0].employee_id}
            return redirect(f"{reverse('performance-targets')}?{urlencode(query)}")
    return render(
        request,
        "performance/target_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@page
def target_cancel(request, access: Access, pk: int):
    """Cancel an active target (its supervisor or unit head); back to where the button was."""
    target = visible_or_404(selectors.targets_visible(access), pk)
    try:
        services.target_cancel(access=access, target=target)
    except (NotAllowed, NotFound):
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The target “%(indicator)s” of %(name)s was cancelled.")
            % {"indicator": target.indicator, "name": target.employee.name},
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("performance-targets")
    return redirect(back)


urlpatterns: list = [
    path("targets/", target_list, name="performance-targets"),
    path("targets/new/", target_new, name="performance-target-new"),
    path("targets/<int:pk>/cancel/", target_cancel, name="performance-target-cancel"),
]
