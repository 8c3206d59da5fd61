"""The inbox page and the navbar's bell."""

import pytest
from django.urls import reverse

from darirumah.conftest import text
from darirumah.notify.models import Notification
from darirumah.notify.tests.factories import make_notification

pytestmark = pytest.mark.django_db


def test_the_inbox_lists_ones_own_with_unread_highlighted(browse, cast):
    make_notification(cast.pegawai.user, title="Belum dibaca")
    make_notification(cast.pegawai.user, title="Sudah dibaca", read=True)
    make_notification(cast.peer.user, title="Milik orang lain")
    page = text(browse(cast.pegawai.user).get(reverse("notification_list")))
    assert "Belum dibaca" in page and "Sudah dibaca" in page
    assert "Milik orang lain" not in page
    assert page.count("list-group-item-primary") == 1
    assert "Mark all as read" in page
    only_unread = text(browse(cast.pegawai.user).get(reverse("notification_list"), {"unread": "1"}))
    assert "Belum dibaca" in only_unread and "Sudah dibaca" not in only_unread


def test_the_bell_counts_unread(browse, cast):
    client = browse(cast.pegawai.user)
    page = text(client.get(reverse("home")))
    assert 'id="nav-bell"' in page and "text-bg-danger" not in page
    make_notification(cast.pegawai.user)
    make_notification(cast.pegawai.user)
    make_notification(cast.pegawai.user, read=True)
    page = text(client.get(reverse("home")))
    assert '<span class="badge rounded-pill text-bg-danger">2<' in page


def test_opening_a_notice_marks_it_read_and_follows_its_link(browse, cast):
    notice = make_notification(cast.pegawai.user, link="/roster/me/?month=2026-08")
    client = browse(cast.pegawai.user)
    response = client.post(reverse("notification_read", args=[notice.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/roster/me/?month=2026-08"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_mark_read_and_mark_all(browse, cast):
    first = make_notification(cast.pegawai.user)
    make_notification(cast.pegawai.user)
    theirs = make_notification(cast.peer.user)
    client = browse(cast.pegawai.user)
    response = client.post(reverse("notification_read", args=[first.pk]))
    assert response["Location"] == reverse("notification_list")
    assert Notification.objects.filter(recipient=cast.pegawai.user, read_at=None).count() == 1
    assert client.post(reverse("notification_read", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("notification_read_all"), follow=True)
    assert "1 notification marked as read." in text(response)
    assert not Notification.objects.filter(recipient=cast.pegawai.user, read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_needs_post(browse, cast):
    notice = make_notification(cast.pegawai.user)
    client = browse(cast.pegawai.user)
    assert client.get(reverse("notification_read", args=[notice.pk])).status_code == 405
    assert client.get(reverse("notification_read_all")).status_code == 405
    notice.refresh_from_db()
    assert notice.read_at is None


def test_an_empty_inbox_and_a_page_out_of_range(browse, cast):
    page = text(browse(cast.pegawai.user).get(reverse("notification_list"), {"page": "99x"}))
    assert "No notifications yet." in page
