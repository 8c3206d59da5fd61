"""The discipline endpoints end to end: the list and its filters, a case, opening one by hand,
the decision with each outcome and who may take it, and the scan."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from darirumah.conftest import client_for
from darirumah.notify.models import Notification
from darirumah.org.tests.factories import EmployeeFactory
from darirumah.performance.models import DisciplineCase

from .factories import absent_on, make_case, working_days

P = "/api/v1"


@pytest.fixture(autouse=True)
def _clock(clock):
    return clock  # Wednesday 19 August 2026, 10:00 WIB


def post(client, path, body):
    return client.post(f"{P}{path}", body, content_type="application/json")


def decide(user, case, **body):
    return post(client_for(user), f"/discipline/cases/{case.pk}/decide", body)


# --- reading ----------------------------------------------------------------------------------


def test_the_list_shows_each_role_their_peoples_cases(cast):
    mine = make_case(cast.pegawai)
    peers = make_case(cast.peer)
    make_case(cast.outsider)

    def ids(user, **query):
        response = client_for(user).get(f"{P}/discipline/cases", query)
        assert response.status_code == 200, response.content
        return {item["id"] for item in response.json()["items"]}

    assert ids(cast.pegawai.user) == {mine.pk}
    assert ids(cast.atasan.user) == {mine.pk}
    assert ids(cast.kepala.user) == {mine.pk}
    assert ids(cast.admin_opd.user) == {mine.pk}
    assert len(ids(cast.bkpsdm.user)) == 2 and len(ids(cast.pimpinan.user)) == 2
    assert ids(cast.kesehatan.user) == set()
    assert ids(cast.outsider_bkpsdm.user) == {DisciplineCase.objects.get(employee=cast.outsider).pk}
    assert ids(cast.bkpsdm.user, unit=cast.disdukcapil.pk) == {mine.pk}
    assert ids(cast.bkpsdm.user, employee=cast.peer.pk) == {peers.pk}


def test_a_case_shows_its_evidence_and_who_must_act(cast):
    case = make_case(
        cast.pegawai,
        evidence={"kind": "absence_year", "days": 4, "dates": ["2026-08-18"], "year": 2026},
    )
    body = client_for(cast.atasan.user).get(f"{P}/discipline/cases/{case.pk}").json()
    assert body["employee_name"] == "Pegawai Pelayanan" and body["unit_name"] == "Bidang Pelayanan"
    assert body["supervisor_name"] == "Atasan Pelayanan"
    assert body["evidence"]["dates"] == ["2026-08-18"]
    assert (body["recommended_level"], body["recommended_sanction"]) == (
        "ringan",
        "written_warning",
    )
    assert body["status"] == "recommended" and body["overdue"] is False
    assert client_for(cast.peer.user).get(f"{P}/discipline/cases/{case.pk}").status_code == 404


def test_overdue_is_computed_and_filters(cast):
    late = make_case(cast.pegawai, decide_by=date(2026, 8, 18))
    due_today = make_case(cast.pegawai, band=7, decide_by=date(2026, 8, 19))
    client = client_for(cast.bkpsdm.user)
    items = client.get(f"{P}/discipline/cases").json()["items"]
    assert {i["id"]: i["overdue"] for i in items} == {late.pk: True, due_today.pk: False}
    only = client.get(f"{P}/discipline/cases", {"overdue": "true"}).json()["items"]
    assert [i["id"] for i in only] == [late.pk]
    decided = client.get(f"{P}/discipline/cases", {"status": "accepted"}).json()
    assert decided["count"] == 0


def _people(cast, n):
    for i in range(n):
        person = EmployeeFactory(unit=cast.pelayanan, name=f"Orang {i}", supervisor=cast.atasan)
        case = make_case(person, decided_by=cast.kepala.user)
        DisciplineCase.objects.filter(pk=case.pk).update(
            status="accepted",
            level="ringan",
            sanction="written_warning",
            decision_reason="Terbukti",
            decided_at=case.created_at,
        )


def _list_queries(user) -> tuple[int, int]:
    client = client_for(user)
    client.get(f"{P}/discipline/cases")  # the session and access are warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{P}/discipline/cases")
    assert response.status_code == 200
    return len(queries), response.json()["count"]


def test_the_list_issues_the_same_queries_for_many_cases(cast):
    _people(cast, 2)
    few, count = _list_queries(cast.bkpsdm.user)
    assert count == 2
    _people(cast, 30)
    many, count = _list_queries(cast.bkpsdm.user)
    assert count == 32
    assert many == few


# --- opening a case by hand -------------------------------------------------------------------

MANUAL = {"level": "ringan", "sanction": "verbal_warning", "summary": "Tidak mengikuti apel pagi"}


def test_a_supervisor_opens_a_case_and_bkpsdm_is_told(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client_for(cast.atasan.user),
            "/discipline/cases",
            {**MANUAL, "employee": cast.pegawai.pk, "evidence_text": "Daftar hadir apel 18/8"},
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["source"] == "manual" and body["status"] == "recommended"
    assert body["evidence"] == {"kind": "manual", "text": "Daftar hadir apel 18/8"}
    assert body["decide_by"] == "2026-09-02"
    assert Notification.objects.filter(recipient=cast.bkpsdm.user).count() == 1
    assert not Notification.objects.filter(recipient=cast.atasan.user).exists()  # the author


@pytest.mark.parametrize(
    ("who", "whom", "status"),
    [
        ("pegawai", "pegawai", 403),  # about oneself
        ("pegawai", "atasan", 404),  # not in the pegawai's scope
        ("admin_opd", "pegawai", 403),  # reads, does not open
        ("pimpinan", "pegawai", 403),
        ("outsider_bkpsdm", "pegawai", 404),
    ],
)
def test_who_may_not_open_a_case(cast, who, whom, status):
    user = cast.users()[who]
    response = post(
        client_for(user), "/discipline/cases", {**MANUAL, "employee": getattr(cast, whom).pk}
    )
    assert response.status_code == status, response.content
    assert not DisciplineCase.objects.exists()


def test_a_sanction_of_another_level_is_refused(cast):
    response = post(
        client_for(cast.bkpsdm.user),
        "/discipline/cases",
        {**MANUAL, "employee": cast.pegawai.pk, "level": "ringan", "sanction": "tpp_cut_6"},
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"sanction"}


# --- deciding ------------------------------------------------------------------------------


def test_the_supervisor_accepts_the_recommendation(cast, django_capture_on_commit_callbacks):
    case = make_case(cast.pegawai, recommended_level="sedang", recommended_sanction="tpp_cut_6")
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(cast.atasan.user, case, decision="accept", reason="Absen tanpa izin")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "accepted"
    assert (body["level"], body["sanction"]) == ("sedang", "tpp_cut_6")
    assert (body["sanction_start"], body["sanction_months"]) == ("2026-09-01", 6)
    assert body["decided_by_name"] == "Atasan Pelayanan" and body["decided_at"]
    [notice] = Notification.objects.filter(recipient=cast.pegawai.user)
    assert notice.kind == "performance.discipline_decided" and "Absen tanpa izin" in notice.body
    record = case.history.latest()
    assert record.history_user == cast.atasan.user and record.status == "accepted"


def test_the_head_changes_the_level_and_sanction(cast):
    case = make_case(cast.pegawai)
    response = decide(
        cast.kepala.user,
        case,
        decision="change",
        reason="Berulang setelah teguran",
        level="sedang",
        sanction="tpp_cut_9",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "changed"
    assert (body["level"], body["sanction"], body["sanction_months"]) == ("sedang", "tpp_cut_9", 9)
    assert (body["recommended_level"], body["recommended_sanction"]) == (
        "ringan",
        "written_warning",
    )


def test_bkpsdm_dismisses_a_recommendation(cast):
    case = make_case(cast.pegawai)
    response = decide(cast.bkpsdm.user, case, decision="dismiss", reason="Surat sakit menyusul")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "dismissed" and body["sanction"] == "" and body["level"] == ""
    assert body["sanction_start"] is None and body["sanction_months"] == 0


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"decision": "accept", "reason": "  "}, {"reason"}),
        ({"decision": "change", "reason": "x"}, {"level", "sanction"}),
        (
            {"decision": "change", "reason": "x", "level": "ringan", "sanction": "tpp_cut_9"},
            {"sanction"},
        ),
    ],
)
def test_a_decision_needs_a_reason_and_a_consistent_change(cast, body, fields):
    case = make_case(cast.pegawai)
    response = decide(cast.atasan.user, case, **body)
    assert response.status_code == 400, response.content
    assert set(response.json()["error"]["fields"]) == fields
    case.refresh_from_db()
    assert case.status == "recommended"


def test_an_unknown_decision_is_refused_without_a_500(cast):
    response = decide(cast.atasan.user, make_case(cast.pegawai), decision="maybe", reason="x")
    assert response.status_code == 422


def test_a_decided_case_is_final(cast):
    case = make_case(cast.pegawai)
    assert decide(cast.atasan.user, case, decision="accept", reason="a").status_code == 200
    response = decide(cast.bkpsdm.user, case, decision="dismiss", reason="b")
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.status == "accepted" and case.decision_reason == "a"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("pegawai", 403),  # never about oneself
        ("admin_opd", 403),
        ("pimpinan", 403),
        ("operator", 403),
        ("kesehatan", 404),
        ("peer", 404),
        ("outsider_bkpsdm", 404),  # another agency's BKPSDM
    ],
)
def test_who_may_not_decide(cast, role, status):
    case = make_case(cast.pegawai)
    user = cast.peer.user if role == "peer" else cast.users()[role]
    response = decide(user, case, decision="accept", reason="x")
    assert response.status_code == status, response.content
    case.refresh_from_db()
    assert case.status == "recommended"


def test_a_supervisor_cannot_decide_their_own_case(cast):
    case = make_case(cast.atasan, supervisor=cast.kepala)
    assert decide(cast.atasan.user, case, decision="dismiss", reason="x").status_code == 403
    assert decide(cast.kepala.user, case, decision="dismiss", reason="x").status_code == 200


# --- the scan -------------------------------------------------------------------------------


def test_bkpsdm_runs_the_scan(cast):
    absent_on(cast.pegawai, *working_days(date(2026, 1, 5), 3))
    client = client_for(cast.bkpsdm.user)
    body = post(client, "/discipline/scan", {"through": "2026-08-19"}).json()
    assert body["opened"] == 1 and body["absence_year"] == 1 and body["through"] == "2026-08-19"
    assert post(client, "/discipline/scan", {}).json()["opened"] == 0
    future = post(client, "/discipline/scan", {"through": "2026-08-20"})
    assert future.status_code == 400 and "through" in future.json()["error"]["fields"]


def test_the_operator_names_the_agency(cast):
    client = client_for(cast.operator)
    response = post(client, "/discipline/scan", {})
    assert response.status_code == 400 and "agency" in response.json()["error"]["fields"]
    assert post(client, "/discipline/scan", {"agency": cast.agency.pk}).status_code == 200
    assert post(client_for(cast.atasan.user), "/discipline/scan", {}).status_code == 403
