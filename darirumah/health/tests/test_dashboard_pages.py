"""The health dashboard page: cards, the per-OPD table and the timeline chart for everyone of the
agency without a name; "Show names" for the names-readers through the reason page, logged; bad
dates said on the filter form; a constant number of queries."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from darirumah.conftest import text
from darirumah.health.models import HealthAccessLog

from .test_dashboard_api import NAMES, crowd, outbreak  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
URL = "/health/"
WHY = "rekap mingguan satgas covid"


@pytest.fixture(autouse=True)
def _clock(clock, monkeypatch):
    return clock  # Wednesday 19 August 2026, 10:00 WIB


def figure(body: str, name: str, scope: str = "health-today") -> str:
    section = body[body.index(f'id="{scope}"') :]
    return re.search(rf'data-figure="{name}">([^<]*)<', section).group(1)


def chart(body: str) -> dict:
    data = re.search(
        r'<script id="health-timeline-data" type="application/json">(.*?)</script>', body
    )
    return json.loads(data.group(1))


def test_the_address_and_name():
    assert reverse("health-dashboard") == URL
    assert reverse("health-settings") == "/health/settings/"


def test_the_leadership_sees_counts_and_no_name(cast, browse, outbreak):  # noqa: F811
    response = browse(cast.pimpinan.user).get(URL)
    body = text(response)
    assert response.status_code == 200
    assert figure(body, "open") == "4" and figure(body, "confirmed") == "3"
    assert figure(body, "isolated") == "2"
    assert (figure(body, "offices_closed"), figure(body, "rooms_closed")) == ("1", "2")
    assert "Pusat Pemerintahan: the whole building, closed until 21 Aug 2026" in body
    dukcapil = body[body.index(f'data-unit="{cast.disdukcapil.pk}"') :]
    assert re.search(r'data-figure="confirmed">2<', dukcapil)
    spec = chart(body)
    assert spec["type"] == "line" and len(spec["labels"]) == 60
    assert [d["label"] for d in spec["datasets"]] == [
        "New confirmed cases",
        "Open cases",
        "People isolated",
        "Offices closed",
    ]
    assert spec["datasets"][1]["data"][-1] == 4
    assert "chart.umd.min.js" in body
    for name in NAMES:
        assert name not in body
    for person in outbreak.values():
        assert person.nip not in body
    assert "Seksi Uji" not in body and "Show names" not in body
    assert not HealthAccessLog.objects.exists()


def test_an_employee_sees_counts_and_links_to_their_own_record(cast, browse, outbreak):  # noqa: F811
    body = text(browse(cast.pegawai.user).get(URL, {"names": "1"}))
    assert figure(body, "open") == "4"
    assert not any(name in body for name in NAMES)
    assert reverse("health-my-record") in body
    assert 'href="/health/cases/"' not in body
    assert not HealthAccessLog.objects.exists()


def test_names_after_the_reason_for_the_health_officer(cast, browse, outbreak):  # noqa: F811
    client = browse(cast.kesehatan.user)
    plain = text(client.get(URL))
    assert "Show names" in plain and not any(name in plain for name in NAMES)
    assert 'href="/health/cases/"' in plain and reverse("health-access-log") in plain
    asked = client.get(URL, {"names": "1"})
    assert asked.status_code == 302 and asked["Location"].startswith(reverse("health-reason"))
    assert not HealthAccessLog.objects.exists()
    assert client.post(reverse("health-reason"), {"reason": WHY, "next": URL}).status_code == 302
    named = text(client.get(URL, {"names": "1"}))
    for name in ("Siti Aminah", "Budi Santoso", "Citra Lestari", "Eko Prasetyo", "Fajar Nugroho"):
        assert name in named
    assert "Dewi Anggraini" not in named  # recovered, not isolated
    assert outbreak["b"].nip in named and "Seksi Uji" in named
    assert reverse("health-case-detail", args=[outbreak["a"].health_cases.get().pk]) in named
    assert "Hide names" in named
    line = HealthAccessLog.objects.get()
    assert (line.user, line.action, line.subject, line.reason) == (
        cast.kesehatan.user,
        "list",
        "dashboard",
        WHY,
    )
    assert line.employees == sorted(outbreak[k].pk for k in ("a", "b", "c", "e", "f"))


def test_bkpsdm_staff_never_get_names(cast, browse, outbreak):  # noqa: F811
    response = browse(cast.bkpsdm.user).get(URL, {"names": "1"})
    assert response.status_code == 200
    assert not any(name in text(response) for name in NAMES)


def test_the_period_and_its_figures(cast, browse, outbreak):  # noqa: F811
    body = text(browse(cast.pimpinan.user).get(URL, {"start": "2026-08-14", "end": "2026-08-19"}))
    assert 'value="2026-08-14"' in body and 'value="2026-08-19"' in body
    rows = body[body.index('id="health-timeline"') :]
    day = rows[rows.index('data-day="2026-08-18"') :]
    assert re.search(r'data-figure="new_confirmed">1<', day)
    assert re.search(r'data-figure="closed_rooms">2<', day)
    assert "14 Aug 2026 – 19 Aug 2026: 2 confirmed, 1 recovered, 0 died." in body
    assert len(chart(body)["labels"]) == 6


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-08-19", "end": "2026-08-01"}, "The start must not be after the end."),
        ({"start": "2025-01-01", "end": "2026-08-19"}, "Choose a range of at most 366 days."),
        ({"start": "2026-02-30"}, "Enter a valid date."),
    ],
)
def test_bad_dates_are_said_on_the_form(cast, browse, params, message):
    response = browse(cast.pimpinan.user).get(URL, params)
    body = text(response)
    assert response.status_code == 400
    assert message in body and "Showing the last 60 days instead." in body
    assert 'value="2026-06-21"' in body and len(chart(body)["labels"]) == 60


def test_the_operator_picks_an_agency(cast, browse, outbreak):  # noqa: F811
    client = browse(cast.operator)
    picker = text(client.get(URL))
    assert "Pick an agency." in picker and cast.agency.name in picker
    body = text(client.get(URL, {"agency": cast.agency.pk}))
    assert figure(body, "open") == "4" and not any(name in body for name in NAMES)
    assert f'name="agency" value="{cast.agency.pk}"' in body


def test_the_other_agency_gets_404(cast, browse):
    assert browse(cast.outsider.user).get(URL, {"agency": cast.agency.pk}).status_code == 404
    assert browse(cast.outsider.user).get(URL).status_code == 200  # their own agency


def test_a_constant_number_of_queries(cast, browse):
    client = browse(cast.kesehatan.user)
    client.post(reverse("health-reason"), {"reason": WHY, "next": URL})

    def count() -> int:
        client.get(URL)  # warm up
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL, {"names": "1"})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    crowd(cast, 3)
    few = count()
    crowd(cast, 27)
    many = count()
    assert many == few, (few, many)
    assert "Orang 27-26" in text(client.get(URL, {"names": "1"}))
