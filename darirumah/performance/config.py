"""An agency's performance rules: how the month-end evaluation scores and rates, how the TPP
allowance is computed, and when discipline cases are recommended. Stored as JSON on
PerformanceRuleSet and validated here; every number is a default the agency may change (its own
Perkada), never a law of the program.

Sources of the defaults (../shared/DOMAIN.md):
- ratings: the five ratings of PermenPANRB 6/2022; the score bands 91/76/61/51 are the bands of
  PP 46/2011 that many regions still use to turn a score into a rating;
- TPP: PP 12/2019 art. 58 leaves the split and the deductions to each region; the defaults are
  60% performance / 40% discipline and the example deduction table of DOMAIN.md (late or early
  leave 0.5/1/1.5/2%, no check-in 2%, unexcused absence 4% a day; a decided medium sanction cuts
  25% for its months, PP 94/2021);
- discipline: PP 94/2021, ten consecutive working days absent without reason.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

HUNDRED = Decimal(100)


class Rating(StrEnum):
    SANGAT_BAIK = "sangat_baik"
    BAIK = "baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan"
    KURANG = "kurang"
    SANGAT_KURANG = "sangat_kurang"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ComponentWeights(_Strict):
    """How much each part weighs in the month's score (percent, together 100)."""

    targets: Decimal = Field(Decimal(60), ge=0, le=100)
    reports: Decimal = Field(Decimal(20), ge=0, le=100)
    attendance: Decimal = Field(Decimal(10), ge=0, le=100)
    vicon: Decimal = Field(Decimal(10), ge=0, le=100)

    @model_validator(mode="after")
    def _sum_is_100(self) -> ComponentWeights:
        if self.targets + self.reports + self.attendance + self.vicon != HUNDRED:
            raise ValueError("the component weights must add up to 100")
        return self


class RatingThresholds(_Strict):
    """The lowest score of each rating; below `kurang` is Sangat Kurang."""

    sangat_baik: Decimal = Field(Decimal(91), ge=0, le=100)
    baik: Decimal = Field(Decimal(76), ge=0, le=100)
    butuh_perbaikan: Decimal = Field(Decimal(61), ge=0, le=100)
    kurang: Decimal = Field(Decimal(51), ge=0, le=100)

    @model_validator(mode="after")
    def _descending(self) -> RatingThresholds:
        if not self.sangat_baik > self.baik > self.butuh_perbaikan > self.kurang:
            raise ValueError("each rating must need a higher score than the one below it")
        return self


class EvaluationConfig(_Strict):
    weights: ComponentWeights = Field(default_factory=ComponentWeights)
    thresholds: RatingThresholds = Field(default_factory=RatingThresholds)
    # The day of the month the evaluation runs (31 = the month's last day, whatever its length);
    # None = the last working day of the month in the agency calendar.
    run_on_day: int | None = Field(None, ge=1, le=31)


class Band(_Strict):
    """Minutes up to `up_to_minutes` (None: any longer) cost `percent` of the monthly TPP."""

    up_to_minutes: int | None = Field(None, ge=1, le=24 * 60)
    percent: Decimal = Field(ge=0, le=100)


def _default_bands() -> list[Band]:
    return [
        Band(up_to_minutes=30, percent=Decimal("0.5")),
        Band(up_to_minutes=60, percent=Decimal("1")),
        Band(up_to_minutes=90, percent=Decimal("1.5")),
        Band(up_to_minutes=None, percent=Decimal("2")),
    ]


class AbsenceMode(StrEnum):
    PERCENT = "percent"  # `absence_percent` of the monthly allowance per day
    DAY_SHARE = "day_share"  # the whole of that day's share (monthly allowance / working days)


class TppConfig(_Strict):
    # Monthly allowance per job class (kelas jabatan 1–17), in rupiah.
    base_by_job_class: dict[int, Decimal] = Field(default_factory=dict)
    performance_weight: Decimal = Field(Decimal(60), ge=0, le=100)
    discipline_weight: Decimal = Field(Decimal(40), ge=0, le=100)
    late_bands: list[Band] = Field(default_factory=_default_bands)
    early_leave_bands: list[Band] = Field(default_factory=_default_bands)
    no_checkin_percent: Decimal = Field(Decimal(2), ge=0, le=100)
    absence_mode: AbsenceMode = AbsenceMode.PERCENT
    absence_percent: Decimal = Field(Decimal(4), ge=0, le=100)
    medium_sanction_cut_percent: Decimal = Field(Decimal(25), ge=0, le=100)

    @field_validator("base_by_job_class")
    @classmethod
    def _classes_and_amounts(cls, table: dict[int, Decimal]) -> dict[int, Decimal]:
        for job_class, amount in table.items():
            if not 1 <= job_class <= 17:
                raise ValueError(f"job class {job_class} is not 1–17")
            if amount < 0:
                raise ValueError(f"the amount of job class {job_class} is negative")
        return table

    @field_validator("late_bands", "early_leave_bands")
    @classmethod
    def _bands_ascending(cls, bands: list[Band]) -> list[Band]:
        if not bands:
            return bands
        limits = [b.up_to_minutes for b in bands]
        if limits[-1] is not None or None in limits[:-1]:
            raise ValueError("only the last band is open-ended, and it must be")
        if limits[:-1] != sorted(set(limits[:-1])):
            raise ValueError("the bands must go up in minutes")
        return bands

    @model_validator(mode="after")
    def _split_is_100(self) -> TppConfig:
        if self.performance_weight + self.discipline_weight != HUNDRED:
            raise ValueError("the performance and discipline weights must add up to 100")
        return self


class DisciplineConfig(_Strict):
    # A recommended case nobody decided within this many days is flagged against the supervisor.
    decision_days: int = Field(14, ge=1, le=90)
    # A month whose weighted target achievement is below this share counts as missed targets.
    missed_target_percent: Decimal = Field(Decimal(50), ge=0, le=100)
    consecutive_absence_days: int = Field(10, ge=2, le=60)


class PerformanceConfig(_Strict):
    evaluation: EvaluationConfig = Field(default_factory=EvaluationConfig)
    tpp: TppConfig = Field(default_factory=TppConfig)
    discipline: DisciplineConfig = Field(default_factory=DisciplineConfig)


def parse(data: dict | None) -> PerformanceConfig:
    """The stored JSON as a config; missing parts take the defaults."""
    return PerformanceConfig.model_validate(data or {})


def dump(config: PerformanceConfig) -> dict:
    """The config as JSON-safe data (decimals as strings, exact)."""
    return config.model_dump(mode="json")
