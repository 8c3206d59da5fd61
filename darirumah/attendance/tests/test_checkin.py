"""The own check-in and check-out service: lateness in the agency's zone, the geofence, the
circular's rules, one record per day, manual records, and the photo."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from django.core.files.storage import default_storage
from django.test import TestCase
from PIL import Image

from darirumah.attendance.models import Attendance
from darirumah.attendance.services.checkin import checkin_record, checkout_record
from darirumah.core.errors import Conflict, DomainError, NotAllowed
from darirumah.org.access import access_for
from darirumah.policy.models import Circular
from darirumah.policy.rules import RuleSet
from darirumah.policy.tests.factories import make_circular

from .checkin_helpers import DAY, HOME, OFFICE, image_bytes, plan, upload

pytestmark = pytest.mark.django_db


def check_in(employee, lat=None, lon=None, acc=None, photo=None):
    """A check-in as a request makes it: the photo job runs when the record commits (Huey runs
    tasks at once under pytest)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = checkin_record(
            access=access_for(employee.user),
            latitude=lat,
            longitude=lon,
            accuracy=acc,
            photo=photo if photo is not None else upload(),
        )
    result.record.refresh_from_db()
    return result


def check_out(employee, lat=None, lon=None, acc=None):
    return checkout_record(
        access=access_for(employee.user), latitude=lat, longitude=lon, accuracy=acc
    )


def with_rules(agency, **rules):
    circular = make_circular(agency, status=Circular.Status.ACTIVE, starts_on=DAY, ends_on=DAY)
    version = circular.versions.get()
    version.rules = RuleSet(**rules).model_dump(mode="json")
    version.save()
    return circular


# --- lateness ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("utc", "status", "late"),
    [
        ((2026, 8, 19, 0, 30, 59), "present", 0),  # 07:30:59 WIB
        ((2026, 8, 19, 0, 31, 0), "late", 1),  # 07:31:00 WIB
        ((2026, 8, 19, 1, 15, 0), "late", 45),  # 08:15 WIB
        ((2026, 8, 18, 23, 55, 0), "present", 0),  # 06:55 WIB
    ],
)
def test_lateness_in_wib(pegawai, media, clock, utc, status, late):
    clock.set(*utc)
    result = check_in(pegawai)
    assert result.created
    assert (result.record.status, result.record.minutes_late) == (status, late)
    assert result.record.date == DAY


def test_lateness_in_wit_uses_the_agency_zone(cast, pegawai, media, clock):
    cast.agency.zone = "WIT"
    cast.agency.save()
    clock.set(2026, 8, 18, 22, 31, 0)  # 07:31 WIT on the 19th, still the 18th in UTC
    record = check_in(pegawai).record
    assert (record.date, record.status, record.minutes_late) == (DAY, "late", 1)
    clock_wib = datetime(2026, 8, 18, 22, 31, tzinfo=UTC)  # 05:31 WIB, for comparison
    assert record.check_in_at == clock_wib


def test_wit_on_time_at_the_same_instant_that_is_late_in_wib(cast, pegawai, media, clock):
    clock.set(2026, 8, 18, 22, 30, 59)  # 07:30:59 WIT
    cast.agency.zone = "WIT"
    cast.agency.save()
    assert check_in(pegawai).record.status == "present"


def test_the_circulars_deadline_decides(cast, pegawai, media, clock):
    from datetime import time

    with_rules(cast.agency, checkin_deadline=time(8, 0))
    clock.set(2026, 8, 19, 0, 45, 0)  # 07:45 WIB
    assert check_in(pegawai).record.status == "present"


# --- the geofence ----------------------------------------------------------------------------


def test_wfo_inside_the_office(pegawai, media, clock):
    plan(pegawai, "WFO")
    record = check_in(pegawai, OFFICE[0] + 0.0003, OFFICE[1], 20).record  # ~33 m north
    assert record.expected_mode == "WFO"
    assert record.check_in_place == "inside"
    assert 30 < record.check_in_distance_m < 36


def test_wfo_outside_is_flagged_by_default(pegawai, media, clock):
    plan(pegawai, "WFO")
    result = check_in(pegawai, *HOME, 10)  # at home on an office day
    assert result.created
    assert result.record.check_in_place == "outside"
    assert result.record.check_in_distance_m > 50_000


def test_wfh_is_judged_against_the_home_point(pegawai, media, clock):
    plan(pegawai, "WFH")
    assert check_in(pegawai, *HOME, 15).record.check_in_place == "inside"


def test_isolation_is_judged_against_the_home_point(pegawai, media, clock):
    plan(pegawai, "ISOLATION")
    assert check_in(pegawai, *OFFICE, 15).record.check_in_place == "outside"


def test_no_location_or_poor_accuracy_is_unknown(cast, pegawai, media, clock):
    plan(pegawai, "WFO")
    result = check_in(pegawai)
    assert (result.record.check_in_place, result.record.check_in_distance_m) == ("unknown", None)
    assert any("unknown" in note for note in result.notes)
    plan(cast.atasan, "WFO")
    record = check_in(cast.atasan, *OFFICE, 500).record  # worse than the 150 m allowed
    assert record.check_in_place == "unknown"


def test_wfa_has_no_area(pegawai, media, clock):
    plan(pegawai, "WFA")
    record = check_in(pegawai, *HOME, 10).record
    assert (record.expected_mode, record.check_in_place) == ("WFA", "unknown")


def test_no_roster_entry_still_records_and_says_so(pegawai, media, clock):
    plan(pegawai, "WFO", published=False)  # a draft is not the schedule
    result = check_in(pegawai, *OFFICE, 10)
    assert result.record.expected_mode == ""
    assert result.record.check_in_place == "unknown"
    assert any("no published schedule" in note for note in result.notes)


def test_home_point_missing_says_so(pegawai, media, clock):
    pegawai.home_latitude = pegawai.home_longitude = None
    pegawai.save()
    plan(pegawai, "WFH")
    result = check_in(pegawai, *HOME, 10)
    assert result.record.check_in_place == "unknown"
    assert any("home point" in note for note in result.notes)


def test_outside_is_refused_when_the_circular_says_so(cast, pegawai, media, clock):
    with_rules(cast.agency, outside_checkin="refuse")
    plan(pegawai, "WFO")
    with pytest.raises(DomainError) as exc:
        check_in(pegawai, *HOME, 10)
    assert exc.value.code == "outside_area"
    assert " m from the office" in exc.value.message
    assert not Attendance.objects.exists()
    assert not list(media.rglob("*.jpg"))  # no photo kept for a refused check-in
    # inside is still fine under the same circular
    assert check_in(pegawai, *OFFICE, 10).record.check_in_place == "inside"


def test_the_circulars_accuracy_limit(cast, pegawai, media, clock):
    with_rules(cast.agency, max_accuracy_m=20)
    plan(pegawai, "WFO")
    assert check_in(pegawai, *OFFICE, 30).record.check_in_place == "unknown"


# --- one per day, manual records, day off ----------------------------------------------------


def test_repeat_check_in_returns_the_record_unchanged(pegawai, media, clock):
    clock.set(2026, 8, 19, 0, 10)
    first = check_in(pegawai).record
    clock.set(2026, 8, 19, 2, 0)  # later and late
    again = check_in(pegawai)
    assert not again.created
    assert again.record.pk == first.pk
    assert (again.record.status, again.record.check_in_at) == ("present", first.check_in_at)
    assert Attendance.objects.count() == 1
    assert len(list(media.rglob("*.jpg"))) == 1


def test_a_manual_record_is_never_overwritten(cast, pegawai, media, clock):
    manual = Attendance.objects.create(
        employee=pegawai, date=DAY, status="excused", source="manual", reason="dinas luar"
    )
    with pytest.raises(Conflict) as exc:
        check_in(pegawai, *OFFICE, 10)
    assert "entered by an admin" in exc.value.message
    with pytest.raises(Conflict):
        check_out(pegawai)
    manual.refresh_from_db()
    assert (manual.status, manual.check_in_at, manual.photo.name) == ("excused", None, "")


def test_refused_on_a_day_off(pegawai, media, clock):
    clock.set(2026, 8, 17, 0, 0)  # Independence Day
    with pytest.raises(DomainError) as exc:
        check_in(pegawai)
    assert exc.value.code == "not_working_day"
    clock.set(2026, 8, 22, 0, 0)  # a Saturday
    with pytest.raises(DomainError):
        check_in(pegawai)


def test_no_employee_record(cast, media, clock):
    with pytest.raises(NotAllowed):
        checkin_record(
            access=access_for(cast.operator),
            latitude=None,
            longitude=None,
            accuracy=None,
            photo=upload(),
        )


@pytest.mark.parametrize(
    ("lat", "lon", "acc", "field"),
    [
        ("abc", "106", "", "latitude"),
        ("-6", "200", "", "longitude"),
        ("-6", "", "", "latitude"),
        ("-6", "106", "-1", "accuracy"),
        ("nan", "106", "", "latitude"),
    ],
)
def test_bad_location_is_refused(pegawai, media, clock, lat, lon, acc, field):
    with pytest.raises(DomainError) as exc:
        check_in(pegawai, lat, lon, acc)
    assert field in exc.value.fields


# --- check-out --------------------------------------------------------------------------------


def test_check_out_needs_a_check_in(pegawai, media, clock):
    with pytest.raises(Conflict) as exc:
        check_out(pegawai)
    assert exc.value.code == "not_checked_in"


def test_check_out_once_with_its_place(pegawai, media, clock):
    plan(pegawai, "WFO")
    clock.set(2026, 8, 19, 0, 20)
    check_in(pegawai, *OFFICE, 10)
    clock.set(2026, 8, 19, 9, 0)  # 16:00 WIB
    result = check_out(pegawai, *HOME, 12)
    assert result.created
    record = result.record
    assert record.check_out_at == datetime(2026, 8, 19, 9, 0, tzinfo=UTC)
    assert (record.check_out_place, record.check_out_accuracy_m) == ("outside", 12)
    clock.set(2026, 8, 19, 10, 0)
    again = check_out(pegawai, *OFFICE, 5)
    assert not again.created
    again.record.refresh_from_db()
    assert again.record.check_out_at == datetime(2026, 8, 19, 9, 0, tzinfo=UTC)
    assert again.record.check_out_place == "outside"
    assert again.record.status == "present"  # the check-out changes nothing else


# --- the photo ----------------------------------------------------------------------------------


def _stored(record) -> Image.Image:
    with default_storage.open(record.photo.name) as fh:
        return Image.open(io.BytesIO(fh.read()))


def test_photo_is_resized_and_stripped_of_exif(pegawai, media, clock):
    original = image_bytes("JPEG", (3000, 2000), exif=True)
    assert Image.open(io.BytesIO(original)).getexif()  # the test photo carries EXIF and GPS
    record = check_in(pegawai, photo=upload(original)).record
    assert record.photo.name.startswith("attendance/2026/08/19/")
    assert record.photo.name.endswith(".jpg") and "selfie" not in record.photo.name
    stored = _stored(record)
    assert stored.format == "JPEG"
    assert max(stored.size) <= 1024 and stored.size == (1024, 683)
    assert not stored.getexif()
    assert "exif" not in stored.info and "xmp" not in stored.info
    assert b"TestPhone" not in default_storage.open(record.photo.name).read()


def test_png_named_jpg_is_accepted_by_content(pegawai, media, clock):
    png = image_bytes("PNG", (400, 300), exif=False, mode="RGBA")
    record = check_in(pegawai, photo=upload(png, "foto.jpg")).record
    stored = _stored(record)
    assert stored.format == "JPEG" and stored.size == (400, 300)


def test_webp_is_accepted(pegawai, media, clock):
    webp = image_bytes("WEBP", (800, 1600), exif=False)
    stored = _stored(check_in(pegawai, photo=upload(webp, "x.webp", "image/webp")).record)
    assert stored.size == (512, 1024)


@pytest.mark.parametrize(
    "data",
    [
        b"just some text pretending to be a photo",
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n",
        None,  # a GIF
    ],
)
def test_non_images_named_jpg_are_refused(pegawai, media, clock, data):
    if data is None:
        data = image_bytes("GIF", (50, 50), exif=False)
    with pytest.raises(DomainError) as exc:
        check_in(pegawai, photo=upload(data, "selfie.jpg"))
    assert exc.value.code == "photo_type"
    assert "photo" in exc.value.fields
    assert not Attendance.objects.exists()


def test_photo_is_required(pegawai, media, clock):
    with pytest.raises(DomainError) as exc:
        checkin_record(
            access=access_for(pegawai.user),
            latitude=None,
            longitude=None,
            accuracy=None,
            photo=None,
        )
    assert exc.value.code == "photo_required"


def test_photo_size_limit_from_settings(pegawai, media, clock, settings):
    settings.ATTENDANCE_PHOTO_MAX_BYTES = 10_000
    big = image_bytes("PNG", (600, 600), exif=False)
    big = big + b"\0" * max(0, 10_001 - len(big))
    with pytest.raises(DomainError) as exc:
        check_in(pegawai, photo=upload(big))
    assert exc.value.code == "photo_too_large"


def test_truncated_image_is_refused(pegawai, media, clock):
    data = image_bytes("JPEG", (800, 600))[:500]
    with pytest.raises(DomainError) as exc:
        check_in(pegawai, photo=upload(data))
    assert exc.value.code in ("photo_type", "photo_unreadable")
