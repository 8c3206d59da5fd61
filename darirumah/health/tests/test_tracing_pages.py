"""The contacts page of a case: asked for the reason first, the ranked list with its badges and
days, marking close contacts with a start and a length, and the access log."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from darirumah.conftest import text
from darirumah.health.models import CloseContact, HealthAccessLog, Isolation
from darirumah.org.tests.factories import RoomFactory

from .test_tracing_trace import REASON, colleague, confirmed_case, d, on_site


@pytest.fixture(autouse=True)
def _clock(clock):
    return clock  # Wednesday 19 August 2026, 10:00 WIB


def with_reason(client):
    client.post("/health/reason/", {"reason": REASON, "next": "/"})
    return client


@pytest.fixture
def scene(cast):
    room = RoomFactory(office=cast.office, name="Ruang Arsip")
    patient = colleague(cast, "Kasus Pertama", room=room)
    on_site(patient, d(10), d(11))
    mate = colleague(cast, "Rekan Seruangan", unit=cast.bkpsdm_unit, room=room)
    on_site(mate, d(10), d(11))
    unit = colleague(cast, "Rekan Seunit")
    on_site(unit, d(11))
    return {"case": confirmed_case(cast, patient), "mate": mate, "unit": unit}


def url(case) -> str:
    return f"/health/cases/{case.pk}/contacts/"


def test_the_reason_comes_first(cast, browse, scene):
    response = browse(cast.kesehatan.user).get(url(scene["case"]))
    assert response.status_code == 302
    assert response["Location"].startswith("/health/reason/?next=")
    assert not HealthAccessLog.objects.exists()


def test_the_ranked_list_with_badges_and_days(cast, browse, scene):
    client = with_reason(browse(cast.kesehatan.user))
    response = client.get(url(scene["case"]))
    assert response.status_code == 200
    page = text(response)
    assert page.index("Rekan Seruangan") < page.index("Rekan Seunit")
    assert "Same room" in page and "Same unit" in page and "Ruang Arsip" in page
    assert "Mark as close contacts" in page
    assert 'name="employees"' in page
    line = HealthAccessLog.objects.get()
    assert (line.action, line.reason) == ("trace", REASON)


def test_marking_from_the_page(cast, browse, scene):
    client = with_reason(browse(cast.kesehatan.user))
    response = client.post(
        url(scene["case"]),
        {"employees": [scene["mate"].pk], "starts_on": "2026-08-20", "days": "7"},
    )
    assert response.status_code == 302
    iso = Isolation.objects.get(employee=scene["mate"])
    assert (iso.starts_on, iso.ends_on, iso.reason) == (d(20), d(26), "contact")
    assert CloseContact.objects.get().group == "room"
    page = text(client.get(url(scene["case"])))
    assert "1 close contact marked: in isolation and told." in page
    assert "Close contact" in page


def test_marking_nobody_or_bad_days_shows_the_problem(cast, browse, scene):
    client = with_reason(browse(cast.kesehatan.user))
    nobody = client.post(url(scene["case"]), {"starts_on": "", "days": "14"})
    assert nobody.status_code == 400
    assert "Tick at least one colleague" in text(nobody)
    past = client.post(
        url(scene["case"]),
        {"employees": [scene["mate"].pk], "starts_on": "2026-08-01", "days": "14"},
    )
    assert past.status_code == 400
    assert "at most 14 days ago" in text(past)
    assert not Isolation.objects.exists()


def test_a_case_not_confirmed_says_so(cast, browse):
    case = confirmed_case(cast, colleague(cast, "Masih Suspek"), status="suspect")
    response = with_reason(browse(cast.kesehatan.user)).get(url(case))
    assert response.status_code == 409
    assert "confirmed cases only" in text(response)


def test_others_may_not_open_it(cast, browse, scene):
    assert browse(cast.pimpinan.user).get(url(scene["case"])).status_code == 403
    assert browse(cast.outsider_bkpsdm.user).get(url(scene["case"])).status_code == 404


def test_the_page_reads_the_same_number_of_queries_for_3_or_30_colleagues(cast, browse, scene):
    client = with_reason(browse(cast.kesehatan.user))
    client.get(url(scene["case"]))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(scene["case"])).status_code == 200
        return len(queries)

    few = count()
    for i in range(28):
        on_site(colleague(cast, f"Rekan {i}"), d(10))
    assert count() == few
