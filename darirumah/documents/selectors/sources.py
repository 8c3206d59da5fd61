"""The letters' contents from the other apps' records, as render.letter.Letter objects.

Letters are official Indonesian documents: each function builds its text under the default
language (settings.LANGUAGE_CODE), whatever language the request speaks. Callers pass records
they may read (access is checked by the caller, as for every selector). Query counts are
constant: nothing here queries per row, and `statement_letters` queries nothing beyond what
the caller passed (the circular with its agency, the employees with their unit).
"""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from darirumah.core import calendar as calendar_service
from darirumah.org.models import Agency, Employee, Unit
from darirumah.policy import rules as policy_rules
from darirumah.policy import selectors as policy_selectors
from darirumah.policy.models import Circular
from darirumah.policy.services import current_rules

from ..render import wording
from ..render.letter import Block, Fields, Heading, Items, Letter, Letterhead, Para

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
