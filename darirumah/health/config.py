"""An agency's health settings, stored as JSON on HealthSettings and validated here. Every number
is a default the agency may change (Kepmenkes HK.01.07/Menkes/328/2020 and later guidance):

- contacts are traced 14 days back from symptom onset (or the first positive test);
- an isolation lasts 14 days (2020; shorter later);
- two cases are linked when they shared the office within the incubation window (14 days);
- a room is closed at least 24 hours before it is disinfected;
- an office with a cluster closes for 5 working days (SE MenPANRB 67/2020, PPKM);
- a reason given to open named health data holds for 30 minutes on the pages.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class HealthConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    trace_days: int = Field(14, ge=1, le=60)
    isolation_days: int = Field(14, ge=1, le=60)
    incubation_days: int = Field(14, ge=1, le=60)
    closed_hours_before_disinfection: int = Field(24, ge=0, le=168)
    cluster_closure_days: int = Field(5, ge=0, le=60)
    reason_minutes: int = Field(30, ge=1, le=480)


DEFAULTS = HealthConfig()
