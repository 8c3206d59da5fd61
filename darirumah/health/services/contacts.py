"""Close contacts of a confirmed case: the health officer picks them from the traced colleagues
(selectors/tracing.py); each is recorded with how close they worked and the days they shared,
and goes into isolation (services/isolations.py) — all of them, or none, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from darirumah.core import calendar as calendar_service
from darirumah.core.errors import DomainError, NotFound
from darirumah.org.access import Access
from darirumah.org.models import Employee

from ..models import CloseContact, HealthAccessLog, HealthCase, Isolation
from ..selectors.tracing import traced
from .audit import clean_reason, health_access_log
from .isolations import MAX_DAYS, default_end, isolation_create


@dataclass
class Marked:
    contacts: list[CloseContact] = field(default_factory=list)
    isolations: list[Isolation] = field(default_factory=list)
    # Already close contacts of the case: left as they are.
    skipped: list[Employee] = field(default_factory=list)


def contacts_mark(
    *,
    access: Access,
    case: HealthCase,
    employee_ids,
    reason: str,
    starts_on: date | None = None,
    days: int | None = None,
) -> Marked:
    """Mark traced colleagues of a confirmed case as its close contacts, each with an isolation
    from `starts_on` (the agency's today by default) for `days` days (the agency's isolation
    length by default). Everyone must be among the traced colleagues; people already marked are
    skipped and reported back."""
    if access.agency_id is None or case.agency_id != access.agency_id:
        raise NotFound(_("Not found, or not visible to you."))
    access.require(
        access.records_health(case.agency_id),
        _("Only the agency's health officers mark close contacts."),
    )
    reason = clean_reason(reason)
    wanted = list(dict.fromkeys(int(pk) for pk in employee_ids))
    if not wanted:
        message = _("Choose at least one colleague to mark as a close contact.")
        raise DomainError(message, fields={"employees": [message]})
    if days is not None and not 1 <= days <= MAX_DAYS:
        message = _("An isolation lasts 1 to %(n)d days.") % {"n": MAX_DAYS}
        raise DomainError(message, fields={"days": [message]})
    result = traced(case)
    found = result.by_id
    strangers = [pk for pk in wanted if pk not in found]
    if strangers:
        names = dict(
            Employee.objects.filter(pk__in=strangers, agency_id=case.agency_id).values_list(
                "pk", "name"
            )
        )
        listed = ", ".join(names.get(pk, f"#{pk}") for pk in strangers)
        message = _(
            "Not among the colleagues traced for this case (at the same office on one of its "
            "days): %(names)s."
        ) % {"names": listed}
        raise DomainError(message, code="not_traced", fields={"employees": [message]})
    start = starts_on or calendar_service.calendar_for(case.agency).today()
    end = default_end(case.agency_id, start, days)
    people = {
        e.pk: e for e in Employee.objects.filter(pk__in=wanted).select_related("agency", "unit")
    }
    marked = Marked()
    with transaction.atomic():
        already = set(
            CloseContact.objects.filter(case=case, employee_id__in=wanted).values_list(
                "employee_id", flat=True
            )
        )
        for pk in wanted:
            person = people[pk]
            if pk in already:
                marked.skipped.append(person)
                continue
            traced_one = found[pk]
            contact = CloseContact(
                case=case,
                employee=person,
                group=traced_one.group,
                shared_days=[d.isoformat() for d in traced_one.shared_days],
                last_contact_on=traced_one.last_day,
                marked_by=access.user,
            )
            contact._history_user = access.user
            contact.save()
            marked.contacts.append(contact)
            marked.isolations.append(
                isolation_create(
                    access=access,
                    employee=person,
                    starts_on=start,
                    ends_on=end,
                    reason_kind=Isolation.Reason.CONTACT,
                    case=case,
                    contact=contact,
                    reason=reason,
                )
            )
        if marked.contacts:
            health_access_log(
                access=access,
                agency_id=case.agency_id,
                action=HealthAccessLog.Action.CREATE,
                subject=f"case:{case.pk}:contacts",
                reason=reason,
                employees=[c.employee_id for c in marked.contacts],
            )
    return marked
