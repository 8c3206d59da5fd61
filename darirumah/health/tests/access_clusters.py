"""Who may ask whether an office is a workplace cluster (see darirumah/core/tests/matrix.py):
whoever sees the health overview — the health officers (and the head of BKPSDM), BKPSDM,
pimpinan and the platform operator. Without a reason everyone gets the anonymous verdict; names
with a reason are tested in test_clusters_api.py and test_clusters_pages.py."""

from __future__ import annotations

from darirumah.core.tests.matrix import Case

P = "/api/v1"
OVERVIEW = frozenset({"kesehatan", "bkpsdm", "pimpinan", "operator"})


def _period(cast) -> dict:
    return {"office": cast.office.pk, "start": "2026-07-01", "end": "2026-08-19"}


API = {("GET", f"{P}/health/clusters"): Case(OVERVIEW, query=_period)}

PAGES = {"health-clusters": Case(OVERVIEW, query=_period)}
