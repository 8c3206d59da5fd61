"""The `in_zone` filter: agency wall-clock times survive `|date` and `|time`."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from darirumah.conftest import text
from darirumah.notify.tests.factories import make_notification
from darirumah.org.templatetags.darirumah import in_zone

# 07:05 WIB (UTC+7) on a Monday morning is 00:05 UTC.
MOMENT = datetime(2026, 8, 3, 0, 5, tzinfo=UTC)


def _render(source: str, **context) -> str:
    return Template("{% load darirumah %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("zone", "shown"), [("WIB", "07:05"), ("WITA", "08:05"), ("WIT", "09:05"), ("nowhere", "00:05")]
)
def test_date_after_in_zone_keeps_the_agency_wall_clock(zone, shown):
    with timezone.override("UTC"):
        assert _render('{{ when|in_zone:zone|date:"H:i" }}', when=MOMENT, zone=zone) == shown
        assert _render('{{ when|in_zone:zone|time:"H:i" }}', when=MOMENT, zone=zone) == shown


def test_in_zone_stays_aware_with_the_right_offset():
    local = in_zone(MOMENT, "WIB")
    assert local == MOMENT  # the same instant
    assert local.utcoffset().total_seconds() == 7 * 3600
    with timezone.override("UTC"):
        assert _render('{{ when|in_zone:"WIB"|date:"c" }}', when=MOMENT).endswith("+07:00")


def test_in_zone_leaves_missing_and_naive_values_alone():
    assert in_zone(None, "WIB") is None
    naive = datetime(2026, 8, 3, 7, 5)
    assert in_zone(naive, "WIB") is naive
    assert _render('{{ when|in_zone:"WIB"|date:"H:i" }}', when=None) == ""


@pytest.mark.django_db
def test_a_0705_wib_notification_renders_0705_on_the_inbox(browse, cast, settings):
    settings.TIME_ZONE = "UTC"
    assert cast.agency.zone == "WIB"
    make_notification(cast.pegawai.user, title="Pengingat presensi", created_at=MOMENT)
    page = text(browse(cast.pegawai.user).get(reverse("notification_list")))
    assert "3 Aug 2026 07:05 WIB" in page
    assert "2026 00:05" not in page  # the UTC wall clock (the bug)
