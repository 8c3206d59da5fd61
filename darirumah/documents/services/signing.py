"""Signing a document: the caller, when it is their turn, with their own certificate.

Each signature is a PAdES signature added as an incremental update (pyHanko), so the earlier
signatures stay valid; the signed file is stored as a new version and becomes the current one.
The document row is locked while signing, so two taps never make two signatures.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from darirumah.core import calendar as calendar_service
from darirumah.core.errors import Conflict, DomainError, NotAllowed
from darirumah.notify.services import notify
from darirumah.org.access import Access

from .. import crypto
from ..crypto import ca as ca_crypto
from ..crypto import keystore, remote
from ..crypto import sign as sign_crypto
from ..models import Document, Signer, SigningCertificate
from . import certificates
from .registry import stamp_now_text, store_revision, verification_url

Source = SigningCertificate.Source


def _pyhanko_signer(cert: SigningCertificate, passphrase: str):
    if cert.source == Source.AGENCY_CA:
        return sign_crypto.signer_from_key(
            certificate_pem=cert.certificate_pem,
            key_pem=keystore.decrypt(cert.key_encrypted),
            chain_pem=cert.chain_pem,
        )
    if not passphrase:
        raise DomainError(
            _("Enter the passphrase of your certificate to sign."),
            code="passphrase_required",
            fields={"passphrase": [_("Required.")]},
        )
    if cert.source == Source.PKCS12:
        return sign_crypto.signer_from_pkcs12(
            data=keystore.decrypt(cert.pkcs12_encrypted), passphrase=passphrase
        )
    adapter = remote.load_adapter(settings.DOCUMENTS_REMOTE_SIGNER)
    user_ref = keystore.decrypt(cert.key_encrypted).decode()
    # The signature must be made with the certificate checked here (validity, revocation),
    # not whichever one the service holds today.
    chain = adapter.certificate_chain(user_ref=user_ref)
    if not chain or ca_crypto.describe(chain[0]).fingerprint != cert.fingerprint:
        raise DomainError(
            _(
                "The signing service now holds another certificate for you than the one "
                "registered here: register your identity at the signing service again."
            ),
            code="certificate_changed",
        )
    return sign_crypto.signer_from_remote(adapter=adapter, user_ref=user_ref, passphrase=passphrase)


def _turn(document: Document, access: Access) -> tuple[Signer, list[Signer]]:
    signers = list(document.signers.order_by("order"))
    mine = next(s for s in signers if s.user_id == access.user.pk)
    if mine.status == Signer.Status.SIGNED:
        raise Conflict(_("You have already signed this document."), code="already_signed")
    first_waiting = next(s for s in signers if s.status == Signer.Status.WAITING)
    if first_waiting.pk != mine.pk:
        raise Conflict(
            _("It is not your turn yet: %(name)s (%(position)s) signs before you.")
            % {"name": first_waiting.name, "position": first_waiting.position or "-"},
            code="out_of_order",
        )
    return mine, signers


def _require_in_force(document: Document) -> None:
    from darirumah.policy.models import Circular

    status = Circular.objects.filter(pk=document.circular_id).values_list("status", flat=True)
    if status.first() not in Circular.IN_FORCE:
        raise Conflict(
            _("The circular of this statement letter is no longer in force: nothing to sign."),
            code="circular_closed",
        )


def document_sign(
    *,
    access: Access,
    document: Document,
    passphrase: str = "",
    certificate_id: int | None = None,
) -> Document:
    """Sign the document as the caller, who must be the next signer in order."""
    if access.user is None or not access.user.is_authenticated:
        raise NotAllowed(_("Log in to sign."))
    with transaction.atomic():
        document = Document.objects.select_for_update().select_related("agency").get(pk=document.pk)
        if not document.signers.filter(user_id=access.user.pk).exists():
            raise NotAllowed(
                _("You are not among the signers of this document."), code="not_a_signer"
            )
        if document.status != Document.Status.PENDING:
            raise Conflict(
                _("This document is %(status)s: it cannot be signed.")
                % {"status": document.get_status_display().lower()},
                code="not_pending",
            )
        mine, signers = _turn(document, access)
        if document.kind == "statement" and document.circular_id:
            _require_in_force(document)
        cert = certificates.certificate_for_signing(
            access=access, agency=document.agency, certificate_id=certificate_id
        )
        now = calendar_service.utcnow()
        with document.file.open("rb") as handle:
            data = handle.read()
        index = mine.order - 1
        boxes = document.stamp_boxes or []
        place = (
            boxes[index] if index < len(boxes) else sign_crypto.default_box(data=data, index=index)
        )
        with translation.override(settings.LANGUAGE_CODE):
            stamp = sign_crypto.Stamp(
                name=mine.name,
                position=mine.position,
                signed_at=stamp_now_text(document.agency),
                url=verification_url(document.code),
                heading=_("Electronically signed by"),
                note=_("Agency CA certificate: not legally certified")
                if cert.source == Source.AGENCY_CA
                else "",
            )
            reason = _("Signed in DariRumah: %(number)s") % {
                "number": document.number or document.code
            }
        try:
            signed = sign_crypto.sign_pdf(
                data,
                signer=_pyhanko_signer(cert, passphrase),
                field_name=mine.field_name or f"Signature{mine.order}",
                stamp=stamp,
                page=place["page"],
                box=place["box"],
                reason=reason,
                location=document.agency.region,
                tsa_url=settings.DOCUMENTS_TSA_URL,
            )
        except crypto.CryptoError as exc:
            raise DomainError(str(exc), code=exc.code) from None
        revision = store_revision(document, signed, document.revisions.count())
        mine.status = Signer.Status.SIGNED
        mine.signed_at = now
        mine.certificate = cert
        mine.revision = revision
        mine.timestamped = bool(settings.DOCUMENTS_TSA_URL)
        mine._history_user = access.user
        mine.save()
        last = all(s.pk == mine.pk or s.status == Signer.Status.SIGNED for s in signers)
        if last:
            document.status = Document.Status.SIGNED
        document._history_user = access.user
        document.save(update_fields=["file", "sha256", "status", "updated_at"])
        following = next((s for s in signers if s.order > mine.order), None)
        transaction.on_commit(lambda: _tell(document, following, last))
    return document


def _tell(document: Document, following: Signer | None, last: bool) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        link = f"/documents/{document.pk}/"
        title = document.number or document.title
        if following is not None and not last:
            notify(
                [following.user_id],
                kind="documents.sign_requested",
                title=_("A document awaits your signature: %(title)s") % {"title": title},
                body=document.title,
                link=link,
                key=f"documents.sign:{document.pk}:{following.user_id}",
            )
        elif last and document.created_by_id and document.kind != "statement":
            notify(
                [document.created_by_id],
                kind="documents.signed",
                title=_("Signed by everyone: %(title)s") % {"title": title},
                body=document.title,
                link=link,
            )
