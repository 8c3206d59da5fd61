"""Documents API: public verification. Anyone may upload a PDF and learn whether each signature
is valid, who signed and when, whether the file changed after signing, and whether it is in an
agency's register; the QR code's link shows the register's record."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile

from darirumah.core.errors import DomainError, NotFound

from ..models import Document, Kind, Signer
from ..selectors import verification

router = Router()


class SignatureOut(Schema):
    field_name: str
    signer_name: str
    subject: str
    issuer: str
    serial: str
    signed_at: datetime | None
    timestamped: bool
    intact: bool = Field(description="The signed bytes are unchanged.")
    valid: bool = Field(description="The signature is cryptographically valid.")
    trusted: bool = Field(description="The certificate chains to a trusted root.")
    revoked: bool
    expired: bool
    covers_whole_file: bool
    modified_after: bool = Field(description="Changed after this signature (not a signature).")
    status: str = Field(description="valid, untrusted, invalid, revoked or modified.")
    message: str
    register_version: int | None = Field(
        None, description="The register's version this signature signed, when known."
    )


class RegisterSigner(Schema):
    order: int
    name: str
    position: str
    status: Signer.Status
    signed_at: datetime | None


class RegisterOut(Schema):
    agency: str
    kind: Kind
    number: str
    title: str
    status: Document.Status
    code: str
    signers: list[RegisterSigner]
    version: int | None = None
    latest: bool | None = None
    exact: bool | None = Field(None, description="The very file registered (not only a part).")


class VerifyOut(Schema):
    verdict: str = Field(
        description="valid, unsigned, not_pdf, or the worst signature status found."
    )
    sha256: str
    is_pdf: bool
    error: str
    signatures: list[SignatureOut]
    in_register: bool
    document: RegisterOut | None


def register_out(document: Document, **extra) -> dict:
    return {
        "agency": document.agency.name,
        "kind": document.kind,
        "number": document.number,
        "title": document.title,
        "status": document.status,
        "code": document.code,
        "signers": [
            {
                "order": s.order,
                "name": s.name,
                "position": s.position,
                "status": s.status,
                "signed_at": s.signed_at,
            }
            for s in sorted(document.signers.all(), key=lambda s: s.order)
        ],
        **extra,
    }


def verification_out(result: verification.Verification) -> dict:
    report = result.report
    signatures = []
    for sig, version in zip(report.signatures, result.signature_matches, strict=True):
        data = {k: getattr(sig, k) for k in SignatureOut.model_fields if hasattr(sig, k)}
        data["register_version"] = version
        signatures.append(data)
    match = result.match
    return {
        "verdict": result.verdict,
        "sha256": report.sha256,
        "is_pdf": report.is_pdf,
        "error": report.error,
        "signatures": signatures,
        "in_register": match is not None,
        "document": register_out(
            match.document, version=match.version, latest=match.latest, exact=match.exact
        )
        if match
        else None,
    }


@router.post("/documents/verify", response=VerifyOut, auth=None)
def document_verify(request, file: File[UploadedFile] = None):
    """Check a PDF (no login): each signature's validity, who signed and when, whether it
    changed after signing, and whether it is in the register."""
    if file is None:
        raise DomainError(_("Choose the PDF to check."), fields={"file": [_("Required.")]})
    data = file.read(settings.DOCUMENTS_MAX_BYTES + 1)
    if len(data) > settings.DOCUMENTS_MAX_BYTES:
        raise DomainError(
            _("The file is larger than %(mb)s MB.")
            % {"mb": settings.DOCUMENTS_MAX_BYTES // (1024 * 1024)},
            code="too_large",
        )
    return verification_out(verification.verify_document(data))


@router.get("/documents/verify/{code}", response=RegisterOut, auth=None)
def document_record(request, code: str):
    """The register's record behind a QR code: number, title, status, who signed and when."""
    document = verification.document_by_code(code)
    if document is None:
        raise NotFound(_("No document with this verification code."))
    return register_out(document)
