"""The health dashboard: today's open cases, isolations and closures, the counts per OPD and a
timeline over a period, in a constant number of queries (aggregated in the database, or one pass
in Python over the period's rows; never a query per day or per unit).

Who sees what (UU 27/2022: health data is specific personal data):
- everyone of the agency and the platform operator: the counts, per OPD (a top-level unit with
  its whole subtree) at the finest — never a name, a NIP or a unit below the OPD;
- the names-readers (health officers, the head of BKPSDM) who give a reason: also the people
  with an open case and those isolated today; the read is written to the access log with the
  people shown.

A case is open (suspect, probable or confirmed) from the day it was recorded or confirmed,
whichever came first, until it was closed (recovered or died). An isolation is active from its
first to its last day unless cancelled (ending early shortens it); a closure likewise (reopening
shortens it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from darirumah.core import calendar as calendar_service
from darirumah.core.calendar import zone_info
from darirumah.core.errors import DomainError, NotFound
from darirumah.org.access import Access
from darirumah.org.models import Agency, Employee, Unit

from ..models import Closure, HealthAccessLog, HealthCase, Isolation
from ..services.audit import clean_reason, health_access_log

DEFAULT_DAYS = 60  # the timeline without dates: the last 60 days through today
MAX_DAYS = 366
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)
CLOSED = (HealthCase.Status.RECOVERED, HealthCase.Status.DIED)


# --- the period ---------------------------------------------------------------------------------


def _check_day(day: date | None, name: str) -> None:
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        message = _("Choose a day from %(first)s to %(last)s.") % {
            "first": FIRST_DAY.isoformat(),
            "last": LAST_DAY.isoformat(),
        }
        raise DomainError(message, fields={name: [message]})


def check_range(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """The period asked for: by default the last 60 days through today (from a start after
    today, 60 days from it); DomainError with the fields when it is reversed, out of the
    calendar or longer than 366 days."""
    _check_day(start, "start")
    _check_day(end, "end")
    if end is None:
        end = today if start is None or start <= today else start + timedelta(DEFAULT_DAYS - 1)
    if start is None:
        start = end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        message = _("The start must not be after the end.")
        raise DomainError(message, fields={"start": [message]})
    if (end - start).days + 1 > MAX_DAYS:
        message = _("Choose a range of at most %(n)s days.") % {"n": MAX_DAYS}
        raise DomainError(message, fields={"end": [message]})
    return start, end


# --- what the dashboard holds ---------------------------------------------------------------------


@dataclass
class Opd:
    unit_id: int
    name: str
    staff: int = 0
    confirmed: int = 0  # confirmed cases not closed
    isolated: int = 0  # people isolated today


@dataclass
class Day:
    day: date
    new_confirmed: int
    active_cases: int
    isolations: int
    closed_offices: int
    closed_rooms: int


@dataclass
class ClosedPlace:
    closure_id: int
    office_id: int
    office: str
    whole: bool  # the whole building, else only `rooms`
    rooms: list[str]
    starts_on: date
    ends_on: date


@dataclass
class NamedCase:
    case_id: int
    employee_id: int
    name: str
    nip: str
    unit: str
    opd: str
    status: str
    confirmed_on: date | None
    symptom_onset: date | None


@dataclass
class NamedIsolation:
    isolation_id: int
    employee_id: int
    name: str
    nip: str
    unit: str
    opd: str
    reason: str
    starts_on: date
    ends_on: date


@dataclass
class Dashboard:
    agency: Agency
    today: date
    start: date
    end: date
    # Today: open cases by status, and "open" for the three together.
    cases: dict[str, int]
    # Over the period: cases confirmed, recovered and died.
    period: dict[str, int]
    # Today: the people isolated, in all and by reason.
    isolated: int
    isolations: dict[str, int]
    # Today: the offices closed whole and the rooms closed, and each closure in force.
    offices_closed: int
    rooms_closed: int
    closures: list[ClosedPlace]
    opds: list[Opd]
    timeline: list[Day]
    named: bool = False
    named_cases: list[NamedCase] | None = None
    named_isolations: list[NamedIsolation] | None = None


# --- helpers --------------------------------------------------------------------------------------


def _count_spans(spans, start: date, end: date) -> list[int]:
    """How many of the spans ([first, last] days, last None = still going) cover each day of
    [start, end]: one pass with a difference array."""
    size = (end - start).days + 1
    diff = [0] * (size + 1)
    for first, last in spans:
        lo = max(first, start)
        hi = end if last is None else min(last, end)
        if lo > hi:
            continue
        diff[(lo - start).days] += 1
        diff[(hi - start).days + 1] -= 1
    counts, running = [], 0
    for i in range(size):
        running += diff[i]
        counts.append(running)
    return counts


def _merged(rows) -> list[tuple[date, date]]:
    """Each person's isolations merged into separate spans, so a person counts once a day."""
    spans: list[tuple[date, date]] = []
    by_person: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for person, first, last in rows:
        by_person[person].append((first, last))
    for periods in by_person.values():
        periods.sort()
        first, last = periods[0]
        for lo, hi in periods[1:]:
            if lo <= last + timedelta(days=1):
                last = max(last, hi)
            else:
                spans.append((first, last))
                first, last = lo, hi
        spans.append((first, last))
    return spans


def _opd_path(path: str) -> str:
    """The OPD (top-level unit) of a unit path: "/3/17/42/" → "/3/"."""
    end = path.find("/", 1)
    return path[: end + 1] if end > 0 else path


def _active_on(day: date) -> Q:
    return Q(cancelled=False, starts_on__lte=day, ends_on__gte=day)


# --- the parts ------------------------------------------------------------------------------------


def _case_figures(agency: Agency, start: date, end: date, today: date):
    """Today's open cases by status; the period's confirmed, recovered and died; the timeline's
    new confirmed and open cases per day. Two queries."""
    by_status = dict(
        HealthCase.objects.filter(agency=agency, status__in=HealthCase.OPEN)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    cases = {s.value: by_status.get(s.value, 0) for s in HealthCase.OPEN}
    cases["open"] = sum(cases.values())
    tz = zone_info(agency.zone)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    rows = (
        HealthCase.objects.filter(agency=agency)
        .filter(Q(confirmed_on__lte=end) | Q(created_at__lt=until))
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start) | Q(confirmed_on__gte=start))
        .values_list("status", "confirmed_on", "closed_on", "created_at", "updated_at")
    )
    size = (end - start).days + 1
    confirmed = [0] * size
    period = {"new_confirmed": 0, "recovered": 0, "died": 0}
    spans = []
    for status, confirmed_on, closed_on, created_at, updated_at in rows:
        if confirmed_on is not None and start <= confirmed_on <= end:
            confirmed[(confirmed_on - start).days] += 1
            period["new_confirmed"] += 1
        first = created_at.astimezone(tz).date()
        if confirmed_on is not None:
            first = min(first, confirmed_on)
        if status in CLOSED:
            stop = closed_on or updated_at.astimezone(tz).date()
            if start <= stop <= end:
                period[status] += 1
            spans.append((first, stop - timedelta(days=1)))
        else:
            spans.append((first, None))
    return cases, period, confirmed, _count_spans(spans, start, end)


def _isolation_figures(agency: Agency, start: date, end: date, today: date):
    """Today's isolated people by reason; the people isolated each day of the period. Two
    queries."""
    by_reason = dict(
        Isolation.objects.filter(_active_on(today), agency=agency)
        .values_list("reason")
        .annotate(n=Count("employee", distinct=True))
        .order_by()
    )
    reasons = {r.value: by_reason.get(r.value, 0) for r in Isolation.Reason}
    rows = Isolation.objects.filter(
        agency=agency, cancelled=False, starts_on__lte=end, ends_on__gte=start
    ).values_list("employee_id", "starts_on", "ends_on")
    return reasons, _count_spans(_merged(rows), start, end)


def _closure_figures(agency: Agency, start: date, end: date, today: date):
    """Today's closures; the offices closed whole and the rooms closed each day of the period.
    Two queries (the closures with their office, and their rooms)."""
    closures = list(
        Closure.objects.filter(
            agency=agency, starts_on__lte=max(end, today), ends_on__gte=min(start, today)
        )
        .select_related("office")
        .prefetch_related("rooms")
        .order_by("office__name", "starts_on", "pk")
    )
    size = (end - start).days + 1
    offices: list[set[int]] = [set() for _i in range(size)]
    rooms: list[set[int]] = [set() for _i in range(size)]
    places, offices_today, rooms_today = [], set(), set()
    for closure in closures:
        own = sorted(closure.rooms.all(), key=lambda r: r.name)
        lo, hi = max(closure.starts_on, start), min(closure.ends_on, end)
        for i in range((lo - start).days, (hi - start).days + 1):
            if own:
                rooms[i].update(r.pk for r in own)
            else:
                offices[i].add(closure.office_id)
        if closure.starts_on <= today <= closure.ends_on:
            if own:
                rooms_today.update(r.pk for r in own)
            else:
                offices_today.add(closure.office_id)
            places.append(
                ClosedPlace(
                    closure_id=closure.pk,
                    office_id=closure.office_id,
                    office=closure.office.name,
                    whole=not own,
                    rooms=[r.name for r in own],
                    starts_on=closure.starts_on,
                    ends_on=closure.ends_on,
                )
            )
    daily = ([len(s) for s in offices], [len(s) for s in rooms])
    return places, len(offices_today), len(rooms_today), daily


def _opd_figures(agency: Agency, today: date) -> tuple[list[Opd], dict[str, str]]:
    """Per OPD (a unit without a parent, with its whole subtree): active staff, confirmed cases
    not closed, people isolated today. Four queries, summed over the unit paths."""
    tops = list(
        Unit.objects.filter(agency=agency, parent__isnull=True)
        .order_by("name", "pk")
        .values_list("pk", "name", "path", "is_active")
    )
    rows = {path: Opd(unit_id=pk, name=name) for pk, name, path, _active in tops}
    active = {path for _pk, _name, path, is_active in tops if is_active}

    def add(rows_by_path, attr: str) -> None:
        for path, n in rows_by_path:
            row = rows.get(_opd_path(path or ""))
            if row is not None:
                setattr(row, attr, getattr(row, attr) + n)

    staff = Employee.objects.filter(agency=agency, is_active=True).values_list("unit__path")
    add(staff.annotate(n=Count("pk")).order_by(), "staff")
    confirmed = HealthCase.objects.filter(agency=agency, status=HealthCase.Status.CONFIRMED)
    isolated = Isolation.objects.filter(_active_on(today), agency=agency)
    for queryset, attr in ((confirmed, "confirmed"), (isolated, "isolated")):
        # A person is in one unit: distinct people per unit add up to distinct people per OPD.
        people = queryset.values_list("employee__unit__path")
        add(people.annotate(n=Count("employee", distinct=True)).order_by(), attr)
    shown = [row for path, row in rows.items() if path in active or row.confirmed or row.isolated]
    return shown, {path: row.name for path, row in rows.items()}


def _names(agency: Agency, today: date, opd_names: dict[str, str]):
    """The people with an open case and those isolated today. Two queries."""

    def person(employee) -> dict:
        return {
            "employee_id": employee.pk,
            "name": employee.name,
            "nip": employee.nip,
            "unit": employee.unit.name,
            "opd": opd_names.get(_opd_path(employee.unit.path), ""),
        }

    cases = [
        NamedCase(
            case_id=case.pk,
            status=case.status,
            confirmed_on=case.confirmed_on,
            symptom_onset=case.symptom_onset,
            **person(case.employee),
        )
        for case in HealthCase.objects.filter(agency=agency, status__in=HealthCase.OPEN)
        .select_related("employee__unit")
        .order_by("employee__name", "pk")
    ]
    isolations = [
        NamedIsolation(
            isolation_id=row.pk,
            reason=row.reason,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            **person(row.employee),
        )
        for row in Isolation.objects.filter(_active_on(today), agency=agency)
        .select_related("employee__unit")
        .order_by("employee__name", "starts_on", "pk")
    ]
    return cases, isolations


# --- the dashboard --------------------------------------------------------------------------------


def health_dashboard(
    access: Access,
    agency: Agency,
    start: date | None = None,
    end: date | None = None,
    reason: str | None = None,
) -> Dashboard:
    """The agency's health dashboard over [start, end] (the last 60 days by default) for
    everyone of the agency and the platform operator; with the names for a names-reader who
    gives a reason (the read is logged with the people shown). NotFound outside the caller's
    agencies, DomainError for a bad period or reason."""
    if not access.in_agency(agency.pk):
        raise NotFound(_("Not found, or not visible to you."))
    today = calendar_service.calendar_for(agency, years=[]).today()
    start, end = check_range(start, end, today)
    named = reason is not None and access.reads_health_names(agency.pk)
    if named:
        reason = clean_reason(reason)
    cases, period, confirmed, open_cases = _case_figures(agency, start, end, today)
    reasons, isolated_daily = _isolation_figures(agency, start, end, today)
    places, offices_closed, rooms_closed, (offices, rooms) = _closure_figures(
        agency, start, end, today
    )
    opds, opd_names = _opd_figures(agency, today)
    timeline = [
        Day(
            day=start + timedelta(days=i),
            new_confirmed=confirmed[i],
            active_cases=open_cases[i],
            isolations=isolated_daily[i],
            closed_offices=offices[i],
            closed_rooms=rooms[i],
        )
        for i in range((end - start).days + 1)
    ]
    board = Dashboard(
        agency=agency,
        today=today,
        start=start,
        end=end,
        cases=cases,
        period=period,
        isolated=sum(row.isolated for row in opds),
        isolations=reasons,
        offices_closed=offices_closed,
        rooms_closed=rooms_closed,
        closures=places,
        opds=opds,
        timeline=timeline,
    )
    if named:
        board.named = True
        board.named_cases, board.named_isolations = _names(agency, today, opd_names)
        shown = {row.employee_id for row in board.named_cases}
        shown |= {row.employee_id for row in board.named_isolations}
        health_access_log(
            access=access,
            agency_id=agency.pk,
            action=HealthAccessLog.Action.LIST,
            subject="dashboard",
            reason=reason,
            employees=shown,
        )
    return board
