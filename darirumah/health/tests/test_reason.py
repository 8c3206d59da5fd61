"""The reason asked before names from the health register are shown, and who counts as the head
of BKPSDM."""

from datetime import timedelta

import pytest

from darirumah.conftest import text
from darirumah.core import calendar as calendar_module
from darirumah.core.errors import DomainError
from darirumah.health.services.audit import clean_reason, session_reason
from darirumah.org.access import access_for
from darirumah.org.models import Unit

pytestmark = pytest.mark.django_db


def test_a_reason_is_required_and_cleaned():
    with pytest.raises(DomainError) as exc:
        clean_reason(" cek ")
    assert exc.value.code == "reason_required"
    assert clean_reason("  pelacakan   kontak  ") == "pelacakan kontak"


def test_the_reason_page_keeps_the_reason_and_goes_back(cast, browse):
    client = browse(cast.kesehatan.user)
    response = client.get("/health/reason/?next=/health/")
    assert response.status_code == 200
    assert "Why do you open health data?" in text(response)
    refused = client.post("/health/reason/", {"reason": "x", "next": "/health/"})
    assert refused.status_code == 200 and "say why you open it" in text(refused)
    kept = client.post(
        "/health/reason/", {"reason": "pelacakan kontak kasus baru", "next": "/health/"}
    )
    assert kept.status_code == 302 and kept["Location"] == "/health/"
    assert client.session["health_reason"]["text"] == "pelacakan kontak kasus baru"


def test_the_reason_page_never_sends_elsewhere(cast, browse):
    client = browse(cast.kesehatan.user)
    kept = client.post(
        "/health/reason/", {"reason": "pelacakan kontak", "next": "https://evil.example/"}
    )
    assert kept.status_code == 302 and kept["Location"] == "/"


def test_a_reason_holds_for_the_agencys_minutes(cast, browse, monkeypatch):
    client = browse(cast.kesehatan.user)
    client.post("/health/reason/", {"reason": "pelacakan kontak", "next": "/"})
    request = client.get("/").wsgi_request
    request.session = client.session
    assert session_reason(request) == "pelacakan kontak"
    later = calendar_module.utcnow() + timedelta(minutes=31)
    monkeypatch.setattr(calendar_module, "utcnow", lambda: later)
    assert session_reason(request) == ""


def test_the_head_of_bkpsdm_reads_names_other_bkpsdm_staff_do_not(cast):
    assert not access_for(cast.bkpsdm.user).reads_health_names(cast.agency.pk)
    Unit.objects.filter(pk=cast.bkpsdm_unit.pk).update(head=cast.bkpsdm)
    head = access_for(type(cast.bkpsdm.user).objects.get(pk=cast.bkpsdm.user.pk))
    assert head.is_bkpsdm_head and head.reads_health_names(cast.agency.pk)
    assert access_for(cast.kesehatan.user).reads_health_names(cast.agency.pk)
    assert not access_for(cast.kesehatan.user).reads_health_names(cast.other_agency.pk)
    assert not access_for(cast.pimpinan.user).reads_health_names(cast.agency.pk)
    assert not access_for(cast.operator).reads_health_names(cast.agency.pk)
    assert not access_for(cast.kepala.user).reads_health_names(cast.agency.pk)
