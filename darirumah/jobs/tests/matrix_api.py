"""Who may call each job-run endpoint (see darirumah/core/tests/matrix.py).

The operator sees every agency's runs, BKPSDM their own agency's (the other agency's BKPSDM gets
its own, empty list); nobody else sees them.
"""

from darirumah.core.tests.matrix import Case

P = "/api/v1"
WATCHERS = frozenset({"bkpsdm", "operator", "outsider_bkpsdm"})

API = {
    ("GET", f"{P}/jobs/runs"): Case(WATCHERS),
}
