"""Factories and shared pieces of the performance tests: targets, reports, the clock, files."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from darirumah.core import calendar as calendar_module
from darirumah.performance.models import DailyReport, ReportItem, Target

DAY = date(2026, 8, 19)  # a Wednesday, a working day; deadline 16:00 WIB = 09:00 UTC
FRIDAY = date(2026, 8, 21)  # deadline 16:30 WIB
HOLIDAY = date(2026, 8, 17)  # Independence Day (a Monday)
SATURDAY = date(2026, 8, 22)
AUGUST = (date(2026, 8, 1), date(2026, 8, 31))

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


class Clock:
    """The server's clock, set by the test (UTC)."""

    def __init__(self, monkeypatch, *args):
        self.moment = datetime(*(args or (2026, 8, 19, 3, 0)), tzinfo=UTC)  # 10:00 WIB
        monkeypatch.setattr(calendar_module, "utcnow", lambda: self.moment)

    def set(self, *args):
        self.moment = datetime(*args, tzinfo=UTC)
        return self.moment


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    agency = factory.LazyAttribute(lambda o: o.employee.agency)
    employee = None
    assigned_by = None
    period_start = AUGUST[0]
    period_end = AUGUST[1]
    indicator = factory.Sequence(lambda n: f"Dokumen KTP-el terverifikasi {n}")
    quantity = Decimal("100")
    unit_of_measure = "dokumen"
    quality_measure = "Tanpa kesalahan data"
    deadline = AUGUST[1]
    weight = Decimal("20")


def make_report(employee, day=DAY, status=DailyReport.Status.DRAFT, items=1, **kw) -> DailyReport:
    """A report with `items` activities; a sent status gets its times filled in."""
    moment = datetime(day.year, day.month, day.day, 8, 0, tzinfo=UTC)
    if status != DailyReport.Status.DRAFT:
        kw.setdefault("submitted_at", moment)
    if status in DailyReport.REVIEWED:
        kw.setdefault("reviewed_at", moment)
    if status == DailyReport.Status.RETURNED:
        kw.setdefault("review_comment", "Lengkapi bukti")
    report = DailyReport.objects.create(employee=employee, date=day, status=status, **kw)
    for n in range(items):
        ReportItem.objects.create(
            report=report, activity=f"Verifikasi berkas {n + 1}", minutes_spent=60
        )
    return report


def image_bytes(fmt="JPEG", size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, fmt)
    return out.getvalue()


def upload(name: str, data: bytes, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type)
