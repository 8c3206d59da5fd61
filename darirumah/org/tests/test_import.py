"""The all-or-nothing import of units and employees: what a BKPSDM officer sees and gets.

File formats, the template, the documented examples and the command are in
test_import_files.py; the HTTP endpoint in test_import_api.py.
"""

from __future__ import annotations

import pytest
from django.utils import translation

from darirumah.core.errors import NotAllowed
from darirumah.org import imports
from darirumah.org.access import access_for
from darirumah.org.imports import sample
from darirumah.org.models import Employee, Unit, User
from darirumah.org.tests.factories import EmployeeFactory, OfficeFactory, UnitFactory


@pytest.fixture(autouse=True)
def english(settings):
    # Messages are asserted in their source language; the Indonesian catalogue may change.
    # The cast's passwords would be hashed with the production hasher (about half a second
    # each); nobody logs in with a password here, so a fast one keeps these tests quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with translation.override("en"):
        yield


def nip(i: int) -> str:
    return sample.sample_nip(i)


def row(i: int, **values) -> dict:
    """A valid row for a new employee in the Secretariat (an existing unit without an office)."""
    return {
        "NIP": nip(i),
        "NAMA": f"Pegawai Impor {i}",
        "JABATAN": "Analis",
        "KODE_UNIT": "SETDA",
        **values,
    }


def csv_file(rows: list[dict], *, delimiter: str = ";", bom: bool = True) -> bytes:
    return sample.to_csv(rows, delimiter=delimiter, bom=bom)


def run(user, data: bytes, agency, *, dry_run: bool = False) -> imports.ImportReport:
    return imports.import_employees(
        access=access_for(user), agency=agency, upload=data, filename="impor.csv", dry_run=dry_run
    )


def snapshot() -> dict[str, int]:
    """Everything an import may write, counted: equal snapshots mean nothing was written."""
    return {
        "employees": Employee.objects.count(),
        "units": Unit.objects.count(),
        "users": User.objects.count(),
        "employee_history": Employee.history.count(),
        "unit_history": Unit.history.count(),
        "user_history": User.history.count(),
    }


def problems_by_row(report) -> dict[int, str]:
    return {e.row: " | ".join(e.problems) for e in report.errors}


def with_nip(employee: Employee, i: int) -> Employee:
    """The factories' NIPs may have an appointment month in the future, which the import refuses
    (and they change with test order); tests that put a cast member's NIP in a file fix it."""
    Employee.objects.filter(pk=employee.pk).update(nip=nip(i))
    employee.refresh_from_db()
    return employee


def other_agency_employee(cast, i: int = 50) -> Employee:
    return EmployeeFactory(unit=cast.other_unit, nip=nip(i))


def expected_path(unit: Unit) -> str:
    ids = []
    node = unit
    while node is not None:
        ids.append(node.pk)
        node = node.parent
    return "/" + "".join(f"{pk}/" for pk in reversed(ids))


# --- the "done when" -------------------------------------------------------------------


def test_5000_rows_with_3_bad_rows_import_nothing_then_all_once_fixed(cast):
    rows = sample.sample_rows(5000, units=40, office=cast.office.name)
    good = {i: dict(rows[i]) for i in (100, 2500, 4999)}
    rows[100]["NIP"] = rows[100]["NIP"][:-1]  # 17 digits
    rows[2500].update(KODE_UNIT="DINAS-HILANG", NAMA_UNIT="", JENIS_UNIT="", KODE_UNIT_INDUK="")
    rows[4999]["LINTANG_RUMAH"] = 96.5
    before = snapshot()

    report = run(cast.bkpsdm.user, sample.to_xlsx(rows), cast.agency)

    assert not report.imported
    assert report.rows == 5000
    found = problems_by_row(report)
    assert sorted(found) == [102, 2502, 5001]  # the header is row 1
    assert "NIP must be exactly 18 digits" in found[102]
    assert "Unit DINAS-HILANG does not exist" in found[2502]
    assert "Latitude must be between -90 and 90" in found[5001]
    assert "3 rows have problems" in report.message
    assert snapshot() == before

    rows[100], rows[2500], rows[4999] = good[100], good[2500], good[4999]
    report = run(cast.bkpsdm.user, sample.to_xlsx(rows), cast.agency)

    assert report.imported, report.errors[:3]
    assert (report.created, report.updated, report.units_created) == (5000, 0, 40)
    assert Employee.objects.filter(agency=cast.agency).count() == before["employees"] - 2 + 5000
    assert Employee.history.count() == before["employee_history"] + 5000
    assert User.objects.filter(username__in=[r["NIP"] for r in rows]).count() == 5000
    staff = Employee.objects.get(nip=rows[41]["NIP"])
    assert staff.supervisor.nip == rows[1]["NIP"]  # the head of its division
    assert staff.supervisor.supervisor.nip == rows[0]["NIP"]  # the head of the OPD
    assert staff.office == cast.office


# --- every kind of bad row ---------------------------------------------------------------------


def _loop_rows(cast):
    return [row(0, NIP_ATASAN=nip(1)), row(1, NIP_ATASAN=nip(0))]


def _unit_loop_rows(cast):
    unit = {"JENIS_UNIT": "bidang"}
    return [
        row(0, KODE_UNIT="U-A", NAMA_UNIT="Unit A", KODE_UNIT_INDUK="U-B", **unit),
        row(1, KODE_UNIT="U-B", NAMA_UNIT="Unit B", KODE_UNIT_INDUK="U-A", **unit),
    ]


BAD_ROWS = [
    ("bad NIP length", lambda c: [row(0, NIP="19850315")], [2], "NIP must be exactly 18 digits"),
    (
        "bad NIP birth date",
        lambda c: [row(1), row(0, NIP="198513452010011001")],
        [3],
        "must be a real birth date",
    ),
    ("unknown unit", lambda c: [row(0, KODE_UNIT="NOPE")], [2], "Unit NOPE does not exist"),
    (
        "duplicate NIP",
        lambda c: [row(0), row(1), row(0, NAMA="Orang Lain")],
        [4],
        f"NIP {nip(0)} already appears on row 2",
    ),
    (
        "NIP of another agency",
        lambda c: [row(0, NIP=other_agency_employee(c).nip)],
        [2],
        "belongs to an employee of another agency",
    ),
    ("supervisor loop", _loop_rows, [2, 3], f"{nip(0)} → {nip(1)} → {nip(0)}"),
    (
        "unknown supervisor",
        lambda c: [row(0, NIP_ATASAN=nip(77))],
        [2],
        "is neither in this file nor an employee of this agency",
    ),
    (
        "supervisor of another agency",
        lambda c: [row(0, NIP_ATASAN=other_agency_employee(c).nip)],
        [2],
        "works for another agency",
    ),
    (
        "bad supervisor NIP",
        lambda c: [row(0, NIP_ATASAN="12345")],
        [2],
        "NIP_ATASAN: NIP must be exactly 18 digits",
    ),
    (
        "latitude out of range",
        lambda c: [row(0, LINTANG_RUMAH="-91", BUJUR_RUMAH="106.1")],
        [2],
        "Latitude must be between -90 and 90",
    ),
    (
        "longitude out of range",
        lambda c: [row(0, LINTANG_RUMAH="-6,1", BUJUR_RUMAH="181")],
        [2],
        "Longitude must be between -180 and 180",
    ),
    (
        "half a home point",
        lambda c: [row(0, LINTANG_RUMAH="-6.1")],
        [2],
        "Give both latitude and longitude",
    ),
    ("missing name", lambda c: [row(0, NAMA="")], [2], "NAMA is required"),
    ("missing unit", lambda c: [row(1), row(0, KODE_UNIT="")], [3], "KODE_UNIT is required"),
    (
        "unknown office",
        lambda c: [row(0, KANTOR="Gedung Antah")],
        [2],
        "“Gedung Antah” is not an office of this agency",
    ),
    (
        "unknown room",
        lambda c: [row(0, KANTOR="Pusat Pemerintahan", RUANG="Ruang Hilang")],
        [2],
        "“Ruang Hilang” is not a room of office “Pusat Pemerintahan”",
    ),
    ("room without office", lambda c: [row(0, RUANG="Ruang Rapat")], [2], "needs an office"),
    ("bad date", lambda c: [row(0, TMT_JABATAN="31-02-2021")], [2], "“31-02-2021” is not a date"),
    (
        "bad number",
        lambda c: [row(0, KELAS_JABATAN="sembilan")],
        [2],
        "KELAS_JABATAN must be a whole number",
    ),
    ("number out of range", lambda c: [row(0, KELAS_JABATAN="18")], [2], "must be 1–17"),
    ("unknown ASN type", lambda c: [row(0, JENIS_ASN="Honorer")], [2], "must be PNS or PPPK"),
    (
        "unknown unit kind",
        lambda c: [row(0, KODE_UNIT="BARU", NAMA_UNIT="Unit Baru", JENIS_UNIT="departemen")],
        [2],
        "“departemen” is not a known unit kind",
    ),
    ("unit loop", _unit_loop_rows, [2, 3], "Units form a loop: U-A → U-B → U-A"),
    (
        "unit under itself",
        lambda c: [row(0, KODE_UNIT="SETDA", KODE_UNIT_INDUK="SETDA")],
        [2],
        "Units form a loop: SETDA → SETDA",
    ),
    (
        "unknown parent unit",
        lambda c: [
            row(0, KODE_UNIT="BARU", NAMA_UNIT="Baru", JENIS_UNIT="bidang", KODE_UNIT_INDUK="X")
        ],
        [2],
        "Parent unit X (of unit BARU) is neither in this file nor in DariRumah",
    ),
    (
        "unit described two ways",
        lambda c: [row(0, NAMA_UNIT="Sekretariat"), row(1, NAMA_UNIT="Setda Kota")],
        [3],
        "Unit SETDA is described differently on row 2",
    ),
    ("bad e-mail", lambda c: [row(0, EMAIL="bukan-surel")], [2], "is not an e-mail address"),
    ("bad yes/no", lambda c: [row(0, AKTIF="mungkin")], [2], "must be “ya” or “tidak”"),
    ("too long", lambda c: [row(0, GOLONGAN="III/a" * 3)], [2], "GOLONGAN is too long"),
]


@pytest.mark.parametrize(
    ("rows", "bad", "expected"),
    [case[1:] for case in BAD_ROWS],
    ids=[case[0] for case in BAD_ROWS],
)
def test_each_bad_row_is_named_and_nothing_is_written(cast, rows, bad, expected):
    data = csv_file(rows(cast))
    before = snapshot()
    report = run(cast.bkpsdm.user, data, cast.agency)
    found = problems_by_row(report)
    assert sorted(found) == bad
    for number in bad:
        assert expected in found[number]
    assert not report.imported
    assert (report.created, report.updated, report.units_created) == (0, 0, 0)
    assert snapshot() == before


def test_a_row_lists_all_its_problems_and_its_nip(cast):
    report = run(
        cast.bkpsdm.user,
        csv_file([row(0, JABATAN="", KELAS_JABATAN="x", TMT_JABATAN="kemarin", KANTOR="?")]),
        cast.agency,
    )
    [error] = report.errors
    assert (error.row, error.nip) == (2, nip(0))
    assert len(error.problems) == 4


def test_a_bad_nip_is_still_shown_as_written(cast):
    report = run(cast.bkpsdm.user, csv_file([row(0, NIP="1985 0315 X")]), cast.agency)
    assert report.errors[0].nip == "1985 0315 X"


def test_a_login_named_after_the_nip_must_be_free(cast):
    User.objects.create(username=nip(0))
    report = run(cast.bkpsdm.user, csv_file([row(0)]), cast.agency)
    assert "A login named" in problems_by_row(report)[2]


def test_supervisor_loop_through_the_database_is_refused(cast):
    # In the database pegawai → atasan → kepala; the file makes kepala report to pegawai.
    kepala = with_nip(cast.kepala, 60)
    line = row(60, KODE_UNIT="DISDUKCAPIL", NIP_ATASAN=cast.pegawai.nip)
    report = run(cast.bkpsdm.user, csv_file([line]), cast.agency)
    message = problems_by_row(report)[2]
    assert "Supervisor loop" in message
    for person in (kepala, cast.atasan, cast.pegawai):
        assert person.nip in message


# --- what a good import does -------------------------------------------------------------------


def test_dry_run_checks_and_counts_but_writes_nothing(cast):
    before = snapshot()
    rows = [row(0, KODE_UNIT="BARU", NAMA_UNIT="Unit Baru", JENIS_UNIT="bidang"), row(1)]
    report = run(cast.bkpsdm.user, csv_file(rows), cast.agency, dry_run=True)
    assert report.errors == []
    assert (report.dry_run, report.imported) == (True, False)
    assert (report.rows, report.created, report.units_created) == (2, 2, 1)
    assert "nothing written yet" in report.message
    assert snapshot() == before


def test_new_employees_get_a_login_named_after_their_nip(cast):
    run(cast.bkpsdm.user, csv_file([row(0, EMAIL="a@example.go.id")]), cast.agency)
    employee = Employee.objects.get(nip=nip(0))
    assert employee.agency == cast.agency
    assert employee.user.username == nip(0)
    assert not employee.user.has_usable_password()
    assert employee.user.email == "a@example.go.id"
    assert employee.sex == "L" and employee.birth_date.year == 1971
    created = employee.history.get()
    assert (created.history_type, created.history_user) == ("+", cast.bkpsdm.user)
    assert employee.user.history.get().history_user == cast.bkpsdm.user


def test_reimport_updates_by_nip_and_keeps_the_account(cast):
    rows = [row(0, TELEPON="081200000001"), row(1), row(2)]
    first = run(cast.bkpsdm.user, csv_file(rows), cast.agency)
    assert first.created == 3
    account = Employee.objects.get(nip=nip(0)).user
    rows[0].update(NAMA="Nama Baru", JABATAN="Kepala Seksi", TELEPON="")  # empty keeps the phone
    rows[2].update(KODE_UNIT="DUK-PEL")

    report = run(cast.bkpsdm.user, csv_file(rows), cast.agency)

    assert (report.created, report.updated) == (0, 2)
    assert "unchanged: 1." in report.message
    assert Employee.objects.filter(nip__in=[nip(0), nip(1), nip(2)]).count() == 3
    employee = Employee.objects.get(nip=nip(0))
    assert (employee.name, employee.position, employee.phone) == (
        "Nama Baru",
        "Kepala Seksi",
        "081200000001",
    )
    assert employee.user.pk == account.pk
    assert employee.user.first_name == "Nama Baru"
    assert employee.history.first().history_type == "~"
    assert employee.history.first().history_user == cast.bkpsdm.user
    moved = Employee.objects.get(nip=nip(2))
    assert moved.unit == cast.pelayanan
    assert moved.office == cast.office  # Bidang Pelayanan sits in Disdukcapil's office
    assert Employee.objects.get(nip=nip(1)).history.count() == 1  # unchanged: no new history


def test_reimport_of_an_existing_employee_without_a_login_creates_one(cast):
    employee = EmployeeFactory(unit=cast.setda, user=None, nip=nip(5))
    report = run(cast.bkpsdm.user, csv_file([row(5)]), cast.agency)
    assert report.updated == 1
    employee.refresh_from_db()
    assert employee.user.username == nip(5)


def test_supervisor_may_already_be_in_the_database(cast):
    run(cast.bkpsdm.user, csv_file([row(0, NIP_ATASAN=cast.kepala.nip)]), cast.agency)
    assert Employee.objects.get(nip=nip(0)).supervisor == cast.kepala


def test_supervisors_in_the_file_may_come_after_their_staff(cast):
    rows = [row(0, NIP_ATASAN=nip(1)), row(1, NIP_ATASAN=nip(2)), row(2)]
    assert run(cast.bkpsdm.user, csv_file(rows), cast.agency).imported
    staff = Employee.objects.get(nip=nip(0))
    assert (staff.supervisor.nip, staff.supervisor.supervisor.nip) == (nip(1), nip(2))
    assert Employee.history.filter(nip=nip(0)).count() == 1  # created once, not patched


def test_new_employee_sits_in_the_units_office_unless_told(cast):
    elsewhere = OfficeFactory(agency=cast.agency, name="Gedung B")
    seksi = {"NAMA_UNIT": "Seksi X", "JENIS_UNIT": "seksi", "KODE_UNIT_INDUK": "DUK-PEL"}
    rows = [
        row(0, KODE_UNIT="DISDUKCAPIL"),
        row(1, KODE_UNIT="DUK-PEL", KANTOR="gedung b"),
        row(2, KODE_UNIT="DUK-PEL", RUANG="ruang rapat"),  # a division sits with its dinas
        row(3, KODE_UNIT="DUK-X", **seksi),  # so does a new unit below it
        row(4, KODE_UNIT="SETDA"),  # no office anywhere up the tree
        row(5, KODE_UNIT="SETDA", RUANG="Ruang Rapat"),
    ]
    report = run(cast.bkpsdm.user, csv_file(rows), cast.agency)
    assert [e.row for e in report.errors] == [7]  # a room needs an office
    rows[5]["KANTOR"] = "Pusat Pemerintahan"
    assert run(cast.bkpsdm.user, csv_file(rows), cast.agency).imported
    offices = [Employee.objects.get(nip=nip(i)).office for i in range(6)]
    assert offices == [cast.office, elsewhere, cast.office, cast.office, None, cast.office]
    assert Employee.objects.get(nip=nip(2)).room.name == "Ruang Rapat"


def test_moving_to_another_office_leaves_the_old_room(cast):
    OfficeFactory(agency=cast.agency, name="Gedung B")
    run(
        cast.bkpsdm.user,
        csv_file([row(0, KANTOR=cast.office.name, RUANG="Ruang Rapat")]),
        cast.agency,
    )
    assert Employee.objects.get(nip=nip(0)).room is not None
    report = run(cast.bkpsdm.user, csv_file([row(0, KANTOR="Gedung B")]), cast.agency)
    assert report.updated == 1
    employee = Employee.objects.get(nip=nip(0))
    assert (employee.office.name, employee.room) == ("Gedung B", None)
    employee.full_clean()  # the room-in-office rule of the model holds


def test_unit_tree_paths_are_right_after_import(cast):
    below = UnitFactory(agency=cast.agency, code="DUK-PEL-1", parent=cast.pelayanan, kind="seksi")
    unit = {"JENIS_UNIT": "bidang"}
    rows = [
        row(0, KODE_UNIT="A", NAMA_UNIT="Dinas A", JENIS_UNIT="dinas"),
        row(1, KODE_UNIT="A-1", NAMA_UNIT="Bidang A1", KODE_UNIT_INDUK="A", **unit),
        row(2, KODE_UNIT="A-1-1", NAMA_UNIT="Seksi", JENIS_UNIT="seksi", KODE_UNIT_INDUK="A-1"),
        row(3, KODE_UNIT="D-1", NAMA_UNIT="Bidang D1", KODE_UNIT_INDUK="DISDUKCAPIL", **unit),
        # moves an existing unit (with a sub-unit) from Disdukcapil to the Secretariat
        row(4, KODE_UNIT="DUK-PEL", KODE_UNIT_INDUK="SETDA", UNIT_LAYANAN_PUBLIK="ya"),
    ]

    report = run(cast.bkpsdm.user, csv_file(rows), cast.agency)

    assert (report.units_created, report.units_updated) == (4, 1)
    for unit in Unit.objects.filter(agency=cast.agency):
        assert unit.path == expected_path(unit), unit.code
    assert Unit.objects.get(code="A-1-1").depth == 2
    below.refresh_from_db()
    assert below.path.startswith(cast.setda.path)
    moved = Unit.objects.get(pk=cast.pelayanan.pk)
    assert (moved.parent, moved.serves_public) == (cast.setda, True)
    change = moved.history.first()
    assert (change.history_type, change.history_user) == ("~", cast.bkpsdm.user)
    assert Unit.objects.get(code="A").history.get().history_type == "+"


def test_a_unit_without_staff_is_described_by_a_row_without_employee_columns(cast):
    division = {"NAMA_UNIT": "Bidang", "JENIS_UNIT": "bidang", "KODE_UNIT_INDUK": "DINAS-X"}
    rows = [
        {"KODE_UNIT": "DINAS-X", "NAMA_UNIT": "Dinas X", "JENIS_UNIT": "dinas"},
        row(0, KODE_UNIT="DINAS-X-1", **division),
    ]
    report = run(cast.bkpsdm.user, csv_file(rows), cast.agency)
    assert (report.rows, report.created, report.units_created) == (2, 1, 2)
    assert Unit.objects.get(code="DINAS-X-1").parent.code == "DINAS-X"


# --- who may import ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role",
    ["pegawai", "atasan", "kepala_opd", "admin_opd", "pimpinan", "kesehatan", "outsider_bkpsdm"],
)
def test_only_bkpsdm_of_the_agency_may_import(cast, role):
    before = snapshot()
    with pytest.raises(NotAllowed):
        run(cast.users()[role], csv_file([row(0)]), cast.agency)
    assert snapshot() == before


@pytest.mark.parametrize("role", ["bkpsdm", "operator"])
def test_bkpsdm_and_the_operator_may_import(cast, role):
    assert run(cast.users()[role], csv_file([row(0)]), cast.agency).imported
