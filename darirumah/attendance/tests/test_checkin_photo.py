"""The check-in photo in two steps: kept as sent (never served) when the check-in commits, then
cleaned by the job runner; the job is idempotent and a sweep finishes what a lost job left."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.storage import default_storage
from django.test import TestCase
from PIL import Image

from darirumah.attendance import tasks
from darirumah.attendance.models import Attendance
from darirumah.attendance.selectors_checkin import record_data, today_for
from darirumah.attendance.services.checkin import checkin_record
from darirumah.attendance.services.checkin_photo import photo_finish
from darirumah.core.errors import DomainError
from darirumah.org.access import access_for

from .checkin_helpers import image_bytes, upload

pytestmark = pytest.mark.django_db


def accept(employee, data: bytes | None = None) -> Attendance:
    """A check-in whose queued photo job has not run yet (the worker is busy or stopped)."""
    with TestCase.captureOnCommitCallbacks(execute=False) as jobs:
        result = checkin_record(
            access=access_for(employee.user),
            latitude=None,
            longitude=None,
            accuracy=None,
            photo=upload(data),
        )
    assert len(jobs) == 1  # the photo job is queued with the record
    return result.record


def test_the_upload_waits_unserved_until_the_job_cleans_it(pegawai, media, clock):
    original = image_bytes("JPEG", (3000, 2000), exif=True)
    record = accept(pegawai, original)
    assert record.photo.name == ""
    assert record.photo_incoming.startswith("attendance/incoming/")
    assert default_storage.open(record.photo_incoming).read() == original  # GPS and all
    assert record_data(record, today_for(pegawai))["has_photo"] is True

    name = photo_finish(record_id=record.pk)
    record.refresh_from_db()
    assert (record.photo.name, record.photo_incoming) == (name, "")
    assert name.startswith("attendance/2026/08/19/") and name.endswith(".jpg")
    assert not default_storage.exists(f"attendance/incoming/{record.pk}")
    assert not list(media.rglob("*.upload"))
    stored = Image.open(io.BytesIO(default_storage.open(name).read()))
    assert stored.size == (1024, 683) and not stored.getexif()


def test_finishing_twice_stores_one_photo(pegawai, media, clock):
    record = accept(pegawai)
    first = photo_finish(record_id=record.pk)
    assert photo_finish(record_id=record.pk) is None
    assert [p.name for p in media.rglob("*.jpg")] == [first.rsplit("/", 1)[1]]


def test_an_upload_that_cannot_be_decoded_is_dropped_and_the_check_in_kept(pegawai, media, clock):
    good = image_bytes("JPEG", (800, 600), exif=False)
    # Valid headers and an end marker, but the picture data in between is noise.
    broken = good[:400] + bytes(range(256)) * 20 + b"\xff\xd9"
    record = accept(pegawai, broken)
    assert photo_finish(record_id=record.pk) is None
    record.refresh_from_db()
    assert (record.status, record.photo.name, record.photo_incoming) == ("present", "", "")
    assert not list(media.rglob("*.upload")) and not list(media.rglob("*.jpg"))


def test_the_sweep_finishes_photos_whose_job_was_lost(pegawai, cast, media, clock):
    lost = accept(pegawai)
    Attendance.objects.filter(pk=lost.pk).update(
        updated_at=datetime(2026, 8, 19, 0, 0, tzinfo=UTC) - timedelta(minutes=5)
    )
    clock.set(2026, 8, 19, 0, 1)
    fresh = accept(cast.atasan)  # its job may still be in the queue: not the sweep's
    Attendance.objects.filter(pk=fresh.pk).update(updated_at=clock.moment)
    assert tasks.photos_sweep.call_local() == 1
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.photo.name.endswith(".jpg") and lost.photo_incoming == ""
    assert fresh.photo.name == "" and fresh.photo_incoming != ""


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP"])
def test_a_cut_off_upload_is_refused_at_once(pegawai, media, clock, fmt):
    whole = image_bytes(fmt, (800, 600), exif=False)
    with pytest.raises(DomainError) as exc:
        accept(pegawai, whole[: len(whole) // 2])
    # Pillow reads a WebP's first frame when opening it, so a cut WebP fails there already.
    assert exc.value.code in ("photo_unreadable", "photo_type") and "photo" in exc.value.fields
    if fmt == "JPEG":
        assert exc.value.code == "photo_unreadable"
    assert not Attendance.objects.exists() and not list(media.rglob("*"))
