"""The job-runs page and API: the operator sees every agency, BKPSDM their own, others nobody."""

from datetime import UTC, datetime

import pytest

from darirumah.conftest import client_for, text
from darirumah.jobs.models import JobRun
from darirumah.jobs.registry import CHECKIN_REMINDER

from .conftest import DAY


@pytest.fixture
def runs(cast):
    at = datetime(2026, 8, 18, 0, 0, tzinfo=UTC)
    mine = JobRun.objects.create(
        name=CHECKIN_REMINDER,
        agency=cast.agency,
        local_date=DAY,
        queued_at=at,
        started_at=at,
        finished_at=at,
        status=JobRun.Status.DONE,
        result="3",
    )
    theirs = JobRun.objects.create(
        name="attendance.daily_recap",
        agency=cast.other_agency,
        local_date=DAY,
        queued_at=at,
        status=JobRun.Status.FAILED,
        error="RuntimeError: boom",
    )
    return mine, theirs


def _ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["items"]}


def test_api_operator_sees_all_bkpsdm_their_own(cast, runs):
    mine, theirs = runs
    url = "/api/v1/jobs/runs"
    assert _ids(client_for(cast.operator).get(url)) == {mine.pk, theirs.pk}
    assert _ids(client_for(cast.operator).get(url, {"agency_id": cast.other_agency.pk})) == {
        theirs.pk
    }
    assert _ids(client_for(cast.bkpsdm.user).get(url)) == {mine.pk}
    assert _ids(client_for(cast.outsider_bkpsdm.user).get(url)) == {theirs.pk}
    # Another agency is not there for BKPSDM.
    response = client_for(cast.bkpsdm.user).get(url, {"agency_id": cast.other_agency.pk})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    for person in (cast.pegawai, cast.pimpinan, cast.admin_opd):
        assert client_for(person.user).get(url).status_code == 403


def test_api_row_shows_times_in_the_agency_zone(cast, runs):
    cast.agency.zone = "WIT"
    cast.agency.save()
    row = client_for(cast.bkpsdm.user).get("/api/v1/jobs/runs").json()["items"][0]
    assert row["name"] == CHECKIN_REMINDER
    assert row["label"] == "Check-in reminder"
    assert row["local_date"] == "2026-08-18"
    assert row["status"] == "done"
    assert row["started_at"] == "2026-08-18T09:00:00+09:00"
    assert row["result"] == "3"


def test_api_bad_agency_id_is_a_clear_error(cast, runs):
    response = client_for(cast.operator).get("/api/v1/jobs/runs", {"agency_id": "x"})
    assert response.status_code == 422
    assert "error" in response.json()


def test_page_lists_runs_per_agency(browse, cast, runs):
    page = text(browse(cast.operator).get("/jobs/"))
    assert cast.agency.name in page and cast.other_agency.name in page
    assert "Check-in reminder" in page
    assert "RuntimeError: boom" in page
    assert "07:00:00" in page  # 00:00 UTC in WIB
    mine = text(browse(cast.bkpsdm.user).get("/jobs/"))
    assert cast.agency.name in mine and cast.other_agency.name not in mine
    picked = text(browse(cast.operator).get("/jobs/", {"agency": cast.other_agency.pk}))
    assert "RuntimeError: boom" in picked
    assert f'<td><span title="{CHECKIN_REMINDER}">' in page
    assert f'<td><span title="{CHECKIN_REMINDER}">' not in picked


def test_page_refuses_others_and_bad_input(browse, cast, runs):
    assert browse(cast.pegawai.user).get("/jobs/").status_code == 403
    assert browse(cast.pimpinan.user).get("/jobs/").status_code == 403
    assert browse(cast.bkpsdm.user).get("/jobs/", {"agency": "abc"}).status_code == 404
    assert (
        browse(cast.bkpsdm.user).get("/jobs/", {"agency": cast.other_agency.pk}).status_code == 404
    )


def test_page_when_nothing_ran(browse, cast):
    page = text(browse(cast.bkpsdm.user).get("/jobs/"))
    assert "No job has run yet" in page
