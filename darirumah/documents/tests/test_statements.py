"""Statement letters at scale (R25): putting a circular in force gives every employee it covers a
letter to sign in one tap; the head sees who has not signed; each signed letter verifies."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from darirumah.conftest import client_for
from darirumah.documents.models import Document, Kind
from darirumah.notify.models import Notification
from darirumah.org.tests.factories import EmployeeFactory

from .docs_fixtures import active_circular

pytestmark = pytest.mark.django_db
P = "/api/v1/documents"
STAFF = 40


def _activate(cast, django_capture_on_commit_callbacks, *units):
    """A draft covering the units, put in force through the API as pimpinan."""
    from darirumah.core.calendar import calendar_for

    today = calendar_for(cast.agency).today()
    client = client_for(cast.pimpinan.user)
    made = client.post(
        "/api/v1/policies",
        {
            "number": "800/77/SE/2026",
            "title": "Sistem kerja ASN selama pandemi",
            "issuer_name": "Wali Kota Uji",
            "issuer_position": "Wali Kota",
            "starts_on": (today.replace(day=1) if today.day > 1 else today).isoformat(),
            "units": [u.pk for u in units],
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    circular_id = made.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        activated = client.post(
            f"/api/v1/policies/{circular_id}/activate", {}, content_type="application/json"
        )
    assert activated.status_code == 200, activated.content
    return circular_id


def test_activation_makes_a_letter_for_everyone_covered_and_the_head_sees_who_has_not_signed(
    cast, django_capture_on_commit_callbacks
):
    staff = [EmployeeFactory(unit=cast.pelayanan) for _ in range(STAFF)]
    circular_id = _activate(cast, django_capture_on_commit_callbacks, cast.disdukcapil)
    covered = [cast.kepala, cast.atasan, cast.pegawai, cast.admin_opd, *staff]
    letters = Document.objects.filter(circular_id=circular_id, kind=Kind.STATEMENT)
    assert letters.count() == len(covered)
    assert set(letters.values_list("employee_id", flat=True)) == {e.pk for e in covered}
    numbers = list(letters.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    # Everyone was told, once, with a link to their letters.
    told = Notification.objects.filter(kind="documents.statement")
    assert told.count() == len(covered)

    # The employee finds it in their inbox and signs in one tap.
    pegawai = client_for(cast.pegawai.user)
    inbox = pegawai.get(f"{P}/inbox").json()
    assert [d["kind"] for d in inbox["items"]] == ["statement"]
    letter_id = inbox["items"][0]["id"]
    signed = pegawai.post(f"{P}/{letter_id}/sign", {}, content_type="application/json")
    assert signed.status_code == 200 and signed.json()["status"] == "signed"

    # The head of Disdukcapil sees who has not signed.
    head = client_for(cast.kepala.user)
    rows = head.get(
        f"{P}/statements", {"circular": circular_id, "status": "unsigned", "page_size": 200}
    ).json()
    assert rows["counts"] == {
        "total": len(covered),
        "signed": 1,
        "pending": len(covered) - 1,
        "missing": 0,
    }
    assert cast.pegawai.pk not in {r["employee_id"] for r in rows["items"]}
    assert len(rows["items"]) == len(covered) - 1
    # An employee sees only themself.
    mine = pegawai.get(f"{P}/statements", {"circular": circular_id}).json()
    assert [r["employee_id"] for r in mine["items"]] == [cast.pegawai.pk]
    assert mine["items"][0]["status"] == "signed"

    # The signed letter verifies and is in the register.
    raw = b"".join(pegawai.get(f"{P}/{letter_id}/file").streaming_content)
    report = (
        client_for(cast.peer.user)
        .post(f"{P}/verify", {"file": SimpleUploadedFile("sp.pdf", raw, "application/pdf")})
        .json()
    )
    assert report["verdict"] == "valid", report
    assert report["signatures"][0]["signer_name"] == cast.pegawai.name
    assert report["document"]["kind"] == "statement"


def test_making_letters_twice_adds_only_the_missing_ones(cast):
    circular = active_circular(cast, cast.pelayanan)
    bkpsdm = client_for(cast.bkpsdm.user)
    first = bkpsdm.post(
        f"{P}/statements", {"circular": circular.pk}, content_type="application/json"
    )
    assert first.json()["created"] == 2  # atasan and pegawai
    newcomer = EmployeeFactory(unit=cast.pelayanan)
    again = bkpsdm.post(
        f"{P}/statements", {"circular": circular.pk}, content_type="application/json"
    )
    assert again.json()["created"] == 1
    assert Document.objects.filter(circular=circular, employee=newcomer).count() == 1


def test_a_head_cannot_make_letters_and_a_draft_gets_none(cast):
    from darirumah.policy.models import Circular

    circular = active_circular(cast, cast.pelayanan)
    head = client_for(cast.kepala.user)
    refused = head.post(
        f"{P}/statements", {"circular": circular.pk}, content_type="application/json"
    )
    assert refused.status_code == 403
    Circular.objects.filter(pk=circular.pk).update(status=Circular.Status.DRAFT)
    draft = client_for(cast.bkpsdm.user).post(
        f"{P}/statements", {"circular": circular.pk}, content_type="application/json"
    )
    assert draft.status_code == 400 and draft.json()["error"]["code"] == "not_in_force"
