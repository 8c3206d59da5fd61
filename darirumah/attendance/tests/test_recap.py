"""The OPD's daily recap: produced once per OPD and day, sent by the OPD, read by BKPSDM."""

from datetime import UTC, date, datetime

import pytest

from darirumah.attendance.models import Attendance, DailyRecap, ViconRoll, ViconSession
from darirumah.attendance.selectors_recap import recap_inbox
from darirumah.attendance.services.recap import recap_produce, recap_send
from darirumah.core.errors import DomainError, NotAllowed
from darirumah.org.access import access_for
from darirumah.performance.models import DailyReport
from darirumah.roster.models import RosterEntry

pytestmark = pytest.mark.django_db
MONDAY = date(2020, 3, 23)
NYEPI = date(2020, 3, 25)


def entry(employee, mode):
    RosterEntry.objects.create(
        employee=employee, date=MONDAY, mode=mode, source="manual", published=True
    )


def record(employee, status):
    Attendance.objects.create(employee=employee, date=MONDAY, status=status, source="self")


def test_the_recap_counts_the_opd_and_its_sub_units(cast):
    entry(cast.kepala, "WFO")
    entry(cast.atasan, "WFH")
    entry(cast.pegawai, "LEAVE")
    record(cast.kepala, Attendance.Status.PRESENT)
    record(cast.atasan, Attendance.Status.LATE)
    record(cast.pegawai, Attendance.Status.EXCUSED)
    session = ViconSession.objects.create(
        unit=cast.pelayanan,
        date=MONDAY,
        starts_at=datetime(2020, 3, 23, 7, 0, tzinfo=UTC),
        link="https://meet.example/x",
    )
    ViconRoll.objects.create(
        session=session, employee=cast.atasan, status="present", marked_at=session.starts_at
    )
    # Daily reports sent so far count, a returned one too (it was sent); a draft does not.
    sent_at = datetime(2020, 3, 23, 6, 0, tzinfo=UTC)
    DailyReport.objects.create(
        employee=cast.atasan, date=MONDAY, status="submitted", submitted_at=sent_at
    )
    DailyReport.objects.create(
        employee=cast.kepala,
        date=MONDAY,
        status="returned",
        submitted_at=sent_at,
        reviewed_at=sent_at,
        review_comment="Lampirkan bukti.",
    )
    DailyReport.objects.create(employee=cast.pegawai, date=MONDAY)
    recaps = {r.unit_id: r for r in recap_produce(agency=cast.agency, day=MONDAY)}
    figures = recaps[cast.disdukcapil.pk].figures
    assert figures["reports_submitted"] == 2
    assert figures["staff"] == 4  # kepala, admin (Disdukcapil), atasan, pegawai (Pelayanan)
    assert figures["by_mode"] == {"LEAVE": 1, "WFH": 1, "WFO": 1}
    assert figures["unplanned"] == 1
    assert (figures["present"], figures["late"], figures["excused"]) == (1, 1, 1)
    assert figures["absent"] == 0 and figures["not_recorded"] == 1
    assert figures["vicon"] == {"present": 1, "absent": 0, "excused": 0}
    # Every OPD of the agency gets one; sub-units are inside their OPD's.
    assert cast.pelayanan.pk not in recaps
    assert cast.setda.pk in recaps and cast.bkpsdm_unit.pk in recaps


def test_a_second_run_changes_nothing_and_no_recap_on_a_holiday(cast):
    first = {r.pk: r.figures for r in recap_produce(agency=cast.agency, day=MONDAY)}
    record(cast.kepala, Attendance.Status.PRESENT)
    again = {r.pk: r.figures for r in recap_produce(agency=cast.agency, day=MONDAY)}
    assert again == first  # the snapshot at report time stays as it was
    assert recap_produce(agency=cast.agency, day=NYEPI) == []
    assert not DailyRecap.objects.filter(date=NYEPI).exists()


def test_the_opd_sends_it_once_and_bkpsdm_sees_who_has_not(cast):
    recap_produce(agency=cast.agency, day=MONDAY)
    recap = DailyRecap.objects.get(unit=cast.disdukcapil, date=MONDAY)
    with pytest.raises(NotAllowed):
        recap_send(access=access_for(cast.pegawai.user), recap=recap)
    recap_send(access=access_for(cast.admin_opd.user), recap=recap, note="Loket buka, 3 petugas.")
    with pytest.raises(DomainError):
        recap_send(access=access_for(cast.admin_opd.user), recap=recap)
    rows = recap_inbox(access=access_for(cast.bkpsdm.user), agency=cast.agency, day=MONDAY)
    sent = {row["unit"].pk: row["sent"] for row in rows}
    assert sent[cast.disdukcapil.pk] is True
    assert sent[cast.setda.pk] is False
    with pytest.raises(NotAllowed):
        recap_inbox(access=access_for(cast.kepala.user), agency=cast.agency, day=MONDAY)
    with pytest.raises(NotAllowed):
        recap_inbox(access=access_for(cast.outsider_bkpsdm.user), agency=cast.agency, day=MONDAY)
