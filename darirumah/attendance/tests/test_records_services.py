"""Manual entry, the end-of-day absence job and the excuse (services/records.py)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from darirumah.attendance.models import Attendance
from darirumah.attendance.services.records import (
    attendance_excuse,
    attendance_manual_enter,
    attendance_mark_absent,
)
from darirumah.core.calendar import calendar_for
from darirumah.core.errors import Conflict, DomainError, NotAllowed
from darirumah.org.access import access_for
from darirumah.org.models import Employee
from darirumah.org.tests.factories import EmployeeFactory
from darirumah.roster.models import RosterEntry

DAY = date(2026, 8, 18)  # Tuesday
HOLIDAY = date(2026, 8, 17)  # Independence Day
SATURDAY = date(2026, 8, 22)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\n" + b"0" * 64


def self_checkin(employee, day=DAY, hh=0, mm=12):
    """An own check-in at 07:12 WIB (00:12 UTC)."""
    return Attendance.objects.create(
        employee=employee,
        date=day,
        status="present",
        source="self",
        check_in_at=datetime(day.year, day.month, day.day, hh, mm, tzinfo=UTC),
    )


def enter(cast, who, rows, day=DAY, unit=None):
    return attendance_manual_enter(
        access=access_for(who.user if hasattr(who, "user") else who),
        unit=unit or cast.pelayanan,
        day=day,
        rows=rows,
    )


# --- manual entry ---------------------------------------------------------------------------


def test_admin_enters_the_paper_list_audited(cast):
    result = enter(
        cast,
        cast.admin_opd,
        [
            {"employee": cast.pegawai.pk, "status": "late", "reason": "", "minutes_late": 12},
            {"employee": cast.atasan.pk, "status": "absent", "reason": "sakit"},
        ],
    )
    assert (result.created, result.updated, result.skipped) == (2, 0, [])
    late = Attendance.objects.get(employee=cast.pegawai, date=DAY)
    assert (late.status, late.source, late.minutes_late) == ("late", "manual", 12)
    assert late.recorded_by == cast.admin_opd.user
    assert late.history.get().history_user == cast.admin_opd.user


def test_all_or_nothing_names_every_bad_row(cast):
    outside = cast.peer  # Secretariat, not in Bidang Pelayanan
    rows = [
        {"employee": cast.pegawai.pk, "status": "present"},
        {"employee": cast.atasan.pk, "status": "excused", "reason": ""},
        {"employee": outside.pk, "status": "present"},
        {"employee": 999_999, "status": "present"},
        {"employee": cast.pegawai.pk, "status": "present"},
        {"employee": cast.kepala.pk, "status": "asleep"},
    ]
    with pytest.raises(DomainError) as caught:
        enter(cast, cast.kepala, rows, unit=cast.disdukcapil)
    fields = caught.value.fields
    assert set(fields) == {"rows.1", "rows.2", "rows.3", "rows.4", "rows.5"}
    assert "Atasan Pelayanan" in fields["rows.1"][0] and "reason" in fields["rows.1"][0]
    assert "not in the unit" in fields["rows.2"][0]
    assert "unknown person" in fields["rows.3"][0]
    assert "twice" in fields["rows.4"][0]
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("day", [HOLIDAY, SATURDAY])
def test_a_non_working_day_is_refused(cast, day):
    with pytest.raises(DomainError, match="not a working day"):
        enter(cast, cast.admin_opd, [{"employee": cast.pegawai.pk, "status": "present"}], day=day)


def test_a_future_day_is_refused(cast):
    calendar = calendar_for(cast.agency)
    future = calendar.add_working_days(calendar.today(), 2)
    with pytest.raises(DomainError) as caught:
        enter(cast, cast.admin_opd, [{"employee": cast.pegawai.pk, "status": "present"}], future)
    assert caught.value.code == "future_day"


def test_own_checkin_is_never_overwritten_but_reported(cast):
    own = self_checkin(cast.pegawai)
    result = enter(
        cast,
        cast.admin_opd,
        [
            {"employee": cast.pegawai.pk, "status": "absent", "reason": "tidak ada"},
            {"employee": cast.atasan.pk, "status": "present"},
        ],
    )
    assert result.created == 1
    assert result.skipped == [
        {
            "employee": cast.pegawai.pk,
            "message": "Pegawai Pelayanan checked in themself at 07:12; left as it is.",
        }
    ]
    own.refresh_from_db()
    assert (own.status, own.source, own.history.count()) == ("present", "self", 1)


def test_correcting_a_manual_row_keeps_the_old_value_in_history(cast):
    enter(cast, cast.admin_opd, [{"employee": cast.pegawai.pk, "status": "absent", "reason": "?"}])
    result = enter(
        cast, cast.kepala, [{"employee": cast.pegawai.pk, "status": "late", "minutes_late": 40}]
    )
    assert (result.created, result.updated) == (0, 1)
    record = Attendance.objects.get(employee=cast.pegawai, date=DAY)
    assert (record.status, record.minutes_late, record.recorded_by) == (
        "late",
        40,
        cast.kepala.user,
    )
    old, new = record.history.order_by("history_date")
    assert (old.status, old.history_user) == ("absent", cast.admin_opd.user)
    assert (new.status, new.history_user) == ("late", cast.kepala.user)
    again = enter(
        cast, cast.kepala, [{"employee": cast.pegawai.pk, "status": "late", "minutes_late": 40}]
    )
    assert again.unchanged == 1 and record.history.count() == 2


def test_a_system_absence_may_be_corrected(cast):
    attendance_mark_absent(agency=cast.agency, day=DAY)
    result = enter(cast, cast.admin_opd, [{"employee": cast.pegawai.pk, "status": "present"}])
    assert result.updated == 1
    record = Attendance.objects.get(employee=cast.pegawai, date=DAY)
    assert (record.status, record.source) == ("present", "manual")


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin_opd", True),
        ("kepala", True),
        ("bkpsdm", True),
        ("operator", True),
        ("atasan", False),  # supervises the pegawai, but does not arrange the unit
        ("pegawai", False),
        ("pimpinan", False),
        ("kesehatan", False),
        ("peer", False),
    ],
)
def test_who_may_enter_for_the_unit(cast, role, allowed):
    who = getattr(cast, role)
    rows = [{"employee": cast.pegawai.pk, "status": "present"}]
    if allowed:
        assert enter(cast, who, rows).created == 1
    else:
        with pytest.raises(NotAllowed):
            enter(cast, who, rows)


def test_an_admin_of_another_unit_may_not_enter(cast):
    from darirumah.org.models import Role, RoleAssignment

    setda_admin = EmployeeFactory(unit=cast.setda)
    RoleAssignment.objects.create(
        user=setda_admin.user, role=Role.ADMIN_OPD, agency=cast.agency, unit=cast.setda
    )
    with pytest.raises(NotAllowed):
        enter(cast, setda_admin, [{"employee": cast.pegawai.pk, "status": "present"}])


# --- the end-of-day absence job -------------------------------------------------------------


def test_absence_job_excused_by_roster_else_absent_and_idempotent(cast):
    self_checkin(cast.pegawai)
    RosterEntry.objects.create(employee=cast.atasan, date=DAY, mode="LEAVE", source="manual")
    RosterEntry.objects.create(employee=cast.peer, date=DAY, mode="DUTY", source="manual")
    # A draft plan's WFH does not excuse anybody; a published WFO is recorded as expected.
    RosterEntry.objects.create(employee=cast.kepala, date=DAY, mode="WFH", source="solver")
    RosterEntry.objects.create(
        employee=cast.admin_opd, date=DAY, mode="WFO", source="solver", published=True
    )
    gone = EmployeeFactory(unit=cast.setda, is_active=False)
    active = Employee.objects.filter(agency=cast.agency, is_active=True).count()

    counts = attendance_mark_absent(agency=cast.agency, day=DAY)

    assert counts == {"absent": active - 3, "excused": 2, "already": 1}
    atasan = Attendance.objects.get(employee=cast.atasan, date=DAY)
    assert (atasan.status, atasan.reason, atasan.source) == ("excused", "LEAVE", "system")
    assert Attendance.objects.get(employee=cast.peer, date=DAY).status == "excused"
    kepala = Attendance.objects.get(employee=cast.kepala, date=DAY)
    assert (kepala.status, kepala.expected_mode) == ("absent", "")
    assert Attendance.objects.get(employee=cast.admin_opd, date=DAY).expected_mode == "WFO"
    assert Attendance.objects.get(employee=cast.pegawai, date=DAY).source == "self"
    assert not Attendance.objects.filter(employee=gone).exists()
    assert not Attendance.objects.filter(employee__agency=cast.other_agency).exists()
    assert Attendance.history.filter(date=DAY, source="system").count() == active - 1

    before = list(Attendance.objects.order_by("pk").values())
    again = attendance_mark_absent(agency=cast.agency, day=DAY)
    assert again == {"absent": 0, "excused": 0, "already": active}
    assert list(Attendance.objects.order_by("pk").values()) == before


def test_absence_job_skips_a_holiday(cast):
    with pytest.raises(DomainError, match="not a working day"):
        attendance_mark_absent(agency=cast.agency, day=HOLIDAY)
    assert not Attendance.objects.exists()


def test_absence_job_uses_one_query_per_table(cast, django_assert_max_num_queries):
    for _ in range(30):
        EmployeeFactory(unit=cast.pelayanan)
    with django_assert_max_num_queries(12):
        counts = attendance_mark_absent(agency=cast.agency, day=DAY)
    assert counts["absent"] >= 30


# --- the excuse -----------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def absent(cast):
    attendance_mark_absent(agency=cast.agency, day=DAY)
    return Attendance.objects.get(employee=cast.pegawai, date=DAY)


def test_excuse_with_evidence_is_audited(cast, media):
    record = absent(cast)
    letter = SimpleUploadedFile("surat.txt", PDF, content_type="text/plain")  # name is ignored
    done = attendance_excuse(
        access=access_for(cast.admin_opd.user),
        record=record,
        reason="surat dokter",
        evidence=letter,
    )
    assert (done.status, done.reason) == ("excused", "surat dokter")
    assert done.evidence.name.endswith(".pdf")
    latest = done.history.order_by("-history_date").first()
    assert (latest.status, latest.history_user) == ("excused", cast.admin_opd.user)
    assert done.history.order_by("history_date").first().status == "absent"


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"MZ\x90\x00 not a picture", "foto.png"), (b"GIF89a" + b"0" * 20, "foto.gif")],
)
def test_excuse_judges_the_file_by_content(cast, media, content, name):
    record = absent(cast)
    with pytest.raises(DomainError) as caught:
        attendance_excuse(
            access=access_for(cast.admin_opd.user),
            record=record,
            reason="surat",
            evidence=SimpleUploadedFile(name, content, content_type="image/png"),
        )
    assert "evidence" in caught.value.fields
    record.refresh_from_db()
    assert record.status == "absent"


def test_excuse_refuses_a_file_too_large(cast, media):
    record = absent(cast)
    big = SimpleUploadedFile("besar.png", PNG + b"0" * (5 * 1024 * 1024))
    with pytest.raises(DomainError, match="larger than 5 MB"):
        attendance_excuse(
            access=access_for(cast.admin_opd.user), record=record, reason="x", evidence=big
        )


def test_excuse_needs_a_reason_and_an_absence(cast, media):
    record = absent(cast)
    access = access_for(cast.admin_opd.user)
    with pytest.raises(DomainError):
        attendance_excuse(access=access, record=record, reason="  ")
    present = self_checkin(cast.atasan, day=date(2026, 8, 19))
    with pytest.raises(Conflict):
        attendance_excuse(access=access, record=present, reason="x")


def test_excuse_refused_to_a_supervisor(cast, media):
    with pytest.raises(NotAllowed):
        attendance_excuse(access=access_for(cast.atasan.user), record=absent(cast), reason="x")


def test_excuse_lists_the_day_of_a_later_absence(cast, media):
    """The excuse works on any past working day's absence, not only today's."""
    calendar = calendar_for(cast.agency)
    day = calendar.previous_working_day(calendar.today() + timedelta(days=1))
    attendance_mark_absent(agency=cast.agency, day=day)
    record = Attendance.objects.get(employee=cast.pegawai, date=day)
    done = attendance_excuse(access=access_for(cast.bkpsdm.user), record=record, reason="dinas")
    assert done.status == "excused"
