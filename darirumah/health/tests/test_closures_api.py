"""The closure endpoints: everyone of the agency reads closures (counts, rooms, their last
disinfection), the health officer closes, reopens and records disinfections under the 24-hour
rule, errors are JSON, and the list costs the same queries for 3 or 30 closures."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from darirumah.conftest import client_for
from darirumah.health.models import Closure, Disinfection, HealthAccessLog, HealthSettings
from darirumah.org.tests.factories import EmployeeFactory, OfficeFactory, RoomFactory, UnitFactory
from darirumah.roster.models import RosterEntry

pytestmark = pytest.mark.django_db
P = "/api/v1/facilities/closures"
WHY = "2 pegawai terkonfirmasi positif"


@pytest.fixture(autouse=True)
def _clock(clock, monkeypatch):
    return clock  # Wednesday 19 August 2026, 10:00 WIB


def send(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()["error"]
    assert body["code"] == code
    return body


def staff(cast, n=3, room=None):
    unit = UnitFactory(agency=cast.agency, office=cast.office, kind="bagian")
    return [EmployeeFactory(unit=unit, room=room) for _ in range(n)]


def closure(cast, office=None, starts=date(2026, 8, 19), ends=date(2026, 8, 21), **kw):
    """A closure in force since 10:00 WIB on Wednesday 19 August (the clock's now)."""
    return Closure.objects.create(
        agency=cast.agency,
        office=office or cast.office,
        starts_on=starts,
        ends_on=ends,
        reason=kw.pop("reason", "disinfeksi gedung"),
        closed_at=kw.pop("closed_at", datetime(2026, 8, 19, 3, 0, tzinfo=UTC)),
        **kw,
    )


# --- reading --------------------------------------------------------------------------------


def test_everyone_of_the_agency_reads_the_closures_with_rooms_and_staff_sent_home(cast):
    archive = RoomFactory(office=cast.office, name="Ruang Arsip")
    staff(cast, 2, room=archive)
    staff(cast, 3)
    whole = closure(cast)
    rooms = closure(cast, starts=date(2026, 8, 24), ends=date(2026, 8, 26))
    rooms.rooms.set([archive])
    Disinfection.objects.create(
        closure=rooms,
        room=archive,
        performed_at=datetime(2026, 8, 25, 2, 0, tzinfo=UTC),
        team="Tim BPBD",
        agent="Klorin",
    )
    other = closure(cast, office=OfficeFactory(agency=cast.other_agency))
    other.agency = cast.other_agency
    other.save()

    body = client_for(cast.pegawai.user).get(P).json()
    assert body["count"] == 2
    by_id = {item["id"]: item for item in body["items"]}
    assert set(by_id) == {whole.pk, rooms.pk}
    first = by_id[whole.pk]
    assert first["whole_building"] is True and first["status"] == "active"
    assert first["office"] == {"id": cast.office.pk, "name": "Pusat Pemerintahan"}
    assert {r["name"] for r in first["rooms"]} == {"Ruang Rapat", "Ruang Arsip"}
    # kepala and admin OPD of Disdukcapil work here too.
    assert first["staff_count"] == 7
    assert first["closed_at"] == "2026-08-19T10:00:00+07:00"
    second = by_id[rooms.pk]
    assert second["whole_building"] is False and second["status"] == "planned"
    assert second["staff_count"] == 2
    assert second["rooms"] == [
        {
            "id": archive.pk,
            "name": "Ruang Arsip",
            "floor": "",
            "last_disinfected_at": "2026-08-25T09:00:00+07:00",
        }
    ]
    assert not HealthAccessLog.objects.exists()  # no personal data: nothing to log

    active = client_for(cast.pegawai.user).get(P, {"active_on": "2026-08-25"}).json()
    assert [i["id"] for i in active["items"]] == [rooms.pk]
    elsewhere = OfficeFactory(agency=cast.agency, name="Gedung B")
    closure(cast, office=elsewhere)
    by_office = client_for(cast.pegawai.user).get(P, {"office": elsewhere.pk}).json()
    assert by_office["count"] == 1


def test_the_detail_has_the_disinfection_log(cast):
    room = cast.office.rooms.get()
    shut = closure(cast, starts=date(2026, 8, 10), ends=date(2026, 8, 21))
    for hour in (2, 5):
        Disinfection.objects.create(
            closure=shut,
            room=room,
            performed_at=datetime(2026, 8, 12, hour, 0, tzinfo=UTC),
            team="Tim Dinkes",
            agent="Alkohol 70%",
            recorded_by=cast.kesehatan.user,
        )
    body = client_for(cast.pimpinan.user).get(f"{P}/{shut.pk}").json()
    assert [d["performed_at"] for d in body["disinfections"]] == [
        "2026-08-12T09:00:00+07:00",
        "2026-08-12T12:00:00+07:00",
    ]
    assert body["disinfections"][0]["recorded_by_name"] == "Petugas Kesehatan"
    assert body["rooms"][0]["last_disinfected_at"] == "2026-08-12T12:00:00+07:00"


def test_outsiders_and_the_operator_without_an_agency(cast):
    shut = closure(cast)
    error(client_for(cast.outsider.user).get(f"{P}/{shut.pk}"), 404, "not_found")
    error(
        client_for(cast.outsider_bkpsdm.user).get(P, {"agency": cast.agency.pk}), 404, "not_found"
    )
    error(client_for(cast.operator).get(P), 400, "invalid")
    listed = client_for(cast.operator).get(P, {"agency": cast.agency.pk}).json()
    assert listed["count"] == 1


# --- closing and reopening ------------------------------------------------------------------


def test_the_officer_closes_the_building_and_its_staff_work_from_home(cast):
    people = staff(cast, 3)
    response = send(
        client_for(cast.kesehatan.user),
        P,
        {
            "office": cast.office.pk,
            "starts_on": "2026-08-24",
            "ends_on": "2026-08-28",
            "reason": WHY,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["roster"] == {"people": 5, "days": 20}  # 4 working days (25 Aug is a holiday)
    assert body["staff_count"] == 5 and body["status"] == "planned"
    modes = set(
        RosterEntry.objects.filter(employee__in=people).values_list("date", "mode").distinct()
    )
    assert {m for _d, m in modes} == {"WFH"} and date(2026, 8, 25) not in {d for d, _m in modes}
    line = HealthAccessLog.objects.get()
    assert (line.action, line.subject, line.reason) == ("create", f"closure:{body['id']}", WHY)

    again = send(
        client_for(cast.kesehatan.user),
        P,
        {
            "office": cast.office.pk,
            "starts_on": "2026-08-27",
            "ends_on": "2026-08-31",
            "reason": WHY,
        },
    )
    refused = error(again, 409, "conflict")
    assert "Aug. 24, 2026" in refused["message"]

    reopened = send(
        client_for(cast.kesehatan.user),
        f"{P}/{body['id']}/reopen",
        {"on": "2026-08-27", "reason": "disinfeksi selesai lebih cepat"},
    )
    assert reopened.status_code == 200, reopened.content
    out = reopened.json()
    assert out["ends_on"] == "2026-08-26" and out["reopened_by_name"] == "Petugas Kesehatan"
    assert out["reopened_at"] == "2026-08-19T10:00:00+07:00"
    assert not RosterEntry.objects.filter(employee__in=people, date__gte="2026-08-27").exists()
    assert HealthAccessLog.objects.filter(action="update", reason__startswith="disinfeksi").exists()


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"starts_on": "2026-08-24", "ends_on": "2026-08-21"}, 400, "ends_on"),
        ({"starts_on": "2026-08-24", "ends_on": "2026-10-23"}, 400, "ends_on"),  # 61 days
        ({"starts_on": "2026-08-03", "ends_on": "2026-08-07"}, 400, "ends_on"),  # over already
        ({"reason": "ok"}, 400, "reason"),
        ({"starts_on": "24-08-2026"}, 422, "starts_on"),
        ({"rooms": [999999]}, 400, "rooms"),
    ],
)
def test_bad_closures_get_a_json_error_on_the_field(cast, body, status, field):
    values = {
        "office": cast.office.pk,
        "starts_on": "2026-08-24",
        "ends_on": "2026-08-28",
        "reason": WHY,
        **body,
    }
    response = send(client_for(cast.kesehatan.user), P, values)
    assert response.status_code == status, response.content
    assert field in response.json()["error"]["fields"]
    assert not Closure.objects.exists()


def test_a_room_of_another_building_is_refused(cast):
    other = RoomFactory(office=OfficeFactory(agency=cast.agency), name="Aula")
    response = send(
        client_for(cast.kesehatan.user),
        P,
        {
            "office": cast.office.pk,
            "rooms": [other.pk],
            "starts_on": "2026-08-24",
            "ends_on": "2026-08-28",
            "reason": WHY,
        },
    )
    assert "rooms" in error(response, 400, "invalid")["fields"]


def test_only_the_health_officer_writes(cast):
    body = {"office": cast.office.pk, "starts_on": "2026-08-24", "ends_on": "2026-08-28"}
    for user in (cast.pegawai.user, cast.bkpsdm.user, cast.pimpinan.user, cast.operator):
        error(send(client_for(user), P, {**body, "reason": WHY, "rooms": [999]}), 403, "forbidden")
    shut = closure(cast)
    error(
        send(
            client_for(cast.pimpinan.user),
            f"{P}/{shut.pk}/reopen",
            {"on": "2026-08-20", "reason": WHY},
        ),
        403,
        "forbidden",
    )
    assert Closure.objects.count() == 1


# --- the disinfection log -------------------------------------------------------------------


def disinfect(cast, shut, at, **kw):
    user = kw.pop("user", cast.kesehatan.user)
    body = {
        "room": kw.pop("room", cast.office.rooms.get(name="Ruang Rapat").pk),
        "performed_at": at,
        "team": "Tim BPBD Kota",
        "agent": "Natrium hipoklorit 0,5%",
        **kw,
    }
    return send(client_for(user), f"{P}/{shut.pk}/disinfections", body)


def test_a_room_is_disinfected_24_hours_after_it_was_closed_at_the_earliest(cast, clock):
    shut = closure(cast)  # in force since Wednesday 10:00 WIB
    clock.set(2026, 8, 20, 5, 0)  # Thursday 12:00 WIB

    early = error(disinfect(cast, shut, "2026-08-20T09:59"), 400, "too_early")
    assert "20 August 2026 10:00 WIB" in early["message"]
    assert "performed_at" in early["fields"]
    assert not Disinfection.objects.exists()

    done = disinfect(cast, shut, "2026-08-20T10:00", note="lantai 1 dan 2")  # exactly 24 hours
    assert done.status_code == 201, done.content
    body = done.json()
    assert body["rooms"][0]["last_disinfected_at"] == "2026-08-20T10:00:00+07:00"
    row = Disinfection.objects.get()
    assert row.performed_at == datetime(2026, 8, 20, 3, 0, tzinfo=UTC)
    assert row.recorded_by == cast.kesehatan.user
    line = HealthAccessLog.objects.get()
    assert (line.action, line.subject, line.reason) == (
        "create",
        f"closure:{shut.pk}",
        "lantai 1 dan 2",
    )

    # With an offset: 03:00 UTC is 10:00 WIB.
    assert disinfect(cast, shut, "2026-08-20T03:00:00Z").status_code == 201
    error(disinfect(cast, shut, "2026-08-20T12:01"), 400, "in_future")


def test_the_wait_is_the_agencys_setting(cast, clock):
    HealthSettings.objects.create(
        agency=cast.agency, settings={"closed_hours_before_disinfection": 48}
    )
    shut = closure(cast)
    clock.set(2026, 8, 22, 5, 0)
    early = error(disinfect(cast, shut, "2026-08-20T10:00"), 400, "too_early")
    assert "48 hours" in early["message"] and "21 August 2026 10:00 WIB" in early["message"]


def test_no_disinfection_after_the_building_opened_again(cast, clock):
    shut = closure(cast)  # last closed day Friday 21 August
    clock.set(2026, 8, 24, 3, 0)
    refused = error(disinfect(cast, shut, "2026-08-22T08:00"), 400, "after_reopening")
    assert "Aug. 22, 2026" in refused["message"]
    assert disinfect(cast, shut, "2026-08-21T16:00").status_code == 201


def test_the_room_must_be_closed_by_the_closure(cast, clock):
    hall = cast.office.rooms.get(name="Ruang Rapat")
    archive = RoomFactory(office=cast.office, name="Ruang Arsip")
    shut = closure(cast)
    shut.rooms.set([archive])
    clock.set(2026, 8, 20, 5, 0)
    assert (
        "room"
        in error(disinfect(cast, shut, "2026-08-20T11:00", room=hall.pk), 400, "invalid")["fields"]
    )
    elsewhere = RoomFactory(office=OfficeFactory(agency=cast.agency))
    error(disinfect(cast, shut, "2026-08-20T11:00", room=elsewhere.pk), 400, "invalid")
    error(disinfect(cast, shut, "2026-08-20T11:00", room=archive.pk, team=""), 400, "invalid")
    assert disinfect(cast, shut, "2026-08-20T11:00", room=archive.pk).status_code == 201
    # A whole-building closure: any room of the building.
    whole = closure(cast, office=cast.office, starts=date(2026, 8, 10), ends=date(2026, 8, 14))
    whole.closed_at = datetime(2026, 8, 10, 0, 0, tzinfo=UTC)
    whole.save()
    assert disinfect(cast, whole, "2026-08-12T11:00", room=hall.pk).status_code == 201


def test_only_the_health_officer_records_disinfections(cast, clock):
    shut = closure(cast)
    clock.set(2026, 8, 20, 5, 0)
    for user in (cast.pegawai.user, cast.bkpsdm.user, cast.operator):
        error(disinfect(cast, shut, "2026-08-20T11:00", user=user, room=999999), 403, "forbidden")
    error(disinfect(cast, shut, "2026-08-20T11:00", user=cast.outsider.user), 404, "not_found")
    assert not Disinfection.objects.exists()


# --- the cost of the list -------------------------------------------------------------------


def _closures(cast, n, start):
    for i in range(n):
        office = OfficeFactory(agency=cast.agency)
        room = RoomFactory(office=office)
        staff_unit = UnitFactory(agency=cast.agency, office=office)
        EmployeeFactory(unit=staff_unit, room=room)
        shut = closure(cast, office=office, starts=start, ends=start + timedelta(days=2))
        if i % 2:
            shut.rooms.set([room])
        Disinfection.objects.create(
            closure=shut, room=room, performed_at=shut.closed_at, team="Tim", agent="Klorin"
        )


def _list_queries(user, cast) -> tuple[int, int]:
    client = client_for(user)
    client.get(P)  # the session is warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get(P, {"page_size": 100})
    assert response.status_code == 200
    return len(queries), response.json()["count"]


def test_the_list_issues_the_same_queries_for_many_closures(cast):
    _closures(cast, 3, date(2026, 8, 24))
    few, count = _list_queries(cast.pegawai.user, cast)
    assert count == 3
    _closures(cast, 27, date(2026, 9, 1))
    many, count = _list_queries(cast.pegawai.user, cast)
    assert count == 30
    assert many == few, (few, many)
