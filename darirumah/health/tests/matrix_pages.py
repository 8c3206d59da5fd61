"""Who may use each health pages: one file per part of the app (access_<part>.py),
merged here (the format is darirumah/core/tests/matrix.py)."""

from .access_cases import PAGES as CASES
from .access_clusters import PAGES as CLUSTERS
from .access_dashboard import PAGES as DASHBOARD
from .access_facilities import PAGES as FACILITIES
from .access_isolations import PAGES as ISOLATIONS
from .access_reason import PAGES as REASON

PAGES = {}
for part in (REASON, CASES, ISOLATIONS, FACILITIES, CLUSTERS, DASHBOARD):
    assert not set(PAGES) & set(part), set(PAGES) & set(part)
    PAGES.update(part)
