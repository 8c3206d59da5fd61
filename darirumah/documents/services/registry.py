"""The document register: letters generated from the agency's data, uploaded PDFs, cancelling.

Every document gets a number (the agency's format, a yearly sequence), an unguessable
verification code, its file as version 0 with its SHA-256, and its signers in order.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from darirumah.core import calendar as calendar_service
from darirumah.core.calendar import calendar_for
from darirumah.core.errors import Conflict, DomainError, NotAllowed
from darirumah.core.files import display_name, file_kind
from darirumah.notify.services import notify
from darirumah.org.access import Access
from darirumah.org.models import Agency, Employee, Unit, User

from .. import crypto
from ..crypto import sign as sign_crypto
from ..models import Document, DocumentRevision, Kind, Signer
from ..render.letter import render_letter
from ..selectors import sources, sources_reports
from .numbering import numbers_take

MAX_SIGNERS = 6
MAX_TITLE = 300


@dataclass(frozen=True)
class SignerSpec:
    user: User
    name: str
    position: str


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def new_code() -> str:
    return secrets.token_hex(10)


def official(message, **params) -> str:
    """Text stored in the register (a title): in the default language, whatever the request
    speaks; `message` is a gettext_lazy string."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(message) % params


def verification_path(code: str) -> str:
    return f"/documents/verify/{code}/"


def verification_url(code: str) -> str:
    return settings.SITE_URL.rstrip("/") + verification_path(code)


def signer_specs(agency: Agency, users: list[User]) -> list[SignerSpec]:
    """The signers as named on their stamps: each must belong to the agency, once."""
    if not users:
        raise DomainError(
            _("Name at least one signer."), fields={"signers": [_("At least one signer.")]}
        )
    if len(users) > MAX_SIGNERS:
        raise DomainError(
            _("At most %(n)s signers.") % {"n": MAX_SIGNERS},
            fields={"signers": [_("Too many signers.")]},
        )
    if len({u.pk for u in users}) != len(users):
        raise DomainError(
            _("A person can sign a document only once."),
            fields={"signers": [_("Each signer once.")]},
        )
    employees = {
        e.user_id: e for e in Employee.objects.filter(user__in=users, agency=agency, is_active=True)
    }
    strangers = [u for u in users if u.pk not in employees]
    if strangers:
        # Named by nothing but the caller's own input: no one of another agency is revealed.
        raise DomainError(
            _("Signers must be active employees of the agency: %(ids)s is not.")
            % {"ids": ", ".join(str(u.pk) for u in strangers)},
            fields={"signers": [_("Not an employee of this agency.")]},
        )
    return [
        SignerSpec(user=u, name=employees[u.pk].name, position=employees[u.pk].position)
        for u in users
    ]


def _check_pdf(data: bytes) -> None:
    if not data or file_kind(data[:16]) != "pdf":
        raise DomainError(
            _("The file is not a PDF."), code="not_pdf", fields={"file": [_("Choose a PDF file.")]}
        )
    if len(data) > settings.DOCUMENTS_MAX_BYTES:
        raise DomainError(
            _("The file is larger than %(mb)s MB.")
            % {"mb": settings.DOCUMENTS_MAX_BYTES // (1024 * 1024)},
            code="too_large",
            fields={"file": [_("Too large.")]},
        )
    try:  # pyHanko must be able to read it, or it could never be signed
        sign_crypto.signature_count(data)
    except crypto.CryptoError as exc:
        raise DomainError(str(exc), code="bad_pdf", fields={"file": [str(exc)]}) from None


def store_revision(document: Document, data: bytes, number: int) -> DocumentRevision:
    """Save a version of the document's file; it becomes the document's current file."""
    revision = DocumentRevision(document=document, number=number, sha256=sha256(data))
    revision.size = len(data)
    revision.file.save(f"{document.code}-v{number}.pdf", ContentFile(data), save=False)
    revision.save()
    document.file.name = revision.file.name
    document.sha256 = revision.sha256
    return revision


def _register(
    *,
    actor: User,
    agency: Agency,
    kind: str,
    title: str,
    number: str,
    data: bytes,
    boxes: list[dict],
    signers: list[SignerSpec],
    file_name: str = "",
    **links,
) -> Document:
    code = new_code()
    document = Document(
        agency=agency,
        kind=kind,
        title=title[:MAX_TITLE],
        number=number,
        code=code,
        file_name=file_name or f"{kind}-{code}.pdf",
        sha256="",
        original_sha256=sha256(data),
        stamp_boxes=boxes,
        created_by=actor,
        **links,
    )
    document._history_user = actor
    try:
        with transaction.atomic():
            document.save()
            store_revision(document, data, 0)
            document.save(update_fields=["file", "sha256"])
            Signer.objects.bulk_create(
                Signer(
                    document=document,
                    order=i,
                    user=s.user,
                    name=s.name,
                    position=s.position,
                    field_name=f"Signature{i}",
                )
                for i, s in enumerate(signers, start=1)
            )
        first = signers[0].user.pk
        transaction.on_commit(lambda: _tell_first(document, first))
    except IntegrityError:
        _remove_file(document)
        raise Conflict(
            _("The number %(number)s is already in the register.") % {"number": number},
            code="duplicate_number",
            fields={"number": [_("Already used.")]},
        ) from None
    except BaseException:
        _remove_file(document)
        raise
    return document


def _remove_file(document: Document) -> None:
    """A file stored for a document whose rows were not written goes too."""
    if document.file.name:
        document.file.storage.delete(document.file.name)


def _tell_first(document: Document, user_id: int) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            [user_id],
            kind="documents.sign_requested",
            title=_("A document awaits your signature: %(title)s")
            % {"title": document.number or document.title},
            body=document.title,
            link=f"/documents/{document.pk}/",
            key=f"documents.sign:{document.pk}:{user_id}",
        )


def _render(letter, signers: list[SignerSpec]) -> tuple[bytes, list[dict]]:
    # One caption and one reserved stamp place per signer, in signing order.
    letter.signature_captions = [f"{s.position}," if s.position else "" for s in signers]
    return render_letter(letter)


def _today(agency: Agency) -> date:
    return calendar_for(agency).today()


@transaction.atomic
def document_circular(*, access: Access, circular, signers: list[User]) -> Document:
    """The circular as a letter, numbered with its own number, signed by its issuers."""
    access.require(access.decides_policy(circular.agency_id))
    specs = signer_specs(circular.agency, signers)
    if circular.documents.filter(kind=Kind.CIRCULAR).exclude(status="cancelled").exists():
        raise Conflict(
            _("This circular already has a letter in the register; cancel it to make a new one."),
            code="exists",
        )
    data, boxes = _render(sources.circular_letter(circular), specs)
    return _register(
        actor=access.user,
        agency=circular.agency,
        kind=Kind.CIRCULAR,
        title=official(
            gettext_lazy("Circular %(number)s: %(title)s"),
            number=circular.number,
            title=circular.title,
        ),
        number=circular.number,
        data=data,
        boxes=boxes,
        signers=specs,
        circular=circular,
    )


@transaction.atomic
def document_evaluation(
    *, access: Access, unit: Unit, period: date, signers: list[User]
) -> Document:
    """The month-end evaluation of a unit as a letter for its head (and BKPSDM) to sign."""
    access.require(access.prepares_unit_documents(unit))
    period = period.replace(day=1)
    specs = signer_specs(unit.agency, signers)
    number = numbers_take(
        agency=unit.agency, kind=Kind.EVALUATION, day=_today(unit.agency), unit_code=unit.code
    )[0]
    letter = sources_reports.evaluation_letter(unit.agency, unit, period, number=number)
    data, boxes = _render(letter, specs)
    return _register(
        actor=access.user,
        agency=unit.agency,
        kind=Kind.EVALUATION,
        title=official(
            gettext_lazy("Month-end evaluation %(period)s: %(unit)s"),
            period=period.strftime("%Y-%m"),
            unit=unit.name,
        ),
        number=number,
        data=data,
        boxes=boxes,
        signers=specs,
        unit=unit,
        period=period.strftime("%Y-%m"),
    )


@transaction.atomic
def document_recap(*, access: Access, agency: Agency, day: date, signers: list[User]) -> Document:
    """The day's recap of every OPD as a letter (BKPSDM)."""
    access.require(access.prepares_agency_documents(agency.pk))
    specs = signer_specs(agency, signers)
    number = numbers_take(agency=agency, kind=Kind.RECAP, day=_today(agency))[0]
    data, boxes = _render(sources_reports.recap_letter(agency, day, number=number), specs)
    return _register(
        actor=access.user,
        agency=agency,
        kind=Kind.RECAP,
        title=official(gettext_lazy("Daily recap %(day)s"), day=day.isoformat()),
        number=number,
        data=data,
        boxes=boxes,
        signers=specs,
        period=day.isoformat(),
    )


@transaction.atomic
def document_discipline(*, access: Access, case, signers: list[User]) -> Document:
    """The decision letter of a decided discipline case, for the deciding official to sign."""
    from darirumah.performance.selectors.discipline import decides_case

    access.require(decides_case(access, case))
    if not case.sanction or case.decided_at is None:
        raise DomainError(
            _("Only a decided case with a sanction gets a decision letter."), code="not_decided"
        )
    if (
        Document.objects.filter(kind=Kind.DISCIPLINE, source_id=case.pk)
        .exclude(status="cancelled")
        .exists()
    ):
        raise Conflict(_("This case already has a decision letter."), code="exists")
    agency = case.employee.agency
    specs = signer_specs(agency, signers)
    number = numbers_take(
        agency=agency, kind=Kind.DISCIPLINE, day=_today(agency), unit_code=case.employee.unit.code
    )[0]
    data, boxes = _render(sources_reports.discipline_letter(case, number=number), specs)
    return _register(
        actor=access.user,
        agency=agency,
        kind=Kind.DISCIPLINE,
        title=official(gettext_lazy("Discipline decision: %(name)s"), name=case.employee.name),
        number=number,
        data=data,
        boxes=boxes,
        signers=specs,
        employee=case.employee,
        unit=case.employee.unit,
        source_id=case.pk,
    )


@transaction.atomic
def document_upload(
    *,
    access: Access,
    agency: Agency,
    title: str,
    data: bytes,
    file_name: str,
    signers: list[User],
    number: str = "",
    unit: Unit | None = None,
) -> Document:
    """Any PDF that needs signing (R15: a salary-increase letter…), numbered by the agency's
    format unless it already carries a number."""
    if unit is not None:
        access.require(unit.agency_id == agency.pk and access.prepares_unit_documents(unit))
    else:
        access.require(access.prepares_agency_documents(agency.pk))
    title = (title or "").strip()
    problems: dict[str, list[str]] = {}
    if not title:
        problems["title"] = [_("Required.")]
    elif len(title) > MAX_TITLE:
        problems["title"] = [_("At most %(n)s characters.") % {"n": MAX_TITLE}]
    number = (number or "").strip()
    if len(number) > 100:
        problems["number"] = [_("At most %(n)s characters.") % {"n": 100}]
    if problems:
        raise DomainError(
            _("The document was not registered: correct the marked fields."), fields=problems
        )
    _check_pdf(data)
    specs = signer_specs(agency, signers)
    if not number:
        number = numbers_take(
            agency=agency,
            kind=Kind.UPLOAD,
            day=_today(agency),
            unit_code=unit.code if unit else "",
        )[0]
    boxes = [sign_crypto.default_box(data=data, index=i) for i in range(len(specs))]
    return _register(
        actor=access.user,
        agency=agency,
        kind=Kind.UPLOAD,
        title=title,
        number=number,
        data=data,
        boxes=boxes,
        signers=specs,
        file_name=display_name(file_name, "document.pdf"),
        unit=unit,
    )


def document_cancel(*, access: Access, document: Document, reason: str) -> Document:
    """Cancel a document that is not fully signed (whoever made it, BKPSDM): it stays in the
    register, marked cancelled, and its number may be used again."""
    allowed = access.manages_agency(document.agency_id) or (
        access.user is not None and document.created_by_id == access.user.pk
    )
    if not allowed:
        raise NotAllowed(_("Only whoever registered the document or BKPSDM cancels it."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Say why the document is cancelled."), fields={"reason": [_("Required.")]}
        )
    with transaction.atomic():
        # Locked: a cancel racing the last signature must not undo a signed document.
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.status != Document.Status.PENDING:
            raise Conflict(
                _("Only a document still awaiting signatures can be cancelled; this one is %(s)s.")
                % {"s": document.get_status_display()},
                code="not_pending",
            )
        document.status = Document.Status.CANCELLED
        document.cancel_reason = reason[:300]
        document._history_user = access.user
        document.save(update_fields=["status", "cancel_reason", "updated_at"])
    return document


def stamp_now_text(agency: Agency) -> str:
    local = calendar_for(agency).now(calendar_service.utcnow())
    return f"{local:%d-%m-%Y %H:%M} {agency.zone}"
