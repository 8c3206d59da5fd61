"""BKPSDM's recap inbox: every OPD of a day, sent or not."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from darirumah.org.access import Access
from darirumah.org.models import Agency

from .models import DailyRecap
from .services.recap import opds


def recap_inbox(*, access: Access, agency: Agency, day: date) -> list[dict]:
    """BKPSDM's view of a day: every OPD with its recap (sent or not) or nothing yet."""
    access.require(
        access.is_operator or (access.is_bkpsdm and access.in_agency(agency.pk)),
        _("Only BKPSDM reads the recaps of all OPDs."),
    )
    recaps = {r.unit_id: r for r in DailyRecap.objects.filter(agency=agency, date=day)}
    return [
        {
            "unit": unit,
            "recap": recaps.get(unit.pk),
            "sent": bool(recaps.get(unit.pk) and recaps[unit.pk].sent_at),
        }
        for unit in sorted(opds(agency), key=lambda u: u.name)
    ]
