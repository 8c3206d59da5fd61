"""The health settings page: the six numbers with their help texts (the regulation's defaults),
read-only for everyone of the agency, saved by the health officers, BKPSDM and the operator,
wrong numbers said on the form."""

from __future__ import annotations

import pytest

from darirumah.conftest import text
from darirumah.health.models import HealthSettings
from darirumah.health.selectors.settings import health_config

pytestmark = pytest.mark.django_db
URL = "/health/settings/"
VALUES = {
    "trace_days": "14",
    "isolation_days": "10",
    "incubation_days": "14",
    "closed_hours_before_disinfection": "24",
    "cluster_closure_days": "5",
    "reason_minutes": "30",
}


def test_everyone_reads_the_settings_with_their_help(cast, browse):
    response = browse(cast.pegawai.user).get(URL)
    body = text(response)
    assert response.status_code == 200
    assert "Contact tracing window (days)" in body and "Kepmenkes 328/2020: 14 days." in body
    assert "Hours closed before disinfection" in body and "24 hours" in body
    assert "SE MenPANRB 67/2020" in body
    assert 'name="isolation_days" value="14"' in body and "disabled" in body
    assert "Save the settings" not in body
    assert "Only the health officers and BKPSDM of the agency change these settings." in body
    assert "the defaults (nothing saved yet)" in body


def test_the_health_officer_saves_a_setting(cast, browse):
    client = browse(cast.kesehatan.user)
    form = text(client.get(URL))
    assert "Save the settings" in form and 'name="trace_days" value="14"' in form
    assert "disabled" not in form.split('name="trace_days"')[1].split(">")[0]
    response = client.post(URL, VALUES)
    assert response.status_code == 302 and response["Location"] == URL
    # Only the changed number is stored: the others keep following the defaults.
    assert HealthSettings.objects.get().settings == {"isolation_days": 10}
    assert health_config(cast.agency.pk).isolation_days == 10
    page = text(client.get(URL))
    assert "The health settings were saved." in page
    assert 'name="isolation_days" value="10"' in page
    assert "Set by the agency; the default is 14." in page and "by Petugas Kesehatan" in page


def test_wrong_numbers_are_said_on_the_form(cast, browse):
    response = browse(cast.bkpsdm.user).post(
        URL, {**VALUES, "trace_days": "0", "reason_minutes": "x"}
    )
    body = text(response)
    assert response.status_code == 400
    assert "Ensure this value is greater than or equal to 1." in body
    assert "Enter a whole number." in body
    assert not HealthSettings.objects.exists()


def test_who_may_save(cast, browse):
    for user in (cast.pegawai.user, cast.pimpinan.user, cast.kepala.user):
        assert browse(user).post(URL, VALUES).status_code == 403
    assert (
        browse(cast.outsider_bkpsdm.user).post(f"{URL}?agency={cast.agency.pk}", VALUES).status_code
        == 404
    )
    assert not HealthSettings.objects.exists()
    operator = browse(cast.operator)
    assert "Pick an agency." in text(operator.get(URL))
    saved = operator.post(URL, {**VALUES, "agency": cast.agency.pk})
    assert saved.status_code == 302 and saved["Location"] == f"{URL}?agency={cast.agency.pk}"
    assert health_config(cast.agency.pk).isolation_days == 10
