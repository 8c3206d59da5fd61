"""Forms for circulars: the draft (metadata, scope and the main rules) and lifecycle steps."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from darirumah.org.forms import BootstrapForm
from darirumah.org.models import Unit

from . import rules

# The browser's time picker wants HH:MM.
TIME = forms.TimeInput(format="%H:%M", attrs={"type": "time"})


class CircularForm(BootstrapForm):
    number = forms.CharField(label=_("Number"), max_length=100)
    title = forms.CharField(label=_("Title"), max_length=300)
    issuer_name = forms.CharField(label=_("Issued by (name)"), max_length=200)
    issuer_position = forms.CharField(label=_("Issued by (position)"), max_length=200)
    legal_basis = forms.CharField(
        label=_("Legal basis"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Ends on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: until it is withdrawn or extended."),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Units covered"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("With their sub-units. Leave units and offices empty for the whole agency."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    exempt_unit_kinds = forms.MultipleChoiceField(
        label=_("Unit kinds that always work at the office"),
        choices=Unit.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kepmenkes 328/2020: full WFH only for units that do not serve the public."),
    )
    cap_preset = forms.ChoiceField(
        label=_("Office occupancy cap"),
        choices=[
            ("agency", _("From the agency's risk zone or PPKM level")),
            ("none", _("No cap")),
        ],
    )
    checkin_deadline = forms.TimeField(label=_("Check-in deadline"), widget=TIME)
    vicon_time = forms.TimeField(label=_("Video call time"), widget=TIME)
    report_time = forms.TimeField(label=_("Report time"), widget=TIME)
    review_after_days = forms.IntegerField(
        label=_("Review after (working days)"), min_value=1, max_value=60
    )
    flexible = forms.BooleanField(
        label=_("Allow flexible-location days (PermenPANRB 4/2025, at most 2 a week)"),
        required=False,
    )

    RULE_FIELDS = (
        "exempt_unit_kinds",
        "cap_preset",
        "checkin_deadline",
        "vicon_time",
        "report_time",
        "review_after_days",
    )
    CIRCULAR_FIELDS = (
        "number",
        "title",
        "issuer_name",
        "issuer_position",
        "legal_basis",
        "starts_on",
        "ends_on",
    )

    def __init__(self, *args, agency, public_units, ruleset: rules.RuleSet, **kwargs):
        initial = kwargs.setdefault("initial", {})
        for name in self.RULE_FIELDS:
            initial.setdefault(name, getattr(ruleset, name))
        initial.setdefault("flexible", ruleset.flexible.enabled)
        minimums = {m.unit: m.count for m in ruleset.minimum_on_site}
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.filter(agency=agency).order_by("path")
        self.ruleset = ruleset
        self.public_units = list(public_units)
        # One "minimum on site" field per public-service unit (R5: "Disdukcapil needs 3").
        for unit in self.public_units:
            self.fields[f"min_{unit.pk}"] = forms.IntegerField(
                label=_("Minimum on site: %(unit)s") % {"unit": unit.name},
                min_value=0,
                required=False,
                initial=minimums.get(unit.pk, unit.min_on_site),
            )
            self.fields[f"min_{unit.pk}"].widget.attrs["class"] = "form-control"

    def minimum_fields(self):
        return [self[f"min_{u.pk}"] for u in self.public_units]

    def rules_data(self) -> dict:
        data = self.ruleset.model_dump(mode="json")
        for name in self.RULE_FIELDS:
            value = self.cleaned_data[name]
            data[name] = value.isoformat() if hasattr(value, "isoformat") else value
        data["exempt_unit_kinds"] = list(self.cleaned_data["exempt_unit_kinds"])
        data["flexible"] = {**data["flexible"], "enabled": self.cleaned_data["flexible"]}
        data["minimum_on_site"] = [
            {"unit": u.pk, "count": self.cleaned_data[f"min_{u.pk}"]}
            for u in self.public_units
            if self.cleaned_data.get(f"min_{u.pk}")
        ]
        return data

    def circular_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.CIRCULAR_FIELDS}


class NoteForm(BootstrapForm):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class WithdrawForm(BootstrapForm):
    note = forms.CharField(label=_("Reason for withdrawing"), max_length=300)


class ExtendForm(BootstrapForm):
    ends_on = forms.DateField(
        label=_("New end"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: no end date."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
