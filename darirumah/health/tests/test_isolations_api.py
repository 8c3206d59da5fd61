"""The isolation endpoints: who sees whose isolations, the reason and the access log, filters,
recording, ending or cancelling, bad input, and lists whose query count does not grow."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from darirumah.conftest import client_for
from darirumah.health.models import HealthAccessLog, Isolation
from darirumah.org.tests.factories import EmployeeFactory
from darirumah.roster.models import RosterEntry

from .test_tracing_trace import REASON, d

P = "/api/v1"


@pytest.fixture(autouse=True)
def _clock(clock):
    return clock  # Wednesday 19 August 2026, 10:00 WIB


START, END = date(2026, 8, 18), date(2026, 8, 31)


def isolate(employee, start=START, end=END, **kw):
    return Isolation.objects.create(
        agency=employee.agency,
        employee=employee,
        starts_on=start,
        ends_on=end,
        reason=kw.pop("reason", "contact"),
        **kw,
    )


def listed(user, **query):
    response = client_for(user).get(f"{P}/health/isolations", query)
    assert response.status_code == 200, response.content
    return response.json()


def post(user, path, body):
    return client_for(user).post(f"{P}{path}", body, content_type="application/json")


def test_officers_list_the_agency_everyone_else_their_own(cast):
    mine = isolate(cast.pegawai)
    peers = isolate(cast.peer, reason="symptoms")
    isolate(cast.outsider)
    body = listed(cast.kesehatan.user, reason=REASON)
    assert body["count"] == 2
    assert {i["id"] for i in body["items"]} == {mine.pk, peers.pk}
    item = next(i for i in body["items"] if i["id"] == mine.pk)
    assert item["employee"]["name"] == "Pegawai Pelayanan"
    assert (item["reason_kind"], item["status"], item["ends_on"]) == (
        "contact",
        "active",
        "2026-08-31",
    )
    line = HealthAccessLog.objects.get()
    assert (line.action, line.subject, line.reason) == ("list", "isolations", REASON)
    assert set(line.employees) == {cast.pegawai.pk, cast.peer.pk}
    # Their own, without a reason and without a log line.
    assert [i["id"] for i in listed(cast.pegawai.user)["items"]] == [mine.pk]
    for user in (cast.pimpinan.user, cast.bkpsdm.user, cast.kepala.user, cast.operator):
        assert listed(user)["items"] == []
    assert HealthAccessLog.objects.count() == 1


def test_names_need_a_reason(cast):
    isolate(cast.pegawai)
    response = client_for(cast.kesehatan.user).get(f"{P}/health/isolations")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "reason_required"
    assert not HealthAccessLog.objects.exists()


def test_filters(cast):
    now = isolate(cast.pegawai, reason="confirmed")
    later = isolate(cast.peer, start=d(24), end=d(28))
    over = isolate(cast.kepala, start=d(5), end=d(14))
    cancelled = isolate(cast.atasan, cancelled=True)

    def ids(**query):
        return {i["id"] for i in listed(cast.kesehatan.user, reason=REASON, **query)["items"]}

    assert ids(active_on="2026-08-19") == {now.pk}
    assert ids(active_on="2026-08-25") == {now.pk, later.pk}
    assert ids(status="active") == {now.pk, later.pk}
    assert ids(status="over") == {over.pk}
    assert ids(status="cancelled") == {cancelled.pk}
    assert ids(kind="confirmed") == {now.pk}
    assert ids(unit=cast.disdukcapil.pk) == {now.pk, over.pk, cancelled.pk}
    bad = client_for(cast.kesehatan.user).get(
        f"{P}/health/isolations", {"reason": REASON, "status": "soon"}
    )
    assert bad.status_code == 400 and "status" in bad.json()["error"]["fields"]


def test_one_isolation_the_person_themself_or_an_officer_with_a_reason(cast):
    iso = isolate(cast.pegawai)
    own = client_for(cast.pegawai.user).get(f"{P}/health/isolations/{iso.pk}")
    assert own.status_code == 200 and own.json()["id"] == iso.pk
    assert not HealthAccessLog.objects.exists()
    url = f"{P}/health/isolations/{iso.pk}"
    assert client_for(cast.kesehatan.user).get(url).status_code == 400
    read = client_for(cast.kesehatan.user).get(url, {"reason": REASON})
    assert read.status_code == 200
    line = HealthAccessLog.objects.get()
    assert (line.action, line.subject, line.employees) == (
        "view",
        f"isolation:{iso.pk}",
        [cast.pegawai.pk],
    )
    for user in (cast.peer.user, cast.atasan.user, cast.pimpinan.user, cast.outsider.user):
        assert client_for(user).get(url, {"reason": REASON}).status_code == 404


def test_recording_an_isolation(cast):
    response = post(
        cast.kesehatan.user,
        "/health/isolations",
        {
            "employee": cast.peer.pk,
            "starts_on": "2026-08-20",
            "days": 5,
            "reason_kind": "travel",
            "note": "Kembali dari luar kota",
            "reason": REASON,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["starts_on"], body["ends_on"], body["reason_kind"]) == (
        "2026-08-20",
        "2026-08-24",
        "travel",
    )
    assert RosterEntry.objects.filter(employee=cast.peer, mode="ISOLATION").count() == 3
    overlap = post(
        cast.kesehatan.user,
        "/health/isolations",
        {
            "employee": cast.peer.pk,
            "starts_on": "2026-08-24",
            "reason_kind": "travel",
            "reason": REASON,
        },
    )
    assert overlap.status_code == 409
    assert overlap.json()["error"]["code"] == "conflict"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"starts_on": "2026-08-26", "ends_on": "2026-08-25"}, 400, "ends_on"),
        ({"starts_on": "2026-08-01"}, 400, "starts_on"),
        ({"starts_on": "kemarin"}, 422, "starts_on"),
        ({"reason_kind": "holiday"}, 422, "reason_kind"),
        ({"days": 0}, 422, "days"),
        ({"reason": ""}, 400, "reason"),
    ],
)
def test_bad_input_is_a_4xx_json_error(cast, body, status, field):
    payload = {
        "employee": cast.peer.pk,
        "starts_on": "2026-08-20",
        "reason_kind": "symptoms",
        "reason": REASON,
        **body,
    }
    response = post(cast.kesehatan.user, "/health/isolations", payload)
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["message"]
    if field:
        assert field in error["fields"]
    assert not Isolation.objects.exists()


def test_someone_of_another_agency_cannot_be_isolated(cast):
    response = post(
        cast.kesehatan.user,
        "/health/isolations",
        {
            "employee": cast.outsider.pk,
            "starts_on": "2026-08-20",
            "reason_kind": "symptoms",
            "reason": REASON,
        },
    )
    assert response.status_code == 404


def test_ending_and_cancelling(cast):
    iso = isolate(cast.pegawai, start=d(20), end=d(31))
    path = f"/health/isolations/{iso.pk}/end"
    neither = post(cast.kesehatan.user, path, {"reason": REASON})
    assert neither.status_code == 400 and "last_day" in neither.json()["error"]["fields"]
    both = post(
        cast.kesehatan.user, path, {"reason": REASON, "cancel": True, "last_day": "2026-08-21"}
    )
    assert both.status_code == 400
    assert post(cast.pegawai.user, path, {"reason": REASON, "cancel": True}).status_code == 403
    ended = post(cast.kesehatan.user, path, {"reason": REASON, "last_day": "2026-08-21"})
    assert ended.status_code == 200, ended.content
    assert (ended.json()["ends_on"], ended.json()["ended_early_on"]) == ("2026-08-21", "2026-08-19")
    cancelled = post(cast.kesehatan.user, path, {"reason": REASON, "cancel": True})
    assert cancelled.json()["status"] == "cancelled"
    again = post(cast.kesehatan.user, path, {"reason": REASON, "cancel": True})
    assert again.status_code == 409


def test_the_list_reads_the_same_number_of_queries_for_3_or_30_isolations(cast):
    def add(n):
        for _ in range(n):
            isolate(EmployeeFactory(unit=cast.setda))

    client = client_for(cast.kesehatan.user)
    client.get(f"{P}/health/isolations", {"reason": REASON})  # sessions, first-time reads

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{P}/health/isolations", {"reason": REASON})
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    add(3)
    few, n = count()
    assert n == 3
    add(27)
    many, n = count()
    assert n == 30
    assert many == few, (few, many)
