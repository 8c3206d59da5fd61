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


# --- discipline ---


def absent_on(employee, *days, status="absent"):
    """Attendance records of the days (unexcused absence by default), in one insert."""
    from darirumah.attendance.models import Attendance

    return Attendance.objects.bulk_create(
        [Attendance(employee=employee, date=day, status=status, source="system") for day in days]
    )


def working_days(start: date, n: int) -> list[date]:
    """The first n working days from `start` in the default agency calendar (WIB, national
    holidays and joint leave)."""
    calendar = calendar_module.AgencyCalendar()
    found, day = [], start
    while len(found) < n:
        if calendar.is_working_day(day):
            found.append(day)
        day = date.fromordinal(day.toordinal() + 1)
    return found


def make_case(employee, **kw):
    """A recommendation about the employee (the scan's 4–6 days band by default)."""
    from darirumah.performance.models import DisciplineCase

    defaults = {
        "agency": employee.agency,
        "supervisor": employee.supervisor,
        "source": DisciplineCase.Source.ABSENCE_YEAR,
        "trigger": f"absence_year:2026:{kw.pop('band', 4)}",
        "recommended_level": "ringan",
        "recommended_sanction": "written_warning",
        "evidence": {"kind": "absence_year", "days": 4, "year": 2026, "dates": []},
        "summary": "4 days of unexcused absence in 2026",
        "decide_by": date(2026, 9, 2),
    }
    defaults.update(kw)
    return DisciplineCase.objects.create(employee=employee, **defaults)


def evaluated_month(employee, month: date, achievement):
    """An evaluated month with the given target achievement (%; None: nothing to measure)."""
    from darirumah.performance.models import Evaluation

    return Evaluation.objects.create(
        agency=employee.agency,
        employee=employee,
        unit=employee.unit,
        period=month,
        working_days=20,
        target_achievement=None if achievement is None else Decimal(str(achievement)),
        score=Decimal(60),
        rating="butuh_perbaikan",
        final_rating="butuh_perbaikan",
        computed_at=datetime(month.year, month.month, 28, 9, 0, tzinfo=UTC),
    )


# --- evaluation ---


def evaluation_for(employee, period=date(2026, 8, 1), rating="baik", **kw):
    """A computed evaluation of the person's month (the numbers are placeholders)."""
    from darirumah.performance.models import Evaluation

    values = {
        "agency": employee.agency,
        "unit": employee.unit,
        "working_days": 20,
        "score": Decimal("80.00"),
        "rating": rating,
        "final_rating": rating,
        "computed_at": datetime(period.year, period.month, 28, 10, 0, tzinfo=UTC),
        "figures": {},
    }
    values.update(kw)
    return Evaluation.objects.create(employee=employee, period=period, **values)


def mark_attendance(employee, days, status):
    """Attendance records of the days with one status."""
    from darirumah.attendance.models import Attendance

    Attendance.objects.bulk_create(
        Attendance(employee=employee, date=d, status=status, source="manual") for d in days
    )


def mark_roster(employee, days, mode, published=True):
    from darirumah.roster.models import RosterEntry

    RosterEntry.objects.bulk_create(
        RosterEntry(employee=employee, date=d, mode=mode, source="manual", published=published)
        for d in days
    )


def mark_vicon(employee, lines):
    """Video-call roll lines {day: status} of the person's unit (one call a day)."""
    from darirumah.attendance.models import ViconRoll, ViconSession

    for day, status in lines.items():
        session, _ = ViconSession.objects.get_or_create(
            unit=employee.unit,
            date=day,
            defaults={
                "starts_at": datetime(day.year, day.month, day.day, 7, 0, tzinfo=UTC),
                "link": "https://meet.example.org/uji",
            },
        )
        ViconRoll.objects.create(
            session=session,
            employee=employee,
            status=status,
            marked_at=datetime(day.year, day.month, day.day, 8, 0, tzinfo=UTC),
        )


# --- pages ---


def evidence_row(item, name="bukti.jpg", kind="photo"):
    """A file of evidence as a row only (the file is never stored): for lists and counts."""
    from darirumah.performance.models import ReportEvidence

    evidence = ReportEvidence(item=item, name=name, kind=kind, size=1234)
    evidence.file.name = f"performance/evidence/never-stored-{item.pk}-{name}"
    evidence.save()
    return evidence


# --- tpp ---

import itertools  # noqa: E402

TPP_BASES = {9: Decimal("5000000"), 7: Decimal("4000000")}  # a test Perkada's table (rupiah)


def set_tpp_rules(agency, **tpp):
    """Save the agency's performance rules with the given TPP settings (the rest defaults)."""
    from darirumah.performance import config
    from darirumah.performance.models import PerformanceRuleSet

    tpp.setdefault("base_by_job_class", {str(k): str(v) for k, v in TPP_BASES.items()})
    rules = config.dump(config.parse({"tpp": tpp}))
    PerformanceRuleSet.objects.update_or_create(agency=agency, defaults={"rules": rules})


def make_attendance(
    employee, day, status="present", *, minutes_late=0, check_in=None, check_out=None, source="self"
):
    """An attendance record; check_in/check_out are aware datetimes (or None)."""
    from darirumah.attendance.models import Attendance

    return Attendance.objects.create(
        employee=employee,
        date=day,
        status=status,
        source=source,
        minutes_late=minutes_late,
        check_in_at=check_in,
        check_out_at=check_out,
    )


def make_roster(employee, day, mode, *, published=True):
    from darirumah.roster.models import RosterEntry

    return RosterEntry.objects.create(
        employee=employee, date=day, mode=mode, source="manual", published=published
    )


def make_evaluation(employee, period, score, rating="baik"):
    from darirumah.performance.models import Evaluation

    return Evaluation.objects.create(
        agency=employee.agency,
        employee=employee,
        unit=employee.unit,
        period=period,
        working_days=19,
        score=Decimal(score),
        rating=rating,
        final_rating=rating,
        computed_at=datetime(period.year, period.month, 28, 9, 0, tzinfo=UTC),
    )


_CASE_NUMBERS = itertools.count(1)


def make_sanction(employee, sanction, start, months=0, status="accepted"):
    """A decided (or other status) discipline case cutting the allowance from `start`."""
    from darirumah.performance.models import DisciplineCase

    decided = status in DisciplineCase.DECIDED
    return DisciplineCase.objects.create(
        agency=employee.agency,
        employee=employee,
        source="absence_year",
        trigger=f"absence_year:test:{next(_CASE_NUMBERS)}",
        recommended_level="sedang",
        recommended_sanction=sanction,
        summary="Tidak masuk kerja 11 hari",
        status=status,
        decide_by=start,
        level="sedang" if decided else "",
        sanction=sanction if decided else "",
        sanction_start=start,
        sanction_months=months,
        decision_reason="Terbukti" if status != "recommended" else "",
        decided_at=datetime(2026, 1, 5, 3, 0, tzinfo=UTC) if status != "recommended" else None,
    )


def working_days_of(agency, first):
    """The agency's working days of the month starting at `first`."""
    from darirumah.performance import rules

    start, end = rules.month_bounds(first.year, first.month)
    return calendar_module.calendar_for(agency).working_days(start, end)


def fill_month(employees, days, status="present"):
    """Everyone checked in on time every given day (one bulk insert)."""
    from darirumah.attendance.models import Attendance

    Attendance.objects.bulk_create(
        Attendance(
            employee=e,
            date=d,
            status=status,
            source="self",
            check_in_at=datetime(d.year, d.month, d.day, 0, 25, tzinfo=UTC),  # 07:25 WIB
        )
        for e in employees
        for d in days
    )


def tpp_staff(unit, n, job_class=9, **kw):
    """`n` employees of the unit with a job class."""
    from darirumah.org.tests.factories import EmployeeFactory

    return [EmployeeFactory(unit=unit, job_class=job_class, **kw) for _ in range(n)]
