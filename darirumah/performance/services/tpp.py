"""The monthly TPP run: every active employee of an agency, computed by rules/tpp.py.

The run reads each kind of data once for the whole month (employees, attendance, roster,
reports, evaluations, decided sanctions) and writes the lines in bulk, so the number of queries
does not grow with the staff (10,000 people with a month of attendance in a few seconds on
PostgreSQL, benchmarked in bench/). Running a month again replaces its lines: idempotent.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q

from darirumah.attendance.models import Attendance
from darirumah.core.calendar import calendar_for, utcnow
from darirumah.org.models import Agency, Employee
from darirumah.roster.models import FIXED_MODES, Mode, RosterEntry

from .. import rules
from ..models import DailyReport, DisciplineCase, Evaluation, TppLine
from ..rules import tpp as tpp_rules
from ..selectors.tpp import config_of

BATCH = 2000
SENT_REPORT = (DailyReport.Status.SUBMITTED, DailyReport.Status.APPROVED)


def _month(agency: Agency, period: date) -> tpp_rules.Month:
    start, end = rules.month_bounds(period.year, period.month)
    cal = calendar_for(agency, years=[period.year])
    days = cal.working_days(start, end)
    ends = {}
    for day in days:
        hours = cal.work_hours(day)
        if hours is not None:
            ends[day] = cal.local(day, hours[1])
    return tpp_rules.Month(period=start, working_days=days, day_ends=ends)


def _month_data(agency: Agency, start: date, end: date) -> dict:
    """Each kind of data for the month, grouped by employee: one query per kind."""
    staff = Q(employee__agency_id=agency.pk, employee__is_active=True)
    in_month = Q(date__gte=start, date__lte=end)

    records: dict[int, dict] = defaultdict(dict)
    attendance = (
        Attendance.objects.filter(staff, in_month)
        .annotate(has_in=ExpressionWrapper(Q(check_in_at__isnull=False), BooleanField()))
        .values_list("employee_id", "date", "status", "minutes_late", "has_in", "check_out_at")
    )
    for pk, day, status, minutes, has_in, out in attendance.iterator(chunk_size=BATCH):
        records[pk][day] = tpp_rules.DayRecord(status, minutes or 0, bool(has_in), out)

    # WFO is the same as no entry; a draft plan does not count, fixed modes always do.
    modes: dict[int, dict] = defaultdict(dict)
    roster = (
        RosterEntry.objects.filter(staff, in_month)
        .exclude(mode=Mode.WFO)
        .filter(Q(published=True) | Q(mode__in=FIXED_MODES))
        .values_list("employee_id", "date", "mode")
    )
    for pk, day, mode in roster.iterator(chunk_size=BATCH):
        modes[pk][day] = mode

    reports: dict[int, set] = defaultdict(set)
    sent = DailyReport.objects.filter(staff, in_month, status__in=SENT_REPORT).values_list(
        "employee_id", "date"
    )
    for pk, day in sent.iterator(chunk_size=BATCH):
        reports[pk].add(day)

    scores = {
        pk: (score, rating)
        for pk, score, rating in Evaluation.objects.filter(agency=agency, period=start).values_list(
            "employee_id", "score", "final_rating"
        )
    }

    sanctions: dict[int, list] = defaultdict(list)
    cases = DisciplineCase.objects.filter(
        agency=agency,
        status__in=DisciplineCase.DECIDED,
        sanction__in=list(tpp_rules.CUT_SANCTIONS),
        sanction_start__isnull=False,
        sanction_start__lte=end,
    ).values_list("employee_id", "pk", "sanction", "sanction_start", "sanction_months")
    for pk, case_id, sanction, first, months in cases:
        sanctions[pk].append(tpp_rules.Sanction(case_id, sanction, first, months))

    return {
        "records": records,
        "modes": modes,
        "reports": reports,
        "scores": scores,
        "sanctions": sanctions,
    }


@transaction.atomic
def tpp_run(*, agency: Agency, period: date) -> dict:
    """Compute every active employee's allowance of the month and replace the month's lines.

    Returns counts: lines written, lines with a problem (no job class or amount), lines still
    awaiting the evaluation, lines cut by a sanction, and the month's net total (a string)."""
    month = _month(agency, period)
    start, end = rules.month_bounds(period.year, period.month)
    config = config_of(agency).tpp
    data = _month_data(agency, start, end)
    now = utcnow()
    counts = {"lines": 0, "with_problem": 0, "awaiting_evaluation": 0, "sanctioned": 0}
    total = 0
    lines = []
    staff = Employee.objects.filter(agency=agency, is_active=True).values_list(
        "pk", "unit_id", "job_class"
    )
    for pk, unit_id, job_class in staff.iterator(chunk_size=BATCH):
        score, rating = data["scores"].get(pk, (None, ""))
        person = tpp_rules.PersonMonth(
            job_class=job_class,
            modes=data["modes"].get(pk, {}),
            records=data["records"].get(pk, {}),
            reports=data["reports"].get(pk, frozenset()),
            score=score,
            rating=rating,
            sanctions=data["sanctions"].get(pk, ()),
        )
        result = tpp_rules.compute(config, month, person)
        lines.append(
            TppLine(
                agency=agency,
                employee_id=pk,
                unit_id=unit_id,
                period=start,
                job_class=job_class,
                base=result.base,
                performance_part=result.performance_part,
                discipline_part=result.discipline_part,
                performance_amount=result.performance_amount,
                late_deduction=result.late_deduction,
                early_leave_deduction=result.early_leave_deduction,
                absence_deduction=result.absence_deduction,
                discipline_amount=result.discipline_amount,
                sanction_cut=result.sanction_cut,
                net=result.net,
                working_days=result.working_days,
                worked_days=result.worked_days,
                breakdown=result.breakdown,
                problem=tpp_rules.problem_text(result.problem_code, job_class)[:300],
                computed_at=now,
            )
        )
        counts["lines"] += 1
        counts["with_problem"] += bool(result.problem_code)
        counts["awaiting_evaluation"] += score is None
        counts["sanctioned"] += result.breakdown["sanction"]["applied"]
        total += result.net
    TppLine.objects.filter(agency=agency, period=start).delete()
    TppLine.objects.bulk_create(lines, batch_size=BATCH)
    return {**counts, "period": start.strftime("%Y-%m"), "net_total": str(total)}
