"""The isolation pages: the list (the agency's with a reason for officers, one's own for everyone
else), recording one (prefilled from a case), an isolation with its roster days, and ending or
cancelling it from there."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from darirumah.conftest import text
from darirumah.health.models import HealthAccessLog, Isolation
from darirumah.health.services.isolations import isolation_create
from darirumah.org.access import access_for
from darirumah.org.tests.factories import EmployeeFactory
from darirumah.roster.models import RosterEntry

from .test_isolations_api import isolate
from .test_tracing_pages import with_reason
from .test_tracing_trace import REASON, colleague, confirmed_case, d


@pytest.fixture(autouse=True)
def _clock(clock):
    return clock  # Wednesday 19 August 2026, 10:00 WIB


def test_the_officer_lists_active_isolations_with_a_reason(cast, browse):
    now = isolate(cast.pegawai)
    isolate(cast.peer, start=d(5), end=d(14))  # over
    client = browse(cast.kesehatan.user)
    assert client.get("/health/isolations/").status_code == 302  # the reason first
    with_reason(client)
    response = client.get("/health/isolations/")
    assert response.status_code == 200
    page = text(response)
    assert "Pegawai Pelayanan" in page and "Pegawai Setda" not in page
    assert f"/health/isolations/{now.pk}/" in page and "Record an isolation" in page
    over = text(client.get("/health/isolations/", {"status": "over"}))
    assert "Pegawai Setda" in over and "Pegawai Pelayanan" not in over
    line = HealthAccessLog.objects.filter(action="list").last()  # the first list
    assert (line.subject, line.reason, line.employees) == ("isolations", REASON, [cast.pegawai.pk])


def test_an_employee_sees_their_own_without_a_reason(cast, browse):
    isolate(cast.pegawai)
    isolate(cast.peer)
    page = text(browse(cast.pegawai.user).get("/health/isolations/"))
    assert "My isolations" in page and "Pegawai Pelayanan" in page and "Pegawai Setda" not in page
    assert "Record an isolation" not in page
    assert not HealthAccessLog.objects.exists()


def test_the_employee_opens_their_current_isolation(cast, browse):
    iso = isolate(cast.pegawai, start=d(18), end=d(31))
    RosterEntry.objects.create(
        employee=cast.pegawai, date=d(19), mode="ISOLATION", source="health", published=True
    )
    response = browse(cast.pegawai.user).get(f"/health/isolations/{iso.pk}/")
    assert response.status_code == 200
    page = text(response)
    assert "Your isolation" in page and "you keep your allowance" in page
    assert "Isolation" in page and "End early or cancel" not in page
    assert not HealthAccessLog.objects.exists()
    assert browse(cast.peer.user).get(f"/health/isolations/{iso.pk}/").status_code == 404


def test_the_officer_opens_one_logged_and_ends_it(cast, browse):
    plan = ["WFO", "WFO", "WFO"]
    for day, mode in zip((d(26), d(27), d(28)), plan, strict=True):
        RosterEntry.objects.create(
            employee=cast.pegawai, date=day, mode=mode, source="solver", published=True
        )
    client = with_reason(browse(cast.kesehatan.user))
    iso = isolation_create(
        access=access_for(cast.kesehatan.user),
        employee=cast.pegawai,
        starts_on=d(26),
        reason_kind="contact",
        reason=REASON,
    )
    page = text(client.get(f"/health/isolations/{iso.pk}/"))
    assert "Pegawai Pelayanan" in page and "End early or cancel" in page
    assert page.count('badge text-bg-danger">Isolation') >= 3
    assert HealthAccessLog.objects.filter(action="view", subject=f"isolation:{iso.pk}").exists()
    bad = client.post(f"/health/isolations/{iso.pk}/end/", {})
    assert bad.status_code == 400 and "one of the two" in text(bad)
    ended = client.post(f"/health/isolations/{iso.pk}/end/", {"last_day": "2026-08-26"})
    assert ended.status_code == 302
    iso.refresh_from_db()
    assert iso.ends_on == d(26)
    modes = dict(RosterEntry.objects.filter(employee=cast.pegawai).values_list("date", "mode"))
    assert (modes[d(26)], modes[d(27)], modes[d(28)]) == ("ISOLATION", "WFO", "WFO")
    cancelled = client.post(f"/health/isolations/{iso.pk}/end/", {"cancel": "on"})
    assert cancelled.status_code == 302
    iso.refresh_from_db()
    assert iso.cancelled
    assert set(
        RosterEntry.objects.filter(employee=cast.pegawai).values_list("mode", flat=True)
    ) == {"WFO"}
    assert "End early or cancel" not in text(client.get(f"/health/isolations/{iso.pk}/"))


def test_ending_without_a_fresh_reason_asks_for_it_and_comes_back(cast, browse):
    iso = isolate(cast.pegawai, start=d(20), end=d(31))
    response = browse(cast.kesehatan.user).post(
        f"/health/isolations/{iso.pk}/end/", {"cancel": "on"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/health/reason/?next=%2Fhealth%2Fisolations%2F{iso.pk}%2F"
    iso.refresh_from_db()
    assert not iso.cancelled


def test_recording_one_prefilled_from_a_case(cast, browse):
    patient = colleague(cast, "Kasus Pertama")
    case = confirmed_case(cast, patient)
    client = with_reason(browse(cast.kesehatan.user))
    form = client.get(f"/health/isolations/new/?employee={patient.pk}&case={case.pk}")
    assert form.status_code == 200
    page = text(form)
    assert patient.nip in page and 'value="confirmed" selected' in page
    response = client.post(
        "/health/isolations/new/",
        {
            "nip": patient.nip,
            "starts_on": "2026-08-19",
            "ends_on": "",
            "reason_kind": "confirmed",
            "note": "",
            "case": case.pk,
        },
    )
    assert response.status_code == 302
    iso = Isolation.objects.get()
    assert (iso.employee, iso.case, iso.ends_on) == (patient, case, d(19).replace(month=9, day=1))
    assert response["Location"] == f"/health/isolations/{iso.pk}/"


def test_recording_one_shows_the_problem_on_the_form(cast, browse):
    client = with_reason(browse(cast.kesehatan.user))
    unknown = client.post(
        "/health/isolations/new/",
        {"nip": "199001012020011001", "starts_on": "2026-08-19", "reason_kind": "symptoms"},
    )
    assert unknown.status_code == 400 and "Nobody in the agency has this NIP" in text(unknown)
    backwards = client.post(
        "/health/isolations/new/",
        {
            "nip": cast.peer.nip,
            "starts_on": "2026-08-26",
            "ends_on": "2026-08-20",
            "reason_kind": "symptoms",
        },
    )
    assert backwards.status_code == 400
    assert "The last day cannot be before the first day." in text(backwards)
    assert not Isolation.objects.exists()


def test_only_officers_record(cast, browse):
    assert browse(cast.pimpinan.user).get("/health/isolations/new/").status_code == 403
    assert browse(cast.pegawai.user).get("/health/isolations/new/").status_code == 403


def test_the_list_reads_the_same_number_of_queries_for_3_or_30(cast, browse):
    client = with_reason(browse(cast.kesehatan.user))
    client.get("/health/isolations/")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/health/isolations/").status_code == 200
        return len(queries)

    for _ in range(3):
        isolate(EmployeeFactory(unit=cast.setda))
    few = count()
    for _ in range(22):
        isolate(EmployeeFactory(unit=cast.setda))
    assert count() == few  # 25 rows a page: 3 vs a full page
