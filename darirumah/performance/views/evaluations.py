"""Month-end evaluation pages: a unit's month for its head (confirm or adjust each rating, send
the OPD's summary to BKPSDM), one evaluation with the figures behind it, the person's own
months, and BKPSDM's overview of every OPD with the "run now" button. Who may is decided in
darirumah/performance/selectors/evaluation.py, shared with the API."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from darirumah.core.calendar import calendar_for
from darirumah.core.errors import DomainError, NotAllowed, NotFound
from darirumah.org.access import Access
from darirumah.org.forms import BootstrapForm
from darirumah.org.models import Agency, Role, Unit
from darirumah.org.views.common import (
    add_domain_errors,
    chosen_agency,
    deny,
    page,
    person_name,
    visible_or_404,
)

from ..models import Evaluation, UnitEvaluation
from ..rules import evaluation as rules
from ..rules import month_bounds
from ..selectors import evaluation as selectors
from ..services import evaluation as services

RATINGS = Evaluation.Rating
# Bar colours of the ratings, best to worst (the table beside the chart carries the numbers).
COLOURS = ("#198754", "#0d6efd", "#ffc107", "#fd7e14", "#dc3545")


class ConfirmForm(BootstrapForm):
    rating = forms.ChoiceField(label=gettext_lazy("Rating"), choices=RATINGS.choices)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=services.MAX_REASON,
        help_text=gettext_lazy("Required when the rating differs from the computed one."),
    )


class RunForm(BootstrapForm):
    period = forms.CharField(
        label=gettext_lazy("Month"),
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
    )

    def clean_period(self) -> date:
        period = rules.parse_period(self.cleaned_data["period"])
        if period is None:
            raise forms.ValidationError(_("Give the month as YYYY-MM, e.g. 2026-08."))
        return period


def _period(request, agency: Agency) -> date:
    """?period=YYYY-MM, else the month the agency is evaluating (see default_period)."""
    raw = request.GET.get("period") or request.POST.get("period")
    if raw:
        period = rules.parse_period(raw)
        if period is not None:
            return period
        messages.error(request, _("Give the month as YYYY-MM, e.g. 2026-08."))
    config = selectors.performance_config(agency)
    return selectors.default_period(calendar_for(agency), config)


def _months(period: date) -> dict:
    previous = (period - timedelta(days=1)).replace(day=1)
    following = month_bounds(period.year, period.month)[1] + timedelta(days=1)
    return {
        "previous": f"{previous:%Y-%m}",
        "next": f"{following:%Y-%m}",
        "value": f"{period:%Y-%m}",
    }


def _form(evaluation: Evaluation, data=None) -> ConfirmForm:
    return ConfirmForm(
        data, prefix=f"e{evaluation.pk}", initial={"rating": evaluation.final_rating}
    )


# --- a unit's month ------------------------------------------------------------------------------


def _unit(request, access: Access) -> Unit:
    raw = request.GET.get("unit") or request.POST.get("unit")
    if raw:
        try:
            return visible_or_404(access.units().select_related("agency"), int(raw))
        except ValueError:
            raise Http404(_("Not found, or not visible to you.")) from None
    unit = (
        Unit.objects.filter(
            agency_id=access.agency_id,
            path__in=access.unit_paths(Role.KEPALA_OPD, Role.ADMIN_OPD),
        )
        .select_related("agency")
        .order_by("path")
        .first()
    )
    if unit is None:
        raise Http404(_("Choose a unit."))
    return unit


def unit_url(unit_id: int, period: date) -> str:
    query = urlencode({"unit": unit_id, "period": f"{period:%Y-%m}"})
    return reverse("performance-evaluation-unit") + "?" + query


def _render_unit(request, access: Access, unit: Unit, period: date, bound=None, status=200):
    evaluations = list(selectors.evaluation_list(access, period=period, unit=unit))
    me = access.employee.pk if access.employee is not None else None
    heads = selectors.unit_heads(
        e.employee_id for e in evaluations if e.employee.supervisor_id == me
    )
    summary = (
        UnitEvaluation.objects.filter(unit=unit, period=period)
        .select_related("unit", "sent_by__employee")
        .first()
    )
    besides = {unit.head_id, me} - {None}
    rows = []
    for evaluation in evaluations:
        may_confirm = selectors.confirms_evaluation(access, evaluation, heads=heads)
        form = None
        if bound is not None and bound[0] == evaluation.pk:
            form = bound[1]
        elif may_confirm:
            form = _form(evaluation)
        rows.append({"evaluation": evaluation, "form": form})
    waiting = sum(
        1
        for e in evaluations
        if e.status == Evaluation.Status.COMPUTED
        and e.employee_id not in besides
        and e.employee.is_active
    )
    return render(
        request,
        "performance/evaluation_unit.html",
        {
            "unit": unit,
            "period": period,
            "months": _months(period),
            "rows": rows,
            "summary": summary,
            "may_send": summary is not None and selectors.sends_unit_evaluation(access, summary),
            "waiting": waiting,
            "overview_url": reverse("performance-evaluation-overview")
            + "?"
            + urlencode({"period": f"{period:%Y-%m}", "agency": unit.agency_id}),
        },
        status=status,
    )


@page
def evaluation_unit(request, access: Access):
    """The unit's month (with sub-units): each person's parts, score and ratings; the head
    confirms or adjusts each one and sends the OPD's summary."""
    unit = _unit(request, access)
    deny(access.oversees_unit(unit))
    return _render_unit(request, access, unit, _period(request, unit.agency))


@require_POST
@page
def evaluation_confirm(request, access: Access, pk: int):
    """Confirm or adjust one rating; back to the unit's page (or the evaluation's) with the
    form's errors on it when refused."""
    evaluation = visible_or_404(selectors.evaluations_visible(access), pk)
    deny(selectors.confirms_evaluation(access, evaluation))
    unit = None
    if request.POST.get("unit"):
        unit = _unit(request, access)
        if not access.oversees_unit(unit):
            unit = None
    form = _form(evaluation, request.POST)
    if form.is_valid():
        try:
            services.evaluation_confirm(
                access=access,
                evaluation=evaluation,
                rating=form.cleaned_data["rating"],
                reason=form.cleaned_data["reason"],
            )
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(
                request,
                _("The evaluation of %(name)s is confirmed.") % {"name": evaluation.employee.name},
            )
            if unit is not None:
                return redirect(unit_url(unit.pk, evaluation.period))
            return redirect("performance-evaluation-detail", pk=evaluation.pk)
    if unit is not None:
        return _render_unit(request, access, unit, evaluation.period, (evaluation.pk, form), 400)
    return _render_detail(request, access, evaluation, form, status=400)


@require_POST
@page
def evaluation_send(request, access: Access, pk: int):
    """The head sends the OPD's month to BKPSDM."""
    summary = visible_or_404(selectors.unit_evaluation_list(access), pk)
    deny(selectors.sends_unit_evaluation(access, summary))
    try:
        services.unit_evaluation_send(access=access, unit_evaluation=summary)
    except (NotAllowed, NotFound):
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The evaluation was sent to BKPSDM."))
    return redirect(unit_url(summary.unit_id, summary.period))


# --- one evaluation, and the person's own --------------------------------------------------------


def _trail(evaluation: Evaluation) -> list:
    """The evaluation's history, newest first: each run and each confirmation or adjustment."""
    records = evaluation.history.select_related("history_user__employee").order_by(
        "-history_date", "-history_id"
    )[:30]
    return [{"record": r, "who": person_name(r.history_user)} for r in records]


def _render_detail(request, access: Access, evaluation: Evaluation, form=None, status=200):
    may_confirm = selectors.confirms_evaluation(access, evaluation)
    if form is None and may_confirm:
        form = _form(evaluation)
    return render(
        request,
        "performance/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "form": form,
            "trail": _trail(evaluation),
            "zone": evaluation.agency.zone,
            "confirmed_by": person_name(evaluation.confirmed_by),
        },
        status=status,
    )


@page
def evaluation_detail(request, access: Access, pk: int):
    """One person's month with the numbers behind it, for whoever may read it."""
    evaluation = visible_or_404(selectors.evaluations_visible(access), pk)
    return _render_detail(request, access, evaluation)


@page
def evaluation_mine(request, access: Access):
    """The caller's own months, the chosen one (the latest by default) in full."""
    evaluations = []
    if access.employee is not None:
        evaluations = list(
            Evaluation.objects.filter(employee=access.employee)
            .select_related("employee", "unit", "agency", "confirmed_by__employee")
            .order_by("-period")
        )
    chosen = evaluations[0] if evaluations else None
    period = rules.parse_period(request.GET.get("period"))
    if period is not None:
        chosen = next((e for e in evaluations if e.period == period), None)
    return render(
        request,
        "performance/evaluation_mine.html",
        {
            "has_employee": access.employee is not None,
            "evaluations": evaluations,
            "evaluation": chosen,
            "zone": chosen.agency.zone if chosen else "WIB",
            "confirmed_by": person_name(chosen.confirmed_by) if chosen else None,
        },
    )


# --- BKPSDM's overview ---------------------------------------------------------------------------


def _overview_units(access: Access, agency: Agency) -> list[Unit]:
    opds = list(Unit.objects.filter(agency=agency, parent__isnull=True, is_active=True))
    if selectors.reads_all_units(access, agency.pk):
        return opds
    if agency.pk != access.agency_id:
        return []
    paths = access.unit_paths(Role.ADMIN_OPD, Role.KEPALA_OPD)
    return [u for u in opds if any(u.path.startswith(p) for p in paths)]


def _render_overview(request, access: Access, *, period=None, run_form=None, status=200):
    agency = chosen_agency(request, access)
    agencies = access.agencies().order_by("name") if access.is_operator else None
    if agency is None:
        context = {"agency": None, "agencies": agencies}
        return render(request, "performance/evaluation_overview.html", context, status=status)
    units = _overview_units(access, agency)
    deny(bool(units), _("Only BKPSDM, pimpinan and the OPDs' heads and admins see this."))
    if period is None:
        period = _period(request, agency)
    summaries = {
        s.unit_id: s
        for s in UnitEvaluation.objects.filter(
            agency=agency, period=period, unit__in=units
        ).select_related("sent_by__employee")
    }
    rows = []
    for unit in sorted(units, key=lambda u: u.name):
        summary = summaries.get(unit.pk)
        ratings = summary.figures.get("ratings", {}) if summary else {}
        rows.append(
            {
                "unit": unit,
                "summary": summary,
                "url": unit_url(unit.pk, period),
                "counts": [ratings.get(v, 0) if summary else None for v in RATINGS.values],
            }
        )
    shown = [r for r in rows if r["summary"] is not None]
    chart = {
        "labels": [r["unit"].name for r in shown],
        "series": [
            {
                "label": str(label),
                "colour": colour,
                "data": [r["summary"].figures.get("ratings", {}).get(value, 0) for r in shown],
            }
            for (value, label), colour in zip(RATINGS.choices, COLOURS, strict=True)
        ],
    }
    may_run = selectors.runs_evaluation(access, agency.pk)
    if may_run and run_form is None:
        run_form = RunForm(initial={"period": f"{period:%Y-%m}"})
    return render(
        request,
        "performance/evaluation_overview.html",
        {
            "agency": agency,
            "agencies": agencies,
            "period": period,
            "months": _months(period),
            "rows": rows,
            "ratings": RATINGS.choices,
            "sent": sum(1 for r in shown if r["summary"].sent_at),
            "chart": chart,
            "produced": bool(shown),
            "may_run": may_run,
            "run_form": run_form,
        },
        status=status,
    )


@page
def evaluation_overview(request, access: Access):
    """Every OPD's month side by side: ratings, mean score, sent or not, and a chart."""
    return _render_overview(request, access)


@require_POST
@page
def evaluation_run(request, access: Access):
    """BKPSDM runs the month now; refused months show on the form."""
    agency = chosen_agency(request, access)
    if agency is None:
        raise Http404(_("Choose an agency."))
    deny(selectors.runs_evaluation(access, agency.pk))
    form = RunForm(request.POST)
    if form.is_valid():
        period = form.cleaned_data["period"]
        try:
            counts = services.evaluation_run(agency=agency, period=period, actor=request.user)
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(month)s was evaluated for %(n)d employees.")
                % {"month": date_format(period, "F Y"), "n": counts["employees"]},
            )
            query = urlencode({"period": f"{period:%Y-%m}", "agency": agency.pk})
            return redirect(reverse("performance-evaluation-overview") + "?" + query)
    period = form.cleaned_data.get("period") if hasattr(form, "cleaned_data") else None
    if period is None:
        config = selectors.performance_config(agency)
        period = selectors.default_period(calendar_for(agency), config)
    return _render_overview(request, access, period=period, run_form=form, status=400)


urlpatterns = [
    path("evaluations/", evaluation_overview, name="performance-evaluation-overview"),
    path("evaluations/run/", evaluation_run, name="performance-evaluation-run"),
    path("evaluations/unit/", evaluation_unit, name="performance-evaluation-unit"),
    path("evaluations/mine/", evaluation_mine, name="performance-evaluation-mine"),
    path("evaluations/<int:pk>/", evaluation_detail, name="performance-evaluation-detail"),
    path(
        "evaluations/<int:pk>/confirm/", evaluation_confirm, name="performance-evaluation-confirm"
    ),
    path("evaluations/units/<int:pk>/send/", evaluation_send, name="performance-evaluation-send"),
]
