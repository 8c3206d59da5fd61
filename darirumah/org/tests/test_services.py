"""Writes to the organisation data that access governs: units, employees, roles, API tokens."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import authenticate

from darirumah.core.calendar import utcnow
from darirumah.core.errors import DomainError, NotAllowed
from darirumah.org import services
from darirumah.org.access import access_for
from darirumah.org.models import ApiToken, Employee, Role, RoleAssignment, Unit, User
from darirumah.org.rules import format_nip
from darirumah.org.tests.factories import UnitFactory, UserFactory

NEW_NIP = "198503302010011002"
NEW_NIP_SPACED = "19850330 201001 1 002"
FEMALE_NIP = "199012152009032001"
PASSWORD = "kata-sandi-baru-123"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The cast sets eleven passwords; the production hasher would make each test take seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def acting(user):
    return access_for(User.objects.get(pk=user.pk))


@pytest.fixture
def bkpsdm(cast):
    return acting(cast.bkpsdm.user)


@pytest.fixture
def admin(cast):
    return acting(cast.admin_opd.user)


@pytest.fixture
def operator(cast):
    return acting(cast.operator)


def path_of(unit) -> str:
    return Unit.objects.values_list("path", flat=True).get(pk=unit.pk)


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


# --- units -----------------------------------------------------------------------------------


def test_unit_create_at_the_root_and_below(cast, bkpsdm):
    dinkes = services.unit_create(
        access=bkpsdm, agency=cast.agency, code="DINKES", name="Dinas Kesehatan", kind="dinas"
    )
    assert dinkes.path == path_of(dinkes) == f"/{dinkes.pk}/"
    seksi = services.unit_create(
        access=bkpsdm,
        agency=cast.agency,
        parent=dinkes,
        code="DINKES-P2P",
        name="Bidang P2P",
        kind="bidang",
    )
    assert path_of(seksi) == f"/{dinkes.pk}/{seksi.pk}/"
    assert reload(seksi).depth == 1
    # The audit trail names who did it.
    assert dinkes.history.first().history_user == cast.bkpsdm.user


def test_admin_opd_creates_units_only_inside_their_subtree(cast, admin):
    seksi = services.unit_create(
        access=admin,
        agency=cast.agency,
        parent=cast.pelayanan,
        code="DUK-KTP",
        name="Seksi KTP",
        kind="seksi",
    )
    assert path_of(seksi) == f"{cast.pelayanan.path}{seksi.pk}/"
    assert path_of(seksi).startswith(cast.disdukcapil.path)
    with pytest.raises(NotAllowed):
        services.unit_create(
            access=admin, agency=cast.agency, parent=cast.setda, code="X1", name="X", kind="bagian"
        )
    with pytest.raises(NotAllowed):
        services.unit_create(access=admin, agency=cast.agency, code="X2", name="X", kind="dinas")
    assert not Unit.objects.filter(code__in=["X1", "X2"]).exists()


@pytest.mark.parametrize("role", ["pegawai", "atasan", "kepala_opd", "pimpinan", "outsider_bkpsdm"])
def test_others_cannot_create_units(cast, role):
    with pytest.raises(NotAllowed):
        services.unit_create(
            access=acting(cast.users()[role]),
            agency=cast.agency,
            parent=cast.disdukcapil,
            code="DUK-X",
            name="Seksi X",
            kind="seksi",
        )
    assert not Unit.objects.filter(code="DUK-X").exists()


@pytest.mark.parametrize(
    ("link", "field"),
    [("parent", "parent"), ("head", "head")],
)
def test_unit_links_must_stay_in_the_agency(cast, operator, link, field):
    foreign = {"parent": cast.other_unit, "head": cast.outsider}[link]
    with pytest.raises(DomainError) as exc:
        services.unit_create(
            access=operator,
            agency=cast.agency,
            code="LINTAS",
            name="Unit lintas instansi",
            kind="dinas",
            **{link: foreign},
        )
    assert "another agency" in exc.value.fields[field][0]
    assert not Unit.objects.filter(code="LINTAS").exists()


@pytest.fixture
def deep_tree(cast):
    """Disdukcapil / Bidang Pelayanan / Seksi KTP / Subseksi Arsip."""
    seksi = UnitFactory(agency=cast.agency, parent=cast.pelayanan, code="KTP", kind="seksi")
    arsip = UnitFactory(agency=cast.agency, parent=seksi, code="ARSIP", kind="seksi")
    return seksi, arsip


def test_moving_a_unit_moves_its_whole_subtree(cast, bkpsdm, deep_tree):
    seksi, arsip = deep_tree
    setda, pel = cast.setda.pk, cast.pelayanan.pk
    assert path_of(arsip) == f"{cast.disdukcapil.path}{pel}/{seksi.pk}/{arsip.pk}/"

    services.unit_update(access=bkpsdm, unit=reload(cast.pelayanan), parent=cast.setda)

    assert path_of(cast.pelayanan) == f"/{setda}/{pel}/"
    assert path_of(seksi) == f"/{setda}/{pel}/{seksi.pk}/"
    assert path_of(arsip) == f"/{setda}/{pel}/{seksi.pk}/{arsip.pk}/"
    assert path_of(cast.disdukcapil) == f"/{cast.disdukcapil.pk}/"
    assert path_of(cast.setda) == f"/{setda}/"
    # Access follows the tree: Disdukcapil's admin no longer reaches the moved staff.
    assert not acting(cast.admin_opd.user).can_view_employee(reload(cast.pegawai))
    assert not acting(cast.admin_opd.user).administers_unit(reload(arsip))

    services.unit_update(access=bkpsdm, unit=reload(cast.pelayanan), parent=None)
    assert path_of(cast.pelayanan) == f"/{pel}/"
    assert path_of(arsip) == f"/{pel}/{seksi.pk}/{arsip.pk}/"


def test_moving_a_leaf_between_branches(cast, bkpsdm, deep_tree):
    seksi, arsip = deep_tree
    services.unit_update(access=bkpsdm, unit=reload(arsip), parent=cast.disdukcapil)
    assert path_of(arsip) == f"{cast.disdukcapil.path}{arsip.pk}/"
    assert path_of(seksi) == f"{cast.pelayanan.path}{seksi.pk}/"  # the old parent is untouched


def test_every_path_matches_the_parent_links_after_moves(cast, bkpsdm, deep_tree):
    seksi, arsip = deep_tree
    services.unit_update(access=bkpsdm, unit=reload(seksi), parent=cast.bkpsdm_unit)
    services.unit_update(access=bkpsdm, unit=reload(cast.disdukcapil), parent=reload(arsip))
    for unit in Unit.objects.filter(agency=cast.agency):
        expected = (unit.parent.path if unit.parent_id else "/") + f"{unit.pk}/"
        assert unit.path == expected, unit.code


@pytest.mark.parametrize("target", ["self", "child", "grandchild", "great-grandchild"])
def test_a_unit_cannot_go_under_itself_or_its_descendants(cast, bkpsdm, deep_tree, target):
    seksi, arsip = deep_tree
    new_parent = {
        "self": cast.disdukcapil,
        "child": cast.pelayanan,
        "grandchild": seksi,
        "great-grandchild": arsip,
    }[target]
    before = dict(Unit.objects.values_list("pk", "path"))
    with pytest.raises(DomainError) as exc:
        services.unit_update(access=bkpsdm, unit=reload(cast.disdukcapil), parent=new_parent)
    assert "under itself or its own sub-unit" in exc.value.fields["parent"][0]
    assert dict(Unit.objects.values_list("pk", "path")) == before
    assert reload(cast.disdukcapil).parent_id is None


def test_admin_opd_renames_but_does_not_move_or_name_heads(cast, admin):
    services.unit_update(access=admin, unit=reload(cast.pelayanan), name="Bidang Pelayanan KTP")
    assert reload(cast.pelayanan).name == "Bidang Pelayanan KTP"
    with pytest.raises(NotAllowed):
        services.unit_update(access=admin, unit=reload(cast.pelayanan), parent=cast.setda)
    with pytest.raises(NotAllowed):
        services.unit_update(access=admin, unit=reload(cast.pelayanan), head=cast.atasan)
    with pytest.raises(NotAllowed):
        services.unit_update(access=admin, unit=reload(cast.setda), name="Setda Baru")
    assert reload(cast.pelayanan).parent_id == cast.disdukcapil.pk
    assert reload(cast.setda).name == "Sekretariat Daerah"


def test_naming_a_head_makes_them_kepala_of_the_subtree(cast, bkpsdm):
    services.unit_update(access=bkpsdm, unit=reload(cast.pelayanan), head=cast.atasan)
    acc = acting(cast.atasan.user)
    assert "kepala_opd" in acc.role_codes()
    assert acc.oversees_unit(cast.pelayanan)
    assert not acc.oversees_unit(cast.disdukcapil)


def test_unit_fields_outside_the_list_are_refused(cast, bkpsdm):
    with pytest.raises(DomainError) as exc:
        services.unit_update(access=bkpsdm, unit=reload(cast.setda), agency=cast.other_agency)
    assert "agency" in exc.value.fields
    assert reload(cast.setda).agency_id == cast.agency.pk


# --- employees -------------------------------------------------------------------------------


def employee_fields(**overrides):
    fields = {
        "nip": NEW_NIP,
        "name": "Budi Santoso",
        "asn_type": "PNS",
        "position": "Pranata Komputer",
    }
    fields.update(overrides)
    return fields


def test_employee_create_reads_the_nip_and_opens_an_account(cast, bkpsdm):
    budi = services.employee_create(
        access=bkpsdm,
        agency=cast.agency,
        password=PASSWORD,
        **employee_fields(unit=cast.disdukcapil),
    )
    budi = reload(budi)
    assert budi.birth_date == date(1985, 3, 30)
    assert budi.sex == "L"
    assert budi.office_id == cast.office.pk  # sits in the unit's office by default
    assert budi.user.username == NEW_NIP
    assert budi.history.first().history_user == cast.bkpsdm.user
    assert authenticate(username=NEW_NIP_SPACED, password=PASSWORD) == budi.user


def test_employee_created_without_password_cannot_log_in_yet(cast, bkpsdm):
    siti = services.employee_create(
        access=bkpsdm, agency=cast.agency, **employee_fields(nip=FEMALE_NIP, unit=cast.setda)
    )
    siti = reload(siti)
    assert siti.sex == "P"
    assert not siti.user.has_usable_password()
    assert authenticate(username=FEMALE_NIP, password="") is None


@pytest.mark.parametrize(
    ("nip", "problem"),
    [
        ("19850330201001100", "18 digits"),
        ("198502302010011002", "real birth date"),
        ("198503302010131002", "appointment month"),
        ("198503302002011002", "18 years"),
        ("198503302010013002", "sex code"),
        ("198503302010011000", "000"),
    ],
)
def test_employee_create_refuses_a_bad_nip_and_writes_nothing(cast, bkpsdm, nip, problem):
    employees, users = Employee.objects.count(), User.objects.count()
    with pytest.raises(DomainError) as exc:
        services.employee_create(
            access=bkpsdm, agency=cast.agency, **employee_fields(nip=nip, unit=cast.setda)
        )
    assert any(problem in m for m in exc.value.fields["nip"])
    assert (Employee.objects.count(), User.objects.count()) == (employees, users)


def test_employee_create_refuses_a_duplicate_nip(cast, bkpsdm):
    with pytest.raises(DomainError) as exc:
        services.employee_create(
            access=bkpsdm,
            agency=cast.agency,
            **employee_fields(nip=cast.pegawai.nip, unit=cast.setda),
        )
    assert "nip" in exc.value.fields
    assert Employee.objects.filter(nip=cast.pegawai.nip).count() == 1


def test_employee_create_accepts_a_nip_with_spaces(cast, bkpsdm):
    budi = services.employee_create(
        access=bkpsdm, agency=cast.agency, **employee_fields(nip=NEW_NIP_SPACED, unit=cast.setda)
    )
    assert reload(budi).nip == NEW_NIP


def test_employee_create_refuses_an_appointment_in_the_future(cast, bkpsdm):
    next_year = utcnow().year + 1
    nip = format_nip(date(1990, 1, 1), next_year, 1, "L", 1)
    with pytest.raises(DomainError) as exc:
        services.employee_create(
            access=bkpsdm, agency=cast.agency, **employee_fields(nip=nip, unit=cast.setda)
        )
    assert "future" in exc.value.fields["nip"][0]


def test_admin_opd_creates_staff_only_in_their_subtree(cast, admin):
    services.employee_create(
        access=admin, agency=cast.agency, **employee_fields(unit=cast.pelayanan)
    )
    with pytest.raises(NotAllowed):
        services.employee_create(
            access=admin, agency=cast.agency, **employee_fields(nip=FEMALE_NIP, unit=cast.setda)
        )
    assert not Employee.objects.filter(nip=FEMALE_NIP).exists()


@pytest.mark.parametrize("role", ["pegawai", "atasan", "kepala_opd", "pimpinan", "outsider_bkpsdm"])
def test_others_cannot_create_employees(cast, role):
    with pytest.raises(NotAllowed):
        services.employee_create(
            access=acting(cast.users()[role]),
            agency=cast.agency,
            **employee_fields(unit=cast.pelayanan),
        )
    assert not Employee.objects.filter(nip=NEW_NIP).exists()


def test_employee_create_needs_a_unit(cast, bkpsdm):
    with pytest.raises(DomainError) as exc:
        services.employee_create(access=bkpsdm, agency=cast.agency, **employee_fields())
    assert "unit" in exc.value.fields


@pytest.mark.parametrize(
    ("who", "new_supervisor"),
    [
        ("kepala", "pegawai"),  # the head reporting to their own staff, two levels down
        ("kepala", "atasan"),
        ("atasan", "pegawai"),
        ("pegawai", "pegawai"),  # nobody supervises themselves
    ],
)
def test_a_supervisor_loop_is_refused_with_a_clear_message(cast, bkpsdm, who, new_supervisor):
    employee = reload(getattr(cast, who))
    before = employee.supervisor_id
    with pytest.raises(DomainError) as exc:
        services.employee_update(
            access=bkpsdm, employee=employee, supervisor=getattr(cast, new_supervisor)
        )
    assert "loop in the reporting line" in exc.value.fields["supervisor"][0]
    assert reload(employee).supervisor_id == before


def test_changing_a_supervisor_without_a_loop(cast, bkpsdm):
    services.employee_update(access=bkpsdm, employee=reload(cast.pegawai), supervisor=cast.kepala)
    assert reload(cast.pegawai).supervisor_id == cast.kepala.pk
    assert cast.pegawai.pk not in acting(cast.atasan.user).subordinate_ids


@pytest.mark.parametrize("actor", ["bkpsdm", "operator"])
def test_a_supervisor_of_another_agency_is_refused(cast, actor):
    acc = acting(cast.users()[actor])
    with pytest.raises(DomainError) as exc:
        services.employee_update(
            access=acc, employee=reload(cast.pegawai), supervisor=cast.outsider
        )
    assert "another agency" in exc.value.fields["supervisor"][0]
    assert reload(cast.pegawai).supervisor_id == cast.atasan.pk


def test_a_unit_of_another_agency_is_refused(cast, bkpsdm, operator):
    with pytest.raises(NotAllowed):  # BKPSDM does not administer the other agency's units
        services.employee_update(access=bkpsdm, employee=reload(cast.pegawai), unit=cast.other_unit)
    with pytest.raises(DomainError) as exc:  # the operator may, but the data stays consistent
        services.employee_update(
            access=operator, employee=reload(cast.pegawai), unit=cast.other_unit
        )
    assert "another agency" in exc.value.fields["unit"][0]
    assert reload(cast.pegawai).unit_id == cast.pelayanan.pk


def test_admin_opd_cannot_move_staff_outside_their_subtree(cast, admin):
    with pytest.raises(NotAllowed) as exc:
        services.employee_update(access=admin, employee=reload(cast.pegawai), unit=cast.setda)
    assert "outside your own" in exc.value.message
    assert reload(cast.pegawai).unit_id == cast.pelayanan.pk
    services.employee_update(access=admin, employee=reload(cast.pegawai), unit=cast.disdukcapil)
    assert reload(cast.pegawai).unit_id == cast.disdukcapil.pk


def test_admin_opd_cannot_edit_staff_of_other_units(cast, admin):
    with pytest.raises(NotAllowed):
        services.employee_update(access=admin, employee=reload(cast.peer), position="Kepala")
    assert reload(cast.peer).position == "Analis"


@pytest.mark.parametrize("role", ["pegawai", "atasan", "kepala_opd", "pimpinan", "kesehatan"])
def test_reading_roles_cannot_edit_staff(cast, role):
    with pytest.raises(NotAllowed):
        services.employee_update(
            access=acting(cast.users()[role]), employee=reload(cast.pegawai), position="X"
        )
    assert reload(cast.pegawai).position == "Analis"


def test_only_bkpsdm_corrects_a_nip(cast, admin, bkpsdm):
    with pytest.raises(NotAllowed) as exc:
        services.employee_update(access=admin, employee=reload(cast.atasan), nip=FEMALE_NIP)
    assert "Only BKPSDM" in exc.value.message
    services.employee_update(access=bkpsdm, employee=reload(cast.atasan), nip=FEMALE_NIP)
    atasan = reload(cast.atasan)
    assert atasan.nip == FEMALE_NIP
    # Birth date and sex follow the corrected NIP.
    assert (atasan.birth_date, atasan.sex) == (date(1990, 12, 15), "P")
    assert atasan.history.first().history_user == cast.bkpsdm.user
    assert authenticate(username=FEMALE_NIP, password="rahasia-uji-123") == atasan.user


def test_a_wrong_nip_correction_is_refused(cast, bkpsdm):
    with pytest.raises(DomainError) as exc:
        services.employee_update(
            access=bkpsdm, employee=reload(cast.atasan), nip="198502302010011002"
        )
    assert "real birth date" in exc.value.fields["nip"][0]
    assert reload(cast.atasan).nip == cast.atasan.nip


def test_admin_opd_may_resend_the_same_nip(cast, admin):
    services.employee_update(
        access=admin, employee=reload(cast.atasan), nip=cast.atasan.nip, position="Kepala Bidang"
    )
    assert reload(cast.atasan).position == "Kepala Bidang"


def test_admin_opd_may_resend_the_same_nip_with_spaces(cast, admin):
    nip = cast.atasan.nip
    spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    services.employee_update(access=admin, employee=reload(cast.atasan), nip=spaced)
    assert reload(cast.atasan).nip == nip


def test_a_corrected_nip_can_be_given_to_its_real_owner(cast, bkpsdm):
    wrong = cast.atasan.nip
    services.employee_update(access=bkpsdm, employee=reload(cast.atasan), nip=FEMALE_NIP)
    owner = services.employee_create(
        access=bkpsdm, agency=cast.agency, **employee_fields(nip=wrong, unit=cast.setda)
    )
    assert reload(owner).user.username == wrong
    assert reload(cast.atasan).user.username == FEMALE_NIP


def test_deactivating_an_employee_locks_the_login(cast, bkpsdm):
    services.employee_update(access=bkpsdm, employee=reload(cast.pegawai), is_active=False)
    assert reload(cast.pegawai).user.is_active is False
    assert authenticate(username=cast.pegawai.nip, password="rahasia-uji-123") is None
    services.employee_update(access=bkpsdm, employee=reload(cast.pegawai), is_active=True)
    assert authenticate(username=cast.pegawai.nip, password="rahasia-uji-123") is not None


def test_employee_fields_outside_the_list_are_refused(cast, bkpsdm):
    with pytest.raises(DomainError) as exc:
        services.employee_update(
            access=bkpsdm, employee=reload(cast.pegawai), agency=cast.other_agency, sex="P"
        )
    assert set(exc.value.fields) == {"agency", "sex"}


def test_bad_home_coordinates_are_refused(cast, bkpsdm):
    with pytest.raises(DomainError) as exc:
        services.employee_update(
            access=bkpsdm, employee=reload(cast.pegawai), home_latitude=-6.12, home_longitude=None
        )
    assert "both latitude and longitude" in exc.value.fields["home_latitude"][0]


# --- roles -----------------------------------------------------------------------------------


def test_role_assign_records_who_granted_it(cast, bkpsdm):
    grant = services.role_assign(
        access=bkpsdm,
        user=cast.peer.user,
        role=Role.ADMIN_OPD,
        agency=cast.agency,
        unit=cast.setda,
        note="SK Sekda 800/12",
    )
    grant = reload(grant)
    assert grant.granted_by == cast.bkpsdm.user
    assert grant.revoked_at is None
    row = grant.history.get()
    assert (row.history_type, row.history_user) == ("+", cast.bkpsdm.user)
    assert acting(cast.peer.user).administers_unit(cast.setda)


def test_role_revoke_records_who_revoked_it(cast, bkpsdm):
    grant = RoleAssignment.objects.get(user=cast.admin_opd.user)
    before = utcnow()
    services.role_revoke(access=bkpsdm, grant=grant)
    grant = reload(grant)
    assert grant.revoked_by == cast.bkpsdm.user
    assert before <= grant.revoked_at <= utcnow()
    latest = grant.history.first()
    assert (latest.history_type, latest.history_user) == ("~", cast.bkpsdm.user)
    assert latest.revoked_at == grant.revoked_at
    assert not acting(cast.admin_opd.user).administers_unit(cast.disdukcapil)


def test_revoking_twice_keeps_the_first_record(cast, bkpsdm, operator):
    grant = RoleAssignment.objects.get(user=cast.admin_opd.user)
    services.role_revoke(access=bkpsdm, grant=grant)
    first = reload(grant)
    services.role_revoke(access=operator, grant=reload(grant))
    again = reload(grant)
    assert (again.revoked_at, again.revoked_by) == (first.revoked_at, cast.bkpsdm.user)


def test_a_revoked_role_can_be_granted_again(cast, bkpsdm):
    grant = RoleAssignment.objects.get(user=cast.admin_opd.user)
    services.role_revoke(access=bkpsdm, grant=grant)
    services.role_assign(
        access=bkpsdm,
        user=cast.admin_opd.user,
        role=Role.ADMIN_OPD,
        agency=cast.agency,
        unit=cast.disdukcapil,
    )
    assert RoleAssignment.objects.filter(user=cast.admin_opd.user).count() == 2
    assert acting(cast.admin_opd.user).administers_unit(cast.disdukcapil)


def test_the_same_unit_role_twice_is_refused(cast, bkpsdm):
    with pytest.raises(DomainError):
        services.role_assign(
            access=bkpsdm,
            user=cast.admin_opd.user,
            role=Role.ADMIN_OPD,
            agency=cast.agency,
            unit=cast.disdukcapil,
        )
    assert RoleAssignment.objects.filter(user=cast.admin_opd.user).count() == 1


def test_the_same_agency_role_twice_is_refused(cast, bkpsdm):
    with pytest.raises(DomainError):
        services.role_assign(
            access=bkpsdm, user=cast.pimpinan.user, role=Role.PIMPINAN, agency=cast.agency
        )
    assert RoleAssignment.objects.filter(user=cast.pimpinan.user).count() == 1


@pytest.mark.parametrize(
    ("role", "scope", "field"),
    [
        (Role.ADMIN_OPD, {}, "unit"),  # unit roles need a unit
        (Role.KEPALA_OPD, {}, "unit"),
        (Role.BKPSDM, {"unit": "setda"}, "unit"),  # agency roles take no unit
        (Role.ADMIN_OPD, {"unit": "other_unit"}, "unit"),  # a unit of another agency
    ],
)
def test_role_scope_must_fit_the_role(cast, bkpsdm, role, scope, field):
    kwargs = {k: getattr(cast, v) for k, v in scope.items()}
    with pytest.raises(DomainError) as exc:
        services.role_assign(
            access=bkpsdm, user=cast.peer.user, role=role, agency=cast.agency, **kwargs
        )
    assert field in exc.value.fields
    assert not RoleAssignment.objects.filter(user=cast.peer.user).exists()


@pytest.mark.parametrize(
    ("actor", "role", "agency", "allowed"),
    [
        ("bkpsdm", Role.PIMPINAN, "agency", True),
        ("bkpsdm", Role.PIMPINAN, "other_agency", False),
        ("bkpsdm", Role.OPERATOR, None, False),
        ("admin_opd", Role.KESEHATAN, "agency", False),
        ("kepala_opd", Role.KESEHATAN, "agency", False),
        ("pimpinan", Role.BKPSDM, "agency", False),
        ("outsider_bkpsdm", Role.BKPSDM, "agency", False),
        ("operator", Role.OPERATOR, None, True),
        ("operator", Role.KESEHATAN, "agency", True),
    ],
)
def test_who_may_grant_roles(cast, actor, role, agency, allowed):
    acc = acting(cast.users()[actor])
    target = cast.peer.user
    kwargs = {"agency": getattr(cast, agency)} if agency else {}
    if allowed:
        grant = services.role_assign(access=acc, user=target, role=role, **kwargs)
        assert reload(grant).granted_by == cast.users()[actor]
    else:
        with pytest.raises(NotAllowed):
            services.role_assign(access=acc, user=target, role=role, **kwargs)
        assert not RoleAssignment.objects.filter(user=target).exists()


def test_a_role_goes_only_to_the_agency_s_own_staff(cast):
    """Even the operator cannot make someone of one agency a health officer of another."""
    with pytest.raises(DomainError) as exc:
        services.role_assign(
            access=acting(cast.operator),
            user=cast.peer.user,
            role=Role.KESEHATAN,
            agency=cast.other_agency,
        )
    assert "user" in exc.value.fields
    assert not RoleAssignment.objects.filter(user=cast.peer.user).exists()


@pytest.mark.parametrize(
    ("actor", "grant_of", "allowed"),
    [
        ("bkpsdm", "pimpinan", True),
        ("outsider_bkpsdm", "pimpinan", False),
        ("admin_opd", "kesehatan", False),
        ("pimpinan", "bkpsdm", False),
        ("bkpsdm", "operator", False),  # the operator role is the operator's
        ("operator", "operator", True),
    ],
)
def test_who_may_revoke_roles(cast, actor, grant_of, allowed):
    grant = RoleAssignment.objects.get(user=cast.users()[grant_of])
    acc = acting(cast.users()[actor])
    if allowed:
        services.role_revoke(access=acc, grant=grant)
        assert reload(grant).revoked_by == cast.users()[actor]
    else:
        with pytest.raises(NotAllowed):
            services.role_revoke(access=acc, grant=grant)
        assert reload(grant).revoked_at is None


# --- API tokens ------------------------------------------------------------------------------


def test_token_is_shown_once_and_stored_hashed(cast):
    token, key = services.token_create(user=cast.pegawai.user, name="  Aplikasi absensi  ")
    assert key.startswith("drt_")
    assert token.name == "Aplikasi absensi"
    assert token.prefix == key[:12]
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert all(key not in str(v) for v in stored.values())
    assert services.token_authenticate(key) == cast.pegawai.user
    assert reload(token).last_used_at is not None


def test_each_token_is_different(cast):
    keys = {services.token_create(user=cast.pegawai.user, name=f"t{i}")[1] for i in range(5)}
    assert len(keys) == 5


@pytest.mark.parametrize("name", ["", "   ", None])
def test_token_needs_a_name(cast, name):
    with pytest.raises(DomainError) as exc:
        services.token_create(user=cast.pegawai.user, name=name)
    assert "name" in exc.value.fields
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("mangle", ["", "drt_", "salah", "upper", "truncate", "extra", "no-prefix"])
def test_wrong_keys_do_not_authenticate(cast, mangle):
    _, key = services.token_create(user=cast.pegawai.user, name="hp")
    wrong = {
        "": "",
        "drt_": "drt_",
        "salah": "drt_salah",
        "upper": key.upper(),
        "truncate": key[:-1],
        "extra": key + "x",
        "no-prefix": key[4:],
    }[mangle]
    assert services.token_authenticate(wrong) is None


@pytest.mark.parametrize(
    ("expires_in", "works"),
    [
        (None, True),
        (timedelta(minutes=5), True),
        (timedelta(0), False),  # expires now
        (timedelta(seconds=-1), False),
        (timedelta(days=-30), False),
    ],
)
def test_expired_tokens_do_not_authenticate(cast, monkeypatch, expires_in, works):
    now = utcnow()
    monkeypatch.setattr(services, "utcnow", lambda: now)
    expires_at = now + expires_in if expires_in is not None else None
    _, key = services.token_create(user=cast.pegawai.user, name="hp", expires_at=expires_at)
    assert (services.token_authenticate(key) == cast.pegawai.user) is works


def test_revoked_tokens_do_not_authenticate(cast):
    token, key = services.token_create(user=cast.pegawai.user, name="hp")
    with pytest.raises(NotAllowed):
        services.token_revoke(user=cast.atasan.user, token=token)  # not the owner
    assert services.token_authenticate(key) == cast.pegawai.user
    services.token_revoke(user=cast.pegawai.user, token=token)
    assert reload(token).revoked_at is not None
    assert services.token_authenticate(key) is None
    services.token_revoke(user=cast.pegawai.user, token=reload(token))  # idempotent
    assert services.token_authenticate(key) is None


def test_tokens_of_an_inactive_user_do_not_authenticate(cast, bkpsdm):
    _, key = services.token_create(user=cast.pegawai.user, name="hp")
    services.employee_update(access=bkpsdm, employee=reload(cast.pegawai), is_active=False)
    assert services.token_authenticate(key) is None


def test_revoking_one_token_leaves_the_others(cast):
    first, key1 = services.token_create(user=cast.pegawai.user, name="hp")
    _, key2 = services.token_create(user=cast.pegawai.user, name="laptop")
    services.token_revoke(user=cast.pegawai.user, token=first)
    assert services.token_authenticate(key1) is None
    assert services.token_authenticate(key2) == cast.pegawai.user


def test_last_use_is_recorded_at_most_once_a_minute(cast, monkeypatch):
    token, key = services.token_create(user=cast.pegawai.user, name="hp")
    start = utcnow()
    for offset, recorded in [(0, 0), (30, 0), (60, 0), (61, 61), (90, 61), (200, 200)]:
        monkeypatch.setattr(services, "utcnow", lambda o=offset: start + timedelta(seconds=o))
        assert services.token_authenticate(key) == cast.pegawai.user
        assert reload(token).last_used_at == start + timedelta(seconds=recorded), offset


def test_operator_and_users_without_employee_can_hold_tokens(db):
    robot = UserFactory(username="integrasi-simpeg")
    _, key = services.token_create(user=robot, name="SIMPEG")
    assert services.token_authenticate(key) == robot


def test_admin_opd_cannot_name_a_head_when_creating_a_unit(cast, admin):
    with pytest.raises(NotAllowed):
        services.unit_create(
            access=admin,
            agency=cast.agency,
            parent=cast.pelayanan,
            code="DUK-KTP",
            name="Seksi KTP",
            kind="seksi",
            head=cast.peer,
        )
    assert "kepala_opd" not in acting(cast.peer.user).role_codes()
