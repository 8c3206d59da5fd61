"""Matrix cases of the records area (attendance list, manual entry, excuse, board), merged
into matrix_api.py and matrix_pages.py under their "records" section."""

from datetime import date

from darirumah.core.tests.matrix import EVERYONE, Case

P = "/api/v1"
DAY = date(2026, 8, 18)  # a Tuesday, a working day in the past
# The pegawai's unit (Bidang Pelayanan) is under Disdukcapil: its head and admin enter its
# attendance, BKPSDM and the operator too.
ARRANGERS = frozenset({"admin_opd", "kepala_opd", "bkpsdm", "operator"})
# The board: those who oversee the unit, and the atasan whose team works there (their rows).
BOARD_READERS = ARRANGERS | {"pimpinan", "atasan"}


def absent_record(cast):
    """The pegawai's absence on DAY, reset to absent for every role's call."""
    from darirumah.attendance.models import Attendance

    record, _created = Attendance.objects.update_or_create(
        employee=cast.pegawai,
        date=DAY,
        defaults={"status": "absent", "source": "system", "reason": ""},
    )
    return record


API = {
    ("GET", f"{P}/attendance"): Case(EVERYONE),
    ("POST", f"{P}/attendance/manual"): Case(
        ARRANGERS,
        body=lambda c, role: {
            "unit": c.pelayanan.pk,
            "date": DAY.isoformat(),
            "rows": [{"employee": c.pegawai.pk, "status": "absent", "reason": f"izin {role}"}],
        },
    ),
    ("POST", f"{P}/attendance/{{record_id}}/excuse"): Case(
        ARRANGERS,
        path=lambda c: {"record_id": absent_record(c).pk},
        files=lambda c, role: {"reason": "surat dokter"},
    ),
}

PAGES = {
    "attendance_board": Case(BOARD_READERS, query=lambda c: {"unit": c.pelayanan.pk}),
    "attendance_manual": Case(ARRANGERS, query=lambda c: {"unit": c.pelayanan.pk}),
    "attendance_excuse": Case(ARRANGERS, path=lambda c: {"pk": absent_record(c).pk}),
}
