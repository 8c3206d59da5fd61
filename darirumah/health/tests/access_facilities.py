"""Who may call each health endpoint and open each page of this part (see
darirumah/core/tests/matrix.py)."""

API: dict = {}
PAGES: dict = {}
