"""The staff's own schedule page and request form."""

from datetime import date

import pytest
from django.urls import reverse

from darirumah.conftest import text
from darirumah.roster.models import RosterEntry, RosterRequest

pytestmark = pytest.mark.django_db


def test_my_schedule_shows_published_days_only(browse, cast):
    RosterEntry.objects.create(
        employee=cast.pegawai, date=date(2026, 8, 18), mode="WFH", source="solver", published=True
    )
    RosterEntry.objects.create(
        employee=cast.pegawai, date=date(2026, 8, 19), mode="WFO", source="solver"
    )
    page = text(browse(cast.pegawai.user).get(reverse("my_schedule"), {"month": "2026-08"}))
    # Each label also stands once in the request form's choices.
    assert page.count("At home (WFH)") == 2
    assert page.count("At the office (WFO)") == 1  # planned but not yet published
    assert "not planned" in page
    assert "Mon 17 Aug" not in page  # Independence Day is not a working day
    assert "Tue 18 Aug" in page


def test_a_request_from_the_page_reaches_the_inbox(browse, cast):
    client = browse(cast.pegawai.user)
    response = client.post(
        reverse("my_request"), {"date": "2026-08-18", "mode": "WFH", "reason": "anak sakit"}
    )
    assert response.status_code == 302
    assert RosterRequest.objects.get().employee == cast.pegawai
    page = text(client.get(reverse("my_schedule"), {"month": "2026-08"}))
    assert "Pending" in page


def test_a_holiday_request_is_shown_back_with_the_reason(browse, cast):
    response = browse(cast.pegawai.user).post(
        reverse("my_request"), {"date": "2026-08-17", "mode": "WFH", "reason": "x"}
    )
    assert response.status_code == 200
    assert "not a working day" in text(response)
    assert not RosterRequest.objects.exists()


def test_someone_without_an_employee_record_has_no_schedule(browse, cast):
    page = text(browse(cast.operator).get(reverse("my_schedule")))
    assert "Only employees have a work schedule." in page


def _ask(cast):
    return RosterRequest.objects.create(
        employee=cast.pegawai, date=date(2026, 8, 18), mode="WFH", reason="anak sakit"
    )


def test_the_head_answers_from_the_inbox(browse, cast):
    request = _ask(cast)
    client = browse(cast.kepala.user)
    inbox = text(client.get(reverse("request_inbox")))
    assert "Pegawai Pelayanan" in inbox and "anak sakit" in inbox
    client.post(reverse("request_decide", kwargs={"pk": request.pk}), {"approve": "1"})
    request.refresh_from_db()
    assert request.status == RosterRequest.Status.APPROVED
    assert RosterEntry.objects.get(employee=cast.pegawai).mode == "WFH"
    assert "No requests are waiting for you." in text(client.get(reverse("request_inbox")))


def test_refusing_without_a_note_is_refused(browse, cast):
    request = _ask(cast)
    client = browse(cast.kepala.user)
    page = text(
        client.post(
            reverse("request_decide", kwargs={"pk": request.pk}), {"approve": "0"}, follow=True
        )
    )
    assert "Say why the request is refused." in page
    request.refresh_from_db()
    assert request.status == RosterRequest.Status.PENDING


def test_a_supervisor_who_does_not_arrange_the_unit_sees_an_empty_inbox(browse, cast):
    _ask(cast)
    inbox = text(browse(cast.atasan.user).get(reverse("request_inbox")))
    assert "Pegawai Pelayanan" not in inbox
