"""Template helpers: the navigation (links only for those who may use them), agency-zone times."""

from __future__ import annotations

from django import template
from django.utils import timezone

from darirumah.core.calendar import zone_info

from ..access import access_for
from ..models import Agency

register = template.Library()


def _unread_count(access) -> int:
    from darirumah.notify.selectors import unread_count

    return unread_count(access=access)


def nav_for(user) -> dict:
    """What the navigation offers this user; every flag comes from the Access object."""
    if user is None or not user.is_authenticated:
        return {"authenticated": False}
    access = access_for(user)
    agency = Agency.objects.filter(pk=access.agency_id).first() if access.agency_id else None
    return {
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
        "unread": _unread_count(access),
    }


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


@register.filter
def in_zone(value, zone):
    """An aware datetime in an agency zone ("WIB", "WITA", "WIT" or a tzinfo); UTC otherwise."""
    if value is None:
        return value
    if isinstance(zone, str):
        try:
            zone = zone_info(zone)
        except ValueError:
            zone = None
    return timezone.localtime(value, zone or timezone.get_fixed_timezone(0))
