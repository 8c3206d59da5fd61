"""The roster tells staff: a published schedule, an answered request."""

import json
from datetime import date

import pytest

from darirumah.conftest import client_for
from darirumah.notify.models import Notification
from darirumah.org.access import access_for
from darirumah.org.tests.factories import EmployeeFactory
from darirumah.roster import services
from darirumah.roster.models import RosterEntry

pytestmark = pytest.mark.django_db
WEEK = [date(2026, 8, d) for d in (18, 19, 20, 21)]  # 17 August is a holiday


def _publish(cast, start="2026-08-17", end="2026-08-21"):
    return client_for(cast.kepala.user).post(
        "/api/v1/roster/publish",
        json.dumps({"unit": cast.disdukcapil.pk, "start": start, "end": end}),
        content_type="application/json",
    )


def test_publishing_tells_each_affected_person_once(cast, django_capture_on_commit_callbacks):
    no_login = EmployeeFactory(unit=cast.pelayanan, user=None)
    for day in WEEK:
        RosterEntry.objects.create(employee=cast.pegawai, date=day, mode="WFH", source="solver")
        RosterEntry.objects.create(employee=no_login, date=day, mode="WFO", source="solver")
    # Already published: not changed by this publish.
    RosterEntry.objects.create(
        employee=cast.atasan, date=WEEK[0], mode="WFO", source="solver", published=True
    )
    # Another unit, not part of the publish.
    RosterEntry.objects.create(employee=cast.peer, date=WEEK[0], mode="WFH", source="solver")
    RosterEntry.objects.create(employee=cast.admin_opd, date=WEEK[1], mode="WFO", source="solver")
    with django_capture_on_commit_callbacks(execute=True):
        assert _publish(cast).json() == {"published": 9}
    notices = list(Notification.objects.all())
    assert sorted(n.recipient_id for n in notices) == sorted(
        [cast.pegawai.user_id, cast.admin_opd.user_id]
    )
    mine = Notification.objects.get(recipient=cast.pegawai.user)
    assert mine.kind == "roster.published"
    assert mine.link == "/roster/me/?month=2026-08"
    assert "4" in mine.body and "18" in mine.body and "21" in mine.body
    assert mine.agency_id == cast.agency.pk
    single = Notification.objects.get(recipient=cast.admin_opd.user)
    assert "19" in single.body and "4" not in single.body
    # Publishing again changes no day and tells nobody.
    with django_capture_on_commit_callbacks(execute=True):
        assert _publish(cast).json() == {"published": 0}
    assert Notification.objects.count() == 2


def test_nobody_is_told_when_the_publish_is_refused(cast, django_capture_on_commit_callbacks):
    RosterEntry.objects.create(employee=cast.pegawai, date=WEEK[0], mode="WFH", source="solver")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.pegawai.user).post(
            "/api/v1/roster/publish",
            json.dumps({"unit": cast.disdukcapil.pk, "start": "2026-08-17", "end": "2026-08-21"}),
            content_type="application/json",
        )
    assert response.status_code == 403
    assert not Notification.objects.exists()


@pytest.mark.parametrize("approve", [True, False])
def test_the_requester_hears_the_answer(cast, approve, django_capture_on_commit_callbacks):
    request = services.roster_request_create(
        access=access_for(cast.pegawai.user), day=WEEK[0], mode="WFH", reason="anak sakit"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.roster_request_decide(
            access=access_for(cast.kepala.user),
            request=request,
            approve=approve,
            note="Loket kekurangan petugas",
        )
    notice = Notification.objects.get()
    assert notice.recipient == cast.pegawai.user
    assert notice.kind == "roster.request_decided"
    assert notice.key == f"roster.request_decided:{request.pk}"
    assert "Loket kekurangan petugas" in notice.body
    assert "18" in notice.title
    assert notice.link == "/roster/me/?month=2026-08"
    # Written in the default language (Indonesian once translated; the msgid until then).
    words = ("approved", "disetujui") if approve else ("refused", "ditolak")
    assert any(word in notice.title.lower() for word in words)
