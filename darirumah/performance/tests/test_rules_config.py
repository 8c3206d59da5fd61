"""Editing the agency's performance rules: validated through config.parse, per-setting
messages, BKPSDM of the agency or the operator only, history of who changed what."""

from decimal import Decimal

import pytest

from darirumah.core.errors import DomainError, NotAllowed
from darirumah.org.access import access_for
from darirumah.performance import config
from darirumah.performance.models import PerformanceRuleSet
from darirumah.performance.selectors.tpp import config_of
from darirumah.performance.services.rules_config import rules_config_update


def update(cast, data, who="bkpsdm", agency=None):
    user = cast.operator if who == "operator" else getattr(cast, who).user
    return rules_config_update(access=access_for(user), agency=agency or cast.agency, data=data)


def test_saved_rules_are_what_the_run_reads(cast):
    rule_set = update(
        cast,
        {"tpp": {"base_by_job_class": {"9": 5_000_000}, "absence_percent": "3.5"}},
    )
    assert rule_set.changed_by == cast.bkpsdm.user
    tpp = config_of(cast.agency).tpp
    assert tpp.base_by_job_class == {9: Decimal(5_000_000)}
    assert tpp.absence_percent == Decimal("3.5")
    assert tpp.late_bands == config.TppConfig().late_bands  # missing parts take the defaults
    assert config_of(cast.agency).evaluation == config.EvaluationConfig()


def test_saving_again_changes_the_same_row_and_keeps_its_history(cast):
    update(cast, {"tpp": {"performance_weight": 40, "discipline_weight": 60}})
    update(cast, {"tpp": {"performance_weight": 60, "discipline_weight": 40}}, who="operator")
    rule_set = PerformanceRuleSet.objects.get()
    history = list(rule_set.history.order_by("history_date"))
    assert [h.history_user for h in history] == [cast.bkpsdm.user, cast.operator]
    assert history[0].rules["tpp"]["performance_weight"] == "40"
    assert rule_set.rules["tpp"]["performance_weight"] == "60"


OPEN_FIRST = [{"up_to_minutes": None, "percent": 1}, {"up_to_minutes": 30, "percent": 2}]
GOING_DOWN = [{"up_to_minutes": 60, "percent": 1}, {"up_to_minutes": 30, "percent": 2}]
GOING_DOWN.append({"percent": 3})
WEIGHTS_SPLIT = "The performance and discipline weights must add up to 100."
OPEN_ENDED = "Only the last band is open-ended (no upper limit), and it must be."


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"tpp": {"performance_weight": 70}}, "tpp", WEIGHTS_SPLIT),
        ({"tpp": {"absence_percent": "-1"}}, "tpp.absence_percent", "At least 0."),
        ({"tpp": {"absence_percent": "lots"}}, "tpp.absence_percent", "Give a number."),
        ({"tpp": {"base_by_job_class": {"18": 1}}}, "tpp.base_by_job_class",
         "Job class 18 is not 1–17."),
        ({"tpp": {"base_by_job_class": {"x": 1}}}, "tpp.base_by_job_class.x",
         "Give a whole number."),
        ({"tpp": {"late_bands": OPEN_FIRST}}, "tpp.late_bands", OPEN_ENDED),
        ({"tpp": {"early_leave_bands": GOING_DOWN}}, "tpp.early_leave_bands",
         "The bands must go up in minutes."),
        ({"tpp": {"absence_mode": "weekly"}}, "tpp.absence_mode",
         "Choose one of: 'percent' or 'day_share'."),
        ({"evaluation": {"weights": {"targets": 50}}}, "evaluation.weights",
         "The component weights must add up to 100."),
        ({"colour": "blue"}, "colour", "Not a known setting."),
    ],
)  # fmt: skip
def test_wrong_rules_are_refused_per_setting(cast, data, field, message):
    with pytest.raises(DomainError) as raised:
        update(cast, data)
    assert raised.value.fields[field] == [message]
    assert not PerformanceRuleSet.objects.exists()


def test_rules_must_be_an_object(cast):
    with pytest.raises(DomainError) as raised:
        update(cast, ["tpp"])
    assert "__all__" in raised.value.fields


@pytest.mark.parametrize("who", ["pimpinan", "kepala", "admin_opd", "pegawai", "outsider_bkpsdm"])
def test_only_bkpsdm_of_the_agency_or_the_operator_edits(cast, who):
    with pytest.raises(NotAllowed):
        update(cast, {}, who=who)
    assert not PerformanceRuleSet.objects.exists()
