"""Who may call each roster endpoint (see darirumah/core/tests/matrix.py)."""

from datetime import date

from darirumah.core.tests.matrix import EVERYONE, Case
from darirumah.org.tests.factories import EmployeeFactory, UnitFactory
from darirumah.policy.models import Circular
from darirumah.policy.tests.factories import make_circular
from darirumah.roster.models import RosterRequest

P = "/api/v1"
# The pegawai's unit (Bidang Pelayanan) is under Disdukcapil: its head and admin arrange it.
ARRANGERS = frozenset({"admin_opd", "kepala_opd", "bkpsdm", "operator"})


def _plan_body(cast, role):
    """A new sub-unit of Disdukcapil with two staff, under its own circular in force."""
    unit = UnitFactory(agency=cast.agency, parent=cast.disdukcapil, kind="seksi")
    EmployeeFactory(unit=unit)
    EmployeeFactory(unit=unit)
    circular = make_circular(cast.agency, status=Circular.Status.ACTIVE, units=[unit])
    return {"policy": circular.pk, "start": "2020-03-23", "end": "2020-03-27"}


def _pending_request(cast):
    request = RosterRequest.objects.create(
        employee=cast.pegawai, date=date(2026, 8, 18), mode="WFH", reason="anak sakit"
    )
    return {"request_id": request.pk}


API = {
    ("POST", f"{P}/roster/publish"): Case(
        ARRANGERS,
        body=lambda c, role: {"unit": c.pelayanan.pk, "start": "2026-08-17", "end": "2026-08-21"},
    ),
    ("GET", f"{P}/roster/requests"): Case(EVERYONE),
    ("POST", f"{P}/roster/requests"): Case(
        EVERYONE - {"operator"},  # only employees ask for their own days
        body=lambda c, role: {"date": "2026-08-18", "mode": "WFH", "reason": "urusan keluarga"},
    ),
    ("POST", f"{P}/roster/requests/{{request_id}}/decide"): Case(
        ARRANGERS, path=_pending_request, body=lambda c, role: {"approve": True}
    ),
    ("POST", f"{P}/roster/plan"): Case(ARRANGERS, body=_plan_body),
    ("GET", f"{P}/roster"): Case(
        EVERYONE, query=lambda c: {"start": "2026-08-17", "end": "2026-08-21"}
    ),
    ("PUT", f"{P}/roster/{{employee_id}}/{{day}}"): Case(
        ARRANGERS,
        path=lambda c: {"employee_id": c.pegawai.pk, "day": "2026-08-18"},
        body=lambda c, role: {"mode": "WFH", "reason": f"diatur oleh {role}"},
    ),
}
