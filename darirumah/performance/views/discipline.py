"""Performance pages: discipline cases — the list (overdue recommendations highlighted), a case
with its evidence and the decision form, and a case opened by hand. The rules are in
services/discipline.py; these parse, call and show."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from darirumah.core.calendar import zone_info
from darirumah.core.errors import DomainError, NotAllowed, NotFound
from darirumah.org.access import Access
from darirumah.org.forms import BootstrapForm
from darirumah.org.models import Employee, Unit
from darirumah.org.rules import normalise_nip
from darirumah.org.views.common import (
    add_domain_errors,
    deny,
    history_rows,
    page,
    visible_or_404,
)

from ..models import DisciplineCase
from ..rules import discipline as rules
from ..selectors import discipline as selectors
from ..services import discipline as services

PAGE_SIZE = 25
DATALIST_LIMIT = 200
LEVEL_CSS = {"ringan": "info", "sedang": "warning", "berat": "danger"}
STATUS_CSS = {"recommended": "secondary", "accepted": "success", "changed": "primary"}


def _dress(case: DisciplineCase) -> DisciplineCase:
    """The badges' colours, for the templates."""
    case.level_css = LEVEL_CSS.get(case.level or case.recommended_level, "secondary")
    case.status_css = STATUS_CSS.get(case.status, "light")
    return case


def _choices(enum, empty: str) -> list[tuple[str, str]]:
    return [("", empty), *enum.choices]


def _sanction_choices() -> list:
    """Sanctions grouped under their level, so the form shows which belongs to which."""
    return [("", gettext_lazy("Choose a sanction"))] + [
        (
            level.label,
            [(s, DisciplineCase.Sanction(s).label) for s in rules.sanctions_of(level.value)],
        )
        for level in DisciplineCase.Level
    ]


class FilterForm(BootstrapForm):
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit"), queryset=Unit.objects.none(), required=False
    )
    overdue = forms.BooleanField(label=gettext_lazy("Overdue only"), required=False)
    employee = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, access: Access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = _choices(DisciplineCase.Status, _("All"))
        self.fields["unit"].queryset = access.units().filter(is_active=True).order_by("path")
        self.fields["unit"].empty_label = _("All units")


@page
def discipline_list(request, access: Access):
    form = FilterForm(request.GET or None, access=access)
    filters = form.cleaned_data if form.is_valid() else {}
    person = None
    if filters.get("employee"):
        person = visible_or_404(access.employees(), filters["employee"])
    cases = selectors.case_list(
        access,
        status=filters.get("status") or None,
        unit=filters.get("unit"),
        employee=person,
        overdue=True if filters.get("overdue") else None,
    )
    page_obj = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page_obj.object_list)
    for case in rows:
        _dress(case)
    return render(
        request,
        "performance/discipline_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "cases": rows,
            "person": person,
            "may_open": selectors.may_open_any(access),
        },
    )


class DecisionForm(BootstrapForm):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        widget=forms.RadioSelect,
        choices=[
            ("accept", gettext_lazy("Accept the recommendation")),
            ("change", gettext_lazy("Change the level and sanction")),
            ("dismiss", gettext_lazy("Dismiss: no sanction")),
        ],
    )
    level = forms.ChoiceField(
        label=gettext_lazy("Level (when changing)"),
        required=False,
        choices=_choices(DisciplineCase.Level, "—"),
    )
    sanction = forms.ChoiceField(label=gettext_lazy("Sanction (when changing)"), required=False)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=services.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Required for every decision; the employee reads it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sanction"].choices = _sanction_choices()


def _evidence_months(dates: list[str]) -> list[tuple[str, list[str]]]:
    """ISO dates grouped by month ("2026-08" → ["2026-08-03", …]), for a compact list."""
    months: dict[str, list[str]] = {}
    for day in dates:
        months.setdefault(day[:7], []).append(day)
    return list(months.items())


@page
def discipline_detail(request, access: Access, pk: int):
    case = _dress(visible_or_404(selectors.cases_visible(access), pk))
    may_decide = case.status == DisciplineCase.Status.RECOMMENDED and selectors.decides_case(
        access, case
    )
    form = DecisionForm(request.POST or None) if may_decide else None
    if request.method == "POST":
        if case.status != DisciplineCase.Status.RECOMMENDED:
            messages.warning(request, _("This case is already decided; a decision is final."))
            return redirect("performance-discipline-detail", pk=case.pk)
        deny(may_decide, _("You cannot decide this case."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.case_decide(
                    access=access,
                    case=case,
                    decision=data["decision"],
                    reason=data["reason"],
                    level=data["level"] or None,
                    sanction=data["sanction"] or None,
                )
            except (NotAllowed, NotFound):
                raise
            except DomainError as exc:
                add_domain_errors(form, exc)
            else:
                messages.success(request, _("The decision is saved."))
                return redirect("performance-discipline-detail", pk=case.pk)
    context = {
        "case": case,
        "form": form,
        "evidence": case.evidence,
        "date_months": _evidence_months(case.evidence.get("dates", [])),
        "zone": zone_info(case.agency.zone),
    }
    if access.can_view_history(case):
        context["history"] = history_rows(case)
    return render(
        request,
        "performance/discipline_detail.html",
        context,
        status=400 if form is not None and form.errors else 200,
    )


class CaseForm(BootstrapForm):
    nip = forms.CharField(
        label=gettext_lazy("Employee (NIP)"),
        max_length=30,
        help_text=gettext_lazy("Type the name or the NIP and pick the person."),
    )
    level = forms.ChoiceField(
        label=gettext_lazy("Level"), choices=_choices(DisciplineCase.Level, "—")
    )
    sanction = forms.ChoiceField(label=gettext_lazy("Sanction"))
    summary = forms.CharField(label=gettext_lazy("What happened"), max_length=services.MAX_SUMMARY)
    evidence_text = forms.CharField(
        label=gettext_lazy("Evidence"),
        required=False,
        max_length=services.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("The facts, with dates, and where they are recorded."),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        self.fields["sanction"].choices = _sanction_choices()
        self.fields["nip"].widget.attrs.update({"list": "discipline-people", "autocomplete": "off"})

    def clean_nip(self) -> Employee:
        nip = normalise_nip(self.cleaned_data["nip"])
        person = self.people.filter(nip=nip).first()
        if person is None:
            raise forms.ValidationError(_("Nobody you may open a case about has this NIP."))
        return person


def _int_or_404(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise Http404(_("Not found, or not visible to you.")) from None


@page
def discipline_new(request, access: Access):
    deny(selectors.may_open_any(access), _("Only supervisors, unit heads and BKPSDM open cases."))
    people = selectors.people_for_cases(access)
    initial = {}
    raw = request.GET.get("employee")
    if raw:
        person = visible_or_404(access.employees().select_related("unit"), _int_or_404(raw))
        deny(selectors.opens_case(access, person), _("You cannot open a case about this person."))
        initial["nip"] = person.nip
    form = CaseForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_create(
                access=access,
                employee=data["nip"],
                level=data["level"],
                sanction=data["sanction"],
                summary=data["summary"],
                evidence_text=data["evidence_text"],
            )
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("The case is opened and awaits a decision."))
            return redirect("performance-discipline-detail", pk=case.pk)
    few = people[: DATALIST_LIMIT + 1]
    return render(
        request,
        "performance/discipline_new.html",
        {
            "form": form,
            # Up to DATALIST_LIMIT names to pick from; beyond (BKPSDM's whole agency) the NIP is
            # typed, or the page is opened from the person's cases (?employee=).
            "people": few if len(few) <= DATALIST_LIMIT else [],
        },
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("discipline/", discipline_list, name="performance-discipline-list"),
    path("discipline/new/", discipline_new, name="performance-discipline-new"),
    path("discipline/<int:pk>/", discipline_detail, name="performance-discipline-detail"),
]
