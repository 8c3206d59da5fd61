"""Who may call each attendance endpoint (see darirumah/core/tests/matrix.py)."""

from darirumah.core.tests.matrix import EVERYONE, Case  # noqa: F401

from . import (
    checkin_cases,  # check-in / check-out
    recap_cases,  # the OPDs' daily recaps
    records_cases,
    vicon_cases,  # video calls, urgent reports
)

P = "/api/v1"

API = {
    # --- check-in / check-out ---
    **checkin_cases.API,
    # --- records, manual entry, absence ---
    **records_cases.API,
    # --- video calls, urgent reports ---
    **vicon_cases.API,
    # --- the OPDs' daily recaps ---
    **recap_cases.API,
}
