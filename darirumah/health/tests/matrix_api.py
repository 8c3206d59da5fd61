"""Who may use each health endpoint: one file per part of the app (access_<part>.py),
merged here (the format is darirumah/core/tests/matrix.py)."""

from .access_cases import API as CASES
from .access_clusters import API as CLUSTERS
from .access_dashboard import API as DASHBOARD
from .access_facilities import API as FACILITIES
from .access_isolations import API as ISOLATIONS
from .access_reason import API as REASON

API = {}
for part in (REASON, CASES, ISOLATIONS, FACILITIES, CLUSTERS, DASHBOARD):
    assert not set(API) & set(part), set(API) & set(part)
    API.update(part)
