"""Checks of an employee's SE MenPANRB 58/2020 criteria, shared by the model's clean() and the
import (which checks rows itself, in bulk). No ORM here."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext as _

# An "until" date further ahead than this is a typing mistake (2062 for 2026), not a criterion.
CRITERIA_MAX_DAYS_AHEAD = 90
MALE = "L"  # Employee.Sex.MALE, as the NIP writes it


def criteria_problems(
    *,
    sex: str,
    pregnant: bool,
    travel_until: date | None,
    contact_until: date | None,
    today: date,
) -> dict[str, list[str]]:
    """What is wrong with an employee's criteria, by model field."""
    problems: dict[str, list[str]] = {}
    if pregnant and sex == MALE:
        problems["pregnant"] = [
            _("Only a female employee can be marked pregnant (the sex comes from the NIP).")
        ]
    latest = today + timedelta(days=CRITERIA_MAX_DAYS_AHEAD)
    dates = {"recent_travel_until": travel_until, "recent_contact_until": contact_until}
    for name, value in dates.items():
        if value is not None and value > latest:
            problems[name] = [
                _("This date is more than %(n)s days ahead; check the year.")
                % {"n": CRITERIA_MAX_DAYS_AHEAD}
            ]
    return problems
