"""The employee import at the size of a real city: 5,000 employees in 40 units, from XLSX.

Baseline: a plain bulk_create of the same rows (already parsed: no file, no checks, no history,
no supervisors). Every measurement of a round runs in a fresh agency, so rounds do not disturb
each other; the table shows the median of the rounds.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from statistics import median

from django.db import transaction

from bench.measuring import measure
from darirumah.org import imports, rules
from darirumah.org.access import access_for
from darirumah.org.imports import reading, sample
from darirumah.org.imports.columns import map_columns
from darirumah.org.imports.rows import Context, parse_rows
from darirumah.org.models import Agency, Employee, Office, Role, RoleAssignment, Unit, User

TITLE = "Employee import: 5,000 rows in 40 units (XLSX)"
ROWS, UNITS = 5000, 40
BASELINE = "baseline: plain bulk_create of the same rows"


def run(*, rounds: int) -> dict:
    seconds: dict[str, list[float]] = defaultdict(list)
    queries: dict[str, int] = {}
    for number in range(rounds):
        for name, took, count in one_round(number):
            seconds[name].append(took)
            queries[name] = count
    measurements = [
        {"name": name, "seconds": median(values), "rows": ROWS, "queries": queries[name]}
        for name, values in seconds.items()
    ]
    real = median(seconds["import (real, into an empty agency)"])
    return {
        "summary": (
            f"`bench/bench_import.py`: {ROWS:,} employees in {UNITS} units (8 OPDs with 4 "
            "divisions each, heads supervising their staff), generated with openpyxl and "
            "imported through `imports.import_employees` as BKPSDM would. Median of "
            f"{rounds} round(s); each round uses a fresh agency."
        ),
        "baseline": BASELINE,
        "measurements": measurements,
        "notes": [
            f"A real import of {ROWS:,} rows took {real:.1f} s (the goal: well under a minute).",
            "Baseline: `bulk_create` of the same 40 units, 5,000 users and 5,000 employees "
            "from already-parsed rows, in one transaction: no file reading, no checks, no "
            "history rows, no supervisor links, no unit paths.",
            "The import reads the file, checks every row against the file and the database, "
            "then writes units, unit paths, users and employees (supervisors before their "
            "staff) with a history row for each record, all in one transaction.",
            "Re-import (unchanged) reads and checks everything and writes nothing; re-import "
            "(every row changed) updates all 5,000 employees with history.",
            "Queries are counted per measurement: they grow with the depth of the unit tree "
            "and of the reporting lines and with batches, not with the number of rows one by one.",
        ],
    }


def one_round(number: int) -> Iterator[tuple[str, float, int]]:
    """Yields (measurement, seconds, queries)."""
    start = number * 2 * ROWS  # NIPs of this round's two agencies never meet other rounds'
    base_agency, base_office, _ = setup(f"bench-{number}-baseline")
    base_rows = sample.sample_rows(ROWS, units=UNITS, office=base_office.name, start=start + ROWS)
    yield measure(BASELINE, lambda: plain_bulk_create(base_rows, base_agency, base_office))

    agency, office, access = setup(f"bench-{number}")
    rows = sample.sample_rows(ROWS, units=UNITS, office=office.name, start=start)
    began = time.perf_counter()
    data = sample.to_xlsx(rows)
    yield "write the XLSX with openpyxl (not part of the import)", time.perf_counter() - began, 0
    yield measure("read and parse the XLSX (no database)", lambda: read_and_parse(data))

    def do(upload: bytes, *, dry_run: bool, created: int = 0, updated: int = 0):
        report = imports.import_employees(
            access=access, agency=agency, upload=upload, filename="", dry_run=dry_run
        )
        if report.errors or (report.created, report.updated) != (created, updated):
            raise RuntimeError(f"unexpected import result: {report.message} {report.errors[:3]}")

    yield measure("dry run", lambda: do(data, dry_run=True, created=ROWS))
    yield measure(
        "import (real, into an empty agency)", lambda: do(data, dry_run=False, created=ROWS)
    )
    yield measure("re-import, nothing changed", lambda: do(data, dry_run=False))
    csv = sample.to_csv(rows)
    yield measure("re-import, nothing changed, as CSV (;)", lambda: do(csv, dry_run=False))
    changed = sample.to_xlsx([{**r, "JABATAN": f"{r['JABATAN']} Ahli Muda"} for r in rows])
    yield measure("re-import, every row changed", lambda: do(changed, dry_run=False, updated=ROWS))


def setup(code: str):
    agency = Agency.objects.create(name=code, code=code, kind="pemkot", region="Bench")
    office = Office.objects.create(
        agency=agency, name="Pusat Pemerintahan", latitude=-6.12, longitude=106.15
    )
    user = User.objects.create(username=f"{code}-bkpsdm")
    RoleAssignment.objects.create(user=user, role=Role.BKPSDM, agency=agency)
    return agency, office, access_for(user)


def read_and_parse(data: bytes) -> None:
    table = reading.read_table(data, max_bytes=50 * 1024 * 1024, max_rows=ROWS)
    ctx = Context(map_columns(table), today=None, is_xlsx=True)
    parse_rows(table, ctx)


def plain_bulk_create(rows: list[dict], agency: Agency, office: Office) -> None:
    with transaction.atomic():
        units = _plain_units(rows, agency)
        users = User.objects.bulk_create(
            [User(username=r["NIP"], first_name=r["NAMA"], email=r["EMAIL"]) for r in rows]
        )
        Employee.objects.bulk_create(
            [_plain_employee(r, agency, office, units, u) for r, u in zip(rows, users, strict=True)]
        )


def _plain_units(rows: list[dict], agency: Agency) -> dict[str, Unit]:
    described = {r["KODE_UNIT"]: r for r in rows}
    units: dict[str, Unit] = {}
    for top in (True, False):  # OPDs, then their divisions
        level = [
            Unit(
                agency=agency,
                code=code,
                name=r["NAMA_UNIT"],
                kind=r["JENIS_UNIT"],
                parent=units.get(r["KODE_UNIT_INDUK"]),
            )
            for code, r in described.items()
            if bool(r["KODE_UNIT_INDUK"]) != top
        ]
        units.update({u.code: u for u in Unit.objects.bulk_create(level)})
    return units


def _plain_employee(r: dict, agency: Agency, office: Office, units: dict, user: User) -> Employee:
    nip = rules.parse_nip(r["NIP"])
    return Employee(
        agency=agency,
        user=user,
        nip=r["NIP"],
        sex=nip.sex,
        birth_date=nip.birth_date,
        name=r["NAMA"],
        asn_type=r["JENIS_ASN"],
        position=r["JABATAN"],
        grade=r["GOLONGAN"],
        job_class=r["KELAS_JABATAN"],
        unit=units[r["KODE_UNIT"]],
        office=office,
        home_latitude=r["LINTANG_RUMAH"],
        home_longitude=r["BUJUR_RUMAH"],
        phone=r["TELEPON"],
        email=r["EMAIL"],
        placed_on=r["TMT_JABATAN"],
    )
