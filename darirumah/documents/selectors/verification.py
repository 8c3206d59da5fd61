"""Verification of any PDF: each embedded signature checked by pyHanko's validator against the
agency CAs of this installation and the configured roots, and the file looked up in the
register (the whole file, or the exact revision each signature covers)."""

from __future__ import annotations

from dataclasses import dataclass, field

from darirumah.core import calendar as calendar_service

from ..crypto import verify as verify_crypto
from ..models import Document, DocumentRevision
from ..services import certificates


@dataclass
class RegisterMatch:
    document: Document
    version: int
    latest: bool
    exact: bool  # the very file, not only a signed revision inside it


@dataclass
class Verification:
    report: verify_crypto.VerifyReport
    match: RegisterMatch | None = None
    signature_matches: list[int | None] = field(default_factory=list)  # version per signature

    @property
    def verdict(self) -> str:
        """valid: signed, every signature valid and trusted, nothing changed after;
        unsigned; or the worst signature status (modified, invalid, revoked, untrusted)."""
        if not self.report.is_pdf:
            return "not_pdf"
        if not self.report.signatures:
            return "unsigned"
        order = ["invalid", "modified", "revoked", "untrusted"]
        statuses = {s.status for s in self.report.signatures}
        for status in order:
            if status in statuses:
                return status
        return "valid"


def verify_document(data: bytes) -> Verification:
    report = verify_crypto.verify_pdf(
        data,
        trust_roots_pem=certificates.trust_roots(),
        crls_der=certificates.crls(),
        now=calendar_service.utcnow(),
    )
    wanted = {report.sha256} | {s.revision_sha256 for s in report.signatures}
    revisions = {
        r.sha256: r
        # Signed versions only: version 0 is whatever PDF was registered (often a blank form
        # anyone may hold), and it would show the register's record to them.
        for r in DocumentRevision.objects.filter(sha256__in=wanted, number__gte=1).select_related(
            "document", "document__agency"
        )
    }
    result = Verification(report=report)
    result.signature_matches = [
        revisions[s.revision_sha256].number if s.revision_sha256 in revisions else None
        for s in report.signatures
    ]
    found = revisions.get(report.sha256)
    exact = found is not None
    if found is None:
        candidates = [
            revisions[s.revision_sha256]
            for s in report.signatures
            if s.revision_sha256 in revisions
        ]
        found = max(candidates, key=lambda r: r.number) if candidates else None
    if found is not None:
        document = found.document
        result.match = RegisterMatch(
            document=document,
            version=found.number,
            latest=found.sha256 == document.sha256,
            exact=exact,
        )
    return result


def document_by_code(code: str) -> Document | None:
    """The register's record behind a QR code (public: the code is unguessable)."""
    if not code or len(code) > 32:
        return None
    return (
        Document.objects.select_related("agency")
        .prefetch_related("signers")
        .filter(code=code)
        .first()
    )
