"""Who may call each performance endpoint: one file per part of the app (access_<part>.py),
merged here (the format is darirumah/core/tests/matrix.py)."""

from .access_dashboards import API as DASHBOARDS
from .access_discipline import API as DISCIPLINE
from .access_evaluations import API as EVALUATIONS
from .access_reports import API as REPORTS
from .access_tpp import API as TPP

API = {}
for part in (REPORTS, EVALUATIONS, TPP, DISCIPLINE, DASHBOARDS):
    assert not set(API) & set(part), set(API) & set(part)
    API.update(part)
