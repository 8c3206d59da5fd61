"""Template helpers: the navigation (links only for those who may use them), agency-zone times."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from darirumah.core.calendar import zone_info

from ..access import access_for
from ..models import Agency

register = template.Library()


def _unread_count(access) -> int:
    from darirumah.notify.selectors import unread_count

    return unread_count(access=access)


def _reads_incidents(access) -> bool:
    from darirumah.attendance.services.incidents import reads_incidents

    return reads_incidents(access)


def _url_or_none(name: str) -> str | None:
    """The page's address, or None while the page does not exist (yet): the navbar never breaks."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def nav_for(user) -> dict:
    """What the navigation offers this user; every flag comes from the Access object."""
    if user is None or not user.is_authenticated:
        return {"authenticated": False}
    access = access_for(user)
    agency = Agency.objects.filter(pk=access.agency_id).first() if access.agency_id else None
    nav = {
        "authenticated": True,
        "agency": agency,
        "units": access.is_operator or access.agency_id is not None,
        # Everyone reads their agency's settings, calendar and offices; the operator picks one.
        "agency_page": access.is_operator or access.agency_id is not None,
        "offices": access.is_operator or access.agency_id is not None,
        "circulars": access.is_operator or access.agency_id is not None,
        "my_schedule": access.employee is not None,
        # The roster grid: those who arrange or oversee a unit, and supervisors (their team).
        "roster_grid": bool(
            access.is_operator
            or access.is_bkpsdm
            or access.is_pimpinan
            or access.unit_roles
            or access.is_supervisor
        ),
        "request_inbox": access.is_operator
        or access.is_bkpsdm
        or access.is_unit_admin
        or access.is_unit_head,
        "employees": bool(
            access.is_operator or access.agency_roles or access.unit_roles or access.is_supervisor
        ),
        "import": access.is_operator or access.can_import(access.agency_id),
        "roles": access.is_operator or access.can_manage_roles(access.agency_id),
        # --- attendance (each flag mirrors the page's own access rule) ---
        # Check-in/out: one's own attendance, so only an employee record has one.
        "checkin": access.employee is not None,
        # The unit board: whoever oversees a unit (admin, head, BKPSDM, pimpinan, operator) and
        # supervisors (their team's rows); see attendance.selectors.board_readable.
        "attendance_board": bool(
            access.is_operator
            or access.is_bkpsdm
            or access.is_pimpinan
            or access.unit_roles
            or access.is_supervisor
        ),
        # Manual entry: whoever arranges a unit (Access.arranges_unit): BKPSDM, OPD admin or head.
        "attendance_manual": access.is_operator
        or access.is_bkpsdm
        or access.is_unit_admin
        or access.is_unit_head,
        # The video call of one's own unit (the page opens on the caller's unit).
        "vicon_roll": access.employee is not None,
        "incident_list": _reads_incidents(access),
        # BKPSDM's recap inbox of every OPD; the address is None until the page exists.
        "recap_inbox": (
            _url_or_none("recap_inbox")
            if access.is_operator or (access.is_bkpsdm and access.agency_id is not None)
            else None
        ),
        "job_runs": access.watches_jobs(access.agency_id),
        "unread": _unread_count(access),
    }
    nav["attendance"] = any(
        nav[k]
        for k in (
            "attendance_board",
            "attendance_manual",
            "vicon_roll",
            "incident_list",
            "recap_inbox",
            "job_runs",
        )
    )
    nav.update(_performance_nav(access))
    nav.update(_health_nav(access))
    nav.update(_documents_nav(access))
    return nav


def _performance_nav(access) -> dict:
    """The performance menu (issue 5); each flag mirrors its page's own access rule."""
    overseer = bool(
        access.is_operator or access.is_bkpsdm or access.is_pimpinan or access.unit_roles
    )
    mine = access.employee is not None
    flags = {
        "perf_my_report": mine,
        "perf_targets": access.is_operator or access.agency_id is not None,
        "perf_review": bool(access.is_supervisor or access.is_unit_head),
        "perf_missing": overseer or access.is_supervisor,
        "perf_evaluation_mine": mine,
        # The unit page opens on the caller's own unit; BKPSDM and leaders start from the
        # overview of every OPD (which also shows heads and admins their units' summaries).
        "perf_evaluation_unit": bool(access.is_unit_head or access.is_unit_admin),
        "perf_evaluation_overview": overseer,
        "perf_tpp_mine": mine,
        "perf_tpp_list": overseer or access.is_supervisor,
        "perf_discipline": access.is_operator or access.agency_id is not None,
        "perf_rules": access.is_operator or access.is_bkpsdm,
        "perf_dashboard_unit": bool(access.is_unit_head or access.is_unit_admin),
        "perf_dashboard_agency": bool(access.is_operator or access.is_bkpsdm or access.is_pimpinan),
        "perf_dashboard_leadership": bool(
            access.is_operator or access.is_bkpsdm or access.is_pimpinan
        ),
    }
    flags["performance"] = any(flags.values())
    return flags


def _health_nav(access) -> dict:
    """The health menu (issue 6); each flag mirrors its page's own access rule. Names (the
    register, isolations, the access log) only for health officers and the head of BKPSDM."""
    insider = access.is_operator or access.agency_id is not None
    names = access.reads_health_names(access.agency_id)
    flags = {
        "health_dashboard": insider,
        "health_mine": access.employee is not None,
        "health_cases": names,
        "health_isolations": names,
        "health_closures": access.agency_id is not None,  # the operator opens it per agency
        "health_clusters": access.sees_health_overview(access.agency_id),
        "health_access_log": names,
        "health_settings": insider,
    }
    flags["health"] = any(flags.values())
    return flags


def _documents_nav(access) -> dict:
    """The documents menu (issue 7); each flag mirrors its page's own access rule
    (documents/views). Signing is everyone's: every employee signs their statement letter."""
    from darirumah.documents.views.common import prepares_any, uploads_any

    insider = access.agency_id is not None
    flags = {
        "documents_inbox": access.employee is not None,
        "documents_register": access.is_operator or insider,
        "documents_new": prepares_any(access),
        "documents_upload": uploads_any(access),
        # Who has not signed their statement letter: heads and admins of OPDs, BKPSDM, pimpinan.
        "documents_statements": bool(
            access.is_operator or access.unit_roles or access.decides_policy(access.agency_id)
        ),
        "documents_certificates": access.is_operator or insider,
        "documents_formats": insider,
        "documents_verify": True,
    }
    flags["documents"] = flags["documents_register"] or flags["documents_inbox"]
    return flags


@register.inclusion_tag("partials/navbar.html", takes_context=True)
def navbar(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "nav": nav_for(user),
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
    }


class ZonedDatetime(datetime):
    """An aware datetime already in the zone it must be shown in.

    Django's `date` and `time` filters convert every aware datetime to the current time zone
    (the server's UTC) before formatting; `template_localtime` skips values whose
    `convert_to_local_time` is false, so `{{ value|in_zone:zone|date:"H:i" }}` keeps the agency's
    wall clock while staying aware (formats "e", "O" and "c" still show the right offset).
    """

    convert_to_local_time = False


@register.filter
def in_zone(value, zone):
    """An aware datetime in an agency zone ("WIB", "WITA", "WIT" or a tzinfo); UTC otherwise.

    The result keeps that zone through `|date` and `|time` (see ZonedDatetime).
    """
    if not isinstance(value, datetime) or timezone.is_naive(value):
        return value
    if isinstance(zone, str):
        try:
            zone = zone_info(zone)
        except ValueError:
            zone = None
    local = timezone.localtime(value, zone or timezone.get_fixed_timezone(0))
    return ZonedDatetime(
        local.year,
        local.month,
        local.day,
        local.hour,
        local.minute,
        local.second,
        local.microsecond,
        tzinfo=local.tzinfo,
        fold=local.fold,
    )
