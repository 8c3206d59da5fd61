"""The navigation: each role sees the links of the pages it may use, and only those."""

import pytest
from django.urls import reverse

from darirumah.conftest import text
from darirumah.core.tests.matrix import ROLES
from darirumah.org.templatetags.darirumah import _url_or_none, nav_for

pytestmark = pytest.mark.django_db

ATTENDANCE_PAGES = (
    "checkin",
    "attendance_board",
    "attendance_manual",
    "vicon_roll",
    "incident_list",
    "job_runs",
)

# Who gets which link (the recap inbox is checked separately: that page may not exist yet).
EXPECTED = {
    "pegawai": {"checkin", "vicon_roll"},
    "atasan": {"checkin", "vicon_roll", "attendance_board"},
    "kepala_opd": {
        "checkin",
        "vicon_roll",
        "attendance_board",
        "attendance_manual",
        "incident_list",
    },
    "admin_opd": {
        "checkin",
        "vicon_roll",
        "attendance_board",
        "attendance_manual",
        "incident_list",
    },
    "bkpsdm": set(ATTENDANCE_PAGES),
    "pimpinan": {"checkin", "vicon_roll", "attendance_board", "incident_list"},
    "kesehatan": {"checkin", "vicon_roll"},
    "operator": {"attendance_board", "attendance_manual", "incident_list", "job_runs"},
    "outsider": {"checkin", "vicon_roll"},
    "outsider_bkpsdm": set(ATTENDANCE_PAGES),
}
RECAP_READERS = {"bkpsdm", "operator", "outsider_bkpsdm"}


def _nav_html(page: str) -> str:
    """The navbar only (the home page links some pages in its body too)."""
    return page.split('<nav class="navbar', 1)[1].split("</nav>", 1)[0]


def test_expected_covers_every_role():
    assert set(EXPECTED) == set(ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_exactly_its_attendance_links(browse, cast, role):
    user = cast.users()[role]
    nav = nav_for(user)
    assert {name for name in ATTENDANCE_PAGES if nav[name]} == EXPECTED[role]
    html = _nav_html(text(browse(user).get(reverse("home"))))
    for name in ATTENDANCE_PAGES:
        assert (f'href="{reverse(name)}"' in html) == (name in EXPECTED[role]), name
    # The dropdown appears when it has at least one entry.
    assert ('id="nav-attendance"' in html) == bool(EXPECTED[role] - {"checkin"})
    # Check-in is a prominent button on phones (outside the collapsed menu) for employees.
    assert ('id="nav-checkin-phone"' in html) == ("checkin" in EXPECTED[role])
    # The Roster link and the bell stay.
    assert 'id="nav-bell"' in html
    assert (f'href="{reverse("roster_grid")}"' in html) == bool(nav["roster_grid"])


@pytest.mark.parametrize("role", ROLES)
def test_every_offered_attendance_link_opens_and_no_hidden_one_does(browse, cast, role):
    """The flags follow the pages' own access rules: an offered link opens (200) as is; a page
    that is not offered refuses (403/404), except the check-in page, which tells a user without
    an employee record why there is nothing to do."""
    user = cast.users()[role]
    client = browse(user)
    for name in ATTENDANCE_PAGES:
        status = client.get(reverse(name)).status_code
        if name in EXPECTED[role]:
            assert status == 200, (name, status)
        elif name != "checkin":
            assert status in (403, 404), (name, status)


@pytest.mark.parametrize("role", ROLES)
def test_the_recap_inbox_link_is_bkpsdms_and_never_breaks_the_navbar(browse, cast, role):
    user = cast.users()[role]
    url = _url_or_none("recap_inbox")
    nav = nav_for(user)
    assert nav["recap_inbox"] == (url if role in RECAP_READERS else None)
    response = browse(user).get(reverse("home"))
    assert response.status_code == 200
    if url is not None:
        assert (f'href="{url}"' in _nav_html(text(response))) == (role in RECAP_READERS)


def test_a_missing_page_gives_no_address():
    assert _url_or_none("no_such_page_anywhere") is None
    assert _url_or_none("checkin") == reverse("checkin")


def test_anonymous_visitors_get_no_links(browse, db):
    assert nav_for(None) == {"authenticated": False}
    page = text(browse().get(reverse("login")))
    assert 'id="nav-attendance"' not in page and 'id="nav-checkin-phone"' not in page
