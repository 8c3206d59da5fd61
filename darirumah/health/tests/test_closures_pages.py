"""The closure pages: the list for everyone of the agency, the form prefilled from the cluster
verdict, the closure with its rooms, disinfections and staff sent home, reopening and
recording a disinfection with the service's refusal on the form."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from darirumah.conftest import text
from darirumah.health.models import Closure, Disinfection, HealthAccessLog
from darirumah.org.tests.factories import EmployeeFactory, OfficeFactory, RoomFactory, UnitFactory
from darirumah.roster.models import RosterEntry

pytestmark = pytest.mark.django_db
WHY = "2 pegawai terkonfirmasi positif"


@pytest.fixture(autouse=True)
def _clock(clock, monkeypatch):
    return clock  # Wednesday 19 August 2026, 10:00 WIB


def url(name, *args):
    return reverse(name, args=args)


def closure(cast, office=None, starts=date(2026, 8, 19), ends=date(2026, 8, 21)):
    office = office or cast.office
    return Closure.objects.create(
        agency=office.agency,
        office=office,
        starts_on=starts,
        ends_on=ends,
        reason="disinfeksi gedung",
        closed_at=datetime(2026, 8, 19, 3, 0, tzinfo=UTC),
    )


def test_everyone_of_the_agency_sees_the_closures(cast, browse):
    shut = closure(cast)
    closure(cast, office=OfficeFactory(agency=cast.other_agency, name="Balai Kota Batu"))
    body = text(browse(cast.pegawai.user).get(url("health-closures")))
    assert "Pusat Pemerintahan" in body and "Balai Kota Batu" not in body
    assert url("health-closure-detail", shut.pk) in body and "1 closure" in body
    assert url("health-closure-new") not in body  # not for an employee
    officer = text(browse(cast.kesehatan.user).get(url("health-closures")))
    assert url("health-closure-new") in officer
    assert browse(cast.operator).get(url("health-closures")).status_code == 404
    assert (
        browse(cast.operator).get(url("health-closures"), {"agency": cast.agency.pk}).status_code
        == 200
    )


def test_the_list_costs_the_same_queries_for_many_closures(cast, browse):
    def make(n):
        for _ in range(n):
            office = OfficeFactory(agency=cast.agency)
            shut = closure(cast, office=office)
            room = RoomFactory(office=office)
            shut.rooms.set([room])
            Disinfection.objects.create(
                closure=shut, room=room, performed_at=shut.closed_at, team="Tim", agent="Klorin"
            )

    client = browse(cast.pegawai.user)

    def count():
        client.get(url("health-closures"))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("health-closures")).status_code == 200
        return len(queries)

    make(3)
    few = count()
    make(20)  # 23 on one page of 25
    assert count() == few


def test_the_form_is_prefilled_and_closes_the_building(cast, browse):
    unit = UnitFactory(agency=cast.agency, office=cast.office, kind="bagian")
    clerk = EmployeeFactory(unit=unit)
    client = browse(cast.kesehatan.user)
    query = {"office": cast.office.pk, "start": "2026-08-24", "end": "2026-08-28"}
    page = text(client.get(url("health-closure-new"), query))
    assert 'value="2026-08-24"' in page and 'value="2026-08-28"' in page
    assert f'<option value="{cast.office.pk}" selected>' in page
    assert "Ruang Rapat" in page

    response = client.post(
        url("health-closure-new"),
        {
            "office": cast.office.pk,
            "starts_on": "2026-08-24",
            "ends_on": "2026-08-28",
            "reason": WHY,
        },
    )
    shut = Closure.objects.get()
    assert response.status_code == 302 and response["Location"] == url(
        "health-closure-detail", shut.pk
    )
    assert RosterEntry.objects.filter(employee=clerk, mode="WFH").count() == 4
    assert HealthAccessLog.objects.get().subject == f"closure:{shut.pk}"
    detail = text(client.get(response["Location"]))
    assert "closed: 3 staff work from home on the closed days" in detail
    assert "3 people work from home on the closed working days" in detail


def test_a_refused_closure_shows_the_message_on_the_form(cast, browse):
    closure(cast, starts=date(2026, 8, 24), ends=date(2026, 8, 28))
    response = browse(cast.kesehatan.user).post(
        url("health-closure-new"),
        {
            "office": cast.office.pk,
            "starts_on": "2026-08-26",
            "ends_on": "2026-08-31",
            "reason": WHY,
        },
    )
    assert response.status_code == 400
    assert "already has a closure" in text(response)
    bad = browse(cast.kesehatan.user).post(
        url("health-closure-new"),
        {
            "office": cast.office.pk,
            "starts_on": "2026-09-01",
            "ends_on": "2026-08-31",
            "reason": WHY,
        },
    )
    assert bad.status_code == 400 and "The last closed day comes before the first." in text(bad)
    assert Closure.objects.count() == 1


def test_the_detail_shows_forms_to_the_officer_only(cast, browse):
    shut = closure(cast)
    staff = text(browse(cast.pegawai.user).get(url("health-closure-detail", shut.pk)))
    assert "Ruang Rapat" in staff and "not yet" in staff
    assert url("health-disinfection-add", shut.pk) not in staff
    assert url("health-closure-reopen", shut.pk) not in staff
    officer = text(browse(cast.kesehatan.user).get(url("health-closure-detail", shut.pk)))
    assert url("health-disinfection-add", shut.pk) in officer
    assert url("health-closure-reopen", shut.pk) in officer
    assert browse(cast.outsider.user).get(url("health-closure-detail", shut.pk)).status_code == 404


def test_a_disinfection_too_early_is_refused_on_the_form_then_recorded(cast, browse, clock):
    shut = closure(cast)
    room = cast.office.rooms.get()
    clock.set(2026, 8, 20, 5, 0)  # Thursday 12:00 WIB
    client = browse(cast.kesehatan.user)
    values = {"room": room.pk, "team": "Tim BPBD", "agent": "Klorin 0,5%"}
    early = client.post(
        url("health-disinfection-add", shut.pk), {**values, "performed_at": "2026-08-20T09:30"}
    )
    assert early.status_code == 400
    assert "the earliest allowed is 20 August 2026 10:00 WIB" in text(early)
    assert not Disinfection.objects.exists()
    done = client.post(
        url("health-disinfection-add", shut.pk), {**values, "performed_at": "2026-08-20T10:00"}
    )
    assert done.status_code == 302
    row = Disinfection.objects.get()
    assert row.performed_at == datetime(2026, 8, 20, 3, 0, tzinfo=UTC)
    page = text(client.get(url("health-closure-detail", shut.pk)))
    assert "20 Aug 2026, 10:00" in page and "Tim BPBD" in page


def test_reopening_from_the_page(cast, browse):
    shut = closure(cast, starts=date(2026, 8, 19), ends=date(2026, 8, 28))
    client = browse(cast.kesehatan.user)
    bad = client.post(
        url("health-closure-reopen", shut.pk), {"on": "2026-09-30", "reason": "dibuka"}
    )
    assert bad.status_code == 400 and "already ends on" in text(bad)
    done = client.post(
        url("health-closure-reopen", shut.pk), {"on": "2026-08-24", "reason": "disinfeksi selesai"}
    )
    assert done.status_code == 302
    shut.refresh_from_db()
    assert shut.ends_on == date(2026, 8, 23) and shut.reopened_at is not None
    assert (
        browse(cast.pimpinan.user)
        .post(url("health-closure-reopen", shut.pk), {"on": "2026-08-20", "reason": "dibuka"})
        .status_code
        == 403
    )
