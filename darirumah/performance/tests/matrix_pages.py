"""Who may open each performance page: one file per part of the app (access_<part>.py), merged
here (the format is darirumah/core/tests/matrix.py)."""

from .access_dashboards import PAGES as DASHBOARDS
from .access_discipline import PAGES as DISCIPLINE
from .access_evaluations import PAGES as EVALUATIONS
from .access_reports import PAGES as REPORTS
from .access_tpp import PAGES as TPP

PAGES = {}
for part in (REPORTS, EVALUATIONS, TPP, DISCIPLINE, DASHBOARDS):
    assert not set(PAGES) & set(part), set(PAGES) & set(part)
    PAGES.update(part)
