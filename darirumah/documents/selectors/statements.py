"""Who a circular asks for a statement letter, and who has signed theirs (R25)."""

from __future__ import annotations

from django.db.models import OuterRef, Q, QuerySet, Subquery

from darirumah.org.access import Access
from darirumah.org.models import Employee, Unit
from darirumah.policy import rules as policy_rules
from darirumah.policy.models import Circular

from ..models import Document, Kind


def covered_units(circular: Circular) -> set[int]:
    """The units a circular covers (its scope, and the subtrees of its early starts)."""
    all_units = [
        policy_rules.ScopeUnit(u.pk, u.path, u.office_id)
        for u in Unit.objects.filter(agency_id=circular.agency_id)
    ]
    paths = [u.path for u in circular.units.all()]
    offices = {o.pk for o in circular.offices.all()}
    return policy_rules.covered_units(all_units, paths, offices)


def covered_employees(circular: Circular) -> QuerySet[Employee]:
    """The active employees of the units the circular covers."""
    return Employee.objects.filter(
        agency_id=circular.agency_id, is_active=True, unit_id__in=covered_units(circular)
    ).order_by("unit__path", "name", "pk")


def statement_rows(
    *, access: Access, circular: Circular, status: str = "", unit: Unit | None = None
) -> QuerySet[Employee]:
    """The covered employees the caller may see, each with their letter's id and status
    ("statement_id", "statement_status": pending / signed, None when no letter yet). status
    filters: "signed", "unsigned" (pending or no letter)."""
    letters = Document.objects.filter(
        circular=circular, kind=Kind.STATEMENT, employee=OuterRef("pk")
    ).exclude(status=Document.Status.CANCELLED)
    rows = (
        covered_employees(circular)
        .filter(access.employees_q())
        .select_related("unit")
        .annotate(
            statement_id=Subquery(letters.values("pk")[:1]),
            statement_status=Subquery(letters.values("status")[:1]),
        )
    )
    if unit is not None:
        rows = rows.filter(unit__path__startswith=unit.path)
    if status == "signed":
        rows = rows.filter(statement_status=Document.Status.SIGNED)
    elif status == "unsigned":
        # No letter yet (NULL) counts too: an exclude() would drop those rows in SQL.
        rows = rows.filter(
            Q(statement_status__isnull=True) | Q(statement_status=Document.Status.PENDING)
        )
    return rows


def statement_counts(*, access: Access, circular: Circular, unit: Unit | None = None) -> dict:
    """How many covered employees (visible to the caller) have signed, not signed, no letter."""
    counts = {"total": 0, "signed": 0, "pending": 0, "missing": 0}
    for status in statement_rows(access=access, circular=circular, unit=unit).values_list(
        "statement_status", flat=True
    ):
        counts["total"] += 1
        if status == Document.Status.SIGNED:
            counts["signed"] += 1
        elif status == Document.Status.PENDING:
            counts["pending"] += 1
        else:
            counts["missing"] += 1
    return counts
