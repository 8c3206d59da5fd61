"""The calendar service: the clock in the agency's zone, working days, holidays, joint leave.

Holiday facts are checked against the `holidays` package (Indonesia, language "id"), which is the
source the service reads: 2026 Idul Fitri falls on Saturday 21 and Sunday 22 March with national
joint leave (cuti bersama) on Friday 20, Monday 23 and Tuesday 24 March, next to Nyepi on Thursday
19 March (joint leave Wednesday 18 March); 17 August is Independence Day.
"""

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from darirumah.core import calendar as calendar_module
from darirumah.core.calendar import AgencyCalendar, calendar_for, utcnow
from darirumah.core.rules import PERPRES_21_2023, PERPRES_21_2023_RAMADAN, WorkHours
from darirumah.org.models import AgencyDay
from darirumah.org.tests.factories import AgencyFactory

WIB = AgencyCalendar(zone="WIB")
WITA = AgencyCalendar(zone="WITA")
WIT = AgencyCalendar(zone="WIT")
NO_JOINT_LEAVE = AgencyCalendar(observe_joint_leave=False)

D = date.fromisoformat


def dates(*isos: str) -> list[date]:
    return [D(s) for s in isos]


# --- the clock -------------------------------------------------------------------------------


def test_utcnow_is_aware_utc_and_current():
    now = utcnow()
    assert now.utcoffset() == timedelta(0)
    assert abs(now - datetime.now(UTC)) < timedelta(seconds=5)


# 2026-03-02 16:30 UTC: still Monday evening in Jakarta, already Tuesday in Makassar and Jayapura.
MIDNIGHT_CASES = [
    ("WIB", datetime(2026, 3, 2, 23, 30), D("2026-03-02")),
    ("WITA", datetime(2026, 3, 3, 0, 30), D("2026-03-03")),
    ("WIT", datetime(2026, 3, 3, 1, 30), D("2026-03-03")),
]


@pytest.mark.parametrize(("zone", "wall_clock", "local_day"), MIDNIGHT_CASES)
def test_now_and_today_across_midnight_utc(zone, wall_clock, local_day):
    cal = AgencyCalendar(zone=zone)
    at = datetime(2026, 3, 2, 16, 30, tzinfo=UTC)
    local = cal.now(at)
    assert local.replace(tzinfo=None) == wall_clock
    assert local == at  # the same instant, shown in the agency's zone
    assert cal.today(at) == local_day


@pytest.mark.parametrize(("zone", "wall_clock", "local_day"), MIDNIGHT_CASES)
def test_today_without_argument_reads_the_one_clock(monkeypatch, zone, wall_clock, local_day):
    monkeypatch.setattr(calendar_module, "utcnow", lambda: datetime(2026, 3, 2, 16, 30, tzinfo=UTC))
    cal = AgencyCalendar(zone=zone)
    assert cal.today() == local_day
    assert cal.now().replace(tzinfo=None) == wall_clock


@pytest.mark.parametrize(
    ("zone", "utc_hour", "local_day"),
    [
        # 16:59:59 UTC is 23:59:59 WIB; 17:00 UTC is the next day in WIB.
        ("WIB", (16, 59, 59), D("2026-08-16")),
        ("WIB", (17, 0, 0), D("2026-08-17")),
        ("WITA", (15, 59, 59), D("2026-08-16")),
        ("WITA", (16, 0, 0), D("2026-08-17")),
        ("WIT", (14, 59, 59), D("2026-08-16")),
        ("WIT", (15, 0, 0), D("2026-08-17")),
    ],
)
def test_the_local_day_changes_at_local_midnight(zone, utc_hour, local_day):
    at = datetime(2026, 8, 16, *utc_hour, tzinfo=UTC)
    assert AgencyCalendar(zone=zone).today(at) == local_day


def test_now_accepts_an_aware_datetime_in_any_zone():
    at = datetime(2026, 3, 3, 7, 30, tzinfo=timezone(timedelta(hours=9)))  # 07:30 WIT
    assert WIB.now(at).replace(tzinfo=None) == datetime(2026, 3, 3, 5, 30)
    assert WITA.now(at).replace(tzinfo=None) == datetime(2026, 3, 3, 6, 30)


@pytest.mark.parametrize("cal", [WIB, WITA, WIT], ids=["WIB", "WITA", "WIT"])
@pytest.mark.parametrize("method", ["now", "today"])
def test_naive_datetimes_are_rejected(cal, method):
    with pytest.raises(ValueError, match="naive"):
        getattr(cal, method)(datetime(2026, 3, 2, 7, 30))


@pytest.mark.parametrize(
    ("zone", "iana", "utc"),
    [
        ("WIB", "Asia/Jakarta", datetime(2026, 3, 3, 0, 30, tzinfo=UTC)),
        ("WITA", "Asia/Makassar", datetime(2026, 3, 2, 23, 30, tzinfo=UTC)),
        ("WIT", "Asia/Jayapura", datetime(2026, 3, 2, 22, 30, tzinfo=UTC)),
    ],
)
def test_local_builds_an_aware_0730_in_the_agency_zone(zone, iana, utc):
    cal = AgencyCalendar(zone=zone)
    start = cal.local(D("2026-03-03"), time(7, 30))
    assert start.tzinfo is not None
    assert start.tzinfo == ZoneInfo(iana)
    assert (start.hour, start.minute) == (7, 30)
    assert start == utc
    assert cal.today(start) == D("2026-03-03")


def test_0730_is_a_different_instant_in_each_zone():
    day = D("2026-03-03")
    instants = {cal.local(day, time(7, 30)) for cal in (WIB, WITA, WIT)}
    assert len(instants) == 3
    assert WIB.local(day, time(7, 30)) - WIT.local(day, time(7, 30)) == timedelta(hours=2)


def test_unknown_zone_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="WIB, WITA, WIT"):
        AgencyCalendar(zone="UTC").today(datetime(2026, 1, 1, tzinfo=UTC))


def test_default_calendar_is_wib_perpres_with_joint_leave():
    cal = AgencyCalendar()
    assert cal.zone == "WIB"
    assert cal.hours is PERPRES_21_2023
    assert cal.observe_joint_leave is True


# --- which days are worked -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "with_joint_leave", "without_joint_leave"),
    [
        ("2026-03-16", None, None),  # Monday
        ("2026-03-17", None, None),
        ("2026-03-18", "Cuti Bersama Hari Suci Nyepi", None),
        ("2026-03-19", "Hari Suci Nyepi", "Hari Suci Nyepi"),
        ("2026-03-20", "Cuti Bersama Hari Raya Idul Fitri", None),
        ("2026-03-21", "Hari Raya Idul Fitri", "Hari Raya Idul Fitri"),  # Saturday
        ("2026-03-22", "Idul Fitri", "Idul Fitri"),  # Sunday, second day
        ("2026-03-23", "Cuti Bersama Hari Raya Idul Fitri", None),
        ("2026-03-24", "Cuti Bersama Hari Raya Idul Fitri", None),
        ("2026-03-25", None, None),
        ("2026-03-28", "Sabtu", "Sabtu"),
        ("2026-03-29", "Minggu", "Minggu"),
        ("2026-08-17", "Kemerdekaan", "Kemerdekaan"),  # Monday
        ("2026-08-18", None, None),
        ("2026-12-24", "Cuti Bersama Hari Raya Natal", None),
        ("2026-12-25", "Hari Raya Natal", "Hari Raya Natal"),
        ("2026-12-31", None, None),  # Thursday, a working day
        ("2027-01-01", "Tahun Baru Masehi", "Tahun Baru Masehi"),
    ],
)
def test_day_off_reasons_around_national_holidays(day, with_joint_leave, without_joint_leave):
    for cal, expected in ((WIB, with_joint_leave), (NO_JOINT_LEAVE, without_joint_leave)):
        reason = cal.day_off_reason(D(day))
        if expected is None:
            assert reason is None, (cal.observe_joint_leave, reason)
            assert cal.is_working_day(D(day))
        else:
            assert reason is not None and expected in reason, (cal.observe_joint_leave, reason)
            assert not cal.is_working_day(D(day))


@pytest.mark.parametrize("cal", [WIB, WITA, WIT], ids=["WIB", "WITA", "WIT"])
def test_national_holidays_apply_in_every_zone(cal):
    assert not cal.is_working_day(D("2026-08-17"))
    assert not cal.is_working_day(D("2026-03-20"))
    assert cal.is_working_day(D("2026-03-25"))


@pytest.mark.parametrize(
    ("observe", "expected"),
    [
        (True, dates("2026-03-16", "2026-03-17", "2026-03-25", "2026-03-26", "2026-03-27")),
        (
            False,
            dates(
                "2026-03-16",
                "2026-03-17",
                "2026-03-18",
                "2026-03-20",
                "2026-03-23",
                "2026-03-24",
                "2026-03-25",
                "2026-03-26",
                "2026-03-27",
            ),
        ),
    ],
    ids=["observes-joint-leave", "ignores-joint-leave"],
)
def test_idul_fitri_2026_fortnight(observe, expected):
    cal = AgencyCalendar(observe_joint_leave=observe)
    start, end = D("2026-03-16"), D("2026-03-29")
    assert cal.working_days(start, end) == expected
    assert cal.count_working_days(start, end) == len(expected)


def test_agency_day_off_on_a_weekday():
    cal = AgencyCalendar(days_off={D("2026-03-25"): "HUT Kota Uji"})
    assert cal.day_off_reason(D("2026-03-25")) == "HUT Kota Uji"
    assert cal.next_working_day(D("2026-03-17")) == D("2026-03-26")


def test_agency_day_off_names_the_agency_reason_over_the_national_one():
    cal = AgencyCalendar(days_off={D("2026-08-17"): "Upacara HUT RI"})
    assert cal.day_off_reason(D("2026-08-17")) == "Upacara HUT RI"


@pytest.mark.parametrize(
    ("day", "observe"),
    [
        ("2026-03-23", True),  # national joint leave declared a working day
        ("2026-08-17", True),  # a national holiday declared a working day
        ("2026-03-28", True),  # a Saturday declared a working day
        ("2026-03-29", False),  # a Sunday
    ],
)
def test_declared_working_days_override_holidays_and_weekends(day, observe):
    cal = AgencyCalendar(observe_joint_leave=observe, days_on=frozenset({D(day)}))
    assert cal.day_off_reason(D(day)) is None
    assert cal.is_working_day(D(day))


def test_declared_working_day_wins_over_an_agency_day_off():
    cal = AgencyCalendar(days_off={D("2026-03-25"): "HUT"}, days_on=frozenset({D("2026-03-25")}))
    assert cal.is_working_day(D("2026-03-25"))


def test_declared_working_saturday_counts_in_ranges_and_steps():
    cal = AgencyCalendar(days_on=frozenset({D("2026-03-28")}))
    assert cal.next_working_day(D("2026-03-27")) == D("2026-03-28")
    assert cal.previous_working_day(D("2026-03-30")) == D("2026-03-28")
    assert D("2026-03-28") in cal.working_days(D("2026-03-23"), D("2026-03-29"))


# --- work hours ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "hours"),
    [
        ("2026-03-02", (time(7, 30), time(16, 0))),  # Monday
        ("2026-03-03", (time(7, 30), time(16, 0))),
        ("2026-03-04", (time(7, 30), time(16, 0))),
        ("2026-03-05", (time(7, 30), time(16, 0))),  # Thursday
        ("2026-03-06", (time(7, 30), time(16, 30))),  # Friday ends 16:30
        ("2026-03-07", None),  # Saturday
        ("2026-03-08", None),  # Sunday
        ("2026-08-17", None),  # Independence Day
        ("2026-03-20", None),  # joint leave
    ],
)
def test_work_hours_per_day(day, hours):
    assert WIB.work_hours(D(day)) == hours


def test_work_hours_follow_the_rule_set():
    ramadan = AgencyCalendar(hours=PERPRES_21_2023_RAMADAN)
    assert ramadan.work_hours(D("2026-03-02")) == (time(8, 0), time(15, 0))
    assert ramadan.work_hours(D("2026-03-06")) == (time(8, 0), time(15, 30))


def test_joint_leave_worked_when_not_observed_has_normal_hours():
    assert NO_JOINT_LEAVE.work_hours(D("2026-03-20")) == (time(7, 30), time(16, 30))  # Friday
    assert NO_JOINT_LEAVE.work_hours(D("2026-03-23")) == (time(7, 30), time(16, 0))  # Monday


def test_a_declared_working_saturday_uses_fridays_hours():
    cal = AgencyCalendar(days_on=frozenset({D("2026-03-28")}))
    assert cal.work_hours(D("2026-03-28")) == (time(7, 30), time(16, 30))


def test_a_local_work_day_start_is_0730_in_the_agency_zone():
    for cal, utc_hour in ((WIB, 0), (WITA, 23), (WIT, 22)):
        day = D("2026-08-18")
        start, end = cal.work_hours(day)
        begins = cal.local(day, start)
        assert begins.astimezone(UTC).hour == utc_hour
        assert cal.local(day, end) - begins == timedelta(hours=8, minutes=30)


# A four-day rule set (Monday–Thursday) an agency could pick for compressed hours.
FOUR_DAY = WorkHours(
    citation="Perkada uji",
    start={d: time(7, 0) for d in range(4)},
    end={0: time(17, 0), 1: time(17, 0), 2: time(17, 0), 3: time(16, 30)},
    weekly_hours=37.5,
    late_after=time(7, 0, 59),
)


def test_a_custom_rule_set_names_the_weekday_it_does_not_work():
    cal = AgencyCalendar(hours=FOUR_DAY)
    assert cal.day_off_reason(D("2026-03-06")) == "Jumat"  # Friday is not "Minggu"
    assert cal.day_off_reason(D("2026-03-07")) == "Sabtu"
    assert cal.next_working_day(D("2026-03-05")) == D("2026-03-09")


def test_a_declared_working_day_in_a_custom_rule_set_has_hours():
    cal = AgencyCalendar(hours=FOUR_DAY, days_on=frozenset({D("2026-03-06")}))
    assert cal.work_hours(D("2026-03-06")) == (time(7, 0), time(16, 30))  # the last worked day


# --- working-day arithmetic ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cal", "day", "expected"),
    [
        (WIB, "2026-03-16", "2026-03-17"),  # strictly after, even from a working day
        (WIB, "2026-03-17", "2026-03-25"),  # over Nyepi, Idul Fitri and joint leave
        (NO_JOINT_LEAVE, "2026-03-17", "2026-03-18"),
        (NO_JOINT_LEAVE, "2026-03-18", "2026-03-20"),  # over Nyepi only
        (NO_JOINT_LEAVE, "2026-03-20", "2026-03-23"),
        (WIB, "2026-08-14", "2026-08-18"),  # Friday → Tuesday over 17 August
        (WIB, "2026-03-07", "2026-03-09"),  # Saturday → Monday
        (WIB, "2026-12-23", "2026-12-28"),  # over Christmas joint leave
        (WIB, "2026-12-31", "2027-01-04"),  # over New Year, into the next year
    ],
)
def test_next_working_day(cal, day, expected):
    assert cal.next_working_day(D(day)) == D(expected)


@pytest.mark.parametrize(
    ("cal", "day", "expected"),
    [
        (WIB, "2026-03-17", "2026-03-16"),
        (WIB, "2026-03-25", "2026-03-17"),
        (NO_JOINT_LEAVE, "2026-03-25", "2026-03-24"),
        (NO_JOINT_LEAVE, "2026-03-23", "2026-03-20"),
        (WIB, "2026-08-18", "2026-08-14"),
        (WIB, "2026-03-09", "2026-03-06"),  # Monday → Friday
        (WIB, "2027-01-04", "2026-12-31"),  # back into the previous year
    ],
)
def test_previous_working_day(cal, day, expected):
    assert cal.previous_working_day(D(day)) == D(expected)


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        ("2026-03-16", 0, "2026-03-16"),  # n = 0 is the day itself
        ("2026-03-21", 0, "2026-03-21"),  # even on a holiday
        ("2026-08-10", 1, "2026-08-11"),
        ("2026-08-10", 4, "2026-08-14"),
        ("2026-08-10", 5, "2026-08-18"),  # skips the weekend and 17 August
        ("2026-03-16", 3, "2026-03-26"),
        ("2026-08-18", -1, "2026-08-14"),
        ("2026-08-18", -5, "2026-08-10"),
        ("2026-03-26", -3, "2026-03-16"),
        ("2026-03-21", -1, "2026-03-17"),  # from a holiday backwards
        ("2026-03-21", 1, "2026-03-25"),  # from a holiday forwards
    ],
)
def test_add_working_days(day, n, expected):
    assert WIB.add_working_days(D(day), n) == D(expected)


@pytest.mark.parametrize("n", [1, 20, 245, 260, 300, 500, -1, -20, -260, -300])
def test_add_working_days_lands_exactly_n_working_days_away(n):
    start = D("2026-01-01")
    result = WIB.add_working_days(start, n)
    assert WIB.is_working_day(result)
    if n > 0:
        assert WIB.count_working_days(start + timedelta(days=1), result) == n
    else:
        assert WIB.count_working_days(result, start - timedelta(days=1)) == -n


def test_add_working_days_refuses_a_calendar_without_working_days():
    year = {D("2026-01-01") + timedelta(days=i): "Tutup" for i in range(400)}
    with pytest.raises(ValueError, match="no working days"):
        AgencyCalendar(days_off=year).next_working_day(D("2025-12-31"))


@pytest.mark.parametrize(
    ("cal", "start", "n", "expected"),
    [
        (WIB, "2026-03-16", 1, "2026-03-16"),  # a working start counts as the first
        (WIB, "2026-03-16", 2, "2026-03-17"),
        (WIB, "2026-03-16", 3, "2026-03-25"),
        (WIB, "2026-03-20", 1, "2026-03-25"),  # a day off start does not count
        (NO_JOINT_LEAVE, "2026-03-20", 1, "2026-03-20"),
        (WIB, "2026-08-15", 1, "2026-08-18"),
        (WIB, "2026-08-15", 2, "2026-08-19"),
    ],
)
def test_nth_working_day(cal, start, n, expected):
    assert cal.nth_working_day(D(start), n) == D(expected)


@pytest.mark.parametrize("n", [0, -1])
def test_nth_working_day_starts_at_one(n):
    with pytest.raises(ValueError):
        WIB.nth_working_day(D("2026-03-16"), n)


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        ("2026-03-16", "2026-03-16", 1),
        ("2026-03-21", "2026-03-22", 0),  # a weekend of holidays
        ("2026-03-17", "2026-03-16", 0),  # end before start
        ("2026-08-01", "2026-08-31", 19),  # 21 weekdays less 17 Aug and Maulid Nabi (25 Aug)
        ("2026-03-01", "2026-03-31", 17),  # 22 weekdays less 18, 19, 20, 23, 24
        # 261 weekdays less 21 weekday holidays and joint leave days
        ("2026-01-01", "2026-12-31", 240),
    ],
)
def test_count_working_days(start, end, count):
    days = WIB.working_days(D(start), D(end))
    assert len(days) == count == WIB.count_working_days(D(start), D(end))
    assert days == sorted(days)
    assert all(D(start) <= d <= D(end) and WIB.is_working_day(d) for d in days)


def test_days_off_between_explains_each_day():
    off = dict(WIB.days_off_between(D("2026-08-14"), D("2026-08-18")))
    assert list(off) == dates("2026-08-15", "2026-08-16", "2026-08-17")
    assert off[D("2026-08-15")] == "Sabtu"
    assert off[D("2026-08-16")] == "Minggu"
    assert "Kemerdekaan" in off[D("2026-08-17")]


@pytest.mark.parametrize(
    ("cal", "year", "month", "expected"),
    [
        (WIB, 2026, 12, "2026-12-31"),  # ends on a Thursday
        (WIB, 2026, 1, "2026-01-30"),  # ends on a Saturday
        (WIB, 2026, 2, "2026-02-27"),  # ends on a Saturday, February
        (WIB, 2026, 3, "2026-03-31"),  # a Tuesday after the Idul Fitri leave
        (WIB, 2026, 5, "2026-05-29"),  # ends on Sunday (Waisak), Saturday before
        (WIB, 2026, 8, "2026-08-31"),
        (WIB, 2020, 3, "2020-03-31"),  # Serang: the OPD head evaluates on the 31st
        # 31 Dec 2020 (Thursday) was joint leave in place of the postponed Idul Fitri leave.
        (WIB, 2020, 12, "2020-12-30"),
        (AgencyCalendar(observe_joint_leave=False), 2020, 12, "2020-12-31"),
        # an agency day off on the last day of the month
        (AgencyCalendar(days_off={D("2026-12-31"): "Cuti daerah"}), 2026, 12, "2026-12-30"),
        # a declared working Saturday at the end of the month
        (AgencyCalendar(days_on=frozenset({D("2026-01-31")})), 2026, 1, "2026-01-31"),
    ],
)
def test_last_working_day_of_month(cal, year, month, expected):
    assert cal.last_working_day_of_month(year, month) == D(expected)


@pytest.mark.parametrize("cal", [WIB, WITA, WIT], ids=["WIB", "WITA", "WIT"])
def test_last_working_day_is_the_same_date_in_every_zone(cal):
    assert cal.last_working_day_of_month(2026, 12) == D("2026-12-31")


# --- the seeds -------------------------------------------------------------------------------


def test_serang_wfh_started_on_a_working_thursday():
    # Kota Serang (WIB): work from home for everyone from Thursday 19 March 2020.
    start = D("2020-03-19")
    assert start.weekday() == 3
    assert WIB.is_working_day(start)
    assert WIB.is_working_day(D("2020-03-18"))  # the day the mayor announced it


def test_serang_review_after_two_or_three_working_days():
    # "within two or three days we review": 22 March 2020 was Isra Mikraj (a Sunday), 25 March
    # Nyepi, so the third working day after the start is Tuesday 24 March.
    start = D("2020-03-19")
    assert "Isra Mikraj" in WIB.day_off_reason(D("2020-03-22"))
    assert "Nyepi" in WIB.day_off_reason(D("2020-03-25"))
    assert WIB.add_working_days(start, 2) == D("2020-03-23")
    assert WIB.add_working_days(start, 3) == D("2020-03-24")
    assert WIB.add_working_days(start, 4) == D("2020-03-26")


@pytest.mark.parametrize(
    ("observe", "worked"),
    [
        (True, dates("2020-08-18", "2020-08-19")),
        (False, dates("2020-08-18", "2020-08-19", "2020-08-21")),
    ],
    ids=["observes-joint-leave", "ignores-joint-leave"],
)
def test_batu_wfh_period_18_to_21_august_2020(observe, worked):
    # Kota Batu (WIB): WFH from Tuesday 18 to Friday 21 August 2020. Monday 17 August was
    # Independence Day, Thursday 20 August the Islamic New Year, and Friday 21 August national
    # joint leave for it, so only two (or, without joint leave, three) of those days are worked.
    cal = AgencyCalendar(observe_joint_leave=observe)
    assert cal.working_days(D("2020-08-18"), D("2020-08-21")) == worked
    assert "Kemerdekaan" in cal.day_off_reason(D("2020-08-17"))
    assert "Tahun Baru Islam" in cal.day_off_reason(D("2020-08-20"))
    reason_21 = cal.day_off_reason(D("2020-08-21"))
    if observe:
        assert "Cuti Bersama" in reason_21
    else:
        assert reason_21 is None
    assert cal.next_working_day(D("2020-08-21")) == D("2020-08-24")


# --- calendar_for(agency) --------------------------------------------------------------------


@pytest.fixture
def wita_agency(db):
    agency = AgencyFactory(zone="WITA", observe_joint_leave=False)
    AgencyDay.objects.create(agency=agency, date=D("2026-03-25"), kind="off", name="HUT Kota")
    AgencyDay.objects.create(agency=agency, date=D("2026-03-28"), kind="on", name="Kerja bakti")
    AgencyDay.objects.create(agency=agency, date=D("2026-08-17"), kind="on", name="Pelayanan")
    AgencyDay.objects.create(agency=agency, date=D("2025-12-31"), kind="off", name="Tutup buku")
    return agency


def test_calendar_for_reads_the_agency(wita_agency):
    cal = calendar_for(wita_agency)
    assert cal.zone == "WITA"
    assert cal.tz == ZoneInfo("Asia/Makassar")
    assert cal.observe_joint_leave is False
    assert cal.day_off_reason(D("2026-03-25")) == "HUT Kota"
    assert cal.is_working_day(D("2026-03-28"))  # a declared working Saturday
    assert cal.is_working_day(D("2026-08-17"))  # a declared working national holiday
    assert cal.is_working_day(D("2026-03-20"))  # joint leave not observed
    assert not cal.is_working_day(D("2025-12-31"))
    assert cal.today(datetime(2026, 3, 2, 16, 30, tzinfo=UTC)) == D("2026-03-03")


def test_calendar_for_limits_agency_days_to_the_years_asked(wita_agency):
    cal = calendar_for(wita_agency, years=[2026])
    assert not cal.is_working_day(D("2026-03-25"))
    assert cal.is_working_day(D("2025-12-31"))  # the 2025 day was not loaded
    assert calendar_for(wita_agency, years=range(2025, 2026)).is_working_day(D("2026-03-25"))


def test_calendar_for_sees_changes_to_the_agency(wita_agency):
    wita_agency.observe_joint_leave = True
    wita_agency.zone = "WIT"
    wita_agency.save()
    AgencyDay.objects.filter(agency=wita_agency, date=D("2026-03-25")).update(kind="on")
    cal = calendar_for(wita_agency)
    assert cal.tz == ZoneInfo("Asia/Jayapura")
    assert not cal.is_working_day(D("2026-03-20"))  # joint leave observed now
    assert cal.is_working_day(D("2026-03-25"))


def test_calendar_for_does_not_mix_agencies(wita_agency):
    other = AgencyFactory(zone="WIB")
    cal = calendar_for(other)
    assert cal.zone == "WIB"
    assert cal.observe_joint_leave is True
    assert cal.is_working_day(D("2026-03-25"))
    assert not cal.is_working_day(D("2026-03-28"))
    assert not cal.is_working_day(D("2026-08-17"))


@pytest.mark.parametrize(
    ("zone", "local_day"), [("WIB", "2026-03-02"), ("WITA", "2026-03-03"), ("WIT", "2026-03-03")]
)
def test_calendar_for_today_in_each_zone(db, zone, local_day):
    cal = calendar_for(AgencyFactory(zone=zone))
    assert cal.today(datetime(2026, 3, 2, 16, 30, tzinfo=UTC)) == D(local_day)


@pytest.mark.parametrize(
    ("day", "joint_leave", "expected"),
    [
        (date(2026, 8, 17), True, ("national", "Hari Kemerdekaan Republik Indonesia")),
        (date(2026, 3, 20), True, ("joint_leave", "Cuti Bersama Hari Raya Idul Fitri")),
        (date(2026, 3, 20), False, None),
        (date(2026, 8, 15), True, ("weekend", "Sabtu")),
        (date(2026, 8, 18), True, None),
    ],
)
def test_day_off_names_its_kind(day, joint_leave, expected):
    assert AgencyCalendar(observe_joint_leave=joint_leave).day_off(day) == expected


def test_the_agencys_own_day_off_comes_before_the_national_calendar():
    cal = AgencyCalendar(days_off={date(2026, 8, 17): "Upacara daerah"})
    assert cal.day_off(date(2026, 8, 17)) == ("agency", "Upacara daerah")


@pytest.mark.django_db
def test_cached_calendar_is_reused_until_its_fingerprint_or_zone_changes():
    agency = AgencyFactory(zone="WIB")
    first = calendar_module.calendar_cached(agency, 2026, ("0", None))
    assert calendar_module.calendar_cached(agency, 2026, ("0", None)) is first
    AgencyDay.objects.create(agency=agency, date=D("2026-08-19"), kind="off", name="Libur daerah")
    assert first.is_working_day(D("2026-08-19"))  # the fingerprint says nothing changed
    rebuilt = calendar_module.calendar_cached(agency, 2026, ("1", "later"))
    assert rebuilt is not first and not rebuilt.is_working_day(D("2026-08-19"))
    agency.zone = "WIT"
    moved = calendar_module.calendar_cached(agency, 2026, ("1", "later"))
    assert moved is not rebuilt and moved.zone == "WIT"
    assert calendar_module.calendar_cached(agency, 2027, ("1", "later")) is not moved


def test_fingerprinted_memory_rebuilds_on_a_new_fingerprint_and_forgets_the_oldest():
    from darirumah.core.memo import Fingerprinted

    built = []
    memory = Fingerprinted(size=2)

    def build(value):
        return lambda: built.append(value) or value

    assert memory.get("a", 1, build("a1")) == "a1"
    assert memory.get("a", 1, build("again")) == "a1"
    assert memory.get("a", 2, build("a2")) == "a2"
    memory.get("b", 1, build("b1"))
    memory.get("a", 2, build("unused"))  # a is now the most recently used
    memory.get("c", 1, build("c1"))  # b, the least recently used, is dropped
    assert memory.get("b", 1, build("b1 again")) == "b1 again"
    assert built == ["a1", "a2", "b1", "c1", "b1 again"]
