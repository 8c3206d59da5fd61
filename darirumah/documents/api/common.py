"""Schemas shared by the documents API's routers."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from darirumah.core.calendar import zone_info
from darirumah.org.models import Agency

from ..models import Document, Kind, Signer

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_PAGE = 100_000  # beyond it the database would be asked for an offset it cannot hold
MAX_ID = 2**31 - 1


def local(obj, value: datetime | None) -> datetime | None:
    """A timestamp in the document's agency's zone."""
    return value.astimezone(zone_info(obj.agency.zone)) if value else None


class SignerOut(Schema):
    order: int
    user_id: int
    name: str
    position: str
    status: Signer.Status
    signed_at: datetime | None
    certificate_id: int | None
    timestamped: bool

    @staticmethod
    def resolve_signed_at(obj) -> datetime | None:
        return local(obj.document, obj.signed_at)


class DocumentOut(Schema):
    id: int
    agency_id: int
    kind: Kind
    number: str
    title: str
    status: Document.Status
    code: str = Field(description="The verification code in the QR stamp.")
    verification_url: str
    sha256: str = Field(description="The SHA-256 of the current file.")
    original_sha256: str = Field(description="The SHA-256 of the file before any signature.")
    circular_id: int | None
    employee_id: int | None
    unit_id: int | None
    period: str
    file_name: str
    signers: list[SignerOut]
    next_signer: int | None = Field(None, description="The user whose turn it is to sign.")
    cancel_reason: str
    created_at: datetime

    @staticmethod
    def resolve_verification_url(obj) -> str:
        from ..services.registry import verification_url

        return verification_url(obj.code)

    @staticmethod
    def resolve_signers(obj) -> list:
        return list(obj.signers.all())

    @staticmethod
    def resolve_next_signer(obj) -> int | None:
        waiting = [s for s in obj.signers.all() if s.status == Signer.Status.WAITING]
        return waiting[0].user_id if waiting and obj.status == Document.Status.PENDING else None

    @staticmethod
    def resolve_created_at(obj) -> datetime:
        return local(obj, obj.created_at)


class DocumentPage(Schema):
    items: list[DocumentOut]
    count: int


def page_of(rows, page: int, page_size: int) -> tuple[list, int]:
    count = rows.count()
    offset = (page - 1) * page_size
    return list(rows[offset : offset + page_size]), count


def own_agency(access) -> Agency:
    """The caller's own agency, or 404 for a platform operator who belongs to none."""
    from django.utils.translation import gettext as _

    from darirumah.core.errors import NotFound
    from darirumah.org.views.common import home_agency

    agency = home_agency(access)
    if agency is None:
        raise NotFound(_("You do not belong to an agency."))
    return agency
