"""The home page: who you are, what today is in your agency, and what each of your roles offers."""

from __future__ import annotations

from django.db.models import Count, Q
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from darirumah.core.calendar import calendar_for

from ..access import Access
from ..models import Agency, Employee, Role, Unit
from .common import home_agency, page

ROLE_LABELS = {
    "pegawai": _("Employee"),
    "atasan": _("Direct supervisor"),
    **dict(Role.choices),
}


def agency_stats(access: Access, agency: Agency) -> dict:
    """Counts over the agency's active staff and units, within the caller's scope."""
    staff = access.employees().filter(agency=agency, is_active=True)
    counts = staff.aggregate(
        total=Count("pk"),
        pns=Count("pk", filter=Q(asn_type=Employee.AsnType.PNS)),
        pppk=Count("pk", filter=Q(asn_type=Employee.AsnType.PPPK)),
        no_supervisor=Count("pk", filter=Q(supervisor__isnull=True)),
        no_home=Count("pk", filter=Q(home_latitude__isnull=True)),
    )
    units = access.units().filter(agency=agency, is_active=True)
    counts.update(
        units=units.count(),
        opds=units.filter(parent__isnull=True).count(),
        serving=units.filter(serves_public=True).count(),
    )
    return counts


def my_units(access: Access) -> list[dict]:
    """The units the caller runs as OPD admin or head, with their roles and subtree staff."""
    by_path: dict[str, set[str]] = {}
    for role, path in access.unit_roles:
        by_path.setdefault(path, set()).add(role)
    units = Unit.objects.filter(agency_id=access.agency_id, path__in=list(by_path))
    out = []
    for unit in units.order_by("path"):
        staff = Employee.objects.filter(
            agency_id=unit.agency_id, unit__path__startswith=unit.path, is_active=True
        ).count()
        roles = by_path[unit.path]
        out.append(
            {
                "unit": unit,
                "staff": staff,
                "is_admin": Role.ADMIN_OPD in roles,
                "roles": [ROLE_LABELS[r] for r in sorted(roles)],
            }
        )
    return out


@page
def home(request, access: Access):
    agency = home_agency(access)
    codes = access.role_codes()
    context = {
        "agency": agency,
        "employee": access.employee,
        "role_codes": codes,
        "role_labels": [ROLE_LABELS.get(c, c) for c in codes],
    }
    if agency is not None:
        cal = calendar_for(agency)
        today = cal.today()
        context.update(
            today=today,
            day_off_reason=cal.day_off_reason(today),
            hours=cal.work_hours(today),
            zone=agency.zone,
        )
    employee = access.employee
    if employee is not None:
        context["me"] = (
            Employee.objects.select_related("unit", "office", "supervisor")
            .filter(pk=employee.pk)
            .first()
        )
    if access.is_supervisor:
        context["team"] = {
            "direct": Employee.objects.filter(supervisor=employee, is_active=True).count(),
            "all": len(access.subordinate_ids),
        }
    if access.unit_roles:
        context["my_units"] = my_units(access)
    if agency is not None and access.agency_roles:
        context["stats"] = agency_stats(access, agency)
    if access.is_operator:
        context["agencies"] = access.agencies().annotate(
            unit_count=Count("units", distinct=True),
            staff_count=Count("employees", filter=Q(employees__is_active=True), distinct=True),
        )
    return render(request, "org/home.html", context)
