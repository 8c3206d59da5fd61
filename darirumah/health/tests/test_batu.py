"""The seed situation (Batu, August 2020), recorded through the API by the health officer:
22 staff of the city hall (Balai Kota Among Tani) confirmed positive, infected outside the
office; 9 close contacts traced from the attendance and isolated; the main building closed for
four working days with every room disinfected while it is empty; the district, village and
community health centre offices stay open; the task force's verdict: not a cluster.

In 2020, 17 August (Independence Day), 20 August (Islamic New Year) and 21 August (joint leave)
were days off: closed from Tuesday 18 to Tuesday 25 August is four working days (18, 19, 24, 25).
"""

import json
from datetime import date, timedelta

import pytest

from darirumah.attendance.models import Attendance
from darirumah.conftest import client_for
from darirumah.core.calendar import calendar_for
from darirumah.health.models import HealthAccessLog
from darirumah.health.tests.factories import Clock
from darirumah.org.models import Unit
from darirumah.org.tests.factories import EmployeeFactory, OfficeFactory, RoomFactory, UnitFactory
from darirumah.roster.models import RosterEntry

pytestmark = pytest.mark.django_db
P = "/api/v1"
WHY = "Penanganan 22 ASN positif Covid-19 di Balai Kota"
CLOSED = (date(2020, 8, 18), date(2020, 8, 25))
CLOSED_DAYS = [date(2020, 8, d) for d in (18, 19, 24, 25)]
BEFORE = [date(2020, 8, d) for d in (3, 4, 5, 6, 7, 10, 11, 12, 13, 14)]


def send(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


@pytest.fixture
def batu(cast, monkeypatch):
    """The city hall with three OPDs in their rooms, and a district office, a village office and
    a community health centre in buildings of their own; everyone planned at work."""
    clock = Clock(monkeypatch, 2020, 8, 17, 3, 0)  # Monday 17 August 2020, 10:00 WIB
    hall = OfficeFactory(agency=cast.agency, name="Balai Kota Among Tani")
    people = {"hall": [], "field": []}
    for code, name, public in (
        ("SETDA-B", "Sekretariat Daerah", False),
        ("DUKCAPIL-B", "Dinas Kependudukan dan Pencatatan Sipil", True),
        ("BKPSDM-B", "BKPSDM", False),
    ):
        unit = UnitFactory(
            agency=cast.agency, code=code, name=name, office=hall, serves_public=public
        )
        room = RoomFactory(office=hall, name=f"Ruang {name}")
        people["hall"] += [EmployeeFactory(unit=unit, office=hall, room=room) for _ in range(15)]
    for code, name, kind in (
        ("KEC-BATU", "Kecamatan Batu", Unit.Kind.KECAMATAN),
        ("KEL-SISIR", "Kelurahan Sisir", Unit.Kind.KELURAHAN),
        ("PKM-BATU", "Puskesmas Batu", Unit.Kind.PUSKESMAS),
    ):
        office = OfficeFactory(agency=cast.agency, name=f"Kantor {name}")
        unit = UnitFactory(
            agency=cast.agency, code=code, name=name, kind=kind, office=office, serves_public=True
        )
        people["field"] += [EmployeeFactory(unit=unit, office=office) for _ in range(5)]
    everyone = people["hall"] + people["field"]
    # Two weeks at the office before the cases were found…
    Attendance.objects.bulk_create(
        Attendance(
            employee=e,
            date=day,
            expected_mode="WFO",
            status=Attendance.Status.PRESENT,
            source=Attendance.Source.SELF,
        )
        for e in everyone
        for day in BEFORE
    )
    # …and the published plan for the closed days: everyone at the office.
    RosterEntry.objects.bulk_create(
        RosterEntry(
            employee=e,
            date=day,
            mode="WFO",
            source=RosterEntry.Source.SOLVER,
            published=True,
        )
        for e in everyone
        for day in CLOSED_DAYS
    )
    return {"clock": clock, "office": hall, **people}


def modes(people) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for employee_id, mode in RosterEntry.objects.filter(
        employee__in=people, date__in=CLOSED_DAYS
    ).values_list("employee_id", "mode"):
        found.setdefault(employee_id, set()).add(mode)
    return found


def test_the_batu_situation_from_the_api(cast, batu):
    officer = client_for(cast.kesehatan.user)
    hall, staff = batu["office"], batu["hall"]
    calendar = calendar_for(cast.agency, years=[2020])
    assert calendar.working_days(*CLOSED) == CLOSED_DAYS

    # 22 confirmed cases, infected outside the office (families, travel).
    cases = []
    for person in staff[:22]:
        response = send(
            officer,
            f"{P}/health/cases",
            {
                "employee": person.pk,
                "status": "confirmed",
                "symptom_onset": "2020-08-13",
                "likely_place": "outside",
                "likely_place_reason": "Tertular dari keluarga di luar kantor",
                "test": {
                    "kind": "pcr",
                    "taken_on": "2020-08-14",
                    "result": "positive",
                    "result_on": "2020-08-15",
                },
                "reason": WHY,
            },
        )
        assert response.status_code == 201, response.content
        assert response.json()["confirmed_on"] == "2020-08-15"
        cases.append(response.json())

    # Tracing the first case: colleagues at the city hall only, the same room first.
    traced = officer.get(f"{P}/health/cases/{cases[0]['id']}/contacts", {"reason": WHY})
    assert traced.status_code == 200, traced.content
    contacts = traced.json()["contacts"]
    hall_ids = {e.pk for e in staff}
    assert {c["employee_id"] for c in contacts} <= hall_ids - {staff[0].pk}
    groups = [c["group"] for c in contacts]
    assert groups == sorted(groups, key=["room", "unit", "office"].index)
    # Onset 13 August: the window is 30 July–13 August, nine of the ten office days before.
    assert {c["count"] for c in contacts} == {9}

    # Nine colleagues who are not cases themselves are close contacts: they isolate.
    case_people = {e.pk for e in staff[:22]}
    nine = [c["employee_id"] for c in contacts if c["employee_id"] not in case_people][:9]
    assert len(nine) == 9
    marked = send(
        officer,
        f"{P}/health/cases/{cases[0]['id']}/contacts",
        {"employees": nine, "reason": WHY},
    )
    assert marked.status_code == 201, marked.content
    assert len(marked.json()["isolations"]) == 9

    # The confirmed staff isolate too.
    for case in cases:
        response = send(
            officer,
            f"{P}/health/isolations",
            {
                "employee": case["employee"]["id"],
                "starts_on": "2020-08-17",
                "reason_kind": "confirmed",
                "case": case["id"],
                "reason": WHY,
            },
        )
        assert response.status_code == 201, response.content
        assert response.json()["ends_on"] == "2020-08-30"  # 14 days

    # The main building closes for four working days; the public service of the city hall
    # (civil registry) goes online with everyone else: the officer does not exempt it.
    closed = send(
        officer,
        f"{P}/facilities/closures",
        {
            "office": hall.pk,
            "starts_on": CLOSED[0].isoformat(),
            "ends_on": CLOSED[1].isoformat(),
            "reason": "22 ASN terkonfirmasi positif: pengosongan dan sterilisasi gedung",
        },
    )
    assert closed.status_code == 201, closed.content
    closure = closed.json()
    assert closure["staff_count"] == len(staff)

    # Nobody from the city hall is at the office on the closed days; the isolated are in
    # isolation, the others at home; the district, village and health centre keep their plan.
    hall_modes = modes(staff)
    assert set(hall_modes) == hall_ids
    isolated = case_people | set(nine)
    for employee_id, seen in hall_modes.items():
        assert seen == ({"ISOLATION"} if employee_id in isolated else {"WFH"}), seen
    assert len(isolated) == 31
    field_modes = modes(batu["field"])
    assert all(seen == {"WFO"} for seen in field_modes.values())
    assert len(field_modes) == len(batu["field"])

    # Every room disinfected while the building is empty, at least 24 hours after it closed.
    batu["clock"].set(2020, 8, 20, 3, 0)  # Thursday 20 August (a holiday), 10:00 WIB
    rooms = [r["id"] for r in closure["rooms"]]
    assert len(rooms) == 3
    early = send(
        officer,
        f"{P}/facilities/closures/{closure['id']}/disinfections",
        {"room": rooms[0], "performed_at": "2020-08-18T20:00:00", "team": "BPBD", "agent": "x"},
    )
    assert early.status_code == 400 and early.json()["error"]["code"] == "too_early"
    for room in rooms:
        done = send(
            officer,
            f"{P}/facilities/closures/{closure['id']}/disinfections",
            {
                "room": room,
                "performed_at": "2020-08-20T08:00:00",
                "team": "Tim BPBD Kota Batu",
                "agent": "Natrium hipoklorit 0,5%",
            },
        )
        assert done.status_code == 201, done.content
    detail = officer.get(f"{P}/facilities/closures/{closure['id']}").json()
    assert len(detail["disinfections"]) == 3

    # The task force's verdict: the cases shared the office, but were infected outside.
    verdict = officer.get(
        f"{P}/health/clusters",
        {"office": hall.pk, "start": "2020-08-01", "end": "2020-08-17", "reason": WHY},
    )
    assert verdict.status_code == 200, verdict.content
    body = verdict.json()
    assert body["verdict"] == "not_cluster"
    assert len(body["cases"]) == 22 and body["links"]
    assert {c["likely_place"] for c in body["cases"]} == {"outside"}
    assert body["named"] is True

    # Leadership sees the verdict without names; the register stays closed to them.
    mayor = client_for(cast.pimpinan.user)
    anonymous = mayor.get(
        f"{P}/health/clusters",
        {"office": hall.pk, "start": "2020-08-01", "end": "2020-08-17"},
    ).json()
    assert anonymous["verdict"] == "not_cluster" and anonymous["named"] is False
    assert all(c["employee"] is None for c in anonymous["cases"])
    assert mayor.get(f"{P}/health/cases").json()["count"] == 0
    dashboard = mayor.get(f"{P}/health/dashboard").json()
    assert staff[0].name not in json.dumps(dashboard)

    # Every named read and change is in the access log, with the reason.
    logged = HealthAccessLog.objects.filter(agency=cast.agency, user=cast.kesehatan.user)
    assert logged.filter(action="create").count() >= 22 + 9 + 22 + 1
    assert logged.filter(action="trace").count() == 1
    assert set(logged.values_list("reason", flat=True)) >= {WHY}


def test_the_isolation_ends_and_the_plan_comes_back_after_the_building_reopens(cast, batu):
    """After the closure the hall's staff are back at the office on their plan; an isolation
    still running keeps its person at home."""
    officer = client_for(cast.kesehatan.user)
    hall, staff = batu["office"], batu["hall"]
    isolated = send(
        officer,
        f"{P}/health/isolations",
        {
            "employee": staff[0].pk,
            "starts_on": "2020-08-17",
            "days": 14,
            "reason_kind": "contact",
            "reason": WHY,
        },
    )
    assert isolated.status_code == 201, isolated.content
    closure = send(
        officer,
        f"{P}/facilities/closures",
        {"office": hall.pk, "starts_on": "2020-08-18", "ends_on": "2020-08-25", "reason": WHY},
    ).json()
    batu["clock"].set(2020, 8, 19, 3, 0)  # Wednesday 19 August, 10:00 WIB
    reopened = send(
        officer,
        f"{P}/facilities/closures/{closure['id']}/reopen",
        {"on": "2020-08-24", "reason": "Disinfeksi selesai lebih cepat"},
    )
    assert reopened.status_code == 200, reopened.content
    after = dict(
        RosterEntry.objects.filter(employee=staff[1], date__in=CLOSED_DAYS).values_list(
            "date", "mode"
        )
    )
    assert after == {
        CLOSED_DAYS[0]: "WFH",
        CLOSED_DAYS[1]: "WFH",
        CLOSED_DAYS[2]: "WFO",
        CLOSED_DAYS[3]: "WFO",
    }
    still = set(
        RosterEntry.objects.filter(employee=staff[0], date__in=CLOSED_DAYS).values_list(
            "mode", flat=True
        )
    )
    assert still == {"ISOLATION"}
    assert date(2020, 8, 17) + timedelta(days=13) == date(2020, 8, 30)
