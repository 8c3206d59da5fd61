"""Who may call each endpoint and open each page of the health register (see
darirumah/core/tests/matrix.py).

Names are read by the health officer (the head of BKPSDM too: tested in test_cases_api.py) with
a reason; the officer alone writes. The case is about the pegawai, who reads it as their own;
everyone else of the agency lists only their own cases (none) and may not open it (404). The
pages that show names need the session reason, which the matrix client has not given: they
send the allowed roles to the reason page (302), and the register sends an employee without
the right to their own record (302).
"""

from __future__ import annotations

import uuid

from darirumah.core.tests.matrix import EVERYONE, Case

P = "/api/v1"
REASON = "pemeriksaan-matriks-akses"
OFFICER = frozenset({"kesehatan"})
EMPLOYEES = EVERYONE - {"operator"}


def fresh_case(cast):
    """A new suspect case of the pegawai."""
    from darirumah.health.models import HealthCase

    return HealthCase.objects.create(
        agency=cast.agency, employee=cast.pegawai, status=HealthCase.Status.SUSPECT
    )


def _case_path(cast) -> dict:
    return {"case_id": fresh_case(cast).pk}


def _new_person(cast, role) -> dict:
    """A new case of a new colleague (one open case per person)."""
    from darirumah.org.tests.factories import EmployeeFactory

    person = EmployeeFactory(unit=cast.pelayanan, name=f"Matriks {uuid.uuid4().hex[:6]}")
    return {
        "employee": person.pk,
        "status": "suspect",
        "symptom_onset": "2026-08-10",
        "reason": f"kasus baru dilaporkan ({role})",
    }


def _reason(cast) -> dict:
    return {"reason": REASON}


API = {
    ("GET", f"{P}/health/cases"): Case(EVERYONE, query=_reason),
    ("POST", f"{P}/health/cases"): Case(OFFICER, body=_new_person),
    ("GET", f"{P}/health/cases/{{case_id}}"): Case(
        OFFICER | {"pegawai"}, path=_case_path, query=_reason
    ),
    ("PATCH", f"{P}/health/cases/{{case_id}}"): Case(
        OFFICER,
        path=_case_path,
        body=lambda c, role: {"note": f"demam ({role})", "reason": "pembaruan data kasus"},
    ),
    ("POST", f"{P}/health/cases/{{case_id}}/tests"): Case(
        OFFICER,
        path=_case_path,
        body=lambda c, role: {
            "kind": "pcr",
            "taken_on": "2026-08-18",
            "result": "negative",
            "result_on": "2026-08-19",
            "reason": f"hasil PCR masuk ({role})",
        },
    ),
    ("GET", f"{P}/health/access-log"): Case(
        OFFICER, query=lambda c: {"start": "2026-08-01", "end": "2026-08-31"}
    ),
}

PAGES = {
    "health-cases": Case(EMPLOYEES, ok=(200, 302)),
    "health-case-new": Case(OFFICER, query=lambda c: {"employee": c.pegawai.pk}, ok=(200, 302)),
    "health-case-detail": Case(
        OFFICER | {"pegawai"}, path=lambda c: {"pk": fresh_case(c).pk}, ok=(200, 302)
    ),
    "health-case-update": Case(
        OFFICER,
        method="POST",
        path=lambda c: {"pk": fresh_case(c).pk},
        body=lambda c, role: {"status": "probable", "likely_place": "unknown"},
        ok=(302,),
    ),
    "health-case-test-add": Case(
        OFFICER,
        method="POST",
        path=lambda c: {"pk": fresh_case(c).pk},
        body=lambda c, role: {"kind": "antigen", "taken_on": "2026-08-18", "result": "pending"},
        ok=(302,),
    ),
    "health-my-record": Case(EMPLOYEES),
    "health-access-log": Case(OFFICER),
}
