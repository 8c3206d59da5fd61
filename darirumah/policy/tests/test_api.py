"""Circulars through the API: draft with scope and rules, activate, the overlap error."""

import json

import pytest

from darirumah.conftest import client_for
from darirumah.policy.models import Circular
from darirumah.policy.tests.factories import make_circular

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_draft_then_activate_through_the_api(cast):
    client = client_for(cast.pimpinan.user)
    created = post(
        client,
        "/api/v1/policies",
        {
            "number": "800/1012/BKPSDM/2020",
            "title": "Penyesuaian sistem kerja ASN",
            "issuer_name": "Syafrudin",
            "issuer_position": "Wali Kota Serang",
            "starts_on": "2020-03-19",
            "units": [cast.disdukcapil.pk],
            "early_starts": [{"unit": cast.disdukcapil.pk, "starts_on": "2020-03-17"}],
            "rules": {"minimum_on_site": [{"unit": cast.disdukcapil.pk, "count": 3}]},
        },
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "draft"
    assert data["units"] == [cast.disdukcapil.pk]
    assert data["early_starts"] == [{"unit": cast.disdukcapil.pk, "starts_on": "2020-03-17"}]
    assert data["rules"]["minimum_on_site"] == [
        {"unit": cast.disdukcapil.pk, "count": 3, "share": 0.0}
    ]
    activated = post(client, f"/api/v1/policies/{data['id']}/activate", {"note": "Berlaku"})
    assert activated.json()["status"] == "active"
    assert [e["action"] for e in activated.json()["events"]] == ["created", "activated"]
    # Staff read the circular; only deciders change it.
    assert client_for(cast.pegawai.user).get(f"/api/v1/policies/{data['id']}").status_code == 200


def test_overlap_is_a_409_naming_both(cast):
    first = make_circular(cast.agency, status=Circular.Status.ACTIVE)
    second = make_circular(cast.agency, units=[cast.setda])
    response = post(client_for(cast.bkpsdm.user), f"/api/v1/policies/{second.pk}/activate", {})
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "overlap"
    assert first.number in error["message"] and second.number in error["message"]


def test_scope_of_another_agency_is_not_found(cast):
    response = post(
        client_for(cast.bkpsdm.user),
        "/api/v1/policies",
        {
            "number": "X/1",
            "title": "Lintas instansi",
            "issuer_name": "Wali Kota",
            "issuer_position": "Wali Kota",
            "starts_on": "2020-03-19",
            "units": [cast.other_unit.pk],
        },
    )
    assert response.status_code == 404
    assert "units" in response.json()["error"]["fields"]
    assert not Circular.objects.exists()


def test_bad_rules_are_a_400_naming_the_rule(cast):
    response = post(
        client_for(cast.bkpsdm.user),
        "/api/v1/policies",
        {
            "number": "X/2",
            "title": "Aturan salah",
            "issuer_name": "Wali Kota",
            "issuer_position": "Wali Kota",
            "starts_on": "2020-03-19",
            "rules": {"cap_preset": "semua"},
        },
    )
    assert response.status_code == 400
    assert "rules.cap_preset" in response.json()["error"]["fields"]
