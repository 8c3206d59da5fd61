"""Tracing a confirmed case (selectors/tracing.py) over real attendance rows: the window's edges,
what counts as being at the office, who belongs to the building, the ranking, the access log and
a query count that does not grow with the colleagues.

The helpers here are shared by the other tracing and isolation tests.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from darirumah.attendance.models import Attendance
from darirumah.core.errors import DomainError, NotAllowed, NotFound
from darirumah.health.models import CloseContact, HealthAccessLog, HealthCase, HealthTest
from darirumah.health.selectors.tracing import trace, traced
from darirumah.org.access import access_for
from darirumah.org.tests.factories import EmployeeFactory, OfficeFactory, RoomFactory

pytestmark = pytest.mark.django_db

REASON = "pelacakan kontak kasus baru"
TODAY = date(2026, 8, 19)  # the clock's Wednesday


def d(day: int) -> date:
    return date(2026, 8, day)


def on_site(employee, *days, status="present", mode="WFO"):
    for day in days:
        Attendance.objects.create(
            employee=employee, date=day, status=status, expected_mode=mode, source="self"
        )


def confirmed_case(cast, employee, *, onset=TODAY, confirmed_on=TODAY, status="confirmed"):
    return HealthCase.objects.create(
        agency=cast.agency,
        employee=employee,
        status=status,
        symptom_onset=onset,
        confirmed_on=confirmed_on if status == "confirmed" else None,
    )


def colleague(cast, name, *, unit=None, room=None, office="same", **kw):
    return EmployeeFactory(
        unit=unit or cast.setda,
        office=cast.office if office == "same" else office,
        room=room,
        name=name,
        **kw,
    )


@pytest.fixture(autouse=True)
def _clock(clock):
    return clock  # Wednesday 19 August 2026, 10:00 WIB


@pytest.fixture
def room(cast):
    return RoomFactory(office=cast.office, name="Ruang Pelayanan")


@pytest.fixture
def patient(cast, room):
    return colleague(cast, "Kasus Pertama", room=room)


def officer(cast):
    return access_for(cast.kesehatan.user)


def test_the_window_is_14_days_back_and_only_days_at_the_office_count(cast, patient):
    # 4 Aug is the 15th day before onset (out), 5 Aug the 14th (in).
    on_site(patient, d(4), d(5), d(14), d(18))
    on_site(patient, d(11), status="late")  # late still counts
    on_site(patient, d(12), mode="WFH")  # at home
    on_site(patient, d(13), status="absent")
    on_site(patient, d(10), mode="")  # no roster entry: an ordinary office day
    other = colleague(cast, "Rekan")
    on_site(other, d(4), d(5), d(10))
    on_site(other, d(11), mode="WFH")
    on_site(other, d(12))  # the case worked from home that day
    on_site(other, d(18), status="excused", mode="ISOLATION")
    on_site(other, d(14), status="late", mode="")
    result = traced(confirmed_case(cast, patient))
    assert (result.start, result.end, result.reference) == (d(5), d(19), d(19))
    assert result.case_days == [d(5), d(10), d(11), d(14), d(18)]
    assert [(c.name, c.shared_days) for c in result.contacts] == [("Rekan", (d(5), d(10), d(14)))]


def test_without_onset_the_first_positive_test_then_the_confirmation_is_the_reference(
    cast, patient
):
    case = confirmed_case(cast, patient, onset=None)
    assert traced(case).reference == d(19)
    HealthTest.objects.create(case=case, kind="pcr", taken_on=d(14), result="negative")
    HealthTest.objects.create(case=case, kind="antigen", taken_on=d(18), result="positive")
    HealthTest.objects.create(case=case, kind="pcr", taken_on=d(19), result="positive")
    result = traced(case)
    assert (result.reference, result.start) == (d(18), d(4))


def test_the_window_follows_the_agencys_setting(cast, patient):
    from darirumah.health.models import HealthSettings

    HealthSettings.objects.create(agency=cast.agency, settings={"trace_days": 7})
    result = traced(confirmed_case(cast, patient))
    assert (result.start, result.end, result.trace_days) == (d(12), d(19), 7)


@pytest.mark.parametrize("status", ["suspect", "probable", "recovered"])
def test_only_a_confirmed_case_is_traced(cast, patient, status):
    case = confirmed_case(cast, patient, status=status)
    with pytest.raises(DomainError) as exc:
        trace(officer(cast), case, REASON)
    assert exc.value.code == "not_confirmed"
    assert "confirmed cases only" in exc.value.message
    assert not HealthAccessLog.objects.exists()


def test_room_before_unit_before_office_more_days_first(cast, patient, room):
    on_site(patient, d(5), d(6), d(7), d(10), d(11))
    same_room = colleague(cast, "Zaenal Seruangan", unit=cast.bkpsdm_unit, room=room)
    on_site(same_room, d(11))
    unit_two = colleague(cast, "Unit Dua Hari")
    on_site(unit_two, d(5), d(6))
    unit_three = colleague(cast, "Unit Tiga Hari")
    on_site(unit_three, d(5), d(6), d(7))
    office = colleague(cast, "Sekantor Empat Hari", unit=cast.bkpsdm_unit)
    on_site(office, d(5), d(6), d(7), d(10))
    # No office of their own: the unit's building counts (Disdukcapil is in the same office).
    by_unit = colleague(cast, "Lewat Unit", unit=cast.disdukcapil, office=None)
    on_site(by_unit, d(10))
    elsewhere = colleague(cast, "Gedung Lain", office=OfficeFactory(agency=cast.agency))
    on_site(elsewhere, d(5), d(6), d(7))
    retired = colleague(cast, "Sudah Pensiun", is_active=False)
    on_site(retired, d(5))
    no_room = colleague(cast, "Tanpa Ruang Unit Lain", unit=cast.bkpsdm_unit)
    on_site(no_room, d(10))
    result = traced(confirmed_case(cast, patient))
    assert [(c.name, c.group, c.count) for c in result.contacts] == [
        ("Zaenal Seruangan", "room", 1),
        ("Unit Tiga Hari", "unit", 3),
        ("Unit Dua Hari", "unit", 2),
        ("Sekantor Empat Hari", "office", 4),
        ("Lewat Unit", "office", 1),
        ("Tanpa Ruang Unit Lain", "office", 1),
    ]
    first = result.contacts[0]
    assert (first.room_name, first.unit_name, first.last_day) == (
        "Ruang Pelayanan",
        "BKPSDM",
        d(11),
    )


def test_no_room_on_either_side_is_never_the_same_room(cast):
    patient = colleague(cast, "Kasus Tanpa Ruang")
    on_site(patient, d(10))
    mate = colleague(cast, "Rekan Tanpa Ruang", unit=cast.bkpsdm_unit)
    on_site(mate, d(10))
    assert [c.group for c in traced(confirmed_case(cast, patient)).contacts] == ["office"]


def test_a_person_without_an_office_has_nobody_to_trace(cast):
    on_site(cast.pegawai, d(10))  # Bidang Pelayanan has no office of its own
    on_site(cast.kepala, d(10))
    result = traced(confirmed_case(cast, cast.pegawai))
    assert result.office_id is None and len(result.contacts) == 0


def test_marked_contacts_are_flagged_and_the_trace_is_logged(cast, patient):
    on_site(patient, d(10), d(11))
    a, b = colleague(cast, "Ani"), colleague(cast, "Budi")
    on_site(a, d(10))
    on_site(b, d(11))
    case = confirmed_case(cast, patient)
    CloseContact.objects.create(case=case, employee=b, group="unit", shared_days=["2026-08-11"])
    result = trace(officer(cast), case, REASON)
    assert {c.name: c.marked for c in result.contacts} == {"Ani": False, "Budi": True}
    line = HealthAccessLog.objects.get()
    assert (line.action, line.subject, line.reason, line.user) == (
        "trace",
        f"case:{case.pk}",
        REASON,
        cast.kesehatan.user,
    )
    assert set(line.employees) == {patient.pk, a.pk, b.pk}


def test_only_names_readers_of_the_agency_trace(cast, patient):
    case = confirmed_case(cast, patient)
    for user in (cast.pimpinan.user, cast.bkpsdm.user, cast.kepala.user, cast.pegawai.user):
        with pytest.raises(NotAllowed):
            trace(access_for(user), case, REASON)
    with pytest.raises(NotFound):
        trace(access_for(cast.outsider_bkpsdm.user), case, REASON)
    with pytest.raises(DomainError) as exc:
        trace(officer(cast), case, "cek")
    assert exc.value.code == "reason_required"


def test_the_trace_reads_the_same_number_of_queries_for_3_or_30_colleagues(cast, patient):
    on_site(patient, d(5), d(6), d(7))
    case = confirmed_case(cast, patient)
    rooms = [RoomFactory(office=cast.office) for _ in range(3)]
    units = [cast.setda, cast.bkpsdm_unit, cast.disdukcapil]

    def add(n):
        for i in range(n):
            person = colleague(cast, f"Rekan {i}", unit=units[i % 3], room=rooms[i % 3])
            on_site(person, d(5 + i % 3))

    access = officer(cast)
    assert access.agency_roles  # the caller's roles are read once per request, before this

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            result = trace(access, case, REASON)
        return len(queries), len(result.contacts)

    add(3)
    few, listed = count()
    assert listed == 3
    add(27)
    many, listed = count()
    assert listed == 30
    assert many == few, (few, many)
