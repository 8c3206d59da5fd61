"""Closing a building or rooms: the staff sent home on the closed working days (a holiday
inside stays without entry), rooms-only closures, the public service kept open only when asked,
staff of other offices untouched, reopening that gives the plan back, overlaps refused, the
log line and the notices."""

from datetime import UTC, date, datetime, timedelta

import pytest

from darirumah.core.errors import Conflict, DomainError, NotAllowed, NotFound
from darirumah.health.models import Closure, HealthAccessLog
from darirumah.health.services.closures import closure_create, closure_reopen
from darirumah.notify.models import Notification
from darirumah.org.access import access_for
from darirumah.org.tests.factories import EmployeeFactory, OfficeFactory, RoomFactory, UnitFactory
from darirumah.roster.models import RosterEntry

pytestmark = pytest.mark.django_db

# Monday 24 to Friday 28 August 2026; Tuesday 25 August is a holiday (Maulid Nabi).
WEEK = [date(2026, 8, d) for d in (24, 25, 26, 27, 28)]
HOME = ["WFH", "", "WFH", "WFH", "WFH"]
WHY = "3 pegawai terkonfirmasi positif"


@pytest.fixture(autouse=True)
def _clock(clock, monkeypatch):
    return clock  # Wednesday 19 August 2026, 10:00 WIB


class Site:
    """The cast's office with two rooms and its own staff, and three offices of the region
    (a kecamatan, a kelurahan, a puskesmas), each with staff of its own."""

    def __init__(self, cast):
        office = cast.office
        self.office = office
        self.archive = RoomFactory(office=office, name="Ruang Arsip")
        self.server = RoomFactory(office=office, name="Ruang Server")
        umum = UnitFactory(
            agency=cast.agency, code="UMUM", name="Bagian Umum", kind="bagian", office=office
        )
        self.a1 = EmployeeFactory(unit=umum, room=self.archive, name="Arsiparis Satu")  # unit's
        self.a2 = EmployeeFactory(unit=umum, office=office, room=self.archive, name="Arsiparis Dua")
        self.b1 = EmployeeFactory(
            unit=umum, office=office, room=self.server, name="Pranata Komputer"
        )
        self.n1 = EmployeeFactory(unit=umum, office=office, name="Pengemudi")
        self.counter = EmployeeFactory(unit=cast.disdukcapil, office=office, name="Petugas Loket")
        self.building = [self.a1, self.a2, self.b1, self.n1, self.counter, cast.kepala]
        self.building.append(cast.admin_opd)  # Disdukcapil's office is this building
        self.public = [self.counter, cast.kepala, cast.admin_opd]
        self.elsewhere = []
        camat_office = OfficeFactory(agency=cast.agency, name="Kantor Kecamatan Serang")
        kecamatan = UnitFactory(
            agency=cast.agency,
            code="KEC-SRG",
            name="Kecamatan Serang",
            kind="kecamatan",
            serves_public=True,
            office=camat_office,
        )
        lurah_office = OfficeFactory(agency=cast.agency, name="Kantor Kelurahan Cimuncang")
        kelurahan = UnitFactory(
            agency=cast.agency,
            code="KEL-CMC",
            name="Kelurahan Cimuncang",
            kind="kelurahan",
            serves_public=True,
            parent=kecamatan,
            office=lurah_office,
        )
        pkm_office = OfficeFactory(agency=cast.agency, name="Puskesmas Serang Kota")
        puskesmas = UnitFactory(
            agency=cast.agency,
            code="PKM-SRG",
            name="Puskesmas Serang Kota",
            kind="puskesmas",
            serves_public=True,
            office=pkm_office,
        )
        self.elsewhere = [
            EmployeeFactory(unit=kecamatan, name="Camat"),
            EmployeeFactory(unit=kelurahan, office=lurah_office, name="Lurah"),
            EmployeeFactory(unit=puskesmas, name="Dokter Puskesmas"),
            cast.pegawai,  # Bidang Pelayanan has no office of its own
        ]


@pytest.fixture
def site(cast):
    return Site(cast)


def officer(cast):
    return access_for(cast.kesehatan.user)


def week(employee) -> list[str]:
    found = dict(
        RosterEntry.objects.filter(employee=employee, date__in=WEEK).values_list("date", "mode")
    )
    return [found.get(d, "") for d in WEEK]


def plan(employee, modes):
    for day, mode in zip(WEEK, modes, strict=True):
        if mode:
            RosterEntry.objects.create(
                employee=employee, date=day, mode=mode, source="solver", published=True
            )


def close(cast, **kw):
    values = {"office": cast.office, "starts_on": WEEK[0], "ends_on": WEEK[-1], "reason": WHY}
    values.update(kw)
    return closure_create(access=officer(cast), **values)


def test_a_closed_building_sends_all_its_staff_home_on_its_working_days(
    cast, site, django_capture_on_commit_callbacks
):
    plan(site.a2, ["WFO", "", "WFO", "WFH", "WFO"])
    plan(site.elsewhere[0], ["WFO", "", "WFO", "WFO", "WFO"])
    with django_capture_on_commit_callbacks(execute=True):
        change = close(cast)
    closure = change.closure
    assert (change.people, change.days) == (7, 28)  # 7 people × 4 working days
    for person in site.building:
        assert week(person) == HOME, person.name  # the holiday stays without an entry
    for person in site.elsewhere:
        assert week(person) == (
            ["WFO", "", "WFO", "WFO", "WFO"] if person == site.elsewhere[0] else [""] * 5
        )
    held = RosterEntry.objects.get(employee=site.a2, date=WEEK[0])
    assert (held.source, held.published) == ("health", True)
    assert "Pusat Pemerintahan" in held.reason and WHY in held.reason
    # In force from the start of its first day (it was recorded the Wednesday before).
    assert closure.closed_at == datetime(2026, 8, 23, 17, 0, tzinfo=UTC)
    assert closure.created_by == cast.kesehatan.user
    assert closure.history.first().history_user == cast.kesehatan.user

    line = HealthAccessLog.objects.get()
    assert (line.action, line.subject, line.employees, line.reason, line.user) == (
        "create",
        f"closure:{closure.pk}",
        [],
        WHY,
        cast.kesehatan.user,
    )
    told = Notification.objects.filter(kind="health.closure")
    assert {n.recipient_id for n in told} == {p.user_id for p in site.building}
    notice = told.first()
    assert "Pusat Pemerintahan" in notice.title and "Pusat Pemerintahan" in notice.body
    assert notice.link == f"/health/closures/{closure.pk}/"


def test_a_closure_from_today_takes_effect_when_recorded(cast, site):
    closure = close(cast, starts_on=date(2026, 8, 19), ends_on=date(2026, 8, 20)).closure
    assert closure.closed_at == datetime(2026, 8, 19, 3, 0, tzinfo=UTC)  # 10:00 WIB


def test_a_rooms_only_closure_touches_only_the_staff_of_those_rooms(cast, site):
    change = close(cast, rooms=[site.archive])
    assert change.people == 2
    assert week(site.a1) == HOME and week(site.a2) == HOME
    for person in [site.b1, site.n1, site.counter, cast.kepala, *site.elsewhere]:
        assert week(person) == [""] * 5, person.name
    assert list(change.closure.rooms.all()) == [site.archive]


def test_the_public_service_stays_open_only_when_asked(cast, site):
    plan(site.counter, ["WFO", "", "WFO", "WFO", "WFO"])
    change = close(cast, keep_public_service_open=True)
    assert change.people == 4
    assert week(site.counter) == ["WFO", "", "WFO", "WFO", "WFO"]
    assert week(cast.kepala) == [""] * 5 and week(cast.admin_opd) == [""] * 5
    assert week(site.a1) == HOME and week(site.n1) == HOME


def test_reopening_gives_the_plan_back_from_the_first_open_day(
    cast, site, django_capture_on_commit_callbacks
):
    plan(site.a2, ["WFO", "", "WFO", "WFH", "WFO"])
    closure = close(cast).closure
    assert week(site.a2) == HOME
    with django_capture_on_commit_callbacks(execute=True):
        change = closure_reopen(
            access=officer(cast), closure=closure, on=WEEK[3], reason="disinfeksi selesai"
        )
    closure.refresh_from_db()
    assert closure.ends_on == WEEK[2] and closure.reopened_by == cast.kesehatan.user
    assert closure.reopened_at is not None
    assert week(site.a2) == ["WFH", "", "WFH", "WFH", "WFO"]  # Thursday's WFH was the plan
    held = RosterEntry.objects.get(employee=site.a2, date=WEEK[3])
    assert held.source == "solver"
    assert week(site.n1) == ["WFH", "", "WFH", "", ""]
    # 7 people × 2 days back to the plan, and × 2 days whose reason now says the new end.
    assert change.days == 28
    line = HealthAccessLog.objects.filter(action="update").get()
    assert (line.subject, line.reason) == (f"closure:{closure.pk}", "disinfeksi selesai")
    told = Notification.objects.filter(kind="health.closure", title__contains="Pusat")
    assert told.count() == 7  # the reopening only (the closure's notices did not run)

    with pytest.raises(Conflict):
        closure_reopen(access=officer(cast), closure=closure, on=WEEK[2], reason="sekali lagi")


@pytest.mark.parametrize(
    ("on", "field_text"),
    [
        (date(2026, 8, 24), "after its first closed day"),  # the first day itself
        (date(2026, 8, 30), "already ends on"),  # after the day following the end
    ],
)
def test_a_reopening_day_outside_the_closure_is_refused(cast, site, on, field_text):
    closure = close(cast).closure
    with pytest.raises(DomainError) as refused:
        closure_reopen(access=officer(cast), closure=closure, on=on, reason="dibuka kembali")
    assert field_text in refused.value.fields["on"][0]
    closure.refresh_from_db()
    assert closure.ends_on == WEEK[-1] and closure.reopened_at is None


def test_reopening_on_the_planned_day_after_keeps_the_end(cast, site):
    closure = close(cast).closure
    change = closure_reopen(
        access=officer(cast), closure=closure, on=date(2026, 8, 29), reason="sesuai rencana"
    )
    assert change.closure.ends_on == WEEK[-1] and change.days == 0
    assert week(site.a1) == HOME


def test_a_reopening_in_the_past_is_refused(cast, site, clock):
    closure = close(cast).closure
    clock.set(2026, 8, 27, 3, 0)  # Thursday 27 August
    with pytest.raises(DomainError) as refused:
        closure_reopen(access=officer(cast), closure=closure, on=WEEK[2], reason="terlambat")
    assert "today at the earliest" in refused.value.message


def test_overlapping_closures_of_the_same_building_or_rooms_are_refused(cast, site):
    close(cast, rooms=[site.archive])
    close(cast, rooms=[site.server])  # another room: fine
    with pytest.raises(Conflict) as refused:
        close(cast, rooms=[site.archive, site.server], starts_on=WEEK[-1], ends_on=WEEK[-1])
    assert "already has a closure" in refused.value.message
    with pytest.raises(Conflict):
        close(cast, starts_on=date(2026, 8, 27), ends_on=date(2026, 9, 4))  # the whole building
    close(cast, starts_on=date(2026, 8, 31), ends_on=date(2026, 9, 4))  # after: fine
    other_office = OfficeFactory(agency=cast.agency, name="Gedung Lain")
    close(cast, office=other_office)  # another building: fine
    assert Closure.objects.count() == 4


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"ends_on": date(2026, 8, 21)}, "ends_on"),  # before the start
        ({"ends_on": date(2026, 8, 24) + timedelta(days=60)}, "ends_on"),  # 61 days
        ({"starts_on": date(2026, 8, 10), "ends_on": date(2026, 8, 18)}, "ends_on"),  # over
        ({"reason": "  "}, "reason"),
        ({"reason": "cek"}, "reason"),  # not a reason
    ],
)
def test_bad_closures_are_refused_with_the_field(cast, site, values, field):
    with pytest.raises(DomainError) as refused:
        close(cast, **values)
    assert field in refused.value.fields
    assert not Closure.objects.exists() and not RosterEntry.objects.exists()


def test_sixty_days_is_the_longest_closure(cast, site):
    change = close(cast, ends_on=date(2026, 8, 24) + timedelta(days=59))
    assert change.closure.ends_on == date(2026, 10, 22)


def test_rooms_of_another_building_are_refused(cast, site):
    elsewhere = RoomFactory(office=OfficeFactory(agency=cast.agency), name="Aula")
    with pytest.raises(DomainError) as refused:
        close(cast, rooms=[site.archive, elsewhere])
    assert "rooms" in refused.value.fields


def test_only_the_agencys_health_officers_close(cast, site):
    for user in (cast.pegawai.user, cast.bkpsdm.user, cast.pimpinan.user, cast.operator):
        with pytest.raises(NotAllowed):
            closure_create(
                access=access_for(user),
                office=cast.office,
                starts_on=WEEK[0],
                ends_on=WEEK[-1],
                reason=WHY,
            )
    with pytest.raises(NotFound):
        closure_create(
            access=access_for(cast.outsider_bkpsdm.user),
            office=cast.office,
            starts_on=WEEK[0],
            ends_on=WEEK[-1],
            reason=WHY,
        )
    assert not Closure.objects.exists()
