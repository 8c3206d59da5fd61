"""The health menu: every link a role is offered opens for it (the flags follow the pages' own
access rules), and the named pages are offered only to those who read names."""

import pytest
from django.urls import reverse

from darirumah.conftest import text
from darirumah.core.tests.matrix import ROLES
from darirumah.org.templatetags.darirumah import nav_for

pytestmark = pytest.mark.django_db

MENU = {
    "health_dashboard": "health-dashboard",
    "health_mine": "health-my-record",
    "health_cases": "health-cases",
    "health_isolations": "health-isolations",
    "health_closures": "health-closures",
    "health_clusters": "health-clusters",
    "health_access_log": "health-access-log",
    "health_settings": "health-settings",
}
NAMED = {"health_cases", "health_isolations", "health_access_log"}


@pytest.mark.parametrize("role", ROLES)
def test_every_offered_health_link_opens(browse, cast, clock, role):
    user = cast.users()[role]
    nav = nav_for(user)
    client = browse(user)
    html = text(client.get(reverse("home")))
    for flag, name in MENU.items():
        assert (f'href="{reverse(name)}"' in html) == nav[flag], (role, name)
        if nav[flag]:
            status = client.get(reverse(name)).status_code
            # The named pages first ask why (the reason page), then open.
            assert status in ((200, 302) if flag in NAMED else (200,)), (role, name, status)
    assert bool(NAMED & {f for f in MENU if nav[f]}) == (role == "kesehatan"), role
