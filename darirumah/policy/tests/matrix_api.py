"""Who may call each circular endpoint (see darirumah/core/tests/matrix.py)."""

from darirumah.core.tests.matrix import EVERYONE, INSIDERS, Case
from darirumah.org.tests.factories import UnitFactory
from darirumah.policy.models import Circular
from darirumah.policy.tests.factories import make_circular

P = "/api/v1"
DECIDERS = frozenset({"bkpsdm", "pimpinan", "operator"})
# The effectiveness review is read by the deciders and by unit heads (the cast's kepala OPD).
REVIEW_READERS = DECIDERS | {"kepala_opd"}


# Each call gets its own circular on its own new unit, so circulars in force never overlap.
def _draft(cast):
    return {"policy_id": make_circular(cast.agency, units=[UnitFactory(agency=cast.agency)]).pk}


def _in_force(cast):
    unit = UnitFactory(agency=cast.agency)
    return {"policy_id": make_circular(cast.agency, status=Circular.Status.ACTIVE, units=[unit]).pk}


API = {
    ("GET", f"{P}/policies"): Case(EVERYONE),
    ("POST", f"{P}/policies"): Case(
        DECIDERS,
        body=lambda c, role: {
            "agency": c.agency.pk,
            "number": f"800/{role}/SE/2020",
            "title": "Kerja dari rumah",
            "issuer_name": "Syafrudin",
            "issuer_position": "Wali Kota Serang",
            "starts_on": "2020-03-19",
        },
    ),
    ("GET", f"{P}/policies/{{policy_id}}"): Case(INSIDERS, path=_draft),
    ("PATCH", f"{P}/policies/{{policy_id}}"): Case(
        DECIDERS, path=_draft, body=lambda c, role: {"title": f"Diubah oleh {role}"}
    ),
    ("POST", f"{P}/policies/{{policy_id}}/activate"): Case(
        DECIDERS, path=_draft, body=lambda c, role: {"note": "Mulai berlaku"}
    ),
    ("POST", f"{P}/policies/{{policy_id}}/extend"): Case(
        DECIDERS, path=_in_force, body=lambda c, role: {"ends_on": "2020-04-30"}
    ),
    ("POST", f"{P}/policies/{{policy_id}}/withdraw"): Case(
        DECIDERS, path=_in_force, body=lambda c, role: {"note": "Tidak efektif"}
    ),
    ("GET", f"{P}/policies/{{policy_id}}/effectiveness"): Case(
        REVIEW_READERS, path=_in_force, query=lambda c: {"through": "2020-03-23"}
    ),
    ("POST", f"{P}/policies/{{policy_id}}/decision"): Case(
        DECIDERS,
        path=_in_force,
        body=lambda c, role: {"decision": "continue", "note": "Tugas terlaksana"},
    ),
}
