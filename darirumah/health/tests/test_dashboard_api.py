"""The health dashboard endpoint: today's counts, the per-OPD counts over unit subtrees, the
timeline per day, names only for a names-reader with a reason (logged), never a name for the
others, bad periods, and a constant number of queries."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from darirumah.conftest import client_for
from darirumah.health.models import Closure, HealthAccessLog, HealthCase, Isolation
from darirumah.org.models import Unit
from darirumah.org.tests.factories import EmployeeFactory, OfficeFactory, RoomFactory, UnitFactory

pytestmark = pytest.mark.django_db
P = "/api/v1/health/dashboard"
WHY = "rekap mingguan satgas covid"
NAMES = (
    "Siti Aminah",
    "Budi Santoso",
    "Citra Lestari",
    "Dewi Anggraini",
    "Eko Prasetyo",
    "Fajar Nugroho",
    "Gita Permata",
    "Hadi Wijaya",
)


@pytest.fixture(autouse=True)
def _clock(clock, monkeypatch):
    return clock  # Wednesday 19 August 2026, 10:00 WIB


def d(day: int, month: int = 8) -> date:
    return date(2026, month, day)


def case(employee, status, confirmed_on=None, recorded=None, closed_on=None):
    """A case recorded on `recorded` (10:00 WIB; by default its confirmation day)."""
    row = HealthCase.objects.create(
        agency=employee.agency,
        employee=employee,
        status=status,
        confirmed_on=confirmed_on,
        closed_on=closed_on,
    )
    day = recorded or confirmed_on
    moment = datetime(day.year, day.month, day.day, 3, 0, tzinfo=UTC)
    HealthCase.objects.filter(pk=row.pk).update(created_at=moment, updated_at=moment)
    return row


def isolate(employee, reason, starts_on, ends_on, **kw):
    return Isolation.objects.create(
        agency=employee.agency,
        employee=employee,
        reason=reason,
        starts_on=starts_on,
        ends_on=ends_on,
        **kw,
    )


def close(office, starts_on, ends_on, rooms=()):
    closure = Closure.objects.create(
        agency=office.agency,
        office=office,
        starts_on=starts_on,
        ends_on=ends_on,
        reason="kasus terkonfirmasi",
        closed_at=datetime(2026, 8, 1, tzinfo=UTC),
    )
    closure.rooms.set(rooms)
    return closure


@pytest.fixture
def outbreak(cast):
    """Disdukcapil (with Bidang Pelayanan and a section below it), the Secretariat and BKPSDM:
    3 confirmed (A, B, C), 1 recovered (D), 1 suspect (E); isolations of A (two, overlapping),
    F (in force) and G (ended), H's cancelled; the main building closed 17–21 August and two
    rooms of another building 18–19 August."""
    seksi = UnitFactory(agency=cast.agency, parent=cast.pelayanan, kind="seksi", name="Seksi Uji")
    a = EmployeeFactory(unit=cast.pelayanan, name=NAMES[0])
    b = EmployeeFactory(unit=seksi, name=NAMES[1])
    c = EmployeeFactory(unit=cast.setda, name=NAMES[2])
    dd = EmployeeFactory(unit=cast.setda, name=NAMES[3])
    e = EmployeeFactory(unit=cast.bkpsdm_unit, name=NAMES[4])
    f = EmployeeFactory(unit=cast.pelayanan, name=NAMES[5])
    g = EmployeeFactory(unit=cast.setda, name=NAMES[6])
    h = EmployeeFactory(unit=cast.setda, name=NAMES[7])
    case(a, "confirmed", d(10))
    case(b, "confirmed", d(14))
    case(c, "confirmed", d(18))
    case(dd, "recovered", d(5), closed_on=d(15))
    case(e, "suspect", recorded=d(19))
    case(cast.outsider, "confirmed", d(12))  # another agency: never counted
    isolate(a, "confirmed", d(10), d(23))
    isolate(a, "symptoms", d(8), d(11))
    isolate(f, "contact", d(12), d(25))
    isolate(g, "contact", d(1), d(14))
    isolate(h, "travel", d(15), d(28), cancelled=True)
    close(cast.office, d(17), d(21))
    annex = OfficeFactory(agency=cast.agency, name="Gedung Annex")
    close(annex, d(18), d(19), rooms=[RoomFactory(office=annex), RoomFactory(office=annex)])
    return {"a": a, "b": b, "c": c, "d": dd, "e": e, "f": f, "g": g, "h": h}


def ask(user, cast, **params):
    return client_for(user).get(P, {"agency": cast.agency.pk, **params})


def test_todays_counts(cast, outbreak):
    body = ask(cast.pimpinan.user, cast).json()
    assert body["today"] == "2026-08-19"
    assert (body["start"], body["end"]) == ("2026-06-21", "2026-08-19")  # the last 60 days
    assert body["cases"] == {"suspect": 1, "probable": 0, "confirmed": 3, "open": 4}
    assert body["period"] == {"new_confirmed": 4, "recovered": 1, "died": 0}
    assert body["isolated"] == 2
    assert body["isolations"] == {
        "confirmed": 1,
        "contact": 1,
        "symptoms": 0,
        "travel": 0,
        "other": 0,
    }
    assert (body["offices_closed"], body["rooms_closed"]) == (1, 2)
    places = {(p["office"], p["whole"], len(p["rooms"])) for p in body["closures"]}
    assert places == {("Pusat Pemerintahan", True, 0), ("Gedung Annex", False, 2)}


def test_per_opd_counts_over_the_whole_subtree(cast, outbreak):
    body = ask(cast.pegawai.user, cast).json()
    rows = {row["name"]: row for row in body["opds"]}
    assert set(rows) == {"Sekretariat Daerah", "Dinas Kependudukan dan Pencatatan Sipil", "BKPSDM"}
    dukcapil = rows["Dinas Kependudukan dan Pencatatan Sipil"]
    # kepala, admin, atasan, pegawai, A, F (Bidang Pelayanan) and B (the section below it)
    assert (dukcapil["staff"], dukcapil["confirmed"], dukcapil["isolated"]) == (7, 2, 2)
    setda = rows["Sekretariat Daerah"]
    assert (setda["staff"], setda["confirmed"], setda["isolated"]) == (7, 1, 0)
    assert (rows["BKPSDM"]["staff"], rows["BKPSDM"]["confirmed"]) == (2, 0)
    assert "Bidang Pelayanan" not in str(body) and "Seksi Uji" not in str(body)


def test_the_timeline_per_day(cast, outbreak):
    body = ask(cast.pimpinan.user, cast, start="2026-08-01", end="2026-08-19").json()
    days = {row["day"]: row for row in body["timeline"]}
    assert len(days) == 19

    def at(day):
        row = days[f"2026-08-{day:02d}"]
        keys = ("new_confirmed", "active_cases", "isolations", "closed_offices", "closed_rooms")
        return tuple(row[k] for k in keys)

    assert at(1) == (0, 0, 1, 0, 0)  # G isolated
    assert at(5) == (1, 1, 1, 0, 0)  # D confirmed
    assert at(8) == (0, 1, 2, 0, 0)  # A isolated with symptoms
    assert at(10) == (1, 2, 2, 0, 0)  # A confirmed; A's two isolations count once
    assert at(14) == (1, 3, 3, 0, 0)  # B confirmed; G's last day, F since the 12th
    assert at(15) == (0, 2, 2, 0, 0)  # D recovered; H's isolation was cancelled
    assert at(17) == (0, 2, 2, 1, 0)  # the main building closed
    assert at(18) == (1, 3, 2, 1, 2)  # C confirmed; two rooms of the annex closed
    assert at(19) == (0, 4, 2, 1, 2)  # E recorded as a suspect today
    assert body["period"] == {"new_confirmed": 4, "recovered": 1, "died": 0}


def test_a_period_in_the_past_keeps_todays_cards(cast, outbreak):
    body = ask(cast.pimpinan.user, cast, start="2026-08-01", end="2026-08-07").json()
    assert [row["new_confirmed"] for row in body["timeline"]] == [0, 0, 0, 0, 1, 0, 0]
    assert body["period"] == {"new_confirmed": 1, "recovered": 0, "died": 0}
    assert body["cases"]["open"] == 4 and body["offices_closed"] == 1


@pytest.mark.parametrize("role", ["pegawai", "atasan", "kepala", "admin_opd", "bkpsdm", "pimpinan"])
def test_no_name_for_those_who_do_not_read_names(cast, outbreak, role):
    user = getattr(cast, role).user
    response = ask(user, cast, reason=WHY)
    assert response.status_code == 200
    body = response.content.decode()
    for name in NAMES:
        assert name not in body
    for person in outbreak.values():
        assert person.nip not in body
    data = response.json()
    assert data["named"] is False
    assert data["named_cases"] is None and data["named_isolations"] is None
    assert not HealthAccessLog.objects.exists()


def test_the_operator_gets_counts_only(cast, outbreak):
    response = ask(cast.operator, cast, reason=WHY)
    assert response.status_code == 200
    assert response.json()["cases"]["open"] == 4
    assert not any(name in response.content.decode() for name in NAMES)
    refused = client_for(cast.operator).get(P)
    assert refused.status_code == 400 and "agency" in refused.json()["error"]["fields"]


def test_the_health_officer_gets_names_with_a_reason_and_the_read_is_logged(cast, outbreak):
    plain = ask(cast.kesehatan.user, cast)
    assert plain.json()["named"] is False and NAMES[0] not in plain.content.decode()
    assert not HealthAccessLog.objects.exists()
    body = ask(cast.kesehatan.user, cast, reason=WHY).json()
    assert body["named"] is True
    cases = {row["name"]: row for row in body["named_cases"]}
    assert set(cases) == {"Siti Aminah", "Budi Santoso", "Citra Lestari", "Eko Prasetyo"}
    assert cases["Budi Santoso"]["unit"] == "Seksi Uji"
    assert cases["Budi Santoso"]["opd"] == "Dinas Kependudukan dan Pencatatan Sipil"
    assert cases["Eko Prasetyo"]["status"] == "suspect"
    isolated = {row["name"]: row["reason"] for row in body["named_isolations"]}
    assert isolated == {"Siti Aminah": "confirmed", "Fajar Nugroho": "contact"}
    line = HealthAccessLog.objects.get()
    assert (line.user, line.action, line.subject, line.reason) == (
        cast.kesehatan.user,
        "list",
        "dashboard",
        WHY,
    )
    people = ("a", "b", "c", "e", "f")
    assert line.employees == sorted(outbreak[k].pk for k in people)


def test_the_reason_in_the_header_and_the_head_of_bkpsdm(cast, outbreak):
    Unit.objects.filter(pk=cast.bkpsdm_unit.pk).update(head=cast.bkpsdm)
    response = client_for(cast.bkpsdm.user).get(
        P, {"agency": cast.agency.pk}, HTTP_X_ACCESS_REASON=WHY
    )
    assert response.json()["named"] is True
    assert HealthAccessLog.objects.get().user == cast.bkpsdm.user


def test_a_reason_too_short_is_refused(cast, outbreak):
    response = ask(cast.kesehatan.user, cast, reason="cek")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "reason_required" and "reason" in error["fields"]
    assert not HealthAccessLog.objects.exists()


def test_the_other_agency_gets_nothing(cast, outbreak):
    assert ask(cast.outsider_bkpsdm.user, cast).status_code == 404
    own = client_for(cast.outsider_bkpsdm.user).get(P).json()
    assert own["cases"] == {"suspect": 0, "probable": 0, "confirmed": 1, "open": 1}
    assert own["isolated"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-08-19", "end": "2026-08-01"}, "start"),
        ({"start": "2025-01-01", "end": "2026-08-19"}, "end"),
        ({"start": "0001-01-01"}, "start"),
        ({"end": "9999-12-31"}, "end"),
    ],
)
def test_bad_periods_are_refused_with_the_field(cast, params, field):
    response = ask(cast.pimpinan.user, cast, **params)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_a_date_that_is_not_a_date(cast):
    response = ask(cast.pimpinan.user, cast, start="2026-13-01")
    assert response.status_code == 422
    assert "start" in response.json()["error"]["fields"]


def test_a_whole_year_is_accepted(cast):
    body = ask(cast.pimpinan.user, cast, start="2025-08-19", end="2026-08-19").json()
    assert len(body["timeline"]) == 366


def crowd(cast, n):
    """n people, each in an OPD of their own, confirmed and isolated, and n closures."""
    for i in range(n):
        unit = UnitFactory(agency=cast.agency, name=f"Dinas Ramai {n}-{i}")
        person = EmployeeFactory(unit=unit, name=f"Orang {n}-{i}")
        case(person, "confirmed", d(1 + i % 18))
        isolate(person, "confirmed", d(1 + i % 18), d(25))
        office = OfficeFactory(agency=cast.agency)
        close(office, d(1 + i % 18), d(20), rooms=[RoomFactory(office=office)] if i % 2 else [])


def count_queries(user, cast) -> int:
    client = client_for(user)
    client.get(P, {"agency": cast.agency.pk})  # warm the session and the access
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(P, {"agency": cast.agency.pk, "reason": WHY})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_a_constant_number_of_queries(cast):
    crowd(cast, 3)
    few = count_queries(cast.kesehatan.user, cast)
    crowd(cast, 27)
    many = count_queries(cast.kesehatan.user, cast)
    assert many == few, (few, many)
    logged = [len(line.employees) for line in HealthAccessLog.objects.order_by("pk")]
    assert logged == [3, 30]
