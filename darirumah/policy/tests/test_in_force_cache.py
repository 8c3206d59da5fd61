"""The rules in force, kept per process for the check-in: every change through the services is
seen at once, because each call first checks one fingerprint query."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from darirumah.org import services as org_services
from darirumah.org.access import access_for
from darirumah.policy import selectors, services
from darirumah.policy.models import Circular
from darirumah.policy.tests.factories import make_circular

pytestmark = pytest.mark.django_db

DAY = date(2020, 3, 23)


def numbers(cast) -> list[str]:
    return [item.circular.number for item in selectors.circulars_in_force_cached(cast.agency, DAY)]


def test_a_repeat_costs_one_query_and_gives_the_same_answer(cast):
    make_circular(cast.agency, status=Circular.Status.ACTIVE, number="800/1")
    first = selectors.circulars_in_force_cached(cast.agency, DAY)
    with CaptureQueriesContext(connection) as queries:
        again = selectors.circulars_in_force_cached(cast.agency, DAY)
    assert again is first and len(queries) == 1
    assert [i.circular.number for i in first] == [
        i.circular.number for i in selectors.circulars_in_force(cast.agency, DAY)
    ]


def test_every_change_is_seen_at_once(cast):
    bkpsdm = access_for(cast.bkpsdm.user)
    draft = make_circular(cast.agency, number="800/2")
    assert numbers(cast) == []
    services.circular_activate(access=bkpsdm, circular=draft)
    assert numbers(cast) == ["800/2"]

    later = {"checkin_deadline": "08:00"}
    services.circular_update(access=bkpsdm, circular=draft, rules_data=later)
    (item,) = selectors.circulars_in_force_cached(cast.agency, DAY)
    assert item.rules.checkin_deadline.hour == 8  # a new rule-set version

    unit = org_services.unit_create(
        access=access_for(cast.operator),
        agency=cast.agency,
        code="BARU",
        name="Unit Baru",
        kind="bidang",
        parent=cast.setda,
    )
    (item,) = selectors.circulars_in_force_cached(cast.agency, DAY)
    assert unit.pk in item.units  # a unit added to the agency is covered

    services.circular_withdraw(access=bkpsdm, circular=draft, note="Dicabut")
    assert numbers(cast) == []  # a withdrawn circular is no longer in force


def test_days_and_agencies_are_kept_apart(cast):
    make_circular(cast.agency, status=Circular.Status.ACTIVE, number="800/3")
    assert numbers(cast) == ["800/3"]
    assert selectors.circulars_in_force_cached(cast.agency, date(2020, 4, 30)) == []
    assert selectors.circulars_in_force_cached(cast.other_agency, DAY) == []
