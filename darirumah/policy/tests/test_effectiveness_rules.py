"""The effectiveness rules (R2, R3) with hand-computed numbers: shares, the verdict against the
circular's threshold, the recommendation, target progress capped per target, and when the
review is due."""

from datetime import date
from decimal import Decimal

import pytest

from darirumah.policy import rules_effectiveness as fx

D = Decimal
THRESHOLD = D("0.8")  # RuleSet.effectiveness_threshold by default


@pytest.mark.parametrize(
    ("mode", "group"),
    [
        ("WFH", fx.Group.WFH),
        ("WFA", fx.Group.WFH),
        ("WFO", fx.Group.WFO),
        ("ISOLATION", None),
        ("LEAVE", None),
        ("DUTY", None),
    ],
)
def test_modes_fall_into_two_groups_and_the_rest_is_left_out(mode, group):
    assert fx.group_of(mode) == group


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(7, 9, D("0.7778")), (12, 15, D("0.8000")), (5, 6, D("0.8333")), (0, 4, D("0")), (3, 0, None)],
)
def test_shares_are_decimals_rounded_to_four_places(part, whole, expected):
    assert fx.share(part, whole) == expected


@pytest.mark.parametrize(
    ("done", "days", "verdict"),
    [
        (12, 15, fx.Verdict.EFFECTIVE),  # exactly 80%: the threshold is reached
        (11, 15, fx.Verdict.NOT_EFFECTIVE),  # 73.3%
        (7, 9, fx.Verdict.NOT_EFFECTIVE),  # 77.8%
        (5, 6, fx.Verdict.EFFECTIVE),  # 83.3%
        (0, 0, fx.Verdict.NO_DATA),  # nobody at home
    ],
)
def test_the_verdict_reads_the_wfh_groups_tasks_done(done, days, verdict):
    assert fx.verdict(fx.Tally(person_days=days, done=done), THRESHOLD) == verdict


E, N, X = fx.Verdict.EFFECTIVE, fx.Verdict.NOT_EFFECTIVE, fx.Verdict.NO_DATA


@pytest.mark.parametrize(
    ("overall", "by_opd", "expected"),
    [
        (E, {1: E, 2: E}, (fx.Recommendation.CONTINUE, [])),
        (E, {1: E, 2: X}, (fx.Recommendation.CONTINUE, [])),  # an OPD without data is not judged
        (E, {1: N, 2: E, 3: N}, (fx.Recommendation.ADJUST, [1, 3])),
        (N, {1: N, 2: E}, (fx.Recommendation.WITHDRAW, [1])),
        (X, {1: X}, (fx.Recommendation.NO_DATA, [])),
    ],
)
def test_the_recommendation(overall, by_opd, expected):
    assert fx.recommend(overall, by_opd) == expected


@pytest.mark.parametrize(
    ("overall", "due", "answer"),
    [
        (E, True, fx.Answer.YES),
        (N, True, fx.Answer.NO),
        (X, True, fx.Answer.NO_DATA),
        (N, False, fx.Answer.TOO_EARLY),
        (E, False, fx.Answer.TOO_EARLY),
    ],
)
def test_the_mayors_answer(overall, due, answer):
    assert fx.answer(overall, due=due) == answer


@pytest.mark.parametrize(
    ("through", "ends_on", "due"),
    [
        (date(2020, 3, 20), None, False),  # second working day of a circular from 19 March
        (date(2020, 3, 23), None, True),  # third working day: the review is due
        (date(2020, 3, 20), date(2020, 3, 20), True),  # a two-day circular is over: final
    ],
)
def test_the_review_is_due_on_the_third_working_day_or_at_the_end(through, ends_on, due):
    assert fx.is_due(through=through, review_due_on=date(2020, 3, 23), ends_on=ends_on) == due


def test_target_progress_is_pro_rata_and_capped_per_target():
    # Target A: 20 documents over 9 working days, 3 days at home in the window → 6.6667 expected;
    # 8 reported, capped at 6.6667. Target B: 9 over 9 days, 3 at home → 3 expected; 1.5 done.
    # (6.6667 + 1.5) / (6.6667 + 3) = 8.1667 / 9.6667 = 0.8448.
    progress = fx.Progress()
    progress.add_target(quantity=D(20), period_days=9, days_in_group=3, output=D(8))
    progress.add_target(quantity=D(9), period_days=9, days_in_group=3, output=D("1.5"))
    assert progress.value == D("0.8448")
    # A target with no day in the group adds nothing.
    progress.add_target(quantity=D(50), period_days=9, days_in_group=0, output=D(0))
    assert progress.value == D("0.8448")


def test_tabulate_groups_by_opd_and_day_and_names_the_opds_to_adjust():
    d1, d2 = date(2020, 3, 19), date(2020, 3, 20)

    def count(opd, day, group, n, done):
        return fx.Count(opd, day, group, fx.Tally(person_days=n, done=done))

    overall, rows, series, decision, below = fx.tabulate(
        opds=[(1, "Disdukcapil"), (2, "Setda"), (3, "BKPSDM")],
        days=[d1, d2],
        counts=[
            count(1, d1, fx.Group.WFH, 4, 4),
            count(1, d2, fx.Group.WFH, 4, 2),  # Disdukcapil at home: 6/8 = 75%
            count(2, d1, fx.Group.WFH, 5, 5),
            count(2, d2, fx.Group.WFH, 5, 4),  # Setda at home: 9/10 = 90%
            count(2, d1, fx.Group.WFO, 2, 1),  # Setda at the office: 1/2 = 50%
        ],
        targets=[],
        threshold=THRESHOLD,
    )
    # Overall at home: 15/18 = 83.3% → effective; Disdukcapil below → adjust it.
    assert overall.wfh.done_share == D("0.8333")
    assert overall.verdict == fx.Verdict.EFFECTIVE
    assert [(r.name, r.verdict) for r in rows] == [
        ("Disdukcapil", N),
        ("Setda", E),
        ("BKPSDM", X),
    ]
    assert rows[1].gap == D("0.9") - D("0.5")
    assert rows[0].gap is None  # nobody at the office in Disdukcapil
    assert (decision, below) == (fx.Recommendation.ADJUST, [1])
    # Day by day: 9/9 at home on the 19th, 6/9 on the 20th.
    assert [p.wfh.done_share for p in series] == [D(1), D("0.6667")]
    assert [p.wfo.done_share for p in series] == [D("0.5"), None]
