"""Matrix cases of the video call and urgent reports (merged into matrix_api.py / matrix_pages.py).

The target unit is Bidang Pelayanan (under Disdukcapil): its head (kepala_opd, head of
Disdukcapil) and OPD admin take the whole roll, atasan marks pegawai; BKPSDM and pimpinan read.
"""

from datetime import date, time

from darirumah.attendance.models import Incident, ViconSession
from darirumah.core.calendar import calendar_for
from darirumah.core.tests.matrix import EVERYONE, Case

P = "/api/v1"
DAY = date(2026, 8, 19)  # a Wednesday, a working day
OPENERS = frozenset({"kepala_opd", "admin_opd", "atasan", "operator"})
SEES_SESSION = OPENERS | {"pegawai", "bkpsdm", "pimpinan"}
REPORTERS = frozenset({"kepala_opd", "admin_opd", "bkpsdm", "operator"})
ACKNOWLEDGERS = frozenset({"bkpsdm", "operator"})


def make_session(cast) -> ViconSession:
    session, _ = ViconSession.objects.get_or_create(
        unit=cast.pelayanan,
        date=DAY,
        defaults={
            "starts_at": calendar_for(cast.agency).local(DAY, time(14, 0)),
            "link": "https://meet.jit.si/uji-pelayanan-20260819-abc",
        },
    )
    return session


def make_incident(cast) -> Incident:
    return Incident.objects.create(
        agency=cast.agency,
        unit=cast.disdukcapil,
        category=Incident.Category.SERVICE,
        text="Server layanan KTP mati",
        reported_by=cast.admin_opd.user,
    )


API = {
    ("GET", f"{P}/vicon/sessions"): Case(EVERYONE),
    ("POST", f"{P}/vicon/sessions"): Case(
        OPENERS, body=lambda c, role: {"unit": c.pelayanan.pk, "date": DAY.isoformat()}
    ),
    ("GET", f"{P}/vicon/sessions/{{session_id}}"): Case(
        SEES_SESSION, path=lambda c: {"session_id": make_session(c).pk}
    ),
    ("POST", f"{P}/vicon/sessions/{{session_id}}/roll-call"): Case(
        OPENERS,
        path=lambda c: {"session_id": make_session(c).pk},
        body=lambda c, role: {"rows": [{"employee": c.pegawai.pk, "status": "present"}]},
    ),
    ("GET", f"{P}/incidents"): Case(EVERYONE),
    ("POST", f"{P}/incidents"): Case(
        REPORTERS,
        files=lambda c, role: {
            "unit": c.disdukcapil.pk,
            "category": "service",
            "text": f"Listrik padam, dilaporkan oleh {role}",
        },
    ),
    ("POST", f"{P}/incidents/{{incident_id}}/acknowledge"): Case(
        ACKNOWLEDGERS, path=lambda c: {"incident_id": make_incident(c).pk}
    ),
}

PAGES = {
    "vicon_roll": Case(
        SEES_SESSION, query=lambda c: {"unit": c.pelayanan.pk, "date": DAY.isoformat()}
    ),
    # Lists of one's own agency: BKPSDM of the other agency sees theirs (empty).
    "incident_list": Case(
        frozenset({"kepala_opd", "admin_opd", "bkpsdm", "pimpinan", "operator", "outsider_bkpsdm"})
    ),
    "incident_new": Case(REPORTERS | {"outsider_bkpsdm"}),
    "incident_acknowledge": Case(
        ACKNOWLEDGERS,
        path=lambda c: {"pk": make_incident(c).pk},
        method="POST",
        ok=(302,),
    ),
}
