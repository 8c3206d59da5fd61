"""Who may open the reason page: those who read names from the health register (the cast's
health officer; the head of BKPSDM is tested in test_reason.py)."""

from darirumah.core.tests.matrix import Case

API: dict = {}
PAGES = {"health-reason": Case(frozenset({"kesehatan"}))}
