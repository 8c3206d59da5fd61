"""`darirumah demo`: the two demo agencies, their logins, and that a second run changes nothing."""

import re
from dataclasses import replace
from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings

from darirumah.core.calendar import AgencyCalendar
from darirumah.org import rules
from darirumah.org.access import access_for
from darirumah.org.demo import DEMO_PASSWORD, plan_demo
from darirumah.org.models import Agency, Employee, Office, RoleAssignment, Room, Unit, User
from darirumah.org.services import unit_path
from darirumah.org.tests.factories import AgencyFactory

MODELS = (Agency, Office, Room, Unit, Employee, User, RoleAssignment)

# The role each printed login must hold (per access_for(user).role_codes()).
EXPECTED_ROLE = {
    "pegawai": "pegawai",
    "atasan": "atasan",
    "kepala_opd": "kepala_opd",
    "admin_opd": "admin_opd",
    "bkpsdm": "bkpsdm",
    "pimpinan": "pimpinan",
    "kesehatan": "kesehatan",
    "operator": "operator",
}


# The demo logins get a password; the real hasher is slow on purpose.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


def run_demo(*args) -> str:
    out = StringIO()
    call_command("demo", "--force", *args, stdout=out)
    return out.getvalue()


def printed_logins(output: str) -> list[dict]:
    """The login table as dicts: role, username, nip, password."""
    rows = []
    for line in output.splitlines():
        match = re.search(r"\s(\w+)\s+(\S+)\s+(\d{18}|-)\s+(\S+)\s", line)
        if match and match.group(1) in EXPECTED_ROLE:
            role, username, nip, password = match.groups()
            rows.append({"role": role, "username": username, "nip": nip, "password": password})
    return rows


def snapshot() -> dict:
    data = {}
    for model in MODELS:
        data[model.__name__] = list(model.objects.order_by("pk").values())
        data[f"{model.__name__} history"] = model.history.count()
    return data


@pytest.fixture(scope="class")
def demo_output(django_db_setup, django_db_blocker):
    """One demo run shared by a class of tests (it takes a second or two), rolled back after.

    Each test still gets the usual `db` transaction nested inside, so what a test writes (the
    second run) is undone before the next test.
    """
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        yield run_demo()
        transaction.set_rollback(True)


@pytest.mark.usefixtures("db")
class TestDemoData:
    def test_second_run_changes_nothing(self, demo_output):
        before = snapshot()
        second = run_demo()

        assert snapshot() == before
        assert second.count("already present, nothing changed") == 3  # two agencies, the operator
        assert printed_logins(second) == printed_logins(demo_output)
        assert Agency.objects.count() == 2
        for code in ("kota-serang", "kota-batu"):
            assert 250 <= Employee.objects.filter(agency__code=code).count() <= 350
        # One creation row in the audit history per object, no more.
        assert before["Employee history"] == len(before["Employee"])
        assert before["Unit history"] == len(before["Unit"])

    def test_each_agency_has_a_tpp_table_for_every_job_class_in_use(self, demo_output):
        from darirumah.performance import config

        for agency in Agency.objects.all():
            table = config.parse(agency.performance_rules.rules).tpp.base_by_job_class
            used = set(
                Employee.objects.filter(agency=agency, job_class__isnull=False).values_list(
                    "job_class", flat=True
                )
            )
            assert used and used <= set(table)

    def test_every_printed_login_works_and_has_its_role(self, demo_output):
        logins = printed_logins(demo_output)
        assert {row["role"] for row in logins} == set(EXPECTED_ROLE)
        assert len(logins) == 7 * 2 + 1
        assert "DEMO CREDENTIALS" in demo_output
        for row in logins:
            assert row["password"] == DEMO_PASSWORD
            user = authenticate(username=row["username"], password=row["password"])
            assert user is not None, row
            if row["nip"] != "-":
                assert authenticate(username=row["nip"], password=row["password"]) == user
            assert EXPECTED_ROLE[row["role"]] in access_for(user).role_codes(), row

        pegawai = User.objects.get(username="serang.pegawai")
        assert access_for(pegawai).role_codes() == ["pegawai"]
        admin = access_for(User.objects.get(username="serang.admin"))
        disdukcapil = Unit.objects.get(agency__code="kota-serang", code="DISDUKCAPIL")
        assert admin.administers_unit(disdukcapil)
        kepala = access_for(User.objects.get(username="serang.kepala"))
        assert kepala.employee == disdukcapil.head
        operator = User.objects.get(username="operator")
        assert operator.is_staff and access_for(operator).is_operator
        # Everyone else has no usable password.
        demo_users = {row["username"] for row in logins}
        others = User.objects.exclude(username__in=demo_users)
        assert others.count() > 500
        assert not any(u.has_usable_password() for u in others)

    def test_organisation_is_consistent(self, demo_output):
        employees = list(Employee.objects.select_related("office", "room", "supervisor", "user"))
        parent_of = {e.pk: e.supervisor_id for e in employees}
        assert rules.find_cycle(parent_of) is None
        tops = [e for e in employees if e.supervisor_id is None]
        assert sorted(e.position for e in tops) == ["Sekretaris Daerah", "Sekretaris Daerah"]

        today = AgencyCalendar(zone="WIB").today()
        for e in employees:
            parts = rules.parse_nip(e.nip, today=today)
            assert (parts.sex, parts.birth_date) == (e.sex, e.birth_date)
            assert 1965 <= parts.birth_date.year <= 2000
            assert 20 <= parts.appointment_year - parts.birth_date.year <= 45
            assert e.supervisor is None or e.supervisor.agency_id == e.agency_id
            assert e.room.office_id == e.office_id and e.office.agency_id == e.agency_id
            assert e.home_latitude is not None and e.phone and e.email and e.placed_on
            assert e.user.username in (e.nip, e.user.username)  # a login for everyone
        assert len({e.nip for e in employees}) == len(employees)
        assert {e.asn_type for e in employees} == {"PNS", "PPPK"}
        recent = [e for e in employees if e.placed_on >= today - timedelta(days=90)]
        assert len(recent) >= 10

        units = list(Unit.objects.select_related("head", "parent"))
        for unit in units:
            assert unit.path == unit_path(unit)
            assert unit.head is not None and unit.head.unit_id == unit.pk
            if unit.parent is not None:
                # A unit head answers to the head of the unit above.
                assert unit.head.supervisor_id == unit.parent.head_id

        serang = Unit.objects.get(agency__code="kota-serang", code="DISDUKCAPIL")
        assert serang.serves_public and serang.min_on_site == 3
        assert serang.name == "Dinas Kependudukan dan Pencatatan Sipil"
        assert Unit.objects.filter(agency__code="kota-serang", kind="dinas").count() >= 3

        batu = Agency.objects.get(code="kota-batu")
        kinds = set(batu.units.values_list("kind", flat=True))
        assert {"kecamatan", "kelurahan", "desa", "puskesmas", "dinas", "badan"} <= kinds
        assert set(batu.units.filter(kind="kecamatan").values_list("name", flat=True)) == {
            "Kecamatan Batu",
            "Kecamatan Junrejo",
            "Kecamatan Bumiaji",
        }
        balai = batu.offices.get(name="Balai Kota Among Tani")
        assert abs(balai.latitude + 7.87) < 0.05 and abs(balai.longitude - 112.52) < 0.05
        # Kecamatan, kelurahan, desa and puskesmas work from their own offices (not the Balai Kota).
        field_units = batu.units.filter(kind__in=["kecamatan", "kelurahan", "desa", "puskesmas"])
        assert not field_units.filter(office=balai).exists()
        assert batu.units.get(code="DISPENDUKCAPIL").serves_public


def test_plan_is_deterministic():
    day = date(2026, 3, 18)
    assert plan_demo(day) == plan_demo(day)
    # Only the placement dates follow the day the demo runs.
    later = plan_demo(day + timedelta(days=40))

    def without_dates(plans):
        return [[replace(e, placed_on=None) for e in p.employees] for p in plans]

    assert without_dates(later) == without_dates(plan_demo(day))


def test_refuses_without_debug_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("demo", stdout=StringIO())
    assert not Agency.objects.exists()


def test_leaves_an_agency_it_did_not_create_alone(db):
    AgencyFactory(code="kota-serang", name="Pemerintah Kota Serang (data asli)")
    output = run_demo()
    assert "was not created by the demo" in output
    assert not Employee.objects.filter(agency__code="kota-serang").exists()
    assert Employee.objects.filter(agency__code="kota-batu").exists()
    assert "serang.pegawai" not in output
