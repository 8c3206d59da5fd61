from datetime import UTC, date, datetime

import pytest

from darirumah.core import calendar as calendar_module
from darirumah.roster.models import RosterEntry

DAY = date(2026, 8, 18)  # a Tuesday; Monday the 17th is Independence Day


class Clock:
    def __init__(self, monkeypatch):
        self.moment = datetime(2026, 8, 18, 0, 0, tzinfo=UTC)
        monkeypatch.setattr(calendar_module, "utcnow", lambda: self.moment)

    def set(self, *args):
        self.moment = datetime(*args, tzinfo=UTC)
        return self.moment


@pytest.fixture
def clock(monkeypatch):
    """The server's clock (darirumah.core.calendar.utcnow), in UTC: clock.set(2026, 8, 18, 0, 0)."""
    return Clock(monkeypatch)


def entry(employee, mode, day=DAY, published=True, **fields):
    return RosterEntry.objects.create(
        employee=employee, date=day, mode=mode, source="manual", published=published, **fields
    )
