"""Documents API: the register, generated letters and uploads, the file, signing, cancelling."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from django.conf import settings
from django.http import FileResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from darirumah.core.errors import DomainError, NotFound
from darirumah.org.access import access_for, get_visible
from darirumah.org.models import User

from ..models import Document, Kind
from ..selectors import documents as selectors
from ..services import registry, signing
from .common import (
    MAX_ID,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    DocumentOut,
    DocumentPage,
    own_agency,
    page_of,
)

router = Router()

Generated = Literal["circular", "evaluation", "recap", "discipline"]


class DocumentFilters(Schema):
    kind: Kind | None = None
    status: Document.Status | None = None
    q: str | None = Field(None, description="A part of the number or the title.")
    circular: int | None = None
    unit: int | None = None
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class Paging(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class DocumentIn(Schema):
    kind: Generated = Field(description="Which letter to generate from the agency's data.")
    signers: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        description="User ids, in signing order (e.g. head, then BKPSDM).", max_length=6
    )
    circular: int | None = Field(None, description="kind=circular: the circular.")
    unit: int | None = Field(None, description="kind=evaluation: the unit.")
    period: str | None = Field(None, description="kind=evaluation: the month, YYYY-MM.")
    day: date | None = Field(None, description="kind=recap: the day.")
    case: int | None = Field(None, description="kind=discipline: the decided case.")


class SignIn(Schema):
    passphrase: str = Field("", description="For an imported PKCS#12 or a remote signature.")
    certificate: int | None = Field(None, description="Which of your certificates; the newest.")


class CancelIn(Schema):
    reason: str


def _users(access, ids: list[int]) -> list[User]:
    # Only the caller's agency: a user of another agency is as unknown as a missing one.
    found = {u.pk: u for u in User.objects.filter(pk__in=ids, employee__agency_id=access.agency_id)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise DomainError(
            _("Unknown signers: %(ids)s.") % {"ids": ", ".join(missing)},
            fields={"signers": [_("Unknown user.")]},
        )
    return [found[i] for i in ids]


def _need(value, field: str):
    if value is None:
        raise DomainError(_("%(f)s is required.") % {"f": field}, fields={field: [_("Required.")]})
    return value


def _month(text: str | None) -> date:
    try:
        year, month = (int(p) for p in _need(text, "period").split("-"))
        return date(year, month, 1)
    except ValueError:
        raise DomainError(
            _("The period is a month written YYYY-MM."), fields={"period": [_("Use YYYY-MM.")]}
        ) from None


def _detail(access, pk: int) -> Document:
    document = selectors.document_detail(access, pk)
    if document is None:
        raise NotFound(_("Not found, or not visible to you."))
    return document


@router.get("/documents", response=DocumentPage)
def document_list(request, filters: Query[DocumentFilters]):
    """The register as the caller may see it: BKPSDM and pimpinan the agency's, an OPD's heads
    and admins their units', everyone the circulars and what they sign or are the subject of."""
    access = access_for(request.user)
    rows = selectors.document_list(
        access=access,
        kind=filters.kind or "",
        status=filters.status or "",
        q=(filters.q or "").strip(),
        circular_id=filters.circular,
        unit_id=filters.unit,
    )
    items, count = page_of(rows, filters.page, filters.page_size)
    return {"items": items, "count": count}


@router.get("/documents/inbox", response=DocumentPage)
def document_inbox(request, paging: Query[Paging]):
    """The documents awaiting the caller's signature now."""
    rows = selectors.sign_inbox(access_for(request.user))
    items, count = page_of(rows, paging.page, paging.page_size)
    return {"items": items, "count": count}


@router.post("/documents", response={201: DocumentOut})
def document_create(request, payload: DocumentIn):
    """Generate a letter with the agency's letterhead and number: the circular (from a policy),
    a unit's month-end evaluation, the daily recap, a discipline decision."""
    from darirumah.performance.models import DisciplineCase
    from darirumah.policy.models import Circular

    access = access_for(request.user)
    signers = _users(access, payload.signers)
    if payload.kind == "circular":
        circular = get_visible(
            Circular.objects.filter(agency__in=access.agencies()),
            _need(payload.circular, "circular"),
        )
        document = registry.document_circular(access=access, circular=circular, signers=signers)
    elif payload.kind == "evaluation":
        unit = get_visible(access.units(), _need(payload.unit, "unit"))
        document = registry.document_evaluation(
            access=access, unit=unit, period=_month(payload.period), signers=signers
        )
    elif payload.kind == "recap":
        agency = own_agency(access)
        document = registry.document_recap(
            access=access, agency=agency, day=_need(payload.day, "day"), signers=signers
        )
    else:
        case = get_visible(
            DisciplineCase.objects.filter(agency__in=access.agencies()).select_related(
                "employee__unit", "employee__agency"
            ),
            _need(payload.case, "case"),
        )
        document = registry.document_discipline(access=access, case=case, signers=signers)
    return Status(201, _detail(access, document.pk))


@router.post("/documents/upload", response={201: DocumentOut})
def document_upload(
    request,
    title: Form[str],
    signers: Form[str],
    number: Form[str] = "",
    unit: Form[int | None] = None,
    file: File[UploadedFile] = None,
):
    """Register any PDF that needs signing (R15), numbered by the agency's format unless a
    number is given. signers: user ids in signing order, comma-separated."""
    access = access_for(request.user)
    try:
        ids = [int(p) for p in signers.replace(" ", "").split(",") if p]
        if any(not 1 <= i <= MAX_ID for i in ids):
            raise ValueError
    except ValueError:
        raise DomainError(
            _("Signers are user ids separated by commas."), fields={"signers": [_("Use ids.")]}
        ) from None
    agency = own_agency(access)
    unit_obj = get_visible(access.units(), unit) if unit else None
    data = file.read(settings.DOCUMENTS_MAX_BYTES + 1) if file is not None else b""
    document = registry.document_upload(
        access=access,
        agency=agency,
        title=title,
        data=data,
        file_name=file.name if file is not None else "",
        signers=_users(access, ids),
        number=number,
        unit=unit_obj,
    )
    return Status(201, _detail(access, document.pk))


@router.get("/documents/{int:document_id}", response=DocumentOut)
def document_detail(request, document_id: int):
    return _detail(access_for(request.user), document_id)


@router.get("/documents/{int:document_id}/file")
def document_file(request, document_id: int, version: int | None = None):
    """The PDF: the current version, or an earlier one (0 is before any signature)."""
    document = _detail(access_for(request.user), document_id)
    field = document.file
    if version is not None:
        revision = next((r for r in document.revisions.all() if r.number == version), None)
        if revision is None:
            raise NotFound(_("This document has no version %(n)s.") % {"n": version})
        field = revision.file
    return FileResponse(
        field.open("rb"),
        as_attachment=True,
        filename=document.file_name,
        content_type="application/pdf",
    )


@router.post("/documents/{int:document_id}/sign", response=DocumentOut)
def document_sign(request, document_id: int, payload: SignIn):
    """Sign as the caller: only the next signer in order, with a valid certificate (an agency
    CA certificate is issued at the first signature where the agency CA is on)."""
    access = access_for(request.user)
    document = _detail(access, document_id)
    signing.document_sign(
        access=access,
        document=document,
        passphrase=payload.passphrase,
        certificate_id=payload.certificate,
    )
    return _detail(access, document_id)


@router.post("/documents/{int:document_id}/cancel", response=DocumentOut)
def document_cancel(request, document_id: int, payload: CancelIn):
    """Cancel a document still awaiting signatures (whoever registered it, BKPSDM)."""
    access = access_for(request.user)
    document = _detail(access, document_id)
    registry.document_cancel(access=access, document=document, reason=payload.reason)
    return _detail(access, document_id)
