"""The month-end run: evaluation, TPP and discipline in order on the month's evaluation day,
started by the schedule (once, with a catch-up after a missed day) or by a person."""

from datetime import date

import pytest

from darirumah.core.errors import DomainError
from darirumah.performance.models import Evaluation, MonthEndRun, TppLine
from darirumah.performance.services.month_end import month_due, month_end_run
from darirumah.performance.tasks import month_end

from .factories import mark_attendance, set_tpp_rules, working_days_of

pytestmark = pytest.mark.django_db
AUGUST = date(2026, 8, 1)
LAST_WORKING_DAY = date(2026, 8, 31)  # a Monday


def test_the_run_evaluates_then_pays_by_the_score_then_checks_discipline(cast, clock):
    clock.set(2026, 9, 1, 3, 0)  # 10:00 WIB on 1 September
    set_tpp_rules(cast.agency, base_by_job_class={"9": "5000000"})
    cast.pegawai.job_class = 9
    cast.pegawai.save()
    days = working_days_of(cast.agency, AUGUST)
    mark_attendance(cast.pegawai, days[:-4], "present")
    mark_attendance(cast.pegawai, days[-4:], "absent")  # four unexcused days: a written warning

    run = month_end_run(agency=cast.agency, period=date(2026, 8, 17), actor=cast.bkpsdm.user)

    assert run.period == AUGUST and run.finished_at is not None
    assert run.trigger == MonthEndRun.Trigger.MANUAL and run.started_by == cast.bkpsdm.user
    evaluation = Evaluation.objects.get(employee=cast.pegawai, period=AUGUST)
    line = TppLine.objects.get(employee=cast.pegawai, period=AUGUST)
    # The TPP was computed after the evaluation: it pays the performance part by its score.
    assert line.breakdown["evaluation"]["score"] == str(evaluation.score)
    assert line.absence_deduction == 4 * 200000  # 4% of Rp 5.000.000 a day
    assert run.counts["discipline"]["opened"] >= 1
    assert cast.pegawai.discipline_cases.get().recommended_sanction == "written_warning"
    # Started again, the same numbers and no second case.
    again = month_end_run(agency=cast.agency, period=AUGUST)
    assert again.counts["discipline"]["opened"] == 0
    assert TppLine.objects.get(employee=cast.pegawai, period=AUGUST).net == line.net


def test_a_month_before_its_evaluation_day_is_refused(cast, clock):
    clock.set(2026, 8, 20, 3, 0)
    with pytest.raises(DomainError) as refused:
        month_end_run(agency=cast.agency, period=AUGUST)
    assert refused.value.code == "period_not_started"
    assert not Evaluation.objects.exists() and not TppLine.objects.exists()


def test_the_schedule_runs_once_on_the_day_and_catches_up_a_missed_one(cast, clock):
    assert (
        month_due(cast.agency, date(2026, 8, 28)) is None
    )  # July's day is four weeks past: no catch-up
    assert month_due(cast.agency, LAST_WORKING_DAY) == AUGUST
    clock.set(2026, 8, 31, 16, 30)  # 23:30 WIB, after the day's absences are marked
    summary = month_end(agency_id=cast.agency.pk, day=LAST_WORKING_DAY)
    assert summary.startswith("2026-08:")
    assert MonthEndRun.objects.get().trigger == MonthEndRun.Trigger.SCHEDULE
    assert month_end(agency_id=cast.agency.pk, day=LAST_WORKING_DAY) == "-"
    assert month_due(cast.agency, date(2026, 9, 1)) is None


def test_a_missed_month_is_caught_up_within_ten_days_only(cast):
    assert month_due(cast.agency, date(2026, 9, 1)) == AUGUST
    assert month_due(cast.agency, date(2026, 9, 10)) == AUGUST
    assert month_due(cast.agency, date(2026, 9, 11)) is None
