"""The rules of discipline cases (PP 94/2021), as pure functions over plain data (no ORM).

The program only recommends: each function here says what the regulation (or, for missed
targets, the program's default) points to; the supervisor and BKPSDM decide.

- Cumulative unexcused absence in a calendar year (PP 94/2021 art. 9–11): 3 days a verbal
  warning; 4–6 a written warning; 7–10 a written statement of dissatisfaction (light); 11–13,
  14–16 and 17–20 a 25% allowance (TPP) cut for 6, 9 and 12 months (medium); 21–24 demotion one
  level for 12 months, 25–27 a non-managerial post for 12 months, 28 or more honourable
  dismissal not at own request (heavy).
- Ten consecutive working days absent without reason: dismissal (PP 94/2021 art. 11(2)(d)).
  Days off between them (weekends, holidays) do not break the run; the number is the agency's
  `DisciplineConfig.consecutive_absence_days`.
- A recommendation not decided within `decision_days` is overdue: the direct supervisor must act
  and one who does not is sanctioned himself (art. 30).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models.discipline import DisciplineCase, Level, Sanction

Source = DisciplineCase.Source

# --- cumulative absence ----------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """Days `low` to `high` (None: any more) of unexcused absence in a year."""

    low: int
    high: int | None
    level: str
    sanction: str
    months: int  # how long the sanction runs (0: no duration)


ABSENCE_BANDS: tuple[Band, ...] = (
    Band(3, 3, Level.RINGAN, Sanction.VERBAL_WARNING, 0),
    Band(4, 6, Level.RINGAN, Sanction.WRITTEN_WARNING, 0),
    Band(7, 10, Level.RINGAN, Sanction.DISSATISFACTION, 0),
    Band(11, 13, Level.SEDANG, Sanction.TPP_CUT_6, 6),
    Band(14, 16, Level.SEDANG, Sanction.TPP_CUT_9, 9),
    Band(17, 20, Level.SEDANG, Sanction.TPP_CUT_12, 12),
    Band(21, 24, Level.BERAT, Sanction.DEMOTION_12, 12),
    Band(25, 27, Level.BERAT, Sanction.NON_MANAGERIAL_12, 12),
    Band(28, None, Level.BERAT, Sanction.DISMISSAL, 0),
)


def absence_band(days: int) -> Band | None:
    """The band a year's count of unexcused absent days falls in; None below 3 days."""
    for band in reversed(ABSENCE_BANDS):
        if days >= band.low:
            return band
    return None


# --- what each sanction is ---------------------------------------------------------------------

# A sanction belongs to exactly one level.
SANCTION_LEVEL: dict[str, str] = {
    Sanction.VERBAL_WARNING: Level.RINGAN,
    Sanction.WRITTEN_WARNING: Level.RINGAN,
    Sanction.DISSATISFACTION: Level.RINGAN,
    Sanction.TPP_CUT_6: Level.SEDANG,
    Sanction.TPP_CUT_9: Level.SEDANG,
    Sanction.TPP_CUT_12: Level.SEDANG,
    Sanction.DEMOTION_12: Level.BERAT,
    Sanction.NON_MANAGERIAL_12: Level.BERAT,
    Sanction.DISMISSAL: Level.BERAT,
}

SANCTION_MONTHS: dict[str, int] = {
    Sanction.TPP_CUT_6: 6,
    Sanction.TPP_CUT_9: 9,
    Sanction.TPP_CUT_12: 12,
    Sanction.DEMOTION_12: 12,
    Sanction.NON_MANAGERIAL_12: 12,
}


def sanctions_of(level: str) -> list[str]:
    """The sanctions of a level, lightest first."""
    return [s for s, lvl in SANCTION_LEVEL.items() if lvl == level]


def level_matches(level: str, sanction: str) -> bool:
    """The sanction is one of the level's (a 25% cut is medium, never light)."""
    return SANCTION_LEVEL.get(sanction) == level


def sanction_months(sanction: str) -> int:
    """How many months a decided sanction runs: 6, 9 or 12 for a cut or a demotion; 0 for a
    warning, a statement or a dismissal."""
    return SANCTION_MONTHS.get(sanction, 0)


def sanction_start(decided_on: date) -> date:
    """A decided sanction starts on the first day of the month after the decision."""
    return date(decided_on.year + (decided_on.month == 12), decided_on.month % 12 + 1, 1)


# --- consecutive working days absent ----------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """Unexcused absence on consecutive working days, first to last."""

    days: tuple[date, ...]

    @property
    def first(self) -> date:
        return self.days[0]

    @property
    def last(self) -> date:
        return self.days[-1]

    def __len__(self) -> int:
        return len(self.days)


def working_day_index(working_days: Iterable[date]) -> dict[date, int]:
    """Each working day's position among the working days (computed once for a whole agency)."""
    return {day: n for n, day in enumerate(sorted(working_days))}


def absence_runs(absent_days: Iterable[date], index: dict[date, int]) -> list[Run]:
    """The runs of absent days that follow each other in the agency's working days (`index` from
    `working_day_index`): a weekend or a holiday between two of them does not break a run, a
    working day without an absence does. Days that are not working days are left out."""
    runs: list[Run] = []
    current: list[date] = []
    previous = None
    for day in sorted(d for d in set(absent_days) if d in index):
        position = index[day]
        if previous is not None and position != previous + 1:
            runs.append(Run(tuple(current)))
            current = []
        current.append(day)
        previous = position
    if current:
        runs.append(Run(tuple(current)))
    return runs


def longest_run(runs: Sequence[Run]) -> Run | None:
    """The longest run (the earliest of equally long ones)."""
    return max(runs, key=len, default=None) if runs else None


def dismissal_runs(runs: Iterable[Run], consecutive_days: int) -> list[Run]:
    """The runs long enough for a dismissal recommendation (at least `consecutive_days`)."""
    return [run for run in runs if len(run) >= consecutive_days]


RUN_LEVEL = Level.BERAT
RUN_SANCTION = Sanction.DISMISSAL


# --- missed targets ------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthResult:
    month: date  # the first day of the month
    achievement: Decimal | None  # the weighted target achievement (%), None: nothing to measure


def previous_month(first: date) -> date:
    return date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)


def is_missed(achievement: Decimal | None, threshold: Decimal) -> bool:
    """A month with targets whose achievement is below the agency's threshold (50% by default);
    a month without targets to measure is not missed."""
    return achievement is not None and achievement < threshold


def missed_streak(months: Iterable[MonthResult], threshold: Decimal) -> list[MonthResult]:
    """The consecutive calendar months with missed targets that end in the latest month given,
    oldest first; empty when the latest month is not missed. A month without an evaluation, or
    not missed, ends the streak."""
    by_month = {m.month: m for m in months}
    if not by_month:
        return []
    month = max(by_month)
    streak: list[MonthResult] = []
    while month in by_month and is_missed(by_month[month].achievement, threshold):
        streak.append(by_month[month])
        month = previous_month(month)
    return list(reversed(streak))


def missed_targets_sanction(consecutive_months: int) -> tuple[str, str] | None:
    """(level, sanction) for a streak of months with missed targets.

    PP 94/2021 makes reaching the agreed targets a duty of every civil servant but leaves the
    grading of missing them to the supervisor (art. 4 and 8–12 set no table for it). These are
    the program's defaults, for the supervisor to accept, change or dismiss: 1 month a verbal
    warning, 2 consecutive months a written warning, 3 or more a written statement of
    dissatisfaction — all light (ringan)."""
    if consecutive_months < 1:
        return None
    if consecutive_months == 1:
        return Level.RINGAN, Sanction.VERBAL_WARNING
    if consecutive_months == 2:
        return Level.RINGAN, Sanction.WRITTEN_WARNING
    return Level.RINGAN, Sanction.DISSATISFACTION


# --- the deadline ----------------------------------------------------------------------------


def decide_by(created_on: date, decision_days: int) -> date:
    """The day a recommendation opened on `created_on` must be decided by."""
    return created_on + timedelta(days=decision_days)


def is_overdue(status: str, deadline: date, today: date) -> bool:
    """Still awaiting a decision after its deadline (the deadline day itself is in time)."""
    return status == "recommended" and deadline < today


# --- triggers --------------------------------------------------------------------------------


def year_trigger(year: int, band: Band) -> str:
    return f"absence_year:{year}:{band.low}"


def run_trigger(run: Run) -> str:
    return f"absence_run:{run.first.isoformat()}"


def missed_trigger(month: date) -> str:
    return f"missed_targets:{month:%Y-%m}"


def year_band_low(trigger: str) -> int | None:
    """The band's lower bound of an "absence_year:<year>:<low>" trigger."""
    try:
        return int(trigger.rsplit(":", 1)[1])
    except (IndexError, ValueError):
        return None


# --- who must act ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """An employee as the rules see them."""

    pk: int
    user_id: int | None
    supervisor_id: int | None
    unit_path: str  # "/3/17/42/": the unit and the units above it
    active: bool


def must_act(person: Person, staff: dict[int, Person], heads: dict[int, int | None]) -> int | None:
    """The one who must act on the person's case (PP 94/2021: the direct supervisor): their
    active direct supervisor, else the active head of their unit or of the nearest unit above it
    (`heads`: unit id → head's employee id), never the person themself; None without any."""
    chosen = staff.get(person.supervisor_id)
    if chosen is not None and chosen.active and chosen.pk != person.pk:
        return chosen.pk
    for unit_id in reversed([int(p) for p in person.unit_path.strip("/").split("/") if p]):
        head = staff.get(heads.get(unit_id))
        if head is not None and head.active and head.pk != person.pk:
            return head.pk
    return None


def level_sanction_problems(level, sanction) -> dict[str, list[str]]:
    """Problems of a chosen level and sanction, per field: both known, and the sanction one of
    the level's."""
    problems: dict[str, list[str]] = {}
    if level not in Level.values:
        problems["level"] = [_("Choose the level: light, medium or heavy.")]
    if sanction not in Sanction.values:
        problems["sanction"] = [_("Choose a sanction.")]
    elif not problems and not level_matches(level, sanction):
        problems["sanction"] = [
            _("%(sanction)s is not a sanction of the %(level)s level.")
            % {"sanction": Sanction(sanction).label, "level": Level(level).label}
        ]
    return problems


# --- what a scan finds -----------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """A recommendation the scan would open: its trigger, level, sanction, evidence (JSON-safe)
    and a one-line summary (in the active language)."""

    employee_id: int
    source: str
    trigger: str
    level: str
    sanction: str
    evidence: dict
    summary: str


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}"


def year_finding(employee_id: int, days: Sequence[date], through: date) -> Finding | None:
    """The band reached by the year's unexcused absent days up to `through`, if any."""
    band = absence_band(len(days))
    if band is None:
        return None
    summary = _("%(days)d days of unexcused absence in %(year)d, up to %(through)s") % {
        "days": len(days),
        "year": through.year,
        "through": date_format(through),
    }
    evidence = {
        "kind": Source.ABSENCE_YEAR.value,
        "year": through.year,
        "through": through.isoformat(),
        "days": len(days),
        "band": [band.low, band.high],
        "dates": [d.isoformat() for d in days],
    }
    return Finding(
        employee_id,
        Source.ABSENCE_YEAR,
        year_trigger(through.year, band),
        band.level,
        band.sanction,
        evidence,
        summary,
    )


def run_finding(employee_id: int, run: Run) -> Finding:
    """A run of consecutive working days absent long enough for dismissal."""
    summary = _("%(days)d consecutive working days of unexcused absence, %(first)s to %(last)s") % {
        "days": len(run),
        "first": date_format(run.first),
        "last": date_format(run.last),
    }
    evidence = {
        "kind": Source.ABSENCE_RUN.value,
        "days": len(run),
        "first": run.first.isoformat(),
        "last": run.last.isoformat(),
        "dates": [d.isoformat() for d in run.days],
    }
    return Finding(
        employee_id,
        Source.ABSENCE_RUN,
        run_trigger(run),
        RUN_LEVEL,
        RUN_SANCTION,
        evidence,
        summary,
    )


def missed_finding(employee_id: int, streak: Sequence[MonthResult], threshold: Decimal) -> Finding:
    """Missed targets in the streak's last month, graded by the streak's length."""
    last = streak[-1]
    level, sanction = missed_targets_sanction(len(streak))
    summary = ngettext(
        "Target achievement %(achievement)s%% in %(month)s, below %(threshold)s%% "
        "(%(n)d month in a row)",
        "Target achievement %(achievement)s%% in %(month)s, below %(threshold)s%% "
        "(%(n)d months in a row)",
        len(streak),
    ) % {
        "achievement": _percent(last.achievement),
        "month": date_format(last.month, "F Y"),
        "threshold": _percent(threshold),
        "n": len(streak),
    }
    evidence = {
        "kind": Source.MISSED_TARGETS.value,
        "month": f"{last.month:%Y-%m}",
        "achievement": str(last.achievement),
        "threshold": str(threshold),
        "months": [
            {"month": f"{m.month:%Y-%m}", "achievement": str(m.achievement)} for m in streak
        ],
    }
    return Finding(
        employee_id,
        Source.MISSED_TARGETS,
        missed_trigger(last.month),
        level,
        sanction,
        evidence,
        summary,
    )


def new_findings(found: Iterable[Finding], opened: dict[int, set[str]], year: int) -> list[Finding]:
    """What is not opened yet (`opened`: employee id → triggers). A year band is new only above
    every band already opened for that year: someone who went from 3 to 12 days between two
    scans gets the 11–13 case, not the 4–6 and 7–10 ones as well."""
    prefix = f"absence_year:{year}:"
    fresh = []
    for item in found:
        mine = opened.get(item.employee_id, set())
        if item.trigger in mine:
            continue
        if item.source == Source.ABSENCE_YEAR:
            lows = [year_band_low(t) or 0 for t in mine if t.startswith(prefix)]
            if lows and max(lows) >= (year_band_low(item.trigger) or 0):
                continue
        fresh.append(item)
    return fresh
