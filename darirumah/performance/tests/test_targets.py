"""Targets: who assigns them, the 100% weight rule, unit-wide assignment, cancelling, who sees."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from darirumah.core.errors import Conflict, DomainError, NotAllowed
from darirumah.org.access import access_for
from darirumah.org.tests.factories import EmployeeFactory
from darirumah.performance import selectors
from darirumah.performance.models import Target
from darirumah.performance.services.targets import (
    TargetFields,
    target_assign,
    target_assign_unit,
    target_cancel,
)

from .factories import AUGUST, TargetFactory

FIELDS = TargetFields(
    period_start=AUGUST[0],
    period_end=AUGUST[1],
    indicator="Dokumen KTP-el terverifikasi",
    quantity=Decimal("120"),
    unit_of_measure="dokumen",
    quality_measure="Tanpa kesalahan data",
    deadline=date(2026, 8, 28),
    weight=Decimal("40"),
    plan_ref="RHK 2.1 Pelayanan KTP-el",
)


def assign(cast, by, to, **changes):
    return target_assign(
        access=access_for(getattr(cast, by).user),
        employee=getattr(cast, to),
        fields=replace(FIELDS, **changes),
    )


@pytest.mark.parametrize(
    ("by", "to"),
    [("atasan", "pegawai"), ("kepala", "pegawai"), ("kepala", "atasan"), ("kepala", "admin_opd")],
)
def test_the_supervisor_chain_and_the_unit_head_assign(cast, by, to):
    target = assign(cast, by, to)
    assert target.employee == getattr(cast, to)
    assert target.assigned_by == getattr(cast, by).user
    assert target.agency == cast.agency
    assert target.status == Target.Status.ACTIVE
    assert target.batch is None
    assert target.plan_ref == "RHK 2.1 Pelayanan KTP-el"
    assert target.history.get().history_user == getattr(cast, by).user


def test_nobody_sets_their_own_targets(cast):
    with pytest.raises(NotAllowed, match="Your targets are set by your supervisor"):
        assign(cast, "atasan", "atasan")


@pytest.mark.parametrize(
    ("by", "to"),
    [
        ("admin_opd", "pegawai"),  # an admin, not a manager
        ("bkpsdm", "pegawai"),  # reads only
        ("pimpinan", "pegawai"),
        ("peer", "pegawai"),
        ("pegawai", "atasan"),  # not upwards
        ("atasan", "peer"),  # not outside the team
    ],
)
def test_others_do_not_assign(cast, by, to):
    with pytest.raises(NotAllowed, match="Only the person's supervisor or the head"):
        assign(cast, by, to)
    assert not Target.objects.exists()


def test_weights_add_up_to_at_most_100_percent(cast):
    assign(cast, "atasan", "pegawai", weight=Decimal("60"))
    assign(cast, "kepala", "pegawai", weight=Decimal("40"))
    with pytest.raises(DomainError) as refused:
        assign(cast, "atasan", "pegawai", weight=Decimal("0.5"))
    assert refused.value.code == "weight_over"
    assert refused.value.message == (
        "Pegawai Pelayanan: with this target their active targets would weigh 100.5% in this "
        "period, over 100%. Lower the weight or cancel another target."
    )
    assert "weight" in refused.value.fields
    # Another month is a period of its own.
    assign(
        cast,
        "atasan",
        "pegawai",
        period_start=date(2026, 9, 1),
        period_end=date(2026, 9, 30),
        deadline=date(2026, 9, 30),
        weight=Decimal("100"),
    )


def test_a_cancelled_target_frees_its_weight(cast):
    first = assign(cast, "atasan", "pegawai", weight=Decimal("100"))
    with pytest.raises(DomainError):
        assign(cast, "atasan", "pegawai", weight=Decimal("10"))
    cancelled = target_cancel(access=access_for(cast.atasan.user), target=first)
    assert cancelled.status == Target.Status.CANCELLED
    assert cancelled.history.first().history_user == cast.atasan.user
    assert assign(cast, "atasan", "pegawai", weight=Decimal("10")).weight == Decimal("10")


def test_cancelling_twice_or_by_others_is_refused(cast):
    target = assign(cast, "atasan", "pegawai")
    with pytest.raises(NotAllowed):
        target_cancel(access=access_for(cast.pegawai.user), target=target)
    with pytest.raises(NotAllowed):
        target_cancel(access=access_for(cast.bkpsdm.user), target=target)
    target_cancel(access=access_for(cast.kepala.user), target=target)
    with pytest.raises(Conflict, match="already cancelled"):
        target_cancel(access=access_for(cast.atasan.user), target=target)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"deadline": date(2026, 9, 2)}, "deadline"),
        ({"period_end": date(2026, 7, 1), "deadline": date(2026, 7, 1)}, "period_end"),
        ({"quantity": Decimal(0)}, "quantity"),
        ({"weight": Decimal(0)}, "weight"),
        ({"weight": Decimal("100.5")}, "weight"),
        ({"indicator": "  "}, "indicator"),
        ({"quality_measure": ""}, "quality_measure"),
        ({"unit_of_measure": "x" * 61}, "unit_of_measure"),
    ],
)
def test_bad_fields_are_named(cast, changes, field):
    with pytest.raises(DomainError) as refused:
        assign(cast, "atasan", "pegawai", **changes)
    assert field in refused.value.fields
    assert refused.value.message == "The target was not saved: correct the marked fields."
    assert not Target.objects.exists()


def test_an_inactive_person_gets_no_target(cast):
    cast.pegawai.is_active = False
    cast.pegawai.save()
    with pytest.raises(DomainError, match="no longer active"):
        assign(cast, "atasan", "pegawai")


# --- unit-wide ---------------------------------------------------------------------------------


def test_the_head_gives_a_whole_unit_the_same_target_in_one_batch(cast):
    gone = EmployeeFactory(unit=cast.pelayanan, name="Pensiun", is_active=False)
    targets = target_assign_unit(
        access=access_for(cast.kepala.user), unit=cast.disdukcapil, fields=FIELDS
    )
    people = {t.employee for t in targets}
    # The unit with its sub-units, but not the head who assigns nor anyone inactive.
    assert people == {cast.admin_opd, cast.atasan, cast.pegawai}
    assert gone not in people
    assert len({t.batch for t in targets}) == 1 and targets[0].batch is not None
    assert all(t.assigned_by == cast.kepala.user for t in targets)
    assert all(t.history.get().history_user == cast.kepala.user for t in targets)


def test_a_unit_wide_assignment_is_all_or_nothing(cast):
    assign(cast, "atasan", "pegawai", weight=Decimal("80"))
    with pytest.raises(DomainError) as refused:
        target_assign_unit(access=access_for(cast.kepala.user), unit=cast.pelayanan, fields=FIELDS)
    assert refused.value.message.startswith("No target was given: Pegawai Pelayanan: ")
    assert Target.objects.count() == 1  # only the first one


@pytest.mark.parametrize("by", ["atasan", "admin_opd", "bkpsdm", "pegawai"])
def test_only_a_head_assigns_a_whole_unit(cast, by):
    with pytest.raises(NotAllowed, match="Only the head of the unit"):
        target_assign_unit(
            access=access_for(getattr(cast, by).user), unit=cast.pelayanan, fields=FIELDS
        )


def test_a_unit_without_staff_is_refused(cast):
    # Disdukcapil's head alone in a new sub-unit: nobody else to give it to.
    from darirumah.org.tests.factories import UnitFactory

    empty = UnitFactory(agency=cast.agency, parent=cast.disdukcapil, code="DUK-KOSONG")
    with pytest.raises(DomainError, match="has no active staff"):
        target_assign_unit(access=access_for(cast.kepala.user), unit=empty, fields=FIELDS)


# --- who sees ----------------------------------------------------------------------------------


def _seen(cast, role):
    user = cast.users()[role] if role in cast.users() else getattr(cast, role).user
    return {t.employee.name for t in selectors.target_list(access_for(user))}


def test_who_sees_which_targets(cast):
    for person in (cast.pegawai, cast.atasan, cast.peer, cast.outsider):
        TargetFactory(employee=person)
    assert _seen(cast, "pegawai") == {"Pegawai Pelayanan"}
    assert _seen(cast, "atasan") == {"Pegawai Pelayanan", "Atasan Pelayanan"}
    assert _seen(cast, "kepala_opd") == {"Pegawai Pelayanan", "Atasan Pelayanan"}
    assert _seen(cast, "admin_opd") == {"Pegawai Pelayanan", "Atasan Pelayanan"}
    everyone_here = {"Pegawai Pelayanan", "Atasan Pelayanan", "Pegawai Setda"}
    assert _seen(cast, "bkpsdm") == everyone_here
    assert _seen(cast, "pimpinan") == everyone_here
    assert _seen(cast, "peer") == {"Pegawai Setda"}
    assert _seen(cast, "kesehatan") == set()  # health officers do not read performance
    assert _seen(cast, "outsider") == {"Pegawai Batu"}
    assert _seen(cast, "outsider_bkpsdm") == {"Pegawai Batu"}
    assert _seen(cast, "operator") == everyone_here | {"Pegawai Batu"}
