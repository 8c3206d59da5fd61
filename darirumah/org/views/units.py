"""The unit tree and a unit's page."""

from __future__ import annotations

from django.db.models import Count, Q
from django.shortcuts import render

from darirumah.core.calendar import calendar_for

from .. import selectors
from ..access import Access
from ..models import Employee
from .common import chosen_agency, history_rows, page, visible_or_404

STAFF_SHOWN = 50


def _tree_order(units: list) -> list:
    """Depth-first order with siblings by name (paths alone sort siblings by id)."""
    children: dict[int | None, list] = {}
    ids = {u.pk for u in units}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in ids else None
        children.setdefault(parent, []).append(unit)
    for siblings in children.values():
        siblings.sort(key=lambda u: (u.name.lower(), u.pk))
    ordered: list = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        unit = stack.pop()
        ordered.append(unit)
        stack.extend(reversed(children.get(unit.pk, [])))
    return ordered


def _with_totals(units: list) -> list:
    """Add `total`: the active staff of each unit's whole subtree (its own `staff` included)."""
    totals: dict[str, int] = {}
    for unit in units:
        parts = [p for p in unit.path.split("/") if p]
        for i in range(1, len(parts) + 1):
            prefix = "/" + "/".join(parts[:i]) + "/"
            totals[prefix] = totals.get(prefix, 0) + unit.staff
    for unit in units:
        unit.total = totals.get(unit.path, unit.staff)
    return units


@page
def unit_list(request, access: Access):
    agency = chosen_agency(request, access)
    context = {"agency": agency, "units": []}
    if agency is not None:
        # An operator sees every agency: one tree at a time, picked from the list.
        units = selectors.unit_tree(access=access, agency_id=agency.pk)
        context["units"] = _with_totals(_tree_order(units))
    if access.is_operator:
        context["agencies"] = access.agencies()
    return render(request, "org/unit_list.html", context)


@page
def unit_detail(request, access: Access, pk: int):
    unit = visible_or_404(access.units().select_related("agency", "head", "office", "parent"), pk)
    ancestor_ids = [int(p) for p in unit.path.split("/") if p][:-1]
    ancestors = sorted(
        access.units().filter(pk__in=ancestor_ids), key=lambda u: ancestor_ids.index(u.pk)
    )
    children = (
        access.units()
        .filter(parent=unit)
        .select_related("head")
        .annotate(staff=Count("employees", filter=Q(employees__is_active=True)))
        .order_by("name")
    )
    all_staff = Employee.objects.filter(unit=unit, is_active=True)
    visible = access.employees().filter(unit=unit, is_active=True).select_related("supervisor")
    staff_count = all_staff.count()
    shown = list(visible.order_by("name")[:STAFF_SHOWN])
    context = {
        "unit": unit,
        "ancestors": ancestors,
        "children": children,
        "staff": shown,
        "staff_count": staff_count,
        "staff_visible": visible.count(),
        "subtree_count": Employee.objects.filter(
            agency_id=unit.agency_id, unit__path__startswith=unit.path, is_active=True
        ).count(),
        "can_administer": access.administers_unit(unit),
        "zone": calendar_for(unit.agency).tz,
    }
    if access.can_view_history(unit):
        context["history"] = history_rows(unit)
    return render(request, "org/unit_detail.html", context)
