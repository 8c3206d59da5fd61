"""The circular's rules with the regulations' own numbers."""

from datetime import date, time

import pytest
from pydantic import ValidationError

from darirumah.policy import rules
from darirumah.policy.rules import Ineligible, Placement, RuleSet, Sector


@pytest.mark.parametrize(
    ("zone", "share"), [("none", 1.00), ("low", 0.75), ("medium", 0.50), ("high", 0.25)]
)
def test_se_67_2020_caps_by_risk_zone(zone, share):
    cap = rules.office_cap(risk_zone=zone)
    assert cap.share == share
    assert cap.citation == "SE MenPANRB 67/2020"


@pytest.mark.parametrize(
    ("sector", "level", "share"),
    [
        (Sector.NON_ESSENTIAL, 1, 1.00),
        (Sector.NON_ESSENTIAL, 2, 0.75),
        (Sector.NON_ESSENTIAL, 3, 0.50),
        (Sector.NON_ESSENTIAL, 4, 0.25),
        (Sector.ESSENTIAL, 1, 1.00),
        (Sector.ESSENTIAL, 2, 0.75),
        (Sector.ESSENTIAL, 3, 0.50),
        (Sector.ESSENTIAL, 4, 0.50),
        (Sector.CRITICAL, 4, 1.00),
    ],
)
def test_ppkm_caps_by_level_and_sector(sector, level, share):
    cap = rules.office_cap(ppkm_level=level, sector=sector)
    assert cap.share == share
    assert cap.citation == f"SE MenPANRB 23/2021, level {level}"


def test_a_ppkm_level_wins_over_the_older_risk_zone():
    assert rules.office_cap(risk_zone="high", ppkm_level=2).share == 0.75


def test_no_zone_and_no_level_caps_nothing():
    assert rules.office_cap().share == 1.00


def test_ppkm_level_out_of_range_is_refused():
    with pytest.raises(ValueError, match="1–4"):
        rules.office_cap(ppkm_level=5)


@pytest.mark.parametrize(
    ("staff", "share", "allowed"),
    [(10, 0.25, 2), (10, 0.5, 5), (3, 0.75, 2), (4, 0.75, 3), (0, 0.5, 0), (7, 1.0, 7)],
)
def test_a_cap_rounds_down(staff, share, allowed):
    assert rules.cap_count(staff, share) == allowed


@pytest.mark.parametrize(
    ("staff", "count", "share", "required"),
    [
        (12, 3, 0.0, 3),  # Disdukcapil: "cukup tiga orang"
        (12, 0, 0.25, 3),
        (10, 0, 0.25, 3),  # a minimum rounds up
        (10, 4, 0.25, 4),  # the larger of count and share
        (2, 3, 0.0, 3),  # more than the unit has: the planner reports it, the rule does not hide it
    ],
)
def test_minimum_on_site(staff, count, share, required):
    assert rules.min_on_site(staff=staff, count=count, share=share) == required


@pytest.mark.parametrize(
    ("kind", "exempt"),
    [
        ("kecamatan", True),
        ("kelurahan", True),
        ("desa", True),
        ("puskesmas", True),
        ("dinas", False),
        ("badan", False),
    ],
)
def test_batu_exempt_kinds_by_default(kind, exempt):
    assert rules.is_exempt(kind, rules.DEFAULT_EXEMPT_KINDS) is exempt


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (set(), None),
        ({"comorbidity"}, Placement.HOME_PREFERRED),
        ({"over_50"}, Placement.HOME_PREFERRED),
        ({"pregnant"}, Placement.HOME_REQUIRED),
        ({"recent_contact", "comorbidity"}, Placement.HOME_REQUIRED),
        ({"top_official"}, Placement.OFFICE_REQUIRED),
        ({"strategic_post", "over_50"}, Placement.OFFICE_REQUIRED),
        ({"top_official", "pregnant"}, Placement.HOME_REQUIRED),  # health first
        ({"unknown_flag"}, None),
    ],
)
def test_se_58_2020_placement(flags, expected):
    assert rules.placement(flags, rules.DEFAULT_CRITERIA) == expected


@pytest.mark.parametrize(
    ("birth", "on", "over"),
    [
        (date(1970, 3, 19), date(2020, 3, 19), False),  # exactly 50
        (date(1970, 3, 18), date(2020, 3, 19), False),
        (date(1969, 3, 20), date(2020, 3, 19), False),  # 50, birthday tomorrow
        (date(1969, 3, 19), date(2020, 3, 19), True),  # 51 today
    ],
)
def test_over_50(birth, on, over):
    assert rules.is_over(50, birth, on) is over


@pytest.mark.parametrize(
    ("sanction", "placed_on", "expected"),
    [
        (False, None, None),
        (True, None, Ineligible.SANCTION),
        (False, date(2025, 6, 1), Ineligible.NEWLY_PLACED),  # 5 months before
        (False, date(2024, 11, 1), None),  # 13 months before
        (False, date(2024, 11, 24), Ineligible.NEWLY_PLACED),  # one day short of 12 months
        (True, date(2020, 1, 1), Ineligible.SANCTION),
    ],
)
def test_permenpanrb_4_2025_eligibility(sanction, placed_on, expected):
    found = rules.flexible_ineligibility(
        under_sanction=sanction,
        placed_on=placed_on,
        today=date(2025, 11, 23),
        new_placement_months=12,
    )
    assert found == expected


def test_default_rule_set_matches_the_seed_and_regulation():
    ruleset = RuleSet()
    assert ruleset.checkin_deadline == time(7, 30)
    assert ruleset.vicon_time == time(14, 0)
    assert ruleset.report_time == time(15, 0)
    assert ruleset.review_after_days == 3
    assert ruleset.flexible.max_days_per_week == 2
    assert set(ruleset.exempt_unit_kinds) == {"kecamatan", "kelurahan", "desa", "puskesmas"}


def test_rule_set_round_trips_through_json():
    ruleset = RuleSet(
        minimum_on_site=[{"unit": 7, "count": 3}],
        office_caps=[{"office": 2, "share": 0.5}],
        vicon_time="15:00",
    )
    again = RuleSet.model_validate_json(ruleset.model_dump_json())
    assert again == ruleset
    assert again.minimum_for(unit=7, staff=12) == 3
    assert again.minimum_for(unit=8, staff=12) == 0


def test_rule_set_caps_per_office_and_from_the_agency():
    ruleset = RuleSet(office_caps=[{"office": 2, "share": 0.4}])
    assert ruleset.cap_for(office=2, risk_zone="high", ppkm_level=None).share == 0.4
    assert ruleset.cap_for(office=3, risk_zone="high", ppkm_level=None).share == 0.25
    assert RuleSet(cap_preset="none").cap_for(office=3, risk_zone="high", ppkm_level=4).share == 1


@pytest.mark.parametrize(
    "bad",
    [
        {"minimum_on_site": [{"unit": 1, "count": 2}, {"unit": 1, "count": 3}]},
        {"office_caps": [{"office": 1, "share": 1.5}]},
        {"checkin_deadline": "16:00"},
        {"flexible": {"max_days_per_week": 6}},
        {"cap_preset": "everything"},
        {"unknown": 1},
    ],
)
def test_bad_rule_sets_are_refused(bad):
    with pytest.raises(ValidationError):
        RuleSet(**bad)
