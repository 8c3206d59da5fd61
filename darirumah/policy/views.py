"""Circular pages: list, detail, the draft form (with its cap preview) and the lifecycle steps."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from darirumah.core.calendar import calendar_for
from darirumah.core.errors import DomainError
from darirumah.org.access import Access
from darirumah.org.views.common import (
    add_domain_errors,
    chosen_agency,
    deny,
    history_rows,
    page,
    visible_or_404,
)

from . import rules, selectors, services
from .forms import CircularForm, ExtendForm, NoteForm, WithdrawForm
from .forms.fields import lenient_caps
from .models import Circular


def _circulars(access: Access):
    return Circular.objects.filter(agency__in=access.agencies()).select_related("agency")


@page
def circular_list(request, access: Access):
    agency = chosen_agency(request, access)
    circulars = _circulars(access).filter(agency=agency) if agency else Circular.objects.none()
    context = {
        "agency": agency,
        "circulars": circulars.prefetch_related("units", "offices"),
        "can_decide": agency is not None and access.decides_policy(agency.pk),
        "agencies": access.agencies() if access.is_operator else None,
    }
    return render(request, "policy/circular_list.html", context)


@page
def circular_detail(request, access: Access, pk: int):
    circular = visible_or_404(
        _circulars(access).prefetch_related("units", "offices", "early_starts__unit"), pk
    )
    can_decide = access.decides_policy(circular.agency_id)
    ruleset = services.current_rules(circular)
    context = {
        "circular": circular,
        "zone": calendar_for(circular.agency).tz,
        "ruleset": ruleset,
        "summary": selectors.rule_summary(circular.agency, ruleset),
        "versions": selectors.version_rows(circular),
        "events": circular.events.select_related("actor"),
        "can_decide": can_decide,
        "note_form": NoteForm(),
        "extend_form": ExtendForm(initial={"ends_on": circular.ends_on}),
        "withdraw_form": WithdrawForm(),
    }
    if access.can_view_history(circular.agency):
        context["history"] = history_rows(circular)
    return render(request, "policy/circular_detail.html", context)


def _form(request, access, agency, circular=None):
    ruleset = services.current_rules(circular) if circular else rules.RuleSet()
    initial = {}
    if circular is not None:
        initial = {name: getattr(circular, name) for name in CircularForm.CIRCULAR_FIELDS}
        initial["units"] = list(circular.units.all())
    return CircularForm(
        request.POST if request.method == "POST" else None,
        agency=agency,
        ruleset=ruleset,
        initial=initial,
    )


def _form_context(form, agency, **extra) -> dict:
    preview = form.preview_rules()
    return {
        "form": form,
        "agency": agency,
        "preset_today": selectors.preset_text(agency, preview.cap_sector),
        "cap_rows": selectors.cap_rows(agency, preview, form.offices),
        **extra,
    }


def _warn(request, form) -> None:
    for warning in form.warnings:
        messages.warning(request, warning)


@page
def circular_create(request, access: Access):
    agency = chosen_agency(request, access)
    if agency is None:
        return redirect("circular_list")
    deny(access.decides_policy(agency.pk))
    form = _form(request, access, agency)
    if request.method == "POST" and form.is_valid():
        try:
            circular = services.circular_create(
                access=access,
                agency=agency,
                rules_data=form.rules_data(),
                units=list(form.cleaned_data["units"]),
                **form.circular_fields(),
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(
                request, _("The draft circular %(n)s was saved.") % {"n": circular.number}
            )
            _warn(request, form)
            return redirect("circular_detail", pk=circular.pk)
    return render(request, "policy/circular_form.html", _form_context(form, agency))


@page
def circular_edit(request, access: Access, pk: int):
    circular = visible_or_404(_circulars(access), pk)
    deny(access.decides_policy(circular.agency_id))
    form = _form(request, access, circular.agency, circular)
    draft = circular.status == Circular.Status.DRAFT
    if request.method == "POST" and form.is_valid():
        extra = (
            {"units": list(form.cleaned_data["units"]), **form.circular_fields()} if draft else {}
        )
        try:
            services.circular_update(
                access=access,
                circular=circular,
                rules_data=form.rules_data(),
                note=_("Changed on the circular page"),
                **extra,
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("The circular was saved."))
            _warn(request, form)
            return redirect("circular_detail", pk=circular.pk)
    context = _form_context(form, circular.agency, circular=circular, draft=draft)
    return render(request, "policy/circular_form.html", context)


@page
def circular_cap_preview(request, access: Access):
    """The per-office cap table for the caps typed so far (htmx, from the circular form)."""
    agency = chosen_agency(request, access)
    if agency is None:
        raise Http404(_("Not found, or not visible to you."))
    deny(access.decides_policy(agency.pk))
    offices = selectors.office_staff(agency)
    preview = lenient_caps(request.GET, [o.pk for o in offices])
    context = {
        "agency": agency,
        "preset_today": selectors.preset_text(agency, preview.cap_sector),
        "cap_rows": selectors.cap_rows(agency, preview, offices),
    }
    return render(request, "policy/partials/cap_preview.html", context)


def _lifecycle(request, access, pk, form_class, step, done_message):
    circular = visible_or_404(_circulars(access), pk)
    deny(access.decides_policy(circular.agency_id))
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("circular_detail", pk=pk)
    try:
        step(circular, form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done_message % {"n": circular.number})
    return redirect("circular_detail", pk=pk)


@require_POST
@page
def circular_activate(request, access: Access, pk: int):
    def step(circular, data):
        services.circular_activate(access=access, circular=circular, note=data["note"])

    return _lifecycle(request, access, pk, NoteForm, step, _("Circular %(n)s is now in force."))


@require_POST
@page
def circular_extend(request, access: Access, pk: int):
    def step(circular, data):
        services.circular_extend(
            access=access, circular=circular, ends_on=data["ends_on"], note=data["note"]
        )

    return _lifecycle(request, access, pk, ExtendForm, step, _("Circular %(n)s was extended."))


@require_POST
@page
def circular_withdraw(request, access: Access, pk: int):
    def step(circular, data):
        services.circular_withdraw(access=access, circular=circular, note=data["note"])

    return _lifecycle(request, access, pk, WithdrawForm, step, _("Circular %(n)s was withdrawn."))
