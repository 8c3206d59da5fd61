"""Forms of the target and daily-report pages. They parse what a person typed and offer choices
within the caller's scope; the services check the rules and write (views put a service's
refusal back on the form with org.views.common.add_domain_errors)."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from darirumah.org.access import Access
from darirumah.org.forms import BootstrapForm
from darirumah.policy.models import Circular

from . import rules, selectors
from .models import Target
from .services import reports as report_services
from .services import targets as target_services

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def target_label(target: Target) -> str:
    """How a target is offered in a report item's list: what, how much, until when."""
    return gettext("%(indicator)s (%(quantity)s %(unit)s, by %(deadline)s)") % {
        "indicator": target.indicator,
        "quantity": f"{target.quantity.normalize():f}",
        "unit": target.unit_of_measure,
        "deadline": date_format(target.deadline),
    }


def _number(**attrs) -> forms.NumberInput:
    return forms.NumberInput(attrs={"inputmode": "decimal", "step": "any", **attrs})


# --- daily report ------------------------------------------------------------------------------


class ItemForm(BootstrapForm):
    """One activity of the caller's report; the numbers are checked by the service, which names
    the field it refuses."""

    activity = forms.CharField(
        label=_("Activity"),
        max_length=report_services.MAX_ACTIVITY,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you did, e.g. “Verified 40 KTP-el applications”."),
    )
    target = forms.TypedChoiceField(
        label=_("Target it serves"), required=False, coerce=int, empty_value=None
    )
    output_quantity = forms.CharField(
        label=_("Output quantity"), required=False, initial="0", widget=_number(min="0")
    )
    minutes_spent = forms.CharField(
        label=_("Time spent (minutes)"),
        widget=_number(min="1", max=str(rules.MAX_DAY_MINUTES), step="1", inputmode="numeric"),
    )

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", _("No target"))] + [
            (t.pk, target_label(t)) for t in targets
        ]

    def as_item(self, item_id: int | None = None) -> dict:
        data = self.cleaned_data
        return {
            "id": item_id,
            "activity": data["activity"],
            "target": data["target"],
            "output_quantity": data["output_quantity"] or "0",
            "minutes_spent": data["minutes_spent"],
        }


class EvidenceForm(BootstrapForm):
    file = forms.FileField(
        label=_("Photo or PDF document"),
        required=False,  # the service says when it is missing
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,.pdf"}),
    )


class ReviewForm(BootstrapForm):
    DECISIONS = [("approve", _("Approve")), ("return", _("Return for correction"))]

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,  # required when returning: the service says so
        max_length=report_services.MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you return the report: say what to correct."),
    )


# --- targets -----------------------------------------------------------------------------------


class TargetFilterForm(forms.Form):
    """The filters of the target list (GET); a wrong value is ignored, not an error page."""

    STATUSES = [("", _("Any status")), *Target.Status.choices]

    q = forms.CharField(label=_("Person or indicator"), required=False, max_length=100)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUSES, required=False)
    month = forms.CharField(
        label=_("Month"), required=False, widget=forms.TextInput(attrs={"type": "month"})
    )

    def __init__(self, *args, access: Access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.units().filter(is_active=True).order_by("path")
        self.fields["unit"].empty_label = _("Every unit")
        for field in self.fields.values():
            small = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if small else "form-control form-control-sm"
            )

    def clean_month(self):
        raw = (self.cleaned_data.get("month") or "").strip()
        if not raw:
            return None
        match = MONTH.match(raw)
        if not match:
            raise forms.ValidationError(_("Give the month as YYYY-MM."))
        return rules.month_bounds(int(match[1]), int(match[2]))


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.unit.name}"


class TargetForm(BootstrapForm):
    """A target for one person, or (the unit's head only) for every active person of a unit."""

    PERSON, UNIT = "person", "unit"
    MONTH, DATES, CIRCULAR = "month", "dates", "circular"

    assign_to = forms.ChoiceField(
        label=_("Give the target to"),
        choices=[(PERSON, _("One person")), (UNIT, _("Everyone in a unit"))],
        initial=PERSON,
        widget=forms.RadioSelect,
    )
    employee = PersonChoice(label=_("Person"), queryset=None, required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=None,
        required=False,
        help_text=_("Every active person of the unit and its sub-units, except you."),
    )
    period_kind = forms.ChoiceField(
        label=_("Period"),
        choices=[
            (MONTH, _("A month")),
            (DATES, _("From a date to a date")),
            (CIRCULAR, _("The WFH period of a circular")),
        ],
        initial=MONTH,
        widget=forms.RadioSelect,
    )
    month = forms.CharField(
        label=_("Month"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
    )
    period_start = forms.DateField(
        label=_("Period start"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("Period end"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    circular = forms.ModelChoiceField(label=_("Circular"), queryset=None, required=False)
    indicator = forms.CharField(
        label=_("Indicator"),
        max_length=target_services.TEXT_FIELDS["indicator"],
        help_text=_("What is measured, e.g. “KTP-el applications verified”."),
    )
    quantity = forms.DecimalField(label=_("Quantity"), widget=_number(min="0.01"))
    unit_of_measure = forms.CharField(
        label=_("Unit of measure"),
        max_length=target_services.TEXT_FIELDS["unit_of_measure"],
        help_text=_("e.g. documents, reports, people served"),
    )
    quality_measure = forms.CharField(
        label=_("Quality measure"),
        max_length=target_services.TEXT_FIELDS["quality_measure"],
        help_text=_("e.g. without data errors"),
    )
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    weight = forms.DecimalField(
        label=_("Weight (%)"),
        widget=_number(min="0.01", max="100"),
        help_text=_("A person's active targets weigh at most 100% together on any day."),
    )
    plan_ref = forms.CharField(
        label=_("Annual plan reference (SKP/RHK)"),
        required=False,
        max_length=target_services.TEXT_FIELDS["plan_ref"],
        help_text=_("The planned result (RHK) of the person's SKP this target serves, if any."),
    )

    def __init__(self, *args, access: Access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = selectors.assignable_people(access)
        self.fields["employee"].empty_label = _("Choose a person")
        self.fields["unit"].queryset = selectors.headed_units(access)
        self.fields["unit"].empty_label = _("Choose a unit")
        self.fields["circular"].queryset = Circular.objects.filter(
            agency__in=access.agencies(), status__in=Circular.IN_FORCE, ends_on__isnull=False
        ).order_by("-starts_on", "-pk")
        self.fields["circular"].empty_label = _("Choose a circular")
        self.heads_units = access.is_unit_head
        if not self.heads_units:  # only a unit's head gives a target to a whole unit
            self.fields["assign_to"].widget = forms.HiddenInput()
            del self.fields["unit"]

    def clean(self):
        data = super().clean()
        if data.get("assign_to") == self.UNIT and self.heads_units:
            if not data.get("unit"):
                self.add_error("unit", _("Choose the unit."))
        elif not data.get("employee"):
            self.add_error("employee", _("Choose the person."))
        kind = data.get("period_kind")
        if kind == self.MONTH:
            match = MONTH.match((data.get("month") or "").strip())
            if not match:
                self.add_error("month", _("Give the month as YYYY-MM."))
            else:
                data["period_start"], data["period_end"] = rules.month_bounds(
                    int(match[1]), int(match[2])
                )
        elif kind == self.CIRCULAR:
            circular = data.get("circular")
            if circular is None:
                self.add_error("circular", _("Choose the circular."))
            else:
                data["period_start"], data["period_end"] = circular.starts_on, circular.ends_on
        else:
            for name in ("period_start", "period_end"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Required."))
        return data

    def fields_for_service(self) -> target_services.TargetFields:
        data = self.cleaned_data
        return target_services.TargetFields(
            period_start=data["period_start"],
            period_end=data["period_end"],
            indicator=data["indicator"],
            quantity=data["quantity"],
            unit_of_measure=data["unit_of_measure"],
            quality_measure=data["quality_measure"],
            deadline=data["deadline"],
            weight=data["weight"],
            plan_ref=data["plan_ref"],
        )


def month_value(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"
