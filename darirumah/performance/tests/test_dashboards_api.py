"""The dashboards' API on the scenario of test_dashboards.py (known numbers), bad input, and the
number of queries: the same for 5 staff in one OPD as for 40 over several units and OPDs."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from darirumah.attendance.models import Attendance
from darirumah.conftest import client_for
from darirumah.org.tests.factories import EmployeeFactory, UnitFactory
from darirumah.roster.models import RosterEntry

from .factories import make_report
from .test_dashboards import D1, D3, Kominfo, build

pytestmark = pytest.mark.django_db
P = "/api/v1/dashboards"


@pytest.fixture
def scene(cast, clock) -> Kominfo:
    clock.set(2026, 8, 20, 9, 30)  # Thursday 20 August, 16:30 WIB
    return build(cast)


def get(user, path: str, **query):
    return client_for(user).get(f"{P}/{path}", query)


def test_the_unit_dashboard_in_numbers(scene):
    response = get(scene.s1.user, "unit")  # the head's own unit by default
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["unit_id"], body["date"], body["team_only"]) == (
        scene.unit.pk,
        "2026-08-20",
        False,
    )
    assert body["figures"] == {
        "staff": 5, "modes": {"LEAVE": 1, "WFH": 2, "WFO": 2}, "not_in_roster": 0,
        "wfh": 2, "wfh_share": "0.4000",
        "present": 2, "late": 1, "absent": 1, "excused": 1, "not_yet": 0,
        "checkin_compliance": "0.7500",
        "reports_submitted": 2, "reports_missing": 2, "reports_late": 1,
        "report_completion": "0.5000",
    }  # fmt: skip
    assert (body["pending_reviews"], body["oldest_pending_review"]) == (5, "2026-08-18")
    assert body["evaluation_period"] == "2026-07"
    assert body["ratings"] == {"sangat_baik": 2, "baik": 1, "butuh_perbaikan": 1}
    assert (body["discipline_open"], body["discipline_overdue"]) == (2, 1)
    series = body["series"]
    assert len(series) == 20 and series[-1]["day"] == "2026-08-20"
    assert [p["checkin_compliance"] for p in series[-3:]] == ["1.0000", "1.0000", "0.7500"]
    assert [p["report_completion"] for p in series[-3:]] == ["0.5000", "0.5000", "0.5000"]
    assert series[0]["day"] == "2026-07-23" and series[0]["checkin_compliance"] == "0.0000"


def test_the_sub_unit_alone(scene):
    body = get(scene.s1.user, "unit", unit=scene.aplikasi.pk).json()
    assert body["figures"]["staff"] == 1 and body["figures"]["late"] == 1
    assert body["figures"]["reports_late"] == 1 and body["ratings"] == {"sangat_baik": 1}


def test_every_opd_in_numbers(cast, scene):
    response = get(cast.bkpsdm.user, "agency")
    assert response.status_code == 200, response.content
    body = response.json()
    rows = {row["unit_name"]: row for row in body["opds"]}
    assert list(rows) == [
        "BKPSDM",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Dinas Komunikasi dan Informatika",
        "Sekretariat Daerah",
    ]
    kominfo = rows["Dinas Komunikasi dan Informatika"]
    assert kominfo["recap"] == "sent" and kominfo["recap_sent_at"].startswith("2026-08-20T08:05")
    f = kominfo["figures"]
    assert (f["staff"], f["wfh"], f["wfh_share"]) == (5, 2, "0.4000")
    assert (f["present"], f["late"], f["absent"], f["reports_submitted"]) == (2, 1, 1, 2)
    assert (kominfo["discipline_open"], kominfo["discipline_overdue"]) == (2, 1)
    assert rows["Dinas Kependudukan dan Pencatatan Sipil"]["recap"] == "not_sent"
    assert rows["Dinas Kependudukan dan Pencatatan Sipil"]["figures"]["wfh"] == 0  # a draft plan
    assert rows["Sekretariat Daerah"]["recap"] == "not_produced"
    totals = body["totals"]
    assert (totals["staff"], totals["wfh_share"], totals["checkin_compliance"]) == (
        13, "0.1538", "0.2500",
    )  # fmt: skip
    assert (body["recaps_sent"], body["recaps_missing"]) == (1, 3)
    earlier = get(cast.bkpsdm.user, "agency", date="2026-08-18").json()
    assert earlier["totals"]["present"] == 4 and earlier["recaps_sent"] == 0


def test_the_mayor_gets_yes_on_the_third_working_day(cast, scene):
    body = get(cast.pimpinan.user, "leadership").json()
    assert (body["start"], body["end"], body["through"]) == (
        "2026-07-22",
        "2026-08-20",
        "2026-08-20",
    )
    [circular] = body["circulars"]  # the draft is not shown
    assert circular["id"] == scene.circular.pk
    assert (circular["answer"], circular["due"], circular["recommendation"]) == (
        "yes", True, "continue",
    )  # fmt: skip
    assert (circular["wfh_done"], circular["wfo_done"]) == ("1.0000", "0.0000")
    assert circular["review_url"] == reverse("circular_effectiveness", args=[scene.circular.pk])
    assert [p["wfh_done"] for p in circular["series"]] == ["1.0000"] * 3
    assert len(body["series"]) == 21
    last = body["series"][-1]
    assert (last["wfh_share"], last["checkin_compliance"], last["report_completion"]) == (
        "0.1538", "0.2500", "0.1667",
    )  # fmt: skip


def test_on_the_first_working_day_it_is_too_early(cast, scene, clock):
    clock.set(2026, 8, 18, 9, 30)
    [circular] = get(cast.pimpinan.user, "leadership").json()["circulars"]
    assert (circular["answer"], circular["due"]) == ("too_early", False)


def test_a_withdrawn_circular_is_shown_while_in_range(cast, scene):
    scene.circular.status = "withdrawn"
    scene.circular.ends_on = D3
    scene.circular.save()
    body = get(cast.bkpsdm.user, "leadership", start="2026-08-01", end="2026-08-31").json()
    assert [c["status"] for c in body["circulars"]] == ["withdrawn"]
    assert body["through"] == "2026-08-20"  # no figures for days still to come
    body = get(cast.bkpsdm.user, "leadership", start="2026-08-21", end="2026-08-31").json()
    assert body["circulars"] == [] and body["series"] == []


@pytest.mark.parametrize(
    ("path", "query", "status", "field"),
    [
        ("unit", {"date": "2026-02-30"}, 422, "date"),
        ("agency", {"date": "kemarin"}, 422, "date"),
        ("unit", {"date": "0001-01-01"}, 400, "date"),
        ("agency", {"date": "9999-12-31"}, 400, "date"),
        ("leadership", {"start": "0001-01-01", "end": "0001-01-31"}, 400, "start"),
        ("leadership", {"start": "2026-08-20", "end": "2026-08-01"}, 400, "start"),
        ("leadership", {"start": "2025-01-01", "end": "2026-08-01"}, 400, "end"),
        ("leadership", {"end": "20-08-2026"}, 422, "end"),
    ],
)
def test_bad_dates_are_json_errors_with_fields(cast, scene, path, query, status, field):
    response = get(scene.s1.user if path == "unit" else cast.bkpsdm.user, path, **query)
    assert response.status_code == status
    assert field in response.json()["error"]["fields"]


def test_the_operator_chooses_an_agency(cast, scene):
    response = get(cast.operator, "agency")
    assert response.status_code == 400 and "agency" in response.json()["error"]["fields"]
    assert get(cast.operator, "agency", agency=cast.agency.pk).json()["totals"]["staff"] == 13


def test_who_has_no_dashboard(cast, scene):
    assert get(cast.pegawai.user, "unit").status_code == 403
    assert get(cast.kesehatan.user, "agency").status_code == 403
    assert get(cast.kepala.user, "leadership").status_code == 403
    assert get(cast.outsider_bkpsdm.user, "unit", unit=scene.unit.pk).status_code == 404


# --- the number of queries does not grow with the staff or the units ------------------------------


def crowd(cast, scene, n: int) -> None:
    """n more staff: half in three new sub-units of Kominfo, half in three new OPDs, each with a
    published roster, a check-in and a report on the 18th and the 20th."""
    units = [
        UnitFactory(agency=cast.agency, kind="bidang", parent=scene.unit, name=f"Bidang {i}")
        for i in range(3)
    ] + [UnitFactory(agency=cast.agency, name=f"Dinas Baru {i}") for i in range(3)]
    for i in range(n):
        person = EmployeeFactory(unit=units[i % len(units)], name=f"Staf Tambahan {i}")
        for day in (D1, D3):
            RosterEntry.objects.create(
                employee=person, date=day, mode="WFH" if i % 2 else "WFO", source="solver",
                published=True, circular=scene.circular,
            )  # fmt: skip
            Attendance.objects.create(employee=person, date=day, status="present", source="self")
            make_report(person, day, "submitted", items=0)


def count(user, url: str, query: dict) -> int:
    client = client_for(user)
    client.get(url, query)  # warm-up: the session and caches of a first request
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
    assert response.status_code == 200, response.content[:300]
    return len(queries)


@pytest.mark.parametrize(
    ("role", "url", "query"),
    [
        ("s1", f"{P}/unit", {}),
        ("bkpsdm", f"{P}/agency", {}),
        ("pimpinan", f"{P}/leadership", {}),
        ("s1", "performance-dashboard-unit", {}),
        ("bkpsdm", "performance-dashboard-agency", {}),
        ("pimpinan", "performance-dashboard-leadership", {}),
    ],
)
def test_the_queries_do_not_grow_with_staff_or_units(cast, scene, role, url, query):
    user = scene.s1.user if role == "s1" else getattr(cast, role).user
    if not url.startswith("/"):
        url = reverse(url)
    few = count(user, url, query)
    crowd(cast, scene, 35)
    many = count(user, url, query)
    assert many == few, (few, many)
    assert few < 40


def test_the_crowd_is_counted(cast, scene):
    """The figures of the query-count test are the crowd's too (the queries did not lose it)."""
    crowd(cast, scene, 36)
    body = get(scene.s1.user, "unit").json()
    # 18 in Kominfo's new sub-units (i % 6 < 3), of whom 6 at home (i % 6 == 1).
    assert body["figures"]["staff"] == 5 + 18 and body["figures"]["wfh"] == 2 + 6
    agency = get(cast.bkpsdm.user, "agency").json()
    assert len(agency["opds"]) == 4 + 3 and agency["totals"]["staff"] == 13 + 36
    assert date.fromisoformat(agency["date"]) == D3
