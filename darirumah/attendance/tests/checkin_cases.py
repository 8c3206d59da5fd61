"""Access matrix cases of the own check-in and check-out (see darirumah/core/tests/matrix.py).

Each role acts on its own attendance today. The callables declare today a working day for the
role's agency (the walker runs on any day of the week) and, for the check-in, store the role's
check-in already: the repeat returns it (200) without writing a photo to the real media folder.
"""

from darirumah.attendance.models import Attendance
from darirumah.core import calendar as calendar_service
from darirumah.core.tests.matrix import EVERYONE, Case
from darirumah.org.models import AgencyDay

P = "/api/v1"
# Everyone with an employee record (the operator has none: 403).
EMPLOYEES = EVERYONE - {"operator"}
LOCATION = {"latitude": "-6.12", "longitude": "106.15", "accuracy": "20"}


def _today(cast, role, *, checked_in: bool) -> dict:
    user = cast.users().get(role)
    employee = getattr(user, "employee", None) if user is not None else None
    for agency in (cast.agency, cast.other_agency):
        day = calendar_service.calendar_for(agency).today()
        AgencyDay.objects.get_or_create(
            agency=agency, date=day, defaults={"kind": "on", "name": "uji"}
        )
    if employee is not None and checked_in:
        day = calendar_service.calendar_for(employee.agency).today()
        Attendance.objects.get_or_create(
            employee=employee,
            date=day,
            defaults={
                "status": "present",
                "source": "self",
                "check_in_at": calendar_service.utcnow(),
            },
        )
    return dict(LOCATION)


API = {
    ("POST", f"{P}/attendance/check-in"): Case(
        EMPLOYEES, files=lambda c, role: _today(c, role, checked_in=True)
    ),
    ("POST", f"{P}/attendance/check-out"): Case(
        EMPLOYEES, files=lambda c, role: _today(c, role, checked_in=True)
    ),
}

PAGES = {
    # Everyone opens it; someone without an employee record is told they do not check in.
    "checkin": Case(EVERYONE),
}
