"""The effectiveness review of a circular (R2, R3): is WFH working? Pure functions over counted
figures; the counting itself is in policy.selectors_effectiveness.

Definitions (the Serang story: the mayor would withdraw WFH within two or three days if the
tasks given to staff were not done):

- Window: the circular's working days (agency calendar) from its start through `through`
  (default: today in the agency's zone; never past the circular's end). The review is due on
  `review_due_on`, the rule set's `review_after_days`-th working day from the start (3 by
  default), or on the circular's last day if it ends sooner. Before that the review is
  "provisional" and the answer to "is WFH working?" is "too early".
- Staff: the people of the units the circular covers who have a published roster entry for a day
  of the window, grouped by that day's mode: the WFH group is WFH and WFA, the WFO group is WFO;
  isolation, leave and official duty are left out. A person counts once per day (a person-day).
- Tasks done (R3): a person-day is done when that day's daily report is submitted or approved;
  a draft or returned report, or none, is not done. The tasks-done share of a group is its done
  person-days over its person-days.
- Target progress (a second figure): for each target of the group's people, the output reported
  on it (submitted or approved reports of the group's days in the window) over its pro-rata
  expected quantity (quantity × the person's working days in the group inside both the window
  and the target's period ÷ the working days of the target's period), each target capped at
  100%; summed over the targets.
- Check-in compliance: person-days with attendance present or late over person-days; the on-time
  share counts present only. Video-call attendance: roll present over present + absent (excused
  lines are left out). Report completion: the tasks-done share over everyone (both groups).
- Verdict, per OPD (a top-level unit of the agency) and overall: "effective" when the WFH group's
  tasks-done share reaches the circular's `effectiveness_threshold` (0.8 by default),
  "not_effective" below it, "no_data" when the WFH group has no person-days.
- Recommendation: "continue" when the overall verdict and every OPD with data are effective;
  "adjust" (naming the OPDs below the threshold) when overall is effective but some OPD is not;
  "withdraw" when overall is not effective; "no_data" when nobody worked from home yet.

Shares are Decimals rounded to four places (never floats: they are stored with a decision).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

WFH_MODES = ("WFH", "WFA")
WFO_MODES = ("WFO",)
PLACES = Decimal("0.0001")


class Group(StrEnum):
    WFH = "wfh"
    WFO = "wfo"


class Verdict(StrEnum):
    EFFECTIVE = "effective"
    NOT_EFFECTIVE = "not_effective"
    NO_DATA = "no_data"


class Recommendation(StrEnum):
    CONTINUE = "continue"
    ADJUST = "adjust"
    WITHDRAW = "withdraw"
    NO_DATA = "no_data"


class Answer(StrEnum):
    """The mayor's question, "is WFH working?"."""

    YES = "yes"
    NO = "no"
    TOO_EARLY = "too_early"
    NO_DATA = "no_data"


def group_of(mode: str) -> Group | None:
    """The review group of a roster mode; None for isolation, leave and official duty."""
    if mode in WFH_MODES:
        return Group.WFH
    if mode in WFO_MODES:
        return Group.WFO
    return None


def share(part, whole) -> Decimal | None:
    """part / whole rounded to four places; None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(PLACES, rounding=ROUND_HALF_UP)


def gap(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    """a − b (the WFH share minus the WFO share), None when either is missing."""
    if a is None or b is None:
        return None
    return a - b


@dataclass
class Tally:
    """Counted person-days of one group (or of everyone) in one OPD, day or overall."""

    person_days: int = 0
    done: int = 0
    checked_in: int = 0  # present or late
    on_time: int = 0  # present
    vicon_present: int = 0
    vicon_absent: int = 0

    def add(self, other: Tally) -> Tally:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    @property
    def done_share(self) -> Decimal | None:
        return share(self.done, self.person_days)

    @property
    def checkin_compliance(self) -> Decimal | None:
        return share(self.checked_in, self.person_days)

    @property
    def on_time_share(self) -> Decimal | None:
        return share(self.on_time, self.person_days)

    @property
    def vicon_attendance(self) -> Decimal | None:
        return share(self.vicon_present, self.vicon_present + self.vicon_absent)


@dataclass
class Progress:
    """Target progress of a group: capped output over the pro-rata expected quantity."""

    achieved: Decimal = Decimal(0)
    expected: Decimal = Decimal(0)

    def add_target(
        self, *, quantity: Decimal, period_days: int, days_in_group: int, output: Decimal
    ) -> Progress:
        """One target: `days_in_group` of its `period_days` working days fell in the window with
        its person in this group; `output` was reported on it on those days."""
        if period_days <= 0 or days_in_group <= 0:
            return self
        expected = Decimal(quantity) * days_in_group / period_days
        self.expected += expected
        self.achieved += min(Decimal(output), expected)
        return self

    def add(self, other: Progress) -> Progress:
        self.achieved += other.achieved
        self.expected += other.expected
        return self

    @property
    def value(self) -> Decimal | None:
        return share(self.achieved, self.expected)


def verdict(wfh: Tally, threshold: Decimal) -> Verdict:
    """Effective when the WFH group's tasks-done share reaches the threshold."""
    done = wfh.done_share
    if done is None:
        return Verdict.NO_DATA
    return Verdict.EFFECTIVE if done >= threshold else Verdict.NOT_EFFECTIVE


def recommend(overall: Verdict, by_opd: Mapping[int, Verdict]) -> tuple[Recommendation, list[int]]:
    """What to do, and the OPDs to adjust (those below the threshold)."""
    below = [opd for opd, v in by_opd.items() if v == Verdict.NOT_EFFECTIVE]
    if overall == Verdict.NO_DATA:
        return Recommendation.NO_DATA, []
    if overall == Verdict.NOT_EFFECTIVE:
        return Recommendation.WITHDRAW, below
    if below:
        return Recommendation.ADJUST, below
    return Recommendation.CONTINUE, []


def answer(overall: Verdict, *, due: bool) -> Answer:
    if not due:
        return Answer.TOO_EARLY
    return {
        Verdict.EFFECTIVE: Answer.YES,
        Verdict.NOT_EFFECTIVE: Answer.NO,
        Verdict.NO_DATA: Answer.NO_DATA,
    }[overall]


def is_due(*, through: date, review_due_on: date, ends_on: date | None) -> bool:
    """The review is final from its due day, or from the circular's last day if that is sooner."""
    last = review_due_on if ends_on is None else min(review_due_on, ends_on)
    return through >= last


# --- the whole review ----------------------------------------------------------------------


@dataclass
class Row:
    """One OPD (or the whole circular when `unit` is None)."""

    unit: int | None
    name: str
    wfh: Tally = field(default_factory=Tally)
    wfo: Tally = field(default_factory=Tally)
    wfh_progress: Progress = field(default_factory=Progress)
    wfo_progress: Progress = field(default_factory=Progress)
    verdict: Verdict = Verdict.NO_DATA

    @property
    def everyone(self) -> Tally:
        return Tally().add(self.wfh).add(self.wfo)

    @property
    def gap(self) -> Decimal | None:
        return gap(self.wfh.done_share, self.wfo.done_share)


@dataclass
class DayPoint:
    day: date
    wfh: Tally = field(default_factory=Tally)
    wfo: Tally = field(default_factory=Tally)

    @property
    def everyone(self) -> Tally:
        return Tally().add(self.wfh).add(self.wfo)


@dataclass(frozen=True)
class Count:
    """One aggregate row from the database: an OPD, a day, a group and its tallies."""

    opd: int
    day: date
    group: Group
    tally: Tally


@dataclass(frozen=True)
class TargetLine:
    """One target's figures in one group (see Progress.add_target)."""

    opd: int
    group: Group
    quantity: Decimal
    period_days: int
    days_in_group: int
    output: Decimal


def tabulate(
    *,
    opds: Iterable[tuple[int, str]],
    days: list[date],
    counts: Iterable[Count],
    targets: Iterable[TargetLine],
    threshold: Decimal,
) -> tuple[Row, list[Row], list[DayPoint], Recommendation, list[int]]:
    """Overall row, OPD rows, the daily series and the recommendation from counted figures."""
    overall = Row(unit=None, name="")
    rows = {pk: Row(unit=pk, name=name) for pk, name in opds}
    points = {day: DayPoint(day=day) for day in days}
    for c in counts:
        row = rows.get(c.opd)
        for target in (overall, row, points.get(c.day)):
            if target is not None:
                getattr(target, c.group.value).add(c.tally)
    for t in targets:
        for row in (overall, rows.get(t.opd)):
            if row is not None:
                getattr(row, f"{t.group.value}_progress").add_target(
                    quantity=t.quantity,
                    period_days=t.period_days,
                    days_in_group=t.days_in_group,
                    output=t.output,
                )
    for row in (overall, *rows.values()):
        row.verdict = verdict(row.wfh, threshold)
    decision, below = recommend(overall.verdict, {pk: r.verdict for pk, r in rows.items()})
    return overall, list(rows.values()), [points[d] for d in days], decision, below
