"""The agency's health settings (config.py)."""

from __future__ import annotations

from darirumah.health.config import HealthConfig
from darirumah.health.models import HealthSettings


def health_config(agency_id: int) -> HealthConfig:
    """The agency's settings, or the defaults when it has none."""
    row = HealthSettings.objects.filter(agency_id=agency_id).only("settings").first()
    return HealthConfig.model_validate(row.settings if row else {})
