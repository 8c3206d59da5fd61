"""Publishing a unit's plan, and staff requests answered by the head."""

import json
from datetime import date

import pytest

from darirumah.conftest import client_for
from darirumah.core.errors import DomainError, NotAllowed
from darirumah.org.access import access_for
from darirumah.roster import services
from darirumah.roster.models import RosterEntry, RosterRequest

pytestmark = pytest.mark.django_db
TUESDAY = date(2026, 8, 18)


def test_publish_makes_the_units_planned_days_official(cast):
    for person in (cast.pegawai, cast.peer):
        RosterEntry.objects.create(employee=person, date=TUESDAY, mode="WFH", source="solver")
    response = client_for(cast.kepala.user).post(
        "/api/v1/roster/publish",
        json.dumps({"unit": cast.disdukcapil.pk, "start": "2026-08-17", "end": "2026-08-21"}),
        content_type="application/json",
    )
    assert response.json() == {"published": 1}
    assert RosterEntry.objects.get(employee=cast.pegawai).published
    assert not RosterEntry.objects.get(employee=cast.peer).published  # another unit


def test_a_request_approved_becomes_the_days_entry(cast):
    asked = client_for(cast.pegawai.user).post(
        "/api/v1/roster/requests",
        json.dumps({"date": "2026-08-18", "mode": "WFH", "reason": "anak sakit"}),
        content_type="application/json",
    )
    assert asked.status_code == 201, asked.content
    inbox = client_for(cast.kepala.user).get("/api/v1/roster/requests?status=pending").json()
    assert [r["employee_name"] for r in inbox["items"]] == ["Pegawai Pelayanan"]
    decided = client_for(cast.kepala.user).post(
        f"/api/v1/roster/requests/{asked.json()['id']}/decide",
        json.dumps({"approve": True}),
        content_type="application/json",
    )
    assert decided.json()["status"] == "approved"
    entry = RosterEntry.objects.get(employee=cast.pegawai, date=TUESDAY)
    assert (entry.mode, entry.source, entry.published) == ("WFH", "request", True)


def test_a_refusal_needs_a_reason_and_changes_no_day(cast):
    request = services.roster_request_create(
        access=access_for(cast.pegawai.user), day=TUESDAY, mode="WFH", reason="renovasi rumah"
    )
    head = access_for(cast.kepala.user)
    with pytest.raises(DomainError):
        services.roster_request_decide(access=head, request=request, approve=False)
    services.roster_request_decide(
        access=head, request=request, approve=False, note="Loket kekurangan petugas"
    )
    request.refresh_from_db()
    assert request.status == RosterRequest.Status.REFUSED
    assert not RosterEntry.objects.exists()
    with pytest.raises(DomainError):
        services.roster_request_decide(access=head, request=request, approve=True)


def test_one_pending_request_per_day_and_only_working_days(cast):
    me = access_for(cast.pegawai.user)
    services.roster_request_create(access=me, day=TUESDAY, mode="WFH", reason="a")
    with pytest.raises(DomainError):
        services.roster_request_create(access=me, day=TUESDAY, mode="WFO", reason="b")
    with pytest.raises(DomainError):
        services.roster_request_create(access=me, day=date(2026, 8, 17), mode="WFH", reason="c")


def test_a_supervisor_without_the_unit_cannot_answer(cast):
    request = services.roster_request_create(
        access=access_for(cast.pegawai.user), day=TUESDAY, mode="WFH", reason="a"
    )
    with pytest.raises(NotAllowed):
        services.roster_request_decide(
            access=access_for(cast.atasan.user), request=request, approve=True
        )
