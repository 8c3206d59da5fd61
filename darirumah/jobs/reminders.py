"""The 07:00 check-in reminder: every employee expected to check in today is told their mode and
the deadline, in the inbox and by e-mail.

Registered as the timed job `attendance.checkin_reminder` (darirumah.jobs.registry). Running it
twice for a day changes nothing: the notices carry the key `checkin-reminder:<date>`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, time

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from darirumah.core import calendar
from darirumah.notify.services import notify
from darirumah.org.models import Agency
from darirumah.policy import selectors
from darirumah.roster.models import Mode, RosterEntry

from .registry import CHECKIN_REMINDER, register_timed_job

REMINDER_AT = time(7, 0)
# Modes that check in (the others are excused by the roster: leave, isolation, official duty).
CHECKIN_MODES = (Mode.WFO, Mode.WFH, Mode.WFA)


def checkin_link() -> str:
    """The check-in page once the attendance app has it, the home page until then."""
    for name in ("checkin", "home"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return "/"


def checkin_reminders_send(*, agency_id: int, day: date) -> int:
    """Remind everyone of the agency with a login whose published roster entry for `day` is WFO,
    WFH or WFA; the deadline is the one of the circular in force for their unit (07:30 without
    one). Nothing on a day the agency does not work. Returns how many people were told."""
    agency = Agency.objects.get(pk=agency_id)
    cal = calendar.calendar_for(agency, years=[day.year])
    if not cal.is_working_day(day):
        return 0
    entries = RosterEntry.objects.filter(
        employee__agency=agency,
        date=day,
        published=True,
        mode__in=CHECKIN_MODES,
        employee__is_active=True,
        employee__user__isnull=False,
        employee__user__is_active=True,
    ).values_list("employee__user_id", "employee__unit_id", "mode", "circular_id")
    in_force = selectors.circulars_in_force(agency, day)
    groups: dict[tuple[str, time], list[int]] = defaultdict(list)
    for user_id, unit_id, mode, circular_id in entries:
        deadline = selectors.unit_rules(in_force, unit_id, preferred=circular_id).checkin_deadline
        groups[(mode, deadline)].append(user_id)
    link = checkin_link()
    told = 0
    with translation.override(settings.LANGUAGE_CODE):
        for (mode, deadline), user_ids in sorted(groups.items()):
            values = {
                "mode": mode,
                "label": Mode(mode).label,
                "time": deadline.strftime("%H:%M"),
                "zone": agency.zone,
            }
            told += notify(
                user_ids,
                kind="attendance.checkin_reminder",
                title=_("Attendance today: %(mode)s, deadline %(time)s") % values,
                body=_(
                    "Today you work %(label)s. Check in before %(time)s %(zone)s; "
                    "after that your check-in counts as late."
                )
                % values,
                link=link,
                key=f"checkin-reminder:{day.isoformat()}",
            )
    return told


register_timed_job(
    CHECKIN_REMINDER,
    at=lambda agency, rules: REMINDER_AT,
    task=checkin_reminders_send,
    label=gettext_lazy("Check-in reminder"),
)
