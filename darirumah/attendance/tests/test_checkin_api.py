"""The check-in API (multipart) and the mobile check-in page."""

from __future__ import annotations

import pytest
from django.test import TestCase
from django.urls import reverse

from darirumah.attendance.models import Attendance
from darirumah.conftest import client_for, text
from darirumah.org.models import AgencyDay

from .checkin_helpers import HOME, OFFICE, image_bytes, plan, upload

pytestmark = pytest.mark.django_db
URL_IN = "/api/v1/attendance/check-in"
URL_OUT = "/api/v1/attendance/check-out"


def post_in(client, **data):
    data.setdefault("photo", upload())
    return client.post(URL_IN, data=data)


def test_check_in_returns_the_record_with_local_times(pegawai, media, clock):
    plan(pegawai, "WFO")
    clock.set(2026, 8, 19, 0, 42, 5)  # 07:42:05 WIB
    client = client_for(pegawai.user)
    response = post_in(client, latitude=str(OFFICE[0]), longitude=str(OFFICE[1]), accuracy="12")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "late" and body["minutes_late"] == 12
    assert body["place"] == "inside" and body["distance_m"] == 0.0
    assert body["expected_mode"] == "WFO" and body["area"] == "office"
    assert body["check_in_at"].startswith("2026-08-19T07:42:05")
    assert body["check_in_at"].endswith("+07:00")
    assert body["deadline"] == "07:30" and body["created"] is True
    again = post_in(client)
    assert again.status_code == 200
    assert again.json()["id"] == body["id"] and again.json()["created"] is False


def test_check_in_without_location_is_unknown(pegawai, media, clock):
    plan(pegawai, "WFH")
    response = post_in(client_for(pegawai.user), latitude="", longitude="", accuracy="")
    assert response.status_code == 201
    assert response.json()["place"] == "unknown"
    assert response.json()["notes"]


@pytest.mark.parametrize(
    ("data", "code", "field"),
    [
        ({"latitude": "utara", "longitude": "106"}, "invalid", "latitude"),
        ({"latitude": "-6.1", "longitude": "999"}, "invalid", "longitude"),
        ({"photo": upload(b"%PDF-1.4 not a photo", "a.jpg")}, "photo_type", "photo"),
        ({"photo": upload(b"hello", "a.jpg", "text/plain")}, "photo_type", "photo"),
    ],
)
def test_bad_input_is_a_clear_400(pegawai, media, clock, data, code, field):
    response = post_in(client_for(pegawai.user), **data)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == code and field in error["fields"]
    assert not Attendance.objects.exists()


def test_missing_photo_is_a_400(pegawai, media, clock):
    response = client_for(pegawai.user).post(URL_IN, data={"latitude": "-6.1"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] in ("photo_required", "invalid")
    response = client_for(pegawai.user).post(URL_IN, data={})
    assert response.json()["error"]["code"] == "photo_required"


def test_json_body_is_not_a_500(pegawai, media, clock):
    response = client_for(pegawai.user).post(URL_IN, data="{}", content_type="application/json")
    assert 400 <= response.status_code < 500


def test_outside_refused_names_the_distance(cast, pegawai, media, clock):
    from .test_checkin import with_rules

    with_rules(cast.agency, outside_checkin="refuse")
    plan(pegawai, "WFO")
    response = post_in(
        client_for(pegawai.user), latitude=str(HOME[0]), longitude=str(HOME[1]), accuracy="10"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "outside_area" and " m from the office" in error["message"]


def test_manual_record_is_a_409(pegawai, media, clock):
    Attendance.objects.create(
        employee=pegawai, date="2026-08-19", status="excused", source="manual"
    )
    response = post_in(client_for(pegawai.user))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "manual_record"


def test_day_off_is_a_400(pegawai, media, clock):
    clock.set(2026, 8, 17, 1, 0)
    response = post_in(client_for(pegawai.user))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "not_working_day"


def test_check_out(pegawai, media, clock):
    client = client_for(pegawai.user)
    assert client.post(URL_OUT, data={}).status_code == 409
    post_in(client)
    clock.set(2026, 8, 19, 9, 5)
    response = client.post(URL_OUT, data={"latitude": str(HOME[0]), "longitude": str(HOME[1])})
    assert response.status_code == 201
    assert response.json()["check_out_at"].startswith("2026-08-19T16:05:00")
    assert client.post(URL_OUT, data={}).status_code == 200


def test_operator_without_employee_is_refused(cast, media, clock):
    response = post_in(client_for(cast.operator))
    assert response.status_code == 403
    assert "no employee record" in response.json()["error"]["message"]


# --- the page ---------------------------------------------------------------------------------


def test_page_shows_mode_deadline_and_the_button(browse, pegawai, media, clock):
    plan(pegawai, "WFH")
    response = browse(pegawai.user).get(reverse("checkin"))
    assert response.status_code == 200
    html = text(response)
    assert "At home (WFH)" in html
    assert "Check in by 07:30" in html
    assert 'capture="user"' in html and 'accept="image/*"' in html
    assert 'name="latitude"' in html and "js/checkin.js" in html
    assert 'value="check-in"' in html


def test_page_check_in_then_result_then_check_out(browse, pegawai, media, clock):
    plan(pegawai, "WFO")
    clock.set(2026, 8, 19, 0, 35)  # 07:35 WIB
    client = browse(pegawai.user)
    url = reverse("checkin")
    response = client.post(
        url,
        {
            "action": "check-in",
            "latitude": str(OFFICE[0]),
            "longitude": str(OFFICE[1]),
            "accuracy": "10",
            "photo": upload(),
        },
        follow=True,
    )
    assert response.status_code == 200
    html = text(response)
    assert "You are checked in." in html
    assert "Late 5 minutes" in html and "Inside the area" in html
    assert 'value="check-out"' in html
    clock.set(2026, 8, 19, 9, 0)
    response = client.post(url, {"action": "check-out"}, follow=True)
    html = text(response)
    assert "Checked out at 16:00:00" in html
    assert 'value="check-out"' not in html
    record = Attendance.objects.get()
    assert record.check_out_place == "unknown"


def test_page_without_location_or_js_still_checks_in(browse, pegawai, media, clock):
    response = browse(pegawai.user).post(
        reverse("checkin"),
        {"action": "check-in", "latitude": "", "longitude": "", "accuracy": "", "photo": upload()},
        follow=True,
    )
    assert "Location unknown" in text(response)
    assert "On time" in text(response)


def test_page_shows_refusals_as_form_messages(browse, pegawai, media, clock):
    bad = upload(b"%PDF-1.4 not an image", "selfie.jpg")
    response = browse(pegawai.user).post(reverse("checkin"), {"action": "check-in", "photo": bad})
    assert response.status_code == 400
    assert "must be a JPEG, PNG or WebP image" in text(response)
    assert not Attendance.objects.exists()


def test_page_for_someone_without_an_employee_record(browse, cast, media, clock):
    client = browse(cast.operator)
    response = client.get(reverse("checkin"))
    assert response.status_code == 200
    assert "no employee record" in text(response)
    response = client.post(reverse("checkin"), {"action": "check-in"})
    assert response.status_code == 400
    assert "no employee record" in text(response)


def test_page_on_a_day_off(browse, pegawai, media, clock):
    clock.set(2026, 8, 17, 1, 0)
    html = text(browse(pegawai.user).get(reverse("checkin")))
    assert "Not a working day" in html and 'value="check-in"' not in html


def test_png_photo_through_the_page(browse, pegawai, media, clock):
    png = image_bytes("PNG", (1500, 500), exif=False)
    with TestCase.captureOnCommitCallbacks(execute=True) as jobs:
        browse(pegawai.user).post(
            reverse("checkin"), {"action": "check-in", "photo": upload(png, "x.jpg")}
        )
    assert len(jobs) == 1  # the photo job, queued once the record committed
    record = Attendance.objects.get()
    assert record.photo.name.endswith(".jpg") and record.photo_incoming == ""
    assert not list(media.rglob("*.upload"))  # the upload as sent is gone


def test_calendar_changes_reach_the_next_check_in(pegawai, media, clock):
    """The check-in keeps each agency's calendar between requests; a day declared off, or
    declared worked again, is seen by the very next check-in."""
    clock.set(2026, 8, 19, 0, 20)
    client = client_for(pegawai.user)
    # A check-out before any check-in reads (and keeps) the day: a working day, nothing to close.
    assert client.post(URL_OUT, data={}).json()["error"]["code"] == "not_checked_in"
    day = AgencyDay.objects.create(
        agency=pegawai.agency, date="2026-08-19", kind="off", name="Libur daerah"
    )
    refused = post_in(client)
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "not_working_day"
    day.kind = AgencyDay.Kind.ON
    day.save()
    assert post_in(client).status_code == 201
