"""The contacts endpoints: the ranked trace of a confirmed case (who may read it, with a reason,
logged), and marking close contacts — each gets a CloseContact and an isolation whose working
days the roster holds as ISOLATION; the absence job then excuses those days."""

from datetime import date

import pytest

from darirumah.attendance.models import Attendance
from darirumah.attendance.services.records import attendance_mark_absent
from darirumah.conftest import client_for
from darirumah.health.models import CloseContact, HealthAccessLog, Isolation
from darirumah.notify.models import Notification
from darirumah.org.models import Unit
from darirumah.roster.models import RosterEntry

from .test_tracing_trace import REASON, colleague, confirmed_case, d, on_site

P = "/api/v1"


@pytest.fixture(autouse=True)
def _clock(clock):
    return clock  # Wednesday 19 August 2026, 10:00 WIB


@pytest.fixture
def scene(cast):
    """A confirmed case (onset 19 Aug) with three colleagues at the office on its days."""
    patient = colleague(cast, "Kasus Pertama")
    on_site(patient, d(10), d(11), d(18))
    ani = colleague(cast, "Ani")
    on_site(ani, d(10), d(11), d(18))
    budi = colleague(cast, "Budi", unit=cast.bkpsdm_unit)
    on_site(budi, d(11))
    citra = colleague(cast, "Citra")
    on_site(citra, d(18))
    case = confirmed_case(cast, patient)
    return {"case": case, "patient": patient, "ani": ani, "budi": budi, "citra": citra}


def contacts_url(case) -> str:
    return f"{P}/health/cases/{case.pk}/contacts"


def mark(user, case, **body):
    body.setdefault("reason", REASON)
    return client_for(user).post(contacts_url(case), body, content_type="application/json")


# --- reading the trace ----------------------------------------------------------------------


def test_the_officer_reads_the_ranked_trace_with_a_reason_and_it_is_logged(cast, scene):
    response = client_for(cast.kesehatan.user).get(contacts_url(scene["case"]), {"reason": REASON})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["reference_date"], body["start"], body["end"]) == (
        "2026-08-19",
        "2026-08-05",
        "2026-08-19",
    )
    assert body["case_days"] == ["2026-08-10", "2026-08-11", "2026-08-18"]
    assert [(c["name"], c["group"], c["count"], c["last_day"]) for c in body["contacts"]] == [
        ("Ani", "unit", 3, "2026-08-18"),
        ("Citra", "unit", 1, "2026-08-18"),
        ("Budi", "office", 1, "2026-08-11"),
    ]
    assert body["contacts"][0]["employee_id"] == scene["ani"].pk
    assert body["contacts"][0]["unit_name"] == "Sekretariat Daerah"
    line = HealthAccessLog.objects.get()
    assert (line.action, line.reason) == ("trace", REASON)


def test_the_reason_may_come_in_the_header(cast, scene):
    response = client_for(cast.kesehatan.user).get(
        contacts_url(scene["case"]), HTTP_X_ACCESS_REASON=REASON
    )
    assert response.status_code == 200
    assert HealthAccessLog.objects.get().reason == REASON


def test_without_a_reason_nothing_is_shown(cast, scene):
    response = client_for(cast.kesehatan.user).get(contacts_url(scene["case"]))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "reason_required"
    assert not HealthAccessLog.objects.exists()


def test_who_may_trace(cast, scene):
    url = contacts_url(scene["case"])
    for user, status in (
        (cast.pimpinan.user, 403),
        (cast.bkpsdm.user, 403),
        (cast.kepala.user, 403),
        (cast.outsider_bkpsdm.user, 404),
        (cast.operator, 404),
    ):
        assert client_for(user).get(url, {"reason": REASON}).status_code == status, user
    # The head of BKPSDM reads names.
    Unit.objects.filter(pk=cast.bkpsdm_unit.pk).update(head=cast.bkpsdm)
    head = client_for(cast.bkpsdm.user).get(url, {"reason": REASON})
    assert head.status_code == 200 and len(head.json()["contacts"]) == 3
    # …but only health officers mark close contacts.
    assert mark(cast.bkpsdm.user, scene["case"], employees=[scene["ani"].pk]).status_code == 403


def test_a_case_that_is_not_confirmed_is_refused(cast, scene):
    case = confirmed_case(cast, colleague(cast, "Suspek"), status="suspect")
    response = client_for(cast.kesehatan.user).get(contacts_url(case), {"reason": REASON})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "not_confirmed" and "confirmed cases only" in error["message"]


# --- marking close contacts -----------------------------------------------------------------


def test_marking_creates_contacts_isolations_and_isolation_days(
    cast, scene, django_capture_on_commit_callbacks
):
    ani, budi = scene["ani"], scene["budi"]
    with django_capture_on_commit_callbacks(execute=True):
        response = mark(cast.kesehatan.user, scene["case"], employees=[ani.pk, budi.pk])
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["skipped"] == []
    contact = CloseContact.objects.get(employee=ani)
    assert (contact.group, contact.shared_days, contact.last_contact_on) == (
        "unit",
        ["2026-08-10", "2026-08-11", "2026-08-18"],
        d(18),
    )
    assert contact.marked_by == cast.kesehatan.user
    iso = Isolation.objects.get(employee=ani)
    assert (iso.starts_on, iso.ends_on, iso.reason, iso.case, iso.contact) == (
        d(19),
        date(2026, 9, 1),  # 14 days, today included
        "contact",
        scene["case"],
        contact,
    )
    assert {i["employee"]["id"] for i in body["isolations"]} == {ani.pk, budi.pk}
    assert {i["status"] for i in body["isolations"]} == {"active"}
    days = RosterEntry.objects.filter(employee=ani).order_by("date")
    assert [e.date.day for e in days][:4] == [19, 20, 21, 24]
    assert {(e.mode, e.source, e.published) for e in days} == {("ISOLATION", "health", True)}
    notice = Notification.objects.get(recipient=ani.user)
    assert notice.kind == "health.isolation"
    assert notice.link == f"/health/isolations/{iso.pk}/"
    text = f"{notice.title} {notice.body}".lower()
    for word in ("contact", "kontak", "positive", "positif", "confirmed", "terkonfirmasi"):
        assert word not in text  # the dates only, never the diagnosis
    actions = list(HealthAccessLog.objects.values_list("action", "subject"))
    assert ("create", f"case:{scene['case'].pk}:contacts") in actions
    assert actions.count(("create", f"isolation:{iso.pk}")) == 1


def test_marking_with_a_start_and_a_length_and_again_skips_the_marked(cast, scene):
    ani = scene["ani"]
    first = mark(
        cast.kesehatan.user, scene["case"], employees=[ani.pk], starts_on="2026-08-20", days=5
    )
    assert first.status_code == 201
    iso = Isolation.objects.get(employee=ani)
    assert (iso.starts_on, iso.ends_on) == (d(20), d(24))
    again = mark(cast.kesehatan.user, scene["case"], employees=[ani.pk, scene["citra"].pk])
    assert again.status_code == 201
    assert again.json()["skipped"] == [ani.pk]
    assert CloseContact.objects.count() == 2 and Isolation.objects.count() == 2
    trace = client_for(cast.kesehatan.user).get(contacts_url(scene["case"]), {"reason": REASON})
    assert {c["name"]: c["marked"] for c in trace.json()["contacts"]} == {
        "Ani": True,
        "Citra": True,
        "Budi": False,
    }


def test_only_traced_colleagues_can_be_marked(cast, scene):
    stranger = colleague(cast, "Tidak Pernah Bertemu")
    response = mark(cast.kesehatan.user, scene["case"], employees=[scene["ani"].pk, stranger.pk])
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "not_traced"
    assert "Tidak Pernah Bertemu" in error["message"] and "Ani" not in error["message"]
    assert "employees" in error["fields"]
    assert not CloseContact.objects.exists() and not Isolation.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"employees": []}, "employees"),
        ({"days": 0}, "days"),
        ({"days": 61}, "days"),
        ({"starts_on": "2026-08-01"}, "starts_on"),  # more than 14 days ago
        ({"reason": "cek"}, "reason"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(cast, scene, body, field):
    body = {"employees": [scene["ani"].pk], **body}
    response = mark(cast.kesehatan.user, scene["case"], **body)
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert not CloseContact.objects.exists() and not Isolation.objects.exists()


def test_someone_already_isolating_stops_the_whole_marking(cast, scene):
    Isolation.objects.create(
        agency=cast.agency,
        employee=scene["budi"],
        starts_on=d(14),
        ends_on=d(21),
        reason="symptoms",
    )
    response = mark(
        cast.kesehatan.user, scene["case"], employees=[scene["ani"].pk, scene["budi"].pk]
    )
    assert response.status_code == 409
    assert "Budi is already in isolation" in response.json()["error"]["message"]
    assert not CloseContact.objects.exists()
    assert Isolation.objects.count() == 1
    assert not RosterEntry.objects.filter(employee=scene["ani"]).exists()


def test_the_absence_job_excuses_isolation_days(cast, scene):
    ani, citra = scene["ani"], scene["citra"]
    response = mark(cast.kesehatan.user, scene["case"], employees=[ani.pk], starts_on="2026-08-18")
    assert response.status_code == 201
    # Neither checked in on Tuesday 18 Aug for this purpose: clear their rows of that day.
    Attendance.objects.filter(employee__in=[ani, citra], date=d(18)).delete()
    attendance_mark_absent(agency=cast.agency, day=d(18))
    mine = Attendance.objects.get(employee=ani, date=d(18))
    assert (mine.status, mine.expected_mode, mine.reason) == ("excused", "ISOLATION", "ISOLATION")
    assert Attendance.objects.get(employee=citra, date=d(18)).status == "absent"
