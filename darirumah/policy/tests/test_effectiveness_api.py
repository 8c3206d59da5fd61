"""The effectiveness review and the decision through the API (R2, R3)."""

import json

import pytest

from darirumah.conftest import client_for
from darirumah.performance.tests.factories import Clock
from darirumah.policy.models import Circular
from darirumah.policy.tests.test_effectiveness import D3, build
from darirumah.roster.models import RosterEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def serang(cast):
    return build(cast)  # the hand-computed scenario of test_effectiveness.py


@pytest.fixture
def on_day3(monkeypatch):
    return Clock(monkeypatch, 2020, 3, 23, 3, 0)  # Monday 23 March 2020, 10:00 WIB


def url(circular, what="effectiveness"):
    return f"/api/v1/policies/{circular.pk}/{what}"


def post(user, circular, body):
    return client_for(user).post(
        url(circular, "decision"), json.dumps(body), content_type="application/json"
    )


def test_the_mayor_reads_the_review_on_the_third_working_day(cast, serang):
    response = client_for(cast.pimpinan.user).get(url(serang.circular), {"through": "2020-03-23"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["answer"], data["due"], data["provisional"]) == ("yes", True, False)
    assert data["working_days"] == ["2020-03-19", "2020-03-20", "2020-03-23"]
    assert data["threshold"] == "0.8"
    assert data["overall"]["wfh"]["done_share"] == "0.8000"
    assert data["overall"]["wfh"]["target_progress"] == "0.6447"
    assert data["overall"]["report_completion"] == "0.8095"
    by_name = {row["name"]: row for row in data["opds"]}
    dukcapil = by_name["Dinas Kependudukan dan Pencatatan Sipil"]
    assert (dukcapil["verdict"], dukcapil["gap"]) == ("not_effective", "-0.2222")
    assert dukcapil["vicon_attendance"] == "0.5000"
    assert data["recommendation"] == {
        "decision": "adjust",
        "units": [cast.disdukcapil.pk],
        "names": ["Dinas Kependudukan dan Pencatatan Sipil"],
    }
    assert [p["wfh_done"] for p in data["series"]] == ["1.0000", "0.8000", "0.6000"]
    assert data["decisions"] == []


def test_who_reads_the_review(cast, serang):
    for user, status in (
        (cast.kepala.user, 200),  # a unit head sees the whole review
        (cast.bkpsdm.user, 200),
        (cast.pegawai.user, 403),
        (cast.kesehatan.user, 403),
        (cast.admin_opd.user, 403),
        (cast.outsider_bkpsdm.user, 404),
    ):
        assert client_for(user).get(url(serang.circular)).status_code == status, user


def test_a_bad_date_is_a_field_error(cast, serang):
    response = client_for(cast.pimpinan.user).get(url(serang.circular), {"through": "23-03-2020"})
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["through"]


def test_decisions_through_the_api(cast, serang, on_day3):
    unknown = post(cast.pimpinan.user, serang.circular, {"decision": "pause", "note": "x"})
    assert unknown.status_code == 422
    assert "decision" in unknown.json()["error"]["fields"]

    no_units = post(cast.pimpinan.user, serang.circular, {"decision": "adjust", "note": "x"})
    assert no_units.status_code == 400
    assert "units" in no_units.json()["error"]["fields"]

    stranger = post(
        cast.pimpinan.user,
        serang.circular,
        {"decision": "adjust", "note": "x", "units": [cast.other_unit.pk]},
    )
    assert stranger.status_code == 404
    assert "units" in stranger.json()["error"]["fields"]

    no_reason = post(cast.pimpinan.user, serang.circular, {"decision": "continue", "note": ""})
    assert no_reason.status_code == 400
    assert no_reason.json()["error"]["fields"] == {"note": ["Required."]}

    adjusted = post(
        cast.bkpsdm.user,
        serang.circular,
        {"decision": "adjust", "note": "Dukcapil di bawah 80%", "units": [cast.disdukcapil.pk]},
    )
    assert adjusted.status_code == 201, adjusted.content
    body = adjusted.json()
    assert (body["decision"], body["units"], body["decided_by"]) == (
        "adjust",
        [cast.disdukcapil.pk],
        "Petugas BKPSDM",
    )
    assert body["review"]["answer"] == "yes"

    assert (
        post(cast.kepala.user, serang.circular, {"decision": "continue", "note": "x"}).status_code
        == 403
    )

    RosterEntry.objects.create(
        employee=serang.a1, date="2020-03-24", mode="WFH", source="solver", published=True,
        circular=serang.circular,
    )  # fmt: skip
    withdrawn = post(cast.pimpinan.user, serang.circular, {"decision": "withdraw", "note": "Gagal"})
    assert withdrawn.status_code == 201
    assert withdrawn.json()["circular_status"] == "withdrawn"
    circular = Circular.objects.get(pk=serang.circular.pk)
    assert circular.ends_on == D3
    assert RosterEntry.objects.get(employee=serang.a1, date="2020-03-24").mode == "WFO"

    listed = client_for(cast.pimpinan.user).get(url(serang.circular)).json()["decisions"]
    assert [d["decision"] for d in listed] == ["withdraw", "adjust"]
