"""Shared pieces of the check-in tests: the clock, photos, the day's roster entry."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from darirumah.core import calendar as calendar_module
from darirumah.roster.models import RosterEntry

DAY = date(2026, 8, 19)  # a Wednesday, a working day
OFFICE = (-6.12, 106.15)  # OfficeFactory's point
HOME = (-6.2, 106.8)


class Clock:
    def __init__(self, monkeypatch):
        self.moment = datetime(2026, 8, 19, 0, 0, tzinfo=UTC)
        monkeypatch.setattr(calendar_module, "utcnow", lambda: self.moment)

    def set(self, *args):
        self.moment = datetime(*args, tzinfo=UTC)
        return self.moment


def use_media(settings, tmp_path):
    """Uploads of the test go to a temporary folder."""
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def image_bytes(fmt="JPEG", size=(2000, 1500), exif=True, mode="RGB") -> bytes:
    image = Image.new(mode, size, (200, 120, 40) if mode == "RGB" else (200, 120, 40, 128))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "TestPhone"  # Make
        tags[0x0110] = "Model X"  # Model
        gps = tags.get_ifd(0x8825)
        gps[1] = "S"
        gps[2] = (6.0, 12.0, 0.0)
        kwargs["exif"] = tags.tobytes()
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def upload(data: bytes | None = None, name="selfie.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, image_bytes() if data is None else data, content_type)


def plan(employee, mode, day=DAY, published=True):
    return RosterEntry.objects.create(
        employee=employee, date=day, mode=mode, source="manual", published=published
    )
