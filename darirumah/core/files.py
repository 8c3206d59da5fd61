"""Uploaded files judged by their content, never by their name (evidence, attachments)."""

from __future__ import annotations

import io
import os


def file_kind(head: bytes) -> str | None:
    """The kind of a file from its first 16 bytes: "pdf", "jpeg", "png", "webp", or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def image_is_whole(data: bytes) -> bool:
    """Whether Pillow reads the image to its end (a renamed or truncated file is not)."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for a broken file
        return False
    return True


def display_name(raw: str, fallback: str) -> str:
    """A file name as a person gave it, without any folder, at most 200 characters."""
    return (os.path.basename((raw or "").replace("\\", "/")).strip() or fallback)[:200]
