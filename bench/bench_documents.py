"""Statement letters at scale (issue 7): a circular put in force over 300 employees, every
statement letter generated, signed by its employee through the API and verified through the
public verification endpoint.

Measured, in the same run:
- baseline: rendering the 300 letters to PDF in memory (ReportLab only: no number, no file, no
  register row) — the least generating them can cost;
- generating them as the activation's job does (numbers, PDFs, files, register rows, signers,
  the notice to each employee);
- signing all 300 through POST /api/v1/documents/{id}/sign, each employee with their own
  certificate (the first signature issues it from the agency's development CA);
- verifying all 300 signed files through POST /api/v1/documents/verify (pyHanko's validator and
  the register lookup).
Afterwards every letter must be signed and every verification "valid" and in the register.
"""

from __future__ import annotations

import os
import tempfile
import time
from datetime import timedelta

from django.test import Client, override_settings

from bench.measuring import counting

LETTERS = int(os.environ.get("BENCH_DOCUMENTS_LETTERS", "300"))
TITLE = f"Statement letters: a circular and {LETTERS} letters generated, signed and verified"
BASELINE = f"baseline: render {LETTERS} letters in memory (ReportLab only)"


def run(*, rounds: int) -> dict:
    media = tempfile.mkdtemp(prefix="bench-documents-media-", dir=os.environ.get("BENCH_TMP"))
    with override_settings(MEDIA_ROOT=media, HUEY_IMMEDIATE=True):
        return _run(rounds)


def _run(rounds: int) -> dict:
    from statistics import median

    results: dict[str, list[tuple[float, int]]] = {}
    checks = []
    for round_no in range(rounds):
        circular, employees = seed(round_no)
        for name, seconds, queries in one_round(circular, employees, checks):
            results.setdefault(name, []).append((seconds, queries))
    measurements = [
        {
            "name": name,
            "seconds": median(s for s, _ in values),
            "rows": LETTERS,
            "queries": values[-1][1],
        }
        for name, values in results.items()
    ]
    signed_ok = all(c["signed"] == LETTERS for c in checks)
    valid_ok = all(c["valid"] == LETTERS for c in checks)
    per_letter = {m["name"]: m["seconds"] / LETTERS * 1000 for m in measurements}
    return {
        "summary": __doc__.split("\n\n")[0].replace("\n", " "),
        "baseline": BASELINE,
        "measurements": measurements,
        "notes": [
            f"Median of {rounds} round(s), each on a new circular over {LETTERS} new employees.",
            "Per letter: "
            + "; ".join(f"{name.split(':')[0]}: {ms:.1f} ms" for name, ms in per_letter.items()),
            f"Every letter signed exactly once: {'yes' if signed_ok else 'NO'}; "
            f"every signed letter verified valid and found in the register: "
            f"{'yes' if valid_ok else 'NO'}.",
            "Keys are EC P-256 from the agency's development CA (not legally certified); an "
            "RFC 3161 timestamp server was not configured, so no network time is included.",
        ],
    }


def seed(round_no: int):
    from darirumah.core.calendar import calendar_for
    from darirumah.org.models import Agency, Employee, Unit, User
    from darirumah.policy.models import Circular, RuleSetVersion

    agency, _ = Agency.objects.get_or_create(
        code="bench-docs",
        defaults={
            "name": "Pemerintah Kota Bench",
            "kind": "pemkot",
            "region": "Kota Bench",
            "letterhead_title": "PEMERINTAH KOTA BENCH",
            "address": "Jl. Balai Kota No. 1",
        },
    )
    unit = Unit.objects.create(
        agency=agency, code=f"OPD{round_no}", name=f"Dinas Uji {round_no}", kind="dinas"
    )
    users = User.objects.bulk_create(User(username=f"bench-{round_no}-{i}") for i in range(LETTERS))
    employees = Employee.objects.bulk_create(
        Employee(
            agency=agency,
            user=user,
            nip=f"19800101200501{round_no:01d}{i:03d}"[:18].ljust(18, "0"),
            name=f"Pegawai Uji {round_no}-{i}",
            sex="L",
            birth_date="1980-01-01",
            asn_type="pns",
            position="Analis Kepegawaian",
            unit=unit,
        )
        for i, user in enumerate(users)
    )
    today = calendar_for(agency).today()
    circular = Circular.objects.create(
        agency=agency,
        number=f"800/{round_no + 1:03d}/SE/BENCH",
        title="Penyesuaian sistem kerja ASN",
        issuer_name="Wali Kota Bench",
        issuer_position="Wali Kota",
        starts_on=today + timedelta(days=1 + 30 * round_no),
        ends_on=today + timedelta(days=14 + 30 * round_no),
        status=Circular.Status.ACTIVE,
    )
    circular.units.set([unit])
    RuleSetVersion.objects.create(circular=circular, number=1, rules={})
    return circular, employees


def one_round(circular, employees, checks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from darirumah.documents.models import Document
    from darirumah.documents.render.letter import render_letter
    from darirumah.documents.selectors import sources
    from darirumah.documents.services.statements import statements_generate

    found = []
    numbers = [f"{i:03d}/SP-WFH/BENCH" for i in range(len(employees))]

    def baseline():
        employees_with_unit = list(
            type(employees[0])
            .objects.filter(pk__in=[e.pk for e in employees])
            .select_related("unit")
        )
        for letter in sources.statement_letters(circular, employees_with_unit, numbers):
            render_letter(letter)

    found.append(_timed(BASELINE, baseline))
    found.append(
        _timed(
            f"generate {LETTERS} letters (statements_generate)",
            lambda: statements_generate(circular=circular),
        )
    )
    letters = {
        d.employee_id: d.pk for d in Document.objects.filter(circular=circular, kind="statement")
    }
    clients = []
    for employee in employees:
        client = Client()
        client.force_login(employee.user)
        clients.append((client, letters[employee.pk]))

    def sign_all():
        for client, pk in clients:
            response = client.post(
                f"/api/v1/documents/{pk}/sign", {}, content_type="application/json"
            )
            assert response.status_code == 200, response.content[:300]

    found.append(_timed(f"sign {LETTERS} letters through the API", sign_all))
    files = []
    for document in Document.objects.filter(circular=circular, kind="statement"):
        with document.file.open("rb") as handle:
            files.append(handle.read())
    anonymous = Client()
    verdicts = []

    def verify_all():
        for data in files:
            response = anonymous.post(
                "/api/v1/documents/verify",
                {"file": SimpleUploadedFile("sp.pdf", data, "application/pdf")},
            )
            body = response.json()
            verdicts.append(body["verdict"] == "valid" and body["in_register"])

    found.append(_timed(f"verify {LETTERS} signed letters through the API", verify_all))
    checks.append(
        {
            "signed": Document.objects.filter(circular=circular, status="signed").count(),
            "valid": sum(verdicts),
        }
    )
    return found


def _timed(name, action):
    with counting() as box:
        began = time.perf_counter()
        action()
        took = time.perf_counter() - began
    return name, took, box[0]
