"""Performance API: the dashboards (a head's unit, every OPD for BKPSDM, the leadership's "is WFH
working?"). Shares are decimals from 0 to 1 with four places (JSON strings, exact), null when
there is nothing to divide; the definitions are in selectors/dashboards.py."""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from darirumah.core.calendar import calendar_for
from darirumah.core.errors import DomainError
from darirumah.org.access import Access, access_for, get_visible
from darirumah.org.models import Agency, Unit

from ..selectors import dashboards as selectors

router = Router(tags=["performance"])


class FiguresOut(Schema):
    staff: int
    modes: dict[str, int]
    not_in_roster: int
    wfh: int
    wfh_share: Decimal | None
    present: int
    late: int
    absent: int
    excused: int
    not_yet: int
    checkin_compliance: Decimal | None
    reports_submitted: int
    reports_missing: int
    reports_late: int
    report_completion: Decimal | None


class PointOut(Schema):
    day: date
    staff: int
    wfh_share: Decimal | None
    checkin_compliance: Decimal | None
    report_completion: Decimal | None


class UnitDashboardOut(Schema):
    unit_id: int
    unit_name: str
    agency_id: int
    date: date
    today: date
    working_day: bool
    team_only: bool
    figures: FiguresOut
    pending_reviews: int
    oldest_pending_review: date | None
    evaluation_period: str | None
    ratings: dict[str, int]
    discipline_open: int
    discipline_overdue: int
    series: list[PointOut]


class OpdOut(Schema):
    unit_id: int
    unit_name: str
    figures: FiguresOut
    recap: str
    recap_id: int | None
    recap_sent_at: datetime | None
    discipline_open: int
    discipline_overdue: int


class AgencyDashboardOut(Schema):
    agency_id: int
    agency_name: str
    date: date
    today: date
    working_day: bool
    opds: list[OpdOut]
    totals: FiguresOut
    recaps_sent: int
    recaps_missing: int
    discipline_open: int
    discipline_overdue: int


class ReviewPointOut(Schema):
    day: date
    wfh_done: Decimal | None
    wfo_done: Decimal | None
    checkin_compliance: Decimal | None


class CircularOut(Schema):
    id: int
    number: str
    title: str
    status: str
    starts_on: date
    ends_on: date | None
    through: date
    answer: str
    due: bool
    review_due_on: date
    recommendation: str
    threshold: Decimal
    wfh_done: Decimal | None
    wfo_done: Decimal | None
    review_url: str
    series: list[ReviewPointOut]


class LeadershipDashboardOut(Schema):
    agency_id: int
    agency_name: str
    start: date
    end: date
    through: date
    circulars: list[CircularOut]
    series: list[PointOut]


def figures_out(f: selectors.Figures) -> dict:
    return {
        "staff": f.staff,
        "modes": dict(sorted(f.modes.items())),
        "not_in_roster": f.not_in_roster,
        "wfh": f.wfh,
        "wfh_share": f.wfh_share,
        "present": f.present,
        "late": f.late,
        "absent": f.absent,
        "excused": f.excused,
        "not_yet": f.not_yet,
        "checkin_compliance": f.checkin_compliance,
        "reports_submitted": f.reports_sent,
        "reports_missing": f.reports_missing,
        "reports_late": f.reports_late,
        "report_completion": f.report_completion,
    }


def point_out(day: date, f: selectors.Figures) -> dict:
    return {
        "day": day,
        "staff": f.staff,
        "wfh_share": f.wfh_share,
        "checkin_compliance": f.checkin_compliance,
        "report_completion": f.report_completion,
    }


def _agency(access: Access, agency: int | None) -> Agency:
    """`?agency=` among those visible (404 outside), else the caller's own; the platform
    operator without one must choose."""
    if agency is not None:
        return get_visible(access.agencies(), agency)
    if access.agency_id is None:
        message = _("Choose an agency.")
        raise DomainError(message, fields={"agency": [message]})
    return Agency.objects.get(pk=access.agency_id)


def _unit(access: Access, unit: int | None) -> Unit:
    units = access.units().select_related("agency")
    if unit is not None:
        return get_visible(units, unit)
    if access.employee is None:
        message = _("Choose a unit.")
        raise DomainError(message, fields={"unit": [message]})
    return units.get(pk=access.employee.unit_id)


@router.get("/dashboards/unit", response=UnitDashboardOut)
def dashboard_unit(request, unit: int | None = None, date: dt.date | None = None):
    """A unit's day (with its sub-units): today's modes, check-in, daily reports, pending
    reviews, the month's ratings if evaluated, open discipline cases, and the last 20 working
    days' check-in compliance and report completion. `unit` defaults to the caller's own, `date`
    to today. A supervisor who does not oversee the unit gets their team's figures."""
    access = access_for(request.user)
    chosen = _unit(access, unit)
    day = date or calendar_for(chosen.agency, years=[]).today()
    board = selectors.unit_board(access, chosen, day)
    return {
        "unit_id": chosen.pk,
        "unit_name": chosen.name,
        "agency_id": chosen.agency_id,
        "date": board.day,
        "today": board.today,
        "working_day": board.working_day,
        "team_only": board.team_only,
        "figures": figures_out(board.figures),
        "pending_reviews": board.pending_reviews,
        "oldest_pending_review": board.oldest_pending,
        "evaluation_period": (
            board.evaluation_period.strftime("%Y-%m") if board.evaluation_period else None
        ),
        "ratings": board.ratings,
        "discipline_open": board.discipline_open,
        "discipline_overdue": board.discipline_overdue,
        "series": [point_out(d, f) for d, f in board.series],
    }


@router.get("/dashboards/agency", response=AgencyDashboardOut)
def dashboard_agency(request, date: dt.date | None = None, agency: int | None = None):
    """Every OPD of the agency side by side on a day (default today): staff, WFH share,
    check-in, reports sent, the daily recap (sent, not sent, not produced yet) and open or
    overdue discipline cases. For BKPSDM, pimpinan and the platform operator (`agency`)."""
    access = access_for(request.user)
    chosen = _agency(access, agency)
    day = date or calendar_for(chosen, years=[]).today()
    board = selectors.agency_board(access, chosen, day)
    return {
        "agency_id": chosen.pk,
        "agency_name": chosen.name,
        "date": board.day,
        "today": board.today,
        "working_day": board.working_day,
        "opds": [
            {
                "unit_id": row.unit.pk,
                "unit_name": row.unit.name,
                "figures": figures_out(row.figures),
                "recap": row.recap_status,
                "recap_id": row.recap.pk if row.recap else None,
                "recap_sent_at": row.recap.sent_at if row.recap else None,
                "discipline_open": row.discipline_open,
                "discipline_overdue": row.discipline_overdue,
            }
            for row in board.rows
        ],
        "totals": figures_out(board.totals),
        "recaps_sent": board.recaps_sent,
        "recaps_missing": board.recaps_missing,
        "discipline_open": board.discipline_open,
        "discipline_overdue": board.discipline_overdue,
    }


def circular_out(review) -> dict:
    circular = review.circular
    return {
        "id": circular.pk,
        "number": circular.number,
        "title": circular.title,
        "status": circular.status,
        "starts_on": circular.starts_on,
        "ends_on": circular.ends_on,
        "through": review.through,
        "answer": review.answer.value,
        "due": review.due,
        "review_due_on": review.review_due_on,
        "recommendation": review.recommendation.value,
        "threshold": review.threshold,
        "wfh_done": review.overall.wfh.done_share,
        "wfo_done": review.overall.wfo.done_share,
        "review_url": reverse("circular_effectiveness", args=[circular.pk]),
        "series": [
            {
                "day": p.day,
                "wfh_done": p.wfh.done_share,
                "wfo_done": p.wfo.done_share,
                "checkin_compliance": p.everyone.checkin_compliance,
            }
            for p in review.series
        ],
    }


@router.get("/dashboards/leadership", response=LeadershipDashboardOut)
def dashboard_leadership(
    request,
    start: dt.date | None = None,
    end: dt.date | None = None,
    agency: int | None = None,
):
    """Is WFH working? For each circular in force or ended within the range: the answer (yes,
    no, too early, no data) from its effectiveness review with its daily series (WFH and WFO
    tasks done); and per working day the agency's WFH share of staff, check-in compliance and
    report completion. The range defaults to the last 30 days; at most a year. For BKPSDM,
    pimpinan and the platform operator (`agency`)."""
    access = access_for(request.user)
    chosen = _agency(access, agency)
    board = selectors.leadership_board(access, chosen, start, end)
    return {
        "agency_id": chosen.pk,
        "agency_name": chosen.name,
        "start": board.start,
        "end": board.end,
        "through": board.through,
        "circulars": [circular_out(r) for r in board.reviews],
        "series": [point_out(d, f) for d, f in board.series],
    }
