"""Reads across the organisation models, always within the caller's access scope."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .access import Access
from .models import Employee, RoleAssignment, Unit, User


def employee_list(
    *,
    access: Access,
    unit_id: int | None = None,
    q: str | None = None,
    subtree: bool = True,
    active: bool | None = None,
) -> QuerySet[Employee]:
    qs = access.employees().select_related("unit", "user", "office")
    if unit_id is not None:
        unit = access.units().filter(pk=unit_id).first()
        if unit is None:
            return qs.none()
        qs = qs.filter(unit__path__startswith=unit.path) if subtree else qs.filter(unit=unit)
    if q:
        q = q.strip()
        qs = qs.filter(Q(name__icontains=q) | Q(nip__startswith=q) | Q(position__icontains=q))
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("name", "pk")


def unit_tree(*, access: Access, agency_id: int) -> list[Unit]:
    """One agency's units (if the caller sees that agency) in path order, with staff counts."""
    from django.db.models import Count

    return list(
        access.units()
        .filter(agency_id=agency_id)
        .select_related("head", "office")
        .annotate(staff=Count("employees", filter=Q(employees__is_active=True)))
        .order_by("path")
    )


def role_list(*, access: Access, active: bool = True) -> QuerySet[RoleAssignment]:
    qs = RoleAssignment.objects.select_related("user", "unit", "agency")
    if not access.is_operator:
        qs = qs.filter(agency_id=access.agency_id)
    if active:
        qs = qs.filter(revoked_at__isnull=True)
    return qs


def users_visible(*, access: Access) -> QuerySet[User]:
    """Accounts a role manager may grant roles to: those of their agency's employees."""
    if access.is_operator:
        return User.objects.all()
    return User.objects.filter(employee__agency_id=access.agency_id)
