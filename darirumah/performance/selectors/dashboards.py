"""Reads of the dashboards: a head's unit on a day, every OPD side by side for BKPSDM, and the
leadership's "is WFH working?" over a range.

Who reads which dashboard:
- a unit's: whoever oversees the unit (its admin and head, BKPSDM, pimpinan, the operator) and a
  supervisor whose team works in it (their team's figures only), like the missing-reports list;
- the agency's (every OPD) and the leadership's: BKPSDM and pimpinan of the agency, the platform
  operator. Not staff as such, not the health officer (403); another agency's people get 404.

Definitions, for one person-day (the same in every dashboard):
- staff: the active employees of the scope today (the people who left are not counted back);
- mode: the roster entry of the day when it is published, or a fixed one (leave, official duty,
  isolation) even before the plan is published; a draft plan does not count;
- excused: an attendance record "excused", or a leave/duty/isolation day without any record;
  check-in compliance = (present + late) / (staff − excused); "not yet" = no record at all;
- reports: a report is sent once submitted (a returned one was sent too); those on leave, duty
  or isolation owe none (as on the missing-reports list); report completion = sent reports of
  those who owe one / those who owe one; "late" = the first submission after the deadline;
- WFH share = staff working from home or a flexible location (WFH, WFA) / staff.

Every figure comes from grouped aggregate queries: their number does not grow with the staff or
the units. The leadership dashboard reads each circular's review (policy.selectors_effectiveness,
a few queries each), so it grows with the number of circulars shown, at most MAX_CIRCULARS.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.utils.translation import gettext as _

from darirumah.attendance.models import Attendance, DailyRecap
from darirumah.attendance.services.records import EXCUSING_MODES
from darirumah.core.calendar import AgencyCalendar, calendar_for
from darirumah.core.errors import DomainError
from darirumah.org.access import Access
from darirumah.org.models import Agency, Employee, Role, Unit
from darirumah.policy import rules_effectiveness as fx
from darirumah.policy import selectors_effectiveness as effectiveness
from darirumah.policy.models import Circular
from darirumah.roster.models import FIXED_MODES, RosterEntry

from ..models import DailyReport, DisciplineCase, Evaluation
from . import reads_unit_reports

SERIES_DAYS = 20  # the unit dashboard's charts: the last 20 working days
LEADERSHIP_DAYS = 30  # the leadership dashboard's default range: the last 30 days
MAX_RANGE_DAYS = 366
MAX_CIRCULARS = 10
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)  # days a dashboard can be about
RECOMMENDED = DisciplineCase.Status.RECOMMENDED
share = fx.share

# --- who reads what ------------------------------------------------------------------------------


def reads_unit(access: Access, unit: Unit) -> bool:
    """The unit's dashboard: whoever oversees it, and a supervisor for their team in it."""
    return reads_unit_reports(access, unit)


def reads_agency(access: Access, agency_id: int | None) -> bool:
    """Every OPD side by side and the leadership dashboard: BKPSDM and pimpinan of the agency,
    the platform operator."""
    return access.is_operator or (
        access.in_agency(agency_id) and bool(access.agency_roles & {Role.BKPSDM, Role.PIMPINAN})
    )


def require_agency(access: Access, agency: Agency) -> None:
    access.require(
        reads_agency(access, agency.pk), _("Only BKPSDM and the leadership read this dashboard.")
    )


def check_day(day: date | None, field: str = "date") -> None:
    """DomainError (with the field) for a day no dashboard is about (year 1, year 9999…)."""
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        message = _("Choose a day from %(first)s to %(last)s.") % {
            "first": FIRST_DAY.isoformat(),
            "last": LAST_DAY.isoformat(),
        }
        raise DomainError(message, fields={field: [message]})


# --- scope and figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Staff:
    """The people a dashboard counts: an agency, optionally a unit subtree and a team in it."""

    agency_id: int
    path: str | None = None
    team: frozenset[int] | None = None

    def q(self, prefix: str = "", *, active: bool = True) -> Q:
        q = Q(**{f"{prefix}agency_id": self.agency_id})
        if active:
            q &= Q(**{f"{prefix}is_active": True})
        if self.path is not None:
            q &= Q(**{f"{prefix}unit__path__startswith": self.path})
        if self.team is not None:
            q &= Q(**{f"{prefix}pk__in": list(self.team)})
        return q


@dataclass
class Figures:
    """Counted person-days of one day (or one OPD on a day); see the module's definitions."""

    staff: int = 0
    modes: Counter = field(default_factory=Counter)
    off_unrecorded: int = 0  # leave, duty or isolation without an attendance record
    present: int = 0
    late: int = 0
    absent: int = 0
    excused_records: int = 0
    reports_sent: int = 0
    reports_sent_owed: int = 0  # sent by those who owe a report
    reports_late: int = 0

    def add(self, other: Figures) -> Figures:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    @property
    def excused(self) -> int:
        return self.excused_records + self.off_unrecorded

    @property
    def checked_in(self) -> int:
        return self.present + self.late

    @property
    def not_yet(self) -> int:
        return max(self.staff - self.checked_in - self.absent - self.excused, 0)

    @property
    def checkin_compliance(self) -> Decimal | None:
        return share(self.checked_in, max(self.staff - self.excused, 0))

    @property
    def wfh(self) -> int:
        return sum(self.modes.get(m, 0) for m in fx.WFH_MODES)

    @property
    def wfh_share(self) -> Decimal | None:
        return share(self.wfh, self.staff)

    @property
    def not_in_roster(self) -> int:
        return max(self.staff - sum(self.modes.values()), 0)

    @property
    def owe_report(self) -> int:
        return max(self.staff - sum(self.modes.get(m, 0) for m in EXCUSING_MODES), 0)

    @property
    def reports_missing(self) -> int:
        return max(self.owe_report - self.reports_sent_owed, 0)

    @property
    def report_completion(self) -> Decimal | None:
        return share(min(self.reports_sent_owed, self.owe_report), self.owe_report)


def _same_day(model, **filters) -> Exists:
    return Exists(
        model.objects.filter(employee_id=OuterRef("employee_id"), date=OuterRef("date"), **filters)
    )


def tally(staff: Staff, days: list[date], *, by_opd: bool = False) -> dict:
    """Figures per day (`days`), or per OPD id on the single day `days[0]` (`by_opd`).

    Four grouped queries (staff, roster, attendance, reports), whatever the staff or units."""
    if not days:
        return {}
    key = "employee__unit__path" if by_opd else "date"
    span = {"date__range": (min(days), max(days))}
    found: dict = {}

    def at(value) -> Figures | None:
        if by_opd:
            return found.setdefault(effectiveness.opd_id(value), Figures())
        return found.get(value)

    def grouped(model, *fields, **counts):
        qs = model.objects.filter(staff.q("employee__"), **span)
        return qs.values(key, *fields).annotate(**counts).order_by()

    if by_opd:
        people = Employee.objects.filter(staff.q()).values("unit__path").annotate(n=Count("pk"))
        for row in people.order_by():
            at(row["unit__path"]).staff += row["n"]
    else:
        n = Employee.objects.filter(staff.q()).count()
        found = {d: Figures(staff=n) for d in days}
    roster = grouped(
        RosterEntry, "mode", n=Count("pk"), recorded=Count("pk", filter=Q(_same_day(Attendance)))
    ).filter(Q(published=True) | Q(mode__in=FIXED_MODES))
    for row in roster:
        if (figures := at(row[key])) is not None:
            figures.modes[row["mode"]] += row["n"]
            if row["mode"] in EXCUSING_MODES:
                figures.off_unrecorded += row["n"] - row["recorded"]
    statuses = {
        "present": "present",
        "late": "late",
        "absent": "absent",
        "excused": "excused_records",
    }
    for row in grouped(Attendance, "status", n=Count("pk")):
        if (figures := at(row[key])) is not None and row["status"] in statuses:
            name = statuses[row["status"]]
            setattr(figures, name, getattr(figures, name) + row["n"])
    off = _same_day(RosterEntry, mode__in=EXCUSING_MODES)
    reports = grouped(
        DailyReport,
        sent=Count("pk"),
        owed=Count("pk", filter=~Q(off)),
        late=Count("pk", filter=Q(late=True)),
    ).filter(submitted_at__isnull=False)
    for row in reports:
        if (figures := at(row[key])) is not None:
            figures.reports_sent += row["sent"]
            figures.reports_sent_owed += row["owed"]
            figures.reports_late += row["late"]
    return found


def last_working_days(calendar: AgencyCalendar, day: date, n: int) -> list[date]:
    """The n working days ending on `day` (or on the working day before it), oldest first."""
    last = day if calendar.is_working_day(day) else calendar.previous_working_day(day)
    days = [last]
    while len(days) < n:
        days.append(calendar.previous_working_day(days[-1]))
    return sorted(days)


# --- a unit's day --------------------------------------------------------------------------------


@dataclass
class UnitBoard:
    unit: Unit
    day: date
    today: date
    working_day: bool
    day_off_reason: str | None
    team_only: bool
    figures: Figures
    series: list[tuple[date, Figures]]
    pending_reviews: int
    oldest_pending: date | None
    evaluation_period: date | None
    ratings: dict[str, int]
    discipline_open: int
    discipline_overdue: int


def unit_board(access: Access, unit: Unit, day: date) -> UnitBoard:
    """A unit's day (its subtree) with the last working days' series. NotAllowed unless
    `reads_unit`; a supervisor who does not oversee the unit gets their team's figures."""
    access.require(
        reads_unit(access, unit),
        _("Only the unit's head or admin, a supervisor of its staff, BKPSDM or pimpinan see this."),
    )
    check_day(day)
    team_only = not access.oversees_unit(unit)
    staff = Staff(unit.agency_id, unit.path, frozenset(access.team_in(unit)) if team_only else None)
    calendar = calendar_for(unit.agency, years=[day.year - 1, day.year])
    today = calendar.today()
    days = last_working_days(calendar, day, SERIES_DAYS)
    counted = tally(staff, sorted({*days, day}))
    reviews = DailyReport.objects.filter(
        staff.q("employee__"), status=DailyReport.Status.SUBMITTED
    ).aggregate(n=Count("pk"), oldest=Min("date"))
    this_month = day.replace(day=1)
    months = [this_month, (this_month - timedelta(days=1)).replace(day=1)]
    evaluations = Evaluation.objects.filter(
        agency_id=unit.agency_id, unit__path__startswith=unit.path, period__in=months
    )
    if staff.team is not None:
        evaluations = evaluations.filter(employee_id__in=list(staff.team))
    ratings: dict[date, Counter] = {}
    for row in evaluations.values("period", "final_rating").annotate(n=Count("pk")).order_by():
        ratings.setdefault(row["period"], Counter())[row["final_rating"]] += row["n"]
    period = max(ratings) if ratings else None
    cases = DisciplineCase.objects.filter(staff.q("employee__", active=False), status=RECOMMENDED)
    discipline = cases.aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(decide_by__lt=today))
    )
    return UnitBoard(
        unit=unit,
        day=day,
        today=today,
        working_day=calendar.is_working_day(day),
        day_off_reason=calendar.day_off_reason(day),
        team_only=team_only,
        figures=counted[day],
        series=[(d, counted[d]) for d in days],
        pending_reviews=reviews["n"],
        oldest_pending=reviews["oldest"],
        evaluation_period=period,
        ratings=dict(ratings[period]) if period else {},
        discipline_open=discipline["open"],
        discipline_overdue=discipline["overdue"],
    )


# --- every OPD on a day --------------------------------------------------------------------------


@dataclass
class OpdRow:
    unit: Unit
    figures: Figures
    recap: DailyRecap | None
    discipline_open: int = 0
    discipline_overdue: int = 0

    @property
    def recap_status(self) -> str:
        """ "sent", "not_sent" (produced at report time, not sent yet) or "not_produced"."""
        if self.recap is None:
            return "not_produced"
        return "sent" if self.recap.sent_at is not None else "not_sent"


@dataclass
class AgencyBoard:
    agency: Agency
    day: date
    today: date
    working_day: bool
    day_off_reason: str | None
    rows: list[OpdRow]
    totals: Figures
    discipline_open: int = 0
    discipline_overdue: int = 0

    @property
    def recaps_sent(self) -> int:
        return sum(1 for r in self.rows if r.recap_status == "sent")

    @property
    def recaps_missing(self) -> int:
        return len(self.rows) - self.recaps_sent


def agency_board(access: Access, agency: Agency, day: date) -> AgencyBoard:
    """Every OPD (active top-level unit) of the agency on a day, by name. NotAllowed unless
    `reads_agency`."""
    require_agency(access, agency)
    check_day(day)
    calendar = calendar_for(agency, years=[day.year])
    today = calendar.today()
    opds = list(Unit.objects.filter(agency=agency, parent__isnull=True, is_active=True))
    counted = tally(Staff(agency.pk), [day], by_opd=True)
    recaps = {r.unit_id: r for r in DailyRecap.objects.filter(agency=agency, date=day)}
    rows = {
        u.pk: OpdRow(unit=u, figures=counted.get(u.pk, Figures()), recap=recaps.get(u.pk))
        for u in opds
    }
    cases = (
        DisciplineCase.objects.filter(agency=agency, status=RECOMMENDED)
        .values("employee__unit__path")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(decide_by__lt=today)))
        .order_by()
    )
    for row in cases:
        opd = rows.get(effectiveness.opd_id(row["employee__unit__path"]))
        if opd is not None:
            opd.discipline_open += row["n"]
            opd.discipline_overdue += row["overdue"]
    ordered = sorted(rows.values(), key=lambda r: r.unit.name)
    totals = Figures()
    for row in ordered:
        totals.add(row.figures)
    return AgencyBoard(
        agency=agency,
        day=day,
        today=today,
        working_day=calendar.is_working_day(day),
        day_off_reason=calendar.day_off_reason(day),
        rows=ordered,
        totals=totals,
        discipline_open=sum(r.discipline_open for r in ordered),
        discipline_overdue=sum(r.discipline_overdue for r in ordered),
    )


# --- leadership: is WFH working? -----------------------------------------------------------------


def check_range(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """The range asked for, by default the last 30 days through today; DomainError (with the
    fields) when it is reversed or longer than a year."""
    check_day(start, "start")
    check_day(end, "end")
    if end is None:
        end = today if start is None else start + timedelta(days=LEADERSHIP_DAYS - 1)
    if start is None:
        start = end - timedelta(days=LEADERSHIP_DAYS - 1)
    if start > end:
        message = _("The start must not be after the end.")
        raise DomainError(message, fields={"start": [message]})
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        message = _("Choose a range of at most %(n)s days.") % {"n": MAX_RANGE_DAYS}
        raise DomainError(message, fields={"end": [message]})
    return start, end


@dataclass
class LeadershipBoard:
    agency: Agency
    start: date
    end: date
    through: date  # the last day with figures: the end, or today when the end is later
    reviews: list[effectiveness.Review]
    series: list[tuple[date, Figures]]


def leadership_circulars(access: Access, agency: Agency, start: date, end: date) -> list:
    """The agency's circulars in force or ended within the range (never drafts): those in force
    first, then the newest start; at most MAX_CIRCULARS."""
    overlapping = (
        effectiveness.circulars(access)
        .filter(agency=agency, starts_on__lte=end)
        .exclude(status=Circular.Status.DRAFT)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .order_by("-starts_on", "-pk")
    )
    found = list(overlapping[: MAX_CIRCULARS * 2])
    found.sort(key=lambda c: c.status not in Circular.IN_FORCE)
    return found[:MAX_CIRCULARS]


def leadership_board(
    access: Access, agency: Agency, start: date | None = None, end: date | None = None
) -> LeadershipBoard:
    """Each circular's answer and daily series through the range's end (or today), and the
    agency's WFH share and check-in compliance per working day. NotAllowed unless
    `reads_agency`; DomainError for a bad range."""
    require_agency(access, agency)
    calendar = calendar_for(agency)
    today = calendar.today()
    start, end = check_range(start, end, today)
    through = min(end, today)
    days = calendar.working_days(start, through) if start <= through else []
    counted = tally(Staff(agency.pk), days)
    reviews = [
        effectiveness.review_for(circular, through=through)
        for circular in leadership_circulars(access, agency, start, end)
    ]
    return LeadershipBoard(
        agency=agency,
        start=start,
        end=end,
        through=through,
        reviews=reviews,
        series=[(d, counted[d]) for d in days],
    )
