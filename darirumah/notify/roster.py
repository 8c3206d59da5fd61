"""What the roster tells staff: a published schedule and an answered request.

The roster's services schedule these with `transaction.on_commit`; the text is written in the
default language (Indonesian) whatever language the head's browser uses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from darirumah.org.models import Employee

from .services import notify


def _schedule_link(day) -> str:
    return f"{reverse('my_schedule')}?month={day:%Y-%m}"


def roster_published(*, entries: Iterable) -> int:
    """One notice per person whose published days changed in one publish call (entries are the
    RosterEntry rows just published); people without a login are skipped. Returns how many."""
    days_by_employee: dict[int, set] = defaultdict(set)
    for entry in entries:
        days_by_employee[entry.employee_id].add(entry.date)
    if not days_by_employee:
        return 0
    people = Employee.objects.filter(
        pk__in=list(days_by_employee), user__isnull=False, is_active=True
    ).values_list("pk", "user_id")
    # People with the same number of days and the same range get the same text: one call each.
    groups: dict[tuple, list[int]] = defaultdict(list)
    for employee_id, user_id in people:
        days = days_by_employee[employee_id]
        groups[(len(days), min(days), max(days))].append(user_id)
    told = 0
    with translation.override(settings.LANGUAGE_CODE):
        for (count, first, last), user_ids in groups.items():
            if first == last:
                body = _("Your work mode for %(day)s has been published.") % {
                    "day": date_format(first)
                }
            else:
                body = ngettext(
                    "%(n)s day of your schedule from %(start)s to %(end)s has been published.",
                    "%(n)s days of your schedule from %(start)s to %(end)s have been published.",
                    count,
                ) % {"n": count, "start": date_format(first), "end": date_format(last)}
            told += notify(
                user_ids,
                kind="roster.published",
                title=_("Your schedule has been published"),
                body=body,
                link=_schedule_link(first),
            )
    return told


def roster_request_decided(*, request) -> int:
    """Tell the person who asked how their request was answered, with the head's note."""
    employee = Employee.objects.select_related("user").get(pk=request.employee_id)
    if employee.user is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        values = {"day": date_format(request.date), "mode": request.get_mode_display()}
        if request.status == request.Status.APPROVED:
            title = _("Your request for %(day)s was approved") % values
            body = _("Your schedule for %(day)s is now: %(mode)s.") % values
        else:
            title = _("Your request for %(day)s was refused") % values
            body = _("You asked for %(mode)s on %(day)s; your schedule stays as it was.") % values
        if request.decision_note:
            body += "\n" + _("Note: %(note)s") % {"note": request.decision_note}
        return notify(
            [employee.user],
            kind="roster.request_decided",
            title=title,
            body=body,
            link=_schedule_link(request.date),
            key=f"roster.request_decided:{request.pk}",
        )
