"""Urgent reports from an OPD to BKPSDM (R8), at any time, flagged to BKPSDM at once.

Who may (decided here, on top of org/access.py):
- report for a unit: its OPD admin or head (over the unit's subtree), BKPSDM of the agency, the
  platform operator (`Access.arranges_unit`);
- read: whoever oversees the unit (its admin and head, BKPSDM, pimpinan, the operator). Plain
  staff do not: a report may name a sick colleague (health data, UU 27/2022);
- acknowledge: BKPSDM of the agency and the operator.

Attachments are judged by their content, never by their name: PDF, JPEG, PNG or WebP.
"""

from __future__ import annotations

import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from darirumah.core.calendar import utcnow
from darirumah.core.errors import Conflict, DomainError, NotAllowed, NotFound
from darirumah.core.files import display_name, file_kind, image_is_whole
from darirumah.notify.services import notify
from darirumah.org.access import Access
from darirumah.org.models import Role, RoleAssignment, Unit

from ..models import Incident, IncidentAttachment

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024
TEXT_MAX = 5000


# --- who may ---------------------------------------------------------------------------------


def reads_incidents(access: Access) -> bool:
    """Has any reports to read at all (the list page is theirs)."""
    return bool(
        access.is_operator
        or access.agency_roles & {Role.BKPSDM, Role.PIMPINAN}
        or access.unit_paths(Role.ADMIN_OPD, Role.KEPALA_OPD)
    )


def incidents_visible(access: Access) -> QuerySet[Incident]:
    """The reports the caller may read: the agency's for BKPSDM, pimpinan and the operator, the
    unit subtrees of OPD admins and heads; nothing for anyone else."""
    qs = Incident.objects.filter(agency__in=access.agencies())
    if access.is_operator or access.agency_roles & {Role.BKPSDM, Role.PIMPINAN}:
        return qs
    paths = access.unit_paths(Role.ADMIN_OPD, Role.KEPALA_OPD)
    if not paths:
        return Incident.objects.none()
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(unit__path__startswith=path)
    return qs.filter(q)


def acknowledges(access: Access, incident: Incident) -> bool:
    return access.manages_agency(incident.agency_id)


# --- attachments -----------------------------------------------------------------------------


def check_files(files) -> list[tuple[str, str, bytes]]:
    """(display name, kind, content) per file, or a DomainError listing every bad file."""
    files = list(files or [])
    if len(files) > MAX_FILES:
        raise DomainError(
            _("Attach at most %(n)s files.") % {"n": MAX_FILES},
            fields={"files": [_("Too many files.")]},
        )
    checked, problems = [], []
    for upload in files:
        name = getattr(upload, "name", "") or ""
        size = getattr(upload, "size", None)
        if size is not None and size > MAX_FILE_BYTES:
            problems.append(
                _("%(name)s is larger than %(mb)s MB.")
                % {"name": name, "mb": MAX_FILE_BYTES // (1024 * 1024)}
            )
            continue
        upload.seek(0)
        data = upload.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            problems.append(
                _("%(name)s is larger than %(mb)s MB.")
                % {"name": name, "mb": MAX_FILE_BYTES // (1024 * 1024)}
            )
            continue
        kind = file_kind(data[:16])
        if kind is None or (kind != "pdf" and not image_is_whole(data)):
            problems.append(
                _("%(name)s is not a PDF, JPEG, PNG or WebP file.") % {"name": name or "?"}
            )
            continue
        checked.append((display_name(name, kind), kind, data))
    if problems:
        raise DomainError(
            _("The report was not sent: %(problem)s") % {"problem": " ".join(problems)},
            fields={"files": problems},
        )
    return checked


# --- writes ----------------------------------------------------------------------------------


def _bkpsdm_user_ids(agency_id: int) -> list[int]:
    return list(
        RoleAssignment.objects.filter(
            role=Role.BKPSDM,
            agency_id=agency_id,
            revoked_at__isnull=True,
            user__is_active=True,
        )
        .values_list("user_id", flat=True)
        .distinct()
    )


def incident_flag(incident: Incident) -> int:
    """Tell every BKPSDM user of the agency about the report (once each: key `incident:<id>`)."""
    values = {
        "unit": incident.unit.name,
        "category": incident.get_category_display(),
        "text": incident.text[:500],
    }
    return notify(
        _bkpsdm_user_ids(incident.agency_id),
        kind="attendance.incident",
        title=gettext_lazy("Urgent report from %(unit)s: %(category)s") % values,
        body=gettext_lazy("%(unit)s reports (%(category)s):\n\n%(text)s") % values,
        link=reverse("incident_list"),
        key=f"incident:{incident.pk}",
    )


def incident_report(*, access: Access, unit: Unit, category: str, text: str, files=()):
    """Record an urgent report with its attachments and flag it to BKPSDM after the commit."""
    if not access.in_agency(unit.agency_id):
        raise NotFound(_("Not found, or not visible to you."))
    access.require(
        access.arranges_unit(unit),
        _("Only the OPD admin or head of this unit, or BKPSDM, sends an urgent report."),
    )
    text = (text or "").strip()
    fields = {}
    if category not in Incident.Category.values:
        fields["category"] = [_("Choose a category.")]
    if not text:
        fields["text"] = [_("Say what happened.")]
    elif len(text) > TEXT_MAX:
        fields["text"] = [_("Keep it under %(n)s characters.") % {"n": TEXT_MAX}]
    if fields:
        raise DomainError(_("The report was not sent: correct the marked fields."), fields=fields)
    checked = check_files(files)
    with transaction.atomic():
        incident = Incident(
            agency_id=unit.agency_id,
            unit=unit,
            category=category,
            text=text,
            reported_by=access.user,
        )
        incident._history_user = access.user
        incident.full_clean()
        incident.save()
        for name, kind, data in checked:
            extension = "jpg" if kind == "jpeg" else kind
            attachment = IncidentAttachment(incident=incident, name=name)
            attachment.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(data), save=False)
            attachment.save()
        transaction.on_commit(lambda: incident_flag(incident))
    return incident


def incident_acknowledge(*, access: Access, incident: Incident) -> Incident:
    """BKPSDM has read the report and acts on it; a report is acknowledged once."""
    if not incidents_visible(access).filter(pk=incident.pk).exists():
        raise NotFound(_("Not found, or not visible to you."))
    if not acknowledges(access, incident):
        raise NotAllowed(_("Only BKPSDM acknowledges an urgent report."))
    with transaction.atomic():
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        if locked.acknowledged_at is not None:
            raise Conflict(_("This report was already acknowledged."))
        locked.acknowledged_by = access.user
        locked.acknowledged_at = utcnow()
        locked._history_user = access.user
        locked.save()
    return locked
