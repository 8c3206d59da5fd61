"""Attendance API: the OPDs' daily recaps for BKPSDM (R11, see API.md).

GET never produces a recap: the 15:00 job does (services/recap.recap_produce). A day without
recaps yet shows every OPD with `recap_id: null`.
"""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Router, Schema

from darirumah.core.calendar import calendar_for
from darirumah.core.errors import DomainError, NotAllowed
from darirumah.org.access import access_for, get_visible
from darirumah.org.models import Agency, Unit

from ..models import DailyRecap
from ..selectors_recap import opd_of, recap_rows
from ..services import recap as services

router = Router(tags=["attendance"])


class RecapIn(Schema):
    note: str = ""


class RecapRowOut(Schema):
    unit_id: int
    unit_code: str
    unit_name: str
    date: date
    recap_id: int | None
    produced_at: datetime | None
    sent: bool
    sent_at: datetime | None
    sent_by_id: int | None
    note: str
    read_by_bkpsdm_at: datetime | None
    figures: dict | None


def row_out(row: dict, day: date) -> dict:
    recap: DailyRecap | None = row["recap"]
    unit: Unit = row["unit"]
    return {
        "unit_id": unit.pk,
        "unit_code": unit.code,
        "unit_name": unit.name,
        "date": day,
        "recap_id": recap.pk if recap else None,
        "produced_at": recap.produced_at if recap else None,
        "sent": row["sent"],
        "sent_at": recap.sent_at if recap else None,
        "sent_by_id": recap.sent_by_id if recap else None,
        "note": recap.note if recap else "",
        "read_by_bkpsdm_at": recap.read_by_bkpsdm_at if recap else None,
        "figures": recap.figures if recap else None,
    }


# --- endpoints -------------------------------------------------------------------------------


@router.get("/recaps/daily", response=list[RecapRowOut])
def recaps_daily(
    request,
    date: dt.date | None = None,
    unit: int | None = None,
    agency: int | None = None,
):
    """The day's recap of every OPD the caller reads (BKPSDM: all of the agency, with `sent`;
    an OPD's admin or head: their own). `unit` narrows to that unit's OPD; `agency` is for the
    platform operator. The date defaults to the agency's today. BKPSDM reading marks sent
    recaps read."""
    access = access_for(request.user)
    target_unit = None
    if unit is not None:
        target_unit = get_visible(access.units().select_related("agency"), unit)
        chosen = target_unit.agency
    elif agency is not None:
        chosen = get_visible(access.agencies(), agency)
    elif access.agency_id is not None:
        chosen = Agency.objects.get(pk=access.agency_id)
    else:
        raise DomainError(_("Choose an agency or a unit."), code="invalid")
    day = date or calendar_for(chosen).today()
    rows = recap_rows(access, chosen, day)
    if target_unit is not None:
        opd = opd_of(chosen, target_unit)
        rows = [r for r in rows if r["unit"].pk == opd.pk]
        if not rows:
            raise NotAllowed(_("Only BKPSDM and the OPD's admin or head read its recap."))
    for row in rows:
        if row["recap"] is not None:
            services.recap_mark_read(access=access, recap=row["recap"])
    return [row_out(r, day) for r in rows]


@router.post("/recaps/{recap_id}/send", response=RecapRowOut)
def recap_send(request, recap_id: int, payload: RecapIn):
    """The OPD sends the day's recap to BKPSDM with a note; a second send is refused."""
    access = access_for(request.user)
    recap = get_visible(
        DailyRecap.objects.filter(agency__in=access.agencies()).select_related("agency", "unit"),
        recap_id,
    )
    recap = services.recap_send(access=access, recap=recap, note=payload.note)
    return row_out({"unit": recap.unit, "recap": recap, "sent": True}, recap.date)
