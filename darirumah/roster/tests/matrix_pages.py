"""Who may open each roster page (see darirumah/core/tests/matrix.py)."""

from darirumah.core.tests.matrix import EVERYONE, Case

PAGES = {
    # Everyone opens it; someone without an employee record is told they have no schedule.
    "my_schedule": Case(EVERYONE),
    "my_request": Case(
        EVERYONE - {"operator"},
        method="POST",
        body=lambda c, role: {"date": "2026-08-18", "mode": "WFH", "reason": "urusan keluarga"},
        ok=(302,),
    ),
}
