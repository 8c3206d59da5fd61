"""The check-in selfie, in two steps so that the 07:25 surge is not held up by image work.

1. In the request (`check_photo`, `store_incoming`): the upload is judged by its content (JPEG,
   PNG or WebP, whole, not too large, not too many pixels) from its headers and structure,
   without decoding the pixels, and kept as sent in `attendance/incoming/`, a folder no page
   serves.
2. On the job runner (`photo_finish`, queued when the check-in commits; `photos_sweep` catches
   any left behind): the photo is decoded, turned upright, resized to at most 1024 px and
   re-encoded as JPEG without any metadata (EXIF, GPS, XMP, ICC), stored under the model's
   upload_to with a random name, and the upload is deleted.
"""

from __future__ import annotations

import io
import logging
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from darirumah.core import calendar as calendar_service
from darirumah.core.errors import DomainError

from ..models import Attendance

log = logging.getLogger(__name__)

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
MAX_SIDE_PX = 1024
JPEG_QUALITY = 80
# A phone photo is at most ~50 MP; more is a decompression bomb, not a selfie.
MAX_PIXELS = 60_000_000
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
INCOMING = "attendance/incoming/"
ORIENTATION = 0x0112  # the EXIF tag a phone sets when the picture was taken sideways
SWEEP_AFTER = timedelta(minutes=2)  # an upload older than this was missed by its queued job


@dataclass(frozen=True)
class Upload:
    data: bytes
    kind: str  # JPEG, PNG or WEBP


def max_bytes() -> int:
    return int(getattr(settings, "ATTENDANCE_PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES))


def _refuse(message: str, code: str) -> DomainError:
    return DomainError(message, code=code, fields={"photo": [message]})


def _is_whole(data: bytes, kind: str) -> bool:
    """Whether the file is complete, from its structure: a cut-off upload (a phone losing its
    signal) is refused at once instead of failing later on the job runner."""
    if kind == "JPEG":
        return data.rstrip(b"\0").endswith(b"\xff\xd9")  # the end-of-image marker
    if kind == "WEBP":  # RIFF header: the size of everything after the first 8 bytes
        return len(data) >= 12 and int.from_bytes(data[4:8], "little") + 8 <= len(data)
    return True  # PNG: verify() below has read every chunk up to IEND and checked its CRC


def check_photo(upload) -> Upload:
    """The upload's bytes when it is an acceptable photo, or a DomainError saying what is wrong.
    Reads headers and structure only: no pixels are decoded here."""
    if upload is None or not getattr(upload, "size", 0):
        raise _refuse(_("Take a photo (selfie) to check in."), "photo_required")
    limit = max_bytes()
    if upload.size > limit:
        raise _refuse(
            _("The photo is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            "photo_too_large",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    not_image = _("The photo must be a JPEG, PNG or WebP image.")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refuse(not_image, "photo_type") from None
    if kind not in ACCEPTED_FORMATS:
        raise _refuse(not_image, "photo_type")
    if width * height > MAX_PIXELS:
        raise _refuse(_("The photo has too many pixels."), "photo_too_large")
    if not _is_whole(data, kind):
        raise _refuse(_("The photo cannot be read; take it again."), "photo_unreadable")
    return Upload(data=data, kind=kind)


def clean_photo(data: bytes) -> bytes:
    """The stored form of a photo: upright, at most 1024 px, JPEG, no metadata at all."""
    with Image.open(io.BytesIO(data)) as image:
        image.draft("RGB", (MAX_SIDE_PX, MAX_SIDE_PX))  # JPEG: decode at a smaller scale
        if image.getexif().get(ORIENTATION, 1) != 1:
            image = ImageOps.exif_transpose(image)  # the phone's rotation, before EXIF goes
        image.thumbnail((MAX_SIDE_PX, MAX_SIDE_PX), Image.Resampling.BILINEAR, reducing_gap=2.0)
        if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
            rgba = image.convert("RGBA")
            flat = Image.new("RGB", rgba.size, (255, 255, 255))
            flat.paste(rgba, mask=rgba.getchannel("A"))
        else:
            flat = image.convert("RGB")
        clean = Image.new("RGB", flat.size)  # a fresh image carries no metadata at all
        clean.paste(flat)
        out = io.BytesIO()
        clean.save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def _storage():
    return Attendance._meta.get_field("photo").storage


def store_incoming(upload: Upload) -> str:
    """Keep the upload as sent until the job runner cleans it; returns its stored name."""
    return _storage().save(f"{INCOMING}{uuid.uuid4().hex}.upload", ContentFile(upload.data))


def store_photo(content: bytes, day: date) -> str:
    """Save a cleaned photo under the model's upload_to (dated by the agency's local day) with a
    random name; returns the stored name."""
    folder = day.strftime(Attendance._meta.get_field("photo").upload_to)
    return _storage().save(f"{folder}{uuid.uuid4().hex}.jpg", ContentFile(content))


def delete_photo(name: str) -> None:
    if name:
        _storage().delete(name)


def photo_finish(*, record_id: int) -> str | None:
    """Clean one record's uploaded photo and store it; returns the stored name, or None when
    there was nothing to do (already done, record gone) or the upload could not be decoded.
    Running it twice, or beside the sweep, stores one photo: the record is only updated while
    it still points at the same upload."""
    row = Attendance.objects.filter(pk=record_id).values("photo_incoming", "date").first()
    if row is None or not row["photo_incoming"]:
        return None
    incoming = row["photo_incoming"]
    storage = _storage()
    try:
        with storage.open(incoming) as fh:
            data = fh.read()
    except FileNotFoundError:
        data = None
    try:
        name = store_photo(clean_photo(data), row["date"]) if data else ""
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        log.warning("check-in photo of attendance %s cannot be decoded; dropped", record_id)
        name = ""
    won = Attendance.objects.filter(pk=record_id, photo_incoming=incoming).update(
        photo=name, photo_incoming=""
    )
    if not won:  # finished meanwhile by another run: keep its photo, not this one
        delete_photo(name)
        return None
    delete_photo(incoming)
    return name or None


def photos_pending(*, older_than: timedelta = SWEEP_AFTER) -> list[int]:
    """Records whose upload was not cleaned in time (a queued job lost with a stopped worker)."""
    cutoff = calendar_service.utcnow() - older_than
    return list(
        Attendance.objects.exclude(photo_incoming="")
        .filter(updated_at__lte=cutoff)
        .values_list("pk", flat=True)
    )
