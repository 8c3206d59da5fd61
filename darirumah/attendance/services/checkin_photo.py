"""The check-in selfie: judged by its content (JPEG, PNG or WebP), limited in size, resized to
at most 1024 px and re-encoded as JPEG without any metadata (EXIF, GPS, XMP, ICC), then stored
through the storage API under the model's upload_to with a random name."""

from __future__ import annotations

import io
import uuid
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from darirumah.core.errors import DomainError

from ..models import Attendance

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
MAX_SIDE_PX = 1024
JPEG_QUALITY = 80
# A phone photo is at most ~50 MP; more is a decompression bomb, not a selfie.
MAX_PIXELS = 60_000_000
DEFAULT_MAX_BYTES = 5 * 1024 * 1024


def max_bytes() -> int:
    return int(getattr(settings, "ATTENDANCE_PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES))


def _refuse(message: str, code: str) -> DomainError:
    return DomainError(message, code=code, fields={"photo": [message]})


def clean_photo(upload) -> bytes:
    """The stored form of an uploaded photo (JPEG bytes), or a DomainError saying what is wrong."""
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
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", (MAX_SIDE_PX, MAX_SIDE_PX))  # JPEG: decode at a smaller scale
            upright = ImageOps.exif_transpose(image)  # the phone's rotation, before EXIF goes
            upright.thumbnail((MAX_SIDE_PX, MAX_SIDE_PX))
            if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
                rgba = upright.convert("RGBA")
                flat = Image.new("RGB", rgba.size, (255, 255, 255))
                flat.paste(rgba, mask=rgba.getchannel("A"))
            else:
                flat = upright.convert("RGB")
            clean = Image.new("RGB", flat.size)  # a fresh image carries no metadata at all
            clean.paste(flat)
            out = io.BytesIO()
            clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise _refuse(_("The photo cannot be read; take it again."), "photo_unreadable") from None
    return out.getvalue()


def store_photo(content: bytes, day: date) -> str:
    """Save the cleaned photo under the model's upload_to (dated by the agency's local day) with a
    random name; returns the stored name."""
    field = Attendance._meta.get_field("photo")
    folder = day.strftime(field.upload_to)
    return field.storage.save(f"{folder}{uuid.uuid4().hex}.jpg", ContentFile(content))


def delete_photo(name: str) -> None:
    if name:
        Attendance._meta.get_field("photo").storage.delete(name)
