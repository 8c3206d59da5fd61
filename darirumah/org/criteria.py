"""An employee's placement criteria of SE MenPANRB 58/2020: who may see and change which, and the
write. The roster planner reads them through darirumah.policy.rules.person_placement."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from darirumah.core.errors import DomainError, NotAllowed
from darirumah.policy.rules import PersonCriteria

from .access import Access
from .models import Employee
from .services import _save

# Health data (UU 27/2022): hidden from whoever may not see them (Access.sees_health_flags).
HEALTH_FIELDS = ("comorbidity", "pregnant", "recent_contact_until")
TRAVEL_FIELDS = ("recent_travel_until",)
WORK_FIELDS = ("top_official", "strategic_post")
CRITERIA_FIELDS = (*HEALTH_FIELDS, *TRAVEL_FIELDS, *WORK_FIELDS)


def may_edit(access: Access, employee: Employee, name: str) -> bool:
    if name in HEALTH_FIELDS:
        return access.edits_health_flags(employee)
    if name in TRAVEL_FIELDS:
        return access.edits_travel(employee)
    return access.edits_work_criteria(employee)


def editable_fields(access: Access, employee: Employee) -> list[str]:
    """The criteria the caller may change for this employee, in form order."""
    return [name for name in CRITERIA_FIELDS if may_edit(access, employee, name)]


def hidden_fields(access: Access, employee: Employee) -> tuple[str, ...]:
    """The criteria the caller may not even see (the health ones, for most callers)."""
    return () if access.sees_health_flags(employee) else HEALTH_FIELDS


def person_criteria(employee: Employee) -> PersonCriteria:
    """The employee's criteria as the planner's plain data."""
    return PersonCriteria(
        birth_date=employee.birth_date,
        comorbidity=employee.comorbidity,
        pregnant=employee.pregnant,
        recent_travel_until=employee.recent_travel_until,
        recent_contact_until=employee.recent_contact_until,
        top_official=employee.top_official,
        strategic_post=employee.strategic_post,
    )


def employee_criteria_update(*, access: Access, employee: Employee, **fields) -> Employee:
    """Change an employee's criteria. Each field is checked on its own: the person may declare
    their pregnancy but not make themself a top official. The history keeps every change."""
    unknown = set(fields) - set(CRITERIA_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields are not placement criteria: %(f)s.")
            % {"f": ", ".join(sorted(unknown))},
            fields={f: [_("Not a criterion.")] for f in unknown},
        )
    refused = sorted(name for name in fields if not may_edit(access, employee, name))
    if refused:
        raise NotAllowed(
            _("You cannot change these criteria of this employee: %(f)s.")
            % {"f": ", ".join(refused)},
            fields={f: [_("Not yours to change.")] for f in refused},
        )
    for name, value in fields.items():
        setattr(employee, name, value)
    with transaction.atomic():
        _save(employee, actor=access.user, message=_("The criteria cannot be saved"))
    return employee
