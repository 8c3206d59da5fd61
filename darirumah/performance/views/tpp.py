"""TPP pages: the monthly allowance list per unit (with each person's breakdown, totals, the XLSX
download and, for BKPSDM, the run), one person's own allowance, and the agency's performance
rules form for BKPSDM. Rules live in rules/tpp.py and the services; these parse, call, show."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from darirumah.core.calendar import calendar_for
from darirumah.core.errors import DomainError
from darirumah.org.access import Access
from darirumah.org.forms import BootstrapForm
from darirumah.org.models import Agency, Employee, Unit
from darirumah.org.views.common import chosen_agency, deny, page, visible_or_404
from darirumah.roster.models import Mode

from .. import config as performance_config
from .. import tpp_xlsx
from ..models.evaluation import Rating
from ..rules.tpp import rounding_rule_text
from ..selectors import tpp as selectors
from ..services import rules_config as rules_services
from ..services import tpp as services

PAGE_SIZE = 100


def _period(request, agency: Agency) -> date:
    """The month asked for (`?period=YYYY-MM`), else the current month in the agency's zone."""
    raw = request.GET.get("period") or request.POST.get("period")
    if raw:
        try:
            return selectors.parse_period(raw)
        except DomainError as exc:
            messages.error(request, exc.message)
    return calendar_for(agency).today().replace(day=1)


def _unit(request, access: Access) -> Unit | None:
    raw = request.GET.get("unit")
    if not raw:
        return None
    try:
        pk = int(raw)
    except ValueError:
        raise Http404(_("Not found, or not visible to you.")) from None
    unit = visible_or_404(access.units().select_related("agency"), pk)
    deny(selectors.reads_unit_tpp(access, unit), _("You do not read the allowance of this unit."))
    return unit


def _agency_and_unit(request, access: Access) -> tuple[Agency | None, Unit | None]:
    """The agency of the page (`?agency=`, else the unit's, else the caller's) and the unit."""
    unit = _unit(request, access)
    if unit is not None and not request.GET.get("agency"):
        return unit.agency, unit
    agency = chosen_agency(request, access)
    if unit is not None and agency is not None and unit.agency_id != agency.pk:
        raise Http404(_("Not found, or not visible to you."))
    return agency, unit


def unit_choices(access: Access, agency: Agency) -> list[Unit]:
    """The units whose list the caller may open (a fixed number of queries)."""
    units = Unit.objects.filter(agency=agency, is_active=True).order_by("path")
    if access.is_operator or (
        access.agency_id == agency.pk and (access.is_bkpsdm or access.is_pimpinan)
    ):
        return list(units)
    paths = set(access.unit_paths())
    if access.employee is not None and access.employee.agency_id == agency.pk:
        paths.add(access.employee.unit.path)
    if access.subordinate_ids:
        paths |= set(
            Employee.objects.filter(pk__in=access.subordinate_ids, agency=agency).values_list(
                "unit__path", flat=True
            )
        )
    return [u for u in units if any(u.path.startswith(p) for p in paths)]


def _reason(code: str) -> str:
    return {
        "absent": _("Absent"),
        "no_report": _("Worked away from the office without a daily report"),
        "leave": _("Leave"),
        "excused": _("Excused"),
    }.get(code, code)


def _minutes(band: dict, previous: int | None) -> str:
    start = (previous or 0) + 1
    if band["up_to_minutes"] is None:
        return _("over %(n)d min") % {"n": previous or 0}
    return _("%(start)d–%(end)d min") % {"start": start, "end": band["up_to_minutes"]}


def _bands(bands: list[dict]) -> list[dict]:
    out, previous = [], None
    for band in bands:
        out.append({**band, "label": _minutes(band, previous)})
        previous = band["up_to_minutes"]
    return out


def breakdown_view(breakdown: dict) -> dict:
    """The stored breakdown with labels a person reads."""
    modes = dict(Mode.choices)
    worked = breakdown.get("worked", {})
    absences = breakdown.get("absences", {})
    return {
        **breakdown,
        "worked_rows": [
            (modes.get(m, m), worked.get(m, 0))
            for m in ("WFO", "WFH", "WFA", "ISOLATION", "DUTY")
            if worked.get(m)
        ],
        "late_bands": _bands(breakdown.get("late", {}).get("bands", [])),
        "early_bands": _bands(breakdown.get("early_leave", {}).get("bands", [])),
        "absence_rows": [
            (date.fromisoformat(a["date"]), _reason(a["reason"])) for a in absences.get("dates", [])
        ],
        "excused_rows": [
            (date.fromisoformat(a["date"]), _reason(a["reason"]))
            for a in breakdown.get("excused", [])
        ],
    }


def _query(**params) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


@page
def tpp_list(request, access: Access):
    """The month's allowance lines the caller reads, per unit, with totals and breakdowns."""
    agency, unit = _agency_and_unit(request, access)
    agencies = access.agencies().order_by("name") if access.is_operator else None
    if agency is None:
        return render(request, "performance/tpp_list.html", {"agency": None, "agencies": agencies})
    period = _period(request, agency)
    qs = selectors.tpp_lines(access, period=period, unit=unit, agency=agency)
    totals = selectors.tpp_totals(qs)
    paginator = Paginator(qs, PAGE_SIZE)
    paginator.count = totals["lines"]  # known already: no second count query
    page_obj = paginator.get_page(request.GET.get("page"))
    lines = list(page_obj.object_list)
    for line in lines:
        line.view = breakdown_view(line.breakdown)
    query = _query(period=period.strftime("%Y-%m"), unit=unit.pk if unit else None)
    if access.agency_id != agency.pk:
        query = _query(
            period=period.strftime("%Y-%m"), unit=unit.pk if unit else None, agency=agency.pk
        )
    return render(
        request,
        "performance/tpp_list.html",
        {
            "agency": agency,
            "agencies": agencies,
            "period": period,
            "unit": unit,
            "units": unit_choices(access, agency),
            "lines": lines,
            "page_obj": page_obj,
            "totals": totals,
            "query": query,
            "export_url": reverse("performance-tpp-export") + "?" + query,
            "runs": selectors.runs_tpp(access, agency),
            "rounding_rule": rounding_rule_text(),
        },
    )


@page
def tpp_export(request, access: Access):
    """The list as XLSX: header rows, one row per person with a unit column, totals."""
    agency, unit = _agency_and_unit(request, access)
    if agency is None:
        raise Http404(_("Choose an agency."))
    period = _period(request, agency)
    qs = selectors.tpp_lines(access, period=period, unit=unit, agency=agency)
    content = tpp_xlsx.build(
        agency_name=agency.name,
        period=period,
        lines=qs.iterator(chunk_size=2000),
        generated=calendar_for(agency).now().strftime("%Y-%m-%d %H:%M ") + agency.zone,
    )
    response = HttpResponse(content, content_type=tpp_xlsx.CONTENT_TYPE)
    name = tpp_xlsx.filename(period, unit.code if unit else None)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@page
def tpp_run(request, access: Access):
    """Compute the month again (BKPSDM of the agency, the operator), then show the list."""
    agency = chosen_agency(request, access)
    if agency is None:
        raise Http404(_("Choose an agency."))
    deny(selectors.runs_tpp(access, agency), _("Only BKPSDM of the agency runs the allowance."))
    try:
        period = selectors.parse_period(request.POST.get("period"))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("performance-tpp-list") + "?" + _query(agency=agency.pk))
    counts = services.tpp_run(agency=agency, period=period)
    messages.success(
        request,
        ngettext(
            "The allowance of %(month)s was computed for %(n)d person.",
            "The allowance of %(month)s was computed for %(n)d people.",
            counts["lines"],
        )
        % {"month": period.strftime("%m/%Y"), "n": counts["lines"]},
    )
    query = _query(period=period.strftime("%Y-%m"), agency=agency.pk)
    return redirect(reverse("performance-tpp-list") + "?" + query)


@page
def tpp_mine(request, access: Access):
    """The caller's own allowance: the chosen month's breakdown and the last months."""
    if access.employee is None:
        raise Http404(_("You have no employee record."))
    lines = selectors.own_lines(access)
    raw = request.GET.get("period")
    line = lines[0] if lines else None
    if raw:
        try:
            period = selectors.parse_period(raw)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            line = next((x for x in lines if x.period == period), None)
            if line is None:
                line = (
                    selectors.lines_visible(access)
                    .filter(employee=access.employee, period=period)
                    .first()
                )
    if line is not None:
        line.view = breakdown_view(line.breakdown)
    return render(
        request,
        "performance/tpp_mine.html",
        {"line": line, "lines": lines, "rounding_rule": rounding_rule_text()},
    )


# --- the agency's performance rules ------------------------------------------------------------

BAND_ROWS = 5
BAND_KINDS = ("late_bands", "early_leave_bands")


def _number(label, *, whole=False, required=True, **kw):
    if whole:
        return forms.IntegerField(label=label, required=required, **kw)
    return forms.DecimalField(label=label, required=required, max_digits=16, **kw)


class RulesForm(BootstrapForm):
    """The performance rules as a plain form; names are the settings' paths joined by "__"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        f = self.fields
        for job_class in range(1, 18):
            f[f"tpp__base_by_job_class__{job_class}"] = _number(
                _("Class %(n)d") % {"n": job_class}, required=False, min_value=0, decimal_places=0
            )
        f["tpp__performance_weight"] = _number(_("Performance part (%)"))
        f["tpp__discipline_weight"] = _number(_("Discipline part (%)"))
        for kind in BAND_KINDS:
            for i in range(BAND_ROWS):
                up, pct = f"tpp__{kind}__{i}__up_to_minutes", f"tpp__{kind}__{i}__percent"
                f[up] = _number(_("Up to minutes"), whole=True, required=False)
                f[pct] = _number(_("Percent"), required=False)
                for name in (up, pct):  # the band tables show no <label>
                    f[name].widget.attrs["aria-label"] = f"{f[name].label} ({i + 1})"
        f["tpp__no_checkin_percent"] = _number(_("Check-out without check-in (%)"))
        f["tpp__absence_mode"] = forms.ChoiceField(
            label=_("Unexcused absence"),
            choices=[
                ("percent", _("A percent of the monthly allowance a day")),
                ("day_share", _("The day's share (allowance / working days) a day")),
            ],
        )
        f["tpp__absence_percent"] = _number(_("Absence, percent a day"))
        f["tpp__medium_sanction_cut_percent"] = _number(_("Medium sanction cut (%)"))
        for name, label in (
            ("targets", _("Targets")),
            ("reports", _("Daily reports")),
            ("attendance", _("Attendance")),
            ("vicon", _("Video calls")),
        ):
            f[f"evaluation__weights__{name}"] = _number(label)
        ratings = dict(Rating.choices)
        for name in performance_config.RatingThresholds.model_fields:
            f[f"evaluation__thresholds__{name}"] = _number(
                _("Lowest score: %(rating)s") % {"rating": ratings[name]}
            )
        f["evaluation__run_on_day"] = _number(
            _("Evaluation day of the month (empty: last working day)"),
            whole=True,
            required=False,
        )
        f["discipline__decision_days"] = _number(_("Days to decide a case"), whole=True)
        f["discipline__missed_target_percent"] = _number(_("Missed targets below (%)"))
        f["discipline__consecutive_absence_days"] = _number(
            _("Consecutive absence days"), whole=True
        )
        _bootstrap_again(self)

    def band_rows(self, kind: str) -> list[tuple]:
        return [
            (self[f"tpp__{kind}__{i}__up_to_minutes"], self[f"tpp__{kind}__{i}__percent"])
            for i in range(BAND_ROWS)
        ]

    def late_rows(self):
        return self.band_rows("late_bands")

    def early_rows(self):
        return self.band_rows("early_leave_bands")

    def fields_under(self, prefix: str):
        return [self[name] for name in self.fields if name.startswith(prefix)]

    def job_classes(self):
        return self.fields_under("tpp__base_by_job_class__")


def _bootstrap_again(form) -> None:
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)


def initial_of(config: performance_config.PerformanceConfig) -> dict:
    data = performance_config.dump(config)
    initial: dict = {}

    def walk(value, key):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{key}__{k}" if key else str(k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{key}__{i}")
        else:
            initial[key] = value

    walk(data, "")
    return initial


def data_of(cleaned: dict, current: performance_config.PerformanceConfig) -> dict:
    """The form's values as the rules' JSON (parts the form does not show are kept)."""
    data = performance_config.dump(current)

    def text(value):
        return None if value is None else str(value)

    tpp = data["tpp"]
    tpp["base_by_job_class"] = {
        str(n): str(cleaned[f"tpp__base_by_job_class__{n}"])
        for n in range(1, 18)
        if cleaned.get(f"tpp__base_by_job_class__{n}") is not None
    }
    for kind in BAND_KINDS:
        rows = [
            (
                cleaned.get(f"tpp__{kind}__{i}__up_to_minutes"),
                cleaned.get(f"tpp__{kind}__{i}__percent"),
            )
            for i in range(BAND_ROWS)
        ]
        while rows and rows[-1] == (None, None):
            rows.pop()
        tpp[kind] = [{"up_to_minutes": up, "percent": text(pct)} for up, pct in rows]
    for name, value in cleaned.items():
        parts = name.split("__")
        if parts[1] in ("base_by_job_class", *BAND_KINDS):
            continue
        target = data[parts[0]] if len(parts) == 2 else data[parts[0]][parts[1]]
        target[parts[-1]] = value if isinstance(value, int | str) or value is None else text(value)
    return data


def _errors_on(form: RulesForm, exc: DomainError) -> None:
    form.add_error(None, exc.message)
    for key, texts in exc.fields.items():
        name = key.replace(".", "__")
        for message in texts:
            if name in form.fields:
                form.add_error(name, message)
            else:
                form.add_error(None, message)


@page
def performance_rules(request, access: Access):
    """The agency's performance rules for BKPSDM: TPP table, weights, bands, absence mode,
    evaluation weights and thresholds, discipline deadlines."""
    agency = chosen_agency(request, access)
    agencies = access.agencies().order_by("name") if access.is_operator else None
    if agency is None:
        return render(
            request, "performance/performance_rules.html", {"agency": None, "agencies": agencies}
        )
    deny(selectors.edits_rules(access, agency), _("Only BKPSDM changes the performance rules."))
    rule_set = selectors.rule_set(agency)
    current = selectors.config_of(agency, rule_set)
    form = RulesForm(request.POST or None, initial=initial_of(current))
    if request.method == "POST" and form.is_valid():
        try:
            rules_services.rules_config_update(
                access=access, agency=agency, data=data_of(form.cleaned_data, current)
            )
        except DomainError as exc:
            if exc.status != 400:
                raise
            _errors_on(form, exc)
        else:
            messages.success(request, _("The performance rules were saved."))
            return redirect(reverse("performance-rules") + "?" + _query(agency=agency.pk))
    return render(
        request,
        "performance/performance_rules.html",
        {
            "agency": agency,
            "agencies": agencies,
            "form": form,
            "rule_set": rule_set,
        },
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("tpp/", tpp_list, name="performance-tpp-list"),
    path("tpp/export.xlsx", tpp_export, name="performance-tpp-export"),
    path("tpp/run/", tpp_run, name="performance-tpp-run"),
    path("tpp/mine/", tpp_mine, name="performance-tpp-mine"),
    path("rules/", performance_rules, name="performance-rules"),
]
