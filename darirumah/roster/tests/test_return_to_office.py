"""A withdrawn circular's staff back at the office: roster_return_to_office, and the withdraw
step that calls it from the next working day."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from darirumah.core import calendar as calendar_module
from darirumah.notify.models import Notification
from darirumah.org.access import access_for
from darirumah.policy.models import Circular
from darirumah.policy.services import circular_withdraw
from darirumah.policy.tests.factories import make_circular
from darirumah.roster.models import RosterEntry
from darirumah.roster.services import roster_return_to_office

pytestmark = pytest.mark.django_db
FRI, MON, TUE, THU = date(2020, 3, 20), date(2020, 3, 23), date(2020, 3, 24), date(2020, 3, 26)


def enter(employee, day, mode, circular, *, published=True):
    return RosterEntry.objects.create(
        employee=employee,
        date=day,
        mode=mode,
        source="solver",
        published=published,
        circular=circular,
    )


@pytest.fixture
def circular(cast):
    return make_circular(
        cast.agency, status=Circular.Status.ACTIVE, units=[cast.disdukcapil, cast.setda]
    )


def test_home_days_from_the_day_become_office_days_and_the_rest_stays(
    cast, circular, django_capture_on_commit_callbacks
):
    other = make_circular(cast.agency, status=Circular.Status.ACTIVE, units=[cast.bkpsdm_unit])
    e = {
        "before": enter(cast.pegawai, MON, "WFH", circular),
        "wfh": enter(cast.pegawai, TUE, "WFH", circular),
        "wfa": enter(cast.pegawai, THU, "WFA", circular, published=False),
        "isolation": enter(cast.atasan, TUE, "ISOLATION", circular),
        "leave": enter(cast.peer, TUE, "LEAVE", circular),
        "duty": enter(cast.peer, THU, "DUTY", circular),
        "office": enter(cast.kepala, TUE, "WFO", circular),
        "other": enter(cast.bkpsdm, TUE, "WFH", other),
    }
    with django_capture_on_commit_callbacks(execute=True):
        changed = roster_return_to_office(circular=circular, from_day=TUE, actor=cast.pimpinan.user)
    assert changed == 2
    now = {k: RosterEntry.objects.get(pk=v.pk) for k, v in e.items()}
    assert now["wfh"].mode == "WFO" and now["wfh"].published
    assert now["wfa"].mode == "WFO" and not now["wfa"].published
    assert now["wfh"].source == "manual"
    assert now["wfh"].reason == f"Surat edaran {circular.number} dicabut"  # default language
    assert now["wfh"].changed_by == cast.pimpinan.user
    latest = now["wfh"].history.order_by("-history_date", "-history_id").first()
    assert (latest.mode, latest.history_user) == ("WFO", cast.pimpinan.user)
    assert now["before"].mode == "WFH"  # before the day
    assert [now[k].mode for k in ("isolation", "leave", "duty", "office", "other")] == [
        "ISOLATION",
        "LEAVE",
        "DUTY",
        "WFO",
        "WFH",
    ]
    # The person is told once, for both days; nobody else is.
    told = Notification.objects.filter(kind="roster.returned_to_office")
    assert list(told.values_list("recipient", flat=True)) == [cast.pegawai.user_id]
    assert told.get().link == f"{reverse('my_schedule')}?month=2020-03"


def test_running_it_again_changes_nothing_and_tells_nobody_twice(
    cast, circular, django_capture_on_commit_callbacks
):
    enter(cast.pegawai, TUE, "WFH", circular)
    with django_capture_on_commit_callbacks(execute=True):
        assert roster_return_to_office(circular=circular, from_day=TUE, actor=None) == 1
        assert roster_return_to_office(circular=circular, from_day=TUE, actor=None) == 0
    assert Notification.objects.filter(kind="roster.returned_to_office").count() == 1


def test_withdrawing_on_friday_sends_staff_back_from_monday(
    cast, circular, monkeypatch, django_capture_on_commit_callbacks
):
    # Friday 20 March 2020, 10:00 WIB: the next working day is Monday the 23rd.
    moment = datetime(2020, 3, 20, 3, 0, tzinfo=UTC)
    monkeypatch.setattr(calendar_module, "utcnow", lambda: moment)
    friday = enter(cast.pegawai, FRI, "WFH", circular)
    monday = enter(cast.pegawai, MON, "WFH", circular)
    isolated = enter(cast.atasan, MON, "ISOLATION", circular)
    with django_capture_on_commit_callbacks(execute=True):
        circular_withdraw(
            access=access_for(cast.bkpsdm.user), circular=circular, note="Tidak efektif"
        )
    circular.refresh_from_db()
    assert (circular.status, circular.ends_on) == (Circular.Status.WITHDRAWN, FRI)
    assert RosterEntry.objects.get(pk=friday.pk).mode == "WFH"
    assert RosterEntry.objects.get(pk=monday.pk).mode == "WFO"
    assert RosterEntry.objects.get(pk=isolated.pk).mode == "ISOLATION"
