"""The health register's pages: the reason asked first, the register with its filters and log
line, recording a case and a test, changing a case, the employee's own record, the access log,
and a register that costs the same queries for 3 or 30 cases."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from darirumah.conftest import text
from darirumah.health.models import HealthAccessLog, HealthCase
from darirumah.org.models import Unit
from darirumah.org.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db
WHY = "pelacakan kontak kasus baru"


@pytest.fixture(autouse=True)
def _clock(clock, monkeypatch):
    return clock  # Wednesday 19 August 2026, 10:00 WIB


def url(name, *args):
    return reverse(name, args=args)


def make_case(employee, status="suspect", **kw):
    return HealthCase.objects.create(agency=employee.agency, employee=employee, status=status, **kw)


def with_reason(browse, user, reason=WHY):
    client = browse(user)
    kept = client.post(url("health-reason"), {"reason": reason, "next": "/"})
    assert kept.status_code == 302
    return client


def test_the_register_asks_for_the_reason_first(cast, browse):
    make_case(cast.pegawai)
    response = browse(cast.kesehatan.user).get(url("health-cases"), {"status": "suspect"})
    assert response.status_code == 302
    assert response["Location"].startswith(url("health-reason") + "?next=")
    assert "status%3Dsuspect" in response["Location"]
    assert not HealthAccessLog.objects.exists()


def test_the_register_lists_names_filters_and_logs_the_people_shown(cast, browse):
    pegawai = make_case(cast.pegawai, "confirmed", confirmed_on=date(2026, 8, 18))
    make_case(cast.peer, "recovered", closed_on=date(2026, 8, 12))
    make_case(cast.outsider)
    client = with_reason(browse, cast.kesehatan.user)
    body = text(client.get(url("health-cases")))
    assert "Pegawai Pelayanan" in body and "Pegawai Setda" in body and "Pegawai Batu" not in body
    assert "2 cases" in body and url("health-case-detail", pegawai.pk) in body
    line = HealthAccessLog.objects.get()
    assert (line.action, line.reason) == ("list", WHY)
    assert line.employees == sorted([cast.pegawai.pk, cast.peer.pk])

    only = text(client.get(url("health-cases"), {"status": "open"}))
    assert "Pegawai Pelayanan" in only and "Pegawai Setda" not in only
    assert HealthAccessLog.objects.first().employees == [cast.pegawai.pk]
    found = text(client.get(url("health-cases"), {"q": "setda"}))
    assert "Pegawai Setda" in found and "Pegawai Pelayanan" not in found
    unit = text(client.get(url("health-cases"), {"unit": cast.disdukcapil.pk}))
    assert "Pegawai Pelayanan" in unit and "Pegawai Setda" not in unit


def test_others_go_to_their_own_record_which_needs_no_reason(cast, browse):
    make_case(cast.pegawai, note="Isolasi di rumah")
    make_case(cast.peer)
    for user in (cast.pegawai.user, cast.pimpinan.user, cast.bkpsdm.user, cast.kepala.user):
        response = browse(user).get(url("health-cases"))
        assert response.status_code == 302 and response["Location"] == url("health-my-record")
    mine = text(browse(cast.pegawai.user).get(url("health-my-record")))
    assert "My health record" in mine and "Suspect" in mine and "Isolasi di rumah" in mine
    nothing = text(browse(cast.pimpinan.user).get(url("health-my-record")))
    assert "Nothing is recorded about your health." in nothing and "Suspect" not in nothing
    assert not HealthAccessLog.objects.exists()
    assert browse(cast.operator).get(url("health-my-record")).status_code == 404


def test_the_head_of_bkpsdm_reads_the_register_but_records_nothing(cast, browse):
    case = make_case(cast.pegawai)
    Unit.objects.filter(pk=cast.bkpsdm_unit.pk).update(head=cast.bkpsdm)
    head = type(cast.bkpsdm.user).objects.get(pk=cast.bkpsdm.user.pk)
    client = with_reason(browse, head, "audit kepala BKPSDM")
    assert "Pegawai Pelayanan" in text(client.get(url("health-cases")))
    detail = client.get(url("health-case-detail", case.pk))
    assert detail.status_code == 200 and "Change the case" not in text(detail)
    assert client.get(url("health-case-new")).status_code == 403
    assert client.post(url("health-case-update", case.pk), {"status": "died"}).status_code == 403
    assert [line.reason for line in HealthAccessLog.objects.all()] == ["audit kepala BKPSDM"] * 2


# --- recording ------------------------------------------------------------------------------


def new_case(**data):
    values = {"status": "suspect", "likely_place": "unknown", "test_result": "pending"}
    values.update(data)
    return values


def test_an_officer_records_a_case_with_a_positive_first_test(cast, browse):
    client = with_reason(browse, cast.kesehatan.user)
    form = client.get(url("health-case-new"), {"employee": cast.pegawai.pk})
    assert form.status_code == 200
    assert f'value="{cast.pegawai.nip}"' in text(form) and 'id="health-people"' in text(form)
    response = client.post(
        url("health-case-new"),
        new_case(
            nip=cast.pegawai.nip,
            symptom_onset="2026-08-14",
            likely_place="office",
            likely_place_reason="Satu ruangan dengan kasus pertama",
            test_kind="pcr",
            test_taken_on="2026-08-16",
            test_result="positive",
            test_result_on="2026-08-18",
        ),
    )
    case = HealthCase.objects.get()
    assert response.status_code == 302 and response["Location"] == url(
        "health-case-detail", case.pk
    )
    assert (case.status, case.confirmed_on) == ("confirmed", date(2026, 8, 18))
    line = HealthAccessLog.objects.get(action="create")
    assert line.reason == WHY and line.employees == [cast.pegawai.pk]


def test_the_form_shows_what_to_correct(cast, browse):
    client = with_reason(browse, cast.kesehatan.user)
    office = client.post(
        url("health-case-new"), new_case(nip=cast.pegawai.nip, likely_place="office")
    )
    assert office.status_code == 400
    assert "Say why the infection most likely happened here" in text(office)
    nobody = client.post(url("health-case-new"), new_case(nip=cast.outsider.nip))
    assert "No active employee of your agency has this NIP." in text(nobody)
    make_case(cast.pegawai)
    twice = client.post(url("health-case-new"), new_case(nip=cast.pegawai.nip))
    assert twice.status_code == 400 and "already has an open case" in text(twice)
    assert HealthCase.objects.count() == 1


def test_a_case_shows_its_tests_history_and_forms_and_each_view_is_logged(cast, browse):
    case = make_case(cast.pegawai, "probable", symptom_onset=date(2026, 8, 15))
    case.tests.create(kind="antigen", taken_on=date(2026, 8, 16), result="negative")
    client = with_reason(browse, cast.kesehatan.user)
    page = client.get(url("health-case-detail", case.pk))
    body = text(page)
    assert page.status_code == 200 and "Pegawai Pelayanan" in body and "Rapid antigen" in body
    assert "Change the case" in body and "Add a test" in body and "Change history" in body
    line = HealthAccessLog.objects.get()
    assert (line.action, line.subject, line.reason) == ("view", f"case:{case.pk}", WHY)
    assert client.get(url("health-case-detail", case.pk + 99)).status_code == 404

    added = client.post(
        url("health-case-test-add", case.pk),
        {"kind": "pcr", "taken_on": "2026-08-17", "result": "positive", "result_on": "2026-08-18"},
    )
    assert added.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.confirmed_on) == ("confirmed", date(2026, 8, 18))
    closed = client.post(
        url("health-case-update", case.pk),
        {
            "status": "recovered",
            "confirmed_on": "2026-08-18",
            "symptom_onset": "2026-08-15",
            "likely_place": "unknown",
        },
    )
    assert closed.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.closed_on) == ("recovered", date(2026, 8, 19))
    assert list(
        HealthAccessLog.objects.filter(action="update").values_list("reason", flat=True)
    ) == [WHY, WHY]
    history = text(client.get(url("health-case-detail", case.pk)))
    assert "Recovered" in history and "Petugas Kesehatan" in history

    refused = client.post(
        url("health-case-update", case.pk),
        {"status": "died", "likely_place": "unknown", "confirmed_on": "2026-08-18"},
    )
    assert refused.status_code == 400 and "Only an open case" in text(refused)
    bad_test = client.post(
        url("health-case-test-add", case.pk),
        {"kind": "pcr", "taken_on": "2026-08-25", "result": "pending"},
    )
    assert bad_test.status_code == 400 and "This date is in the future" in text(bad_test)
    assert client.get(url("health-case-update", case.pk)).status_code == 405


def test_writes_need_the_reason_and_the_right(cast, browse):
    case = make_case(cast.pegawai)
    fresh = browse(cast.kesehatan.user)
    response = fresh.post(url("health-case-update", case.pk), {"status": "probable"})
    assert response.status_code == 302 and response["Location"].startswith(url("health-reason"))
    own = browse(cast.pegawai.user)
    assert own.get(url("health-case-detail", case.pk))["Location"] == url("health-my-record")
    assert own.post(url("health-case-update", case.pk), {"status": "recovered"}).status_code == 403
    assert browse(cast.peer.user).get(url("health-case-detail", case.pk)).status_code == 404
    case.refresh_from_db()
    assert case.status == "suspect"


# --- the access log -------------------------------------------------------------------------


def test_the_access_log_page_shows_who_why_and_filters(cast, browse):
    case = make_case(cast.pegawai)
    client = with_reason(browse, cast.kesehatan.user)
    client.get(url("health-case-detail", case.pk))
    page = client.get(url("health-access-log"))
    body = text(page)
    assert page.status_code == 200 and WHY in body and "Petugas Kesehatan" in body
    assert url("health-case-detail", case.pk) in body and "1 entry" in body
    earlier = text(
        client.get(url("health-access-log"), {"start": "2026-08-01", "end": "2026-08-18"})
    )
    assert WHY not in earlier and "Nobody opened health data in these days." in earlier
    for user in (cast.pimpinan.user, cast.bkpsdm.user, cast.pegawai.user):
        assert browse(user).get(url("health-access-log")).status_code == 403


# --- cost -----------------------------------------------------------------------------------


def _cases(cast, n):
    for i in range(n):
        person = EmployeeFactory(unit=cast.pelayanan, name=f"Orang {i}")
        case = make_case(person, "confirmed", confirmed_on=date(2026, 8, 18))
        case.tests.create(kind="pcr", taken_on=date(2026, 8, 17), result="positive")


def _page_queries(client) -> tuple[int, str]:
    client.get(url("health-cases"))  # the session is warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("health-cases"))
    assert response.status_code == 200
    return len(queries), text(response)


def test_the_register_issues_the_same_queries_for_many_cases(cast, browse):
    client = with_reason(browse, cast.kesehatan.user)
    _cases(cast, 3)
    few, body = _page_queries(client)
    assert "3 cases" in body
    _cases(cast, 27)
    many, body = _page_queries(client)
    assert "30 cases" in body and "Orang 26" in body
    assert many == few
