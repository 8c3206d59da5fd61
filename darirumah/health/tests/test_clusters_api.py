"""The cluster verdict endpoint: a workplace cluster (linked cases with office infection
likely) with the suggested closure, the Batu shape (many confirmed staff sharing the office,
all infected outside) that is not a cluster, an undetermined verdict, who sees names (with a
reason, logged) and who sees "Case 1, Case 2…", bad input, and a constant number of queries."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from darirumah.attendance.models import Attendance
from darirumah.conftest import client_for
from darirumah.health.models import HealthAccessLog, HealthCase
from darirumah.org.models import Unit
from darirumah.org.tests.factories import EmployeeFactory, OfficeFactory, UnitFactory

pytestmark = pytest.mark.django_db
P = "/api/v1/health/clusters"
WHY = "penyelidikan epidemiologi klaster"
PERIOD = {"start": "2026-08-01", "end": "2026-08-19"}


@pytest.fixture(autouse=True)
def _clock(clock, monkeypatch):
    return clock  # Wednesday 19 August 2026, 10:00 WIB


def d(day, month=8):
    return date(2026, month, day)


def office_staff(cast, n, office=None):
    office = office or cast.office
    unit = UnitFactory(agency=cast.agency, office=office, kind="bagian")
    return [EmployeeFactory(unit=unit, name=f"Staf {unit.code} {i}") for i in range(n)]


def confirmed(employee, onset, place="unknown", confirmed_on=None, **kw):
    return HealthCase.objects.create(
        agency=employee.agency,
        employee=employee,
        status=kw.pop("status", "confirmed"),
        symptom_onset=onset,
        confirmed_on=confirmed_on or (onset + timedelta(days=2) if onset else None),
        likely_place=place,
        likely_place_reason="" if place == "unknown" else "wawancara satgas",
        **kw,
    )


def on_site(employee, *days, mode="WFO", status="present"):
    Attendance.objects.bulk_create(
        Attendance(employee=employee, date=day, expected_mode=mode, status=status, source="self")
        for day in days
    )


def ask(user, cast, **params):
    return client_for(user).get(P, {"office": cast.office.pk, **PERIOD, **params})


def bkpsdm_head(cast):
    Unit.objects.filter(pk=cast.bkpsdm_unit.pk).update(head=cast.bkpsdm)
    return type(cast.bkpsdm.user).objects.get(pk=cast.bkpsdm.user.pk)


@pytest.fixture
def cluster(cast):
    """A (onset 10 Aug, infected at the office) and B (onset 14 Aug, place unknown) were both at
    the office on 5 and 6 August; C (onset 12 Aug, outside) worked from home."""
    a, b, c, far = office_staff(cast, 4)
    cases = {
        "a": confirmed(a, d(10), "office"),
        "b": confirmed(b, d(14)),
        "c": confirmed(c, d(12), "outside"),
    }
    on_site(a, d(5), d(6), d(7))
    on_site(b, d(5), d(6))
    on_site(b, d(7), mode="WFH")  # at home that day: not on site
    on_site(c, d(5), mode="WFH")
    on_site(c, d(6), status="absent")
    # Not counted: a suspect, a case of another building, another agency, another period.
    HealthCase.objects.create(agency=cast.agency, employee=far, status="suspect")
    other = office_staff(cast, 1, office=OfficeFactory(agency=cast.agency))[0]
    on_site(other, d(5), d(6))
    confirmed(other, d(11), "office")
    confirmed(cast.outsider, d(11), "office")
    confirmed(far, d(10, 7), "office", confirmed_on=d(12, 7), status="recovered")
    return cases


def test_a_workplace_cluster_with_its_evidence_and_the_suggested_closure(cast, cluster):
    body = ask(cast.pimpinan.user, cast).json()
    assert body["verdict"] == "cluster" and body["verdict_label"] == "Workplace cluster"
    assert body["named"] is False and body["incubation_days"] == 14
    assert [c["label"] for c in body["cases"]] == ["Case 1", "Case 2", "Case 3"]
    assert [c["likely_place"] for c in body["cases"]] == ["office", "outside", "unknown"]
    assert [c["on_site_days"] for c in body["cases"]] == [3, 0, 2]
    assert [c["linked"] for c in body["cases"]] == [True, False, True]
    assert all(c["employee"] is None and c["case_id"] is None for c in body["cases"])
    assert body["links"] == [{"cases": ["Case 1", "Case 3"], "days": ["2026-08-05", "2026-08-06"]}]
    assert body["places"] == {"office": 1, "outside": 1, "unknown": 1}
    assert body["linked_places"] == {"office": 1, "outside": 0, "unknown": 1}
    assert body["evidence"] == [
        "3 confirmed cases among the staff of Pusat Pemerintahan between Aug. 1, 2026 and "
        "Aug. 19, 2026.",
        "2 of them shared the office with another case on site within the incubation window "
        "(linked pairs: 1; days together: 2).",
        "Likely place of infection: 1 at the office, 1 outside the office, 1 unknown.",
        "Of the linked cases: 1 infected at the office, 0 outside the office, 1 unknown.",
        "1 linked case was most likely infected at the office: a workplace cluster.",
    ]
    suggestion = body["suggested_closure"]
    # Five working days from today: 19, 20, 21, 24 and 26 August (25 August is a holiday).
    assert (suggestion["starts_on"], suggestion["ends_on"]) == ("2026-08-19", "2026-08-26")
    assert suggestion["url"] == (
        f"/health/closures/new/?office={cast.office.pk}&start=2026-08-19&end=2026-08-26"
    )
    assert "5 working days" in suggestion["text"]
    assert not HealthAccessLog.objects.exists()


def test_the_batu_shape_is_not_a_cluster(cast):
    """22 confirmed staff, all infected outside the office, most of them at the office
    together in the weeks before: not a workplace cluster, and no closure is suggested."""
    staff = office_staff(cast, 22)
    for i, person in enumerate(staff):
        confirmed(person, d(10 + i % 7), "outside")
        on_site(person, *[d(n) for n in (3, 4, 5, 6, 7) if n % 5 != i % 5])
    body = ask(cast.bkpsdm.user, cast).json()
    assert body["verdict"] == "not_cluster"
    assert body["places"] == {"office": 0, "outside": 22, "unknown": 0}
    assert all(c["linked"] for c in body["cases"])
    assert body["suggested_closure"] is None
    assert body["evidence"][-1] == (
        "Every linked case was most likely infected outside the office: not a workplace cluster."
    )
    assert [r["code"] for r in body["reasons"]] == [
        "confirmed",
        "shared",
        "places",
        "linked_places",
        "all_outside",
    ]


def test_linked_cases_with_an_unknown_place_are_undetermined(cast):
    a, b = office_staff(cast, 2)
    confirmed(a, d(10))
    confirmed(b, d(12), "outside")
    on_site(a, d(4))
    on_site(b, d(4))
    body = ask(cast.kesehatan.user, cast).json()
    assert body["verdict"] == "undetermined"
    assert body["evidence"][-1].startswith("For 1 linked case the place of infection is unknown")
    assert body["suggested_closure"] is None


def test_cases_never_on_site_together_or_a_single_case_are_not_a_cluster(cast):
    a, b = office_staff(cast, 2)
    confirmed(a, d(10), "office")
    on_site(a, d(4))
    body = ask(cast.pimpinan.user, cast).json()
    assert body["verdict"] == "not_cluster"
    assert body["evidence"][-1].startswith("A workplace cluster needs at least 2 confirmed cases")
    confirmed(b, d(12), "office")
    on_site(b, d(5))
    body = ask(cast.pimpinan.user, cast).json()
    assert body["verdict"] == "not_cluster" and body["links"] == []
    assert "No two cases were on site on the same day" in body["evidence"][-1]


# --- names -----------------------------------------------------------------------------------


def test_the_health_officer_sees_names_with_a_reason_and_the_read_is_logged(cast, cluster):
    anonymous = ask(cast.kesehatan.user, cast).json()
    assert anonymous["named"] is False and anonymous["cases"][0]["employee"] is None
    assert not HealthAccessLog.objects.exists()

    body = ask(cast.kesehatan.user, cast, reason=WHY).json()
    assert body["named"] is True
    first = body["cases"][0]
    assert first["case_id"] == cluster["a"].pk
    assert first["employee"]["id"] == cluster["a"].employee_id
    assert first["likely_place_reason"] == "wawancara satgas"
    line = HealthAccessLog.objects.get()
    assert (line.action, line.subject, line.reason, line.user) == (
        "view",
        f"cluster:{cast.office.pk}",
        WHY,
        cast.kesehatan.user,
    )
    assert line.employees == sorted(c.employee_id for c in cluster.values())

    # The header works as well; a reason too short is refused.
    header = client_for(cast.kesehatan.user).get(
        P, {"office": cast.office.pk, **PERIOD}, HTTP_X_ACCESS_REASON=WHY
    )
    assert header.json()["named"] is True
    refused = ask(cast.kesehatan.user, cast, reason="cek")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "reason_required"


def test_the_head_of_bkpsdm_reads_names_and_the_others_never_do(cast, cluster):
    assert ask(bkpsdm_head(cast), cast, reason=WHY).json()["named"] is True
    HealthAccessLog.objects.all().delete()
    for user in (cast.pimpinan.user, cast.operator):
        body = ask(user, cast, reason=WHY).json()
        assert body["named"] is False and body["verdict"] == "cluster"
    assert not HealthAccessLog.objects.exists()


def test_who_may_ask(cast, cluster):
    for user in (cast.pegawai.user, cast.kepala.user, cast.admin_opd.user):
        response = ask(user, cast)
        assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    for user in (cast.outsider.user, cast.outsider_bkpsdm.user):
        assert ask(user, cast).status_code == 404


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"start": "2026-08-19", "end": "2026-08-01"}, 400, "start"),
        ({"start": "2025-01-01", "end": "2026-08-19"}, 400, "end"),
        ({"start": "kemarin"}, 422, "start"),
    ],
)
def test_bad_periods_get_a_json_error(cast, params, status, field):
    response = ask(cast.pimpinan.user, cast, **params)
    assert response.status_code == status
    assert field in response.json()["error"]["fields"]


def test_the_period_defaults_to_the_last_four_weeks(cast):
    body = client_for(cast.pimpinan.user).get(P, {"office": cast.office.pk}).json()
    assert (body["start"], body["end"]) == ("2026-07-23", "2026-08-19")
    assert client_for(cast.pimpinan.user).get(P).status_code == 422


# --- the cost ---------------------------------------------------------------------------------


def _cases(cast, n):
    for i, person in enumerate(office_staff(cast, n)):
        confirmed(person, d(5 + i % 10), "office" if i % 3 == 0 else "outside")
        on_site(person, d(1 + i % 4), d(2 + i % 4))


def _queries(user, cast, **params) -> tuple[int, int]:
    ask(user, cast, **params)  # the session is warm
    with CaptureQueriesContext(connection) as queries:
        response = ask(user, cast, **params)
    assert response.status_code == 200
    return len(queries), len(response.json()["cases"])


@pytest.mark.parametrize("names", [False, True])
def test_the_verdict_issues_the_same_queries_for_many_cases(cast, names):
    params = {"reason": WHY} if names else {}
    _cases(cast, 3)
    few, count = _queries(cast.kesehatan.user, cast, **params)
    assert count == 3
    _cases(cast, 27)
    many, count = _queries(cast.kesehatan.user, cast, **params)
    assert count == 30
    assert many == few, (few, many)
