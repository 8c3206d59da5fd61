"""The 07:00 check-in reminder: who is told, with which deadline, and only once."""

from datetime import date, time, timedelta

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from darirumah.jobs.reminders import checkin_reminders_send
from darirumah.notify.models import Notification
from darirumah.policy.models import Circular, EarlyStart, RuleSetVersion
from darirumah.policy.rules import RuleSet
from darirumah.policy.selectors import agency_rules, circulars_in_force
from darirumah.policy.tests.factories import make_circular

from .conftest import DAY, entry


def _in_force(agency, units=(), deadline=time(8, 0), **fields):
    circular = make_circular(
        agency,
        status=Circular.Status.ACTIVE,
        units=units,
        starts_on=fields.pop("starts_on", date(2026, 8, 1)),
        ends_on=fields.pop("ends_on", date(2026, 8, 31)),
        **fields,
    )
    RuleSetVersion.objects.create(
        circular=circular,
        number=2,
        rules=RuleSet(checkin_deadline=deadline).model_dump(mode="json"),
    )
    return circular


def _title(mode, clock):
    # Notices are written in the default language (Indonesian), whatever the test's language.
    with translation.override(settings.LANGUAGE_CODE):
        return _("Attendance today: %(mode)s, deadline %(time)s") % {"mode": mode, "time": clock}


def _titles(cast):
    rows = Notification.objects.filter(kind="attendance.checkin_reminder")
    by_user = {n.recipient_id: n.title for n in rows}
    return {
        name: by_user.get(getattr(cast, name).user_id)
        for name in ("pegawai", "atasan", "peer", "kepala", "admin_opd")
    }


def test_only_published_checkin_modes_with_a_login_are_told(cast):
    entry(cast.pegawai, "WFH")
    entry(cast.atasan, "DUTY")
    entry(cast.peer, "ISOLATION")
    entry(cast.kepala, "WFO", published=False)
    entry(cast.admin_opd, "WFO")
    cast.admin_opd.user.is_active = False
    cast.admin_opd.user.save()
    entry(cast.bkpsdm, "WFA", day=DAY + timedelta(days=1))  # another day
    assert checkin_reminders_send(agency_id=cast.agency.pk, day=DAY) == 1
    titles = _titles(cast)
    assert titles["pegawai"] == _title("WFH", "07:30")
    assert [k for k, v in titles.items() if v] == ["pegawai"]


def test_running_twice_changes_nothing(cast):
    entry(cast.pegawai, "WFO")
    assert checkin_reminders_send(agency_id=cast.agency.pk, day=DAY) == 1
    assert checkin_reminders_send(agency_id=cast.agency.pk, day=DAY) == 0
    assert Notification.objects.filter(recipient=cast.pegawai.user).count() == 1


def test_the_deadline_comes_from_the_circular_for_the_unit(cast):
    _in_force(cast.agency, units=[cast.disdukcapil], deadline=time(8, 0))
    for person in ("pegawai", "atasan", "peer"):
        entry(getattr(cast, person), "WFH")
    checkin_reminders_send(agency_id=cast.agency.pk, day=DAY)
    titles = _titles(cast)
    # Bidang Pelayanan is under Disdukcapil: 08:00; the Secretariat has no circular: 07:30.
    assert titles["pegawai"] == _title("WFH", "08:00")
    assert titles["atasan"] == _title("WFH", "08:00")
    assert titles["peer"] == _title("WFH", "07:30")


def test_a_circular_not_yet_in_force_or_ended_does_not_count(cast):
    _in_force(cast.agency, deadline=time(8, 0), starts_on=DAY + timedelta(days=1))
    _in_force(
        cast.agency,
        deadline=time(8, 15),
        starts_on=date(2026, 7, 1),
        ends_on=DAY - timedelta(days=1),
    )
    draft = make_circular(cast.agency, starts_on=date(2026, 8, 1), ends_on=date(2026, 8, 31))
    assert draft.status == Circular.Status.DRAFT
    entry(cast.pegawai, "WFH")
    checkin_reminders_send(agency_id=cast.agency.pk, day=DAY)
    assert _titles(cast)["pegawai"] == _title("WFH", "07:30")


def test_an_early_start_covers_its_unit_only(cast):
    circular = _in_force(cast.agency, deadline=time(8, 0), starts_on=DAY + timedelta(days=5))
    EarlyStart.objects.create(circular=circular, unit=cast.disdukcapil, starts_on=DAY)
    found = circulars_in_force(cast.agency, DAY)
    assert len(found) == 1
    assert cast.pelayanan.pk in found[0].units
    assert cast.setda.pk not in found[0].units
    assert not found[0].whole_agency
    # The agency-wide rules (the times of the timed jobs) come from that circular or defaults.
    assert agency_rules(cast.agency, DAY).checkin_deadline == time(8, 0)
    assert agency_rules(cast.other_agency, DAY).checkin_deadline == time(7, 30)


def test_nothing_on_a_day_off(cast):
    holiday = date(2026, 8, 17)
    entry(cast.pegawai, "WFH", day=holiday)
    assert checkin_reminders_send(agency_id=cast.agency.pk, day=holiday) == 0
    assert not Notification.objects.exists()
