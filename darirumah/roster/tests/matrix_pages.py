"""Who may open each roster page (see darirumah/core/tests/matrix.py)."""

from datetime import date

from darirumah.core.tests.matrix import EVERYONE, Case
from darirumah.roster.models import RosterRequest

ARRANGERS = frozenset({"admin_opd", "kepala_opd", "bkpsdm", "operator"})
# The grid of Bidang Pelayanan: its arrangers, the agency's readers, and the atasan whose team
# works there (read-only). Plain staff and the health officer are refused (403); the other
# agency does not see the unit (404).
GRID_READERS = ARRANGERS | {"pimpinan", "atasan"}


def _pending(cast):
    request = RosterRequest.objects.create(
        employee=cast.pegawai, date=date(2026, 8, 18), mode="WFH", reason="anak sakit"
    )
    return {"pk": request.pk}


PAGES = {
    # Everyone opens the inbox; it lists only the requests of units they arrange.
    "request_inbox": Case(EVERYONE),
    "request_decide": Case(
        ARRANGERS, path=_pending, method="POST", body=lambda c, r: {"approve": "1"}, ok=(302,)
    ),
    # Everyone opens it; someone without an employee record is told they have no schedule.
    "my_schedule": Case(EVERYONE),
    "my_request": Case(
        EVERYONE - {"operator"},
        method="POST",
        body=lambda c, role: {"date": "2026-08-18", "mode": "WFH", "reason": "urusan keluarga"},
        ok=(302,),
    ),
    "roster_grid": Case(GRID_READERS, query=lambda c: {"unit": c.pelayanan.pk}),
    "roster_cell": Case(
        ARRANGERS,
        method="POST",
        body=lambda c, role: {"employee": c.pegawai.pk, "day": "2026-08-18", "mode": "WFH"},
        ok=(302,),
    ),
    # Without a circular in force the plan is refused with a message: the access is what counts.
    "roster_grid_plan": Case(
        ARRANGERS,
        method="POST",
        body=lambda c, role: {"unit": c.pelayanan.pk, "start": "2026-08-17", "end": "2026-08-21"},
        ok=(302,),
    ),
    "roster_grid_publish": Case(
        ARRANGERS,
        method="POST",
        body=lambda c, role: {"unit": c.pelayanan.pk, "start": "2026-08-17", "end": "2026-08-21"},
        ok=(302,),
    ),
}
