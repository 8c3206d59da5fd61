"""Who may call each performance endpoint (see darirumah/core/tests/matrix.py).

The person acted on is the pegawai (Bidang Pelayanan, under Disdukcapil): the atasan is their
direct supervisor and the kepala OPD heads Disdukcapil, so both set targets and review; the
OPD admin, BKPSDM, pimpinan and the operator read; the health officer does not read
performance data. Each role's call starts from the same state: the callables reset it.
"""

from __future__ import annotations

import atexit
import contextlib
from datetime import UTC, date, datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from darirumah.core import calendar as calendar_service
from darirumah.core.tests.matrix import EVERYONE, Case
from darirumah.org.models import AgencyDay

P = "/api/v1"
DAY = date(2026, 8, 19)  # a Wednesday, a working day in the past
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
MANAGERS = frozenset({"atasan", "kepala_opd"})  # set the pegawai's targets, review the report
READERS = MANAGERS | {"pegawai", "admin_opd", "bkpsdm", "pimpinan", "operator"}
# The unit's list of missing reports: whoever oversees Bidang Pelayanan, and the atasan for
# their team in it.
UNIT_READERS = frozenset({"kepala_opd", "admin_opd", "bkpsdm", "pimpinan", "operator", "atasan"})
EMPLOYEES = EVERYONE - {"operator"}  # the operator has no employee record: no own report

# Files the walker makes the app store; removed when the test process ends.
_STORED: set[str] = set()


@atexit.register
def _remove_stored() -> None:
    for name in _STORED:
        with contextlib.suppress(Exception):  # best-effort cleanup of test files at exit
            default_storage.delete(name)


def _remember_stored() -> None:
    from darirumah.performance.models import ReportEvidence

    _STORED.update(ReportEvidence.objects.exclude(file="").values_list("file", flat=True))


def _today(cast) -> date:
    """Today in the agencies' zone, declared a working day (the walker runs on any day)."""
    for agency in (cast.agency, cast.other_agency):
        day = calendar_service.calendar_for(agency).today()
        AgencyDay.objects.get_or_create(
            agency=agency, date=day, defaults={"kind": "on", "name": "uji"}
        )
    return calendar_service.calendar_for(cast.agency).today()


def _target(cast):
    from darirumah.performance.models import Target

    return Target.objects.create(
        agency=cast.agency,
        employee=cast.pegawai,
        assigned_by=cast.atasan.user,
        period_start=date(2026, 8, 1),
        period_end=date(2026, 8, 31),
        indicator="Dokumen terverifikasi",
        quantity=Decimal(10),
        unit_of_measure="dokumen",
        quality_measure="Tanpa kesalahan",
        deadline=date(2026, 8, 31),
        weight=Decimal(1),
    )


def _report(cast, status: str = "draft", day: date = DAY):
    """The pegawai's report of the day with one activity, reset to `status`."""
    from darirumah.performance.models import DailyReport, ReportItem

    report, _ = DailyReport.objects.get_or_create(employee=cast.pegawai, date=day)
    sent = status != "draft"
    DailyReport.objects.filter(pk=report.pk).update(
        status=status,
        submitted_at=datetime(2026, 8, 19, 8, 0, tzinfo=UTC) if sent else None,
        reviewed_by=None,
        reviewed_at=None,
        review_comment="",
        late=False,
    )
    if not report.items.exists():
        ReportItem.objects.create(report=report, activity="Verifikasi berkas", minutes_spent=60)
    report.refresh_from_db()
    return report


def _evidence(cast, *, stored: bool):
    """A PDF on the pegawai's draft report; `stored` writes the file itself too."""
    from darirumah.performance.models import ReportEvidence

    report = _report(cast)
    evidence = ReportEvidence(
        item=report.items.first(), name="surat.pdf", kind="pdf", size=len(PDF)
    )
    if stored:
        evidence.file.save("matrix.pdf", ContentFile(PDF), save=False)
        _STORED.add(evidence.file.name)
    else:
        evidence.file.name = "performance/evidence/matrix-never-stored.pdf"
    evidence.save()
    return {"report_id": report.pk, "evidence_id": evidence.pk}


def _upload(cast, role):
    _remember_stored()  # what the previous role's call stored
    return {"file": SimpleUploadedFile("bukti.pdf", PDF, "application/pdf")}


def _item_path(cast):
    report = _report(cast)
    return {"report_id": report.pk, "item_id": report.items.first().pk}


TARGET_BODY = {
    "indicator": "Dokumen terverifikasi",
    "quantity": "10",
    "unit_of_measure": "dokumen",
    "quality_measure": "Tanpa kesalahan",
    "deadline": "2026-08-31",
    "weight": "5",
    "month": "2026-08",
}

API = {
    ("GET", f"{P}/targets"): Case(EVERYONE),
    ("POST", f"{P}/targets"): Case(
        MANAGERS, body=lambda c, role: {**TARGET_BODY, "employee": c.pegawai.pk}
    ),
    ("POST", f"{P}/targets/{{target_id}}/cancel"): Case(
        MANAGERS, path=lambda c: {"target_id": _target(c).pk}
    ),
    ("GET", f"{P}/daily-reports"): Case(EVERYONE),
    ("POST", f"{P}/daily-reports"): Case(
        EMPLOYEES,
        body=lambda c, role: {
            "date": _today(c).isoformat(),
            "items": [{"activity": f"Pekerjaan {role}", "minutes_spent": 120}],
        },
    ),
    ("GET", f"{P}/daily-reports/missing"): Case(
        UNIT_READERS, query=lambda c: {"unit": c.pelayanan.pk, "date": DAY.isoformat()}
    ),
    ("GET", f"{P}/daily-reports/{{report_id}}"): Case(
        READERS, path=lambda c: {"report_id": _report(c).pk}
    ),
    ("POST", f"{P}/daily-reports/{{report_id}}/submit"): Case(
        frozenset({"pegawai"}), path=lambda c: {"report_id": _report(c, day=_today(c)).pk}
    ),
    ("POST", f"{P}/daily-reports/{{report_id}}/review"): Case(
        MANAGERS,
        path=lambda c: {"report_id": _report(c, status="submitted").pk},
        body=lambda c, role: {"decision": "approve", "comment": f"oleh {role}"},
    ),
    ("POST", f"{P}/daily-reports/{{report_id}}/items/{{item_id}}/evidence"): Case(
        frozenset({"pegawai"}), path=_item_path, files=_upload
    ),
    ("GET", f"{P}/daily-reports/{{report_id}}/evidence/{{evidence_id}}"): Case(
        READERS, path=lambda c: _evidence(c, stored=True)
    ),
    ("DELETE", f"{P}/daily-reports/{{report_id}}/evidence/{{evidence_id}}"): Case(
        frozenset({"pegawai"}), path=lambda c: _evidence(c, stored=False)
    ),
}

# Pages (URL names): who opens each. The day's report and the own list are for anyone with an
# employee record; the review inbox and giving targets for those who review or set them.
PAGES = {
    "performance-my-report": Case(EMPLOYEES),
    "performance-my-reports": Case(EMPLOYEES),
    "performance-targets": Case(EVERYONE),
    "performance-target-new": Case(MANAGERS),
    "performance-target-cancel": Case(
        MANAGERS, path=lambda c: {"pk": _target(c).pk}, method="POST", ok=(302,)
    ),
    "performance-review": Case(MANAGERS),
    "performance-report-detail": Case(
        READERS, path=lambda c: {"pk": _report(c, status="submitted").pk}
    ),
    "performance-evidence": Case(READERS, path=lambda c: _evidence(c, stored=True)),
    "performance-missing": Case(
        UNIT_READERS, query=lambda c: {"unit": c.pelayanan.pk, "date": DAY.isoformat()}
    ),
}
