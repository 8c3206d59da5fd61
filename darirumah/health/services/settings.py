"""Changing an agency's health settings (darirumah/health/config.py validates them): the tracing
window, the isolation length, the incubation window, the hours a room stays closed before it is
disinfected, the closure a cluster calls for and how long a reason given on the pages holds.

The health officers, BKPSDM of the agency and the platform operator change them; everyone of the
agency reads them. Only the settings the agency has set are stored: the others follow the
defaults of the regulation (Kepmenkes 328/2020). The row's history records who changed what.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import ValidationError as PydanticError

from darirumah.core.errors import DomainError, NotAllowed, NotFound
from darirumah.org.access import Access
from darirumah.org.models import Agency

from ..config import DEFAULTS, HealthConfig
from ..models import HealthSettings

NAMES = tuple(HealthConfig.model_fields)

LABELS = {
    "trace_days": gettext_lazy("Contact tracing window (days)"),
    "isolation_days": gettext_lazy("Isolation length (days)"),
    "incubation_days": gettext_lazy("Incubation window (days)"),
    "closed_hours_before_disinfection": gettext_lazy("Hours closed before disinfection"),
    "cluster_closure_days": gettext_lazy("Closure after a cluster (working days)"),
    "reason_minutes": gettext_lazy("A reason holds for (minutes)"),
}

HELP = {
    "trace_days": gettext_lazy(
        "How many days before symptom onset (or the first positive test) colleagues are "
        "looked for at the office. Kepmenkes 328/2020: 14 days."
    ),
    "isolation_days": gettext_lazy(
        "The default length of an isolation. 14 days in Kepmenkes 328/2020; later guidance "
        "shortened it (e.g. 10 days for confirmed cases, 5 days for close contacts)."
    ),
    "incubation_days": gettext_lazy(
        "Two cases are linked when they shared the office within this many days; it decides a "
        "workplace cluster. The incubation period of COVID-19: up to 14 days."
    ),
    "closed_hours_before_disinfection": gettext_lazy(
        "A room is closed at least this long before it is disinfected. Kepmenkes 328/2020: 24 "
        "hours."
    ),
    "cluster_closure_days": gettext_lazy(
        "The closure suggested when an office is a workplace cluster. SE MenPANRB 67/2020 and "
        "PPKM: 5 working days. 0: no closure is suggested."
    ),
    "reason_minutes": gettext_lazy(
        "A reason given before opening names holds this long on the pages, then it is asked "
        "again (UU 27/2022: access to health data is justified and logged). 30 minutes by "
        "default."
    ),
}


def edits_health_settings(access: Access, agency_id: int) -> bool:
    """The health officers, BKPSDM of the agency and the platform operator."""
    return access.records_health(agency_id) or access.manages_agency(agency_id)


def _message(item: dict) -> str:
    """A pydantic error as a message a person can act on."""
    kind = item.get("type", "")
    ctx = item.get("ctx") or {}
    if kind == "extra_forbidden":
        return _("Not a known setting.")
    if kind in ("less_than_equal", "less_than"):
        return _("At most %(n)s.") % {"n": ctx.get("le", ctx.get("lt"))}
    if kind in ("greater_than_equal", "greater_than"):
        return _("At least %(n)s.") % {"n": ctx.get("ge", ctx.get("gt"))}
    return _("Give a whole number.")


def validate(values) -> HealthConfig:
    """The settings as a config, or a DomainError naming each wrong setting."""
    if not isinstance(values, dict):
        message = _("Send the settings as a JSON object.")
        raise DomainError(message, fields={"__all__": [message]})
    fields: dict[str, list[str]] = {}
    for name, value in values.items():
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            fields[name] = [_("Give a whole number.")]  # pydantic would take True for 1
    if not fields:
        try:
            return HealthConfig.model_validate(values)
        except PydanticError as exc:
            for item in exc.errors():
                key = ".".join(str(p) for p in item.get("loc", ())) or "__all__"
                fields.setdefault(key, []).append(_message(item))
    raise DomainError(
        _("The health settings were not saved: correct the marked settings."),
        fields=fields,
    )


@transaction.atomic
def health_settings_update(*, access: Access, agency: Agency, values: dict) -> HealthSettings:
    """Change some of the agency's health settings: `values` holds any of the settings; a
    setting given as None goes back to the default. Returns the saved row."""
    if not access.in_agency(agency.pk):
        raise NotFound(_("Not found, or not visible to you."))
    if not edits_health_settings(access, agency.pk):
        raise NotAllowed(
            _("Only the health officers and BKPSDM of the agency change its health settings.")
        )
    if not isinstance(values, dict):
        validate(values)
    row = HealthSettings.objects.select_for_update().filter(
        agency=agency
    ).first() or HealthSettings(agency=agency)
    merged = {k: v for k, v in (row.settings or {}).items() if k in NAMES}
    for name, value in values.items():
        if value is None and name in NAMES:
            merged.pop(name, None)
        else:
            merged[name] = value
    config = validate(merged)
    # Only what the agency set is kept, so the others follow the defaults.
    row.settings = {name: getattr(config, name) for name in NAMES if name in merged}
    row.changed_by = access.user
    row._history_user = access.user
    row.save()
    return row


def defaults() -> dict[str, int]:
    return DEFAULTS.model_dump()
