"""Dashboard pages: a head's unit on a day, every OPD side by side for BKPSDM, and the
leadership's "is WFH working?" over a range. The figures and who reads them are in
selectors/dashboards.py (shared with the API); numbers are written in the reader's language
(Indonesian: 1.234 and 83,3%). A bad date is said on the filter form and the default is shown."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.formats import date_format, number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from darirumah.attendance.selectors_recap import reads_all_recaps
from darirumah.core.calendar import calendar_for
from darirumah.core.errors import DomainError
from darirumah.org.access import Access
from darirumah.org.forms import BootstrapForm
from darirumah.org.views.common import add_domain_errors, chosen_agency, deny, page, visible_or_404
from darirumah.policy.views_effectiveness import RECOMMENDATIONS
from darirumah.roster.models import Mode

from .. import selectors as report_selectors
from ..models import Evaluation
from ..selectors import dashboards as selectors

COLOURS = {
    "checkin": "#198754",
    "reports": "#0b5394",
    "wfh": "#0b5394",
    "wfo": "#e69138",
    "present": "#198754",
    "late": "#ffc107",
    "absent": "#dc3545",
    "sent": "#6fa8dc",
    "threshold": "#dc3545",
}
# One colour per roster mode, the same whatever the day; grey for "not in the roster".
MODE_COLOURS = {
    "WFO": "#e69138",
    "WFH": "#0b5394",
    "WFA": "#6fa8dc",
    "ISOLATION": "#8e7cc3",
    "LEAVE": "#93c47d",
    "DUTY": "#c27ba0",
}


# --- numbers in the reader's language ------------------------------------------------------------


def num(value: int) -> str:
    """1234 → "1.234" in Indonesian."""
    return number_format(value, force_grouping=True)


def pct(share: Decimal | None) -> str:
    """0.8333 → "83,3%" in Indonesian, 0.5 → "50%"; None → "—"."""
    if share is None:
        return "—"
    value = (share * 100).quantize(Decimal("0.1"))
    places = 0 if value == value.to_integral_value() else 1
    return number_format(value, decimal_pos=places, force_grouping=True) + "%"


def point(share: Decimal | None) -> float | None:
    # A chart point, not a stored figure: a float is what Chart.js reads.
    return None if share is None else float(share * 100)


def figures_view(f: selectors.Figures) -> dict:
    """The figures as the pages write them."""
    return {
        "staff": num(f.staff),
        "wfh": num(f.wfh),
        "wfh_share": pct(f.wfh_share),
        "not_in_roster": num(f.not_in_roster),
        "present": num(f.present),
        "late": num(f.late),
        "absent": num(f.absent),
        "excused": num(f.excused),
        "not_yet": num(f.not_yet),
        "checkin_compliance": pct(f.checkin_compliance),
        "reports_submitted": num(f.reports_sent),
        "reports_missing": num(f.reports_missing),
        "reports_late": num(f.reports_late),
        "report_completion": pct(f.report_completion),
    }


def line(key: str, label: str, shares: list) -> dict:
    return {"label": label, "data": [point(s) for s in shares], "color": COLOURS[key]}


def series_rows(series: list[tuple[date, selectors.Figures]]) -> list[dict]:
    return [{"day": d, **figures_view(f)} for d, f in series]


# --- filters --------------------------------------------------------------------------------------

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DayForm(BootstrapForm):
    date = forms.DateField(label=gettext_lazy("Date"), required=False, widget=DATE_INPUT)


class RangeForm(BootstrapForm):
    start = forms.DateField(label=gettext_lazy("From"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=gettext_lazy("Through"), required=False, widget=DATE_INPUT)


def _day(request, today: date) -> tuple[DayForm, date]:
    """The asked day, or today when none or a bad one is given (the form says why)."""
    form = DayForm(request.GET or None)
    day = form.cleaned_data.get("date") if form.is_valid() else None
    try:
        selectors.check_day(day)
    except DomainError as exc:
        form.add_error("date", exc.fields["date"][0])
        day = None
    return form, day or today


def _agency_query(access: Access, agency) -> dict:
    return {} if access.agency_id == agency.pk else {"agency": agency.pk}


def _picker(request, access: Access, template: str):
    """The platform operator without an agency picks one first."""
    agencies = access.agencies().order_by("name")
    return render(request, template, {"agency": None, "agencies": agencies})


# --- a unit's day ---------------------------------------------------------------------------------


def _unit(request, access: Access, units: list):
    raw = request.GET.get("unit")
    if raw:
        try:
            pk = int(raw)
        except ValueError:
            pk = 0
        return visible_or_404(access.units().select_related("agency"), pk)
    own = access.employee.unit_id if access.employee is not None else None
    return next((u for u in units if u.pk == own), units[0] if units else None)


@page
def dashboard_unit(request, access: Access):
    """A head's unit on a day: modes, check-in, reports, reviews, ratings, discipline, and the
    last 20 working days' check-in compliance and report completion."""
    units = report_selectors.unit_report_units(access)
    unit = _unit(request, access, units)
    deny(
        unit is not None and selectors.reads_unit(access, unit),
        _("Only the unit's head or admin, a supervisor of its staff, BKPSDM or pimpinan see this."),
    )
    form, day = _day(request, calendar_for(unit.agency, years=[]).today())
    board = selectors.unit_board(access, unit, day)
    f = board.figures
    modes = [(m.value, str(m.label), f.modes[m.value]) for m in Mode if f.modes.get(m.value)]
    if f.not_in_roster:
        modes.append(("", _("Not in the roster"), f.not_in_roster))
    ratings = [
        (value, label, num(board.ratings.get(value, 0)))
        for value, label in Evaluation.Rating.choices
    ]
    days = [date_format(d, "j M") for d, _f in board.series]
    trend = {
        "type": "line",
        "percent": True,
        "labels": days,
        "datasets": [
            line(
                "checkin",
                _("Check-in compliance"),
                [s.checkin_compliance for _d, s in board.series],
            ),
            line(
                "reports", _("Report completion"), [s.report_completion for _d, s in board.series]
            ),
        ],
    }
    split = {
        "type": "doughnut",
        "labels": [label for _m, label, _n in modes],
        "datasets": [
            {
                "data": [n for _m, _l, n in modes],
                "colors": [MODE_COLOURS.get(m, "#adb5bd") for m, _l, _n in modes],
            }
        ],
    }
    query = urlencode({"unit": unit.pk, "date": day.isoformat()})
    return render(
        request,
        "performance/dashboard_unit.html",
        {
            "board": board,
            "unit": unit,
            "units": units,
            "form": form,
            "day": day,
            "f": figures_view(f),
            "modes": [(label, num(n)) for _m, label, n in modes],
            "ratings": ratings,
            "pending_reviews": num(board.pending_reviews),
            "discipline_open": num(board.discipline_open),
            "discipline_overdue": num(board.discipline_overdue),
            "series": series_rows(board.series),
            "trend": trend,
            "split": split,
            "missing_url": f"{reverse('performance-missing')}?{query}",
            "discipline_url": reverse("performance-discipline-list")
            + "?"
            + urlencode({"status": "recommended", "unit": unit.pk}),
            "reviews": access.employee is not None
            and (access.is_supervisor or access.is_unit_head),
        },
    )


# --- every OPD on a day ---------------------------------------------------------------------------


@page
def dashboard_agency(request, access: Access):
    """Every OPD side by side on a day, for BKPSDM reading the recaps at 15:00."""
    template = "performance/dashboard_agency.html"
    agency = chosen_agency(request, access)
    if agency is None:
        return _picker(request, access, template)
    selectors.require_agency(access, agency)
    form, day = _day(request, calendar_for(agency, years=[]).today())
    board = selectors.agency_board(access, agency, day)
    calendar = calendar_for(agency, years=[])
    rows = [
        {
            "row": row,
            "f": figures_view(row.figures),
            "unit_url": reverse("performance-dashboard-unit")
            + "?"
            + urlencode({"unit": row.unit.pk, "date": day.isoformat()}),
            "sent_at": calendar.now(row.recap.sent_at).strftime("%H:%M")
            if row.recap and row.recap.sent_at
            else "",
            "discipline_open": num(row.discipline_open),
            "discipline_overdue": num(row.discipline_overdue),
        }
        for row in board.rows
    ]
    f = [row.figures for row in board.rows]
    bars = {
        "type": "bar",
        "horizontal": len(board.rows) > 8,  # fifty OPDs read better as rows on a phone
        "labels": [row.unit.name for row in board.rows],
        "datasets": [
            {"label": _("Present"), "data": [x.present for x in f], "color": COLOURS["present"]},
            {"label": _("Late"), "data": [x.late for x in f], "color": COLOURS["late"]},
            {"label": _("Absent"), "data": [x.absent for x in f], "color": COLOURS["absent"]},
            {
                "label": _("Reports submitted"),
                "data": [x.reports_sent for x in f],
                "color": COLOURS["sent"],
            },
        ],
    }
    return render(
        request,
        template,
        {
            "agency": agency,
            "agencies": access.agencies().order_by("name") if access.is_operator else None,
            "agency_query": _agency_query(access, agency),
            "board": board,
            "form": form,
            "day": day,
            "rows": rows,
            "totals": figures_view(board.totals),
            "recaps_sent": num(board.recaps_sent),
            "recaps_missing": num(board.recaps_missing),
            "discipline_open": num(board.discipline_open),
            "discipline_overdue": num(board.discipline_overdue),
            "bars": bars,
            "reads_recaps": reads_all_recaps(access, agency),
        },
    )


# --- leadership -----------------------------------------------------------------------------------


def _range(request, today: date) -> tuple[RangeForm, date | None, date | None]:
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


def circular_view(review) -> dict:
    """What the circular's answer card (policy/effectiveness_card.html) reads, with its chart."""
    names = review.opd_names
    threshold = point(review.threshold)
    chart = {
        "type": "line",
        "percent": True,
        "labels": [date_format(p.day, "D j M") for p in review.series],
        "datasets": [
            line("wfh", _("WFH: tasks done"), [p.wfh.done_share for p in review.series]),
            line("wfo", _("WFO: tasks done"), [p.wfo.done_share for p in review.series]),
            {
                "label": _("Threshold"),
                "data": [threshold for _p in review.series],
                "color": COLOURS["threshold"],
                "dash": True,
            },
        ],
    }
    return {
        "circular": review.circular,
        "review": review,
        "overall": {
            "wfh_done": pct(review.overall.wfh.done_share),
            "wfo_done": pct(review.overall.wfo.done_share),
        },
        "threshold": pct(review.threshold),
        "recommendation": RECOMMENDATIONS[review.recommendation],
        "below_names": [names.get(pk, "") for pk in review.below],
        "chart": chart,
        "chart_id": f"circular-{review.circular.pk}-data",
    }


@page
def dashboard_leadership(request, access: Access):
    """Is WFH working? Each circular's answer, and the agency's WFH share and check-in
    compliance per working day over the range (the last 30 days by default)."""
    template = "performance/dashboard_leadership.html"
    agency = chosen_agency(request, access)
    if agency is None:
        return _picker(request, access, template)
    selectors.require_agency(access, agency)
    form, start, end = _range(request, calendar_for(agency, years=[]).today())
    board = selectors.leadership_board(access, agency, start, end)
    days = [date_format(d, "j M") for d, _f in board.series]
    shares = [f for _d, f in board.series]
    wfh = {
        "type": "line",
        "percent": True,
        "labels": days,
        "datasets": [line("wfh", _("WFH share of staff"), [f.wfh_share for f in shares])],
    }
    compliance = {
        "type": "line",
        "percent": True,
        "labels": days,
        "datasets": [
            line("checkin", _("Check-in compliance"), [f.checkin_compliance for f in shares]),
            line("reports", _("Report completion"), [f.report_completion for f in shares]),
        ],
    }
    return render(
        request,
        template,
        {
            "agency": agency,
            "agencies": access.agencies().order_by("name") if access.is_operator else None,
            "agency_query": _agency_query(access, agency),
            "board": board,
            "form": form,
            "circulars": [circular_view(r) for r in board.reviews],
            "series": series_rows(board.series),
            "wfh_chart": wfh,
            "compliance_chart": compliance,
        },
    )


urlpatterns: list = [
    path("dashboards/unit/", dashboard_unit, name="performance-dashboard-unit"),
    path("dashboards/agency/", dashboard_agency, name="performance-dashboard-agency"),
    path("dashboards/leadership/", dashboard_leadership, name="performance-dashboard-leadership"),
]
