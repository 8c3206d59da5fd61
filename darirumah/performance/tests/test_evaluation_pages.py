"""The evaluation pages: the head's month of the unit with its confirm forms and the send
button, the person's own months, one evaluation with its history, and BKPSDM's overview with
the run button."""

import json
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from darirumah.conftest import text
from darirumah.org.tests.factories import EmployeeFactory
from darirumah.performance.models import Evaluation, UnitEvaluation
from darirumah.performance.services.evaluation import evaluation_run

from .factories import evaluation_for

AUGUST = date(2026, 8, 1)
UNIT = reverse("performance-evaluation-unit")
OVERVIEW = reverse("performance-evaluation-overview")


@pytest.fixture
def august(cast, clock):
    """August run for the whole agency, seen on 1 September."""
    clock.set(2026, 9, 1, 3, 0)
    evaluation_run(agency=cast.agency, period=AUGUST)
    return {e.employee_id: e for e in Evaluation.objects.all()}


def unit_page(browse, user, unit, period="2026-08"):
    return browse(user).get(UNIT, {"unit": unit.pk, "period": period})


def confirm_url(evaluation):
    return reverse("performance-evaluation-confirm", args=[evaluation.pk])


def test_the_head_sees_the_units_month_with_a_form_per_person(cast, browse, august):
    response = unit_page(browse, cast.kepala.user, cast.disdukcapil)
    assert response.status_code == 200
    page = text(response)
    for name in ("Pegawai Pelayanan", "Atasan Pelayanan", "Admin Dukcapil", "Kepala Dukcapil"):
        assert name in page
    assert "Pegawai Setda" not in page
    forms = set(re.findall(r"/performance/evaluations/(\d+)/confirm/", page))
    expected = {str(august[p.pk].pk) for p in (cast.pegawai, cast.atasan, cast.admin_opd)}
    assert forms == expected  # not the kepala's own
    assert "3 evaluations still to confirm." in page
    assert "Send to BKPSDM" in page


def test_readers_see_the_table_without_forms(cast, browse, august):
    page = text(unit_page(browse, cast.bkpsdm.user, cast.disdukcapil))
    assert "Pegawai Pelayanan" in page and "/confirm/" not in page
    assert "Send to BKPSDM" not in page
    assert unit_page(browse, cast.atasan.user, cast.disdukcapil).status_code == 403


def test_adjusting_without_a_reason_shows_on_the_row(cast, browse, august):
    evaluation = august[cast.pegawai.pk]
    prefix = f"e{evaluation.pk}"
    response = browse(cast.kepala.user).post(
        confirm_url(evaluation), {f"{prefix}-rating": "sangat_baik", "unit": cast.disdukcapil.pk}
    )
    assert response.status_code == 400
    assert "Say why the rating differs from the computed one." in text(response)
    assert "is-invalid" in text(response)
    assert Evaluation.objects.get(pk=evaluation.pk).status == "computed"


def test_the_head_confirms_and_adjusts_from_the_page(cast, browse, august):
    evaluation = august[cast.pegawai.pk]
    client = browse(cast.kepala.user)
    response = client.post(
        confirm_url(evaluation),
        {
            f"e{evaluation.pk}-rating": "baik",
            f"e{evaluation.pk}-reason": "Layanan daring tetap berjalan",
            "unit": cast.disdukcapil.pk,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{UNIT}?unit={cast.disdukcapil.pk}&period=2026-08"
    saved = Evaluation.objects.get(pk=evaluation.pk)
    assert (saved.status, saved.final_rating) == ("confirmed", "baik")
    page = text(client.get(response["Location"]))
    assert "The evaluation of Pegawai Pelayanan is confirmed." in page
    assert "Layanan daring tetap berjalan" in page


def test_sending_waits_for_every_confirmation(cast, browse, august):
    summary = UnitEvaluation.objects.get(unit=cast.disdukcapil)
    client = browse(cast.kepala.user)
    send = reverse("performance-evaluation-send", args=[summary.pk])
    page = text(client.post(send, follow=True))
    assert "3 evaluations of the OPD are not confirmed yet" in page
    for person in (cast.pegawai, cast.atasan, cast.admin_opd):
        evaluation = august[person.pk]
        response = client.post(
            confirm_url(evaluation), {f"e{evaluation.pk}-rating": evaluation.rating}
        )
        assert response.status_code == 302
    page = text(client.post(send, follow=True))
    assert "The evaluation was sent to BKPSDM." in page
    assert UnitEvaluation.objects.get(pk=summary.pk).sent_at is not None
    assert "Send to BKPSDM again" in page


def test_the_unit_page_costs_the_same_for_3_and_30_people(cast, browse, clock):
    people = [EmployeeFactory(unit=cast.pelayanan, supervisor=cast.kepala) for _ in range(30)]

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert unit_page(browse, cast.kepala.user, cast.disdukcapil).status_code == 200
        return len(queries)

    for person in people[:3]:
        evaluation_for(person)
    few = count()
    for person in people[3:]:
        evaluation_for(person)
    assert count() == few


def test_the_person_sees_their_own_month(cast, browse, august):
    page = text(browse(cast.pegawai.user).get(reverse("performance-evaluation-mine")))
    assert "August 2026" in page
    assert 'id="evaluation-required">19<' in page  # August 2026 has 19 working days
    assert "Not confirmed yet" in page
    none = text(browse(cast.operator).get(reverse("performance-evaluation-mine")))
    assert "Your account has no employee record" in none


def test_one_evaluation_with_its_history(cast, browse, august):
    evaluation = august[cast.pegawai.pk]
    client = browse(cast.kepala.user)
    client.post(
        confirm_url(evaluation),
        {f"e{evaluation.pk}-rating": "kurang", f"e{evaluation.pk}-reason": "Laporan terlambat"},
    )
    url = reverse("performance-evaluation-detail", args=[evaluation.pk])
    page = text(browse(cast.pegawai.user).get(url))
    assert "Evaluation of Pegawai Pelayanan" in page
    assert "Laporan terlambat" in page and "Kepala Dukcapil" in page
    assert len(re.findall(r"<li class=\"border-bottom", page)) == 2  # computed, adjusted
    assert "/confirm/" not in page  # the person does not confirm their own
    assert 'action="/performance/evaluations/' in text(client.get(url))
    assert browse(cast.kesehatan.user).get(url).status_code == 404


def test_bkpsdm_overview_with_the_chart(cast, browse, august):
    response = browse(cast.bkpsdm.user).get(OVERVIEW, {"period": "2026-08"})
    assert response.status_code == 200
    page = text(response)
    for name in ("Sekretariat Daerah", "Dinas Kependudukan dan Pencatatan Sipil", "BKPSDM"):
        assert name in page
    data = json.loads(
        re.search(r'id="evaluation-chart-data" type="application/json">(.*?)</script>', page)[1]
    )
    assert len(data["labels"]) == 3
    assert [s["label"] for s in data["series"]][0] == "Sangat Baik"
    assert sum(sum(s["data"]) for s in data["series"]) == 8
    assert "Run the evaluation now" in page
    pimpinan = text(browse(cast.pimpinan.user).get(OVERVIEW, {"period": "2026-08"}))
    assert "Run the evaluation now" not in pimpinan
    kepala = text(browse(cast.kepala.user).get(OVERVIEW, {"period": "2026-08"}))
    assert "Dinas Kependudukan" in kepala and "Sekretariat Daerah" not in kepala
    assert browse(cast.pegawai.user).get(OVERVIEW).status_code == 403


def test_run_now(cast, browse, clock):
    clock.set(2026, 9, 1, 3, 0)
    client = browse(cast.bkpsdm.user)
    run = reverse("performance-evaluation-run")
    response = client.post(run, {"period": "2026-08", "agency": cast.agency.pk})
    assert response.status_code == 302
    assert Evaluation.objects.filter(period=AUGUST).count() == 8
    assert "August 2026 was evaluated for 8 employees." in text(client.get(response["Location"]))
    future = client.post(run, {"period": "2026-09", "agency": cast.agency.pk})
    assert future.status_code == 400
    assert "is evaluated from" in text(future)
    bad = client.post(run, {"period": "September", "agency": cast.agency.pk})
    assert bad.status_code == 400
    assert "Give the month as YYYY-MM" in text(bad)
    assert browse(cast.kepala.user).post(run, {"period": "2026-08"}).status_code == 403
