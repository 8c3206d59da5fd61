"""Who may open the health dashboard and the health settings (see
darirumah/core/tests/matrix.py).

Everyone of the agency and the platform operator reads the dashboard's counts and the settings
(asked for the cast's agency, so the other agency's people get 404); the health officers, BKPSDM
and the operator change the settings. Names on the dashboard (with a reason) are tested in
test_dashboard_api.py and test_dashboard_pages.py.
"""

from __future__ import annotations

from darirumah.core.tests.matrix import INSIDERS, Case

P = "/api/v1"
EDITORS = frozenset({"kesehatan", "bkpsdm", "operator"})


def _agency(cast) -> dict:
    return {"agency": cast.agency.pk}


API = {
    ("GET", f"{P}/health/dashboard"): Case(INSIDERS, query=_agency),
    ("GET", f"{P}/health/settings"): Case(INSIDERS, query=_agency),
    ("PUT", f"{P}/health/settings"): Case(
        EDITORS, query=_agency, body=lambda cast, role: {"isolation_days": 10}
    ),
}

PAGES = {
    "health-dashboard": Case(INSIDERS, query=_agency),
    "health-settings": Case(INSIDERS, query=_agency),
}
