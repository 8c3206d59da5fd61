"""Documents API: signing certificates and the agency's letter number formats."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from darirumah.core.errors import NotFound
from darirumah.org.access import access_for, get_visible
from darirumah.org.models import User

from ..models import Kind, LetterFormat, SigningCertificate
from ..selectors import documents as selectors
from ..services import certificates as services
from ..services import numbering
from .common import own_agency

router = Router()

MAX_P12_BYTES = 256 * 1024


class CertificateOut(Schema):
    id: int
    user_id: int
    source: SigningCertificate.Source
    legally_certified: bool = Field(
        description="False for the agency CA: an uncertified signature (PP 71/2019)."
    )
    subject: str
    issuer: str
    serial: str
    fingerprint: str
    not_before: datetime
    not_after: datetime
    revoked_at: datetime | None
    revoked_reason: str
    certificate_pem: str

    @staticmethod
    def resolve_legally_certified(obj) -> bool:
        return obj.source != SigningCertificate.Source.AGENCY_CA


class IssueIn(Schema):
    user: int | None = Field(None, description="BKPSDM: for this user; yourself by default.")


class RemoteIn(Schema):
    user_ref: str = Field(description="Your identity at the signing service (e.g. NIK).")


class RevokeIn(Schema):
    reason: str


class FormatOut(Schema):
    kind: Kind
    pattern: str
    code: str
    custom: bool


class FormatIn(Schema):
    pattern: str
    code: str = ""


@router.get("/documents/certificates", response=list[CertificateOut])
def certificate_list(request):
    """The caller's certificates; BKPSDM sees every certificate of the agency."""
    access = access_for(request.user)
    return list(selectors.certificates_visible(access, agency_id=access.agency_id))


@router.post("/documents/certificates", response={201: CertificateOut})
def certificate_issue(request, payload: IssueIn):
    """A certificate from the agency CA (development and demo: not legally certified)."""
    access = access_for(request.user)
    agency = own_agency(access)
    user = access.user
    if payload.user is not None and payload.user != access.user.pk:
        user = User.objects.filter(pk=payload.user, employee__agency=agency).first()
        if user is None:
            raise NotFound(_("No such user in your agency."))
    cert = services.certificate_issue(access=access, user=user, agency=agency)
    return Status(201, cert)


@router.post("/documents/certificates/import", response={201: CertificateOut})
def certificate_import(request, passphrase: Form[str] = "", file: File[UploadedFile] = None):
    """Import your PKCS#12 (.p12/.pfx) from a certification authority such as BSrE; its
    passphrase is asked again at every signature and never stored."""
    access = access_for(request.user)
    data = file.read(MAX_P12_BYTES + 1) if file is not None else b""
    if len(data) > MAX_P12_BYTES:
        data = b"too large"
    cert = services.certificate_import_pkcs12(
        access=access, agency=own_agency(access), data=data, passphrase=passphrase
    )
    return Status(201, cert)


@router.post("/documents/certificates/remote", response={201: CertificateOut})
def certificate_remote(request, payload: RemoteIn):
    """Register your identity at the configured remote signing service."""
    access = access_for(request.user)
    cert = services.certificate_register_remote(
        access=access, agency=own_agency(access), user_ref=payload.user_ref
    )
    return Status(201, cert)


@router.post("/documents/certificates/{int:certificate_id}/revoke", response=CertificateOut)
def certificate_revoke(request, certificate_id: int, payload: RevokeIn):
    """Revoke a certificate (its owner, BKPSDM): it never signs again."""
    access = access_for(request.user)
    cert = get_visible(
        selectors.certificates_visible(access, agency_id=access.agency_id), certificate_id
    )
    return services.certificate_revoke(access=access, certificate=cert, reason=payload.reason)


@router.get("/documents/formats", response=list[FormatOut])
def format_list(request):
    """How the agency numbers each kind of letter."""
    access = access_for(request.user)
    agency = own_agency(access)
    custom = set(LetterFormat.objects.filter(agency=agency).values_list("kind", flat=True))
    rows = []
    for kind in Kind:
        pattern, code = numbering.format_for(agency, kind)
        rows.append({"kind": kind, "pattern": pattern, "code": code, "custom": kind in custom})
    return rows


@router.put("/documents/formats/{kind}", response=FormatOut)
def format_set(request, kind: Kind, payload: FormatIn):
    """Set a number format (BKPSDM), e.g. "{seq}/{code}/{unit}/{month_roman}/{year}"."""
    access = access_for(request.user)
    found = numbering.letter_format_set(
        access=access,
        agency=own_agency(access),
        kind=kind,
        pattern=payload.pattern,
        code=payload.code,
    )
    return {"kind": found.kind, "pattern": found.pattern, "code": found.code, "custom": True}
