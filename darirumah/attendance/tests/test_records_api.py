"""GET /attendance, POST /attendance/manual, POST /attendance/{id}/excuse."""

from datetime import UTC, date, datetime

import pytest

from darirumah.attendance.models import Attendance
from darirumah.attendance.services.records import attendance_mark_absent
from darirumah.conftest import client_for

DAY = date(2026, 8, 18)
P = "/api/v1/attendance"


def manual(client, body):
    return client.post(f"{P}/manual", body, content_type="application/json")


def test_manual_entry_and_list(cast):
    Attendance.objects.create(
        employee=cast.atasan,
        date=DAY,
        status="late",
        source="self",
        minutes_late=5,
        check_in_at=datetime(2026, 8, 18, 0, 36, tzinfo=UTC),
    )
    admin = client_for(cast.admin_opd.user)
    response = manual(
        admin,
        {
            "unit": cast.pelayanan.pk,
            "date": "2026-08-18",
            "rows": [
                {"employee": cast.pegawai.pk, "status": "absent", "reason": "sakit"},
                {"employee": cast.atasan.pk, "status": "present"},
            ],
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["updated"]) == (1, 0)
    assert body["skipped"] == [
        {
            "employee": cast.atasan.pk,
            "message": "Atasan Pelayanan checked in themself at 07:36; left as it is.",
        }
    ]

    listed = admin.get(P, {"unit": cast.pelayanan.pk, "date": "2026-08-18"}).json()
    assert listed["count"] == 2
    by_name = {r["employee_name"]: r for r in listed["items"]}
    assert by_name["Pegawai Pelayanan"]["status"] == "absent"
    assert by_name["Atasan Pelayanan"]["check_in_at"] == "2026-08-18T07:36:00+07:00"


def test_list_is_scoped(cast):
    attendance_mark_absent(agency=cast.agency, day=DAY)
    mine = client_for(cast.pegawai.user).get(P).json()
    assert [r["employee_id"] for r in mine["items"]] == [cast.pegawai.pk]
    team = client_for(cast.atasan.user).get(P, {"date": "2026-08-18"}).json()
    assert {r["employee_id"] for r in team["items"]} == {cast.atasan.pk, cast.pegawai.pk}
    assert client_for(cast.outsider.user).get(P).json()["count"] == 0
    response = client_for(cast.outsider.user).get(P, {"unit": cast.pelayanan.pk})
    assert response.status_code == 404
    page = client_for(cast.bkpsdm.user).get(P, {"page_size": 2}).json()
    assert page["count"] > 2 and len(page["items"]) == 2


def test_manual_errors_are_json_per_row(cast):
    admin = client_for(cast.admin_opd.user)
    response = manual(
        admin,
        {
            "unit": cast.pelayanan.pk,
            "date": "2026-08-18",
            "rows": [{"employee": cast.peer.pk, "status": "absent"}],
        },
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert "rows.0" in error["fields"] and "Nothing was saved" in error["message"]
    assert (
        manual(admin, {"unit": cast.pelayanan.pk, "date": "kemarin", "rows": []}).status_code == 422
    )
    holiday = {
        "unit": cast.pelayanan.pk,
        "date": "2026-08-17",
        "rows": [{"employee": 1, "status": "x"}],
    }
    assert manual(admin, holiday).json()["error"]["code"] == "not_working_day"
    bad_json = admin.post(f"{P}/manual", "{", content_type="application/json")
    assert bad_json.status_code == 400
    assert not Attendance.objects.exists()


def test_excuse_multipart(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    attendance_mark_absent(agency=cast.agency, day=DAY)
    record = Attendance.objects.get(employee=cast.pegawai, date=DAY)
    admin = client_for(cast.admin_opd.user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("surat.pdf", b"just text", content_type="application/pdf")
    refused = admin.post(f"{P}/{record.pk}/excuse", {"reason": "sakit", "evidence": fake})
    assert refused.status_code == 400
    assert "evidence" in refused.json()["error"]["fields"]
    good = SimpleUploadedFile("x.bin", b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"0" * 32)
    response = admin.post(f"{P}/{record.pk}/excuse", {"reason": "sakit", "evidence": good})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["has_evidence"]) == ("excused", True)
    missing = admin.post(f"{P}/{record.pk}/excuse", {})
    assert missing.status_code == 422


@pytest.mark.parametrize("role", ["atasan", "pimpinan"])
def test_excuse_forbidden_to_readers(cast, role):
    attendance_mark_absent(agency=cast.agency, day=DAY)
    record = Attendance.objects.get(employee=cast.pegawai, date=DAY)
    client = client_for(getattr(cast, role).user)
    assert client.post(f"{P}/{record.pk}/excuse", {"reason": "x"}).status_code == 403
    outsider = client_for(cast.outsider_bkpsdm.user)
    assert outsider.post(f"{P}/{record.pk}/excuse", {"reason": "x"}).status_code == 404
