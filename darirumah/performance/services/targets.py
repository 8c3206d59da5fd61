"""Targets (R14, R26): a supervisor or head assigns measurable targets to a person, or the head
to a whole unit at once (one target per active person, with a shared batch id). Who may is in
darirumah/performance/selectors.py."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from darirumah.core.errors import Conflict, DomainError, NotAllowed, from_django_validation
from darirumah.org.access import Access
from darirumah.org.models import Employee, Unit

from .. import rules, selectors
from ..models import Target

TEXT_FIELDS = {"indicator": 300, "unit_of_measure": 60, "quality_measure": 300, "plan_ref": 200}


@dataclass(frozen=True)
class TargetFields:
    """What a target says, the same for every person of a unit-wide assignment."""

    period_start: date
    period_end: date
    indicator: str
    quantity: Decimal
    unit_of_measure: str
    quality_measure: str
    deadline: date
    weight: Decimal
    plan_ref: str = ""


def _decimal(value, name: str, problems: dict) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        problems[name] = [_("Give a number.")]
        return None
    if not number.is_finite():
        problems[name] = [_("Give a number.")]
        return None
    return number


def clean_fields(fields: TargetFields) -> TargetFields:
    """The fields trimmed and checked, or a DomainError naming each wrong field."""
    problems: dict[str, list[str]] = {}
    texts = {}
    for name, limit in TEXT_FIELDS.items():
        value = (getattr(fields, name) or "").strip()
        if not value and name != "plan_ref":
            problems[name] = [_("Required.")]
        elif len(value) > limit:
            problems[name] = [_("At most %(n)d characters.") % {"n": limit}]
        texts[name] = value
    quantity = _decimal(fields.quantity, "quantity", problems)
    if quantity is not None and quantity <= 0:
        problems["quantity"] = [_("The quantity must be more than 0.")]
    weight = _decimal(fields.weight, "weight", problems)
    if weight is not None and not 0 < weight <= rules.MAX_TOTAL_WEIGHT:
        problems["weight"] = [_("The weight is a percentage: more than 0, at most 100.")]
    for name, message in rules.period_problems(
        fields.period_start, fields.period_end, fields.deadline
    ).items():
        problems.setdefault(name, []).append(message)
    if problems:
        raise DomainError(
            _("The target was not saved: correct the marked fields."), fields=problems
        )
    return TargetFields(
        period_start=fields.period_start,
        period_end=fields.period_end,
        deadline=fields.deadline,
        quantity=quantity,
        weight=weight,
        **texts,
    )


def _weight_problem(employee: Employee, fields: TargetFields) -> str | None:
    existing = [
        rules.Span(t.period_start, t.period_end, t.weight)
        for t in Target.objects.filter(
            employee=employee,
            status=Target.Status.ACTIVE,
            period_start__lte=fields.period_end,
            period_end__gte=fields.period_start,
        )
    ]
    total = rules.weight_total_over(
        existing, rules.Span(fields.period_start, fields.period_end, fields.weight)
    )
    if total is None:
        return None
    return _(
        "%(name)s: with this target their active targets would weigh %(total)s%% in this "
        "period, over 100%%. Lower the weight or cancel another target."
    ) % {"name": employee.name, "total": f"{total.normalize():f}"}


def _build(access: Access, employee: Employee, fields: TargetFields, batch) -> Target:
    target = Target(
        agency_id=employee.agency_id,
        employee=employee,
        assigned_by=access.user,
        batch=batch,
        period_start=fields.period_start,
        period_end=fields.period_end,
        indicator=fields.indicator,
        quantity=fields.quantity,
        unit_of_measure=fields.unit_of_measure,
        quality_measure=fields.quality_measure,
        deadline=fields.deadline,
        weight=fields.weight,
        plan_ref=fields.plan_ref,
    )
    try:
        target.full_clean()
    except ValidationError as exc:
        raise from_django_validation(exc, _("The target was not saved")) from None
    return target


def target_assign(*, access: Access, employee: Employee, fields: TargetFields) -> Target:
    """Give one person a target. Refused for oneself, by someone outside their supervisor chain
    or unit head, for an inactive person, or when their active targets would weigh over 100%."""
    if access.employee is not None and employee.pk == access.employee.pk:
        raise NotAllowed(_("Your targets are set by your supervisor or your unit's head."))
    access.require(
        selectors.assigns_targets(access, employee),
        _("Only the person's supervisor or the head of their unit sets their targets."),
    )
    if not employee.is_active:
        raise DomainError(_("%(name)s is no longer active.") % {"name": employee.name})
    fields = clean_fields(fields)
    with transaction.atomic():
        # One assignment at a time per person, so two at once cannot pass 100% together.
        Employee.objects.select_for_update().filter(pk=employee.pk).first()
        problem = _weight_problem(employee, fields)
        if problem:
            raise DomainError(problem, code="weight_over", fields={"weight": [problem]})
        target = _build(access, employee, fields, None)
        target._history_user = access.user
        target.save()
    return target


def unit_staff(unit: Unit, *, exclude: Employee | None = None):
    """The active people of a unit and its sub-units, but the one assigning."""
    qs = Employee.objects.filter(
        agency_id=unit.agency_id, unit__path__startswith=unit.path, is_active=True
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.select_related("unit").order_by("name", "pk")


def target_assign_unit(*, access: Access, unit: Unit, fields: TargetFields) -> list[Target]:
    """Give the same target to every active person of a unit (with its sub-units) but the head
    assigning it: one Target each, with a shared batch id, all or nothing."""
    access.require(
        selectors.heads_unit(access, unit),
        _("Only the head of the unit (or of a unit above it) sets targets for the whole unit."),
    )
    fields = clean_fields(fields)
    with transaction.atomic():
        people = list(unit_staff(unit, exclude=access.employee).select_for_update(of=("self",)))
        if not people:
            raise DomainError(
                _("%(unit)s has no active staff to give a target to.") % {"unit": unit.name},
                code="no_staff",
            )
        problems = [p for p in (_weight_problem(person, fields) for person in people) if p]
        if problems:
            raise DomainError(
                _("No target was given: %(problems)s") % {"problems": " ".join(problems)},
                code="weight_over",
                fields={"weight": problems},
            )
        batch = uuid.uuid4()
        targets = [_build(access, person, fields, batch) for person in people]
        bulk_create_with_history(targets, Target, default_user=access.user)
    return list(Target.objects.filter(batch=batch).select_related("employee").order_by("pk"))


def target_cancel(*, access: Access, target: Target) -> Target:
    """Cancel an active target (its weight is freed; report items keep pointing at it)."""
    access.require(
        selectors.assigns_targets(access, target.employee),
        _("Only the person's supervisor or the head of their unit cancels their targets."),
    )
    with transaction.atomic():
        locked = Target.objects.select_for_update().get(pk=target.pk)
        if locked.status != Target.Status.ACTIVE:
            raise Conflict(_("This target was already cancelled."))
        locked.status = Target.Status.CANCELLED
        locked._history_user = access.user
        locked.save()
    return locked
