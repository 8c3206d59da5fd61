"""The circular editor's attendance section: geofence radius, worst accuracy accepted, and what
happens to a check-in outside the area; saved into the rule set and shown on the detail page."""

import re

import pytest
from django.urls import reverse

from darirumah.conftest import text
from darirumah.policy import rules
from darirumah.policy.models import Circular
from darirumah.policy.services import current_rules
from darirumah.policy.tests.factories import make_circular
from darirumah.policy.tests.test_editor import form_data

pytestmark = pytest.mark.django_db


def test_the_form_shows_the_attendance_section_with_the_defaults(browse, cast):
    page = text(browse(cast.bkpsdm.user).get(reverse("circular_create")))
    assert 'id="attendance-section"' in page
    assert re.search(r'name="geofence_radius_m"[^>]*value="100"', page)
    assert re.search(r'name="max_accuracy_m"[^>]*value="150"', page)
    assert re.search(r'name="outside_checkin" value="flag"[^>]*checked', page)
    assert re.search(r'name="outside_checkin" value="refuse"', page)


def test_saving_the_values_creates_the_right_rule_set(browse, cast):
    client = browse(cast.bkpsdm.user)
    data = form_data(cast, geofence_radius_m="250", max_accuracy_m="40", outside_checkin="refuse")
    response = client.post(reverse("circular_create"), data)
    assert response.status_code == 302, text(response)
    ruleset = current_rules(Circular.objects.get())
    assert ruleset.geofence_radius_m == 250
    assert ruleset.max_accuracy_m == 40
    assert ruleset.outside_checkin == "refuse"


def test_the_limits_themselves_are_accepted(browse, cast):
    data = form_data(cast, geofence_radius_m="5000", max_accuracy_m="5", outside_checkin="flag")
    response = browse(cast.bkpsdm.user).post(reverse("circular_create"), data)
    assert response.status_code == 302, text(response)
    ruleset = current_rules(Circular.objects.get())
    assert (ruleset.geofence_radius_m, ruleset.max_accuracy_m) == (5000, 5)


def test_left_out_the_fields_keep_the_defaults(browse, cast):
    response = browse(cast.bkpsdm.user).post(reverse("circular_create"), form_data(cast))
    assert response.status_code == 302, text(response)
    ruleset = current_rules(Circular.objects.get())
    defaults = rules.RuleSet()
    assert ruleset.geofence_radius_m == defaults.geofence_radius_m == 100
    assert ruleset.max_accuracy_m == defaults.max_accuracy_m == 150
    assert ruleset.outside_checkin == defaults.outside_checkin == "flag"


def test_editing_makes_a_new_version_and_the_form_shows_the_saved_values(browse, cast):
    client = browse(cast.bkpsdm.user)
    client.post(reverse("circular_create"), form_data(cast, geofence_radius_m="300"))
    circular = Circular.objects.get()
    url = reverse("circular_edit", kwargs={"pk": circular.pk})
    page = text(client.get(url))
    assert re.search(r'name="geofence_radius_m"[^>]*value="300"', page)
    data = form_data(cast, geofence_radius_m="300", outside_checkin="refuse")
    response = client.post(url, data)
    assert response.status_code == 302, text(response)
    circular.refresh_from_db()
    assert circular.versions.count() == 2
    ruleset = current_rules(circular)
    assert (ruleset.geofence_radius_m, ruleset.outside_checkin) == (300, "refuse")
    detail = text(client.get(reverse("circular_detail", kwargs={"pk": circular.pk})))
    # The version history names the section that changed.
    assert "Changed: Attendance" in detail


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("geofence_radius_m", "9", "greater than or equal to 10"),
        ("geofence_radius_m", "5001", "less than or equal to 5000"),
        ("geofence_radius_m", "abc", "Enter a whole number."),
        ("max_accuracy_m", "4", "greater than or equal to 5"),
        ("max_accuracy_m", "9999", "less than or equal to 5000"),
        ("max_accuracy_m", "-1", "greater than or equal to 5"),
        ("outside_checkin", "ignore", "Select a valid choice."),
    ],
)
def test_bad_values_are_form_errors(browse, cast, field, value, message):
    response = browse(cast.bkpsdm.user).post(
        reverse("circular_create"), form_data(cast, **{field: value})
    )
    assert response.status_code == 200
    page = text(response)
    assert message in page
    assert "is-invalid" in page or "alert-danger" in page
    assert not Circular.objects.exists()


def test_the_detail_page_shows_the_attendance_rules(browse, cast):
    circular = make_circular(cast.agency)
    ruleset = rules.RuleSet(geofence_radius_m=75, max_accuracy_m=30, outside_checkin="refuse")
    circular.versions.update(rules=ruleset.model_dump(mode="json"))
    page = text(
        browse(cast.pegawai.user).get(reverse("circular_detail", kwargs={"pk": circular.pk}))
    )
    section = page.split('id="rules-attendance"', 1)[1].split("</section>", 1)[0]
    assert re.search(r"Geofence radius \(m\)</dt><dd[^>]*>75<", section)
    assert re.search(r"Worst location accuracy accepted \(m\)</dt><dd[^>]*>30<", section)
    assert re.search(r"A check-in outside the geofence</dt><dd[^>]*>Refuse it<", section)


def test_the_detail_page_names_the_default_outside_rule(browse, cast):
    circular = make_circular(cast.agency)
    page = text(
        browse(cast.pegawai.user).get(reverse("circular_detail", kwargs={"pk": circular.pk}))
    )
    section = page.split('id="rules-attendance"', 1)[1].split("</section>", 1)[0]
    assert "Accept it, marked outside the area for review" in section
    assert re.search(r"Geofence radius \(m\)</dt><dd[^>]*>100<", section)
