"""The effectiveness review page of a circular (R2, R3): "is WFH working?" for the mayor, the
figures per OPD with a daily chart, the decisions taken, and leadership's decision form. An htmx
request gets the summary card shown on the circular's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from darirumah.core.calendar import calendar_for
from darirumah.core.errors import DomainError, NotAllowed, NotFound
from darirumah.org.access import Access
from darirumah.org.forms import BootstrapForm
from darirumah.org.models import Unit
from darirumah.org.views.common import add_domain_errors, deny, page, visible_or_404

from . import rules_effectiveness as fx
from . import selectors_effectiveness as selectors
from . import services_effectiveness as services
from .models import Circular, EffectivenessDecision

VERDICTS = {
    fx.Verdict.EFFECTIVE: (gettext_lazy("Effective"), "text-bg-success"),
    fx.Verdict.NOT_EFFECTIVE: (gettext_lazy("Below the threshold"), "text-bg-danger"),
    fx.Verdict.NO_DATA: (gettext_lazy("No data"), "text-bg-secondary"),
}
RECOMMENDATIONS = {
    fx.Recommendation.CONTINUE: gettext_lazy("Continue WFH"),
    fx.Recommendation.ADJUST: gettext_lazy("Continue, but adjust these OPDs"),
    fx.Recommendation.WITHDRAW: gettext_lazy("Withdraw WFH"),
    fx.Recommendation.NO_DATA: gettext_lazy("Not enough data to recommend anything yet"),
}


def pct(value: Decimal | None, *, signed: bool = False) -> str:
    """0.8333 → "83.3%"; None → "—"."""
    if value is None:
        return "—"
    number = (value * 100).quantize(Decimal("0.1"))
    text = f"{number:f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return f"{'+' if signed and number > 0 else ''}{text}%"


def _chart_value(value: Decimal | None) -> float | None:
    # A chart point, not a stored figure: a float is what Chart.js reads.
    return None if value is None else float(value * 100)


@dataclass
class RowView:
    name: str
    unit: int | None
    verdict: str
    verdict_label: str
    verdict_css: str
    wfh_days: int
    wfo_days: int
    wfh_done: str
    wfo_done: str
    gap: str
    wfh_targets: str
    wfo_targets: str
    checkin: str
    on_time: str
    vicon: str
    reports: str


def row_view(row: fx.Row, name: str) -> RowView:
    label, css = VERDICTS[row.verdict]
    everyone = row.everyone
    return RowView(
        name=name,
        unit=row.unit,
        verdict=row.verdict.value,
        verdict_label=str(label),
        verdict_css=css,
        wfh_days=row.wfh.person_days,
        wfo_days=row.wfo.person_days,
        wfh_done=pct(row.wfh.done_share),
        wfo_done=pct(row.wfo.done_share),
        gap=pct(row.gap, signed=True),
        wfh_targets=pct(row.wfh_progress.value),
        wfo_targets=pct(row.wfo_progress.value),
        checkin=pct(everyone.checkin_compliance),
        on_time=pct(everyone.on_time_share),
        vicon=pct(everyone.vicon_attendance),
        reports=pct(everyone.done_share),
    )


def chart_data(review: selectors.Review) -> dict:
    points = review.series
    return {
        "labels": [date_format(p.day, "D j M") for p in points],
        "series": [
            {
                "key": "wfh",
                "label": _("WFH: tasks done"),
                "data": [_chart_value(p.wfh.done_share) for p in points],
            },
            {
                "key": "wfo",
                "label": _("WFO: tasks done"),
                "data": [_chart_value(p.wfo.done_share) for p in points],
            },
            {
                "key": "checkin",
                "label": _("Check-in compliance"),
                "data": [_chart_value(p.everyone.checkin_compliance) for p in points],
            },
            {
                "key": "vicon",
                "label": _("Video-call attendance"),
                "data": [_chart_value(p.everyone.vicon_attendance) for p in points],
            },
        ],
        "threshold": float(review.threshold * 100),
        "threshold_label": _("Threshold"),
    }


class DecisionForm(BootstrapForm):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=EffectivenessDecision.Decision.choices,
        widget=forms.RadioSelect,
    )
    units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Units to adjust"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Only when the decision is to adjust."),
    )
    note = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, units: list[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
        self.fields["units"].label_from_instance = lambda u: u.name


def _circular(access: Access, pk: int) -> Circular:
    circular = visible_or_404(selectors.circulars(access), pk)
    deny(
        selectors.may_read_review(access, circular),
        _("Only leadership, BKPSDM and unit heads read the effectiveness review."),
    )
    return circular


def _through(request) -> date | None:
    raw = request.GET.get("through")
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        messages.warning(request, _("%(value)s is not a date; showing today.") % {"value": raw})
        return None


def _context(request, access: Access, circular: Circular, form=None) -> dict:
    review = selectors.review_for(circular, through=_through(request))
    names = review.opd_names
    can_decide = access.decides_policy(circular.agency_id)
    in_force = circular.status in Circular.IN_FORCE
    if form is None and can_decide and in_force:
        scope = selectors.scope(circular)
        below = [pk for pk in review.below if pk in scope.units]
        initial = {"units": below} if review.recommendation == fx.Recommendation.ADJUST else {}
        form = DecisionForm(units=list(scope.units.values()), initial=initial)
    return {
        "circular": circular,
        "review": review,
        "zone": calendar_for(circular.agency).tz,
        "overall": row_view(review.overall, _("All covered OPDs")),
        "rows": [row_view(r, names.get(r.unit, "")) for r in review.opds],
        "recommendation": RECOMMENDATIONS[review.recommendation],
        "below_names": [names.get(pk, "") for pk in review.below],
        "threshold": pct(review.threshold),
        "chart": chart_data(review),
        "decisions": selectors.decisions(circular),
        "can_decide": can_decide,
        "in_force": in_force,
        "form": form,
    }


def _partial_wanted(request) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


@page
def circular_effectiveness(request, access: Access, pk: int):
    circular = _circular(access, pk)
    template = "policy/effectiveness.html"
    if _partial_wanted(request):
        template = "policy/effectiveness_card.html"
    response = render(request, template, _context(request, access, circular))
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_POST
@page
def circular_decision(request, access: Access, pk: int):
    circular = _circular(access, pk)
    deny(access.decides_policy(circular.agency_id))
    scope = selectors.scope(circular)
    form = DecisionForm(request.POST, units=list(scope.units.values()))
    if form.is_valid():
        try:
            record = services.decision_record(
                access=access,
                circular=circular,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                units=list(form.cleaned_data["units"]),
            )
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(
                request,
                _("Decision on circular %(n)s recorded: %(decision)s.")
                % {"n": circular.number, "decision": record.get_decision_display()},
            )
            return redirect("circular_effectiveness", pk=circular.pk)
    return render(
        request, "policy/effectiveness.html", _context(request, access, circular, form=form)
    )


urlpatterns = [
    path("<int:pk>/effectiveness/", circular_effectiveness, name="circular_effectiveness"),
    path("<int:pk>/decision/", circular_decision, name="circular_decision"),
]
