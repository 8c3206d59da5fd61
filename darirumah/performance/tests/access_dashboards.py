"""Who may open each dashboard (see darirumah/core/tests/matrix.py)."""

API: dict = {}

PAGES: dict = {}
