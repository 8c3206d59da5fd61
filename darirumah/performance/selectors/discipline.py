"""Reads of discipline cases, always within the caller's scope, and who may do what.

Who sees a case (a sanction is personal data, UU 27/2022): the employee themself (read only);
their supervisors up the chain; the OPD admin and head over their unit subtree; BKPSDM and
pimpinan of the agency (pimpinan reads only); the platform operator. Not the health officer as
such, not colleagues, nobody of another agency — the same circle as other performance data.

Who acts:
- decides a recommendation: the person's direct supervisor (or whoever the case was opened for
  as the one who must act), the head over their unit, or BKPSDM of the agency; never about
  oneself;
- opens a case by hand: a supervisor up the person's chain, the head over their unit, or BKPSDM;
  never about oneself;
- runs the scan: BKPSDM of the agency, or the platform operator.
"""

from __future__ import annotations

from datetime import date

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When

from darirumah.core.calendar import AgencyCalendar
from darirumah.org.access import Access
from darirumah.org.models import Agency, Employee, Role, Unit

from ..models import DisciplineCase
from . import heads_unit, people_q

RECOMMENDED = DisciplineCase.Status.RECOMMENDED


def today_for(access: Access) -> date:
    """Today in the caller's agency zone (WIB for a platform operator without an agency)."""
    zone = "WIB"
    if access.employee is not None:
        zone = access.employee.agency.zone
    elif access.agency_id is not None:
        zone = Agency.objects.filter(pk=access.agency_id).values_list("zone", flat=True).first()
    return AgencyCalendar(zone=zone or "WIB").today()


def with_overdue(qs: QuerySet[DisciplineCase], today: date) -> QuerySet[DisciplineCase]:
    """Annotate `overdue`: still awaiting a decision after its decide-by day."""
    return qs.annotate(
        overdue=Case(
            When(status=RECOMMENDED, decide_by__lt=today, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def cases_visible(access: Access, *, today: date | None = None) -> QuerySet[DisciplineCase]:
    qs = DisciplineCase.objects.filter(people_q(access, "employee__")).select_related(
        "agency", "employee__unit", "supervisor", "decided_by__employee"
    )
    return with_overdue(qs, today if today is not None else today_for(access))


def case_list(
    access: Access,
    *,
    status: str | None = None,
    unit: Unit | None = None,
    employee: Employee | None = None,
    overdue: bool | None = None,
    today: date | None = None,
) -> QuerySet[DisciplineCase]:
    """The cases the caller may see, newest first; filters by status, unit subtree, person and
    whether they are overdue."""
    qs = cases_visible(access, today=today)
    if status:
        qs = qs.filter(status=status)
    if unit is not None:
        qs = qs.filter(
            employee__agency_id=unit.agency_id, employee__unit__path__startswith=unit.path
        )
    if employee is not None:
        qs = qs.filter(employee=employee)
    if overdue is not None:
        qs = qs.filter(overdue=overdue)
    return qs.order_by("-created_at", "-pk")


# --- decisions -------------------------------------------------------------------------------


def _about_someone_else(access: Access, employee: Employee) -> bool:
    return (
        access.employee is None or employee.pk != access.employee.pk
    ) and employee.agency_id == access.agency_id


def decides_case(access: Access, case: DisciplineCase) -> bool:
    """May accept, change or dismiss the recommendation (whatever its status)."""
    employee = case.employee
    if not _about_someone_else(access, employee):
        return False
    if access.is_bkpsdm:
        return True
    if access.employee is None:
        return False
    me = access.employee.pk
    return (
        employee.supervisor_id == me
        or case.supervisor_id == me
        or heads_unit(access, employee.unit)
    )


def opens_case(access: Access, employee: Employee) -> bool:
    """May open a case about the person by hand."""
    if not _about_someone_else(access, employee):
        return False
    if access.is_bkpsdm:
        return True
    if access.employee is None:
        return False
    return employee.pk in access.subordinate_ids or heads_unit(access, employee.unit)


def may_open_any(access: Access) -> bool:
    """Opens cases about somebody (shows the "new case" button)."""
    return access.agency_id is not None and (
        access.is_bkpsdm or access.is_supervisor or access.is_unit_head
    )


def people_for_cases(access: Access) -> QuerySet[Employee]:
    """The active people the caller may open a case about (the manual form's choices)."""
    qs = Employee.objects.filter(agency_id=access.agency_id, is_active=True).select_related("unit")
    if access.employee is not None:
        qs = qs.exclude(pk=access.employee.pk)
    if access.is_bkpsdm:
        return qs.order_by("name", "pk")
    q = Q(pk__in=access.subordinate_ids)
    for path in access.unit_paths(Role.KEPALA_OPD):
        q |= Q(unit__path__startswith=path)
    return qs.filter(q).order_by("name", "pk")


def runs_scan(access: Access, agency_id: int | None) -> bool:
    """Starts a discipline scan of the agency: its BKPSDM or the platform operator."""
    return access.manages_agency(agency_id)
