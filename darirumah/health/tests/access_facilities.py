"""Who may call each endpoint and open each page of the office closures (see
darirumah/core/tests/matrix.py).

A closure holds no personal data: everyone of the agency reads it, and the platform operator
(who names the agency); the agency's health officers close, reopen and record disinfections.
Dates follow the real clock here (the matrix has no clock fixture).
"""

from __future__ import annotations

from datetime import timedelta

from darirumah.core.tests.matrix import INSIDERS, Case

P = "/api/v1"
OFFICER = frozenset({"kesehatan"})


def _today(cast):
    from darirumah.core.calendar import calendar_for

    return calendar_for(cast.agency).today()


def closure_for(cast, *, since_days: int = 3, until_days: int = 3):
    """A closure of the cast's office from `since_days` ago to `until_days` ahead, in force
    since its first day."""
    from darirumah.core import calendar as calendar_service
    from darirumah.health.models import Closure

    today = _today(cast)
    return Closure.objects.create(
        agency=cast.agency,
        office=cast.office,
        starts_on=today - timedelta(days=since_days),
        ends_on=today + timedelta(days=until_days),
        reason="uji matriks akses",
        closed_at=calendar_service.utcnow() - timedelta(days=since_days),
    )


def _closure_path(cast) -> dict:
    return {"closure_id": closure_for(cast).pk}


def _new_closure(cast, role) -> dict:
    today = _today(cast)
    return {
        "office": cast.office.pk,
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=2)).isoformat(),
        "reason": f"disinfeksi gedung ({role})",
    }


def _reopen(cast, role) -> dict:
    return {
        "on": (_today(cast) + timedelta(days=1)).isoformat(),
        "reason": f"disinfeksi selesai ({role})",
    }


def _room(cast):
    return cast.office.rooms.first()


def _disinfection(cast, role) -> dict:
    from darirumah.core import calendar as calendar_service

    return {
        "room": _room(cast).pk,
        "performed_at": (calendar_service.utcnow() - timedelta(hours=1)).isoformat(),
        "team": f"Tim BPBD ({role})",
        "agent": "Natrium hipoklorit 0,5%",
    }


def _disinfection_form(cast, role) -> dict:
    from darirumah.core import calendar as calendar_service
    from darirumah.core.calendar import zone_info

    local = (calendar_service.utcnow() - timedelta(hours=1)).astimezone(zone_info(cast.agency.zone))
    return {
        "room": _room(cast).pk,
        "performed_at": local.strftime("%Y-%m-%dT%H:%M"),
        "team": f"Tim BPBD ({role})",
        "agent": "Natrium hipoklorit 0,5%",
    }


def _agency(cast) -> dict:
    return {"agency": cast.agency.pk}


API = {
    ("GET", f"{P}/facilities/closures"): Case(INSIDERS, query=_agency),
    ("POST", f"{P}/facilities/closures"): Case(OFFICER, body=_new_closure),
    ("GET", f"{P}/facilities/closures/{{closure_id}}"): Case(INSIDERS, path=_closure_path),
    ("POST", f"{P}/facilities/closures/{{closure_id}}/reopen"): Case(
        OFFICER, path=_closure_path, body=_reopen
    ),
    ("POST", f"{P}/facilities/closures/{{closure_id}}/disinfections"): Case(
        OFFICER, path=_closure_path, body=_disinfection
    ),
}

PAGES = {
    "health-closures": Case(INSIDERS, query=_agency),
    "health-closure-new": Case(
        OFFICER,
        query=lambda c: {
            "office": c.office.pk,
            "start": _today(c).isoformat(),
            "end": (_today(c) + timedelta(days=4)).isoformat(),
        },
    ),
    "health-closure-detail": Case(INSIDERS, path=lambda c: {"pk": closure_for(c).pk}),
    "health-closure-reopen": Case(
        OFFICER,
        method="POST",
        path=lambda c: {"pk": closure_for(c).pk},
        body=_reopen,
        ok=(302,),
    ),
    "health-disinfection-add": Case(
        OFFICER,
        method="POST",
        path=lambda c: {"pk": closure_for(c).pk},
        body=_disinfection_form,
        ok=(302,),
    ),
}
