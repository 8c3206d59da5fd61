"""Contact tracing of a confirmed case: who was physically at the same office on the days the case
was there, in the tracing window (rules/tracing.py ranks them).

"Physically at the office" is exactly the condition of the partial index `attendance_on_site`:
present or late on a day the roster said WFO or said nothing (an ordinary office day). The
colleagues of a building are read in one query over that index, whatever the size of the agency
(bench/bench_tracing.py: 10,000 employees with a year of attendance).

Names-readers only (org/access.py `reads_health_names`); `trace` writes the read to the access
log with the caller's reason. `traced` is the same computation without the check or the log, for
services/contacts.py, which checks and logs itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _

from darirumah.attendance.models import Attendance
from darirumah.core.errors import DomainError, NotAllowed, NotFound
from darirumah.org.access import Access
from darirumah.org.models import Employee, Room, Unit

from ..models import CloseContact, HealthAccessLog, HealthCase, HealthTest
from ..rules import tracing as rules
from ..services.audit import clean_reason, health_access_log
from .settings import health_config

# The condition of the partial index attendance_on_site (attendance/models.py), word for word.
ON_SITE_STATUSES = (Attendance.Status.PRESENT.value, Attendance.Status.LATE.value)
ON_SITE_MODES = ("WFO", "")


@dataclass
class Trace:
    case: HealthCase
    reference: date
    start: date
    end: date
    trace_days: int
    office_id: int | None
    case_days: list[date]
    contacts: rules.Ranked = field(default_factory=rules.Ranked)

    @property
    def by_id(self) -> dict[int, rules.Contact]:
        return {c.id: c for c in self.contacts}


def case_for_tracing(access: Access, pk: int) -> HealthCase:
    """The case whose contacts the caller may trace: a names-reader of its agency. Outside the
    caller's agency it does not exist (404); inside it, only names-readers trace (403)."""
    case = HealthCase.objects.filter(pk=pk).select_related("employee__unit", "agency").first()
    if case is None or not access.in_agency(case.agency_id) or access.agency_id is None:
        raise NotFound(_("Not found, or not visible to you."))
    if not access.reads_health_names(case.agency_id):
        raise NotAllowed(
            _("Only the agency's health officers and the head of BKPSDM trace contacts.")
        )
    return case


def first_positive_test(case: HealthCase) -> date | None:
    return (
        HealthTest.objects.filter(case=case, result=HealthTest.Result.POSITIVE)
        .order_by("taken_on")
        .values_list("taken_on", flat=True)
        .first()
    )


def reference_of(case: HealthCase) -> date:
    """The day tracing counts back from, or a DomainError when the case has none."""
    positive = None if case.symptom_onset else first_positive_test(case)
    ref = rules.reference_date(case.symptom_onset, positive, case.confirmed_on)
    if ref is None:
        raise DomainError(
            _(
                "Record the symptom onset, a positive test or the day the case was confirmed: "
                "tracing counts back from it."
            ),
            code="no_reference_date",
        )
    return ref


def _on_site() -> Q:
    return Q(status__in=ON_SITE_STATUSES, expected_mode__in=ON_SITE_MODES)


def office_of(employee) -> int | None:
    """The building the person works in: their own office, else their unit's
    (services/roster.office_staff_ids counts staff the same way)."""
    return employee.office_id or employee.unit.office_id


def on_site_colleagues(person_id: int, office_id: int, case_days: list[date]) -> list[tuple]:
    """One query: the building's active staff (their own office, else their unit's — as
    services/roster.office_staff_ids counts them) who were on site on the case's days, one row
    per person: id, name, unit id, unit name, room id, room name, and their days as the bits of
    a number (bit i: the case's i-th day; a person has one row a day, so the sum is the union).

    Written in SQL because of its shape, which the ORM cannot express: the day rows — read
    over the partial index attendance_on_site, its condition word for word — are kept to the
    building's staff by a semi-join and summed per person first; only the sums (one per person)
    are joined to the names. Joining every day row to the staff before grouping, as the ORM
    would, takes half as long again on PostgreSQL (bench/bench_tracing.py). Plain SQL: the same
    text runs on SQLite."""
    q = connection.ops.quote_name
    attendance, employee = Attendance._meta.db_table, Employee._meta.db_table
    unit, room = Unit._meta.db_table, Room._meta.db_table
    marks = " ".join("WHEN a.date = %s THEN %s" for _ in case_days)
    listed = ", ".join("%s" for _ in case_days)
    # Only placeholders and quoted table names are put into the text; the values are parameters.
    sql = f"""
        SELECT e.id, e.name, e.unit_id, u.name, e.room_id, r.name, s.days
        FROM (
            SELECT a.employee_id, SUM(CASE {marks} ELSE 0 END) AS days
            FROM {q(attendance)} a
            WHERE a.date IN ({listed}) AND a.status IN (%s, %s) AND a.expected_mode IN (%s, %s)
                AND a.employee_id IN (
                    SELECT b.id FROM {q(employee)} b JOIN {q(unit)} c ON c.id = b.unit_id
                    WHERE b.is_active = %s AND b.id <> %s
                        AND (b.office_id = %s OR (b.office_id IS NULL AND c.office_id = %s))
                )
            GROUP BY a.employee_id
        ) s
        JOIN {q(employee)} e ON e.id = s.employee_id
        JOIN {q(unit)} u ON u.id = e.unit_id
        LEFT JOIN {q(room)} r ON r.id = e.room_id
    """  # noqa: S608
    params = [value for i, day in enumerate(case_days) for value in (day, 1 << i)]
    params += [*case_days, *ON_SITE_STATUSES, *ON_SITE_MODES]
    params += [True, person_id, office_id, office_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def traced(case: HealthCase) -> Trace:
    """The ranked colleagues of a confirmed case (no access check, no log)."""
    if case.status != HealthCase.Status.CONFIRMED:
        raise DomainError(
            _(
                "Contacts are traced for confirmed cases only; this case is %(status)s. Confirm "
                "it first (a positive PCR or antigen test)."
            )
            % {"status": case.get_status_display().lower()},
            code="not_confirmed",
        )
    trace_days = health_config(case.agency_id).trace_days
    ref = reference_of(case)
    start, end = rules.window(ref, trace_days)
    person = case.employee
    office_id = office_of(person)
    case_days = sorted(
        Attendance.objects.filter(_on_site(), employee_id=person.pk, date__range=(start, end))
        .values_list("date", flat=True)
        .order_by()
    )
    result = Trace(
        case=case,
        reference=ref,
        start=start,
        end=end,
        trace_days=trace_days,
        office_id=office_id,
        case_days=case_days,
    )
    if office_id is None or not case_days:
        return result
    rows = on_site_colleagues(person.pk, office_id, case_days)
    marked = set(CloseContact.objects.filter(case=case).values_list("employee_id", flat=True))
    days_of: dict[int, tuple[date, ...]] = {}
    colleagues = []
    for pk, name, unit_id, unit_name, room_id, room_name, bits in rows:
        days = days_of.get(bits)
        if days is None:
            days = days_of[bits] = tuple(d for i, d in enumerate(case_days) if bits >> i & 1)
        # A plain tuple in the order of rules.Colleague (see rules/tracing.py: why not the
        # named tuple).
        colleagues.append((pk, name, unit_id, room_id, days, unit_name or "", room_name or ""))
    result.contacts = rules.Ranked(
        rules.rank_rows(rules.Person(person.unit_id, person.room_id), case_days, colleagues, marked)
    )
    return result


def trace(access: Access, case: HealthCase, reason: str) -> Trace:
    """The ranked colleagues of a confirmed case, for a names-reader of its agency; the read is
    written to the access log with the people listed."""
    if not access.in_agency(case.agency_id) or access.agency_id is None:
        raise NotFound(_("Not found, or not visible to you."))
    if not access.reads_health_names(case.agency_id):
        raise NotAllowed(
            _("Only the agency's health officers and the head of BKPSDM trace contacts.")
        )
    reason = clean_reason(reason)
    result = traced(case)
    health_access_log(
        access=access,
        agency_id=case.agency_id,
        action=HealthAccessLog.Action.TRACE,
        subject=f"case:{case.pk}",
        reason=reason,
        employees=[case.employee_id, *result.contacts.ids()],
    )
    return result
