"""The performance menu: every link a role is offered opens for it (the flags follow the pages'
own access rules)."""

import pytest
from django.urls import reverse

from darirumah.conftest import text
from darirumah.core.tests.matrix import ROLES
from darirumah.org.templatetags.darirumah import nav_for

pytestmark = pytest.mark.django_db

MENU = {
    "perf_my_report": "performance-my-report",
    "perf_targets": "performance-targets",
    "perf_review": "performance-review",
    "perf_missing": "performance-missing",
    "perf_evaluation_mine": "performance-evaluation-mine",
    "perf_evaluation_unit": "performance-evaluation-unit",
    "perf_evaluation_overview": "performance-evaluation-overview",
    "perf_tpp_mine": "performance-tpp-mine",
    "perf_tpp_list": "performance-tpp-list",
    "perf_discipline": "performance-discipline-list",
    "perf_rules": "performance-rules",
    "perf_dashboard_unit": "performance-dashboard-unit",
    "perf_dashboard_agency": "performance-dashboard-agency",
    "perf_dashboard_leadership": "performance-dashboard-leadership",
}


@pytest.mark.parametrize("role", ROLES)
def test_every_offered_performance_link_opens(browse, cast, clock, role):
    clock.set(2026, 9, 1, 3, 0)
    user = cast.users()[role]
    nav = nav_for(user)
    client = browse(user)
    html = text(client.get(reverse("home")))
    for flag, name in MENU.items():
        status = client.get(reverse(name)).status_code
        assert (f'href="{reverse(name)}"' in html) == nav[flag], (role, name)
        if nav[flag]:
            assert status == 200, (role, name, status)
        elif flag in ("perf_review", "perf_rules", "perf_dashboard_agency"):
            assert status in (403, 404), (role, name, status)


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        (
            "pegawai",
            {
                "perf_my_report",
                "perf_targets",
                "perf_evaluation_mine",
                "perf_tpp_mine",
                "perf_discipline",
            },
        ),
        ("bkpsdm", set(MENU) - {"perf_review", "perf_evaluation_unit", "perf_dashboard_unit"}),
        (
            "kepala_opd",
            set(MENU) - {"perf_rules", "perf_dashboard_agency", "perf_dashboard_leadership"},
        ),
    ],
)
def test_the_menu_of_a_pegawai_and_of_bkpsdm(cast, role, offered):
    nav = nav_for(cast.users()[role])
    assert {flag for flag in MENU if nav[flag]} == offered
