"""Field types and lenient readers shared by the circular form and the cap preview."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import rules

# The browser's time picker wants HH:MM.
TIME = forms.TimeInput(format="%H:%M", attrs={"type": "time"})

SHARE_RANGE = _("A share is a percentage between 0 and 100.")
NOT_NEGATIVE = _("A count cannot be negative.")


class PercentField(forms.DecimalField):
    """A share typed as a percentage (0–100), cleaned to a fraction (0–1) as the rules store it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 100)
        kwargs.setdefault("max_digits", 6)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("required", False)
        messages = {"min_value": SHARE_RANGE, "max_value": SHARE_RANGE}
        messages.update(kwargs.pop("error_messages", {}))
        super().__init__(error_messages=messages, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"step": "any", "inputmode": "decimal"})
        return attrs

    def clean(self, value):
        cleaned = super().clean(value)
        return None if cleaned is None else float(cleaned) / 100


def as_percent(share: float | None) -> str | None:
    """A stored fraction as the text a percentage input shows (0.5 → "50")."""
    if share is None:
        return None
    return f"{round(share * 100, 2):g}"


def count_field(label, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        required=False,
        error_messages={"min_value": NOT_NEGATIVE},
        **kwargs,
    )


def _share(raw) -> float | None:
    """A typed percentage as a fraction, or None when empty or not a percentage."""
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).replace(",", "."))
    except InvalidOperation:
        return None
    if not value.is_finite() or not 0 <= value <= 100:
        return None
    return float(value) / 100


def lenient_caps(data, office_ids: list[int], base: rules.RuleSet | None = None) -> rules.RuleSet:
    """The cap part of a rule set from half-typed form data, ignoring what does not parse.

    The preview uses it while the person is still typing: it must never fail.
    """
    base = base or rules.RuleSet()
    preset = data.get("cap_preset")
    if preset not in ("agency", "none", "custom"):
        preset = base.cap_preset
    try:
        sector = rules.Sector(data.get("cap_sector"))
    except ValueError:
        sector = base.cap_sector
    caps = []
    for pk in office_ids:
        share = _share(data.get(f"cap_office_{pk}"))
        if share is not None:
            caps.append(rules.OfficeCap(office=pk, share=share))
    return base.model_copy(update={"cap_preset": preset, "cap_sector": sector, "office_caps": caps})
