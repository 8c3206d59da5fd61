"""Who may call each discipline endpoint and open each discipline page (see
darirumah/core/tests/matrix.py).

The case is about the pegawai (Bidang Pelayanan, under Disdukcapil): the atasan is their direct
supervisor, the kepala OPD heads Disdukcapil, BKPSDM runs the agency's discipline — these three
decide and open cases. The pegawai reads their own case; the OPD admin, pimpinan and the
operator read; the health officer and the other agency see nothing. Each role's call gets a
fresh recommendation, so every decision starts from the same state.
"""

from __future__ import annotations

import uuid
from datetime import date

from darirumah.core.tests.matrix import EVERYONE, Case

P = "/api/v1"
DECIDERS = frozenset({"atasan", "kepala_opd", "bkpsdm"})
READERS = DECIDERS | {"pegawai", "admin_opd", "pimpinan", "operator"}
SCANNERS = frozenset({"bkpsdm", "operator"})


def fresh_case(cast):
    """A new recommendation about the pegawai, awaiting a decision."""
    from darirumah.performance.models import DisciplineCase

    return DisciplineCase.objects.create(
        agency=cast.agency,
        employee=cast.pegawai,
        supervisor=cast.atasan,
        source=DisciplineCase.Source.ABSENCE_YEAR,
        trigger=f"matrix:{uuid.uuid4().hex}",
        recommended_level="ringan",
        recommended_sanction="written_warning",
        evidence={"kind": "absence_year", "days": 4, "year": 2026, "dates": ["2026-08-18"]},
        summary="4 days of unexcused absence in 2026",
        decide_by=date(2026, 9, 2),
    )


def _case_path(cast) -> dict:
    return {"case_id": fresh_case(cast).pk}


API = {
    ("GET", f"{P}/discipline/cases"): Case(EVERYONE),
    ("GET", f"{P}/discipline/cases/{{case_id}}"): Case(READERS, path=_case_path),
    ("POST", f"{P}/discipline/cases"): Case(
        DECIDERS,
        body=lambda c, role: {
            "employee": c.pegawai.pk,
            "level": "ringan",
            "sanction": "verbal_warning",
            "summary": f"Tidak mengikuti apel, dilaporkan oleh {role}",
        },
    ),
    ("POST", f"{P}/discipline/cases/{{case_id}}/decide"): Case(
        DECIDERS,
        path=_case_path,
        body=lambda c, role: {"decision": "accept", "reason": f"Terbukti ({role})"},
    ),
    ("POST", f"{P}/discipline/scan"): Case(
        SCANNERS,
        body=lambda c, role: {"agency": c.agency.pk},
    ),
}

PAGES = {
    "performance-discipline-list": Case(EVERYONE),
    "performance-discipline-detail": Case(READERS, path=lambda c: {"pk": fresh_case(c).pk}),
    "performance-discipline-new": Case(DECIDERS, query=lambda c: {"employee": c.pegawai.pk}),
}
