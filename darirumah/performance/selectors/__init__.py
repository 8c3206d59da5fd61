"""Reads of targets and daily reports, always within the caller's scope, and who may do what.

Who sees performance data (PermenPANRB 6/2022; performance scoring is personal data under
UU 27/2022, so it is narrower than the staff list):
- the employee themself; their supervisors up the chain (`Access.subordinate_ids`);
- the OPD admin and head over the person's unit subtree;
- BKPSDM and pimpinan of the agency; the platform operator.
Not the health officer as such, not colleagues.

Who acts:
- targets are set by the employee's supervisor chain or the head (kepala OPD) over their unit,
  never for oneself; a whole unit's targets by its head. OPD admins, BKPSDM and pimpinan read.
- a daily report is written only by its employee, and reviewed by their direct supervisor or
  the head over their unit, never by its own author.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch, Q, QuerySet

from darirumah.attendance.services.records import EXCUSING_MODES, roster_modes
from darirumah.core import calendar as calendar_service
from darirumah.org.access import Access
from darirumah.org.models import Employee, Role, Unit

from .. import rules
from ..models import DailyReport, ReportEvidence, ReportItem, Target

# --- scope and decisions -----------------------------------------------------------------------


def people_q(access: Access, prefix: str = "") -> Q:
    """The employees whose performance data the caller reads, as a Q over `prefix` (e.g.
    "employee__" on a target)."""
    if access.is_operator:
        return Q()
    nothing = Q(**{f"{prefix}pk__in": []})
    if access.agency_id is None:
        return nothing
    q = nothing
    if access.agency_roles & {Role.BKPSDM, Role.PIMPINAN}:
        q |= Q(**{f"{prefix}agency_id": access.agency_id})
    for path in access.unit_paths(Role.ADMIN_OPD, Role.KEPALA_OPD):
        q |= Q(**{f"{prefix}agency_id": access.agency_id, f"{prefix}unit__path__startswith": path})
    if access.employee is not None:
        q |= Q(**{f"{prefix}pk": access.employee.pk})
        if access.subordinate_ids:
            q |= Q(**{f"{prefix}pk__in": access.subordinate_ids})
    return q


def heads_unit(access: Access, unit: Unit) -> bool:
    """The caller is kepala OPD over the unit (Unit.head of it or of a unit above, or a grant)."""
    return unit.agency_id == access.agency_id and any(
        unit.path.startswith(p) for p in access.unit_paths(Role.KEPALA_OPD)
    )


def assigns_targets(access: Access, employee: Employee) -> bool:
    """Sets the person's targets: a supervisor up their chain or the head over their unit."""
    if access.employee is None or employee.pk == access.employee.pk:
        return False
    if employee.agency_id != access.agency_id:
        return False
    return employee.pk in access.subordinate_ids or heads_unit(access, employee.unit)


def reviews_report(access: Access, report: DailyReport) -> bool:
    """Reviews the report: the author's direct supervisor or the head over their unit."""
    employee = report.employee
    if access.employee is None or employee.pk == access.employee.pk:
        return False
    if employee.agency_id != access.agency_id:
        return False
    return employee.supervisor_id == access.employee.pk or heads_unit(access, employee.unit)


def reads_unit_reports(access: Access, unit: Unit) -> bool:
    """Reads the unit's list of missing and late reports: whoever oversees the unit (its admin
    and head, BKPSDM, pimpinan, the operator) and a supervisor whose team works in it (their
    team's rows only), like the attendance board."""
    return access.oversees_unit(unit) or bool(access.team_in(unit))


# --- targets -----------------------------------------------------------------------------------


def targets_visible(access: Access) -> QuerySet[Target]:
    return Target.objects.filter(people_q(access, "employee__")).select_related(
        "employee__unit", "employee__agency", "assigned_by__employee"
    )


def target_list(
    access: Access,
    *,
    employee: Employee | None = None,
    unit: Unit | None = None,
    status: str | None = None,
    on: date | None = None,
    batch=None,
) -> QuerySet[Target]:
    """The targets the caller may see, optionally of one person, one unit subtree, one status,
    one assignment batch, or covering one day."""
    qs = targets_visible(access)
    if employee is not None:
        qs = qs.filter(employee=employee)
    if unit is not None:
        qs = qs.filter(
            employee__agency_id=unit.agency_id, employee__unit__path__startswith=unit.path
        )
    if status:
        qs = qs.filter(status=status)
    if on is not None:
        qs = qs.filter(period_start__lte=on, period_end__gte=on)
    if batch is not None:
        qs = qs.filter(batch=batch)
    return qs.order_by("-period_start", "employee__name", "pk")


def targets_covering(employee: Employee, day: date) -> QuerySet[Target]:
    """The person's active targets whose period covers the day (what a report item may serve)."""
    return Target.objects.filter(
        employee=employee,
        status=Target.Status.ACTIVE,
        period_start__lte=day,
        period_end__gte=day,
    )


# --- daily reports -----------------------------------------------------------------------------


def _with_items(qs: QuerySet[DailyReport]) -> QuerySet[DailyReport]:
    items = ReportItem.objects.select_related("target").prefetch_related(
        Prefetch("evidence", queryset=ReportEvidence.objects.order_by("pk"))
    )
    return qs.select_related(
        "employee__unit", "employee__agency", "reviewed_by__employee"
    ).prefetch_related(Prefetch("items", queryset=items.order_by("pk")))


def reports_visible(access: Access) -> QuerySet[DailyReport]:
    return _with_items(DailyReport.objects.filter(people_q(access, "employee__")))


def report_list(
    access: Access,
    *,
    employee: Employee | None = None,
    unit: Unit | None = None,
    day: date | None = None,
    start: date | None = None,
    end: date | None = None,
    status: str | None = None,
) -> QuerySet[DailyReport]:
    """The reports the caller may see, newest day first; the filters narrow it."""
    qs = reports_visible(access)
    if employee is not None:
        qs = qs.filter(employee=employee)
    if unit is not None:
        qs = qs.filter(
            employee__agency_id=unit.agency_id, employee__unit__path__startswith=unit.path
        )
    if day is not None:
        qs = qs.filter(date=day)
    if start is not None:
        qs = qs.filter(date__gte=start)
    if end is not None:
        qs = qs.filter(date__lte=end)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-date", "employee__name", "pk")


def deadline_of(employee: Employee, day: date) -> datetime | None:
    """The report deadline of the employee's day, in the agency's zone (None on a day off)."""
    calendar = calendar_service.calendar_for(employee.agency, years=[day.year])
    return rules.report_deadline(calendar, day)


# --- a unit's day: who has not reported, who reported late ------------------------------------


@dataclass
class DayRow:
    employee: Employee
    report: DailyReport | None
    mode: str  # the roster's mode that day, "" without an entry
    excused: bool  # on leave, duty or isolation that day: no report expected

    @property
    def status(self) -> str:
        return self.report.status if self.report is not None else "none"

    @property
    def submitted(self) -> bool:
        return self.report is not None and self.report.submitted_at is not None

    @property
    def missing(self) -> bool:
        return not self.excused and not self.submitted

    @property
    def late(self) -> bool:
        return self.report is not None and self.report.late


@dataclass
class UnitDay:
    unit: Unit
    day: date
    working_day: bool
    deadline: datetime | None
    deadline_passed: bool
    rows: list[DayRow] = field(default_factory=list)

    @property
    def missing(self) -> list[DayRow]:
        return [r for r in self.rows if r.missing]

    @property
    def late(self) -> list[DayRow]:
        return [r for r in self.rows if r.late]


def unit_day(access: Access, unit: Unit, day: date) -> UnitDay:
    """Each active person of the unit subtree on a day, with their report: who has not
    submitted one (missing, unless leave, duty or isolation excuses them) and who submitted
    after the deadline. A supervisor who does not oversee the unit gets their team's rows.
    The caller is checked by `reads_unit_reports` first."""
    calendar = calendar_service.calendar_for(unit.agency, years=[day.year])
    deadline = rules.report_deadline(calendar, day)
    staff = Employee.objects.filter(
        agency_id=unit.agency_id, unit__path__startswith=unit.path, is_active=True
    ).select_related("unit")
    if not access.oversees_unit(unit):
        staff = staff.filter(pk__in=access.team_in(unit))
    people = list(staff.order_by("name", "pk"))
    result = UnitDay(
        unit=unit,
        day=day,
        working_day=deadline is not None,
        deadline=deadline,
        deadline_passed=deadline is not None and calendar_service.utcnow() > deadline,
    )
    if deadline is None:  # a day off: nobody owes a report
        return result
    ids = [p.pk for p in people]
    reports = {r.employee_id: r for r in DailyReport.objects.filter(employee_id__in=ids, date=day)}
    modes = roster_modes(ids, day)
    for person in people:
        mode = modes.get(person.pk, "")
        result.rows.append(
            DayRow(
                employee=person,
                report=reports.get(person.pk),
                mode=mode,
                excused=mode in EXCUSING_MODES,
            )
        )
    return result


# --- pages: choices and the review inbox -----------------------------------------------------


def assignable_people(access: Access) -> QuerySet[Employee]:
    """The active people the caller sets targets for (`assigns_targets`): their subordinates
    and the staff of the units they head, never themself."""
    if access.employee is None or access.agency_id is None:
        return Employee.objects.none()
    q = Q(pk__in=access.subordinate_ids)
    for path in access.unit_paths(Role.KEPALA_OPD):
        q |= Q(unit__path__startswith=path)
    return (
        Employee.objects.filter(q, agency_id=access.agency_id, is_active=True)
        .exclude(pk=access.employee.pk)
        .select_related("unit")
        .order_by("name", "pk")
    )


def headed_units(access: Access) -> QuerySet[Unit]:
    """The active units the caller heads (`heads_unit`): where a unit-wide target may go."""
    if access.agency_id is None:
        return Unit.objects.none()
    q = Q(pk__in=[])
    for path in access.unit_paths(Role.KEPALA_OPD):
        q |= Q(path__startswith=path)
    return Unit.objects.filter(q, agency_id=access.agency_id, is_active=True).order_by("path")


def review_inbox(access: Access, *, unit: Unit | None = None) -> QuerySet[DailyReport]:
    """The submitted reports the caller reviews (`reviews_report`), oldest day first."""
    if access.employee is None or access.agency_id is None:
        return DailyReport.objects.none()
    q = Q(employee__supervisor_id=access.employee.pk)
    for path in access.unit_paths(Role.KEPALA_OPD):
        q |= Q(employee__unit__path__startswith=path)
    qs = DailyReport.objects.filter(
        q, employee__agency_id=access.agency_id, status=DailyReport.Status.SUBMITTED
    ).exclude(employee_id=access.employee.pk)
    if unit is not None:
        qs = qs.filter(employee__unit__path__startswith=unit.path)
    return _with_items(qs).order_by("date", "submitted_at", "pk")


def unit_report_units(access: Access) -> list[Unit]:
    """The active units whose list of missing and late reports the caller reads
    (`reads_unit_reports`), in tree order, without a query per unit."""
    team_paths = set(
        Employee.objects.filter(pk__in=access.subordinate_ids).values_list("unit__path", flat=True)
    )
    units = access.units().filter(is_active=True).select_related("agency")
    return [
        unit
        for unit in units.order_by("agency__name", "path")
        if access.oversees_unit(unit)
        or (unit.agency_id == access.agency_id and any(p.startswith(unit.path) for p in team_paths))
    ]
