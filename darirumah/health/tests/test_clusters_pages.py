"""The cluster page: the form, the verdict with its evidence for the overview roles as
"Case 1, Case 2…", names only after the reason for those who read names, and the link to
prepare the suggested closure."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from darirumah.attendance.models import Attendance
from darirumah.conftest import text
from darirumah.health.models import HealthAccessLog, HealthCase
from darirumah.org.tests.factories import EmployeeFactory, UnitFactory

pytestmark = pytest.mark.django_db
WHY = "penyelidikan klaster kantor"
URL = "/health/clusters/"


@pytest.fixture(autouse=True)
def _clock(clock, monkeypatch):
    return clock  # Wednesday 19 August 2026, 10:00 WIB


@pytest.fixture
def cluster(cast):
    unit = UnitFactory(agency=cast.agency, office=cast.office, kind="bagian")
    people = [EmployeeFactory(unit=unit, name=n) for n in ("Siti Aminah", "Budi Santoso")]
    for person, onset, place in zip(people, (10, 13), ("office", "unknown"), strict=True):
        HealthCase.objects.create(
            agency=cast.agency,
            employee=person,
            status="confirmed",
            symptom_onset=date(2026, 8, onset),
            confirmed_on=date(2026, 8, onset) + timedelta(days=1),
            likely_place=place,
        )
        Attendance.objects.create(
            employee=person, date=date(2026, 8, 6), expected_mode="", status="late", source="self"
        )
    return people


def query(cast, **extra):
    return {"office": cast.office.pk, "start": "2026-08-01", "end": "2026-08-19", **extra}


def test_the_form_alone_with_the_last_four_weeks(cast, browse):
    body = text(browse(cast.pimpinan.user).get(URL))
    assert 'value="2026-07-23"' in body and 'value="2026-08-19"' in body
    assert "Workplace cluster" not in body


def test_the_leadership_sees_the_verdict_without_names(cast, browse, cluster):
    response = browse(cast.pimpinan.user).get(URL, query(cast))
    body = text(response)
    assert response.status_code == 200
    assert "Workplace cluster" in body and "Case 1" in body and "Case 2" in body
    assert "Siti Aminah" not in body and "Budi Santoso" not in body
    assert "2 confirmed cases among the staff of Pusat Pemerintahan" in body
    assert "Suggested: close Pusat Pemerintahan for 5 working days" in body
    prepared = reverse("health-closure-new") + f"?office={cast.office.pk}&amp;start=2026-08-19"
    assert prepared not in body  # only the health officers close offices
    assert "Show the names" not in body
    assert not HealthAccessLog.objects.exists()


def test_names_after_the_reason_for_those_who_read_them(cast, browse, cluster):
    client = browse(cast.kesehatan.user)
    anonymous = text(client.get(URL, query(cast)))
    assert "Case 1" in anonymous and "Siti Aminah" not in anonymous
    assert "Show the names" in anonymous
    prepared = reverse("health-closure-new") + f"?office={cast.office.pk}&amp;start=2026-08-19"
    assert prepared + "&amp;end=2026-08-26" in anonymous
    asked = client.get(URL, query(cast, names="1"))
    assert asked.status_code == 302 and asked["Location"].startswith(reverse("health-reason"))
    assert client.post(reverse("health-reason"), {"reason": WHY, "next": "/"}).status_code == 302
    named = text(client.get(URL, query(cast, names="1")))
    assert "Siti Aminah" in named and "Budi Santoso" in named
    assert "Hide the names" in named
    line = HealthAccessLog.objects.get()
    assert (line.action, line.subject, line.reason) == ("view", f"cluster:{cast.office.pk}", WHY)
    assert line.employees == sorted(p.pk for p in cluster)


def test_names_are_never_shown_to_bkpsdm_staff(cast, browse, cluster):
    body = text(browse(cast.bkpsdm.user).get(URL, query(cast, names="1")))
    assert "Case 1" in body and "Siti Aminah" not in body


def test_bad_input_is_shown_on_the_form(cast, browse):
    response = browse(cast.pimpinan.user).get(
        URL, query(cast, start="2026-08-19", end="2026-08-01")
    )
    assert response.status_code == 400
    assert "The first day comes after the last day." in text(response)
    long = browse(cast.pimpinan.user).get(URL, query(cast, start="2024-01-01"))
    assert long.status_code == 400 and "366 days at most" in text(long)


def test_who_may_open_it(cast, browse):
    assert browse(cast.pegawai.user).get(URL).status_code == 403
    assert browse(cast.pegawai.user).get(URL, query(cast)).status_code == 403
    assert browse(cast.outsider_bkpsdm.user).get(URL, query(cast)).status_code == 404
    assert browse(cast.operator).get(URL, query(cast)).status_code == 200
