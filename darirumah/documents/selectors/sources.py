"""The letters' contents from the other apps' records, as render.letter.Letter objects.

Letters are official Indonesian documents: each function builds its text under the default
language (settings.LANGUAGE_CODE), whatever language the request speaks. Callers pass records
they may read (access is checked by the caller, as for every selector). Query counts are
constant: nothing here queries per row, and `statement_letters` queries nothing beyond what
the caller passed (the circular with its agency, the employees with their unit).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from darirumah.attendance.models import DailyRecap
from darirumah.attendance.recap_pdf import totals_row
from darirumah.attendance.services.recap import opds
from darirumah.core import calendar as calendar_service
from darirumah.core.errors import DomainError
from darirumah.org.models import Agency, Employee, Unit
from darirumah.performance.models import DisciplineCase, Evaluation
from darirumah.policy import rules as policy_rules
from darirumah.policy import selectors as policy_selectors
from darirumah.policy.models import Circular
from darirumah.policy.services import current_rules

from ..render import wording
from ..render.letter import Block, Fields, Grid, Heading, Items, Letter, Letterhead, Para

_REGION_PREFIXES = ("kota administrasi ", "kabupaten ", "kab. ", "kota ", "provinsi ")
_LIST_MARK = re.compile(r"^\s*(?:\d+[.)]|[a-zA-Z][.)]|[-\u2022*])\s+")
EMPTY = "\u2014"


def _default_language():
    return translation.override(settings.LANGUAGE_CODE)


def _today(agency: Agency) -> date:
    """The agency's local date from the server clock (no query: the zone is on the agency)."""
    zone = calendar_service.zone_info(agency.zone)
    return calendar_service.utcnow().astimezone(zone).date()


def place_of(agency: Agency) -> str:
    """Where the agency's letters are dated: its region without "Kota"/"Kabupaten"."""
    region = agency.region.strip()
    for prefix in _REGION_PREFIXES:
        if region.casefold().startswith(prefix):
            return region[len(prefix) :].strip()
    return region


def _place_date(agency: Agency, on: date) -> str:
    return f"{place_of(agency)}, {wording.day_text(on)}"


def _set_in(agency: Agency, on: date) -> str:
    """The place and date of a decree or circular: "Ditetapkan di …" over "pada tanggal …"."""
    return _("Set in %(place)s\non %(date)s") % {
        "place": place_of(agency),
        "date": wording.day_text(on),
    }


def _footer() -> str:
    return _(
        "This document is signed electronically (PP 71/2019); scan the QR code of its "
        "signature to check that it is authentic."
    )


def _person_rows(employee: Employee) -> list[tuple[str, str]]:
    return [
        (_("Name"), employee.name),
        (_("NIP"), wording.nip_printed(employee.nip)),
        (_("Position"), employee.position),
        (_("Unit"), employee.unit.name),
    ]


def _letter(agency: Agency, **fields) -> Letter:
    return Letter(
        letterhead=letterhead_of(agency),
        footer=_footer(),
        page_label=_("Page %(page)s"),
        **fields,
    )


# --- letterhead --------------------------------------------------------------------------------


def letterhead_of(agency: Agency) -> Letterhead:
    """The kop surat: the agency's letterhead fields, or its name, region and address."""
    with _default_language():
        return _letterhead(agency)


def _letterhead(agency: Agency) -> Letterhead:
    title = agency.letterhead_title or agency.name
    address = agency.address.strip()
    place = place_of(agency)
    if address and place and place.casefold() not in address.casefold():
        address = f"{address}, {place}"
    website = re.sub(r"^https?://", "", agency.website).rstrip("/")
    contacts = " \u00b7 ".join(
        part
        for part in (
            _("Phone %(phone)s") % {"phone": agency.phone} if agency.phone else "",
            agency.email,
            website,
        )
        if part
    )
    subtitle = agency.letterhead_subtitle
    if not agency.letterhead_title and not subtitle:
        subtitle = agency.region
    return Letterhead(
        title=title.upper(), subtitle=subtitle.upper(), lines=[p for p in (address, contacts) if p]
    )


# --- the circular ------------------------------------------------------------------------------


def _legal_basis(text: str) -> list[str]:
    return [_LIST_MARK.sub("", line).strip() for line in text.splitlines() if line.strip()]


def circular_facts(circular: Circular, ruleset: policy_rules.RuleSet) -> wording.CircularFacts:
    """What the circular's letter states, in a fixed number of queries."""
    agency = circular.agency
    kinds = dict(Unit.Kind.choices)
    early = circular.early_starts.select_related("unit").order_by("starts_on", "unit__name")
    return wording.CircularFacts(
        agency_name=agency.name,
        zone=agency.zone,
        starts_on=circular.starts_on,
        ends_on=circular.ends_on,
        ruleset=ruleset,
        units=[u.name for u in circular.units.all()],
        offices=[o.name for o in circular.offices.all()],
        early=[(e.unit.name, e.starts_on) for e in early],
        exempt_kinds=[str(kinds.get(k, k)) for k in ruleset.exempt_unit_kinds],
        minimums=[
            (row.name, row.count, row.share)
            for row in policy_selectors.minimum_rows(agency, ruleset)
        ],
        preset=(
            policy_selectors.preset_text(agency, ruleset.cap_sector)
            if ruleset.cap_preset == "agency"
            and (agency.risk_zone or agency.ppkm_level is not None)
            else ""
        ),
        office_caps=[
            (row.office.name, row.share)
            for row in policy_selectors.cap_rows(agency, ruleset)
            if row.custom
        ]
        if ruleset.office_caps
        else [],
    )


def circular_letter(circular: Circular, *, on: date | None = None) -> Letter:
    """The circular (Surat Edaran) from its record and its newest rule set (R1), dated `on`
    (default: today in the agency's zone)."""
    with _default_language():
        agency = circular.agency
        ruleset = current_rules(circular)
        blocks: list[Block] = []
        basis = _legal_basis(circular.legal_basis)
        if basis:
            blocks += [Heading(_("Legal basis")), Items(basis)]
        blocks += [
            Heading(_("Provisions")),
            Para(_("With regard to the above, the working arrangement of civil servants is:")),
            Items(wording.circular_provisions(circular_facts(circular, ruleset))),
            Para(_("This circular is to be carried out with full responsibility.")),
        ]
        return _letter(
            agency,
            title=_("CIRCULAR LETTER"),
            number_line=_("Number: %(number)s") % {"number": circular.number},
            about=_("ON %(title)s") % {"title": circular.title.upper()},
            blocks=blocks,
            place_date=_set_in(agency, on or _today(agency)),
            signature_captions=[f"{circular.issuer_position},"],
        )


# --- the statement letter (R25) ----------------------------------------------------------------


def statement_letters(
    circular: Circular, employees: list[Employee], numbers: list[str], *, on: date | None = None
) -> list[Letter]:
    """One statement letter per employee (same order as `numbers`); the shared text is built
    once. Pass the circular with its agency and the employees with their unit loaded."""
    if len(employees) != len(numbers):
        raise ValueError("one number per employee")
    with _default_language():
        agency = circular.agency
        letterhead = letterhead_of(agency)
        place_date = _place_date(agency, on or _today(agency))
        before = Para(_("The undersigned:"))
        declares = Para(
            _(
                "hereby declare that during the period of working from home under Circular "
                "%(number)s on %(title)s, %(period)s, I will:"
            )
            % {
                "number": circular.number,
                "title": circular.title,
                "period": wording.period_text(circular.starts_on, circular.ends_on),
            }
        )
        promises = Items(
            [
                _("stay at home, at my registered home, except for urgent needs;"),
                _("not travel out of town without my superior's permission;"),
                _("be reachable by telephone and chat during working hours;"),
                _("do the work my superior assigns and report it every day with evidence;"),
                _("follow the health protocol."),
            ]
        )
        closing = [
            Para(
                _(
                    "Should I break this statement, I am ready to accept a sanction under the "
                    "laws and regulations."
                )
            ),
            Para(_("I make this statement truthfully and with full responsibility.")),
        ]
        shared = {
            "letterhead": letterhead,
            "title": _("STATEMENT LETTER"),
            "about": "",
            "place_date": place_date,
            "signature_captions": [_("The declarant,")],
            "footer": _footer(),
            "page_label": _("Page %(page)s"),
        }
        number_line = _("Number: %(number)s")
        return [
            Letter(
                number_line=number_line % {"number": number},
                blocks=[before, Fields(_person_rows(employee)), declares, promises, *closing],
                **shared,
            )
            for employee, number in zip(employees, numbers, strict=True)
        ]


def statement_letter(
    circular: Circular, employee: Employee, *, number: str, on: date | None = None
) -> Letter:
    return statement_letters(circular, [employee], [number], on=on)[0]


# --- the month-end evaluation (R8) -------------------------------------------------------------


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
