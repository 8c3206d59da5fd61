"""Who may call each tpp endpoint (see darirumah/core/tests/matrix.py)."""

API: dict = {}

PAGES: dict = {}
