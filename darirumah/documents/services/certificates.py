"""Signing certificates: the agency's development CA and the certificates it issues, imported
PKCS#12 files from a certification authority (BSrE), remote signing identities, revocation.

The agency CA is for development and the demo: what it issues is an uncertified electronic
signature (PP 71/2019) and every page and stamp says so.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from darirumah.core import calendar as calendar_service
from darirumah.core.calendar import zone_info
from darirumah.core.errors import Conflict, DomainError, NotAllowed
from darirumah.org.access import Access
from darirumah.org.models import Agency, User

from .. import crypto
from ..crypto import ca as ca_crypto
from ..crypto import keystore, pkcs12, remote
from ..models import AgencyCA, SigningCertificate
from ..selectors.documents import default_certificate

Source = SigningCertificate.Source


def agency_ca_ensure(agency: Agency) -> AgencyCA:
    """The agency's development CA, created on first use."""
    found = AgencyCA.objects.filter(agency=agency).first()
    if found is not None:
        return found
    issued = ca_crypto.create_ca(agency_name=agency.name, now=calendar_service.utcnow())
    try:
        with transaction.atomic():
            return AgencyCA.objects.create(
                agency=agency,
                certificate_pem=issued.certificate_pem,
                key_encrypted=keystore.encrypt(issued.key_pem),
            )
    except IntegrityError:  # created at the same moment by another request
        return AgencyCA.objects.get(agency=agency)


def _person(user: User, agency: Agency) -> tuple[str, str, str, str]:
    """(name, NIP, position, e-mail) of a user for their certificate."""
    from darirumah.org.models import Employee

    employee = Employee.objects.filter(user=user, agency=agency).first()
    if employee is not None:
        return employee.name, employee.nip, employee.position, employee.email or user.email
    return user.get_full_name() or user.username, "", "", user.email


def _save(cert: SigningCertificate, actor: User) -> SigningCertificate:
    cert._history_user = actor
    try:
        with transaction.atomic():
            cert.save()
    except IntegrityError:
        raise Conflict(
            _("This certificate is already registered."), code="duplicate_certificate"
        ) from None
    return cert


def certificate_issue(*, access: Access, user: User, agency: Agency) -> SigningCertificate:
    """A new certificate from the agency CA for a user of the agency (themselves, or by BKPSDM).
    Refused when the agency CA is switched off (production with certified signatures)."""
    if not settings.DOCUMENTS_AGENCY_CA:
        raise DomainError(
            _(
                "This installation does not issue certificates from the agency CA: import the "
                "PKCS#12 file from your certification authority (BSrE) instead."
            ),
            code="agency_ca_disabled",
        )
    own = access.user is not None and user.pk == access.user.pk
    access.require(
        (own and access.in_agency(agency.pk)) or access.manages_certificates(agency.pk),
        _("You may only request a certificate for yourself."),
    )
    authority = agency_ca_ensure(agency)
    name, nip, position, email = _person(user, agency)
    issued = ca_crypto.issue_certificate(
        ca_certificate_pem=authority.certificate_pem,
        ca_key_pem=keystore.decrypt(authority.key_encrypted),
        name=name,
        nip=nip,
        position=position,
        organisation=agency.name,
        email=email,
        now=calendar_service.utcnow(),
    )
    return _save(
        SigningCertificate(
            user=user,
            agency=agency,
            source=Source.AGENCY_CA,
            subject=issued.subject,
            issuer=issued.issuer,
            serial=issued.serial,
            fingerprint=issued.fingerprint,
            certificate_pem=issued.certificate_pem,
            chain_pem=authority.certificate_pem,
            key_encrypted=keystore.encrypt(issued.key_pem),
            not_before=issued.not_before,
            not_after=issued.not_after,
        ),
        access.user,
    )


def certificate_import_pkcs12(
    *, access: Access, agency: Agency, data: bytes, passphrase: str
) -> SigningCertificate:
    """Register the caller's PKCS#12 file from a certification authority. The file is kept as
    given (its passphrase is asked at every signature), encrypted again at rest."""
    access.require(access.in_agency(agency.pk) and access.user is not None)
    if not data:
        raise DomainError(_("Choose the PKCS#12 file (.p12 or .pfx)."), fields={"file": []})
    try:
        loaded = pkcs12.read_pkcs12(data, passphrase)
    except crypto.CryptoError as exc:
        raise DomainError(str(exc), code=exc.code, fields={"file": [str(exc)]}) from None
    facts = loaded.facts
    if facts.not_after <= calendar_service.utcnow():
        raise DomainError(
            _(
                "This certificate expired on %(day)s: ask your certification authority for a "
                "new one."
            )
            % {"day": _day(facts.not_after, agency.zone)},
            code="certificate_expired",
        )
    return _save(
        SigningCertificate(
            user=access.user,
            agency=agency,
            source=Source.PKCS12,
            subject=facts.subject,
            issuer=facts.issuer,
            serial=facts.serial,
            fingerprint=facts.fingerprint,
            certificate_pem=loaded.certificate_pem,
            chain_pem=loaded.chain_pem,
            pkcs12_encrypted=keystore.encrypt(data),
            not_before=facts.not_before,
            not_after=facts.not_after,
        ),
        access.user,
    )


def certificate_register_remote(
    *, access: Access, agency: Agency, user_ref: str
) -> SigningCertificate:
    """Register the caller's identity at the remote signing service (e.g. their NIK at BSrE):
    the service gives the certificate; signing asks it for each signature."""
    access.require(access.in_agency(agency.pk) and access.user is not None)
    user_ref = (user_ref or "").strip()
    if not user_ref or len(user_ref) > 100:
        raise DomainError(
            _("Give your identity at the signing service (at most 100 characters)."),
            fields={"user_ref": [_("Required.")]},
        )
    try:
        adapter = remote.load_adapter(settings.DOCUMENTS_REMOTE_SIGNER)
        chain = adapter.certificate_chain(user_ref=user_ref)
        facts = ca_crypto.describe(chain[0])
    except crypto.CryptoError as exc:
        raise DomainError(str(exc), code=exc.code) from None
    cert = SigningCertificate(
        user=access.user,
        agency=agency,
        source=Source.REMOTE,
        subject=facts.subject,
        issuer=facts.issuer,
        serial=facts.serial,
        fingerprint=facts.fingerprint,
        certificate_pem=chain[0],
        chain_pem="".join(chain[1:]),
        key_encrypted=keystore.encrypt(user_ref.encode()),
        not_before=facts.not_before,
        not_after=facts.not_after,
    )
    return _save(cert, access.user)


def certificate_revoke(
    *, access: Access, certificate: SigningCertificate, reason: str
) -> SigningCertificate:
    """Revoke a certificate (its owner, BKPSDM): it never signs again and the agency CA's
    revocation list names it, so signatures made with it are reported revoked."""
    own = access.user is not None and certificate.user_id == access.user.pk
    access.require(own or access.manages_certificates(certificate.agency_id))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Say why the certificate is revoked."), fields={"reason": [_("Required.")]}
        )
    if certificate.revoked_at is not None:
        raise Conflict(_("This certificate is already revoked."), code="already_revoked")
    certificate.revoked_at = calendar_service.utcnow()
    certificate.revoked_reason = reason[:300]
    certificate.revoked_by = access.user
    with transaction.atomic():
        _save(certificate, access.user)
        if certificate.source == Source.AGENCY_CA:
            authority = AgencyCA.objects.filter(agency_id=certificate.agency_id).first()
            if authority is not None:
                crl_renew(authority)
    return certificate


def _day(moment: datetime, zone: str) -> str:
    """A moment's date in the agency's zone, formatted for the reader."""
    return date_format(moment.astimezone(zone_info(zone)).date())


def problem_with(cert: SigningCertificate, now: datetime) -> tuple[str, str] | None:
    """(code, message) when the certificate may not sign now, else None."""
    zone = cert.agency.zone
    if cert.revoked_at is not None:
        return "certificate_revoked", _(
            "Your certificate %(serial)s was revoked on %(day)s (%(reason)s): it can no longer "
            "sign. Request or import a new certificate."
        ) % {
            "serial": cert.serial,
            "day": _day(cert.revoked_at, zone),
            "reason": cert.revoked_reason,
        }
    if cert.not_after <= now:
        return "certificate_expired", _(
            "Your certificate %(serial)s expired on %(day)s: it can no longer sign. Request or "
            "import a new certificate."
        ) % {"serial": cert.serial, "day": _day(cert.not_after, zone)}
    if cert.not_before > now:
        return "certificate_not_yet_valid", _(
            "Your certificate %(serial)s is valid only from %(day)s."
        ) % {"serial": cert.serial, "day": _day(cert.not_before, zone)}
    return None


def certificate_for_signing(
    *, access: Access, agency: Agency, certificate_id: int | None = None
) -> SigningCertificate:
    """The certificate the caller signs with: the one named, else their newest one. A first
    signature in an installation with the agency CA issues one; a revoked or expired one is
    refused, never silently replaced."""
    user = access.user
    mine = SigningCertificate.objects.filter(user=user)
    if certificate_id is not None:
        cert = mine.filter(pk=certificate_id).first()
        if cert is None:
            raise NotAllowed(_("This certificate is not yours."), code="not_your_certificate")
    else:
        cert = default_certificate(user) or certificate_issue(
            access=access, user=user, agency=agency
        )
    problem = problem_with(cert, calendar_service.utcnow())
    if problem is not None:
        raise DomainError(problem[1], code=problem[0])
    return cert


CRL_RENEW = timedelta(days=1)  # the CRL is valid for a week; a fresh one is made daily


def crl_renew(authority: AgencyCA, now: datetime | None = None) -> AgencyCA:
    """Sign a new revocation list of the agency CA (after a revocation, or once a day)."""
    now = now or calendar_service.utcnow()
    revoked = list(
        SigningCertificate.objects.filter(
            agency_id=authority.agency_id, source=Source.AGENCY_CA, revoked_at__isnull=False
        ).values_list("serial", "revoked_at")
    )
    authority.crl_number += 1
    authority.crl_der = ca_crypto.make_crl(
        ca_certificate_pem=authority.certificate_pem,
        ca_key_pem=keystore.decrypt(authority.key_encrypted),
        revoked=revoked,
        number=authority.crl_number,
        now=now,
    )
    authority.crl_made_at = now
    authority.save(update_fields=["crl_number", "crl_der", "crl_made_at", "updated_at"])
    return authority


def crls() -> list[bytes]:
    """The current revocation list of every agency CA that has revoked a certificate; renewed
    here only when a day old."""
    now = calendar_service.utcnow()
    agencies = set(
        SigningCertificate.objects.filter(
            source=Source.AGENCY_CA, revoked_at__isnull=False
        ).values_list("agency_id", flat=True)
    )
    found = []
    for authority in AgencyCA.objects.filter(agency_id__in=agencies):
        if (
            not authority.crl_der
            or authority.crl_made_at is None
            or (now - authority.crl_made_at >= CRL_RENEW)
        ):
            authority = crl_renew(authority, now)
        found.append(bytes(authority.crl_der))
    return found


def trust_roots() -> list[str]:
    """Every agency CA of this installation, and the roots named by DOCUMENTS_TRUST_ROOTS."""
    roots = list(AgencyCA.objects.values_list("certificate_pem", flat=True))
    path = settings.DOCUMENTS_TRUST_ROOTS
    if path:
        with open(path, encoding="ascii") as handle:
            text = handle.read()
        marker = "-----END CERTIFICATE-----"
        roots += [part + marker + "\n" for part in text.split(marker) if "BEGIN" in part]
    return roots
