"""The effectiveness review page: the mayor's answer, the OPD table and chart, the decision form
with its errors, and the summary card on the circular's page."""

import json
import re

import pytest
from django.urls import reverse

from darirumah.conftest import text
from darirumah.performance.tests.factories import Clock
from darirumah.policy.models import Circular, EffectivenessDecision
from darirumah.policy.tests.test_effectiveness import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def serang(cast):
    return build(cast)  # the hand-computed scenario of test_effectiveness.py


@pytest.fixture
def on_day3(monkeypatch):
    return Clock(monkeypatch, 2020, 3, 23, 3, 0)  # Monday 23 March 2020, 10:00 WIB


def page_url(circular):
    return reverse("circular_effectiveness", kwargs={"pk": circular.pk})


def decision_url(circular):
    return reverse("circular_decision", kwargs={"pk": circular.pk})


def chart(page: str) -> dict:
    match = re.search(
        r'<script id="review-chart-data" type="application/json">(.*?)</script>', page
    )
    assert match, "no chart data"
    return json.loads(match.group(1))


def test_on_the_third_working_day_the_mayor_reads_yes_and_what_to_adjust(browse, cast, serang):
    page = text(
        browse(cast.pimpinan.user).get(page_url(serang.circular), {"through": "2020-03-23"})
    )
    assert 'data-answer="yes"' in page
    assert "Is WFH working?" in page
    assert "WFH staff did 80% of their daily tasks" in page
    assert 'data-recommendation="adjust"' in page
    assert "Continue, but adjust these OPDs</strong>: Dinas Kependudukan" in page
    dukcapil = re.search(rf'<tr data-unit="{cast.disdukcapil.pk}"[^>]*>', page).group(0)
    assert 'data-verdict="not_effective"' in dukcapil and "table-danger" in dukcapil
    assert "77.8%" in page and "-22.2%" in page
    data = chart(page)
    assert [s["key"] for s in data["series"]] == ["wfh", "wfo", "checkin", "vicon"]
    assert data["series"][0]["data"] == [100.0, 80.0, 60.0]
    assert data["threshold"] == 80.0
    assert 'id="decision-form"' in page


def test_before_the_due_day_it_is_too_early(browse, cast, serang):
    page = text(
        browse(cast.pimpinan.user).get(page_url(serang.circular), {"through": "2020-03-20"})
    )
    assert 'data-answer="too_early"' in page
    assert "Too early to say" in page and "Provisional" in page
    assert "The review is due on Monday, 23 March 2020." in page


def test_a_unit_head_reads_but_does_not_decide(browse, cast, serang):
    response = browse(cast.kepala.user).get(page_url(serang.circular), {"through": "2020-03-23"})
    assert response.status_code == 200
    assert 'id="decision-form"' not in text(response)
    refused = browse(cast.kepala.user).post(
        decision_url(serang.circular), {"decision": "continue", "note": "x"}
    )
    assert refused.status_code == 403
    assert browse(cast.pegawai.user).get(page_url(serang.circular)).status_code == 403


def test_a_bad_date_falls_back_to_today_with_a_message(browse, cast, serang, on_day3):
    response = browse(cast.pimpinan.user).get(page_url(serang.circular), {"through": "kemarin"})
    assert response.status_code == 200
    assert "kemarin is not a date; showing today." in text(response)


def test_form_errors_are_shown_on_the_form(browse, cast, serang, on_day3):
    client = browse(cast.pimpinan.user)
    response = client.post(decision_url(serang.circular), {"decision": "adjust", "note": "x"})
    assert response.status_code == 200
    page = text(response)
    assert "Choose the units to adjust." in page
    assert 'id="id_units_error"' in page
    missing = client.post(decision_url(serang.circular), {"decision": "continue"})
    assert 'id="id_note_error"' in text(missing)
    assert not EffectivenessDecision.objects.exists()


def test_withdrawing_from_the_page(browse, cast, serang, on_day3):
    client = browse(cast.pimpinan.user)
    response = client.post(
        decision_url(serang.circular), {"decision": "withdraw", "note": "Tugas tidak terlaksana"}
    )
    assert response.status_code == 302
    assert response["Location"] == page_url(serang.circular)
    assert Circular.objects.get(pk=serang.circular.pk).status == Circular.Status.WITHDRAWN
    page = text(client.get(response["Location"]))
    assert "Decision on circular" in page and 'data-decision="withdraw"' in page
    assert "Tugas tidak terlaksana" in page
    assert 'id="decision-form"' not in page  # the circular is closed


def test_the_circular_page_loads_the_answer_card(browse, cast, serang, on_day3):
    client = browse(cast.pimpinan.user)
    detail = text(client.get(reverse("circular_detail", kwargs={"pk": serang.circular.pk})))
    assert f'hx-get="{page_url(serang.circular)}"' in detail
    card = client.get(page_url(serang.circular), HTTP_HX_REQUEST="true")
    assert "HX-Request" in card["Vary"]
    assert "<html" not in text(card)
    assert 'data-answer="yes"' in text(card)
    assert "Open the effectiveness review" in text(card)
    staff_view = browse(cast.pegawai.user).get(
        reverse("circular_detail", kwargs={"pk": serang.circular.pk})
    )
    assert page_url(serang.circular) not in text(staff_view)
