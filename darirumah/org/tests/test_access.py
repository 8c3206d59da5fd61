"""Who sees and does what: access_for(user) over the cast of darirumah/conftest.py.

The cast, agency "Serang" (and "Batu" for the outsiders):

    Sekretariat Daerah (setda)  peer, pimpinan, kesehatan
    Disdukcapil                 kepala (Unit.head), admin_opd (admin of the subtree)
      Bidang Pelayanan          atasan (reports to kepala), pegawai (reports to atasan)
    BKPSDM                      bkpsdm
    Batu: Setda                 outsider, outsider_bkpsdm
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from darirumah.core.calendar import utcnow
from darirumah.core.errors import NotFound
from darirumah.core.tests.matrix import ROLES
from darirumah.org.access import access_for, get_visible
from darirumah.org.models import Agency, Role, RoleAssignment, Unit, User
from darirumah.org.tests.factories import EmployeeFactory, UnitFactory, UserFactory

# Employees by cast attribute name.
EMPLOYEES = [
    "kepala",
    "atasan",
    "pegawai",
    "peer",
    "admin_opd",
    "bkpsdm",
    "pimpinan",
    "kesehatan",
    "outsider",
    "outsider_bkpsdm",
]
SERANG = set(EMPLOYEES) - {"outsider", "outsider_bkpsdm"}
DUKCAPIL_SUBTREE = {"kepala", "atasan", "pegawai", "admin_opd"}

SEES = {
    "pegawai": {"pegawai"},
    "atasan": {"atasan", "pegawai"},
    "kepala_opd": DUKCAPIL_SUBTREE,
    "admin_opd": DUKCAPIL_SUBTREE,
    "bkpsdm": SERANG,
    "pimpinan": SERANG,
    "kesehatan": SERANG,  # the staff list needed for contact tracing
    "operator": set(EMPLOYEES),
    "outsider": {"outsider"},
    "outsider_bkpsdm": {"outsider", "outsider_bkpsdm"},
}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The cast sets eleven passwords; the production hasher would make each test take seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def fresh(user: User) -> User:
    """The user as a new request would load it (access_for caches on the user object)."""
    return User.objects.get(pk=user.pk)


def access(cast, role: str):
    return access_for(fresh(cast.users()[role]))


def names(cast, employees) -> set[str]:
    by_pk = {getattr(cast, n).pk: n for n in EMPLOYEES}
    return {by_pk.get(e.pk, e.name) for e in employees}


# --- who sees whom ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_which_employees(cast, role):
    assert names(cast, access(cast, role).employees()) == SEES[role]


@pytest.mark.parametrize("role", ROLES)
def test_can_view_employee_agrees_with_the_list(cast, role):
    acc = access(cast, role)
    for target in EMPLOYEES:
        employee = getattr(cast, target)
        assert acc.can_view_employee(employee) is (target in SEES[role]), target


@pytest.mark.parametrize("role", ROLES)
def test_get_visible_hides_what_is_out_of_scope(cast, role):
    acc = access(cast, role)
    for target in EMPLOYEES:
        employee = getattr(cast, target)
        if target in SEES[role]:
            assert get_visible(acc.employees(), employee.pk) == employee
        else:
            with pytest.raises(NotFound):
                get_visible(acc.employees(), employee.pk)


def test_anonymous_sees_nothing(cast):
    acc = access_for(AnonymousUser())
    assert list(acc.employees()) == []
    assert list(acc.agencies()) == []
    assert acc.role_codes() == []
    assert not acc.can_view_employee(cast.pegawai)


@pytest.mark.parametrize(
    ("role", "agencies"),
    [
        ("pegawai", {"agency"}),
        ("bkpsdm", {"agency"}),
        ("outsider", {"other_agency"}),
        ("operator", {"agency", "other_agency"}),
    ],
)
def test_agencies_and_units_in_scope(cast, role, agencies):
    acc = access(cast, role)
    expected = {getattr(cast, a).pk for a in agencies}
    assert set(acc.agencies().values_list("pk", flat=True)) == expected
    # The unit tree of one's own agency is visible to everyone in it, and no other.
    assert set(acc.units().values_list("agency_id", flat=True)) == expected


# --- transitive subordinates -----------------------------------------------------------------


@pytest.fixture
def third_level(cast):
    """Staff reporting to pegawai (in the Secretariat), and staff reporting to them."""
    staff = EmployeeFactory(unit=cast.setda, name="Staf Level 3", supervisor=cast.pegawai)
    intern = EmployeeFactory(unit=cast.setda, name="Staf Level 4", supervisor=staff)
    return staff, intern


@pytest.mark.parametrize(
    ("role", "sees_level_3", "sees_level_4"),
    [
        ("pegawai", True, True),  # now a supervisor
        ("atasan", True, True),  # through pegawai
        ("kepala_opd", True, True),  # through atasan, though the staff sit outside Disdukcapil
        ("admin_opd", False, False),  # Setda is outside the Disdukcapil subtree
        ("bkpsdm", True, True),
        ("outsider", False, False),
        ("outsider_bkpsdm", False, False),
    ],
)
def test_supervisors_see_down_the_whole_line(cast, third_level, role, sees_level_3, sees_level_4):
    staff, intern = third_level
    acc = access(cast, role)
    visible = set(acc.employees().values_list("pk", flat=True))
    assert (staff.pk in visible) is sees_level_3
    assert (intern.pk in visible) is sees_level_4
    assert acc.can_view_employee(staff) is sees_level_3
    assert acc.can_view_employee(intern) is sees_level_4


def test_subordinate_ids_are_transitive(cast, third_level):
    staff, intern = third_level
    assert access(cast, "kepala_opd").subordinate_ids == {
        cast.atasan.pk,
        cast.pegawai.pk,
        staff.pk,
        intern.pk,
    }
    assert access(cast, "pegawai").subordinate_ids == {staff.pk, intern.pk}
    assert access(cast, "pegawai").role_codes() == ["pegawai", "atasan"]
    assert access_for(fresh(intern.user)).subordinate_ids == frozenset()


def test_a_reporting_loop_does_not_hang_access(cast):
    # A loop written behind the services' back: access still terminates.
    type(cast.kepala).objects.filter(pk=cast.kepala.pk).update(supervisor=cast.pegawai)
    acc = access(cast, "atasan")
    assert acc.subordinate_ids == {cast.pegawai.pk, cast.kepala.pk}


# --- subtree scoping -------------------------------------------------------------------------


def test_admin_of_a_sub_unit_sees_only_that_subtree(cast):
    clerk = EmployeeFactory(unit=cast.setda, name="Admin Pelayanan")
    RoleAssignment.objects.create(
        user=clerk.user, role=Role.ADMIN_OPD, agency=cast.agency, unit=cast.pelayanan
    )
    acc = access_for(fresh(clerk.user))
    assert names(cast, acc.employees()) == {"atasan", "pegawai", "Admin Pelayanan"}
    assert acc.administers_unit(cast.pelayanan)
    assert not acc.administers_unit(cast.disdukcapil)  # not the parent
    assert not acc.administers_unit(cast.setda)  # not their own unit either
    assert acc.oversees_unit(cast.pelayanan)
    assert not acc.oversees_unit(cast.disdukcapil)


def test_subtree_reaches_every_depth(cast):
    seksi = UnitFactory(agency=cast.agency, parent=cast.pelayanan, kind="seksi", name="Seksi KTP")
    deep = EmployeeFactory(unit=seksi, name="Petugas KTP")
    assert seksi.path == f"{cast.pelayanan.path}{seksi.pk}/"
    assert seksi.path.startswith(cast.disdukcapil.path)
    for role in ("admin_opd", "kepala_opd"):
        acc = access(cast, role)
        assert acc.can_view_employee(deep)
        assert acc.oversees_unit(seksi)
        assert deep in acc.employees()
    assert access(cast, "admin_opd").can_edit_employee(deep)
    assert not access(cast, "kepala_opd").can_edit_employee(deep)


def test_a_unit_whose_id_starts_like_the_subtree_is_outside_it(cast):
    # Paths end in "/": "/27/" is not under "/2/" although "27" starts with "2".
    lookalike = UnitFactory(agency=cast.agency, pk=cast.disdukcapil.pk * 10 + 7, name="Dinas 27")
    assert lookalike.path.startswith(cast.disdukcapil.path[:-1])
    stranger = EmployeeFactory(unit=lookalike)
    acc = access(cast, "admin_opd")
    assert not acc.administers_unit(lookalike)
    assert not acc.can_view_employee(stranger)
    assert stranger not in acc.employees()


# --- decisions per unit, employee and agency -------------------------------------------------

UNITS = ["setda", "disdukcapil", "pelayanan", "bkpsdm_unit", "other_unit"]
OWN_UNITS = {"setda", "disdukcapil", "pelayanan", "bkpsdm_unit"}
DUKCAPIL_UNITS = {"disdukcapil", "pelayanan"}

ADMINISTERS = {
    "pegawai": set(),
    "atasan": set(),
    "kepala_opd": set(),  # the head reads and decides; the admin edits
    "admin_opd": DUKCAPIL_UNITS,
    "bkpsdm": OWN_UNITS,
    "pimpinan": set(),
    "kesehatan": set(),
    "operator": set(UNITS),
    "outsider": set(),
    "outsider_bkpsdm": {"other_unit"},
}
OVERSEES = {
    "pegawai": set(),
    "atasan": set(),
    "kepala_opd": DUKCAPIL_UNITS,
    "admin_opd": DUKCAPIL_UNITS,
    "bkpsdm": OWN_UNITS,
    "pimpinan": OWN_UNITS,
    "kesehatan": set(),
    "operator": set(UNITS),
    "outsider": set(),
    "outsider_bkpsdm": {"other_unit"},
}


@pytest.mark.parametrize("role", ROLES)
def test_administers_and_oversees_units(cast, role):
    acc = access(cast, role)
    for name in UNITS:
        unit = getattr(cast, name)
        assert acc.administers_unit(unit) is (name in ADMINISTERS[role]), ("administers", name)
        assert acc.oversees_unit(unit) is (name in OVERSEES[role]), ("oversees", name)


UNIT_OF = {
    "kepala": "disdukcapil",
    "atasan": "pelayanan",
    "pegawai": "pelayanan",
    "peer": "setda",
    "admin_opd": "disdukcapil",
    "bkpsdm": "bkpsdm_unit",
    "pimpinan": "setda",
    "kesehatan": "setda",
    "outsider": "other_unit",
    "outsider_bkpsdm": "other_unit",
}


@pytest.mark.parametrize("role", ROLES)
def test_can_edit_employee_follows_the_unit(cast, role):
    acc = access(cast, role)
    for target in EMPLOYEES:
        expected = UNIT_OF[target] in ADMINISTERS[role]
        assert acc.can_edit_employee(getattr(cast, target)) is expected, target


def test_nobody_edits_their_own_record_without_rights(cast):
    # The supervisor sees the subordinate but does not edit staff data.
    acc = access(cast, "atasan")
    assert acc.can_view_employee(cast.pegawai)
    assert not acc.can_edit_employee(cast.pegawai)
    assert not acc.can_edit_employee(cast.atasan)


@pytest.mark.parametrize(
    ("role", "own", "other"),
    [
        ("pegawai", False, False),
        ("atasan", False, False),
        ("kepala_opd", False, False),
        ("admin_opd", False, False),
        ("bkpsdm", True, False),
        ("pimpinan", False, False),
        ("kesehatan", False, False),
        ("operator", True, True),
        ("outsider", False, False),
        ("outsider_bkpsdm", False, True),
    ],
)
def test_manages_agency(cast, role, own, other):
    acc = access(cast, role)
    assert acc.manages_agency(cast.agency.pk) is own
    assert acc.manages_agency(cast.other_agency.pk) is other
    assert acc.can_import(cast.agency.pk) is own
    assert acc.can_manage_roles(cast.other_agency.pk) is other
    assert acc.manages_agency(None) is (role == "operator")


HISTORY = {
    # (employee pegawai, unit Disdukcapil, unit Setda, agency, other agency's unit)
    "pegawai": (False, False, False, False, False),
    "atasan": (False, False, False, False, False),
    "kepala_opd": (True, True, False, False, False),
    "admin_opd": (True, True, False, False, False),
    "bkpsdm": (True, True, True, True, False),
    "pimpinan": (True, True, True, True, False),
    "kesehatan": (False, False, False, False, False),
    "operator": (True, True, True, True, True),
    "outsider": (False, False, False, False, False),
    "outsider_bkpsdm": (False, False, False, False, True),
}


@pytest.mark.parametrize("role", ROLES)
def test_can_view_history(cast, role):
    acc = access(cast, role)
    objects = (cast.pegawai, cast.disdukcapil, cast.setda, cast.agency, cast.other_unit)
    assert tuple(acc.can_view_history(o) for o in objects) == HISTORY[role]
    # Objects carrying an agency (an office) follow the agency.
    assert acc.can_view_history(cast.office) is HISTORY[role][3]
    assert acc.can_view_history(cast.other_agency) is (role in {"operator", "outsider_bkpsdm"})


def test_history_of_an_unrelated_user_is_not_visible(db):
    number = 900_001
    stranger = User.objects.create(pk=number, username="orang-lain")
    agency = Agency.objects.create(pk=number, name="Kota N", code="kota-n", kind="pemkot")
    officer = EmployeeFactory(unit=UnitFactory(agency=agency))
    RoleAssignment.objects.create(user=officer.user, role=Role.BKPSDM, agency=agency)
    assert not access_for(fresh(officer.user)).can_view_history(stranger)


def test_history_of_an_operator_grant_is_not_visible_to_an_agency(db):
    number = 900_002
    agency = Agency.objects.create(pk=number, name="Kota N", code="kota-n", kind="pemkot")
    officer = EmployeeFactory(unit=UnitFactory(agency=agency))
    RoleAssignment.objects.create(user=officer.user, role=Role.BKPSDM, agency=agency)
    grant = RoleAssignment.objects.create(pk=number, user=UserFactory(), role=Role.OPERATOR)
    assert not access_for(fresh(officer.user)).can_view_history(grant)


# --- role codes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "codes"),
    [
        ("pegawai", ["pegawai"]),
        ("atasan", ["pegawai", "atasan"]),
        ("kepala_opd", ["pegawai", "atasan", "kepala_opd"]),  # kepala supervises atasan
        ("admin_opd", ["pegawai", "admin_opd"]),
        ("bkpsdm", ["pegawai", "bkpsdm"]),
        ("pimpinan", ["pegawai", "pimpinan"]),
        ("kesehatan", ["pegawai", "kesehatan"]),
        ("operator", ["operator"]),
        ("outsider", ["pegawai"]),
        ("outsider_bkpsdm", ["pegawai", "bkpsdm"]),
    ],
)
def test_role_codes(cast, role, codes):
    assert access(cast, role).role_codes() == codes


def test_superuser_is_operator(db):
    boss = UserFactory(is_superuser=True)
    acc = access_for(fresh(boss))
    assert acc.is_operator
    assert acc.role_codes() == ["operator"]


def test_role_without_employee_record_takes_the_grants_agency(cast):
    login = UserFactory(username="staf-bkpsdm-tanpa-nip")
    RoleAssignment.objects.create(user=login, role=Role.BKPSDM, agency=cast.agency)
    acc = access_for(fresh(login))
    assert acc.role_codes() == ["bkpsdm"]
    assert names(cast, acc.employees()) == SERANG
    assert acc.manages_agency(cast.agency.pk)


# --- revoked and foreign grants --------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "left"),
    [
        ("bkpsdm", ["pegawai"]),
        ("pimpinan", ["pegawai"]),
        ("kesehatan", ["pegawai"]),
        ("admin_opd", ["pegawai"]),
        ("operator", []),
        ("outsider_bkpsdm", ["pegawai"]),
    ],
)
def test_revoked_grants_no_longer_count(cast, role, left):
    user = cast.users()[role]
    RoleAssignment.objects.filter(user=user).update(revoked_at=utcnow())
    acc = access_for(fresh(user))
    assert acc.role_codes() == left
    assert not acc.is_operator
    assert not acc.manages_agency(cast.agency.pk)
    assert not acc.administers_unit(cast.disdukcapil)
    assert not acc.oversees_unit(cast.setda)
    # Back to their own record (the operator has none).
    assert names(cast, acc.employees()) == (set() if role == "operator" else {role})


def test_a_head_replaced_loses_the_subtree(cast):
    Unit.objects.filter(pk=cast.disdukcapil.pk).update(head=None)
    acc = access(cast, "kepala_opd")
    assert "kepala_opd" not in acc.role_codes()
    assert not acc.oversees_unit(cast.disdukcapil)
    # Still the supervisor of atasan, so still sees the reporting line.
    assert names(cast, acc.employees()) == {"kepala", "atasan", "pegawai"}


def test_the_head_of_an_inactive_unit_is_not_kepala(cast):
    Unit.objects.filter(pk=cast.disdukcapil.pk).update(is_active=False)
    assert "kepala_opd" not in access(cast, "kepala_opd").role_codes()


def test_an_inactive_employee_sees_nothing(cast):
    type(cast.pegawai).objects.filter(pk=cast.pegawai.pk).update(is_active=False)
    acc = access(cast, "pegawai")
    assert acc.role_codes() == []
    assert list(acc.employees()) == []


def test_a_grant_of_another_agency_does_not_leak(cast):
    peer = cast.peer.user
    RoleAssignment.objects.create(user=peer, role=Role.BKPSDM, agency=cast.other_agency)
    RoleAssignment.objects.create(
        user=peer, role=Role.ADMIN_OPD, agency=cast.other_agency, unit=cast.other_unit
    )
    acc = access_for(fresh(peer))
    assert acc.role_codes() == ["pegawai"]
    assert names(cast, acc.employees()) == {"peer"}
    assert not acc.manages_agency(cast.other_agency.pk)
    assert not acc.administers_unit(cast.other_unit)
    assert not acc.can_view_employee(cast.outsider)
    assert not acc.can_view_history(cast.other_agency)
    assert set(acc.agencies()) == {cast.agency}


def test_other_agency_bkpsdm_cannot_reach_in(cast):
    acc = access(cast, "outsider_bkpsdm")
    for name in EMPLOYEES:
        if name in SERANG:
            assert not acc.can_view_employee(getattr(cast, name))
            assert not acc.can_edit_employee(getattr(cast, name))
    assert not acc.manages_agency(cast.agency.pk)
