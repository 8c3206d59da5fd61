"""Who may call each TPP endpoint and open each TPP page (see darirumah/core/tests/matrix.py).

The list and the export are asked for Bidang Pelayanan (the pegawai's unit): whoever oversees
it (its OPD's head and admin, BKPSDM, pimpinan, the operator), the atasan for their team in it,
and the pegawai for their own line in it. The health officer and the other agency's people may
not. The run and the rules are BKPSDM's (and the operator's); everyone of the agency reads the
rules. Everyone with an employee record opens their own allowance page.
"""

from __future__ import annotations

from datetime import date

from darirumah.core.tests.matrix import EVERYONE, INSIDERS, Case

P = "/api/v1"
AUG = date(2026, 8, 1)
UNIT_READERS = frozenset(
    {"pegawai", "atasan", "kepala_opd", "admin_opd", "bkpsdm", "pimpinan", "operator"}
)
RUNNERS = frozenset({"bkpsdm", "operator"})
EMPLOYEES = EVERYONE - {"operator"}


def _computed(cast) -> dict:
    """August computed for the cast's agency; the list of Bidang Pelayanan."""
    from darirumah.performance.services.tpp import tpp_run

    tpp_run(agency=cast.agency, period=AUG)
    return {"period": "2026-08", "unit": cast.pelayanan.pk}


def _agency(cast) -> dict:
    return {"agency": cast.agency.pk}


API = {
    ("GET", f"{P}/tpp"): Case(UNIT_READERS, query=_computed),
    ("GET", f"{P}/tpp/export"): Case(UNIT_READERS, query=_computed),
    ("POST", f"{P}/tpp/run"): Case(
        RUNNERS, body=lambda c, role: {"period": "2026-08", "agency": c.agency.pk}
    ),
    ("GET", f"{P}/performance/rules"): Case(INSIDERS, query=_agency),
    ("PUT", f"{P}/performance/rules"): Case(
        RUNNERS,
        query=_agency,
        body=lambda c, role: {"tpp": {"base_by_job_class": {"9": "5000000"}}},
    ),
}

PAGES = {
    "performance-tpp-list": Case(UNIT_READERS, query=_computed),
    "performance-tpp-export": Case(UNIT_READERS, query=_computed),
    "performance-tpp-run": Case(
        RUNNERS,
        method="POST",
        body=lambda c, role: {"period": "2026-08", "agency": c.agency.pk},
        ok=(302,),
    ),
    "performance-tpp-mine": Case(EMPLOYEES),
    "performance-rules": Case(RUNNERS, query=_agency),
}
