"""Who may call each discipline endpoint (see darirumah/core/tests/matrix.py)."""

API: dict = {}

PAGES: dict = {}
