"""What a roster day becomes under the health measures that cover it."""

from __future__ import annotations

ISOLATION = "ISOLATION"
WFH = "WFH"
LEAVE = "LEAVE"
# The days a closure sends home: nothing planned (an ordinary day at the office), or a working
# mode. Leave, duty and isolation already keep the person away from the building.
CLOSURE_TAKES = ("", "WFO", "WFH", "WFA")


def health_day(planned: str, *, isolated: bool, closed: bool) -> str | None:
    """The mode a health measure holds the day in, or None when the plan stands.

    Isolation beats everything but leave the person already took (the days stay theirs); a
    closed building sends its staff home on every working day they would have worked. A day
    that is both is an isolation day.
    """
    if isolated and planned != LEAVE:
        return ISOLATION
    if closed and planned in CLOSURE_TAKES:
        return WFH
    return None
