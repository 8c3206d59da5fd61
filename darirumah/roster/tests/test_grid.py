"""The roster grid: colours and counts, live checks on an edit, read-only and refused callers,
the manual-change endpoint's violations, and planning and publishing from the page."""

import json
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from darirumah.conftest import client_for, text
from darirumah.org.access import access_for
from darirumah.org.tests.factories import EmployeeFactory, UnitFactory
from darirumah.policy.models import Circular
from darirumah.policy.tests.factories import make_circular
from darirumah.roster import checks
from darirumah.roster.models import RosterEntry

pytestmark = pytest.mark.django_db
MONDAY, TUESDAY = date(2020, 3, 23), date(2020, 3, 24)  # 25 March 2020 was Nyepi
WEEK = {"start": "2020-03-23", "end": "2020-03-27"}
UNIT_NAME = "Dinas Kependudukan dan Pencatatan Sipil"


@pytest.fixture
def serang(cast):
    """Disdukcapil (a public-service unit, 3 on site) with 5 staff of its own under a circular."""
    extra = [EmployeeFactory(unit=cast.disdukcapil, name=f"Staf Loket {i}") for i in (1, 2, 3)]
    circular = make_circular(cast.agency, status=Circular.Status.ACTIVE, units=[cast.disdukcapil])
    own = [cast.kepala, cast.admin_opd, *extra]
    return circular, own


def enter(employee, day, mode, *, published=True):
    return RosterEntry.objects.create(
        employee=employee, date=day, mode=mode, source="manual", published=published
    )


def cell(page: str, employee, day: date) -> str:
    """The opening tag of one cell of the grid."""
    match = re.search(rf'<td id="cell-{employee.pk}-{day:%Y%m%d}"[^>]*>', page)
    assert match, f"no cell for {employee} on {day}"
    return match.group(0)


def footer(page: str, day: date, row: str = "") -> str:
    """One footer cell: the day's total on site, or a unit's (row="u<pk>") or office's row."""
    match = re.search(rf'<td id="foot-{row}{"-" if row else ""}{day:%Y%m%d}"[^>]*>[^<]*</td>', page)
    assert match, f"no footer {row} for {day}"
    return match.group(0)


def grid(browse, user, unit, **params):
    return browse(user).get(reverse("roster_grid"), {"unit": unit.pk, **WEEK, **params})


def test_the_head_sees_colours_drafts_counts_and_fairness(browse, cast, serang):
    _circular, own = serang
    for person in own[:4]:
        enter(person, MONDAY, "WFO")
    enter(own[4], MONDAY, "LEAVE")
    enter(cast.pegawai, MONDAY, "WFH", published=False)
    # The minimum counts the bidang's staff too: with them away as well, only 2 are left.
    for person in [*own[:3], cast.atasan, cast.pegawai]:
        enter(person, date(2020, 3, 26), "LEAVE")
    response = grid(browse, cast.kepala.user, cast.disdukcapil)
    assert response.status_code == 200
    page = text(response)
    assert "rg-wfo" in cell(page, own[0], MONDAY)
    assert "rg-leave" in cell(page, own[4], MONDAY)
    pegawai = cell(page, cast.pegawai, MONDAY)
    assert "rg-wfh" in pegawai and "rg-draft" in pegawai  # planned, not yet published
    assert "rg-draft" not in cell(page, own[0], MONDAY)
    assert "rg-none" in cell(page, own[0], TUESDAY)  # nobody planned Tuesday yet
    assert f"cell-{own[0].pk}-20200325" not in page  # Nyepi is not a working day
    row = f"u{cast.disdukcapil.pk}"
    monday = footer(page, MONDAY, row)
    assert ">4 / 3<" in monday and "table-danger" not in monday
    tuesday = footer(page, TUESDAY, row)
    assert ">0 / 3<" in tuesday and "table-danger" in tuesday
    assert ">4<" in footer(page, MONDAY)  # the whole subtree: the pegawai is at home
    assert f"{UNIT_NAME} needs 3 on site on March 24, 2020; the roster has 0 there." in page
    assert "needs 3 on site on March 26, 2020; only 2 of its staff can be there." in page
    # Fairness: one office day out of the three days not on leave; four for those never away.
    assert re.search(rf'id="fair-{own[0].pk}"[^>]*>1 / 3<', page)
    assert re.search(rf'id="fair-{own[3].pk}"[^>]*>1 / 4<', page)
    assert re.search(rf'id="fair-{own[4].pk}"[^>]*>0 / 3<', page)
    assert '<select name="mode"' in page  # the head edits
    assert "Publish (1)" in page


def test_an_edit_below_the_minimum_names_the_unit_and_the_day(browse, cast, serang):
    _circular, own = serang
    for person in own[:3]:
        enter(person, MONDAY, "WFO")
    for person in own[3:]:
        enter(person, MONDAY, "WFH")
    client = browse(cast.kepala.user)
    page = text(grid(browse, cast.kepala.user, cast.disdukcapil))
    row = f"u{cast.disdukcapil.pk}"
    assert ">3 / 3<" in footer(page, MONDAY, row)
    assert "needs 3 on site on March 23, 2020" not in page
    response = client.post(
        f"{reverse('roster_cell')}?unit={cast.disdukcapil.pk}&start=2020-03-23&end=2020-03-27",
        {"employee": own[0].pk, "day": "2020-03-23", "mode": "WFH", "reason": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    answer = text(response)
    assert answer.lstrip().startswith(f'<td id="cell-{own[0].pk}-20200323"')
    assert "rg-wfh" in cell(answer, own[0], MONDAY)
    assert 'hx-swap-oob="true"' in answer
    monday = footer(answer, MONDAY, row)
    assert ">2 / 3<" in monday and "table-danger" in monday
    assert f"{UNIT_NAME} needs 3 on site on March 23, 2020" in answer
    entry = RosterEntry.objects.get(employee=own[0], date=MONDAY)
    assert (entry.mode, entry.source) == ("WFH", "manual")
    assert entry.reason == "Changed on the roster grid"
    # Without htmx the same post goes back to the grid, where the rule is shown too.
    response = client.post(
        reverse("roster_cell"),
        {"employee": own[1].pk, "day": "2020-03-23", "mode": "WFH", "reason": "rapat di luar"},
        follow=True,
    )
    assert f"{UNIT_NAME} needs 3 on site on March 23, 2020" in text(response)
    assert RosterEntry.objects.get(employee=own[1], date=MONDAY).reason == "rapat di luar"


def test_a_holiday_cell_is_refused_with_the_reason(browse, cast, serang):
    response = browse(cast.kepala.user).post(
        f"{reverse('roster_cell')}?unit={cast.disdukcapil.pk}&start=2020-03-23&end=2020-03-27",
        {"employee": cast.pegawai.pk, "day": "2020-03-25", "mode": "WFH"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "not a working day" in text(response)
    assert not RosterEntry.objects.exists()


def test_bad_input_is_a_clear_400(browse, cast):
    response = browse(cast.kepala.user).post(
        reverse("roster_cell"), {"employee": "x", "day": "kemarin", "mode": "NAP"}
    )
    assert response.status_code == 400


def test_unreadable_dates_fall_back_with_a_message(browse, cast):
    response = browse(cast.kepala.user).get(
        reverse("roster_grid"), {"unit": cast.disdukcapil.pk, "start": "besok"}
    )
    assert response.status_code == 200
    assert "Give the dates as YYYY-MM-DD" in text(response)


def test_a_supervisor_reads_their_team_only(browse, cast, serang):
    enter(cast.pegawai, MONDAY, "WFH")
    response = grid(browse, cast.atasan.user, cast.disdukcapil)
    assert response.status_code == 200
    page = text(response)
    assert "rg-wfh" in cell(page, cast.pegawai, MONDAY)
    assert "Atasan Pelayanan" in page
    assert "Admin Dukcapil" not in page  # not in the team
    assert '<select name="mode"' not in page and "roster_grid_plan" not in page
    assert "You can read this roster" in page
    refused = browse(cast.atasan.user).post(
        reverse("roster_cell"), {"employee": cast.pegawai.pk, "day": "2020-03-23", "mode": "WFO"}
    )
    assert refused.status_code == 403
    assert RosterEntry.objects.get(employee=cast.pegawai).mode == "WFH"


def test_bkpsdm_and_pimpinan_read_and_bkpsdm_edits(browse, cast, serang):
    pimpinan = text(grid(browse, cast.pimpinan.user, cast.disdukcapil))
    assert "Kepala Dukcapil" in pimpinan and '<select name="mode"' not in pimpinan
    bkpsdm = text(grid(browse, cast.bkpsdm.user, cast.disdukcapil))
    assert '<select name="mode"' in bkpsdm


def test_outsiders_are_refused(browse, cast, serang):
    assert grid(browse, cast.outsider.user, cast.disdukcapil).status_code == 404
    assert grid(browse, cast.outsider_bkpsdm.user, cast.disdukcapil).status_code == 404
    assert grid(browse, cast.pegawai.user, cast.disdukcapil).status_code == 403
    assert grid(browse, cast.peer.user, cast.disdukcapil).status_code == 403
    assert browse(cast.outsider.user).get(reverse("roster_grid")).status_code == 403
    refused = browse(cast.outsider_bkpsdm.user).post(
        reverse("roster_cell"), {"employee": cast.pegawai.pk, "day": "2020-03-23", "mode": "WFO"}
    )
    assert refused.status_code == 404


def test_the_default_grid_is_the_heads_own_unit(browse, cast, serang):
    page = text(browse(cast.kepala.user).get(reverse("roster_grid")))
    assert f"Roster · {UNIT_NAME}" in page
    assert "Previous" in page and "Next" in page


def put(user, employee, day, body, **query):
    url = f"/api/v1/roster/{employee.pk}/{day}"
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return client_for(user).put(url, json.dumps(body), content_type="application/json")


def test_the_manual_change_answers_with_the_rules_it_breaks(cast, serang):
    _circular, own = serang
    for person in own[:3]:
        enter(person, MONDAY, "WFO")
    ok = put(cast.kepala.user, own[3], "2020-03-23", {"mode": "WFH", "reason": "giliran"})
    assert ok.status_code == 200
    assert ok.json()["violations"] == []
    dry = put(
        cast.kepala.user, own[0], "2020-03-23", {"mode": "WFH", "reason": "giliran"}, dry_run="true"
    )
    assert dry.status_code == 200
    body = dry.json()
    assert body["dry_run"] is True and body["mode"] == "WFH"
    (broken,) = body["violations"]
    assert broken["rule"] == "unit_minimum" and broken["unit_id"] == cast.disdukcapil.pk
    assert (broken["needed"], broken["got"]) == (3, 2)
    assert UNIT_NAME in broken["message"]
    assert RosterEntry.objects.get(employee=own[0], date=MONDAY).mode == "WFO"  # not saved
    saved = put(cast.kepala.user, own[0], "2020-03-23", {"mode": "WFH", "reason": "giliran"})
    assert saved.json()["violations"][0]["rule"] == "unit_minimum"
    assert RosterEntry.objects.get(employee=own[0], date=MONDAY).mode == "WFH"


def test_a_dry_run_still_needs_the_right_to_change(cast, serang):
    response = put(
        cast.atasan.user, cast.pegawai, "2020-03-23", {"mode": "WFH", "reason": "x"}, dry_run="true"
    )
    assert response.status_code == 403


def test_the_check_reports_unplanned_days_and_not_broken_completeness(cast, serang):
    _circular, own = serang
    enter(own[0], MONDAY, "WFO")
    result = checks.roster_check(
        access=access_for(cast.kepala.user), unit=cast.disdukcapil, start=MONDAY, end=MONDAY
    )
    assert (own[1].pk, MONDAY) in result.unplanned
    assert (own[0].pk, MONDAY) not in result.unplanned
    assert all(v.rule != "complete" for v in result.violations)
    assert result.counts[MONDAY].on_site == 1 and result.counts[MONDAY].unplanned == 6


def test_plan_and_publish_from_the_grid(browse, cast, serang):
    _circular, own = serang
    client = browse(cast.kepala.user)
    form = {"unit": cast.disdukcapil.pk, **WEEK}
    response = client.post(reverse("roster_grid_plan"), form, follow=True)
    page = text(response)
    assert "Planned under" in page
    entries = RosterEntry.objects.filter(employee__unit__path__startswith=cast.disdukcapil.path)
    assert entries.count() == 7 * 4  # seven people, four working days
    assert not entries.filter(published=True).exists()
    for day in (MONDAY, TUESDAY):  # the minimum of 3 counts the bidang's staff too
        assert entries.filter(date=day, mode="WFO").count() >= 3
    assert "rg-draft" in cell(page, own[0], MONDAY)
    assert "Every rule of" in page
    response = client.post(reverse("roster_grid_publish"), form, follow=True)
    assert "28 roster days published for" in text(response)
    assert not entries.filter(published=False).exists()
    assert "rg-draft" not in cell(text(response), own[0], MONDAY)


def test_planning_without_a_circular_says_so(browse, cast):
    response = browse(cast.kepala.user).post(
        reverse("roster_grid_plan"), {"unit": cast.disdukcapil.pk, **WEEK}, follow=True
    )
    assert "No circular in force covers" in text(response)
    assert not RosterEntry.objects.exists()


def test_a_reader_cannot_plan_or_publish(browse, cast, serang):
    form = {"unit": cast.disdukcapil.pk, **WEEK}
    assert browse(cast.pimpinan.user).post(reverse("roster_grid_plan"), form).status_code == 403
    assert browse(cast.atasan.user).post(reverse("roster_grid_publish"), form).status_code == 403


def test_the_roster_link_is_offered_to_those_who_can_open_it(browse, cast):
    link = f'href="{reverse("roster_grid")}"'
    assert link not in text(browse(cast.pegawai.user).get(reverse("home")))
    for user in (cast.kepala.user, cast.atasan.user, cast.pimpinan.user, cast.operator):
        client = browse(user)
        assert link in text(client.get(reverse("home")))
        assert client.get(reverse("roster_grid")).status_code == 200


def test_days_past_the_circular_are_shown_unchecked(browse, cast, serang):
    """The circular ends on 31 March: 1–3 April are shown, with no minimum or cap to meet."""
    _circular, own = serang
    enter(own[0], date(2020, 4, 1), "WFO")
    response = grid(browse, cast.kepala.user, cast.disdukcapil, end="2020-04-03")
    assert response.status_code == 200
    page = text(response)
    row = f"u{cast.disdukcapil.pk}"
    assert ">1<" in footer(page, date(2020, 4, 1))
    assert ">—<" in footer(page, date(2020, 4, 1), row)  # no minimum after the circular
    assert ">0 / 3<" in footer(page, date(2020, 3, 31), row)
    assert "Pusat Pemerintahan: on site / cap" in page


def test_the_grid_costs_the_same_queries_for_more_staff(browse, cast, serang):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert grid(browse, cast.kepala.user, cast.disdukcapil).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for _ in range(15):
        person = EmployeeFactory(unit=cast.pelayanan, office=cast.office)
        enter(person, MONDAY, "WFO")
        enter(person, TUESDAY, "WFH", published=False)
    assert queries() == few


def test_a_cell_of_someone_no_longer_active_reloads_the_grid_with_the_reason(browse, cast, serang):
    _circular, own = serang
    own[2].is_active = False
    own[2].save()
    client = browse(cast.kepala.user)
    response = client.post(
        reverse("roster_cell"),
        {"employee": own[2].pk, "day": "2020-03-23", "mode": "WFH"},
        HTTP_HX_REQUEST="true",
    )
    assert (response.status_code, response["HX-Refresh"]) == (204, "true")
    page = text(client.get(reverse("roster_grid"), {"unit": cast.disdukcapil.pk, **WEEK}))
    assert "is no longer active" in page


def test_an_office_over_its_cap_is_red_and_explained(browse, cast, serang):
    """Half of the building's four staff may be on site; the Secretariat's man there counts too."""
    circular, own = serang
    for person in own[2:]:
        person.office = cast.office
        person.save()
    cast.peer.office = cast.office  # works in the same building, in another covered unit
    cast.peer.save()
    circular.units.add(cast.setda)
    version = circular.versions.get()
    version.rules = {**version.rules, "office_caps": [{"office": cast.office.pk, "share": 0.5}]}
    version.save()
    for person in own:
        enter(person, MONDAY, "WFO")
    enter(cast.peer, MONDAY, "WFO")
    page = text(grid(browse, cast.kepala.user, cast.disdukcapil))
    office = footer(page, MONDAY, f"o{cast.office.pk}")
    assert ">5 / 2<" in office and "table-danger" in office  # kepala, 3 staff and the peer
    assert "Pusat Pemerintahan allows 2 on site on March 23, 2020" in page
    assert "Pegawai Setda" not in page  # counted, not shown


def test_a_kecamatan_sent_home_is_marked_on_the_cell(browse, cast):
    """Kecamatan offices stay open (Batu, R21): a day at home there is a broken rule."""
    kecamatan = UnitFactory(agency=cast.agency, name="Kecamatan Serang", kind="kecamatan")
    camat = EmployeeFactory(unit=kecamatan, name="Camat Serang")
    make_circular(cast.agency, status=Circular.Status.ACTIVE, units=[kecamatan])
    enter(camat, MONDAY, "WFH")
    page = text(grid(browse, cast.bkpsdm.user, kecamatan))
    tag = cell(page, camat, MONDAY)
    assert "rg-bad" in tag
    message = (
        "Camat Serang works in a unit that stays at the office, but is set to WFH "
        "on March 23, 2020."
    )
    assert f'title="{message}"' in tag
    assert message in page.split('id="grid-issues"')[1]  # listed under the grid too
    assert "rg-bad" not in cell(page, camat, TUESDAY)


def test_unplanned_days_are_counted_in_the_banner(browse, cast, serang):
    _circular, own = serang
    enter(own[0], MONDAY, "WFO")
    page = text(grid(browse, cast.kepala.user, cast.disdukcapil))
    # Seven people over four working days, one of them planned.
    assert "27 working days of people are not planned yet" in page
