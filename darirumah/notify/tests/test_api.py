"""The notification endpoints: one's own inbox only."""

import pytest

from darirumah.conftest import client_for
from darirumah.notify.models import Notification
from darirumah.notify.tests.factories import make_notification

pytestmark = pytest.mark.django_db


def test_the_list_shows_only_ones_own_newest_first(cast):
    old = make_notification(cast.pegawai.user, title="Lama", read=True)
    new = make_notification(cast.pegawai.user, title="Baru")
    make_notification(cast.peer.user, title="Milik orang lain")
    body = client_for(cast.pegawai.user).get("/api/v1/notifications").json()
    assert body["count"] == 2
    assert [(n["id"], n["unread"]) for n in body["items"]] == [(new.pk, True), (old.pk, False)]
    item = body["items"][0]
    assert item["kind"] == "roster.published" and item["link"] == "/roster/me/"
    assert item["created_at"].endswith("+07:00")  # the agency's zone (WIB)


def test_unread_filter_and_pagination(cast):
    for i in range(3):
        make_notification(cast.pegawai.user, title=f"n{i}")
    make_notification(cast.pegawai.user, title="dibaca", read=True)
    client = client_for(cast.pegawai.user)
    unread = client.get("/api/v1/notifications?unread=true").json()
    assert unread["count"] == 3 and all(n["unread"] for n in unread["items"])
    page = client.get("/api/v1/notifications?page=2&page_size=3").json()
    assert page["count"] == 4 and [n["title"] for n in page["items"]] == ["n0"]  # the oldest
    bad = client.get("/api/v1/notifications?unread=maybe")
    assert bad.status_code == 422 and "unread" in bad.json()["error"]["fields"]


def test_reading_one(cast):
    mine = make_notification(cast.pegawai.user)
    client = client_for(cast.pegawai.user)
    response = client.post(f"/api/v1/notifications/{mine.pk}/read")
    assert response.status_code == 200
    assert response.json()["unread"] is False and response.json()["read_at"]
    mine.refresh_from_db()
    assert mine.read_at is not None
    # Reading it again keeps the first time.
    first = mine.read_at
    assert client.post(f"/api/v1/notifications/{mine.pk}/read").status_code == 200
    mine.refresh_from_db()
    assert mine.read_at == first


def test_another_persons_notice_is_not_found(cast):
    theirs = make_notification(cast.peer.user)
    response = client_for(cast.pegawai.user).post(f"/api/v1/notifications/{theirs.pk}/read")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    theirs.refresh_from_db()
    assert theirs.read_at is None
    # Even BKPSDM, who sees every employee of the agency, does not read their inbox.
    response = client_for(cast.bkpsdm.user).post(f"/api/v1/notifications/{theirs.pk}/read")
    assert response.status_code == 404


def test_read_all_marks_only_ones_own(cast):
    make_notification(cast.pegawai.user)
    make_notification(cast.pegawai.user)
    make_notification(cast.peer.user)
    response = client_for(cast.pegawai.user).post("/api/v1/notifications/read-all")
    assert response.json() == {"marked": 2, "unread": 0}
    assert Notification.objects.filter(read_at__isnull=True).get().recipient == cast.peer.user
