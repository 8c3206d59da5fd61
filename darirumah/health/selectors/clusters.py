"""Is an office a workplace cluster in a period, and why (rules/cluster.py decides).

Gathers the office's confirmed cases in the period (confirmed or symptoms started within it) of
the staff of the building, and the days each was physically at the office within the incubation
window (attendance present or late on an office day), in a constant number of queries.

Who sees what: the verdict and its evidence go to whoever sees the health overview
(org/access.py `sees_health_overview`); cases are "Case 1, Case 2…". A names-reader who gives
a reason gets the names too, and the read is logged with the people shown.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from darirumah.attendance.models import Attendance
from darirumah.core.calendar import calendar_for
from darirumah.core.errors import DomainError, NotAllowed, NotFound
from darirumah.org.access import Access
from darirumah.org.models import Office

from ..models import HealthAccessLog, HealthCase, Place
from ..rules import cluster as rules
from ..services.audit import health_access_log
from .settings import health_config

MAX_DAYS = 366
ON_SITE = (Attendance.Status.PRESENT, Attendance.Status.LATE)
OFFICE_DAY = ("WFO", "")  # "" = no roster entry: an ordinary day at the office


def verdict_label(verdict: str) -> str:
    return {
        rules.CLUSTER: _("Workplace cluster"),
        rules.NOT_CLUSTER: _("Not a workplace cluster"),
        rules.UNDETERMINED: _("Undetermined: find out where the linked cases were infected"),
    }[verdict]


def _sentence(reason: rules.Reason, office: Office, start: date, end: date) -> str | None:
    n = reason.numbers
    code = reason.code
    if code == rules.R_CONFIRMED:
        return ngettext(
            "%(n)d confirmed case among the staff of %(office)s between %(start)s and %(end)s.",
            "%(n)d confirmed cases among the staff of %(office)s between %(start)s and %(end)s.",
            n["cases"],
        ) % {
            "n": n["cases"],
            "office": office.name,
            "start": date_format(start),
            "end": date_format(end),
        }
    if code == rules.R_SHARED:
        if not n["linked"]:
            return None
        return ngettext(
            "%(n)d of them shared the office with another case on site within the incubation "
            "window (linked pairs: %(pairs)d; days together: %(days)d).",
            "%(n)d of them shared the office with another case on site within the incubation "
            "window (linked pairs: %(pairs)d; days together: %(days)d).",
            n["linked"],
        ) % {"n": n["linked"], "pairs": n["pairs"], "days": n["days"]}
    if code in (rules.R_PLACES, rules.R_LINKED_PLACES):
        template = (
            _(
                "Likely place of infection: %(office)d at the office, %(outside)d outside the "
                "office, %(unknown)d unknown."
            )
            if code == rules.R_PLACES
            else _(
                "Of the linked cases: %(office)d infected at the office, %(outside)d outside "
                "the office, %(unknown)d unknown."
            )
        )
        return template % n
    if code == rules.R_TOO_FEW:
        return _(
            "A workplace cluster needs at least %(needed)d confirmed cases: not a cluster."
        ) % {"needed": n["needed"]}
    if code == rules.R_NO_LINKS:
        return _(
            "No two cases were on site on the same day within the incubation window (%(days)d "
            "days): the cases are not linked through the office."
        ) % {"days": n["incubation_days"]}
    if code == rules.R_OFFICE_LIKELY:
        return ngettext(
            "%(n)d linked case was most likely infected at the office: a workplace cluster.",
            "%(n)d linked cases were most likely infected at the office: a workplace cluster.",
            n["office"],
        ) % {"n": n["office"]}
    if code == rules.R_ALL_OUTSIDE:
        return _(
            "Every linked case was most likely infected outside the office: not a workplace "
            "cluster."
        )
    if code == rules.R_PLACE_UNKNOWN:
        return ngettext(
            "For %(n)d linked case the place of infection is unknown: the task force must find "
            "out before deciding.",
            "For %(n)d linked cases the place of infection is unknown: the task force must find "
            "out before deciding.",
            n["unknown"],
        ) % {"n": n["unknown"]}
    return None


def _suggestion(office: Office, days: int) -> dict | None:
    """Close the office for `days` working days from today (or the next working day)."""
    if days <= 0:
        return None
    calendar = calendar_for(office.agency)
    today = calendar.today()
    start = today if calendar.is_working_day(today) else calendar.next_working_day(today)
    end = calendar.nth_working_day(start, days)
    query = urlencode({"office": office.pk, "start": start.isoformat(), "end": end.isoformat()})
    return {
        "working_days": days,
        "starts_on": start,
        "ends_on": end,
        "url": f"{reverse('health-closure-new')}?{query}",
        "text": ngettext(
            "Suggested: close %(office)s for %(n)d working day, from %(start)s to %(end)s, "
            "and disinfect it.",
            "Suggested: close %(office)s for %(n)d working days, from %(start)s to %(end)s, "
            "and disinfect it.",
            days,
        )
        % {
            "office": office.name,
            "n": days,
            "start": date_format(start),
            "end": date_format(end),
        },
    }


def _check_period(start: date, end: date) -> None:
    if start > end:
        message = _("The first day comes after the last day.")
        raise DomainError(message, fields={"start": [message]})
    if (end - start).days + 1 > MAX_DAYS:
        message = _("Look at %(n)d days at most.") % {"n": MAX_DAYS}
        raise DomainError(message, fields={"end": [message]})


def cluster_verdict(
    access: Access, office: Office, start: date, end: date, reason: str | None = None
) -> dict:
    """The verdict for `office` over [start, end] with its evidence. With a `reason`, a
    names-reader gets the names (and the read is logged); everyone else, and a names-reader
    without a reason, gets "Case 1, Case 2…"."""
    agency_id = office.agency_id
    if not access.in_agency(agency_id):
        raise NotFound(_("Not found, or not visible to you."))
    if not access.sees_health_overview(agency_id):
        raise NotAllowed(
            _("The cluster verdict is for the health officers, BKPSDM and the leadership.")
        )
    _check_period(start, end)
    named = bool(reason) and access.reads_health_names(agency_id)
    config = health_config(agency_id)
    in_period = Q(confirmed_on__range=(start, end)) | Q(symptom_onset__range=(start, end))
    building = Q(employee__office_id=office.pk) | Q(
        employee__office__isnull=True, employee__unit__office_id=office.pk
    )
    cases = list(
        HealthCase.objects.filter(agency_id=agency_id, confirmed_on__isnull=False)
        .filter(in_period)
        .filter(building)
        .select_related("employee__unit")
        .order_by("pk")
    )
    refs = {case.pk: case.symptom_onset or case.confirmed_on for case in cases}
    on_site: dict[int, set[date]] = defaultdict(set)
    if cases:
        since = min(refs.values()) - timedelta(days=config.incubation_days)
        rows = Attendance.objects.filter(
            employee_id__in={case.employee_id for case in cases},
            date__gte=since,
            date__lte=max(refs.values()),
            status__in=ON_SITE,
            expected_mode__in=OFFICE_DAY,
        ).values_list("employee_id", "date")
        for employee_id, day in rows:
            on_site[employee_id].add(day)
    inputs = [
        rules.ClusterCase(
            id=case.pk,
            reference=refs[case.pk],
            place=case.likely_place,
            on_site=frozenset(on_site[case.employee_id]),
        )
        for case in cases
    ]
    result = rules.cluster_verdict(inputs, config.incubation_days)
    ordered = sorted(cases, key=lambda c: (refs[c.pk], c.pk))
    labels = {case.pk: _("Case %(n)d") % {"n": i} for i, case in enumerate(ordered, 1)}
    linked = set(result.linked)
    rows = []
    for case in ordered:
        row = {
            "label": labels[case.pk],
            "case_id": case.pk if named else None,
            "employee": None,
            "reference_date": refs[case.pk],
            "reference": "onset" if case.symptom_onset else "confirmed",
            "likely_place": case.likely_place,
            "likely_place_label": str(Place(case.likely_place).label),
            "on_site_days": len(on_site[case.employee_id]),
            "linked": case.pk in linked,
        }
        if named:
            row["employee"] = {
                "id": case.employee_id,
                "name": case.employee.name,
                "nip": case.employee.nip,
                "unit": case.employee.unit.name,
            }
            row["likely_place_reason"] = case.likely_place_reason
        rows.append(row)
    evidence = [
        text
        for text in (_sentence(r, office, start, end) for r in result.reasons)
        if text is not None
    ]
    suggestion = (
        _suggestion(office, config.cluster_closure_days)
        if result.verdict == rules.CLUSTER
        else None
    )
    if named:
        health_access_log(
            access=access,
            agency_id=agency_id,
            action=HealthAccessLog.Action.VIEW,
            subject=f"cluster:{office.pk}",
            reason=reason,
            employees=[case.employee_id for case in cases],
        )
    return {
        "office": office,
        "start": start,
        "end": end,
        "incubation_days": config.incubation_days,
        "verdict": result.verdict,
        "verdict_label": verdict_label(result.verdict),
        "named": named,
        "cases": rows,
        "links": [
            {"cases": [labels[link.a], labels[link.b]], "days": list(link.days)}
            for link in result.links
        ],
        "places": result.places,
        "linked_places": result.linked_places,
        "reasons": [{"code": r.code, "numbers": dict(r.numbers)} for r in result.reasons],
        "evidence": evidence,
        "suggested_closure": suggestion,
    }
