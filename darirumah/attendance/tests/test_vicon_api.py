"""The video-call and urgent-report endpoints and pages."""

import io
import json
from datetime import UTC, datetime

from PIL import Image

from darirumah.attendance.models import Incident, IncidentAttachment, ViconRoll, ViconSession
from darirumah.conftest import client_for, text
from darirumah.notify.models import Notification

DAY = "2026-08-19"


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_open_then_open_again(cast):
    client = client_for(cast.kepala.user)
    first = _post(client, "/api/v1/vicon/sessions", {"unit": cast.pelayanan.pk, "date": DAY})
    assert first.status_code == 201, first.content
    again = _post(client, "/api/v1/vicon/sessions", {"unit": cast.pelayanan.pk, "date": DAY})
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    starts = datetime.fromisoformat(first.json()["starts_at"])
    assert starts == datetime(2026, 8, 19, 7, 0, tzinfo=UTC)  # 14:00 WIB


def test_bad_input_is_a_json_error(cast):
    client = client_for(cast.kepala.user)
    holiday = _post(
        client, "/api/v1/vicon/sessions", {"unit": cast.pelayanan.pk, "date": "2026-08-17"}
    )
    assert holiday.status_code == 400
    assert "date" in holiday.json()["error"]["fields"]
    garbled = _post(client, "/api/v1/vicon/sessions", {"unit": "x", "date": "kemarin"})
    assert garbled.status_code == 422
    missing = _post(client, "/api/v1/vicon/sessions", {"unit": 999999, "date": DAY})
    assert missing.status_code == 404
    assert client.get("/api/v1/vicon/sessions/999999").status_code == 404
    assert client.get("/api/v1/vicon/sessions?date=besok").status_code == 422


def test_roll_call_and_detail(cast):
    client = client_for(cast.kepala.user)
    sid = _post(client, "/api/v1/vicon/sessions", {"unit": cast.pelayanan.pk, "date": DAY}).json()[
        "id"
    ]
    url = f"/api/v1/vicon/sessions/{sid}/roll-call"
    bad = _post(client, url, {"rows": [{"employee": cast.peer.pk, "status": "present"}]})
    assert bad.status_code == 400 and "rows.0" in bad.json()["error"]["fields"]
    assert _post(client, url, {"rows": "semua hadir"}).status_code == 422
    ok = _post(
        client,
        url,
        {"rows": [{"employee": cast.pegawai.pk, "status": "absent", "note": "tidak tersambung"}]},
    )
    assert ok.status_code == 200, ok.content
    roll = ok.json()["roll"]
    assert [(r["employee_id"], r["status"]) for r in roll] == [(cast.pegawai.pk, "absent")]
    seen = client_for(cast.pegawai.user).get(f"/api/v1/vicon/sessions/{sid}").json()
    assert seen["roll"][0]["note"] == "tidak tersambung"
    listed = client_for(cast.bkpsdm.user).get(f"/api/v1/vicon/sessions?date={DAY}").json()
    assert [s["id"] for s in listed] == [sid]
    assert client_for(cast.peer.user).get("/api/v1/vicon/sessions").json() == []


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "PNG")
    return out.getvalue()


def test_incident_multipart_list_and_acknowledge(cast):
    client = client_for(cast.admin_opd.user)
    photo = io.BytesIO(_png())
    photo.name = "genangan.png"
    created = client.post(
        "/api/v1/incidents",
        {
            "unit": cast.disdukcapil.pk,
            "category": "facility",
            "text": "Banjir di lantai 1",
            "files": [photo],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["attachments"][0]["name"] == "genangan.png"
    bad = io.BytesIO(b"#!/bin/sh\nrm -rf /")
    bad.name = "foto.jpg"
    refused = client.post(
        "/api/v1/incidents",
        {"unit": cast.disdukcapil.pk, "category": "facility", "text": "lagi", "files": [bad]},
    )
    assert refused.status_code == 400 and "files" in refused.json()["error"]["fields"]
    assert client.post("/api/v1/incidents", {"unit": "satu"}).status_code == 422
    assert Incident.objects.count() == 1 and IncidentAttachment.objects.count() == 1
    bkpsdm = client_for(cast.bkpsdm.user)
    assert [i["id"] for i in bkpsdm.get("/api/v1/incidents?open=true").json()] == [body["id"]]
    ack = bkpsdm.post(f"/api/v1/incidents/{body['id']}/acknowledge")
    assert ack.status_code == 200 and ack.json()["acknowledged_by_id"] == cast.bkpsdm.user_id
    assert bkpsdm.post(f"/api/v1/incidents/{body['id']}/acknowledge").status_code == 409
    assert bkpsdm.get("/api/v1/incidents?open=true").json() == []


# --- pages -----------------------------------------------------------------------------------


def test_roll_page_opens_on_post_and_saves_the_roll(cast, browse):
    client = browse(cast.kepala.user)
    url = f"/attendance/vicon/?unit={cast.pelayanan.pk}&date={DAY}"
    page = client.get(url)
    assert page.status_code == 200 and "Open the video call" in text(page)
    assert not ViconSession.objects.exists()  # a GET changes nothing
    data = {"unit": cast.pelayanan.pk, "date": DAY}
    opened = client.post("/attendance/vicon/", {**data, "action": "open"}, follow=True)
    assert "Join the video call" in text(opened)
    session = ViconSession.objects.get()
    assert session.link in text(opened) and "14:00 WIB" in text(opened)
    assert f'name="status-{cast.pegawai.pk}"' in text(opened)
    saved = client.post(
        "/attendance/vicon/",
        {
            **data,
            "action": "roll",
            f"status-{cast.pegawai.pk}": "present",
            f"status-{cast.atasan.pk}": "excused",
        },
        follow=True,
    )
    assert "Give the reason in the note." in text(saved)  # excused without a note: nothing saved
    assert not ViconRoll.objects.exists()
    client.post(
        "/attendance/vicon/",
        {
            **data,
            "action": "roll",
            f"status-{cast.pegawai.pk}": "present",
            f"status-{cast.atasan.pk}": "excused",
            f"note-{cast.atasan.pk}": "dinas luar",
        },
    )
    assert dict(ViconRoll.objects.values_list("employee_id", "status")) == {
        cast.pegawai.pk: "present",
        cast.atasan.pk: "excused",
    }


def test_roll_page_for_staff_shows_the_link_only(cast, browse):
    client = browse(cast.kepala.user)
    client.post("/attendance/vicon/", {"unit": cast.pelayanan.pk, "date": DAY, "action": "open"})
    page = browse(cast.pegawai.user).get(f"/attendance/vicon/?date={DAY}")
    assert page.status_code == 200
    assert ViconSession.objects.get().link in text(page)
    assert 'name="status-' not in text(page)
    assert (
        browse(cast.pegawai.user)
        .post(
            "/attendance/vicon/",
            {"unit": cast.pelayanan.pk, "date": "2026-08-20", "action": "open"},
        )
        .status_code
        == 403
    )


def test_roll_page_on_a_holiday_and_bad_date(cast, browse):
    client = browse(cast.kepala.user)
    page = client.get(f"/attendance/vicon/?unit={cast.pelayanan.pk}&date=2026-08-17")
    assert "Not a working day" in text(page)
    assert (
        client.get(f"/attendance/vicon/?unit={cast.pelayanan.pk}&date=bulan-depan").status_code
        == 200
    )
    assert client.get("/attendance/vicon/?unit=abc").status_code == 404


def test_incident_pages(cast, browse, django_capture_on_commit_callbacks):
    admin = browse(cast.admin_opd.user)
    form = admin.get("/attendance/incidents/new/")
    assert form.status_code == 200 and "Send to BKPSDM" in text(form)
    bad = io.BytesIO(b"plain text")
    bad.name = "laporan.pdf"
    refused = admin.post(
        "/attendance/incidents/new/",
        {
            "unit": cast.disdukcapil.pk,
            "category": "service",
            "text": "Aplikasi mati",
            "files": [bad],
        },
    )
    assert refused.status_code == 200 and "is not a PDF, JPEG, PNG or WebP file" in text(refused)
    with django_capture_on_commit_callbacks(execute=True):
        sent = admin.post(
            "/attendance/incidents/new/",
            {"unit": cast.disdukcapil.pk, "category": "service", "text": "Aplikasi mati"},
        )
    assert sent.status_code == 302
    incident = Incident.objects.get()
    assert (
        Notification.objects.filter(
            recipient=cast.bkpsdm.user, key=f"incident:{incident.pk}"
        ).count()
        == 1
    )
    older = Incident.objects.create(
        agency=cast.agency,
        unit=cast.setda,
        category="other",
        text="Laporan lama yang sudah dibaca",
        reported_by=cast.bkpsdm.user,
    )
    older.acknowledged_at = older.created_at
    older.save()
    bkpsdm = browse(cast.bkpsdm.user)
    page = text(bkpsdm.get("/attendance/incidents/"))
    assert page.index("Aplikasi mati") < page.index("Laporan lama")  # unacknowledged first
    assert "Acknowledge" in page
    assert "Laporan lama" not in text(admin.get("/attendance/incidents/"))  # another unit
    bkpsdm.post(f"/attendance/incidents/{incident.pk}/acknowledge/")
    incident.refresh_from_db()
    assert incident.acknowledged_by == cast.bkpsdm.user
