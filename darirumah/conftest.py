"""Shared test fixtures: a small named cast of users, one per role, in two agencies."""

from dataclasses import dataclass

import pytest

from darirumah.org.models import Agency, Employee, Office, Role, RoleAssignment, Unit, User
from darirumah.org.tests.factories import (
    AgencyFactory,
    EmployeeFactory,
    OfficeFactory,
    RoomFactory,
    UnitFactory,
    UserFactory,
)

PASSWORD = "rahasia-uji-123"


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Assertions read the English msgids. Requests still pick their language as in production
    (Indonesian by default; test_i18n checks that), so page tests send Accept-Language: en."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Full-strength hashing costs seconds per cast; tests need logins, not slow hashes."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path_factory):
    """Files a test stores (signed letters, photos) go to a temporary folder, never var/media."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@dataclass
class Cast:
    agency: Agency
    other_agency: Agency
    office: Office
    setda: Unit
    disdukcapil: Unit
    pelayanan: Unit
    bkpsdm_unit: Unit
    other_unit: Unit
    kepala: Employee  # head of Disdukcapil (Unit.head → kepala OPD of its subtree)
    atasan: Employee  # supervises pegawai, in Bidang Pelayanan
    pegawai: Employee
    peer: Employee  # an unrelated employee in the Secretariat
    admin_opd: Employee
    bkpsdm: Employee
    pimpinan: Employee
    kesehatan: Employee
    operator: User
    outsider: Employee  # an employee of the other agency
    outsider_bkpsdm: Employee

    def users(self) -> dict[str, User]:
        """Every role's login, keyed by role name."""
        return {
            "pegawai": self.pegawai.user,
            "atasan": self.atasan.user,
            "kepala_opd": self.kepala.user,
            "admin_opd": self.admin_opd.user,
            "bkpsdm": self.bkpsdm.user,
            "pimpinan": self.pimpinan.user,
            "kesehatan": self.kesehatan.user,
            "operator": self.operator,
            "outsider": self.outsider.user,
            "outsider_bkpsdm": self.outsider_bkpsdm.user,
        }


def _grant(employee_or_user, role, agency=None, unit=None):
    user = getattr(employee_or_user, "user", employee_or_user)
    RoleAssignment.objects.create(user=user, role=role, agency=agency, unit=unit)


@pytest.fixture
def cast(db) -> Cast:
    agency = AgencyFactory(name="Pemerintah Kota Serang Uji", code="serang-uji")
    other = AgencyFactory(name="Pemerintah Kota Batu Uji", code="batu-uji")
    office = OfficeFactory(agency=agency, name="Pusat Pemerintahan")
    RoomFactory(office=office, name="Ruang Rapat")
    setda = UnitFactory(agency=agency, code="SETDA", name="Sekretariat Daerah", kind="sekretariat")
    dukcapil = UnitFactory(
        agency=agency,
        code="DISDUKCAPIL",
        name="Dinas Kependudukan dan Pencatatan Sipil",
        serves_public=True,
        min_on_site=3,
        office=office,
    )
    pelayanan = UnitFactory(
        agency=agency, code="DUK-PEL", name="Bidang Pelayanan", kind="bidang", parent=dukcapil
    )
    bkpsdm_unit = UnitFactory(agency=agency, code="BKPSDM", name="BKPSDM", kind="badan")
    other_unit = UnitFactory(agency=other, code="SETDA", name="Sekretariat Daerah Batu")

    kepala = EmployeeFactory(unit=dukcapil, name="Kepala Dukcapil", office=office)
    Unit.objects.filter(pk=dukcapil.pk).update(head=kepala)
    atasan = EmployeeFactory(unit=pelayanan, name="Atasan Pelayanan", supervisor=kepala)
    pegawai = EmployeeFactory(unit=pelayanan, name="Pegawai Pelayanan", supervisor=atasan)
    peer = EmployeeFactory(unit=setda, name="Pegawai Setda")
    admin_opd = EmployeeFactory(unit=dukcapil, name="Admin Dukcapil")
    _grant(admin_opd, Role.ADMIN_OPD, agency, dukcapil)
    bkpsdm = EmployeeFactory(unit=bkpsdm_unit, name="Petugas BKPSDM")
    _grant(bkpsdm, Role.BKPSDM, agency)
    pimpinan = EmployeeFactory(unit=setda, name="Wali Kota Uji", position="Wali Kota")
    _grant(pimpinan, Role.PIMPINAN, agency)
    kesehatan = EmployeeFactory(unit=setda, name="Petugas Kesehatan")
    _grant(kesehatan, Role.KESEHATAN, agency)
    operator = UserFactory(username="operator")
    _grant(operator, Role.OPERATOR)
    outsider = EmployeeFactory(unit=other_unit, name="Pegawai Batu")
    outsider_bkpsdm = EmployeeFactory(unit=other_unit, name="BKPSDM Batu")
    _grant(outsider_bkpsdm, Role.BKPSDM, other)
    dukcapil.refresh_from_db()
    return Cast(
        agency=agency,
        other_agency=other,
        office=office,
        setda=setda,
        disdukcapil=dukcapil,
        pelayanan=pelayanan,
        bkpsdm_unit=bkpsdm_unit,
        other_unit=other_unit,
        kepala=kepala,
        atasan=atasan,
        pegawai=pegawai,
        peer=peer,
        admin_opd=admin_opd,
        bkpsdm=bkpsdm,
        pimpinan=pimpinan,
        kesehatan=kesehatan,
        operator=operator,
        outsider=outsider,
        outsider_bkpsdm=outsider_bkpsdm,
    )


def client_for(user):
    """A test client logged in as `user` (the API's session auth), asking for English like
    the `browse` fixture, so assertions can read the msgids."""
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def browse():
    """A browser in English (page assertions read the msgids), logged in as the given user."""
    from django.conf import settings
    from django.test import Client

    def as_user(user=None):
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        if user is not None:
            client.force_login(user)
        return client

    return as_user
