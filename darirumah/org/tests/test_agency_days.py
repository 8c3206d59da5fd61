"""Removing an agency's own calendar day: the service and DELETE /agencies/{id}/calendar/{date}."""

from datetime import date

import pytest

from darirumah.conftest import client_for
from darirumah.core.calendar import calendar_for
from darirumah.core.errors import NotAllowed
from darirumah.org import services
from darirumah.org.access import access_for
from darirumah.org.models import AgencyDay

INDEPENDENCE_DAY = date(2026, 8, 17)


def url(agency, day: str) -> str:
    return f"/api/v1/agencies/{agency.pk}/calendar/{day}"


@pytest.fixture
def working_on_independence_day(cast):
    """The agency declared 17 August 2026 (a national holiday) a working day."""
    return services.agency_day_set(
        access=access_for(cast.bkpsdm.user),
        agency=cast.agency,
        date=INDEPENDENCE_DAY,
        kind="on",
        name="Pelayanan tetap buka",
    )


def test_removing_a_day_restores_the_national_calendar(cast, working_on_independence_day):
    assert calendar_for(cast.agency).is_working_day(INDEPENDENCE_DAY)
    services.agency_day_delete(access=access_for(cast.bkpsdm.user), day=working_on_independence_day)
    assert not AgencyDay.objects.filter(agency=cast.agency).exists()
    reason = calendar_for(cast.agency).day_off_reason(INDEPENDENCE_DAY)
    assert reason == "Hari Kemerdekaan Republik Indonesia"


def test_removal_is_in_the_history_with_who_removed_it(cast, working_on_independence_day):
    services.agency_day_delete(access=access_for(cast.operator), day=working_on_independence_day)
    record = AgencyDay.history.filter(agency_id=cast.agency.pk).order_by("-history_id").first()
    assert record.history_type == "-"
    assert record.history_user == cast.operator
    assert (record.date, record.name) == (INDEPENDENCE_DAY, "Pelayanan tetap buka")


@pytest.mark.parametrize("role", ["pegawai", "pimpinan", "admin_opd", "outsider_bkpsdm"])
def test_only_those_who_manage_the_agency_remove_its_days(cast, working_on_independence_day, role):
    user = cast.users()[role]
    with pytest.raises(NotAllowed):
        services.agency_day_delete(access=access_for(user), day=working_on_independence_day)
    assert AgencyDay.objects.filter(pk=working_on_independence_day.pk).exists()


@pytest.mark.django_db
def test_delete_endpoint_removes_the_day(cast, working_on_independence_day):
    client = client_for(cast.bkpsdm.user)
    response = client.delete(url(cast.agency, "2026-08-17"))
    assert response.status_code == 204
    assert response.content == b""
    days = client.get(
        f"/api/v1/agencies/{cast.agency.pk}/calendar", {"start": "2026-08-17", "end": "2026-08-17"}
    ).json()
    assert days == [
        {"date": "2026-08-17", "working": False, "reason": "Hari Kemerdekaan Republik Indonesia"}
    ]
    # Removing it again: nothing of the agency's own is left on that day.
    again = client.delete(url(cast.agency, "2026-08-17"))
    assert again.status_code == 404
    assert again.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_a_date_without_an_agency_entry_is_not_found(cast):
    response = client_for(cast.bkpsdm.user).delete(url(cast.agency, "2026-08-18"))
    assert response.status_code == 404
    assert "2026-08-18" in response.json()["error"]["message"]


@pytest.mark.django_db
def test_a_malformed_date_is_a_json_validation_error(cast):
    response = client_for(cast.bkpsdm.user).delete(url(cast.agency, "2026-02-30"))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "status"), [("pegawai", 403), ("outsider_bkpsdm", 404)])
def test_delete_endpoint_refuses_others(cast, working_on_independence_day, role, status):
    response = client_for(cast.users()[role]).delete(url(cast.agency, "2026-08-17"))
    assert response.status_code == status
    assert response.json()["error"]["code"] == ("forbidden" if status == 403 else "not_found")
    assert AgencyDay.objects.filter(pk=working_on_independence_day.pk).exists()
