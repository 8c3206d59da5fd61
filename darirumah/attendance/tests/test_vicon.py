"""The daily video call: opening a session, its link and time, the job, the roll."""

from datetime import UTC, date, datetime, time

import pytest

from darirumah.attendance.models import ViconRoll, ViconSession
from darirumah.attendance.services import vicon
from darirumah.core.errors import DomainError, NotAllowed, NotFound
from darirumah.notify.models import Notification
from darirumah.org.access import access_for
from darirumah.org.tests.factories import EmployeeFactory
from darirumah.policy import rules as policy_rules
from darirumah.policy.models import Circular
from darirumah.policy.tests.factories import make_circular
from darirumah.roster.models import RosterEntry

DAY = date(2026, 8, 19)  # Wednesday
HOLIDAY = date(2026, 8, 17)  # Independence Day


def _open(cast, user=None, unit=None, day=DAY):
    user = user or cast.kepala.user
    return vicon.vicon_session_open(access=access_for(user), unit=unit or cast.pelayanan, day=day)


def test_opening_twice_returns_the_same_session(cast):
    first = _open(cast)
    again = _open(cast, user=cast.admin_opd.user)
    assert first.pk == again.pk
    assert ViconSession.objects.filter(unit=cast.pelayanan, date=DAY).count() == 1
    assert first.created_by == cast.kepala.user


def test_starts_at_the_default_time_in_the_agency_zone(cast):
    session = _open(cast)
    assert session.starts_at == datetime(2026, 8, 19, 7, 0, tzinfo=UTC)  # 14:00 WIB


def test_starts_at_14_00_wit_is_earlier_in_utc(cast):
    cast.agency.zone = "WIT"
    cast.agency.save()
    cast.pelayanan.refresh_from_db()
    session = _open(cast)
    assert session.starts_at == datetime(2026, 8, 19, 5, 0, tzinfo=UTC)  # 14:00 WIT


def test_starts_at_the_circulars_time(cast):
    circular = make_circular(
        cast.agency,
        status=Circular.Status.ACTIVE,
        units=[cast.disdukcapil],
        starts_on=date(2026, 8, 1),
        ends_on=date(2026, 8, 31),
    )
    rules = policy_rules.RuleSet(vicon_time=time(15, 0)).model_dump(mode="json")
    circular.versions.update(rules=rules)
    assert _open(cast).starts_at == datetime(2026, 8, 19, 8, 0, tzinfo=UTC)  # 15:00 WIB


def test_no_call_on_a_holiday_or_weekend(cast):
    with pytest.raises(DomainError) as exc:
        _open(cast, day=HOLIDAY)
    assert "date" in exc.value.fields
    with pytest.raises(DomainError):
        _open(cast, day=date(2026, 8, 22))  # Saturday
    assert not ViconSession.objects.exists()


def test_link_is_under_the_base_url_and_unguessable(cast, settings):
    settings.VICON_BASE_URL = "https://vicon.serang.go.id"
    one = _open(cast)
    other = _open(cast, day=date(2026, 8, 20))
    assert one.link.startswith("https://vicon.serang.go.id/serang-uji-duk-pel-20260819-")
    token = one.link.rsplit("-", 1)[1]
    assert len(token) == vicon.TOKEN_LENGTH and token.isalnum()
    assert one.link != other.link
    links = {vicon.meeting_link(cast.pelayanan, DAY) for _i in range(50)}
    assert len(links) == 50


@pytest.mark.parametrize("role", ["kepala", "admin_opd", "atasan"])
def test_head_admin_and_supervisor_open(cast, role):
    assert _open(cast, user=getattr(cast, role).user).unit == cast.pelayanan


@pytest.mark.parametrize("role", ["pegawai", "bkpsdm", "pimpinan", "peer"])
def test_others_of_the_agency_may_not_open(cast, role):
    with pytest.raises(NotAllowed):
        _open(cast, user=getattr(cast, role).user)


def test_another_agency_does_not_see_the_unit(cast):
    with pytest.raises(NotFound):
        _open(cast, user=cast.outsider_bkpsdm.user)


def _wfh(employee, day=DAY, published=True, mode="WFH"):
    return RosterEntry.objects.create(
        employee=employee, date=day, mode=mode, source="manual", published=published
    )


def test_the_job_opens_one_session_per_unit_working_from_home(cast):
    _wfh(cast.pegawai)
    _wfh(cast.atasan)
    _wfh(cast.peer, mode="WFO")
    _wfh(cast.admin_opd, published=False)
    sessions = vicon.vicon_sessions_open_for(cast.agency, DAY)
    assert [s.unit for s in sessions] == [cast.pelayanan]
    again = vicon.vicon_sessions_open_for(cast.agency, DAY)
    assert [s.pk for s in again] == [s.pk for s in sessions]
    assert ViconSession.objects.count() == 1
    assert vicon.vicon_sessions_open_for(cast.agency, HOLIDAY) == []


def test_the_link_is_sent_once_to_the_units_staff(cast):
    session = _open(cast)
    assert vicon.vicon_notify_link(session) == 2  # atasan and pegawai of Bidang Pelayanan
    assert vicon.vicon_notify_link(session) == 0
    notes = Notification.objects.filter(key=f"vicon:{session.pk}")
    assert {n.recipient_id for n in notes} == {cast.atasan.user_id, cast.pegawai.user_id}
    assert session.link in notes[0].body
    assert "14:00" in notes[0].title


def test_the_timed_job_opens_and_sends_once(cast):
    _wfh(cast.pegawai)
    assert vicon.vicon_link_job(agency_id=cast.agency.pk, day=DAY) == 2
    assert vicon.vicon_link_job(agency_id=cast.agency.pk, day=DAY) == 0
    assert Notification.objects.filter(key__startswith="vicon:").count() == 2


# --- the roll --------------------------------------------------------------------------------


def _roll(cast, user, rows, session=None):
    session = session or _open(cast)
    return vicon.vicon_roll_call(access=access_for(user), session=session, rows=rows)


def test_the_head_marks_the_roll(cast):
    _roll(
        cast,
        cast.kepala.user,
        [
            {"employee": cast.pegawai.pk, "status": "present"},
            {"employee": cast.atasan.pk, "status": "excused", "note": "rapat di kantor wali kota"},
        ],
    )
    lines = {r.employee_id: r for r in ViconRoll.objects.all()}
    assert lines[cast.pegawai.pk].status == "present"
    assert lines[cast.atasan.pk].note == "rapat di kantor wali kota"
    assert lines[cast.pegawai.pk].marked_by == cast.kepala.user


def test_marking_again_updates_with_history(cast):
    session = _open(cast)
    _roll(cast, cast.kepala.user, [{"employee": cast.pegawai.pk, "status": "absent"}], session)
    _roll(
        cast,
        cast.atasan.user,
        [{"employee": cast.pegawai.pk, "status": "present", "note": "terlambat masuk"}],
        session,
    )
    line = ViconRoll.objects.get()
    assert (line.status, line.marked_by) == ("present", cast.atasan.user)
    assert [h.status for h in line.history.order_by("history_date")] == ["absent", "present"]


def test_one_bad_row_saves_nothing(cast):
    with pytest.raises(DomainError) as exc:
        _roll(
            cast,
            cast.kepala.user,
            [
                {"employee": cast.pegawai.pk, "status": "present"},
                {"employee": cast.peer.pk, "status": "present"},  # another unit
                {"employee": cast.atasan.pk, "status": "sleeping"},
                {"employee": cast.pegawai.pk, "status": "absent"},  # twice
            ],
        )
    assert set(exc.value.fields) == {"rows.1", "rows.2", "rows.3"}
    assert not ViconRoll.objects.exists()


def test_excused_needs_a_reason(cast):
    with pytest.raises(DomainError) as exc:
        _roll(cast, cast.kepala.user, [{"employee": cast.pegawai.pk, "status": "excused"}])
    assert "rows.0" in exc.value.fields


def test_a_supervisor_marks_only_their_people_and_nobody_themself(cast):
    _roll(cast, cast.atasan.user, [{"employee": cast.pegawai.pk, "status": "present"}])
    with pytest.raises(DomainError):
        _roll(cast, cast.atasan.user, [{"employee": cast.atasan.pk, "status": "present"}])
    newcomer = EmployeeFactory(unit=cast.pelayanan)
    with pytest.raises(DomainError) as exc:
        _roll(cast, cast.atasan.user, [{"employee": newcomer.pk, "status": "present"}])
    assert "rows.0" in exc.value.fields


@pytest.mark.parametrize("role", ["pegawai", "bkpsdm", "pimpinan"])
def test_others_may_not_take_the_roll(cast, role):
    session = _open(cast)
    with pytest.raises(NotAllowed):
        _roll(
            cast,
            getattr(cast, role).user,
            [{"employee": cast.pegawai.pk, "status": "present"}],
            session,
        )
    assert not ViconRoll.objects.exists()
