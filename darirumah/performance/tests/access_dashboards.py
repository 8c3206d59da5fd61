"""Who may open each dashboard (see darirumah/core/tests/matrix.py).

The unit's dashboard (Disdukcapil) is for whoever oversees it — its head and admin, BKPSDM,
pimpinan, the operator — and the atasan, who supervises staff working in it (their team's
figures). Every OPD side by side and the leadership's "is WFH working?" are for BKPSDM,
pimpinan and the operator. Staff as such and the health officer have no dashboard (403); the
other agency's people do not see this agency's unit or the agency itself (404).
"""

from __future__ import annotations

from darirumah.core.tests.matrix import Case

P = "/api/v1"
UNIT_READERS = frozenset({"atasan", "kepala_opd", "admin_opd", "bkpsdm", "pimpinan", "operator"})
AGENCY_READERS = frozenset({"bkpsdm", "pimpinan", "operator"})


def _unit(cast) -> dict:
    return {"unit": cast.disdukcapil.pk}


def _agency(cast) -> dict:
    return {"agency": cast.agency.pk}


API = {
    ("GET", f"{P}/dashboards/unit"): Case(UNIT_READERS, query=_unit),
    ("GET", f"{P}/dashboards/agency"): Case(AGENCY_READERS, query=_agency),
    ("GET", f"{P}/dashboards/leadership"): Case(AGENCY_READERS, query=_agency),
}

PAGES = {
    "performance-dashboard-unit": Case(UNIT_READERS, query=_unit),
    "performance-dashboard-agency": Case(AGENCY_READERS, query=_agency),
    "performance-dashboard-leadership": Case(AGENCY_READERS, query=_agency),
}
