"""Matrix cases of the OPDs' daily recaps (merged into matrix_api.py / matrix_pages.py).

The target is Disdukcapil's recap of a working Monday: BKPSDM and the operator read every OPD's,
Disdukcapil's head and admin read their own; whoever the service lets send it (the OPD admin,
BKPSDM, the operator) sends it. The exports (XLSX, PDF) are BKPSDM's.
"""

from datetime import date

from darirumah.attendance.models import DailyRecap
from darirumah.attendance.services.recap import recap_produce
from darirumah.core.tests.matrix import Case

P = "/api/v1"
DAY = date(2020, 3, 23)  # a Monday, a working day
READERS = frozenset({"kepala_opd", "admin_opd", "bkpsdm", "operator"})
SENDERS = frozenset({"kepala_opd", "admin_opd", "bkpsdm", "operator"})
ALL_OPDS = frozenset({"bkpsdm", "operator"})


def make_recap(cast) -> DailyRecap:
    """Disdukcapil's recap of DAY, not sent yet (each role gets a fresh one to send)."""
    recap_produce(agency=cast.agency, day=DAY)
    recap = DailyRecap.objects.get(unit=cast.disdukcapil, date=DAY)
    if recap.sent_at is not None:
        recap.sent_at = None
        recap.save(update_fields=["sent_at"])
    return recap


def day_query(cast) -> dict:
    make_recap(cast)
    return {"agency": cast.agency.pk, "date": DAY.isoformat()}


API = {
    ("GET", f"{P}/recaps/daily"): Case(
        READERS,
        query=lambda c: {"unit": make_recap(c).unit_id, "date": DAY.isoformat()},
    ),
    ("POST", f"{P}/recaps/{{recap_id}}/send"): Case(
        SENDERS,
        path=lambda c: {"recap_id": make_recap(c).pk},
        body=lambda c, role: {"note": f"Dikirim oleh {role}"},
    ),
}

PAGES = {
    "recap_inbox": Case(READERS, query=day_query),
    "recap_detail": Case(READERS, path=lambda c: {"pk": make_recap(c).pk}),
    "recap_export": Case(ALL_OPDS, query=day_query),
    "recap_export_pdf": Case(ALL_OPDS, query=day_query),
}
