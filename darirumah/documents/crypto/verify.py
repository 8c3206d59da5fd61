"""Verification of the signatures in a PDF with pyHanko's validator.

Trust comes only from the roots the caller gives (the agency CA, DOCUMENTS_TRUST_ROOTS) and
revocation only from the CRLs it gives: nothing is fetched from the network, and a certificate
without revocation information is not held against the signature (soft-fail).

When a signature has a trusted RFC 3161 timestamp, a certificate that expired or was revoked
after that time still counts (the timestamp proves when it was signed). Without one, the time
the signer's computer reported cannot be trusted, so only the current state counts.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from io import BytesIO

from asn1crypto import crl as asn1_crl
from cryptography import x509
from django.utils.translation import gettext as _
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.policy_decl import (
    CertRevTrustPolicy,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)

from .ca import facts_of

logger = logging.getLogger(__name__)

# pyHanko's verdicts that a trusted timestamp earlier than the event can overturn.
_TIME_BOUND = {
    AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
    AdESIndeterminate.REVOKED_NO_POE,
    AdESIndeterminate.REVOKED_CA_NO_POE,
}
_TOLERANCE = timedelta(seconds=1)  # pyHanko's own tolerance on validity periods


@dataclass
class SignatureReport:
    field_name: str
    signer_name: str  # the certificate's common name
    subject: str
    issuer: str
    serial: str
    signed_at: datetime | None  # the trusted timestamp's time, else what the signer reported
    timestamped: bool  # carries a valid RFC 3161 timestamp from a trusted authority
    intact: bool  # the signed bytes are unchanged
    valid: bool  # the signature value is cryptographically valid
    trusted: bool  # the certificate chains to a given root (and is usable now)
    revoked: bool
    expired: bool  # the certificate was not valid at the signing time
    covers_whole_file: bool
    modified_after: bool  # changed later by something other than signatures or form filling
    revision_sha256: str  # SHA-256 of the signed revision: look it up in the register
    status: str  # "valid", "untrusted", "invalid", "revoked" or "modified"
    message: str


@dataclass
class VerifyReport:
    sha256: str
    is_pdf: bool
    signatures: list[SignatureReport] = field(default_factory=list)
    error: str = ""


def _roots(trust_roots_pem: list[str]) -> list:
    roots = []
    for pem in trust_roots_pem:
        if pem and pem.strip():
            roots.extend(load_certs_from_pemder_data(pem.encode()))
    return roots


def _context(
    roots, crls, *, moment: datetime | None, require_crl: bool = False, at_signing_time=False
):
    """A validation context without network access. Soft-fail: a certificate without
    revocation information is not held against the signature. But pyHanko's soft-fail only
    consults a CRL for certificates that declare a distribution point, and the agency CA's
    certificates need not, so when the caller gives a CRL of the signer's issuer, the signer's
    certificate must be checked against it (`require_crl`)."""
    soft = RevocationCheckingRule.CHECK_IF_DECLARED_SOFT
    return ValidationContext(
        trust_roots=list(roots),  # a list, even empty: None would mean the system's roots
        crls=list(crls),
        moment=moment,
        allow_fetching=False,
        revinfo_policy=CertRevTrustPolicy(
            RevocationCheckingPolicy(
                ee_certificate_rule=RevocationCheckingRule.CRL_REQUIRED if require_crl else soft,
                intermediate_ca_cert_rule=soft,
            ),
            # At the signing time, a CRL published later still tells whether the certificate
            # was revoked before that time.
            retroactive_revinfo=at_signing_time,
        ),
    )


def _validate(sig, roots, crls, *, moment, at_signing_time=False, skip_diff=False):
    issuer = sig.signer_cert.issuer
    # The timestamp authority's certificate gets the plain soft-fail context: the CRL given is
    # the signer's CA's, not the TSA's.
    return validate_pdf_signature(
        sig,
        _context(
            roots,
            crls,
            moment=moment,
            require_crl=any(crl.issuer == issuer for crl in crls),
            at_signing_time=at_signing_time,
        ),
        ts_validation_context=_context(roots, crls, moment=moment, at_signing_time=at_signing_time),
        skip_diff=skip_diff,
    )


def _message(*, status: str, expired: bool, revoked_at: datetime | None, late: bool) -> str:
    if status == "valid":
        return _("The signature is valid and its certificate is trusted.")
    if status == "invalid" and expired:
        return _("The certificate had expired (or was not yet valid) when this was signed.")
    if status == "invalid":
        return _(
            "The signed content has been altered: this file is not the document that was signed."
        )
    if status == "modified":
        return _(
            "The file was changed after this signature by something other than another "
            "signature. Compare it with the version in the register."
        )
    if status == "revoked":
        if revoked_at is not None:
            return _("The signer's certificate was revoked on %(date)s (UTC).") % {
                "date": revoked_at.strftime("%d-%m-%Y %H:%M")
            }
        return _("The signer's certificate has been revoked.")
    if late:
        return _(
            "The signature is intact, but the certificate has expired since and the signature "
            "has no timestamp proving when it was made."
        )
    return _(
        "The signature is intact, but its certificate is not issued by an authority this "
        "system trusts."
    )


def _broken(sig, revision_sha256: str) -> SignatureReport:
    return SignatureReport(
        field_name=str(sig.field_name),
        signer_name="",
        subject="",
        issuer="",
        serial="",
        signed_at=None,
        timestamped=False,
        intact=False,
        valid=False,
        trusted=False,
        revoked=False,
        expired=False,
        covers_whole_file=False,
        modified_after=False,
        revision_sha256=revision_sha256,
        status="invalid",
        message=_("The signature is damaged and cannot be checked."),
    )


def _report(sig, data: bytes, roots, crls, now, *, tail_junk: bool) -> SignatureReport:
    try:
        _start, _length1, offset2, length2 = (int(v) for v in sig.byte_range)
        revision_sha256 = hashlib.sha256(data[: offset2 + length2]).hexdigest()
    except (TypeError, ValueError):
        revision_sha256 = ""
    try:
        status: PdfSignatureStatus = _validate(sig, roots, crls, moment=now)
    except Exception as exc:  # a malformed signature is reported, never raised
        logger.info("signature %s cannot be validated: %s", sig.field_name, exc)
        return _broken(sig, revision_sha256)
    covers_whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    # pyHanko's own verdict on the later revisions (its default difference policy), plus bytes
    # appended after the last revision, which no revision explains.
    modified_after = not covers_whole_file and (status.docmdp_ok is not True or tail_junk)

    ts = status.timestamp_validity
    timestamped = ts is not None and ts.trusted
    signed_at = ts.timestamp if timestamped else status.signer_reported_dt
    try:  # a certificate pyHanko accepted but cryptography cannot read is reported, not raised
        facts = facts_of(x509.load_der_x509_certificate(status.signing_cert.dump()))
    except Exception as exc:
        logger.info("signature %s has an unreadable certificate: %s", sig.field_name, exc)
        return _broken(sig, revision_sha256)
    if signed_at is not None:
        expired = not (facts.not_before - _TOLERANCE <= signed_at <= facts.not_after + _TOLERANCE)
    else:
        expired = status.trust_problem_indic == AdESIndeterminate.OUT_OF_BOUNDS_NO_POE
    late = status.trust_problem_indic == AdESIndeterminate.OUT_OF_BOUNDS_NO_POE and not expired
    if (
        timestamped
        and not expired
        and status.trust_problem_indic in _TIME_BOUND
        and (status.error_time_horizon is None or signed_at < status.error_time_horizon)
    ):
        # Expired or revoked after a trusted timestamp: judge the chain at the timestamp.
        try:
            status = _validate(
                sig, roots, crls, moment=signed_at, at_signing_time=True, skip_diff=True
            )
        except Exception as exc:
            logger.info("signature %s cannot be validated at its time: %s", sig.field_name, exc)
            return _broken(sig, revision_sha256)
        late = False

    intact, valid = status.intact, status.valid
    if not (intact and valid) or expired:
        verdict = "invalid"
    elif modified_after:
        verdict = "modified"
    elif status.revoked:
        verdict = "revoked"
    elif not status.trusted:
        verdict = "untrusted"
    else:
        verdict = "valid"
    revocation = status.revocation_details
    return SignatureReport(
        field_name=str(sig.field_name),
        signer_name=facts.common_name,
        subject=facts.subject,
        issuer=facts.issuer,
        serial=facts.serial,
        signed_at=signed_at,
        timestamped=timestamped,
        intact=intact,
        valid=valid,
        trusted=status.trusted,
        revoked=status.revoked,
        expired=expired,
        covers_whole_file=covers_whole_file,
        modified_after=modified_after,
        revision_sha256=revision_sha256,
        status=verdict,
        message=_message(
            status=verdict,
            expired=expired,
            revoked_at=revocation.revocation_date if revocation else None,
            late=late,
        ),
    )


def verify_pdf(
    data: bytes,
    *,
    trust_roots_pem: list[str],
    crls_der: list[bytes] = (),
    now: datetime | None = None,
) -> VerifyReport:
    """Every signature in the PDF, checked against the given roots and CRLs. Never raises on
    bad input: a file that is not a PDF gives is_pdf False and an error message."""
    digest = hashlib.sha256(data).hexdigest()
    if b"%PDF-" not in data[:1024]:
        return VerifyReport(sha256=digest, is_pdf=False, error=_("This file is not a PDF."))
    try:
        reader = PdfFileReader(BytesIO(data))
        if reader.encrypted:
            return VerifyReport(
                sha256=digest,
                is_pdf=True,
                error=_("The PDF is protected with a password; its signatures cannot be read."),
            )
        signatures = reader.embedded_regular_signatures
    except Exception as exc:  # unreadable input is reported, never raised
        logger.info("unreadable PDF for verification: %s", exc)
        return VerifyReport(
            sha256=digest, is_pdf=False, error=_("The file is damaged and cannot be read as PDF.")
        )
    roots = _roots(trust_roots_pem)
    crls = []
    for der in crls_der:
        try:
            crl = asn1_crl.CertificateList.load(bytes(der))
            crl.issuer  # noqa: B018 - parse now, so a broken CRL fails here and not later
            crls.append(crl)
        except ValueError:
            logger.error("verify_pdf: a CRL cannot be parsed; revocation not checked against it")
    # pyHanko reads a PDF from its last %%EOF; anything but whitespace after it was appended.
    tail_junk = bool(data[data.rfind(b"%%EOF") + len(b"%%EOF") :].strip())
    reports = [_report(sig, data, roots, crls, now, tail_junk=tail_junk) for sig in signatures]
    return VerifyReport(sha256=digest, is_pdf=True, signatures=reports)
