"""Fixtures of the health tests: the clock and a temporary media folder."""

import pytest

from .factories import Clock


@pytest.fixture
def clock(monkeypatch):
    """The server's clock at 10:00 WIB on Wednesday 19 August 2026."""
    return Clock(monkeypatch)


@pytest.fixture
def media(settings, tmp_path):
    """Uploads of the test go to a temporary folder."""
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path
