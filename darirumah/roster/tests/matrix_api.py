"""Who may call each roster endpoint (see darirumah/core/tests/matrix.py)."""

from darirumah.core.tests.matrix import EVERYONE, Case

P = "/api/v1"
# The pegawai's unit (Bidang Pelayanan) is under Disdukcapil: its head and admin arrange it.
ARRANGERS = frozenset({"admin_opd", "kepala_opd", "bkpsdm", "operator"})

API = {
    ("GET", f"{P}/roster"): Case(
        EVERYONE, query=lambda c: {"start": "2026-08-17", "end": "2026-08-21"}
    ),
    ("PUT", f"{P}/roster/{{employee_id}}/{{day}}"): Case(
        ARRANGERS,
        path=lambda c: {"employee_id": c.pegawai.pk, "day": "2026-08-18"},
        body=lambda c, role: {"mode": "WFH", "reason": f"diatur oleh {role}"},
    ),
}
