"""Reads of the month-end evaluation, always within the caller's scope, and who may do what.

Who reads an employee's evaluation (performance scoring is personal data, UU 27/2022):
- the person themself; their supervisors up the chain (their team);
- the OPD admin and head over the unit the evaluation was made in (subtree);
- BKPSDM and pimpinan of the agency; the platform operator. Not the health officer as such.

Who reads a unit's summary (one per OPD, a top-level unit with its subtree): whoever oversees
the OPD (its admin and head, BKPSDM, pimpinan, the operator).

Who acts:
- runs the month: BKPSDM of the agency and the platform operator (and the timed job);
- confirms or adjusts a rating: the head (kepala OPD) over the unit the evaluation was made in,
  never the person themself; the evaluation of someone who heads a unit is confirmed, besides
  the head above, by their direct supervisor;
- sends the OPD's summary to BKPSDM: the head over the OPD.

The month's records for the run (`month_counts`, `month_targets`) are read agency-wide in a
fixed number of grouped queries: the run has no caller's scope (BKPSDM or the timed job).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from pydantic import ValidationError

from darirumah.attendance.models import Attendance, ViconRoll
from darirumah.core.calendar import AgencyCalendar
from darirumah.core.errors import DomainError
from darirumah.org.access import Access
from darirumah.org.models import Agency, Employee, Role, Unit
from darirumah.roster.models import FIXED_MODES, RosterEntry

from ..config import PerformanceConfig, parse
from ..models import (
    DailyReport,
    Evaluation,
    PerformanceRuleSet,
    ReportItem,
    Target,
    UnitEvaluation,
)
from ..rules import evaluation as rules
from . import heads_unit

CHUNK = 5000  # rows streamed per fetch from the grouped queries
COUNTED = (DailyReport.Status.SUBMITTED, DailyReport.Status.APPROVED)

# --- the agency's rules ------------------------------------------------------------------------


def performance_config(agency: Agency) -> PerformanceConfig:
    """The agency's performance rules (the defaults without a rule set). Rules that no longer
    validate are refused with a message, never a crash."""
    stored = PerformanceRuleSet.objects.filter(agency=agency).values_list("rules", flat=True)
    try:
        return parse(next(iter(stored), None))
    except ValidationError as exc:
        message = _("The agency's performance rules are not valid: %(problem)s") % {
            "problem": "; ".join(e["msg"] for e in exc.errors())
        }
        raise DomainError(message, code="invalid_rules") from None


def evaluation_day(period: date, config: PerformanceConfig, calendar: AgencyCalendar) -> date:
    return rules.run_day(
        period.year, period.month, run_on_day=config.evaluation.run_on_day, calendar=calendar
    )


def default_period(calendar: AgencyCalendar, config: PerformanceConfig) -> date:
    """The month pages open on: this month from its evaluation day on, else the last one."""
    today = calendar.today()
    this_month = today.replace(day=1)
    if today >= evaluation_day(this_month, config, calendar):
        return this_month
    return (this_month - timedelta(days=1)).replace(day=1)


# --- scope ---------------------------------------------------------------------------------------


def evaluations_q(access: Access) -> Q:
    """The evaluations the caller reads, as a Q over Evaluation."""
    if access.is_operator:
        return Q()
    q = Q(pk__in=[])
    if access.agency_id is None:
        return q
    if access.agency_roles & {Role.BKPSDM, Role.PIMPINAN}:
        q |= Q(agency_id=access.agency_id)
    for path in access.unit_paths(Role.ADMIN_OPD, Role.KEPALA_OPD):
        q |= Q(agency_id=access.agency_id, unit__path__startswith=path)
    if access.employee is not None:
        q |= Q(employee_id=access.employee.pk)
        if access.subordinate_ids:
            q |= Q(employee_id__in=access.subordinate_ids)
    return q


def evaluations_visible(access: Access) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(evaluations_q(access)).select_related(
        "employee", "unit", "agency", "confirmed_by__employee"
    )


def evaluation_list(
    access: Access,
    *,
    period: date | None = None,
    unit: Unit | None = None,
    employee: Employee | None = None,
) -> QuerySet[Evaluation]:
    """The evaluations the caller may see, newest month first, by unit and name; filtered by
    month, unit subtree (the unit the evaluation was made in) or person."""
    qs = evaluations_visible(access)
    if period is not None:
        qs = qs.filter(period=period)
    if unit is not None:
        qs = qs.filter(agency_id=unit.agency_id, unit__path__startswith=unit.path)
    if employee is not None:
        qs = qs.filter(employee=employee)
    return qs.order_by("-period", "unit__name", "employee__name", "pk")


def unit_evaluations_q(access: Access) -> Q:
    if access.is_operator:
        return Q()
    q = Q(pk__in=[])
    if access.agency_id is None:
        return q
    if access.agency_roles & {Role.BKPSDM, Role.PIMPINAN}:
        q |= Q(agency_id=access.agency_id)
    for path in access.unit_paths(Role.ADMIN_OPD, Role.KEPALA_OPD):
        q |= Q(agency_id=access.agency_id, unit__path__startswith=path)
    return q


def unit_evaluation_list(
    access: Access, *, period: date | None = None, agency: Agency | None = None
) -> QuerySet[UnitEvaluation]:
    """The OPD summaries the caller reads, newest month first, by OPD name."""
    qs = UnitEvaluation.objects.filter(unit_evaluations_q(access)).select_related(
        "unit", "agency", "sent_by__employee"
    )
    if period is not None:
        qs = qs.filter(period=period)
    if agency is not None:
        qs = qs.filter(agency=agency)
    return qs.order_by("-period", "unit__name", "pk")


# --- decisions -----------------------------------------------------------------------------------


def runs_evaluation(access: Access, agency_id: int | None) -> bool:
    """Starts the month's evaluation: BKPSDM of the agency, the platform operator."""
    return access.manages_agency(agency_id)


def reads_all_units(access: Access, agency_id: int | None) -> bool:
    """Reads every OPD's summary: BKPSDM and pimpinan of the agency, the platform operator."""
    return access.is_operator or (
        access.in_agency(agency_id) and bool(access.agency_roles & {Role.BKPSDM, Role.PIMPINAN})
    )


def unit_heads(employee_ids) -> set[int]:
    """Of the given people, those who head an active unit (one query, for a list's rows)."""
    return set(
        Unit.objects.filter(head_id__in=list(employee_ids), is_active=True).values_list(
            "head_id", flat=True
        )
    )


def confirms_evaluation(
    access: Access, evaluation: Evaluation, *, heads: set[int] | None = None
) -> bool:
    """Confirms or adjusts the rating (see the module's rules). `heads`: the ids of people who
    head a unit, when known (a list's rows); else asked when it matters."""
    employee = evaluation.employee
    if access.employee is None or employee.pk == access.employee.pk:
        return False
    if evaluation.agency_id != access.agency_id:
        return False
    if heads_unit(access, evaluation.unit):
        return True
    if employee.supervisor_id != access.employee.pk:
        return False
    if heads is None:
        heads = unit_heads([employee.pk])
    return employee.pk in heads


def sends_unit_evaluation(access: Access, unit_evaluation: UnitEvaluation) -> bool:
    """Sends the OPD's summary to BKPSDM: the head over the OPD."""
    return access.employee is not None and heads_unit(access, unit_evaluation.unit)


def unconfirmed(unit_evaluation: UnitEvaluation, *, besides: set[int]) -> int:
    """How many evaluations of the OPD's active people are not confirmed yet, leaving out
    `besides` (the OPD's head and the sender: their own is confirmed above the OPD)."""
    return (
        Evaluation.objects.filter(
            agency_id=unit_evaluation.agency_id,
            period=unit_evaluation.period,
            unit__path__startswith=unit_evaluation.unit.path,
            employee__is_active=True,
            status=Evaluation.Status.COMPUTED,
        )
        .exclude(employee_id__in=list(besides))
        .count()
    )


def opd_of(unit: Unit) -> int:
    """The id of the OPD (top-level unit) a unit belongs to, from its path "/3/17/42/"."""
    return int(unit.path.strip("/").split("/")[0])


# --- reading the month ---------------------------------------------------------------------------


def _grouped(qs, *keys):
    """(keys..., count) per group, streamed."""
    return (
        qs.order_by()
        .values(*keys)
        .annotate(n=Count("pk"))
        .values_list(*keys, "n")
        .iterator(chunk_size=CHUNK)
    )


def month_counts(agency: Agency, start: date, end: date, working: list[date]) -> dict[int, dict]:
    """Per employee: roster days off, attendance by status, reports counted, video-call lines.
    Four grouped queries over the agency's active staff (for the run: no caller's scope)."""
    staff = Q(employee__agency_id=agency.pk, employee__is_active=True)
    on_roster = RosterEntry.objects.filter(
        employee_id=OuterRef("employee_id"), date=OuterRef("date"), mode__in=FIXED_MODES
    )
    excused = Attendance.objects.filter(
        employee_id=OuterRef("employee_id"),
        date=OuterRef("date"),
        status=Attendance.Status.EXCUSED,
    )
    counts: dict[int, dict] = defaultdict(dict)
    roster = RosterEntry.objects.filter(staff, date__in=working, mode__in=FIXED_MODES)
    for employee_id, n in _grouped(roster, "employee_id"):
        counts[employee_id]["roster"] = n
    attendance = Attendance.objects.filter(staff, date__in=working).filter(~Exists(on_roster))
    for employee_id, status, n in _grouped(attendance, "employee_id", "status"):
        counts[employee_id][status] = n
    reports = (
        DailyReport.objects.filter(staff, date__in=working, status__in=COUNTED)
        .filter(~Exists(on_roster), ~Exists(excused))
        .order_by()
        .values("employee_id")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(late=True)))
        .values_list("employee_id", "n", "late")
    )
    for employee_id, n, late in reports.iterator(chunk_size=CHUNK):
        counts[employee_id]["reports"] = n
        counts[employee_id]["late_reports"] = late
    roll = ViconRoll.objects.filter(staff, session__date__range=(start, end))
    for employee_id, status, n in _grouped(roll, "employee_id", "status"):
        counts[employee_id][f"vicon_{status}"] = n
    return counts


def month_targets(agency: Agency, start: date, end: date, calendar) -> dict[int, list]:
    """Per employee, their active targets overlapping the month with the output reported for
    each up to the month's end. Two queries."""
    rows = list(
        Target.objects.filter(
            agency=agency,
            employee__is_active=True,
            status=Target.Status.ACTIVE,
            period_start__lte=end,
            period_end__gte=start,
        )
        .order_by("employee_id", "pk")
        .values_list(
            "pk", "employee_id", "indicator", "quantity", "weight", "period_start", "deadline"
        )
        .iterator(chunk_size=CHUNK)
    )
    if not rows:
        return {}
    achieved = dict(
        ReportItem.objects.filter(
            target__agency=agency,
            target__status=Target.Status.ACTIVE,
            target__period_start__lte=end,
            target__period_end__gte=start,
            report__status__in=COUNTED,
            report__date__lte=end,
            report__date__gte=F("target__period_start"),
        )
        .order_by()
        .values("target_id")
        .annotate(total=Sum("output_quantity"))
        .values_list("target_id", "total")
        .iterator(chunk_size=CHUNK)
    )
    first = min(start, min(r[5] for r in rows))
    last = max(end, max(r[6] for r in rows))
    days = rules.WorkingDayCounter(calendar, first, last)
    found: dict[int, list] = defaultdict(list)
    for pk, employee_id, indicator, quantity, weight, begins, deadline in rows:
        found[employee_id].append(
            rules.TargetMonth(
                id=pk,
                indicator=indicator,
                quantity=quantity,
                weight=weight,
                start=begins,
                deadline=deadline,
                span_days=days.count(begins, deadline),
                due_days=days.count(begins, min(deadline, end)),
                achieved=rules.q2(Decimal(achieved.get(pk) or 0)),
            )
        )
    return found


def person_month(counts: dict, working_days: int, targets: list) -> rules.PersonMonth:
    return rules.PersonMonth(
        working_days=working_days,
        roster_days=counts.get("roster", 0),
        excused_days=counts.get(Attendance.Status.EXCUSED, 0),
        reports=counts.get("reports", 0),
        late_reports=counts.get("late_reports", 0),
        present=counts.get(Attendance.Status.PRESENT, 0),
        late=counts.get(Attendance.Status.LATE, 0),
        absent=counts.get(Attendance.Status.ABSENT, 0),
        vicon_present=counts.get("vicon_present", 0),
        vicon_absent=counts.get("vicon_absent", 0),
        vicon_excused=counts.get("vicon_excused", 0),
        targets=targets,
    )
