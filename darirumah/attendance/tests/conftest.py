"""Fixtures shared by the check-in tests: the server's clock, a temporary media folder and an
employee with an office and a home point."""

import pytest

from .checkin_helpers import HOME, Clock, use_media


@pytest.fixture
def clock(monkeypatch):
    """The server's clock (darirumah.core.calendar.utcnow), in UTC."""
    return Clock(monkeypatch)


@pytest.fixture
def media(settings, tmp_path):
    return use_media(settings, tmp_path)


@pytest.fixture
def pegawai(cast):
    employee = cast.pegawai
    employee.office = cast.office
    employee.home_latitude, employee.home_longitude = HOME
    employee.save()
    return employee
