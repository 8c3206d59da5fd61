"""The health register's endpoints: who sees names (with a reason, logged), who sees only their
own cases, writes by the health officer with their log lines, errors as JSON, the access log,
and a list that costs the same queries for 3 or 30 cases."""

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from darirumah.conftest import client_for
from darirumah.health.models import HealthAccessLog, HealthCase
from darirumah.org.models import Unit
from darirumah.org.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db
P = "/api/v1/health"
WHY = "rekap mingguan satgas"


@pytest.fixture(autouse=True)
def _clock(clock, monkeypatch):
    return clock  # Wednesday 19 August 2026, 10:00 WIB


def make_case(employee, status="suspect", **kw):
    return HealthCase.objects.create(agency=employee.agency, employee=employee, status=status, **kw)


def bkpsdm_head(cast):
    """The BKPSDM officer made head of the BKPSDM unit: the head of BKPSDM reads names."""
    Unit.objects.filter(pk=cast.bkpsdm_unit.pk).update(head=cast.bkpsdm)
    return type(cast.bkpsdm.user).objects.get(pk=cast.bkpsdm.user.pk)


def send(client, method, path, body):
    return client.generic(method, f"{P}{path}", json.dumps(body), content_type="application/json")


def error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()["error"]
    assert body["code"] == code
    return body


# --- reading --------------------------------------------------------------------------------


def test_names_need_a_reason_and_each_read_is_logged_with_the_people_listed(cast):
    mine = make_case(cast.pegawai, "confirmed", confirmed_on=date(2026, 8, 18))
    peer = make_case(cast.peer)
    make_case(cast.outsider)
    client = client_for(cast.kesehatan.user)
    refused = error(client.get(f"{P}/cases"), 400, "reason_required")
    assert "reason" in refused["fields"]
    assert not HealthAccessLog.objects.exists()

    body = client.get(f"{P}/cases", {"reason": WHY}).json()
    assert body["count"] == 2 and {i["id"] for i in body["items"]} == {mine.pk, peer.pk}
    item = next(i for i in body["items"] if i["id"] == mine.pk)
    assert item["employee"] == {
        "id": cast.pegawai.pk,
        "name": "Pegawai Pelayanan",
        "nip": cast.pegawai.nip,
        "unit": {"id": cast.pelayanan.pk, "name": "Bidang Pelayanan"},
    }
    assert item["status"] == "confirmed" and item["confirmed_on"] == "2026-08-18"
    assert item["tests"] == [] and item["created_at"].endswith("+07:00")
    line = HealthAccessLog.objects.get()
    assert (line.action, line.subject, line.reason, line.user) == (
        "list",
        "cases",
        WHY,
        cast.kesehatan.user,
    )
    assert line.employees == sorted([cast.pegawai.pk, cast.peer.pk])

    # The header carries the reason too; the filters narrow the list.
    only = client.get(
        f"{P}/cases", {"status": "suspect"}, HTTP_X_ACCESS_REASON="pelacakan kontak"
    ).json()
    assert [i["id"] for i in only["items"]] == [peer.pk]
    assert HealthAccessLog.objects.first().employees == [cast.peer.pk]
    unit = client.get(f"{P}/cases", {"unit": cast.disdukcapil.pk, "reason": WHY}).json()
    assert [i["id"] for i in unit["items"]] == [mine.pk]
    found = client.get(f"{P}/cases", {"q": "setda", "reason": WHY}).json()
    assert [i["id"] for i in found["items"]] == [peer.pk]
    opened = client.get(f"{P}/cases", {"status": "open", "reason": WHY}).json()
    assert opened["count"] == 2
    error(client.get(f"{P}/cases", {"unit": cast.other_unit.pk, "reason": WHY}), 404, "not_found")


def test_the_head_of_bkpsdm_reads_names_other_roles_only_their_own(cast):
    mine = make_case(cast.pegawai)
    kepala = make_case(cast.kepala)

    def own(user):
        response = client_for(user).get(f"{P}/cases")
        assert response.status_code == 200, response.content
        return [i["id"] for i in response.json()["items"]]

    assert own(cast.pegawai.user) == [mine.pk]
    assert own(cast.kepala.user) == [kepala.pk]  # head of Disdukcapil: still only their own
    for user in (cast.pimpinan.user, cast.bkpsdm.user, cast.atasan.user, cast.outsider.user):
        assert own(user) == []  # pimpinan and BKPSDM staff see counts elsewhere, not names
    assert not HealthAccessLog.objects.exists()  # own reads are not logged

    head = client_for(bkpsdm_head(cast))
    assert head.get(f"{P}/cases", {"reason": WHY}).json()["count"] == 2
    assert head.get(f"{P}/cases/{mine.pk}", {"reason": WHY}).status_code == 200
    assert list(HealthAccessLog.objects.values_list("action", flat=True)) == ["view", "list"]


def test_a_case_is_shown_to_officers_with_a_reason_and_to_the_person_themself(cast):
    case = make_case(cast.pegawai)
    client = client_for(cast.kesehatan.user)
    error(client.get(f"{P}/cases/{case.pk}"), 400, "reason_required")
    assert client.get(f"{P}/cases/{case.pk}", {"reason": WHY}).json()["id"] == case.pk
    line = HealthAccessLog.objects.get()
    assert (line.action, line.subject, line.employees, line.reason) == (
        "view",
        f"case:{case.pk}",
        [cast.pegawai.pk],
        WHY,
    )
    assert client_for(cast.pegawai.user).get(f"{P}/cases/{case.pk}").status_code == 200
    assert HealthAccessLog.objects.count() == 1
    for user in (cast.atasan.user, cast.kepala.user, cast.pimpinan.user, cast.outsider.user):
        error(client_for(user).get(f"{P}/cases/{case.pk}", {"reason": WHY}), 404, "not_found")


# --- writing --------------------------------------------------------------------------------

NEW = {"status": "suspect", "symptom_onset": "2026-08-15", "reason": "laporan puskesmas"}


def test_an_officer_records_a_case_with_its_first_test(cast):
    body = dict(
        NEW,
        employee=cast.pegawai.pk,
        likely_place="office",
        likely_place_reason="Satu ruangan dengan kasus pertama",
        test={
            "kind": "pcr",
            "taken_on": "2026-08-17",
            "result": "positive",
            "result_on": "2026-08-18",
        },
    )
    response = send(client_for(cast.kesehatan.user), "POST", "/cases", body)
    assert response.status_code == 201, response.content
    case = response.json()
    assert (case["status"], case["confirmed_on"]) == ("confirmed", "2026-08-18")
    assert case["tests"][0]["result"] == "positive" and case["likely_place"] == "office"
    line = HealthAccessLog.objects.get()
    assert (line.action, line.reason, line.subject) == (
        "create",
        "laporan puskesmas",
        f"case:{case['id']}",
    )


def test_writes_are_refused_with_json_errors(cast):
    client = client_for(cast.kesehatan.user)
    bad = error(
        send(client, "POST", "/cases", dict(NEW, employee=cast.pegawai.pk, likely_place="office")),
        400,
        "invalid",
    )
    assert "likely_place_reason" in bad["fields"]
    future = error(
        send(
            client,
            "POST",
            "/cases",
            dict(NEW, employee=cast.pegawai.pk, symptom_onset="2026-08-25"),
        ),
        400,
        "invalid",
    )
    assert "symptom_onset" in future["fields"]
    error(
        send(client, "POST", "/cases", dict(NEW, employee=cast.pegawai.pk, reason="")),
        400,
        "reason_required",
    )
    error(
        send(client, "POST", "/cases", dict(NEW, employee=cast.pegawai.pk, status="sick")),
        422,
        "invalid",
    )
    error(send(client, "POST", "/cases", dict(NEW, employee=cast.outsider.pk)), 404, "not_found")
    assert send(client, "POST", "/cases", dict(NEW, employee=cast.pegawai.pk)).status_code == 201
    twice = error(
        send(client, "POST", "/cases", dict(NEW, employee=cast.pegawai.pk)), 409, "conflict"
    )
    assert "already has an open case" in twice["message"]
    head = client_for(bkpsdm_head(cast))
    error(send(head, "POST", "/cases", dict(NEW, employee=cast.peer.pk)), 403, "forbidden")
    assert HealthCase.objects.count() == 1


def test_a_change_and_a_test_are_logged_and_a_positive_test_confirms(cast):
    case = make_case(cast.pegawai, "probable")
    client = client_for(cast.kesehatan.user)
    changed = send(
        client,
        "PATCH",
        f"/cases/{case.pk}",
        {"note": "Demam 38 derajat", "reason": "pembaruan gejala"},
    )
    assert changed.status_code == 200 and changed.json()["note"] == "Demam 38 derajat"
    added = send(
        client,
        "POST",
        f"/cases/{case.pk}/tests",
        {
            "kind": "antigen",
            "taken_on": "2026-08-18",
            "result": "positive",
            "reason": "hasil antigen",
        },
    )
    assert added.status_code == 201, added.content
    assert (added.json()["status"], added.json()["confirmed_on"]) == ("confirmed", "2026-08-18")
    closed = send(
        client, "PATCH", f"/cases/{case.pk}", {"status": "recovered", "reason": "dinyatakan sembuh"}
    )
    assert (closed.json()["status"], closed.json()["closed_on"]) == ("recovered", "2026-08-19")
    reasons = list(HealthAccessLog.objects.order_by("pk").values_list("action", "reason"))
    assert reasons == [
        ("update", "pembaruan gejala"),
        ("update", "hasil antigen"),
        ("update", "dinyatakan sembuh"),
    ]
    error(
        send(client, "PATCH", f"/cases/{case.pk}", {"status": "died", "reason": WHY}),
        400,
        "invalid",
    )
    error(send(client, "PATCH", f"/cases/{case.pk}", {"note": "x"}), 422, "invalid")
    error(
        send(
            client_for(cast.pegawai.user),
            "PATCH",
            f"/cases/{case.pk}",
            {"note": "sudah sehat", "reason": "saya sudah sehat"},
        ),
        403,
        "forbidden",
    )
    error(
        send(
            client_for(cast.peer.user),
            "POST",
            f"/cases/{case.pk}/tests",
            {"kind": "pcr", "taken_on": "2026-08-18", "reason": WHY},
        ),
        404,
        "not_found",
    )


# --- the access log -------------------------------------------------------------------------


def test_the_access_log_shows_who_read_what_and_why(cast):
    case = make_case(cast.pegawai)
    client_for(cast.kesehatan.user).get(f"{P}/cases/{case.pk}", {"reason": WHY})
    client_for(bkpsdm_head(cast)).get(f"{P}/cases", {"reason": "audit kepala BKPSDM"})
    client = client_for(cast.kesehatan.user)
    body = client.get(f"{P}/access-log", {"start": "2026-08-19", "end": "2026-08-19"}).json()
    assert body["count"] == 2
    newest, older = body["items"]
    assert (newest["action"], newest["reason"], newest["user_name"]) == (
        "list",
        "audit kepala BKPSDM",
        "Petugas BKPSDM",
    )
    assert (older["subject"], older["employees"], older["at"]) == (
        f"case:{case.pk}",
        [cast.pegawai.pk],
        "2026-08-19T10:00:00+07:00",
    )
    only = client.get(f"{P}/access-log", {"user": cast.kesehatan.user.pk}).json()
    assert [i["action"] for i in only["items"]] == ["view"]
    before = client.get(f"{P}/access-log", {"start": "2026-08-01", "end": "2026-08-18"}).json()
    assert before["count"] == 0
    error(
        client.get(f"{P}/access-log", {"start": "2026-08-20", "end": "2026-08-19"}), 400, "invalid"
    )
    for user in (cast.pimpinan.user, cast.kepala.user, cast.pegawai.user, cast.outsider.user):
        error(client_for(user).get(f"{P}/access-log"), 403, "forbidden")
    error(client.get(f"{P}/access-log", {"agency": cast.other_agency.pk}), 404, "not_found")


# --- cost -----------------------------------------------------------------------------------


def _cases(cast, n):
    for i in range(n):
        person = EmployeeFactory(unit=cast.pelayanan, name=f"Orang {i}")
        case = make_case(person, "confirmed", confirmed_on=date(2026, 8, 18))
        case.tests.create(kind="pcr", taken_on=date(2026, 8, 17), result="positive")


def _list_queries(user) -> tuple[int, int]:
    client = client_for(user)
    client.get(f"{P}/cases", {"reason": WHY})  # the session is warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{P}/cases", {"reason": WHY})
    assert response.status_code == 200
    return len(queries), response.json()["count"]


def test_the_list_issues_the_same_queries_for_many_cases(cast):
    _cases(cast, 3)
    few, count = _list_queries(cast.kesehatan.user)
    assert count == 3
    _cases(cast, 27)
    many, count = _list_queries(cast.kesehatan.user)
    assert count == 30
    assert many == few


def test_a_page_beyond_any_register_is_refused_not_a_crash(cast):
    client = client_for(cast.kesehatan.user)
    response = client.get(f"{P}/cases", {"reason": "uji", "page": 10**20})
    assert response.status_code == 422
