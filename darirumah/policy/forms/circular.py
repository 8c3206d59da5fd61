"""The circular form: the letter, its scope, and the whole rule set of a new version.

The rule set is edited in sections (occupancy cap, public-service minimums, criteria, flexible
work, times and review, attendance), each citing its regulation. Per-office and per-unit rows are
fields built in __init__ from the agency's offices and units: `cap_office_<id>` (a percentage,
empty = the preset), `min_<id>` (a count) and `min_<id>_share` (a percentage), `criterion_<flag>`.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError as RulesError

from darirumah.org.forms import BootstrapForm
from darirumah.org.models import Agency, Unit

from .. import rules, selectors
from .fields import TIME, PercentField, as_percent, count_field, lenient_caps

NO_EFFECT = "none"
FLEXIBLE_MAX = 2  # PermenPANRB 4/2025: location flexibility on at most 2 working days a week


class CircularForm(BootstrapForm):
    # --- the letter and its scope ---
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

    # --- 1. occupancy cap ---
    cap_preset = forms.ChoiceField(label=_("Office occupancy cap"), widget=forms.RadioSelect)
    cap_sector = forms.ChoiceField(
        label=_("Sector of the offices"),
        required=False,
        choices=[(s.value, label) for s, label in selectors.SECTOR_LABELS.items()],
        help_text=_(
            "SE MenPANRB 23/2021 (PPKM), share at the office at levels 1 to 4: non-essential "
            "offices 100, 75, 50 and 25 percent; essential offices 100, 75, 50 and 50 percent; "
            "critical offices all staff."
        ),
    )

    # --- 2. public-service minimums: a unit the person adds ---
    min_add_unit = forms.ModelChoiceField(
        label=_("Add a unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Another unit that must keep staff on site."),
    )
    min_add_count = count_field(_("People on site"))
    min_add_share = PercentField(label=_("Share of its staff"))

    # --- 3. criteria ---
    over_age = forms.IntegerField(
        label=_("Age limit"),
        required=False,
        min_value=18,
        max_value=70,
        help_text=_("SE MenPANRB 58/2020 names staff over 50 years old."),
    )

    # --- 4. flexible work ---
    flexible = forms.BooleanField(
        label=_("Allow flexible-location days (PermenPANRB 4/2025, at most 2 a week)"),
        required=False,
    )
    flexible_max_days = forms.IntegerField(
        label=_("Flexible-location days per week, at most"),
        required=False,
        min_value=0,
        max_value=FLEXIBLE_MAX,
        error_messages={
            "min_value": _("A count cannot be negative."),
            "max_value": _(
                "PermenPANRB 4/2025 allows flexible location on at most 2 working days a week."
            ),
        },
        help_text=_("PermenPANRB 4/2025: at most 2 working days a week."),
    )
    flexible_new_months = forms.IntegerField(
        label=_("Months a newly placed employee waits"),
        required=False,
        min_value=0,
        max_value=60,
        help_text=_(
            "PermenPANRB 4/2025: staff newly placed by recruitment, promotion, transfer or "
            "rotation may not take flexible days; the agency sets how long that lasts."
        ),
    )

    # --- 5. times and review ---
    checkin_deadline = forms.TimeField(label=_("Check-in deadline"), widget=TIME)
    vicon_time = forms.TimeField(label=_("Video call time"), widget=TIME)
    report_time = forms.TimeField(label=_("Report time"), widget=TIME)
    review_after_days = forms.IntegerField(
        label=_("Review after (working days)"), min_value=1, max_value=60
    )
    effectiveness_threshold = PercentField(
        label=_("Effectiveness threshold"),
        help_text=_(
            "A percentage: the share of tasks given to staff that must be done for the circular "
            "to count as effective at the review (the Serang circular: reviewed within 2–3 days)."
        ),
    )

    # --- 6. attendance (check-in location) ---
    geofence_radius_m = forms.IntegerField(
        label=_("Geofence radius (m)"),
        required=False,
        min_value=10,
        max_value=5000,
        help_text=_(
            "A check-in within this distance of the office or the home point counts as there "
            "(10–5000 m)."
        ),
    )
    max_accuracy_m = forms.IntegerField(
        label=_("Worst location accuracy accepted (m)"),
        required=False,
        min_value=5,
        max_value=5000,
        help_text=_(
            "A phone that reports a worse accuracy is not judged inside or outside (5–5000 m)."
        ),
    )
    outside_checkin = forms.ChoiceField(
        label=_("A check-in outside the geofence"),
        required=False,
        choices=list(selectors.OUTSIDE_CHECKIN_LABELS.items()),
        widget=forms.RadioSelect,
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
    TIME_FIELDS = ("checkin_deadline", "vicon_time", "report_time")

    def __init__(self, *args, agency: Agency, ruleset: rules.RuleSet, **kwargs):
        initial = kwargs.setdefault("initial", {})
        defaults = {
            "exempt_unit_kinds": ruleset.exempt_unit_kinds,
            "cap_preset": ruleset.cap_preset,
            "cap_sector": ruleset.cap_sector.value,
            "over_age": ruleset.over_age,
            "flexible": ruleset.flexible.enabled,
            "flexible_max_days": ruleset.flexible.max_days_per_week,
            "flexible_new_months": ruleset.flexible.new_placement_months,
            "review_after_days": ruleset.review_after_days,
            "effectiveness_threshold": as_percent(ruleset.effectiveness_threshold),
            "geofence_radius_m": ruleset.geofence_radius_m,
            "max_accuracy_m": ruleset.max_accuracy_m,
            "outside_checkin": ruleset.outside_checkin,
            **{name: getattr(ruleset, name) for name in self.TIME_FIELDS},
        }
        for name, value in defaults.items():
            initial.setdefault(name, value)
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.ruleset = ruleset
        self.warnings: list[str] = []
        self.fields["units"].queryset = Unit.objects.filter(agency=agency).order_by("path")
        self.fields["cap_preset"].choices = [
            (
                "agency",
                gettext("From the agency's risk zone or PPKM level")
                + " — "
                + selectors.preset_text(agency, ruleset.cap_sector),
            ),
            ("none", gettext("No cap")),
            ("custom", gettext("Only the shares typed per office below")),
        ]
        self._add_cap_fields(selectors.office_staff(agency))
        self._add_minimum_fields(selectors.minimum_units(agency, ruleset))
        self._add_criteria_fields()
        self._mark_bootstrap()

    # --- building the rows ---

    def _add_cap_fields(self, offices):
        self.offices = offices
        custom = {c.office: c.share for c in self.ruleset.office_caps}
        for office in offices:
            self.fields[f"cap_office_{office.pk}"] = PercentField(
                label=gettext("Custom share at the office: %(office)s") % {"office": office.name},
                initial=as_percent(custom.get(office.pk)),
            )

    def _add_minimum_fields(self, units):
        self.minimum_units = units
        self.unit_staff = selectors.unit_staff(self.agency)
        entries = {m.unit: m for m in self.ruleset.minimum_on_site}
        for unit in units:
            entry = entries.get(unit.pk)
            # A unit the rules do not name yet starts from its own default (R5: "needs 3").
            count = entry.count if entry else unit.min_on_site
            share = entry.share if entry else 0
            self.fields[f"min_{unit.pk}"] = count_field(
                gettext("Minimum on site: %(unit)s") % {"unit": unit.name}, initial=count or None
            )
            self.fields[f"min_{unit.pk}_share"] = PercentField(
                label=gettext("Minimum share on site: %(unit)s") % {"unit": unit.name},
                initial=as_percent(share) if share else None,
            )
        listed = [u.pk for u in units]
        self.fields["min_add_unit"].queryset = (
            Unit.objects.filter(agency=self.agency, is_active=True)
            .exclude(pk__in=listed)
            .order_by("path")
        )

    def _add_criteria_fields(self):
        choices = [(p.value, label) for p, label in selectors.PLACEMENT_LABELS.items()]
        choices.append((NO_EFFECT, gettext("No effect")))
        for flag in rules.DEFAULT_CRITERIA:
            value = self.ruleset.criteria.get(flag)
            self.fields[f"criterion_{flag}"] = forms.ChoiceField(
                label=selectors.criterion_label(flag),
                choices=choices,
                required=False,
                initial=value.value if value else NO_EFFECT,
            )

    def _mark_bootstrap(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            classes = widget.attrs.get("class", "").split()
            if css not in classes:
                widget.attrs["class"] = " ".join([*classes, css])

    # --- what the template lays out ---

    def cap_fields(self):
        return [(office, self[f"cap_office_{office.pk}"]) for office in self.offices]

    def minimum_fields(self):
        return [self[f"min_{u.pk}"] for u in self.minimum_units]

    def minimum_rows(self):
        return [
            {
                "unit": u,
                "staff": self.unit_staff.get(u.pk, 0),
                "count": self[f"min_{u.pk}"],
                "share": self[f"min_{u.pk}_share"],
            }
            for u in self.minimum_units
        ]

    def criteria_fields(self):
        return [self[f"criterion_{flag}"] for flag in rules.DEFAULT_CRITERIA]

    def preview_rules(self) -> rules.RuleSet:
        """The caps as typed so far (bound) or as saved (unbound), for the preview table."""
        if not self.is_bound:
            return self.ruleset
        return lenient_caps(self.data, [o.pk for o in self.offices], self.ruleset)

    # --- validation ---

    def clean(self):
        data = super().clean()
        unit = data.get("min_add_unit")
        if unit is not None and not (data.get("min_add_count") or data.get("min_add_share")):
            self.add_error(
                "min_add_count", gettext("Give a count or a share for the unit you add.")
            )
        start, end = data.get("checkin_deadline"), data.get("report_time")
        if start and end and not start < end:
            self.add_error(
                "report_time", gettext("The report time must come after the check-in deadline.")
            )
        if self.errors:
            return data
        try:
            rules.RuleSet.model_validate(self.rules_data())
        except RulesError as exc:
            for item in exc.errors():
                self.add_error(None, item["msg"])
            return data
        self.warnings = self._warnings()
        return data

    def _warnings(self) -> list[str]:
        names = {u.pk: u.name for u in self.minimum_units}
        if self.cleaned_data.get("min_add_unit"):
            added = self.cleaned_data["min_add_unit"]
            names[added.pk] = added.name
        warnings = []
        for entry in self.rules_data()["minimum_on_site"]:
            staff = self.unit_staff.get(entry["unit"], 0)
            if entry["count"] > staff:
                warnings.append(
                    gettext(
                        "%(unit)s must keep %(count)s on site but has only %(staff)s staff: "
                        "the planner cannot meet that minimum."
                    )
                    % {"unit": names.get(entry["unit"]), "count": entry["count"], "staff": staff}
                )
        return warnings

    # --- what the services get ---

    def _minimums(self) -> list[dict]:
        cd = self.cleaned_data
        out = []
        for unit in self.minimum_units:
            count = cd.get(f"min_{unit.pk}") or 0
            share = cd.get(f"min_{unit.pk}_share") or 0.0
            if count or share:
                out.append({"unit": unit.pk, "count": count, "share": share})
        added = cd.get("min_add_unit")
        if added is not None:
            count, share = cd.get("min_add_count") or 0, cd.get("min_add_share") or 0.0
            if count or share:
                out.append({"unit": added.pk, "count": count, "share": share})
        return out

    def _or_current(self, name: str, current):
        """A field's cleaned value; empty (or not sent) keeps the current version's value."""
        value = self.cleaned_data.get(name)
        return current if value in (None, "") else value

    def rules_data(self) -> dict:
        cd = self.cleaned_data
        data = self.ruleset.model_dump(mode="json")
        flexible = data["flexible"]
        # Flags without a field here (added through the API) stay as they are.
        criteria = {k: v for k, v in data["criteria"].items() if k not in rules.DEFAULT_CRITERIA}
        for flag in rules.DEFAULT_CRITERIA:
            value = self._or_current(f"criterion_{flag}", data["criteria"].get(flag, NO_EFFECT))
            if value != NO_EFFECT:
                criteria[flag] = value
        data.update(
            exempt_unit_kinds=list(cd["exempt_unit_kinds"]),
            cap_preset=cd["cap_preset"],
            cap_sector=self._or_current("cap_sector", data["cap_sector"]),
            office_caps=[
                {"office": o.pk, "share": cd[f"cap_office_{o.pk}"]}
                for o in self.offices
                if cd.get(f"cap_office_{o.pk}") is not None
            ],
            minimum_on_site=self._minimums(),
            criteria=criteria,
            over_age=self._or_current("over_age", data["over_age"]),
            flexible={
                **flexible,
                "enabled": cd["flexible"],
                "max_days_per_week": self._or_current(
                    "flexible_max_days", flexible["max_days_per_week"]
                ),
                "new_placement_months": self._or_current(
                    "flexible_new_months", flexible["new_placement_months"]
                ),
            },
            review_after_days=cd["review_after_days"],
            effectiveness_threshold=self._or_current(
                "effectiveness_threshold", data["effectiveness_threshold"]
            ),
            **{name: cd[name].isoformat() for name in self.TIME_FIELDS},
            # Empty (or not sent) keeps the current version's value.
            geofence_radius_m=self._or_current("geofence_radius_m", data["geofence_radius_m"]),
            max_accuracy_m=self._or_current("max_accuracy_m", data["max_accuracy_m"]),
            outside_checkin=self._or_current("outside_checkin", data["outside_checkin"]),
        )
        return data

    def circular_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.CIRCULAR_FIELDS}
