"""Who may open each circular page (see darirumah/core/tests/matrix.py)."""

from darirumah.core.tests.matrix import Case
from darirumah.org.tests.factories import UnitFactory
from darirumah.policy.models import Circular
from darirumah.policy.tests.factories import make_circular

DECIDERS = frozenset({"bkpsdm", "pimpinan", "operator"})
# The list shows the caller's own agency (the operator's picker), so the other agency's staff
# open it too and see their own circulars.
EVERYONE_OWN_LIST = frozenset(
    {"pegawai", "atasan", "kepala_opd", "admin_opd", "bkpsdm", "pimpinan", "kesehatan"}
    | {"operator", "outsider", "outsider_bkpsdm"}
)
READERS = EVERYONE_OWN_LIST - {"outsider", "outsider_bkpsdm"}
# The effectiveness review: the deciders and unit heads (the cast's kepala OPD).
REVIEW_READERS = DECIDERS | {"kepala_opd"}


def _draft(cast):
    return {"pk": make_circular(cast.agency, units=[UnitFactory(agency=cast.agency)]).pk}


def _in_force(cast):
    unit = UnitFactory(agency=cast.agency)
    return {"pk": make_circular(cast.agency, status=Circular.Status.ACTIVE, units=[unit]).pk}


PAGES = {
    "circular_list": Case(EVERYONE_OWN_LIST),
    "circular_create": Case(DECIDERS | {"outsider_bkpsdm"}, query=lambda c: {}, ok=(200, 302)),
    # The htmx cap preview of the circular form: only those who draft circulars, for an agency
    # they see (the other agency's BKPSDM gets a 404).
    "circular_cap_preview": Case(
        DECIDERS, query=lambda c: {"agency": c.agency.pk, "cap_preset": "agency"}
    ),
    "circular_detail": Case(READERS, path=_draft),
    "circular_edit": Case(DECIDERS, path=_draft),
    "circular_activate": Case(
        DECIDERS, path=_draft, method="POST", body=lambda c, r: {"note": "ok"}, ok=(302,)
    ),
    "circular_extend": Case(
        DECIDERS,
        path=_in_force,
        method="POST",
        body=lambda c, r: {"ends_on": "2020-04-30"},
        ok=(302,),
    ),
    "circular_withdraw": Case(
        DECIDERS,
        path=_in_force,
        method="POST",
        body=lambda c, r: {"note": "tidak efektif"},
        ok=(302,),
    ),
    "circular_effectiveness": Case(REVIEW_READERS, path=_in_force),
    "circular_decision": Case(
        DECIDERS,
        path=_in_force,
        method="POST",
        body=lambda c, r: {"decision": "continue", "note": "tugas terlaksana"},
        ok=(302,),
    ),
}
