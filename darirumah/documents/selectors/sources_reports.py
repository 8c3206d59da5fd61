"""The report letters' contents: a unit's month-end evaluation, the daily recap of every OPD
and a discipline decision (see sources.py for the rules every letter follows)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from darirumah.attendance.models import DailyRecap
from darirumah.attendance.recap_pdf import totals_row
from darirumah.attendance.services.recap import opds
from darirumah.core import calendar as calendar_service
from darirumah.core.errors import DomainError
from darirumah.org.models import Agency, Unit
from darirumah.performance.models import DisciplineCase, Evaluation

from ..render import wording
from ..render.letter import Block, Fields, Grid, Heading, Items, Letter, Para
from .sources import EMPTY, _default_language, _letter, _person_rows, _place_date, _set_in, _today


def _percent(value: Decimal | None) -> str:
    return EMPTY if value is None else number_format(value, 1)


def evaluation_letter(
    agency: Agency, unit: Unit, period: date, *, number: str, on: date | None = None
) -> Letter:
    """The month's evaluation of the staff of `unit` and the units below it, for the head to
    sign and send to BKPSDM."""
    month = period.replace(day=1)
    with _default_language():
        evaluations = list(
            Evaluation.objects.filter(agency=agency, period=month, unit__path__startswith=unit.path)
            .select_related("employee")
            .order_by("employee__name", "pk")
        )
        month_text = date_format(month, "F Y")
        ratings = dict(Evaluation.Rating.choices)
        rows = []
        for n, e in enumerate(evaluations, start=1):
            attendance = e.figures.get("attendance", {})
            rows.append(
                [
                    str(n),
                    f"{e.employee.name}\n{wording.nip_printed(e.employee.nip)}",
                    str(e.working_days),
                    str(attendance.get("late", EMPTY)),
                    str(attendance.get("absent", EMPTY)),
                    _percent(e.attendance_compliance),
                    _percent(e.report_completion),
                    _percent(e.target_achievement),
                    number_format(e.score, 2),
                    str(ratings.get(e.final_rating, e.final_rating)),
                ]
            )
        blocks: list[Block] = [
            Para(
                _(
                    "The month-end evaluation of the staff of %(unit)s for %(month)s "
                    "(PermenPANRB 6/2022), from their targets, daily reports, attendance and "
                    "video calls:"
                )
                % {"unit": unit.name, "month": month_text}
            )
        ]
        if rows:
            columns = [
                _("No."),
                _("Name and NIP"),
                _("Working days"),
                _("Late"),
                _("Absent"),
                _("Attendance (%)"),
                _("Reports (%)"),
                _("Targets (%)"),
                _("Score"),
                _("Rating"),
            ]
            blocks.append(Grid(columns, rows))
            counted = Counter(e.final_rating for e in evaluations)
            summary = ", ".join(f"{label} {counted[key]}" for key, label in ratings.items())
            confirmed = sum(e.status == Evaluation.Status.CONFIRMED for e in evaluations)
            blocks.append(
                Para(
                    _("Ratings: %(summary)s. Confirmed by the head: %(confirmed)s of %(total)s.")
                    % {"summary": summary, "confirmed": confirmed, "total": len(evaluations)}
                )
            )
        else:
            blocks.append(Para(_("No evaluation has been computed for this month yet.")))
        blocks.append(Para(_("This evaluation is made truthfully, to be used as needed.")))
        head = unit.head
        caption = (
            head.position if head and head.position else _("Head of %(unit)s") % {"unit": unit.name}
        )
        return _letter(
            agency,
            title=_("MONTH-END PERFORMANCE EVALUATION"),
            number_line=_("Number: %(number)s") % {"number": number},
            about=f"{unit.name}, {month_text}".upper(),
            blocks=blocks,
            place_date=_place_date(agency, on or _today(agency)),
            signature_captions=[f"{caption},"],
        )


# --- the daily recap (R11, R12) ----------------------------------------------------------------


def recap_letter(agency: Agency, day: date, *, number: str, on: date | None = None) -> Letter:
    """Every OPD's recap of a day (attendance, video call, daily reports) for BKPSDM's head."""
    zone = calendar_service.zone_info(agency.zone)
    with _default_language():
        units = sorted(opds(agency), key=lambda u: u.name)
        recaps = {r.unit_id: r for r in DailyRecap.objects.filter(agency=agency, date=day)}
        cells, notes, missing = [], [], []
        for unit in units:
            recap = recaps.get(unit.pk)
            figures = recap.figures if recap else {}
            modes = figures.get("by_mode", {})
            if recap is None:
                sent = _("Not produced yet")
            elif recap.sent_at is None:
                sent = _("Not sent yet")
            else:
                sent = date_format(recap.sent_at.astimezone(zone), "H.i")
            if recap is None or recap.sent_at is None:
                missing.append(unit.name)
            if recap and recap.note.strip():
                notes.append(f"{unit.name}: {recap.note.strip()}")
            cells.append(
                [
                    unit.name,
                    figures.get("staff"),
                    modes.get("WFO", 0) if recap else None,
                    modes.get("WFH", 0) + modes.get("WFA", 0) if recap else None,
                    *[figures.get(k) for k in ("present", "late", "absent", "excused")],
                    figures.get("not_recorded"),
                    figures.get("vicon", {}).get("present"),
                    figures.get("reports_submitted"),
                    sent,
                ]
            )
        day_text = date_format(day, "l, j F Y")
        blocks: list[Block] = [
            Para(
                _(
                    "The recap of attendance, video calls and daily reports of every OPD "
                    "for %(day)s:"
                )
                % {"day": day_text}
            )
        ]
        if cells:
            columns = [
                _("OPD"),
                _("Staff"),
                _("WFO"),
                _("WFH/WFA"),
                _("Present"),
                _("Late"),
                _("Absent"),
                _("Excused"),
                _("Not recorded"),
                _("Video call: present"),
                _("Daily reports submitted"),
                _("Sent at"),
            ]
            totals = totals_row(_("Total"), cells)
            blocks.append(
                Grid(
                    columns,
                    [[EMPTY if c is None else str(c) for c in row] for row in cells],
                    totals=[str(c) for c in totals],
                )
            )
        else:
            blocks.append(Para(_("No OPD.")))
        if missing:
            blocks.append(
                Para(_("Not sent to BKPSDM yet: %(names)s.") % {"names": ", ".join(missing)})
            )
        if notes:
            blocks += [Heading(_("Notes from the OPDs")), Items(notes, numbered=False)]
        blocks.append(Para(_("This recap is made truthfully, to be used as needed.")))
        return _letter(
            agency,
            title=_("OPD daily recap").upper(),
            number_line=_("Number: %(number)s") % {"number": number},
            about=day_text.upper(),
            blocks=blocks,
            place_date=_place_date(agency, on or _today(agency)),
            signature_captions=[_("Head of BKPSDM,")],
        )


# --- the discipline decision (PP 94/2021) ------------------------------------------------------


def discipline_letter(case: DisciplineCase, *, number: str, on: date | None = None) -> Letter:
    """The decree imposing a decided sanction (KEPUTUSAN … TENTANG PENJATUHAN HUKUMAN
    DISIPLIN), dated the day of the decision unless `on` is given."""
    if case.status not in DisciplineCase.DECIDED:
        raise DomainError(
            _("Only a decided discipline case gets a decision letter."), code="not_decided"
        )
    case = DisciplineCase.objects.select_related(
        "agency", "employee__unit", "decided_by__employee"
    ).get(pk=case.pk)
    agency, employee = case.agency, case.employee
    decider = getattr(case.decided_by, "employee", None) if case.decided_by else None
    zone = calendar_service.zone_info(agency.zone)
    with _default_language():
        position = decider.position if decider and decider.position else ""
        title = (
            _("Decision of %(position)s") % {"position": position} if position else _("Decision")
        ).upper()
        about = _("on the imposition of a disciplinary sanction").upper()
        considered = wording.considering(
            case.evidence, name=employee.name, nip=employee.nip, summary=case.summary
        )
        level = DisciplineCase.Level(case.level).label.lower()
        sanction = DisciplineCase.Sanction(case.sanction).label.lower()
        dictums = [
            _("To impose a disciplinary sanction of the %(level)s level, namely %(sanction)s, on:")
            % {"level": level, "sanction": sanction},
            _("Grounds of the decision: %(reason)s") % {"reason": case.decision_reason.strip()},
        ]
        if case.sanction_start and case.sanction_months:
            dictums.append(
                ngettext(
                    "The sanction runs for %(months)s month from %(start)s.",
                    "The sanction runs for %(months)s months from %(start)s.",
                    case.sanction_months,
                )
                % {"months": case.sanction_months, "start": wording.day_text(case.sanction_start)}
            )
        elif case.sanction_start:
            dictums.append(
                _("The sanction takes effect on %(start)s.")
                % {"start": wording.day_text(case.sanction_start)}
            )
        dictums.append(
            _(
                "This decision takes effect on the day it is set; should it later prove mistaken, "
                "it will be corrected as appropriate."
            )
        )
        ordinals = [_("FIRST"), _("SECOND"), _("THIRD"), _("FOURTH"), _("FIFTH")]
        blocks: list[Block] = [
            Fields(
                [
                    (_("Considering"), considered),
                    (_("Bearing in mind"), wording.legal_grounds_discipline()),
                ]
            ),
            Heading(_("DECIDES:"), align="center"),
            Fields([(_("To set"), f"{title} {about}."), (ordinals[0], dictums[0])]),
            Fields(_person_rows(employee)),
            Fields(list(zip(ordinals[1:], dictums[1:], strict=False))),
        ]
        decided = case.decided_at.astimezone(zone).date() if case.decided_at else None
        caption = position or _("The official authorised to impose the sanction")
        return _letter(
            agency,
            title=title,
            number_line=_("Number: %(number)s") % {"number": number},
            about=about,
            blocks=blocks,
            place_date=_set_in(agency, on or decided or _today(agency)),
            signature_captions=[f"{caption},"],
        )
