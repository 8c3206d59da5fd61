"""Leadership's decision after a circular's effectiveness review (R2, R3): continue, adjust some
units, or withdraw (which ends the circular and sends its staff back to the office)."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from darirumah.core.calendar import calendar_for, utcnow
from darirumah.core.errors import DomainError, from_django_validation
from darirumah.notify.services import notify
from darirumah.org.access import Access
from darirumah.org.models import Role, RoleAssignment, Unit

from . import selectors_effectiveness as selectors
from .models import Circular, EffectivenessDecision
from .services import circular_withdraw

Decision = EffectivenessDecision.Decision


def decision_record(
    *, access: Access, circular: Circular, decision: str, note: str, units=None
) -> EffectivenessDecision:
    """Record leadership's decision with its reason and the review as it stands now.

    "adjust" names at least one unit the circular covers; "withdraw" also withdraws the circular
    (its staff return to the office from the next working day). The heads of the OPDs concerned
    are told once the decision is saved.
    """
    access.require(
        access.decides_policy(circular.agency_id),
        _("Only the agency's leadership or BKPSDM decide on a circular."),
    )
    if decision not in Decision.values:
        raise DomainError(
            _("Choose continue, adjust or withdraw."), fields={"decision": [_("Unknown decision.")]}
        )
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Say why you decide this."), fields={"note": [_("Required.")]})
    if circular.status not in Circular.IN_FORCE:
        raise DomainError(
            _("Only a circular in force can be decided on; this one is %(status)s.")
            % {"status": circular.get_status_display()},
            code="not_in_force",
        )
    units = list(units or [])
    scope = selectors.scope(circular)
    if decision == Decision.ADJUST:
        if not units:
            raise DomainError(
                _("Choose the units to adjust."),
                fields={"units": [_("Choose at least one unit the circular covers.")]},
            )
        outside = [u.name for u in units if u.pk not in scope.units]
        if outside:
            raise DomainError(
                _("The circular does not cover %(names)s.") % {"names": ", ".join(outside)},
                fields={"units": [_("Not covered by this circular.")]},
            )
    elif units:
        raise DomainError(
            _("Units are chosen only when adjusting."),
            fields={"units": [_("Leave empty unless the decision is to adjust.")]},
        )
    review = selectors.review_for(circular).as_json()
    record = EffectivenessDecision(
        circular=circular,
        decision=decision,
        note=note,
        review=review,
        decided_by=access.user,
        decided_at=utcnow(),
    )
    try:
        record.full_clean()
    except ValidationError as exc:
        raise from_django_validation(exc, _("The decision cannot be saved")) from None
    if decision == Decision.ADJUST:
        opds = sorted({scope.opd_of[u.pk] for u in units})
    else:
        opds = [u.pk for u in scope.opds]
    with transaction.atomic():
        record._history_user = access.user
        record.save()
        record.units.set(units)
        if decision == Decision.WITHDRAW:
            circular_withdraw(access=access, circular=circular, note=note)
        transaction.on_commit(partial(_tell_heads, record=record, opd_ids=opds), robust=True)
    return record


def _head_users(opd_ids: list[int]) -> set[int]:
    """The logins of the OPDs' heads: Unit.head and explicit kepala OPD grants."""
    users = set(
        Unit.objects.filter(pk__in=opd_ids, head__user__isnull=False).values_list(
            "head__user_id", flat=True
        )
    )
    users |= set(
        RoleAssignment.objects.filter(
            unit_id__in=opd_ids, role=Role.KEPALA_OPD, revoked_at__isnull=True
        ).values_list("user_id", flat=True)
    )
    return users


def _tell_heads(*, record: EffectivenessDecision, opd_ids: list[int]) -> int:
    """One notice to each head of an OPD the decision concerns."""
    circular = record.circular
    users = _head_users(opd_ids)
    if not users:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        values = {"n": circular.number, "decision": record.get_decision_display()}
        body = (
            _("Leadership decided on circular %(n)s after its effectiveness review: %(decision)s.")
            % values
        )
        if record.decision == Decision.ADJUST:
            names = ", ".join(u.name for u in record.units.all())
            body += "\n" + _("Units to adjust: %(names)s.") % {"names": names}
        if record.decision == Decision.WITHDRAW:
            calendar = calendar_for(circular.agency)
            back = calendar.next_working_day(calendar.today())
            body += "\n" + _("Staff return to the office from %(day)s.") % {
                "day": date_format(back)
            }
        body += "\n" + _("Reason: %(note)s") % {"note": record.note}
        return notify(
            users,
            kind="policy.decision",
            title=_("Circular %(n)s: %(decision)s") % values,
            body=body,
            link=reverse("circular_effectiveness", kwargs={"pk": circular.pk}),
            key=f"policy.decision:{record.pk}",
        )
