"""Who may open each job-run page (see darirumah/core/tests/matrix.py)."""

from darirumah.core.tests.matrix import Case

PAGES = {
    # BKPSDM of each agency (their own runs) and the operator; everyone else is refused.
    "job_runs": Case(frozenset({"bkpsdm", "operator", "outsider_bkpsdm"})),
}
