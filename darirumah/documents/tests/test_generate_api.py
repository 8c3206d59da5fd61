"""Letters generated from the agency's data through the API: the circular, the month-end
evaluation, the daily recap, a discipline decision; numbered by the agency's formats."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from darirumah.conftest import client_for
from darirumah.documents.models import Document

from .docs_fixtures import active_circular

pytestmark = pytest.mark.django_db
P = "/api/v1/documents"


def _create(client, **body):
    return client.post(P, body, content_type="application/json")


def test_the_circular_letter_is_generated_signed_by_the_mayor_and_verifies(cast):
    circular = active_circular(cast, cast.disdukcapil)
    bkpsdm = client_for(cast.bkpsdm.user)
    made = _create(bkpsdm, kind="circular", circular=circular.pk, signers=[cast.pimpinan.user.pk])
    assert made.status_code == 201, made.content
    doc = made.json()
    assert doc["number"] == circular.number and doc["kind"] == "circular"
    again = _create(bkpsdm, kind="circular", circular=circular.pk, signers=[cast.pimpinan.user.pk])
    assert again.status_code == 409

    # Every employee of the agency reads the circular; the mayor signs it.
    assert client_for(cast.peer.user).get(f"{P}/{doc['id']}").status_code == 200
    mayor = client_for(cast.pimpinan.user)
    assert (
        mayor.post(f"{P}/{doc['id']}/sign", {}, content_type="application/json").status_code == 200
    )
    raw = b"".join(mayor.get(f"{P}/{doc['id']}/file").streaming_content)
    report = mayor.post(
        f"{P}/verify", {"file": SimpleUploadedFile("se.pdf", raw, "application/pdf")}
    ).json()
    assert report["verdict"] == "valid"
    assert report["signatures"][0]["signer_name"] == "Wali Kota Uji"
    assert report["document"]["number"] == circular.number
    # The stamp sits where the letter reserved it: on the letter's page, inside the box.
    stored = Document.objects.get(pk=doc["id"])
    assert stored.stamp_boxes and stored.stamp_boxes[0]["page"] >= 0


def test_a_unit_head_may_not_generate_the_circular(cast):
    circular = active_circular(cast, cast.disdukcapil)
    response = _create(
        client_for(cast.kepala.user),
        kind="circular",
        circular=circular.pk,
        signers=[cast.pimpinan.user.pk],
    )
    assert response.status_code == 403


def test_the_daily_recap_and_numbers_follow_the_agency_format(cast):
    bkpsdm = client_for(cast.bkpsdm.user)
    fmt = bkpsdm.put(
        f"{P}/formats/recap",
        {"pattern": "{seq}/REKAP/{agency}/{month_roman}/{year}", "code": ""},
        content_type="application/json",
    )
    assert fmt.status_code == 200, fmt.content
    bad = bkpsdm.put(
        f"{P}/formats/recap", {"pattern": "{nomor}/REKAP"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "pattern" in bad.json()["error"]["fields"]
    first = _create(bkpsdm, kind="recap", day="2026-11-20", signers=[cast.bkpsdm.user.pk])
    second = _create(bkpsdm, kind="recap", day="2026-11-20", signers=[cast.bkpsdm.user.pk])
    assert first.status_code == 201, first.content
    n1, n2 = first.json()["number"], second.json()["number"]
    assert n1.startswith("001/REKAP/SERANG-UJI/") and n2.startswith("002/REKAP/")


def test_the_month_end_evaluation_of_a_unit(cast):
    admin = client_for(cast.admin_opd.user)
    made = _create(
        admin,
        kind="evaluation",
        unit=cast.disdukcapil.pk,
        period="2026-10",
        signers=[cast.kepala.user.pk, cast.bkpsdm.user.pk],
    )
    assert made.status_code == 201, made.content
    assert made.json()["period"] == "2026-10"
    assert [s["name"] for s in made.json()["signers"]] == ["Kepala Dukcapil", "Petugas BKPSDM"]
    wrong = _create(
        admin,
        kind="evaluation",
        unit=cast.disdukcapil.pk,
        period="Oktober",
        signers=[cast.kepala.user.pk],
    )
    assert wrong.status_code == 400 and "period" in wrong.json()["error"]["fields"]
    outside = _create(
        admin,
        kind="evaluation",
        unit=cast.setda.pk,
        period="2026-10",
        signers=[cast.kepala.user.pk],
    )
    assert outside.status_code == 403


def test_a_discipline_decision_needs_a_decided_case(cast):
    from datetime import date

    from darirumah.performance.tests.factories import make_sanction

    case = make_sanction(cast.pegawai, "tpp_cut_6", date(2026, 12, 1), months=6)
    bkpsdm = client_for(cast.bkpsdm.user)
    made = _create(bkpsdm, kind="discipline", case=case.pk, signers=[cast.bkpsdm.user.pk])
    assert made.status_code == 201, made.content
    assert made.json()["employee_id"] == case.employee_id
    twice = _create(bkpsdm, kind="discipline", case=case.pk, signers=[cast.bkpsdm.user.pk])
    assert twice.status_code == 409
