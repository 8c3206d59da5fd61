"""Working-time rules from regulation, as data with their citation (defaults to adjust)."""

from dataclasses import dataclass
from datetime import time


@dataclass(frozen=True)
class WorkHours:
    """The working week: start and end per weekday (0 = Monday), and the source."""

    citation: str
    start: dict[int, time]
    end: dict[int, time]
    weekly_hours: float
    late_after: time  # a check-in later than this (inclusive of its seconds) is late

    def is_weekday_worked(self, weekday: int) -> bool:
        return weekday in self.start


# Perpres 21/2023: 37.5 h/week without breaks, Monday–Friday from 07:30; breaks of 60 min
# Monday–Thursday and 90 min on Friday give the common 07:30–16:00 / 07:30–16:30 schedule.
# "A check-in after 07:30:59 is late": the late threshold is the last second of the minute.
PERPRES_21_2023 = WorkHours(
    citation="Perpres 21/2023",
    start={d: time(7, 30) for d in range(5)},
    end={0: time(16, 0), 1: time(16, 0), 2: time(16, 0), 3: time(16, 0), 4: time(16, 30)},
    weekly_hours=37.5,
    late_after=time(7, 30, 59),
)

# Ramadan under the same Perpres: 32.5 h/week from 08:00.
PERPRES_21_2023_RAMADAN = WorkHours(
    citation="Perpres 21/2023 (Ramadan)",
    start={d: time(8, 0) for d in range(5)},
    end={0: time(15, 0), 1: time(15, 0), 2: time(15, 0), 3: time(15, 0), 4: time(15, 30)},
    weekly_hours=32.5,
    late_after=time(8, 0, 59),
)

# The three Indonesian time zones and their IANA names.
ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
