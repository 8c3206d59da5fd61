"""Who may open each documents page (the format is darirumah/core/tests/matrix.py); the
entries live in access_pages.py."""

from .access_pages import PAGES

__all__ = ["PAGES"]
