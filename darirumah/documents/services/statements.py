"""Statement letters at scale (R25): when a circular is put in force, every employee it covers
finds a statement letter ("I will stay at home during WFH") waiting for their signature.

Run as a background job after the circular's activation commits (documents.tasks); running it
twice adds only the letters still missing (one letter per circular and employee is also a
database constraint).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from darirumah.core.calendar import calendar_for
from darirumah.core.errors import DomainError
from darirumah.notify.services import notify
from darirumah.org.access import Access
from darirumah.policy.models import Circular

from ..models import Document, Kind, Signer
from ..render.letter import render_letter
from ..selectors import sources
from ..selectors.statements import covered_employees
from .numbering import numbers_take
from .registry import new_code, official, sha256, store_revision

BATCH = 100


def statements_generate(*, circular: Circular) -> int:
    """Make the missing statement letters of a circular in force; returns how many were made.
    Employees without a login cannot sign and are skipped (the head's list shows them)."""
    if circular.status not in Circular.IN_FORCE:
        return 0
    taken = set(
        Document.objects.filter(circular=circular, kind=Kind.STATEMENT)
        .exclude(status=Document.Status.CANCELLED)
        .values_list("employee_id", flat=True)
    )
    employees = [
        e
        for e in covered_employees(circular).select_related("unit", "user")
        if e.pk not in taken and e.user_id is not None
    ]
    made = 0
    for start in range(0, len(employees), BATCH):
        made += _batch(circular, employees[start : start + BATCH])
    return made


def _batch(circular: Circular, employees: list) -> int:
    agency = circular.agency
    today = calendar_for(agency).today()
    documents: list[Document] = []
    try:
        with transaction.atomic():
            return _write(circular, employees, today, documents)
    except BaseException:
        for document in documents:  # files of rows that were rolled back
            if document.file.name:
                document.file.storage.delete(document.file.name)
        raise


def _write(circular: Circular, employees: list, today, documents: list) -> int:
    agency = circular.agency
    # One run at a time per circular (the activation's job, the "make missing" button): the
    # letters already made are read again under the lock.
    Circular.objects.select_for_update().filter(pk=circular.pk).first()
    taken = set(
        Document.objects.filter(
            circular=circular, kind=Kind.STATEMENT, employee__in=[e.pk for e in employees]
        )
        .exclude(status=Document.Status.CANCELLED)
        .values_list("employee_id", flat=True)
    )
    employees = [e for e in employees if e.pk not in taken]
    if not employees:
        return 0
    numbers = numbers_take(agency=agency, kind=Kind.STATEMENT, day=today, count=len(employees))
    letters = sources.statement_letters(circular, employees, numbers)
    for employee, number, letter in zip(employees, numbers, letters, strict=True):
        data, boxes = render_letter(letter)
        code = new_code()
        document = Document(
            agency=agency,
            kind=Kind.STATEMENT,
            number=number,
            title=official(
                gettext_lazy("Statement letter for circular %(number)s: %(name)s"),
                number=circular.number,
                name=employee.name,
            ),
            code=code,
            circular=circular,
            employee=employee,
            unit=employee.unit,
            file_name=f"surat-pernyataan-{employee.nip}.pdf",
            original_sha256=sha256(data),
            stamp_boxes=boxes,
        )
        document.save()
        documents.append(document)
        store_revision(document, data, 0)
    Document.objects.bulk_update(documents, ["file", "sha256"])
    Signer.objects.bulk_create(
        Signer(
            document=d,
            order=1,
            user_id=e.user_id,
            name=e.name,
            position=e.position,
            field_name="Signature1",
        )
        for d, e in zip(documents, employees, strict=True)
    )
    transaction.on_commit(lambda: _tell(circular, employees))
    return len(documents)


def _tell(circular: Circular, employees: list) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            [e.user_id for e in employees],
            kind="documents.statement",
            title=_("Sign your WFH statement letter for circular %(number)s")
            % {"number": circular.number},
            body=_("Open your documents to sign it in one tap."),
            link="/documents/sign/",
            key=f"documents.statement:{circular.pk}",
        )


def statements_request(*, access: Access, circular: Circular) -> int:
    """Make the missing statement letters now (BKPSDM, pimpinan), e.g. after new staff joined."""
    access.require(access.decides_policy(circular.agency_id))
    if circular.status not in Circular.IN_FORCE:
        raise DomainError(
            _("Statement letters are made for a circular in force."), code="not_in_force"
        )
    return statements_generate(circular=circular)
