"""Letter numbers: the agency's format per kind and a yearly sequence taken under a row lock, so
two letters never share a number even when 300 statement letters are numbered at once."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from darirumah.core.errors import DomainError
from darirumah.org.access import Access
from darirumah.org.models import Agency

from ..models import LetterFormat, NumberSequence
from ..rules import numbering


def format_for(agency: Agency, kind: str) -> tuple[str, str]:
    """The agency's (pattern, code) for a kind, else the default."""
    found = LetterFormat.objects.filter(agency=agency, kind=kind).first()
    if found is not None:
        return found.pattern, found.code
    return numbering.DEFAULT_FORMATS[kind]


def numbers_take(*, agency: Agency, kind: str, day: date, count: int = 1, unit_code: str = ""):
    """The next `count` numbers of a kind for the day's year (inside the caller's transaction)."""
    pattern, code = format_for(agency, kind)
    with transaction.atomic():
        NumberSequence.objects.get_or_create(agency=agency, kind=kind, year=day.year)
        sequence = NumberSequence.objects.select_for_update().get(
            agency=agency, kind=kind, year=day.year
        )
        first = sequence.last + 1
        sequence.last += count
        sequence.save(update_fields=["last"])
    return [
        numbering.render_number(
            pattern,
            seq=first + i,
            day=day,
            code=code,
            unit_code=unit_code,
            agency_code=agency.code,
        )
        for i in range(count)
    ]


def letter_format_set(
    *, access: Access, agency: Agency, kind: str, pattern: str, code: str = ""
) -> LetterFormat:
    """Set how the agency numbers a kind of letter (BKPSDM)."""
    access.require(access.manages_agency(agency.pk))
    problems = numbering.validate_pattern(pattern)
    if kind not in numbering.DEFAULT_FORMATS:
        raise DomainError(_("Unknown kind of letter."), fields={"kind": [_("Unknown kind.")]})
    if len(code) > 30:
        problems.append(_("The classification code is at most 30 characters."))
    if problems:
        raise DomainError(
            _("The number format cannot be saved: %(p)s") % {"p": " ".join(problems)},
            fields={"pattern": problems},
        )
    found, _created = LetterFormat.objects.update_or_create(
        agency=agency, kind=kind, defaults={"pattern": pattern, "code": code}
    )
    return found
