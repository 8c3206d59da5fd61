"""Editing an agency's performance rules (evaluation weights and thresholds, the TPP table and
deductions, discipline deadlines): validated by darirumah/performance/config.py, saved on the
agency's PerformanceRuleSet (its history records who changed what). BKPSDM of the agency and
the platform operator only."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticError

from darirumah.core.errors import DomainError, NotAllowed, from_django_validation
from darirumah.org.access import Access
from darirumah.org.models import Agency

from .. import config as performance_config
from ..models import PerformanceRuleSet
from ..selectors.tpp import edits_rules


def _value_error(text: str) -> str:
    """The validators' messages of config.py, translated."""
    fixed = {
        "the component weights must add up to 100": _("The component weights must add up to 100."),
        "each rating must need a higher score than the one below it": _(
            "Each rating must need a higher score than the one below it."
        ),
        "only the last band is open-ended, and it must be": _(
            "Only the last band is open-ended (no upper limit), and it must be."
        ),
        "the bands must go up in minutes": _("The bands must go up in minutes."),
        "the performance and discipline weights must add up to 100": _(
            "The performance and discipline weights must add up to 100."
        ),
    }
    if text in fixed:
        return fixed[text]
    match = re.fullmatch(r"job class (\S+) is not 1–17", text)
    if match:
        return _("Job class %(job_class)s is not 1–17.") % {"job_class": match.group(1)}
    match = re.fullmatch(r"the amount of job class (\S+) is negative", text)
    if match:
        return _("The amount of job class %(job_class)s is negative.") % {
            "job_class": match.group(1)
        }
    return text


def error_message(item: dict) -> str:
    """A pydantic error as a message a person can act on."""
    kind = item.get("type", "")
    ctx = item.get("ctx") or {}
    if kind == "value_error":
        error = ctx.get("error")
        return _value_error(str(error) if error is not None else item.get("msg", ""))
    if kind == "missing":
        return _("Required.")
    if kind == "extra_forbidden":
        return _("Not a known setting.")
    if kind in ("less_than_equal", "less_than"):
        return _("At most %(n)s.") % {"n": ctx.get("le", ctx.get("lt"))}
    if kind in ("greater_than_equal", "greater_than"):
        return _("At least %(n)s.") % {"n": ctx.get("ge", ctx.get("gt"))}
    if kind.startswith(("decimal_", "float_")):
        return _("Give a number.")
    if kind.startswith("int_"):
        return _("Give a whole number.")
    if kind == "enum":
        return _("Choose one of: %(values)s.") % {"values": ctx.get("expected", "")}
    if kind in ("dict_type", "list_type", "model_type", "model_attributes_type"):
        return _("Not the expected kind of value.")
    return item.get("msg", "")


def error_fields(exc: PydanticError) -> dict[str, list[str]]:
    """Per-field messages keyed by the dotted path of the setting (e.g. tpp.late_bands.1)."""
    fields: dict[str, list[str]] = {}
    for item in exc.errors():
        path = [str(p) for p in item.get("loc", ()) if p != "[key]"]
        key = ".".join(path) or "__all__"
        fields.setdefault(key, []).append(error_message(item))
    return fields


def validate(data) -> performance_config.PerformanceConfig:
    """The rules as a config, or a DomainError naming each wrong setting."""
    if not isinstance(data, dict):
        message = _("Send the rules as a JSON object.")
        raise DomainError(message, fields={"__all__": [message]})
    try:
        return performance_config.parse(data)
    except PydanticError as exc:
        raise DomainError(
            _("The rules were not saved: correct the marked settings."),
            fields=error_fields(exc),
        ) from exc


@transaction.atomic
def rules_config_update(*, access: Access, agency: Agency, data: dict) -> PerformanceRuleSet:
    """Replace the agency's performance rules with `data` (missing parts take the defaults)."""
    if not edits_rules(access, agency):
        raise NotAllowed(_("Only BKPSDM of the agency changes its performance rules."))
    config = validate(data)
    rule_set = PerformanceRuleSet.objects.select_for_update().filter(
        agency=agency
    ).first() or PerformanceRuleSet(agency=agency)
    rule_set.rules = performance_config.dump(config)
    rule_set.changed_by = access.user
    try:
        rule_set.full_clean(validate_unique=False)
    except ValidationError as exc:
        raise from_django_validation(exc, _("The rules were not saved")) from exc
    rule_set._history_user = access.user
    rule_set.save()
    return rule_set
