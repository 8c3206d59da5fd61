"""Evidence of a report item: photos and PDF documents, judged by their content, never by
their name (a PDF named .jpg is a PDF; a text file named .pdf is refused).

Photos get the check-in selfie's own checks (attendance.services.checkin_photo.check_photo:
JPEG, PNG or WebP, whole, not too large, not too many pixels) and are stored like it, re-encoded
as JPEG without any metadata (no GPS of the person's home). Documents are recognised by
core.files.file_kind, like the attachments of urgent reports.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image

from darirumah.attendance.services.checkin_photo import check_photo, clean_photo
from darirumah.core.errors import Conflict, DomainError
from darirumah.core.files import display_name, file_kind
from darirumah.org.access import Access

from ..models import DailyReport, ReportEvidence, ReportItem
from .reports import locked_error, own_employee

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PER_ITEM = 5


def max_bytes() -> int:
    return int(getattr(settings, "PERFORMANCE_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_per_item() -> int:
    return int(getattr(settings, "PERFORMANCE_EVIDENCE_MAX_PER_ITEM", DEFAULT_MAX_PER_ITEM))


def _refuse(message: str, code: str) -> DomainError:
    return DomainError(message, code=code, fields={"file": [message]})


@dataclass(frozen=True)
class Checked:
    name: str  # the name as sent, for display
    kind: str  # ReportEvidence.Kind
    data: bytes  # what is stored: the PDF as sent, the photo re-encoded
    extension: str


def check_evidence(upload) -> Checked:
    """The file to store when it is a photo or a PDF document, or a DomainError saying what is
    wrong with it."""
    if upload is None or not getattr(upload, "size", 0):
        raise _refuse(_("Attach a photo or a PDF document."), "file_required")
    limit = max_bytes()
    if upload.size > limit:
        raise _refuse(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            "file_too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    kind = file_kind(head)
    name = getattr(upload, "name", "") or ""
    if kind is None:
        raise _refuse(
            _("%(name)s is not a photo (JPEG, PNG or WebP) or a PDF document.")
            % {"name": display_name(name, "?")},
            "file_type",
        )
    if kind == "pdf":
        upload.seek(0)
        data = upload.read(limit + 1)
        return Checked(display_name(name, "dokumen.pdf"), ReportEvidence.Kind.PDF, data, "pdf")
    try:
        photo = check_photo(upload)  # the check-in's own checks, by content
    except DomainError as exc:
        raise _refuse(exc.message, exc.code) from None
    try:
        data = clean_photo(photo.data)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise _refuse(_("The photo cannot be read; take it again."), "photo_unreadable") from None
    return Checked(display_name(name, "foto.jpg"), ReportEvidence.Kind.PHOTO, data, "jpg")


def evidence_add(
    *, access: Access, report: DailyReport, item: ReportItem, upload
) -> ReportEvidence:
    """Attach a photo or a PDF to an activity of the caller's own report while it can be
    changed (a draft, or returned)."""
    own_employee(access, report)
    if item.report_id != report.pk:
        raise DomainError(_("This activity is not part of this report."))
    checked = check_evidence(upload)
    with transaction.atomic():
        report = DailyReport.objects.select_for_update().get(pk=report.pk)
        if not report.editable:
            raise locked_error(report)
        if item.evidence.count() >= max_per_item():
            raise Conflict(
                _("An activity has at most %(n)d files of evidence; remove one first.")
                % {"n": max_per_item()},
                code="too_many_files",
            )
        evidence = ReportEvidence(
            item=item, name=checked.name, kind=checked.kind, size=len(checked.data)
        )
        evidence.file.save(
            f"{uuid.uuid4().hex}.{checked.extension}", ContentFile(checked.data), save=False
        )
        stored = evidence.file.name
        try:  # the file is written before its row: a failed save must not leave it behind
            evidence._history_user = access.user
            evidence.full_clean()
            evidence.save()
        except Exception:
            evidence.file.storage.delete(stored)
            raise
    return evidence


def evidence_remove(*, access: Access, report: DailyReport, evidence: ReportEvidence) -> None:
    """Remove a file of evidence from the caller's own report while it can be changed; the file
    itself goes once the removal is committed."""
    own_employee(access, report)
    with transaction.atomic():
        report = DailyReport.objects.select_for_update().get(pk=report.pk)
        if not report.editable:
            raise locked_error(report)
        file = evidence.file
        evidence._history_user = access.user
        evidence.delete()
        transaction.on_commit(lambda: file.delete(save=False))
