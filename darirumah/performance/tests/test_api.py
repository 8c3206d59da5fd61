"""The performance endpoints end to end: targets, daily reports, evidence, review, missing."""

from datetime import date
from decimal import Decimal

import pytest

from darirumah.conftest import client_for
from darirumah.performance.models import DailyReport, Target
from darirumah.policy.models import Circular

from .factories import DAY, PDF, TargetFactory, image_bytes, make_report, upload

P = "/api/v1"
TARGET = {
    "indicator": "Dokumen KTP-el terverifikasi",
    "quantity": "120",
    "unit_of_measure": "dokumen",
    "quality_measure": "Tanpa kesalahan data",
    "deadline": "2026-08-28",
    "weight": "25",
    "month": "2026-08",
}
ITEM = {"activity": "Verifikasi berkas", "output_quantity": "12.5", "minutes_spent": 180}


def post(client, path, body):
    return client.post(f"{P}{path}", body, content_type="application/json")


# --- targets -----------------------------------------------------------------------------------


def test_a_supervisor_gives_a_target_for_a_month(cast):
    response = post(
        client_for(cast.atasan.user), "/targets", {**TARGET, "employee": cast.pegawai.pk}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["count"] == 1 and body["batch"] is None
    target = body["targets"][0]
    assert target["employee_name"] == "Pegawai Pelayanan"
    assert (target["period_start"], target["period_end"]) == ("2026-08-01", "2026-08-31")
    assert Decimal(target["quantity"]) == 120 and Decimal(target["weight"]) == 25
    assert target["assigned_by_name"] == "Atasan Pelayanan"

    mine = client_for(cast.pegawai.user).get(f"{P}/targets").json()
    assert mine["count"] == 1 and mine["items"][0]["indicator"] == TARGET["indicator"]
    assert client_for(cast.peer.user).get(f"{P}/targets").json()["count"] == 0


def test_the_head_gives_a_unit_a_target_for_the_wfh_period(cast):
    circular = Circular.objects.create(
        agency=cast.agency,
        number="800/123/2026",
        title="WFH Balaikota",
        issuer_name="Wali Kota",
        issuer_position="Wali Kota",
        starts_on=date(2026, 8, 18),
        ends_on=date(2026, 8, 21),
        status="active",
    )
    body = {**TARGET, "unit": cast.pelayanan.pk, "circular": circular.pk, "deadline": "2026-08-21"}
    body.pop("month")
    response = post(client_for(cast.kepala.user), "/targets", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["count"] == 2 and created["batch"]
    assert {t["employee_name"] for t in created["targets"]} == {
        "Pegawai Pelayanan",
        "Atasan Pelayanan",
    }
    listed = client_for(cast.kepala.user).get(f"{P}/targets", {"batch": created["batch"]}).json()
    assert listed["count"] == 2
    assert all(t["period_start"] == "2026-08-18" for t in listed["items"])


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"period_start": "2026-08-01", "period_end": "2026-08-31"}, 400, "invalid"),  # twice
        ({"month": None}, 400, "invalid"),  # no period
        ({"month": "2026-13"}, 422, "invalid"),
        ({"weight": "101"}, 400, "invalid"),
        ({"deadline": "2026-09-01"}, 400, "invalid"),
        ({"unit": 1}, 400, "invalid"),  # both employee and unit
    ],
)
def test_bad_targets_are_refused(cast, changes, status, code):
    body = {**TARGET, "employee": cast.pegawai.pk, **changes}
    body = {k: v for k, v in body.items() if v is not None}
    response = post(client_for(cast.atasan.user), "/targets", body)
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code
    assert not Target.objects.exists()


def test_over_100_percent_is_refused_with_a_clear_message(cast):
    TargetFactory(employee=cast.pegawai, weight=90)
    response = post(
        client_for(cast.atasan.user), "/targets", {**TARGET, "employee": cast.pegawai.pk}
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "weight_over"
    assert "would weigh 115% in this period, over 100%" in error["message"]


def test_a_target_is_cancelled(cast):
    target = TargetFactory(employee=cast.pegawai)
    response = client_for(cast.atasan.user).post(f"{P}/targets/{target.pk}/cancel")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    again = client_for(cast.atasan.user).post(f"{P}/targets/{target.pk}/cancel")
    assert again.status_code == 409


# --- daily reports -----------------------------------------------------------------------------


def test_write_submit_review_and_lock(cast, clock, media):
    target = TargetFactory(employee=cast.pegawai)
    me = client_for(cast.pegawai.user)
    created = post(
        me, "/daily-reports", {"date": "2026-08-19", "items": [{**ITEM, "target": target.pk}]}
    )
    assert created.status_code == 201, created.content
    report = created.json()
    assert report["status"] == "draft" and report["total_minutes"] == 180
    item = report["items"][0]
    assert item["target_indicator"] == target.indicator
    assert item["output_quantity"] == "12.50"

    # Evidence: a photo and a PDF, by multipart.
    url = f"{P}/daily-reports/{report['id']}/items/{item['id']}/evidence"
    photo = me.post(url, {"file": upload("foto.png", image_bytes("PNG"))})
    assert photo.status_code == 201, photo.content
    assert photo.json()["kind"] == "photo"
    document = me.post(url, {"file": upload("surat.jpg", PDF)})
    assert document.json()["kind"] == "pdf"
    wrong = me.post(url, {"file": upload("catatan.pdf", b"hello")})
    assert wrong.status_code == 400
    assert wrong.json()["error"]["fields"]["file"]

    # Saving again with the item's id keeps its files.
    again = post(
        me, "/daily-reports", {"date": "2026-08-19", "items": [{**ITEM, "id": item["id"]}]}
    )
    assert again.status_code == 200
    assert len(again.json()["items"][0]["evidence"]) == 2

    # The supervisor downloads the PDF.
    boss = client_for(cast.atasan.user)
    download = boss.get(document.json()["url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF

    sent = me.post(f"{P}/daily-reports/{report['id']}/submit")
    assert sent.status_code == 200 and sent.json()["status"] == "submitted"
    assert sent.json()["late"] is False
    assert sent.json()["submitted_at"].endswith("+07:00")  # the agency's offset

    returned = post(boss, f"/daily-reports/{report['id']}/review", {"decision": "return"})
    assert returned.status_code == 400
    assert returned.json()["error"]["fields"] == {"comment": ["Required."]}
    approved = post(boss, f"/daily-reports/{report['id']}/review", {"decision": "approve"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["reviewed_by_name"] == "Atasan Pelayanan"

    locked = post(me, "/daily-reports", {"date": "2026-08-19", "items": [ITEM]})
    assert locked.status_code == 409 and locked.json()["error"]["code"] == "locked"
    evidence_id = again.json()["items"][0]["evidence"][0]["id"]
    removed = me.delete(f"{P}/daily-reports/{report['id']}/evidence/{evidence_id}")
    assert removed.status_code == 409


def test_the_evidence_of_a_draft_can_be_removed(cast, clock, media):
    me = client_for(cast.pegawai.user)
    report = post(me, "/daily-reports", {"date": "2026-08-19", "items": [ITEM]}).json()
    url = f"{P}/daily-reports/{report['id']}/items/{report['items'][0]['id']}/evidence"
    evidence = me.post(url, {"file": upload("surat.pdf", PDF)}).json()
    removed = me.delete(f"{P}/daily-reports/{report['id']}/evidence/{evidence['id']}")
    assert removed.status_code == 204
    gone = me.get(f"{P}/daily-reports/{report['id']}/evidence/{evidence['id']}")
    assert gone.status_code == 404


def test_a_future_day_is_refused(cast, clock):
    response = post(
        client_for(cast.pegawai.user), "/daily-reports", {"date": "2026-08-20", "items": [ITEM]}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "future_day"


def test_reports_are_listed_within_scope(cast, clock):
    make_report(cast.pegawai)
    make_report(cast.peer)
    make_report(cast.outsider)
    listed = client_for(cast.atasan.user).get(f"{P}/daily-reports", {"date": "2026-08-19"}).json()
    assert [r["employee_name"] for r in listed["items"]] == ["Pegawai Pelayanan"]
    bkpsdm = client_for(cast.bkpsdm.user).get(f"{P}/daily-reports").json()
    assert bkpsdm["count"] == 2
    other = make_report(cast.outsider, day=date(2026, 8, 18))
    assert client_for(cast.bkpsdm.user).get(f"{P}/daily-reports/{other.pk}").status_code == 404


def test_the_head_lists_missing_and_late_reports(cast, clock):
    make_report(cast.pegawai, status=DailyReport.Status.SUBMITTED, late=True)
    clock.set(2026, 8, 19, 10, 0)  # 17:00 WIB
    response = client_for(cast.kepala.user).get(
        f"{P}/daily-reports/missing", {"unit": cast.pelayanan.pk, "date": DAY.isoformat()}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["working_day"] and body["deadline_passed"]
    assert body["deadline"].startswith("2026-08-19T16:00:00+07:00")
    assert (body["missing_count"], body["late_count"]) == (1, 1)
    rows = {r["employee_name"]: r for r in body["rows"]}
    assert rows["Atasan Pelayanan"]["missing"] and rows["Atasan Pelayanan"]["status"] == "none"
    assert rows["Pegawai Pelayanan"]["late"] and not rows["Pegawai Pelayanan"]["missing"]

    denied = client_for(cast.pegawai.user).get(
        f"{P}/daily-reports/missing", {"unit": cast.pelayanan.pk, "date": DAY.isoformat()}
    )
    assert denied.status_code == 403
