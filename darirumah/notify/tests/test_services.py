"""notify(): the inbox, e-mail, deduplication, channel failures; mark_read."""

import pytest
from django.core import mail
from django.utils.translation import gettext_lazy

from darirumah.notify import services, tasks
from darirumah.notify.models import Notification
from darirumah.notify.services import Channel, notify
from darirumah.org.access import access_for

pytestmark = pytest.mark.django_db


def _send(people, **kwargs):
    defaults = {"kind": "test.hello", "title": "Halo", "body": "Isi pesan", "link": "/roster/me/"}
    return notify(people, **{**defaults, **kwargs})


def test_each_person_gets_one_inbox_row_with_their_agency(cast):
    told = _send([cast.pegawai.user, cast.pegawai, cast.outsider, cast.operator])
    assert told == 3  # the user and the employee are the same person
    rows = {n.recipient_id: n for n in Notification.objects.all()}
    assert set(rows) == {cast.pegawai.user_id, cast.outsider.user_id, cast.operator.pk}
    assert rows[cast.pegawai.user_id].agency_id == cast.agency.pk
    assert rows[cast.outsider.user_id].agency_id == cast.other_agency.pk
    assert rows[cast.operator.pk].agency_id is None
    row = rows[cast.pegawai.user_id]
    assert (row.kind, row.title, row.body, row.link) == (
        "test.hello",
        "Halo",
        "Isi pesan",
        "/roster/me/",
    )
    assert row.read_at is None and row.created_at is not None


def test_the_same_key_twice_changes_nothing(cast):
    first = _send([cast.pegawai, cast.peer], key="attendance.reminder:2026-08-18")
    second = _send([cast.pegawai, cast.peer, cast.atasan], key="attendance.reminder:2026-08-18")
    assert (first, second) == (2, 1)  # only the newcomer is told the second time
    assert Notification.objects.filter(recipient=cast.pegawai.user).count() == 1
    assert Notification.objects.count() == 3
    # Without a key, every call is a new notice.
    _send([cast.pegawai])
    _send([cast.pegawai])
    assert Notification.objects.filter(recipient=cast.pegawai.user).count() == 3


def test_the_database_drops_a_repeated_key_even_when_the_precheck_is_skipped(cast):
    """Two runs at once both pass the pre-check; the unique constraint keeps one row."""
    recipients = services._recipients([cast.pegawai], "job:1")
    notice = services.Notice(kind="test.race", title="t", body="b", key="job:1")
    services.InboxChannel().deliver(recipients, notice)
    services.InboxChannel().deliver(recipients, notice)
    assert Notification.objects.filter(key="job:1").count() == 1


def test_email_goes_to_those_with_an_address(cast, settings):
    settings.SITE_URL = "https://wfh.example.go.id"
    cast.pegawai.user.email = "pegawai@example.go.id"
    cast.pegawai.user.save()
    cast.peer.email = "peer@example.go.id"  # only on the employee record
    cast.peer.save()
    told = _send([cast.pegawai, cast.peer, cast.atasan])
    assert told == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["peer@example.go.id", "pegawai@example.go.id"]
    message = mail.outbox[0]
    assert message.subject == "Halo"
    assert "Isi pesan" in message.body
    assert "https://wfh.example.go.id/roster/me/" in message.body
    assert Notification.objects.count() == 3  # the inbox still has everyone


def test_a_repeated_key_sends_no_second_email(cast):
    cast.pegawai.user.email = "pegawai@example.go.id"
    cast.pegawai.user.save()
    _send([cast.pegawai], key="k")
    _send([cast.pegawai], key="k")
    assert len(mail.outbox) == 1


def test_inbox_only(cast):
    cast.pegawai.user.email = "pegawai@example.go.id"
    cast.pegawai.user.save()
    _send([cast.pegawai], channels=("inbox",))
    assert mail.outbox == []
    assert Notification.objects.count() == 1


class Broken(Channel):
    name = "broken"

    def deliver(self, recipients, notice):
        raise RuntimeError("gateway down")


class Recording(Channel):
    name = "recording"

    def __init__(self):
        self.seen = []

    def deliver(self, recipients, notice):
        self.seen += [(r.user.pk, notice.title) for r in recipients]


@pytest.fixture
def extra_channels():
    recording = services.register_channel(Recording())
    services.register_channel(Broken())
    yield recording
    services.CHANNELS.pop("broken")
    services.CHANNELS.pop("recording")


def test_a_failing_channel_does_not_break_the_others(cast, extra_channels, caplog):
    cast.pegawai.user.email = "pegawai@example.go.id"
    cast.pegawai.user.save()
    told = _send([cast.pegawai], channels=("broken", "inbox", "email", "recording"))
    assert told == 1
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1
    assert extra_channels.seen == [(cast.pegawai.user_id, "Halo")]
    assert "gateway down" in caplog.text


def test_a_failing_mail_server_does_not_touch_the_caller(cast, settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    cast.pegawai.user.email = "pegawai@example.go.id"
    cast.pegawai.user.save()
    assert _send([cast.pegawai]) == 1  # the e-mail job fails on the job runner, not here
    assert Notification.objects.count() == 1
    with pytest.raises(OSError):  # so that the job runner retries it later
        tasks.send_emails.call_local("x.y", "Halo", "Isi", [(cast.pegawai.user_id, "a@b.id")])


def test_email_is_sent_by_the_job_runner_not_in_the_request(cast, monkeypatch):
    cast.pegawai.user.email = "pegawai@example.go.id"
    cast.pegawai.user.save()
    queued = []
    monkeypatch.setattr(tasks, "send_emails", lambda *args: queued.append(args))
    assert _send([cast.pegawai]) == 1
    assert mail.outbox == []  # nothing was sent by the caller: one job was queued
    ((kind, subject, text, people),) = queued
    assert people == [(cast.pegawai.user_id, "pegawai@example.go.id")]
    assert services.send_emails(kind=kind, subject=subject, text=text, people=people) == 1
    assert [m.to for m in mail.outbox] == [["pegawai@example.go.id"]]


def test_one_refused_address_does_not_stop_the_others(cast, monkeypatch, caplog):
    sent = []

    def send(message, *args, **kwargs):
        if message.to == ["bad@example.go.id"]:
            raise ValueError("refused")
        sent.append(message.to[0])
        return 1

    monkeypatch.setattr(services.EmailMessage, "send", send)
    people = [(1, "bad@example.go.id"), (2, "good@example.go.id")]
    assert services.send_emails(kind="x.y", subject="S", text="T", people=people) == 1
    assert sent == ["good@example.go.id"] and "to user 1 failed" in caplog.text


def test_lazy_strings_are_written_in_the_default_language(cast, settings):
    settings.LANGUAGE_CODE = "id"
    # Django's own catalog has "Home" in Indonesian; the test itself runs under English.
    _send([cast.pegawai], title=gettext_lazy("Home"), body=gettext_lazy("Home"))
    row = Notification.objects.get()
    assert row.title == "Beranda" and row.body == "Beranda"


def test_titles_are_one_line_and_inactive_people_are_skipped(cast):
    cast.peer.is_active = False
    cast.peer.save()
    assert _send([cast.pegawai, cast.peer], title="Dua\nbaris\r\n  judul") == 1
    assert Notification.objects.get().title == "Dua baris judul"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"link": "https://evil.example.com/"},
        {"link": "//evil.example.com/"},
        {"link": "javascript:alert(1)"},
        {"kind": "Not a slug"},
        {"channels": ("sms",)},
        {"key": ""},
    ],
)
def test_wrong_arguments_are_a_programming_error(cast, kwargs):
    with pytest.raises(ValueError):
        _send([cast.pegawai], **kwargs)
    assert not Notification.objects.exists()


def test_mark_read_touches_only_the_callers_notices(cast):
    _send([cast.pegawai, cast.peer])
    _send([cast.pegawai])
    mine = list(Notification.objects.filter(recipient=cast.pegawai.user))
    theirs = Notification.objects.get(recipient=cast.peer.user)
    me = access_for(cast.pegawai.user)
    assert services.mark_read(access=me, ids=[mine[0].pk, theirs.pk]) == 1
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert services.mark_read(access=me, ids="all") == 1
    assert services.mark_read(access=me, ids="all") == 0
    assert not Notification.objects.filter(recipient=cast.pegawai.user, read_at=None).exists()
