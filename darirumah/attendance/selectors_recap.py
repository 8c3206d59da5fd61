"""Who reads which OPD recaps, and BKPSDM's inbox: every OPD of a day, sent or not."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from darirumah.core.errors import NotFound
from darirumah.org.access import Access, get_visible
from darirumah.org.models import Agency, Role, Unit

from .models import DailyRecap
from .services.recap import opds


def reads_all_recaps(access: Access, agency: Agency) -> bool:
    """BKPSDM of the agency and the platform operator read every OPD's recap."""
    return access.is_operator or (access.is_bkpsdm and access.in_agency(agency.pk))


def own_opds(access: Access, agency: Agency) -> list[Unit]:
    """The OPDs whose admin or head the caller is (their grant covers the whole OPD)."""
    if agency.pk != access.agency_id:
        return []
    paths = access.unit_paths(Role.ADMIN_OPD, Role.KEPALA_OPD)
    return [u for u in opds(agency) if any(u.path.startswith(p) for p in paths)]


def _rows(agency: Agency, day: date, units: list[Unit]) -> list[dict]:
    recaps = {r.unit_id: r for r in DailyRecap.objects.filter(agency=agency, date=day)}
    rows = []
    for unit in sorted(units, key=lambda u: u.name):
        recap = recaps.get(unit.pk)
        rows.append({"unit": unit, "recap": recap, "sent": bool(recap and recap.sent_at)})
    return rows


def recap_inbox(*, access: Access, agency: Agency, day: date) -> list[dict]:
    """BKPSDM's view of a day: every OPD with its recap (sent or not) or nothing yet."""
    access.require(reads_all_recaps(access, agency), _("Only BKPSDM reads the recaps of all OPDs."))
    return _rows(agency, day, opds(agency))


def recap_rows(access: Access, agency: Agency, day: date) -> list[dict]:
    """The day's OPDs the caller may read, each {unit, recap, sent}; NotAllowed for others."""
    if reads_all_recaps(access, agency):
        return recap_inbox(access=access, agency=agency, day=day)
    units = own_opds(access, agency)
    access.require(bool(units), _("Only BKPSDM and the OPD's admin or head read its recap."))
    return _rows(agency, day, units)


def may_read_recap(access: Access, recap: DailyRecap) -> bool:
    if reads_all_recaps(access, recap.agency):
        return True
    return any(u.pk == recap.unit_id for u in own_opds(access, recap.agency))


def visible_recap(access: Access, pk: int) -> DailyRecap:
    """A recap of the caller's agencies (NotFound outside), readable by them (NotAllowed)."""
    recap = get_visible(
        DailyRecap.objects.filter(agency__in=access.agencies()).select_related("agency", "unit"),
        pk,
    )
    access.require(
        may_read_recap(access, recap), _("Only BKPSDM and the OPD's admin or head read its recap.")
    )
    return recap


def opd_of(agency: Agency, unit: Unit) -> Unit:
    """The OPD (top-level unit) a unit belongs to."""
    for opd in opds(agency):
        if unit.path.startswith(opd.path):
            return opd
    raise NotFound(_("Not found, or not visible to you."))
