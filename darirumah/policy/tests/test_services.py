"""Drafting circulars, their rule-set versions and the lifecycle."""

from datetime import date

import pytest

from darirumah.core.errors import Conflict, DomainError, NotAllowed
from darirumah.org.access import access_for
from darirumah.org.tests.factories import UnitFactory
from darirumah.policy import services
from darirumah.policy.models import Circular, CircularEvent
from darirumah.policy.tests.factories import make_circular

pytestmark = pytest.mark.django_db

SERANG = {
    "number": "800/1012/BKPSDM/2020",
    "title": "Penyesuaian sistem kerja ASN dalam upaya pencegahan COVID-19",
    "issuer_name": "Syafrudin",
    "issuer_position": "Wali Kota Serang",
    "starts_on": date(2020, 3, 19),
}


def acting(user):
    return access_for(user)


def test_a_draft_gets_the_default_rules_as_version_1(cast):
    circular = services.circular_create(
        access=acting(cast.pimpinan.user), agency=cast.agency, **SERANG
    )
    assert circular.status == Circular.Status.DRAFT
    version = circular.versions.get()
    assert version.number == 1
    assert version.rules["checkin_deadline"] == "07:30:00"
    assert version.rules["exempt_unit_kinds"] == ["kecamatan", "kelurahan", "desa", "puskesmas"]
    assert [e.action for e in circular.events.all()] == [CircularEvent.Action.CREATED]


def test_disdukcapil_minimum_is_kept_in_the_rules(cast):
    circular = services.circular_create(
        access=acting(cast.bkpsdm.user),
        agency=cast.agency,
        rules_data={"minimum_on_site": [{"unit": cast.disdukcapil.pk, "count": 3}]},
        **SERANG,
    )
    rules = services.current_rules(circular)
    assert rules.minimum_for(unit=cast.disdukcapil.pk, staff=12) == 3


def test_bad_rules_are_named_and_nothing_is_saved(cast):
    with pytest.raises(DomainError) as exc:
        services.circular_create(
            access=acting(cast.bkpsdm.user),
            agency=cast.agency,
            rules_data={"flexible": {"max_days_per_week": 9}, "vicon_time": "nanti"},
            **SERANG,
        )
    assert {"rules.flexible.max_days_per_week", "rules.vicon_time"} <= set(exc.value.fields)
    assert not Circular.objects.exists()


@pytest.mark.parametrize("role", ["pegawai", "atasan", "kepala_opd", "admin_opd", "kesehatan"])
def test_only_bkpsdm_pimpinan_and_operator_draft_circulars(cast, role):
    with pytest.raises(NotAllowed):
        services.circular_create(access=acting(cast.users()[role]), agency=cast.agency, **SERANG)


def test_another_agency_cannot_draft_for_us(cast):
    with pytest.raises(NotAllowed):
        services.circular_create(
            access=acting(cast.outsider_bkpsdm.user), agency=cast.agency, **SERANG
        )


def test_activation_is_recorded_with_who(cast):
    circular = make_circular(cast.agency)
    services.circular_activate(access=acting(cast.pimpinan.user), circular=circular, note="Mulai")
    circular.refresh_from_db()
    assert circular.status == Circular.Status.ACTIVE
    event = circular.events.get(action=CircularEvent.Action.ACTIVATED)
    assert (event.actor, event.note) == (cast.pimpinan.user, "Mulai")


def test_two_circulars_covering_the_same_unit_are_refused_naming_both(cast):
    first = make_circular(cast.agency, status=Circular.Status.ACTIVE, units=[cast.disdukcapil])
    second = make_circular(
        cast.agency, units=[cast.pelayanan], starts_on=date(2020, 3, 25), ends_on=None
    )
    with pytest.raises(Conflict) as exc:
        services.circular_activate(access=acting(cast.bkpsdm.user), circular=second)
    message = exc.value.message
    assert first.number in message and second.number in message
    assert "Bidang Pelayanan" in message
    second.refresh_from_db()
    assert second.status == Circular.Status.DRAFT


def test_a_whole_agency_circular_overlaps_every_unit(cast):
    make_circular(cast.agency, status=Circular.Status.ACTIVE)
    other = make_circular(cast.agency, units=[cast.setda])
    with pytest.raises(Conflict):
        services.circular_activate(access=acting(cast.bkpsdm.user), circular=other)


def test_an_office_scope_covers_the_units_housed_there(cast):
    make_circular(cast.agency, status=Circular.Status.ACTIVE, offices=[cast.office])
    other = make_circular(cast.agency, units=[cast.disdukcapil])  # Disdukcapil sits there
    with pytest.raises(Conflict):
        services.circular_activate(access=acting(cast.bkpsdm.user), circular=other)


def test_separate_units_or_periods_do_not_overlap(cast):
    make_circular(cast.agency, status=Circular.Status.ACTIVE, units=[cast.disdukcapil])
    elsewhere = make_circular(cast.agency, units=[cast.setda])
    later = make_circular(
        cast.agency, units=[cast.disdukcapil], starts_on=date(2020, 4, 1), ends_on=None
    )
    services.circular_activate(access=acting(cast.bkpsdm.user), circular=elsewhere)
    services.circular_activate(access=acting(cast.bkpsdm.user), circular=later)


def test_an_early_start_counts_for_the_overlap(cast):
    make_circular(
        cast.agency,
        status=Circular.Status.ACTIVE,
        units=[cast.disdukcapil],
        starts_on=date(2020, 3, 1),
        ends_on=date(2020, 3, 16),
    )
    circular = services.circular_create(
        access=acting(cast.bkpsdm.user),
        agency=cast.agency,
        units=[cast.disdukcapil],
        early_starts=[(cast.disdukcapil, date(2020, 3, 16))],
        **SERANG,
    )
    with pytest.raises(Conflict):
        services.circular_activate(access=acting(cast.bkpsdm.user), circular=circular)


def test_an_early_start_must_be_before_the_start(cast):
    with pytest.raises(DomainError):
        services.circular_create(
            access=acting(cast.bkpsdm.user),
            agency=cast.agency,
            early_starts=[(cast.disdukcapil, date(2020, 3, 20))],
            **SERANG,
        )
    assert not Circular.objects.exists()


def test_in_force_only_the_rules_change_as_a_new_version(cast):
    circular = make_circular(cast.agency, status=Circular.Status.ACTIVE)
    access = acting(cast.bkpsdm.user)
    with pytest.raises(DomainError):
        services.circular_update(access=access, circular=circular, title="Judul lain")
    services.circular_update(
        access=access, circular=circular, rules_data={"vicon_time": "15:00"}, note="Vicon 15.00"
    )
    assert services.current_rules(circular).vicon_time.hour == 15
    assert circular.versions.count() == 2
    assert circular.versions.first().note == "Vicon 15.00"


def test_extend_moves_the_end_later_only(cast):
    circular = make_circular(cast.agency, status=Circular.Status.ACTIVE)
    access = acting(cast.pimpinan.user)
    with pytest.raises(DomainError):
        services.circular_extend(access=access, circular=circular, ends_on=date(2020, 3, 20))
    services.circular_extend(access=access, circular=circular, ends_on=date(2020, 4, 30))
    circular.refresh_from_db()
    assert (circular.status, circular.ends_on) == (Circular.Status.EXTENDED, date(2020, 4, 30))


def test_extending_into_another_circular_is_refused_and_nothing_changes(cast):
    unit = UnitFactory(agency=cast.agency)
    circular = make_circular(cast.agency, status=Circular.Status.ACTIVE, units=[unit])
    make_circular(
        cast.agency,
        status=Circular.Status.ACTIVE,
        units=[unit],
        starts_on=date(2020, 4, 6),
        ends_on=None,
    )
    with pytest.raises(Conflict):
        services.circular_extend(
            access=acting(cast.bkpsdm.user), circular=circular, ends_on=date(2020, 4, 30)
        )
    circular.refresh_from_db()
    assert (circular.status, circular.ends_on) == (Circular.Status.ACTIVE, date(2020, 3, 31))


def test_withdraw_needs_a_reason_and_ends_the_circular(cast):
    circular = make_circular(
        cast.agency, status=Circular.Status.ACTIVE, starts_on=date(2026, 1, 5), ends_on=None
    )
    access = acting(cast.pimpinan.user)
    with pytest.raises(DomainError) as exc:
        services.circular_withdraw(access=access, circular=circular, note="  ")
    assert "note" in exc.value.fields
    services.circular_withdraw(access=access, circular=circular, note="Tugas tidak dikerjakan")
    circular.refresh_from_db()
    assert circular.status == Circular.Status.WITHDRAWN
    assert circular.ends_on is not None and circular.ends_on >= date(2026, 1, 5)
    with pytest.raises(DomainError):
        services.circular_withdraw(access=access, circular=circular, note="lagi")
