"""Login by NIP (spaces allowed, as printed on the card) or by username (any letter case)."""

import pytest
from django.contrib.auth import authenticate
from django.test import Client

from darirumah.org.auth import NipOrUsernameBackend
from darirumah.org.models import Employee, User
from darirumah.org.tests.factories import EmployeeFactory, UnitFactory, UserFactory

PASSWORD = "rahasia-uji-123"  # the factories' password
NIP = "198503302010011002"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def budi(db):
    """An employee whose login name is not their NIP (accounts made before NIP logins)."""
    return EmployeeFactory(
        nip=NIP, name="Budi Santoso", user=UserFactory(username="Budi.Santoso"), unit=UnitFactory()
    )


@pytest.mark.parametrize(
    "login",
    [
        NIP,
        "19850330 201001 1 002",  # as printed
        "19850330\t201001 1002",
        f"  {NIP}  ",
        "Budi.Santoso",
        "budi.santoso",  # any letter case
        "BUDI.SANTOSO",
        "  budi.santoso ",
    ],
)
def test_login_by_nip_or_username(budi, login):
    assert authenticate(username=login, password=PASSWORD) == budi.user


@pytest.mark.parametrize(
    ("login", "password"),
    [
        (NIP, "salah"),
        (NIP, PASSWORD.upper()),  # passwords keep their case
        (NIP, f" {PASSWORD}"),  # and their spaces
        ("budi.santoso", "salah"),
        ("198503302010011003", PASSWORD),  # someone else's (unknown) NIP
        ("19850330201001100", PASSWORD),  # 17 digits
        ("budi", PASSWORD),  # a prefix of the username
        ("", PASSWORD),
        (NIP, ""),
    ],
)
def test_wrong_credentials_are_refused(budi, login, password):
    assert authenticate(username=login, password=password) is None


@pytest.mark.parametrize("login", [NIP, "budi.santoso"])
def test_an_inactive_user_cannot_log_in(budi, login):
    User.objects.filter(pk=budi.user.pk).update(is_active=False)
    assert authenticate(username=login, password=PASSWORD) is None


def test_missing_username_or_password_is_refused(budi):
    backend = NipOrUsernameBackend()
    assert backend.authenticate(None, username=None, password=PASSWORD) is None
    assert backend.authenticate(None, username=NIP, password=None) is None


def test_a_nip_without_an_account_does_not_log_in(db):
    EmployeeFactory(nip=NIP, user=None, unit=UnitFactory())
    assert authenticate(username=NIP, password=PASSWORD) is None


def test_a_login_without_an_employee_uses_the_username(db):
    operator = UserFactory(username="operator")
    assert authenticate(username="Operator", password=PASSWORD) == operator


def test_the_nip_wins_over_a_username_that_looks_like_one(budi):
    # A stray account named after Budi's NIP does not take over Budi's NIP login.
    stray = UserFactory(username=NIP)
    stray.set_password("lain-lagi-456")
    stray.save()
    assert authenticate(username=NIP, password=PASSWORD) == budi.user
    assert authenticate(username=NIP, password="lain-lagi-456") is None


def test_a_username_that_differs_only_in_case_logs_in_its_own_owner(db):
    # Django usernames are unique case-sensitively: both accounts can exist. Each owner, typing
    # their exact username, reaches their own account.
    lower = UserFactory(username="admin.kota")
    upper = UserFactory(username="Admin.Kota")
    upper.set_password("punya-upper-789")
    upper.save()
    assert authenticate(username="Admin.Kota", password="punya-upper-789") == upper
    assert authenticate(username="admin.kota", password=PASSWORD) == lower


def test_client_login_by_nip_opens_a_session(budi):
    client = Client()
    assert client.login(username="19850330 201001 1 002", password=PASSWORD)
    assert int(client.session["_auth_user_id"]) == budi.user.pk


def test_the_cast_logs_in_by_nip(cast):
    for employee in (cast.pegawai, cast.kepala, cast.outsider):
        assert authenticate(username=employee.nip, password=PASSWORD) == employee.user
    assert Employee.objects.filter(user__isnull=False).count() >= 10
