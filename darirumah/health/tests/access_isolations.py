"""Who may call each tracing and isolation endpoint and open each page (see
darirumah/core/tests/matrix.py).

Tracing shows names: the cast's health officer only (the head of BKPSDM is tested in
test_tracing_api.py). Every employee lists their own isolations and reads their own isolation;
only the health officer records, marks and ends. Pages that show names need the session reason,
which the matrix client has not given: the health officer is sent to the reason page (302).
"""

from __future__ import annotations

from datetime import timedelta

from darirumah.core.tests.matrix import EVERYONE, Case

P = "/api/v1"
OFFICER = frozenset({"kesehatan"})
REASON = "pemeriksaan-matriks-akses"  # a query string without spaces
SEES_OWN = frozenset({"kesehatan", "pegawai"})


def _today(cast):
    from darirumah.core.calendar import calendar_for

    return calendar_for(cast.agency).today()


def traced_case(cast):
    """A confirmed case today with a colleague who was at the same office yesterday and today
    (kept on the cast for the body)."""
    from darirumah.attendance.models import Attendance
    from darirumah.health.models import HealthCase
    from darirumah.org.tests.factories import EmployeeFactory

    today = _today(cast)
    person = EmployeeFactory(unit=cast.setda, office=cast.office)
    colleague = EmployeeFactory(unit=cast.setda, office=cast.office)
    for day in (today - timedelta(days=1), today):
        for who in (person, colleague):
            Attendance.objects.create(
                employee=who, date=day, status="present", expected_mode="WFO", source="self"
            )
    case = HealthCase.objects.create(
        agency=cast.agency, employee=person, status="confirmed", confirmed_on=today
    )
    cast.matrix_colleague = colleague.pk
    return case


def fresh_isolation(cast):
    from darirumah.health.models import Isolation

    start = _today(cast) + timedelta(days=1)
    return Isolation.objects.create(
        agency=cast.agency,
        employee=cast.pegawai,
        starts_on=start,
        ends_on=start + timedelta(days=13),
        reason=Isolation.Reason.CONTACT,
    )


def _case_path(cast) -> dict:
    return {"case_id": traced_case(cast).pk}


def _isolation_path(cast) -> dict:
    return {"isolation_id": fresh_isolation(cast).pk}


API = {
    ("GET", f"{P}/health/cases/{{case_id}}/contacts"): Case(
        OFFICER, path=_case_path, query=lambda c: {"reason": REASON}
    ),
    ("POST", f"{P}/health/cases/{{case_id}}/contacts"): Case(
        OFFICER,
        path=_case_path,
        body=lambda c, role: {"employees": [c.matrix_colleague], "reason": f"matrix {role}"},
    ),
    ("GET", f"{P}/health/isolations"): Case(EVERYONE, query=lambda c: {"reason": REASON}),
    ("POST", f"{P}/health/isolations"): Case(
        OFFICER,
        body=lambda c, role: {
            "employee": c.peer.pk,
            "starts_on": _today(c).isoformat(),
            "reason_kind": "symptoms",
            "reason": f"matrix {role}",
        },
    ),
    ("GET", f"{P}/health/isolations/{{isolation_id}}"): Case(
        SEES_OWN, path=_isolation_path, query=lambda c: {"reason": REASON}
    ),
    ("POST", f"{P}/health/isolations/{{isolation_id}}/end"): Case(
        OFFICER,
        path=_isolation_path,
        body=lambda c, role: {"cancel": True, "reason": f"matrix {role}"},
    ),
}

PAGES = {
    "health-case-contacts": Case(OFFICER, path=lambda c: {"pk": traced_case(c).pk}, ok=(200, 302)),
    "health-isolations": Case(EVERYONE, ok=(200, 302)),
    "health-isolation-new": Case(
        OFFICER, query=lambda c: {"employee": c.pegawai.pk}, ok=(200, 302)
    ),
    "health-isolation-detail": Case(
        SEES_OWN, path=lambda c: {"pk": fresh_isolation(c).pk}, ok=(200, 302)
    ),
    "health-isolation-end": Case(
        OFFICER,
        path=lambda c: {"pk": fresh_isolation(c).pk},
        method="POST",
        body=lambda c, role: {"cancel": "on"},
        ok=(200, 302),
    ),
}
