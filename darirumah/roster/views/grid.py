"""The roster grid of a unit: employees × working days, checked live against the circular.

Those who arrange the unit edit each cell (htmx posts one cell, the answer is the cell plus the
day's counts and the broken rules swapped out of band), plan the period and publish it; those who
oversee it, and supervisors of staff in it, read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from darirumah.core.calendar import calendar_for
from darirumah.core.errors import DomainError, NotAllowed, NotFound
from darirumah.org.access import Access
from darirumah.org.models import Employee, Unit
from darirumah.org.views.common import deny, page, visible_or_404

from .. import checks, services
from ..models import Mode

DEFAULT_DAYS = 14  # two calendar weeks from this week's Monday
MAX_DAYS = 42
MESSAGES_SHOWN = 10
SHORT = {
    Mode.WFO: gettext_lazy("WFO"),
    Mode.WFH: gettext_lazy("WFH"),
    Mode.WFA: gettext_lazy("WFA"),
    Mode.ISOLATION: gettext_lazy("Isolation"),
    Mode.LEAVE: gettext_lazy("Leave"),
    Mode.DUTY: gettext_lazy("Duty"),
}


# --- who sees which unit --------------------------------------------------------------------


class Scope:
    """The units whose grid the caller may read, and which of them they arrange."""

    def __init__(self, access: Access):
        self.access = access
        self._team_paths = list(
            Employee.objects.filter(pk__in=access.subordinate_ids).values_list(
                "unit__path", flat=True
            )
        )

    def may_view(self, unit: Unit) -> bool:
        if self.access.oversees_unit(unit):
            return True
        # A supervisor reads the grid of a unit where their team works (their rows only).
        return unit.agency_id == self.access.agency_id and any(
            p.startswith(unit.path) for p in self._team_paths
        )

    def units(self) -> list[Unit]:
        return [
            u
            for u in self.access.units()
            .filter(is_active=True)
            .select_related("agency")
            .order_by("agency__name", "path")
            if self.may_view(u)
        ]


def _chosen_unit(request, access: Access, scope: Scope, raw: str | None) -> Unit:
    if raw:
        try:
            pk = int(raw)
        except ValueError:
            raise Http404(_("Not found, or not visible to you.")) from None
        unit = visible_or_404(access.units().select_related("agency"), pk)
        deny(scope.may_view(unit), _("You cannot see the roster of %(unit)s.") % {"unit": unit})
        return unit
    own = access.employee.unit if access.employee is not None else None
    if own is not None and scope.may_view(own):
        return Unit.objects.select_related("agency").get(pk=own.pk)
    visible = scope.units()
    arranged = [u for u in visible if access.arranges_unit(u)]
    chosen = (arranged or visible or [None])[0]
    deny(chosen is not None, _("You arrange or oversee no unit's roster."))
    return chosen


def _period(request, data, unit: Unit) -> tuple[date, date]:
    """The days asked for, or this week's Monday and two weeks on (a message when unreadable)."""
    today = calendar_for(unit.agency).today()
    start = today - timedelta(days=today.weekday())
    end = start + timedelta(days=DEFAULT_DAYS - 1)
    try:
        if data.get("start"):
            start = date.fromisoformat(data["start"])
            end = start + timedelta(days=DEFAULT_DAYS - 1)
        if data.get("end"):
            end = date.fromisoformat(data["end"])
    except ValueError:
        messages.error(request, _("Give the dates as YYYY-MM-DD; showing the current period."))
        return today - timedelta(days=today.weekday()), today + timedelta(
            days=DEFAULT_DAYS - 1 - today.weekday()
        )
    if end < start:
        messages.error(request, _("The end comes before the start; showing two weeks."))
        end = start + timedelta(days=DEFAULT_DAYS - 1)
    if (end - start).days >= MAX_DAYS:
        messages.warning(
            request, _("The grid shows at most %(n)d days at a time.") % {"n": MAX_DAYS}
        )
        end = start + timedelta(days=MAX_DAYS - 1)
    return start, end


def _grid_url(unit: Unit, start: date, end: date) -> str:
    query = urlencode({"unit": unit.pk, "start": start.isoformat(), "end": end.isoformat()})
    return f"{reverse('roster_grid')}?{query}"


# --- what the template shows ----------------------------------------------------------------


@dataclass
class Cell:
    employee: Employee
    day: date
    mode: str | None
    published: bool
    issues: list
    editable: bool

    @property
    def css(self) -> str:
        return f"rg-{(self.mode or 'none').lower()}"

    @property
    def short(self) -> str:
        return str(SHORT[self.mode]) if self.mode else "—"

    @property
    def title(self) -> str:
        return " ".join(v.message for v in self.issues)


@dataclass
class Row:
    employee: Employee
    cells: list[Cell]
    office_days: int
    available_days: int


def _grid(access: Access, scope: Scope, unit: Unit, start: date, end: date) -> dict:
    check = checks.roster_check(access=access, unit=unit, start=start, end=end)
    editable = access.arranges_unit(unit)
    rows = []
    for person in check.employees:
        # The head of a sub-unit may look at the parent's grid: their own rows stay editable.
        row_editable = editable or access.arranges_unit(person.unit)
        cells = []
        for day in check.days:
            entry = check.entries.get((person.pk, day))
            cells.append(
                Cell(
                    employee=person,
                    day=day,
                    mode=entry.mode if entry else None,
                    published=bool(entry and entry.published),
                    issues=check.by_cell.get((person.pk, day), []),
                    editable=row_editable,
                )
            )
        fair = check.fairness[person.pk]
        rows.append(Row(person, cells, fair.office_days, fair.available_days))
    counts = [check.counts[d] for d in check.days]
    # Days outside the circular's period have no cap: None there.
    unit_rows = [
        (pk, name, [(c.day, c.units.get(pk)) for c in counts]) for pk, name in check.minimum_units
    ]
    office_rows = [
        (pk, name, [(c.day, c.offices.get(pk)) for c in counts]) for pk, name in check.offices
    ]
    issues = list(dict.fromkeys(check.violations))  # a weekly limit marks several cells
    shift = timedelta(days=(end - start).days + 1)
    query = urlencode({"unit": unit.pk, "start": start.isoformat(), "end": end.isoformat()})
    return {
        "unit": unit,
        "start": start,
        "end": end,
        "days": check.days,
        "rows": rows,
        "counts": counts,
        "unit_rows": unit_rows,
        "office_rows": office_rows,
        "unplanned": len(check.unplanned),
        "unpublished": sum(
            1 for c in (cell for r in rows for cell in r.cells) if c.mode and not c.published
        ),
        "circular": check.circular,
        "issues": issues,
        "issues_top": issues[:MESSAGES_SHOWN],
        "issues_more": max(0, len(issues) - MESSAGES_SHOWN),
        "editable": editable,
        "edits_rows": any(r.cells and r.cells[0].editable for r in rows),
        "modes": [(m, SHORT[m], m.label) for m in Mode],
        "query": query,
        "previous": _grid_url(unit, start - shift, end - shift),
        "next": _grid_url(unit, start + shift, end + shift),
        "unit_groups": _picker(scope.units()),
    }


def _picker(units: list[Unit]) -> list[tuple[str, list[tuple[int, str]]]]:
    """The unit picker: per agency, each unit indented under its parent."""
    groups: dict[int, tuple[str, list]] = {}
    for u in units:
        label = "\u2003" * u.depth + u.name
        groups.setdefault(u.agency_id, (u.agency.name, []))[1].append((u.pk, label))
    return list(groups.values())


# --- pages ----------------------------------------------------------------------------------


@page
def roster_grid(request, access: Access):
    scope = Scope(access)
    unit = _chosen_unit(request, access, scope, request.GET.get("unit"))
    start, end = _period(request, request.GET, unit)
    return render(request, "roster/grid.html", _grid(access, scope, unit, start, end))


class CellForm(forms.Form):
    employee = forms.IntegerField()
    day = forms.DateField()
    mode = forms.ChoiceField(choices=Mode.choices)
    reason = forms.CharField(max_length=300, required=False)


@require_POST
@page
def roster_cell(request, access: Access):
    """Save one cell through roster_entry_set; htmx gets the cell and what changed around it."""
    form = CellForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose a person, a working day and a mode."))
    data = form.cleaned_data
    employee = visible_or_404(access.employees().select_related("unit", "agency"), data["employee"])
    scope = Scope(access)
    unit = employee.unit
    raw = request.GET.get("unit")
    if raw and raw.isdigit():
        chosen = access.units().filter(pk=int(raw)).select_related("agency").first()
        if chosen and scope.may_view(chosen) and employee.unit.path.startswith(chosen.path):
            unit = chosen
    unit = Unit.objects.select_related("agency").get(pk=unit.pk)
    day = data["day"]
    start, end = _period(request, request.GET, unit)
    if not start <= day <= end:
        start, end = day - timedelta(days=day.weekday()), day + timedelta(days=6 - day.weekday())
    error = None
    try:
        services.roster_entry_set(
            access=access,
            employee=employee,
            day=day,
            mode=data["mode"],
            reason=(data["reason"] or "").strip() or _("Changed on the roster grid"),
        )
    except (NotAllowed, NotFound):
        raise  # the 403 and 404 pages
    except DomainError as exc:
        error = exc.message
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(
                request,
                _("%(name)s: %(day)s saved.") % {"name": employee.name, "day": day.isoformat()},
            )
        return redirect(_grid_url(unit, start, end))
    context = _grid(access, scope, unit, start, end)
    row = next((r for r in context["rows"] if r.employee.pk == employee.pk), None)
    if row is None:  # e.g. someone no longer active: not a row of the grid any more
        messages.error(request, error or _("%(name)s is not on this roster.") % {"name": employee})
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    week = day.isocalendar()[:2]
    context.update(
        {
            "row": row,
            "cell": next((c for c in row.cells if c.day == day), None),
            "week_cells": [
                c for c in row.cells if c.day != day and c.day.isocalendar()[:2] == week
            ],
            "error": error,
        }
    )
    return render(request, "roster/partials/grid_cell_response.html", context)


def _action_target(request, access: Access) -> tuple[Unit, date, date]:
    raw = request.POST.get("unit", "")
    if not raw.isdigit():
        raise Http404(_("Not found, or not visible to you."))
    unit = visible_or_404(access.units().select_related("agency"), int(raw))
    deny(
        access.arranges_unit(unit),
        _("Only the unit's head or admin, or BKPSDM, can change this roster."),
    )
    start, end = _period(request, request.POST, unit)
    return unit, start, end


@require_POST
@page
def roster_grid_plan(request, access: Access):
    """Run the planner for the unit and period under the circular in force."""
    unit, start, end = _action_target(request, access)
    circular = checks.circular_in_force(unit, start, end)
    if circular is None:
        messages.error(
            request,
            _("No circular in force covers %(unit)s in this period: there is nothing to plan.")
            % {"unit": unit.name},
        )
        return redirect(_grid_url(unit, start, end))
    try:
        result, _units = services.roster_plan(
            access=access, circular=circular, start=start, end=end, unit_ids=[unit.pk]
        )
    except (NotAllowed, NotFound):
        raise  # the 403 and 404 pages
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_grid_url(unit, start, end))
    people = len({e for e, _d in result.assignments})
    messages.success(
        request,
        _("Planned under %(circular)s for %(people)d people; review the plan, then publish it.")
        % {"circular": circular.number, "people": people},
    )
    for violation in result.violations[:MESSAGES_SHOWN]:
        messages.warning(request, violation.message)
    rest = len(result.violations) - MESSAGES_SHOWN
    if rest > 0:
        messages.warning(
            request,
            ngettext(
                "%(n)d more rule could not be met.", "%(n)d more rules could not be met.", rest
            )
            % {"n": rest},
        )
    return redirect(_grid_url(unit, start, end))


@require_POST
@page
def roster_grid_publish(request, access: Access):
    """Make the unit's planned days in the period official."""
    unit, start, end = _action_target(request, access)
    try:
        count = services.roster_publish(access=access, unit=unit, start=start, end=end)
    except (NotAllowed, NotFound):
        raise  # the 403 and 404 pages
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(n)d roster day published for %(unit)s.",
                "%(n)d roster days published for %(unit)s.",
                count,
            )
            % {"n": count, "unit": unit.name},
        )
    return redirect(_grid_url(unit, start, end))
