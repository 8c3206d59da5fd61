"""The attendance app's timed jobs, registered with the job runner (darirumah/jobs): the link
before the video call, the OPD recaps at the circular's report time, and the end-of-day
absence."""

from __future__ import annotations

from datetime import date, time

from django.utils.translation import gettext_lazy

from darirumah.jobs.registry import (
    DAILY_RECAP,
    END_OF_DAY_ABSENCE,
    VICON_LINK,
    minutes_before,
    register_timed_job,
)
from darirumah.org.models import Agency

from .services.recap import recap_produce
from .services.records import attendance_mark_absent
from .services.vicon import LINK_MINUTES_BEFORE, vicon_link_job

END_OF_DAY = time(23, 0)  # local: after the last check-out a working day can have


def daily_recap(*, agency_id: int, day: date) -> str:
    recaps = recap_produce(agency=Agency.objects.get(pk=agency_id), day=day)
    return f"{len(recaps)} OPD"


def end_of_day_absence(*, agency_id: int, day: date) -> str:
    counts = attendance_mark_absent(agency=Agency.objects.get(pk=agency_id), day=day)
    return ", ".join(f"{key} {value}" for key, value in counts.items())


register_timed_job(
    DAILY_RECAP,
    at=lambda agency, rules: rules.report_time,
    task=daily_recap,
    label=gettext_lazy("Daily recap for BKPSDM"),
)
register_timed_job(
    END_OF_DAY_ABSENCE,
    at=lambda agency, rules: END_OF_DAY,
    task=end_of_day_absence,
    label=gettext_lazy("End-of-day absence"),
)
register_timed_job(
    VICON_LINK,
    at=lambda agency, rules: minutes_before(rules.vicon_time, LINK_MINUTES_BEFORE),
    task=vicon_link_job,
    label=gettext_lazy("Video-call link"),
)
