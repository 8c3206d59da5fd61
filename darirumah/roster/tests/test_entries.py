"""Manual roster entries: one per person per working day, who may set them, and reading them."""

import json
from datetime import date

import pytest
from django.test import Client

from darirumah.core.errors import DomainError, NotAllowed
from darirumah.org.access import access_for
from darirumah.roster import services
from darirumah.roster.models import RosterEntry

pytestmark = pytest.mark.django_db


def put(user, employee, day, body):
    client = Client()
    client.force_login(user)
    return client.put(
        f"/api/v1/roster/{employee.pk}/{day}", json.dumps(body), content_type="application/json"
    )


def test_one_entry_per_person_per_day_updated_in_place(cast):
    first = put(cast.kepala.user, cast.pegawai, "2026-08-18", {"mode": "WFH", "reason": "giliran"})
    assert first.status_code == 200, first.content
    again = put(cast.admin_opd.user, cast.pegawai, "2026-08-18", {"mode": "WFO", "reason": "loket"})
    assert again.json()["mode"] == "WFO"
    entry = RosterEntry.objects.get(employee=cast.pegawai)
    assert (entry.source, entry.changed_by) == ("manual", cast.admin_opd.user)
    assert entry.history.count() == 2


def test_a_holiday_has_no_roster_entry(cast):
    response = put(cast.bkpsdm.user, cast.pegawai, "2026-08-17", {"mode": "WFH", "reason": "x"})
    assert response.status_code == 400
    assert "Hari Kemerdekaan" in response.json()["error"]["message"]
    assert not RosterEntry.objects.exists()


def test_a_reason_is_required(cast):
    with pytest.raises(DomainError) as exc:
        services.roster_entry_set(
            access=access_for(cast.bkpsdm.user),
            employee=cast.pegawai,
            day=date(2026, 8, 18),
            mode="WFH",
            reason=" ",
        )
    assert "reason" in exc.value.fields


def test_a_health_officer_may_set_isolation_only(cast):
    officer = access_for(cast.kesehatan.user)
    services.roster_entry_set(
        access=officer,
        employee=cast.pegawai,
        day=date(2026, 8, 18),
        mode="ISOLATION",
        reason="kontak",
    )
    assert RosterEntry.objects.get().source == "health"
    with pytest.raises(NotAllowed):
        services.roster_entry_set(
            access=officer, employee=cast.pegawai, day=date(2026, 8, 19), mode="WFH", reason="x"
        )


def test_a_peer_head_cannot_arrange_another_unit(cast):
    with pytest.raises(NotAllowed):
        services.roster_entry_set(
            access=access_for(cast.kepala.user),
            employee=cast.peer,
            day=date(2026, 8, 18),
            mode="WFH",
            reason="x",
        )


def test_reading_is_scoped(cast):
    for person in (cast.pegawai, cast.peer):
        put(cast.bkpsdm.user, person, "2026-08-18", {"mode": "WFH", "reason": "giliran"})
    client = Client()
    client.force_login(cast.pegawai.user)
    mine = client.get("/api/v1/roster", {"start": "2026-08-17", "end": "2026-08-21"}).json()
    assert [e["employee_id"] for e in mine] == [cast.pegawai.pk]
    client.force_login(cast.bkpsdm.user)
    unit = client.get(
        "/api/v1/roster",
        {"start": "2026-08-17", "end": "2026-08-21", "unit": cast.disdukcapil.pk},
    ).json()
    assert [e["employee_id"] for e in unit] == [cast.pegawai.pk]
    too_long = client.get("/api/v1/roster", {"start": "2026-01-01", "end": "2026-12-31"})
    assert too_long.status_code == 400
