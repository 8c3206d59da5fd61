"""The evaluation endpoints: who reads which months, the run, the head's confirmation with its
reason rule, and the OPD summary sent to BKPSDM."""

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from darirumah.conftest import client_for
from darirumah.notify.models import Notification
from darirumah.org.tests.factories import EmployeeFactory
from darirumah.performance.models import Evaluation, UnitEvaluation

from .factories import evaluation_for

P = "/api/v1/evaluations"
AUGUST = date(2026, 8, 1)


@pytest.fixture
def september(clock):
    clock.set(2026, 9, 1, 3, 0)
    return clock


def get(user, url, **query):
    return client_for(user).get(url, query)


def post(user, url, body=None):
    return client_for(user).post(url, json.dumps(body or {}), content_type="application/json")


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["employee_name"] for row in response.json()["items"]}


@pytest.fixture
def month(cast):
    """August evaluated for the pegawai, the atasan, the kepala and the peer."""
    return {
        who: evaluation_for(getattr(cast, who)) for who in ("pegawai", "atasan", "kepala", "peer")
    }


# --- reading --------------------------------------------------------------------------------------


def test_each_role_reads_its_own_scope(cast, month):
    assert names(get(cast.pegawai.user, P)) == {"Pegawai Pelayanan"}
    assert names(get(cast.atasan.user, P)) == {"Atasan Pelayanan", "Pegawai Pelayanan"}
    dukcapil = {"Atasan Pelayanan", "Pegawai Pelayanan", "Kepala Dukcapil"}
    assert names(get(cast.kepala.user, P)) == dukcapil
    assert names(get(cast.admin_opd.user, P)) == dukcapil
    assert names(get(cast.bkpsdm.user, P)) == dukcapil | {"Pegawai Setda"}
    assert names(get(cast.kesehatan.user, P)) == set()
    assert names(get(cast.outsider_bkpsdm.user, P)) == set()


def test_filters_and_the_figures(cast, month):
    evaluation_for(cast.pegawai, period=date(2026, 7, 1))
    response = get(cast.bkpsdm.user, P, period="2026-08", unit=cast.pelayanan.pk)
    assert names(response) == {"Atasan Pelayanan", "Pegawai Pelayanan"}
    rows = get(cast.bkpsdm.user, P, employee=cast.pegawai.pk).json()["items"]
    assert [r["period"] for r in rows] == ["2026-08", "2026-07"]
    assert rows[0]["score"] == "80.00" and rows[0]["figures"] == {}
    detail = get(cast.pegawai.user, f"{P}/{month['pegawai'].pk}").json()
    assert detail["final_rating"] == "baik" and detail["status"] == "computed"
    assert get(cast.kesehatan.user, f"{P}/{month['pegawai'].pk}").status_code == 404


@pytest.mark.parametrize("period", ["2026-13", "agustus", "2026-8", "0000-01"])
def test_a_bad_month_is_a_422_naming_the_field(cast, period):
    response = get(cast.bkpsdm.user, P, period=period)
    assert response.status_code == 422
    assert "period" in response.json()["error"]["fields"]


def test_the_list_costs_the_same_for_3_and_30_people(cast):
    def count() -> int:
        client = client_for(cast.bkpsdm.user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(P, {"period": "2026-08", "page_size": 50}).status_code == 200
        return len(queries)

    people = [EmployeeFactory(unit=cast.pelayanan) for _ in range(30)]
    for person in people[:3]:
        evaluation_for(person)
    Evaluation.objects.update(confirmed_by=cast.kepala.user)  # each row names its confirmer
    few = count()
    for person in people[3:]:
        evaluation_for(person)
    Evaluation.objects.update(confirmed_by=cast.kepala.user)
    assert count() == few


# --- the run --------------------------------------------------------------------------------------


def test_bkpsdm_runs_the_month(cast, september):
    response = post(cast.bkpsdm.user, f"{P}/run", {"period": "2026-08"})
    assert response.status_code == 200, response.content
    assert response.json()["employees"] == 8
    assert Evaluation.objects.filter(agency=cast.agency, period=AUGUST).count() == 8
    assert UnitEvaluation.objects.filter(agency=cast.agency).count() == 3


def test_the_run_refuses(cast, september):
    assert post(cast.pimpinan.user, f"{P}/run", {"period": "2026-08"}).status_code == 403
    future = post(cast.bkpsdm.user, f"{P}/run", {"period": "2026-10"})
    assert future.status_code == 400
    assert future.json()["error"]["code"] == "period_not_started"
    assert post(cast.bkpsdm.user, f"{P}/run", {"period": "2026/08"}).status_code == 422
    no_agency = post(cast.operator, f"{P}/run", {"period": "2026-08"})
    assert no_agency.status_code == 400 and "agency" in no_agency.json()["error"]["fields"]
    body = {"period": "2026-08", "agency": cast.agency.pk}
    assert post(cast.outsider_bkpsdm.user, f"{P}/run", body).status_code == 404
    assert post(cast.operator, f"{P}/run", body).status_code == 200


# --- the head's confirmation ----------------------------------------------------------------------


def confirm(user, evaluation, **body):
    return post(user, f"{P}/{evaluation.pk}/confirm", body)


def test_the_head_confirms_the_computed_rating_and_the_person_is_told(
    cast, month, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(cast.kepala.user, month["pegawai"])
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["final_rating"], body["adjust_reason"]) == (
        "confirmed",
        "baik",
        "",
    )
    assert body["confirmed_by_name"] == "Kepala Dukcapil"
    notice = Notification.objects.get(recipient=cast.pegawai.user)
    assert notice.kind == "performance.evaluation_confirmed"
    assert f"/performance/evaluations/{month['pegawai'].pk}/" == notice.link


def test_adjusting_needs_a_reason(cast, month):
    refused = confirm(cast.kepala.user, month["pegawai"], rating="sangat_baik")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "reason_required"
    assert "reason" in refused.json()["error"]["fields"]
    assert Evaluation.objects.get(pk=month["pegawai"].pk).status == "computed"
    reason = "Menyelesaikan antrean KTP-el saat WFH"
    done = confirm(cast.kepala.user, month["pegawai"], rating="sangat_baik", reason=reason)
    assert done.status_code == 200
    assert (done.json()["rating"], done.json()["final_rating"]) == ("baik", "sangat_baik")
    assert done.json()["adjust_reason"] == reason


def test_a_confirmed_rating_changes_again_only_with_a_reason(cast, month):
    evaluation = month["pegawai"]
    assert confirm(cast.kepala.user, evaluation).status_code == 200
    again = confirm(cast.kepala.user, evaluation, rating="kurang")
    assert again.status_code == 400 and again.json()["error"]["code"] == "reason_required"
    same = confirm(cast.kepala.user, evaluation, reason="")
    assert same.status_code == 400
    changed = confirm(cast.kepala.user, evaluation, rating="kurang", reason="Target tidak dikirim")
    assert changed.status_code == 200
    trail = list(
        Evaluation.objects.get(pk=evaluation.pk)
        .history.order_by("history_date", "history_id")
        .values_list("status", "final_rating", "adjust_reason")
    )
    assert trail == [
        ("computed", "baik", ""),
        ("confirmed", "baik", ""),
        ("confirmed", "kurang", "Target tidak dikirim"),
    ]
    unchanged = confirm(
        cast.kepala.user, evaluation, rating="kurang", reason="Target tidak dikirim"
    )
    assert unchanged.status_code == 409


def test_who_may_not_confirm(cast, month):
    assert confirm(cast.atasan.user, month["pegawai"]).status_code == 403  # supervisor, not head
    assert confirm(cast.pegawai.user, month["pegawai"]).status_code == 403  # never oneself
    assert confirm(cast.kepala.user, month["kepala"]).status_code == 403
    assert confirm(cast.bkpsdm.user, month["pegawai"]).status_code == 403
    assert confirm(cast.kesehatan.user, month["pegawai"]).status_code == 404
    assert confirm(cast.kepala.user, month["peer"]).status_code == 404  # not in the OPD
    bad = confirm(cast.kepala.user, month["pegawai"], rating="istimewa")
    assert bad.status_code == 422


def test_the_supervisor_of_a_head_confirms_the_heads_month(cast, month):
    cast.kepala.supervisor = cast.pimpinan
    cast.kepala.save()
    assert confirm(cast.pimpinan.user, month["kepala"]).status_code == 200
    assert confirm(cast.pimpinan.user, month["pegawai"]).status_code == 403


# --- the OPD summary ----------------------------------------------------------------------------


def test_the_summaries_each_role_reads(cast, september):
    post(cast.bkpsdm.user, f"{P}/run", {"period": "2026-08"})

    def units(user):
        response = get(user, f"{P}/units", period="2026-08")
        assert response.status_code == 200
        return {row["unit_name"] for row in response.json()["items"]}

    everything = {"Sekretariat Daerah", "Dinas Kependudukan dan Pencatatan Sipil", "BKPSDM"}
    assert units(cast.bkpsdm.user) == units(cast.pimpinan.user) == everything
    assert units(cast.kepala.user) == {"Dinas Kependudukan dan Pencatatan Sipil"}
    assert units(cast.pegawai.user) == units(cast.atasan.user) == set()
    assert get(cast.bkpsdm.user, f"{P}/units", period="08-2026").status_code == 422


def test_the_head_sends_once_every_evaluation_is_confirmed(
    cast, september, django_capture_on_commit_callbacks
):
    post(cast.bkpsdm.user, f"{P}/run", {"period": "2026-08"})
    summary = UnitEvaluation.objects.get(unit=cast.disdukcapil)
    url = f"{P}/units/{summary.pk}/send"
    refused = post(cast.kepala.user, url)
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "unconfirmed"
    # The admin, the atasan and the pegawai; the kepala's own is confirmed above the OPD.
    assert refused.json()["error"]["message"].startswith("3 evaluations of the OPD")
    assert post(cast.admin_opd.user, url).status_code == 403
    for who in ("admin_opd", "atasan", "pegawai"):
        evaluation = Evaluation.objects.get(employee=getattr(cast, who))
        assert confirm(cast.kepala.user, evaluation).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        sent = post(cast.kepala.user, url)
    assert sent.status_code == 200, sent.content
    assert sent.json()["sent_at"] is not None
    assert sent.json()["figures"]["confirmed"] == 3
    assert sent.json()["sent_by_name"] == "Kepala Dukcapil"
    notice = Notification.objects.get(kind="performance.unit_evaluation_sent")
    assert notice.recipient == cast.bkpsdm.user


def test_a_confirmation_updates_the_summary(cast, september):
    post(cast.bkpsdm.user, f"{P}/run", {"period": "2026-08"})
    evaluation = Evaluation.objects.get(employee=cast.pegawai)
    confirm(cast.kepala.user, evaluation, rating="baik", reason="Bekerja dari rumah dengan baik")
    figures = UnitEvaluation.objects.get(unit=cast.disdukcapil).figures
    assert figures["ratings"]["baik"] == 1 and figures["confirmed"] == 1
