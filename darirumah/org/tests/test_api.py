"""The organisation API as a client sees it: scoping, filters, errors, tokens, documents."""

import json
from datetime import UTC, datetime

import pytest
from django.test import Client

from darirumah.conftest import client_for
from darirumah.core import calendar as calendar_service
from darirumah.org.models import Employee, Unit
from darirumah.org.services import token_create
from darirumah.org.tests.factories import nip_for


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_me_describes_the_caller(cast):
    data = client_for(cast.atasan.user).get("/api/v1/me").json()
    assert data["employee"]["nip"] == cast.atasan.nip
    assert data["agency"]["code"] == cast.agency.code
    assert data["roles"] == ["pegawai", "atasan"]


@pytest.mark.django_db
def test_employee_list_is_scoped_per_role(cast):
    def names(user, **params):
        response = client_for(user).get("/api/v1/employees", {"page_size": 100, **params})
        assert response.status_code == 200
        return {e["name"] for e in response.json()["items"]}

    assert names(cast.pegawai.user) == {"Pegawai Pelayanan"}
    assert names(cast.atasan.user) == {"Atasan Pelayanan", "Pegawai Pelayanan"}
    # The head of Disdukcapil sees the whole Disdukcapil subtree, nobody from the Secretariat.
    assert names(cast.kepala.user) == {
        "Kepala Dukcapil",
        "Atasan Pelayanan",
        "Pegawai Pelayanan",
        "Admin Dukcapil",
    }
    everyone_in_serang = names(cast.bkpsdm.user)
    assert "Pegawai Setda" in everyone_in_serang
    assert "Pegawai Batu" not in everyone_in_serang
    assert names(cast.outsider_bkpsdm.user) == {"Pegawai Batu", "BKPSDM Batu"}


@pytest.mark.django_db
def test_employee_filters_by_unit_subtree_and_search(cast):
    client = client_for(cast.bkpsdm.user)
    subtree = client.get("/api/v1/employees", {"unit": cast.disdukcapil.pk}).json()
    assert subtree["count"] == 4
    only_unit = client.get(
        "/api/v1/employees", {"unit": cast.disdukcapil.pk, "subtree": "false"}
    ).json()
    assert {e["name"] for e in only_unit["items"]} == {"Kepala Dukcapil", "Admin Dukcapil"}
    found = client.get("/api/v1/employees", {"q": cast.pegawai.nip[:10]}).json()
    assert cast.pegawai.nip in {e["nip"] for e in found["items"]}
    by_name = client.get("/api/v1/employees", {"q": "setda"}).json()
    assert [e["name"] for e in by_name["items"]] == ["Pegawai Setda"]


@pytest.mark.django_db
def test_employee_list_is_paginated(cast):
    page = client_for(cast.bkpsdm.user).get("/api/v1/employees", {"page_size": 3, "page": 2})
    data = page.json()
    assert data["count"] == 8
    assert len(data["items"]) == 3


@pytest.mark.django_db
def test_create_employee_makes_an_account_and_history(cast):
    client = client_for(cast.admin_opd.user)
    nip = nip_for(4242)
    response = post(
        client,
        "/api/v1/employees",
        {
            "nip": nip,
            "name": "Siti Rahmawati",
            "position": "Pengadministrasi Kependudukan",
            "unit": cast.pelayanan.pk,
            "supervisor": cast.atasan.pk,
            "home_latitude": -6.1,
            "home_longitude": 106.1,
            "password": "kata-sandi-baru-1",
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["username"] == nip
    # The unit's office is the default office.
    assert data["office_id"] == cast.office.pk
    employee = Employee.objects.get(nip=nip)
    assert employee.history.count() == 1
    assert employee.history.first().history_user == cast.admin_opd.user
    assert Client().login(username=nip, password="kata-sandi-baru-1")


@pytest.mark.django_db
def test_bad_nip_is_a_json_error_on_the_field(cast):
    response = post(
        client_for(cast.bkpsdm.user),
        "/api/v1/employees",
        {"nip": "198513302010011002", "name": "Salah", "position": "Analis", "unit": cast.setda.pk},
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "nip" in error["fields"]
    assert "19851330" in error["fields"]["nip"][0]


@pytest.mark.django_db
def test_supervisor_loop_is_refused_and_nothing_changes(cast):
    client = client_for(cast.bkpsdm.user)
    response = patch(client, f"/api/v1/employees/{cast.kepala.pk}", {"supervisor": cast.pegawai.pk})
    assert response.status_code == 400
    assert "supervisor" in response.json()["error"]["fields"]
    cast.kepala.refresh_from_db()
    assert cast.kepala.supervisor_id is None


@pytest.mark.django_db
def test_admin_cannot_move_staff_outside_their_subtree(cast):
    response = patch(
        client_for(cast.admin_opd.user),
        f"/api/v1/employees/{cast.pegawai.pk}",
        {"unit": cast.setda.pk},
    )
    assert response.status_code == 403
    cast.pegawai.refresh_from_db()
    assert cast.pegawai.unit == cast.pelayanan


@pytest.mark.django_db
def test_reference_to_another_agency_is_not_found(cast):
    response = post(
        client_for(cast.bkpsdm.user),
        "/api/v1/employees",
        {
            "nip": nip_for(4343),
            "name": "Lintas Instansi",
            "position": "Analis",
            "unit": cast.other_unit.pk,
        },
    )
    assert response.status_code == 404
    assert "unit" in response.json()["error"]["fields"]
    assert not Employee.objects.filter(nip=nip_for(4343)).exists()


@pytest.mark.django_db
def test_validation_errors_are_json_with_fields(cast):
    response = post(client_for(cast.bkpsdm.user), "/api/v1/offices", {"name": "X"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert {"name", "latitude", "longitude"} <= set(error["fields"])


@pytest.mark.django_db
def test_moving_a_unit_moves_its_subtree(cast):
    client = client_for(cast.bkpsdm.user)
    response = patch(client, f"/api/v1/units/{cast.disdukcapil.pk}", {"parent": cast.setda.pk})
    assert response.status_code == 200, response.content
    cast.pelayanan.refresh_from_db()
    assert cast.pelayanan.path == f"/{cast.setda.pk}/{cast.disdukcapil.pk}/{cast.pelayanan.pk}/"
    # The head now also oversees... only Disdukcapil; the secretariat's staff stay invisible.
    head_sees = client_for(cast.kepala.user).get("/api/v1/employees").json()["count"]
    assert head_sees == 4
    loop = patch(client, f"/api/v1/units/{cast.setda.pk}", {"parent": cast.pelayanan.pk})
    assert loop.status_code == 400
    assert Unit.objects.get(pk=cast.setda.pk).parent_id is None


@pytest.mark.django_db
def test_calendar_endpoint_names_days_off(cast):
    client = client_for(cast.pegawai.user)
    days = client.get(
        f"/api/v1/agencies/{cast.agency.pk}/calendar", {"start": "2026-08-14", "end": "2026-08-17"}
    ).json()
    assert [d["working"] for d in days] == [True, False, False, False]
    assert days[3]["reason"] == "Hari Kemerdekaan Republik Indonesia"
    set_day = post(
        client_for(cast.bkpsdm.user),
        f"/api/v1/agencies/{cast.agency.pk}/calendar",
        {"date": "2026-08-14", "kind": "off", "name": "Hari Jadi Kota"},
    )
    assert set_day.status_code == 201
    again = client.get(
        f"/api/v1/agencies/{cast.agency.pk}/calendar", {"start": "2026-08-14", "end": "2026-08-14"}
    ).json()
    assert again == [{"date": "2026-08-14", "working": False, "reason": "Hari Jadi Kota"}]


@pytest.mark.django_db
def test_bearer_token_authenticates_and_revoked_token_does_not(cast):
    token, key = token_create(user=cast.pegawai.user, name="ponsel")
    client = Client()
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert me.status_code == 200
    assert me.json()["employee"]["nip"] == cast.pegawai.nip
    wrong = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer drt_not-a-real-token")
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "unauthenticated"
    revoke = client.delete(f"/api/v1/tokens/{token.pk}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert revoke.status_code == 204
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


@pytest.mark.django_db
def test_ping_names_the_token_owner_and_the_server_clock(cast, monkeypatch):
    _token, key = token_create(user=cast.pegawai.user, name="ponsel")
    moment = datetime(2026, 8, 17, 0, 25, tzinfo=UTC)
    monkeypatch.setattr(calendar_service, "utcnow", lambda: moment)
    client = Client()
    ping = client.get("/api/v1/ping", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert ping.status_code == 200
    assert ping.json() == {"user_id": cast.pegawai.user.pk, "server_time": "2026-08-17T00:25:00Z"}
    assert client.get("/api/v1/ping").status_code == 401


@pytest.mark.django_db
def test_created_token_key_is_shown_once(cast):
    client = client_for(cast.pegawai.user)
    created = post(client, "/api/v1/tokens", {"name": "integrasi"}).json()
    assert created["key"].startswith("drt_")
    listed = client.get("/api/v1/tokens").json()
    assert "key" not in listed[0]
    assert listed[0]["prefix"] == created["key"][:12]


@pytest.mark.django_db
def test_role_grant_and_revoke_are_audited(cast):
    client = client_for(cast.bkpsdm.user)
    grant = post(
        client,
        "/api/v1/roles",
        {"user": cast.peer.user.pk, "role": "admin_opd", "unit": cast.setda.pk},
    )
    assert grant.status_code == 201, grant.content
    assert grant.json()["granted_by_id"] == cast.bkpsdm.user.pk
    # The new admin now edits the secretariat's staff.
    edit = patch(
        client_for(cast.peer.user), f"/api/v1/employees/{cast.pimpinan.pk}", {"phone": "1"}
    )
    assert edit.status_code == 200
    revoke = client.post(f"/api/v1/roles/{grant.json()['id']}/revoke")
    assert revoke.status_code == 200
    assert revoke.json()["revoked_at"] is not None
    edit = patch(
        client_for(cast.peer.user), f"/api/v1/employees/{cast.pimpinan.pk}", {"phone": "2"}
    )
    assert edit.status_code == 404
    missing_unit = post(client, "/api/v1/roles", {"user": cast.peer.user.pk, "role": "admin_opd"})
    assert missing_unit.status_code == 400
    assert "unit" in missing_unit.json()["error"]["fields"]


@pytest.mark.django_db
def test_openapi_document_and_docs_are_served(cast):
    client = client_for(cast.pegawai.user)
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/employees/import" in schema.json()["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "url", "status", "code"),
    [
        ("get", "/api/v1/no-such-thing", 404, "not_found"),
        ("delete", "/api/v1/me", 405, "method_not_allowed"),
        ("get", "/api/v1/employees/abc", 422, "invalid"),
        ("get", "/api/v1/employees/999999", 404, "not_found"),
        ("get", "/api/v1/employees?page=0", 422, "invalid"),
    ],
)
def test_every_api_error_is_json(cast, method, url, status, code):
    response = getattr(client_for(cast.bkpsdm.user), method)(url)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


@pytest.mark.django_db
def test_unreadable_body_is_a_json_error(cast):
    response = client_for(cast.bkpsdm.user).post(
        "/api/v1/units", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"
