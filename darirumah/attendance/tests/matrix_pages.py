"""Who may open each attendance page (see darirumah/core/tests/matrix.py)."""

from darirumah.core.tests.matrix import EVERYONE, Case  # noqa: F401

from . import (
    checkin_cases,  # check-in / check-out
    recap_cases,  # the OPDs' daily recaps
    records_cases,
    vicon_cases,  # video calls, urgent reports
)

PAGES = {
    # --- check-in / check-out ---
    **checkin_cases.PAGES,
    # --- records, manual entry, absence ---
    **records_cases.PAGES,
    # --- video calls, urgent reports ---
    **vicon_cases.PAGES,
    # --- the OPDs' daily recaps ---
    **recap_cases.PAGES,
}
