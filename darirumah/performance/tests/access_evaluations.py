"""Who may call each evaluations endpoint (see darirumah/core/tests/matrix.py)."""

API: dict = {}

PAGES: dict = {}
