"""Reads of the effectiveness review (R2, R3): the counted figures of a circular's first working
days, per OPD and overall, and the leadership decisions taken on it. The definitions are in
policy.rules_effectiveness.

Who reads it: those who decide policy (pimpinan, BKPSDM, the platform operator) and the heads of
units (kepala OPD) of the circular's agency. A head sees the whole review, every OPD: it holds
only counts per OPD and day, no one's personal record, and an OPD head is better served seeing
how their unit compares. Other staff, OPD admins and health officers are refused (403); people of
another agency do not see the circular at all (404).

Every figure comes from a fixed number of queries, whatever the number of staff: one aggregate
of roster days grouped by unit, day and mode (with the day's report, attendance and video-call
roll as EXISTS subqueries), one of targets and one of the output reported on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum

from darirumah.attendance.models import Attendance, ViconRoll
from darirumah.core.calendar import AgencyCalendar, calendar_for
from darirumah.org.access import Access
from darirumah.org.models import Unit
from darirumah.performance.models import DailyReport, ReportItem, Target
from darirumah.roster.models import RosterEntry

from . import rules
from . import rules_effectiveness as fx
from .models import Circular, EffectivenessDecision

DONE = (DailyReport.Status.SUBMITTED, DailyReport.Status.APPROVED)
WFH, WFO = fx.WFH_MODES, fx.WFO_MODES
REVIEWED_MODES = (*WFH, *WFO)


def may_read_review(access: Access, circular: Circular) -> bool:
    """Deciders of the agency's policy and its unit heads (see the module docstring)."""
    if access.decides_policy(circular.agency_id):
        return True
    return access.in_agency(circular.agency_id) and access.is_unit_head


def circulars(access: Access) -> QuerySet[Circular]:
    """The circulars of the caller's agencies, with what the review reads of them."""
    return (
        Circular.objects.filter(agency__in=access.agencies())
        .select_related("agency")
        .prefetch_related("units", "offices", "versions", "agency__calendar_days")
    )


def current_ruleset(circular: Circular) -> rules.RuleSet:
    versions = sorted(circular.versions.all(), key=lambda v: v.number)
    return rules.RuleSet.model_validate(versions[-1].rules if versions else {})


def opd_id(unit_path: str) -> int:
    """The OPD (top-level unit) of a unit, from its materialised path "/3/17/42/"."""
    return int(unit_path.strip("/").split("/")[0])


@dataclass(frozen=True)
class Scope:
    """The units a circular covers and the OPDs they belong to (ids and names, by path)."""

    units: dict[int, Unit]  # covered unit id → unit
    opd_of: dict[int, int]  # covered unit id → OPD id
    opds: list[Unit]


def scope(circular: Circular) -> Scope:
    all_units = list(Unit.objects.filter(agency_id=circular.agency_id).order_by("path"))
    covered = rules.covered_units(
        [rules.ScopeUnit(u.pk, u.path, u.office_id) for u in all_units],
        [u.path for u in circular.units.all()],
        {o.pk for o in circular.offices.all()},
    )
    by_id = {u.pk: u for u in all_units}
    units = {pk: by_id[pk] for pk in sorted(covered, key=lambda pk: by_id[pk].path)}
    opd_of = {pk: opd_id(u.path) for pk, u in units.items()}
    opds = [by_id[pk] for pk in dict.fromkeys(opd_of.values()) if pk in by_id]
    return Scope(units=units, opd_of=opd_of, opds=sorted(opds, key=lambda u: u.path))


@dataclass
class Review:
    circular: Circular
    start: date
    through: date
    review_due_on: date
    due: bool
    days: list[date]
    threshold: Decimal
    overall: fx.Row
    opds: list[fx.Row]
    series: list[fx.DayPoint]
    recommendation: fx.Recommendation
    below: list[int]  # OPDs under the threshold
    answer: fx.Answer
    opd_names: dict[int, str] = field(default_factory=dict)

    @property
    def provisional(self) -> bool:
        return not self.due

    def as_json(self) -> dict:
        """The review as stored with a decision and returned by the API (shares as strings)."""
        return {
            "circular": self.circular.pk,
            "number": self.circular.number,
            "start": self.start.isoformat(),
            "through": self.through.isoformat(),
            "review_due_on": self.review_due_on.isoformat(),
            "due": self.due,
            "provisional": self.provisional,
            "working_days": [d.isoformat() for d in self.days],
            "threshold": str(self.threshold),
            "answer": self.answer.value,
            "overall": _row_json(self.overall),
            "opds": [_row_json(r) for r in self.opds],
            "recommendation": {
                "decision": self.recommendation.value,
                "units": self.below,
                "names": [self.opd_names.get(pk, "") for pk in self.below],
            },
            "series": [
                {
                    "day": p.day.isoformat(),
                    "wfh_done": _s(p.wfh.done_share),
                    "wfo_done": _s(p.wfo.done_share),
                    "checkin_compliance": _s(p.everyone.checkin_compliance),
                    "vicon_attendance": _s(p.everyone.vicon_attendance),
                }
                for p in self.series
            ],
        }


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _tally_json(t: fx.Tally, progress: fx.Progress | None = None) -> dict:
    out = {
        "person_days": t.person_days,
        "done": t.done,
        "done_share": _s(t.done_share),
        "checkin_compliance": _s(t.checkin_compliance),
        "on_time_share": _s(t.on_time_share),
        "vicon_attendance": _s(t.vicon_attendance),
    }
    if progress is not None:
        out["target_progress"] = _s(progress.value)
    return out


def _row_json(row: fx.Row) -> dict:
    everyone = row.everyone
    return {
        "unit": row.unit,
        "name": row.name,
        "verdict": row.verdict.value,
        "wfh": _tally_json(row.wfh, row.wfh_progress),
        "wfo": _tally_json(row.wfo, row.wfo_progress),
        "gap": _s(row.gap),
        "person_days": everyone.person_days,
        "report_completion": _s(everyone.done_share),
        "checkin_compliance": _s(everyone.checkin_compliance),
        "on_time_share": _s(everyone.on_time_share),
        "vicon_attendance": _s(everyone.vicon_attendance),
    }


# --- counting ------------------------------------------------------------------------------


def _same_day(model, **filters):
    return Exists(
        model.objects.filter(employee=OuterRef("employee"), date=OuterRef("date"), **filters)
    )


def _counts(sc: Scope, start: date, through: date, days: set[date]) -> list[fx.Count]:
    """One query: person-days per unit, day and mode with their done, check-in and roll counts."""
    roll = ViconRoll.objects.filter(employee=OuterRef("employee"), session__date=OuterRef("date"))
    rows = (
        RosterEntry.objects.filter(
            published=True,
            date__range=(start, through),
            mode__in=REVIEWED_MODES,
            employee__unit_id__in=list(sc.units),
        )
        .values("employee__unit_id", "date", "mode")
        .annotate(
            n=Count("pk"),
            done=Count("pk", filter=Q(_same_day(DailyReport, status__in=DONE))),
            checked_in=Count(
                "pk",
                filter=Q(
                    _same_day(
                        Attendance, status__in=[Attendance.Status.PRESENT, Attendance.Status.LATE]
                    )
                ),
            ),
            on_time=Count("pk", filter=Q(_same_day(Attendance, status=Attendance.Status.PRESENT))),
            vicon_present=Count(
                "pk", filter=Q(Exists(roll.filter(status=ViconRoll.Status.PRESENT)))
            ),
            vicon_absent=Count("pk", filter=Q(Exists(roll.filter(status=ViconRoll.Status.ABSENT)))),
        )
        .order_by()
    )
    found = []
    for row in rows:
        if row["date"] not in days:  # an entry left on a day the calendar no longer works
            continue
        found.append(
            fx.Count(
                opd=sc.opd_of[row["employee__unit_id"]],
                day=row["date"],
                group=fx.group_of(row["mode"]),
                tally=fx.Tally(
                    person_days=row["n"],
                    done=row["done"],
                    checked_in=row["checked_in"],
                    on_time=row["on_time"],
                    vicon_present=row["vicon_present"],
                    vicon_absent=row["vicon_absent"],
                ),
            )
        )
    return found


def _targets(
    sc: Scope, start: date, through: date, calendar: AgencyCalendar
) -> list[fx.TargetLine]:
    """Two queries: the targets overlapping the window with their people's published days per
    group inside both, and the output reported on them per the day's group."""
    targets = Target.objects.filter(
        status=Target.Status.ACTIVE,
        employee__unit_id__in=list(sc.units),
        period_start__lte=through,
        period_end__gte=start,
    )
    day = Q(
        employee__roster__published=True,
        employee__roster__date__range=(start, through),
        employee__roster__date__gte=F("period_start"),
        employee__roster__date__lte=F("period_end"),
    )
    rows = (
        targets.values("pk", "employee__unit_id", "quantity", "period_start", "period_end")
        .annotate(
            wfh_days=Count("employee__roster", filter=day & Q(employee__roster__mode__in=WFH)),
            wfo_days=Count("employee__roster", filter=day & Q(employee__roster__mode__in=WFO)),
        )
        .order_by()
    )
    mode = RosterEntry.objects.filter(
        employee=OuterRef("report__employee"), date=OuterRef("report__date"), published=True
    ).values("mode")[:1]
    output: dict[tuple[int, str], Decimal] = {}
    items = (
        ReportItem.objects.filter(
            target__in=targets,
            report__status__in=DONE,
            report__date__range=(start, through),
            report__date__gte=F("target__period_start"),
            report__date__lte=F("target__period_end"),
        )
        .annotate(mode=Subquery(mode))
        .values("target_id", "mode")
        .annotate(out=Sum("output_quantity"))
        .order_by()
    )
    for item in items:
        group = fx.group_of(item["mode"] or "")
        if group is not None:
            key = (item["target_id"], group)
            output[key] = output.get(key, Decimal(0)) + (item["out"] or Decimal(0))

    @cache
    def period_days(first: date, last: date) -> int:
        return calendar.count_working_days(first, last)

    lines = []
    for row in rows:
        for group in fx.Group:
            days_in_group = row[f"{group.value}_days"]
            if not days_in_group:
                continue
            lines.append(
                fx.TargetLine(
                    opd=sc.opd_of[row["employee__unit_id"]],
                    group=group,
                    quantity=row["quantity"],
                    period_days=period_days(row["period_start"], row["period_end"]),
                    days_in_group=days_in_group,
                    output=output.get((row["pk"], group), Decimal(0)),
                )
            )
    return lines


def review_for(circular: Circular, *, through: date | None = None) -> Review:
    """The review of a circular through a day (default today, never past its end).

    Pass a circular from `circulars()` (agency, scope, versions and calendar prefetched); the
    caller has checked `may_read_review`.
    """
    calendar = calendar_for(circular.agency)
    ruleset = current_ruleset(circular)
    through = through or calendar.today()
    if circular.ends_on is not None:
        through = min(through, circular.ends_on)
    start = circular.starts_on
    days = calendar.working_days(start, through) if through >= start else []
    due_on = calendar.nth_working_day(start, ruleset.review_after_days)
    due = fx.is_due(through=through, review_due_on=due_on, ends_on=circular.ends_on)
    threshold = Decimal(str(ruleset.effectiveness_threshold))
    sc = scope(circular)
    if sc.units and days:
        counts = _counts(sc, start, through, set(days))
        targets = _targets(sc, start, through, calendar)
    else:
        counts, targets = [], []
    overall, opds, series, decision, below = fx.tabulate(
        opds=[(u.pk, u.name) for u in sc.opds],
        days=days,
        counts=counts,
        targets=targets,
        threshold=threshold,
    )
    return Review(
        circular=circular,
        start=start,
        through=through,
        review_due_on=due_on,
        due=due,
        days=days,
        threshold=threshold,
        overall=overall,
        opds=opds,
        series=series,
        recommendation=decision,
        below=below,
        answer=fx.answer(overall.verdict, due=due),
        opd_names={u.pk: u.name for u in sc.opds},
    )


def decisions(circular: Circular) -> list[EffectivenessDecision]:
    """The decisions taken on the circular, newest first, with who took them and their units."""
    return list(
        circular.decisions.select_related("decided_by__employee")
        .prefetch_related("units")
        .order_by("-decided_at", "-pk")
    )
