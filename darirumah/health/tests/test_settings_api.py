"""The agency's health settings: everyone of the agency reads them, the health officers, BKPSDM
and the platform operator change any of them (validated by config.py, each wrong one named in
`fields`), only what the agency set is stored, and the history records who changed it."""

from __future__ import annotations

import pytest

from darirumah.conftest import client_for
from darirumah.core.errors import DomainError, NotAllowed, NotFound
from darirumah.health.config import DEFAULTS
from darirumah.health.models import HealthSettings
from darirumah.health.selectors.settings import health_config
from darirumah.health.services.settings import health_settings_update
from darirumah.org.access import access_for

pytestmark = pytest.mark.django_db
P = "/api/v1/health/settings"


def put(user, cast, body, agency=None):
    return client_for(user).put(
        f"{P}?agency={agency or cast.agency.pk}", body, content_type="application/json"
    )


def test_everyone_of_the_agency_reads_the_defaults(cast):
    body = client_for(cast.pegawai.user).get(P).json()
    assert body["settings"] == DEFAULTS.model_dump() == body["defaults"]
    assert body["settings"]["trace_days"] == 14 and body["settings"]["isolation_days"] == 14
    assert body["stored"] == [] and body["may_edit"] is False
    assert body["changed_at"] is None and body["changed_by"] is None


def test_the_health_officer_changes_one_setting(cast):
    response = put(cast.kesehatan.user, cast, {"isolation_days": 10})
    assert response.status_code == 200
    body = response.json()
    assert body["settings"]["isolation_days"] == 10 and body["settings"]["trace_days"] == 14
    assert body["stored"] == ["isolation_days"] and body["may_edit"] is True
    assert body["changed_by"] == "Petugas Kesehatan"
    assert body["changed_at"].endswith("+07:00")
    row = HealthSettings.objects.get(agency=cast.agency)
    assert row.settings == {"isolation_days": 10} and row.changed_by == cast.kesehatan.user
    assert row.history.get().history_user == cast.kesehatan.user
    assert health_config(cast.agency.pk).isolation_days == 10
    # A second change keeps the first; null puts a setting back to its default.
    put(cast.bkpsdm.user, cast, {"trace_days": 10, "reason_minutes": 60})
    assert HealthSettings.objects.get().settings == {
        "trace_days": 10,
        "isolation_days": 10,
        "reason_minutes": 60,
    }
    back = put(cast.bkpsdm.user, cast, {"isolation_days": None}).json()
    assert back["settings"]["isolation_days"] == 14 and back["stored"] == [
        "trace_days",
        "reason_minutes",
    ]
    assert HealthSettings.objects.get().history.count() == 3
    read = client_for(cast.pimpinan.user).get(P).json()
    assert read["settings"]["trace_days"] == 10 and read["changed_by"] == "Petugas BKPSDM"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"trace_days": 0}, "trace_days", "At least 1."),
        ({"isolation_days": 61}, "isolation_days", "At most 60."),
        (
            {"closed_hours_before_disinfection": -1},
            "closed_hours_before_disinfection",
            "At least 0.",
        ),
        ({"reason_minutes": 481}, "reason_minutes", "At most 480."),
    ],
)
def test_a_wrong_setting_is_named(cast, body, field, message):
    response = put(cast.kesehatan.user, cast, body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["fields"] == {field: [message]}
    assert "not saved" in error["message"]
    assert not HealthSettings.objects.exists()


def test_several_wrong_settings_at_once_and_nothing_is_saved(cast):
    put(cast.kesehatan.user, cast, {"isolation_days": 10})
    response = put(cast.kesehatan.user, cast, {"trace_days": 0, "incubation_days": 99})
    assert set(response.json()["error"]["fields"]) == {"trace_days", "incubation_days"}
    assert HealthSettings.objects.get().settings == {"isolation_days": 10}


@pytest.mark.parametrize("body", [{"trace_days": "many"}, {"trace_days": 1.5}, {"colour": 3}])
def test_bad_input_is_a_4xx_with_the_field(cast, body):
    response = put(cast.kesehatan.user, cast, body)
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == set(body)


def test_not_json_is_a_400(cast):
    response = client_for(cast.kesehatan.user).put(
        f"{P}?agency={cast.agency.pk}", "trace_days=3", content_type="application/json"
    )
    assert response.status_code == 400


@pytest.mark.parametrize("role", ["pegawai", "atasan", "kepala", "admin_opd", "pimpinan"])
def test_who_may_not_change_them(cast, role):
    response = put(getattr(cast, role).user, cast, {"isolation_days": 10})
    assert response.status_code == 403
    assert not HealthSettings.objects.exists()


def test_the_other_agency_and_the_operator(cast):
    assert put(cast.outsider_bkpsdm.user, cast, {"isolation_days": 10}).status_code == 404
    assert client_for(cast.outsider.user).get(P, {"agency": cast.agency.pk}).status_code == 404
    assert put(cast.operator, cast, {"cluster_closure_days": 0}).status_code == 200
    assert health_config(cast.agency.pk).cluster_closure_days == 0
    no_agency = client_for(cast.operator).get(P)
    assert no_agency.status_code == 400 and "agency" in no_agency.json()["error"]["fields"]
    # The other agency's own settings are untouched by ours.
    assert health_config(cast.other_agency.pk).cluster_closure_days == 5


def test_the_service_refuses_what_the_api_cannot_send(cast):
    officer = access_for(cast.kesehatan.user)
    with pytest.raises(DomainError) as exc:
        health_settings_update(access=officer, agency=cast.agency, values={"trace_days": True})
    assert exc.value.fields == {"trace_days": ["Give a whole number."]}
    with pytest.raises(DomainError) as exc:
        health_settings_update(access=officer, agency=cast.agency, values=[1, 2])
    assert exc.value.status == 400
    with pytest.raises(NotAllowed):
        health_settings_update(access=access_for(cast.pimpinan.user), agency=cast.agency, values={})
    with pytest.raises(NotFound):
        health_settings_update(access=officer, agency=cast.other_agency, values={})
    saved = health_settings_update(access=officer, agency=cast.agency, values={"trace_days": "7"})
    assert saved.settings == {"trace_days": 7}
