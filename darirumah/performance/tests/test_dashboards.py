"""The dashboard pages on a hand-made scenario: a head's unit, every OPD for BKPSDM, and the
mayor's "is WFH working?" on a circular's first and third working days. The API on the same
scenario is in test_dashboards_api.py."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from darirumah.attendance.models import Attendance, DailyRecap
from darirumah.org.models import Employee, Unit
from darirumah.org.tests.factories import EmployeeFactory, UnitFactory
from darirumah.performance.models import DailyReport, DisciplineCase, Evaluation
from darirumah.policy.models import Circular
from darirumah.policy.tests.factories import make_circular
from darirumah.roster.models import RosterEntry

from .factories import make_report

pytestmark = pytest.mark.django_db

# The circular starts on Tuesday 18 August 2026 (the 17th is Independence Day): its first three
# working days are the 18th, 19th and 20th, so the review is due on Thursday the 20th.
D1, D2, D3 = date(2026, 8, 18), date(2026, 8, 19), date(2026, 8, 20)
JULY = date(2026, 7, 1)
SUBMITTED, APPROVED = DailyReport.Status.SUBMITTED, DailyReport.Status.APPROVED


@dataclass
class Kominfo:
    unit: Unit  # Dinas Komunikasi dan Informatika, a new OPD
    aplikasi: Unit  # its Bidang Aplikasi
    s1: Employee  # the head, at the office
    s2: Employee  # at the office
    s3: Employee  # at home
    s4: Employee  # at home, in Bidang Aplikasi
    s5: Employee  # on leave
    circular: Circular


def enter(employee, day, mode, *, published=True, circular=None):
    return RosterEntry.objects.create(
        employee=employee, date=day, mode=mode, source="solver",
        published=published, circular=circular,
    )  # fmt: skip


def attend(employee, day, status):
    return Attendance.objects.create(employee=employee, date=day, status=status, source="self")


def case(cast, employee, trigger, decide_by, status=DisciplineCase.Status.RECOMMENDED):
    decided = status != DisciplineCase.Status.RECOMMENDED
    return DisciplineCase.objects.create(
        agency=cast.agency, employee=employee, source="manual", trigger=trigger,
        recommended_level="ringan", recommended_sanction="verbal_warning",
        summary="Tidak masuk tanpa keterangan", decide_by=decide_by, status=status,
        decided_at=datetime(2026, 8, 12, 3, 0, tzinfo=UTC) if decided else None,
        decision_reason="Sudah ada izin" if decided else "",
    )  # fmt: skip


def evaluate(cast, employee, rating):
    return Evaluation.objects.create(
        agency=cast.agency, employee=employee, unit=employee.unit, period=JULY,
        working_days=23, score=Decimal(80), rating=rating, final_rating=rating,
        computed_at=datetime(2026, 7, 31, 9, 0, tzinfo=UTC),
    )  # fmt: skip


def build(cast) -> Kominfo:
    """Kominfo: 5 staff. Every working day 18–20 August: s1 and s2 at the office, s3 and s4 at
    home, s5 on leave (published roster). On the 18th and 19th s1–s4 check in on time and the two
    at home report.

    Thursday the 20th: s1 present, s2 absent, s3 present, s4 late → check-in 3 of 4 (s5 is
    excused) = 75%; reports: s3 on time, s4 late, s1 only a draft, s2 none → 2 sent, 2 missing
    (s5 owes none), 1 late, completion 2/4 = 50%. Working from home 2 of 5 = 40%.
    Waiting for a review: 5 (s3's report of the 18th is approved); the oldest of the 18th.
    July's evaluation: 2 Sangat Baik, 1 Baik, 1 Butuh Perbaikan. Discipline: two open cases
    (s2 overdue since the 10th, s4 due the 31st) and one dismissed.
    Recaps of the 20th: Kominfo sent at 15:05 WIB, Disdukcapil produced but not sent.
    The circular (Kominfo only): the WFH staff reported 6 of 6 person-days → "yes" on the 20th.
    Left out: a draft plan (WFH) for the Disdukcapil pegawai on the 20th, a draft circular.
    """
    unit = UnitFactory(
        agency=cast.agency, code="DISKOMINFO", name="Dinas Komunikasi dan Informatika"
    )
    aplikasi = UnitFactory(
        agency=cast.agency, code="KOM-APL", name="Bidang Aplikasi", kind="bidang", parent=unit
    )
    s1 = EmployeeFactory(unit=unit, name="Kepala Kominfo")
    Unit.objects.filter(pk=unit.pk).update(head=s1)
    s2 = EmployeeFactory(unit=unit, name="Staf Kominfo Kantor", supervisor=s1)
    s3 = EmployeeFactory(unit=unit, name="Staf Kominfo Rumah", supervisor=s1)
    s4 = EmployeeFactory(unit=aplikasi, name="Staf Aplikasi Rumah", supervisor=s1)
    s5 = EmployeeFactory(unit=unit, name="Staf Kominfo Cuti", supervisor=s1)
    circular = make_circular(
        cast.agency, status=Circular.Status.ACTIVE, units=[unit],
        starts_on=D1, ends_on=date(2026, 8, 31),
    )  # fmt: skip
    make_circular(cast.agency, units=[cast.setda], starts_on=D1, ends_on=date(2026, 8, 31))
    for day in (D1, D2, D3):
        for person, mode in ((s1, "WFO"), (s2, "WFO"), (s3, "WFH"), (s4, "WFH"), (s5, "LEAVE")):
            enter(person, day, mode, circular=circular)
    enter(cast.pegawai, D3, "WFH", published=False)
    for day in (D1, D2):
        for person in (s1, s2, s3, s4):
            attend(person, day, "present")
        make_report(s3, day, APPROVED if day == D1 else SUBMITTED, items=0)
        make_report(s4, day, SUBMITTED, items=0)
    for person, status in ((s1, "present"), (s2, "absent"), (s3, "present"), (s4, "late")):
        attend(person, D3, status)
    make_report(s3, D3, SUBMITTED, items=0)
    make_report(s4, D3, SUBMITTED, items=0, late=True)
    make_report(s1, D3, DailyReport.Status.DRAFT, items=0)
    for person, rating in ((s1, "baik"), (s2, "butuh_perbaikan"), (s3, "sangat_baik")):
        evaluate(cast, person, rating)
    evaluate(cast, s4, "sangat_baik")
    case(cast, s2, "manual:1", date(2026, 8, 10))
    case(cast, s4, "manual:2", date(2026, 8, 31))
    case(cast, s3, "manual:3", date(2026, 8, 10), status=DisciplineCase.Status.DISMISSED)
    produced = datetime(2026, 8, 20, 8, 0, tzinfo=UTC)
    DailyRecap.objects.create(
        agency=cast.agency, unit=unit, date=D3, produced_at=produced,
        sent_at=datetime(2026, 8, 20, 8, 5, tzinfo=UTC),
    )  # fmt: skip
    DailyRecap.objects.create(
        agency=cast.agency, unit=cast.disdukcapil, date=D3, produced_at=produced
    )
    unit.refresh_from_db()
    return Kominfo(unit, aplikasi, s1, s2, s3, s4, s5, circular)


@pytest.fixture
def kominfo(cast, clock) -> Kominfo:
    clock.set(2026, 8, 20, 9, 30)  # Thursday 20 August, 16:30 WIB
    return build(cast)


def figure(html: str, name: str) -> str:
    found = re.search(rf'data-figure="{name}"[^>]*>([^<]*)<', html)
    assert found, name
    return found.group(1).strip()


def row_of(html: str, marker: str) -> str:
    start = html.index(marker)
    return html[start : html.index("</tr>", start)]


def page(user, name, language="en", **query) -> str:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # pages follow the switcher
    client.force_login(user)
    response = client.get(reverse(name), query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- the head's unit ---------------------------------------------------------------------------


def test_the_head_sees_the_day_of_their_unit(kominfo):
    html = page(kominfo.s1.user, "performance-dashboard-unit")  # their own unit by default
    assert "Dinas Komunikasi dan Informatika" in html
    expected = {
        "staff": "5", "wfh": "2", "wfh_share": "40%", "checkin_compliance": "75%",
        "present": "2", "late": "1", "absent": "1", "excused": "1", "not_yet": "0",
        "reports_submitted": "2", "reports_missing": "2", "reports_late": "1",
        "report_completion": "50%", "pending_reviews": "5",
        "discipline_open": "2", "discipline_overdue": "1",
    }  # fmt: skip
    assert {name: figure(html, name) for name in expected} == expected
    modes = row_of(html, 'id="unit-modes"')
    assert "At the office (WFO)</span><strong>2" in modes and "Leave</span><strong>1" in modes
    assert "At home (WFH)</span><strong>2" in modes
    assert "July 2026" in html  # August is not evaluated yet: July's ratings
    assert re.search(r'data-rating="sangat_baik"><td>Sangat Baik</td><td[^>]*>2<', html)
    assert re.search(r'data-rating="butuh_perbaikan"><td>[^<]*</td><td[^>]*>1<', html)
    # The last 20 working days: all checked in on the 18th, 3 of 4 on the 20th.
    assert re.search(r'data-day="2026-08-18"><td>[^<]*</td><td[^>]*>100%</td><td[^>]*>50%', html)
    assert re.search(r'data-day="2026-08-20"><td>[^<]*</td><td[^>]*>75%</td><td[^>]*>50%', html)
    assert html.count('data-day="') == 20
    assert 'data-chart="unit-trend-data"' in html and 'data-chart="unit-split-data"' in html


def test_a_supervisor_sees_only_their_team_in_the_unit(cast, kominfo):
    html = page(cast.atasan.user, "performance-dashboard-unit", unit=cast.disdukcapil.pk)
    assert "You see the people you supervise in this unit." in html
    assert figure(html, "staff") == "1"  # the pegawai, not the whole Disdukcapil


def test_a_bad_date_is_said_on_the_form_and_today_is_shown(kominfo):
    html = page(kominfo.s1.user, "performance-dashboard-unit", date="2026-02-30")
    assert "Enter a valid date." in html and "Showing today instead." in html
    assert 'value="2026-08-20"' in html and figure(html, "present") == "2"


def test_a_day_out_of_any_calendar_is_refused_on_the_form(kominfo):
    html = page(kominfo.s1.user, "performance-dashboard-unit", date="0001-01-01")
    assert "Choose a day from 2000-01-01 to 2099-12-31." in html
    assert figure(html, "present") == "2"


def test_another_day_can_be_read(kominfo):
    html = page(kominfo.s1.user, "performance-dashboard-unit", date=D1.isoformat())
    assert figure(html, "checkin_compliance") == "100%" and figure(html, "reports_missing") == "2"


# --- every OPD for BKPSDM ----------------------------------------------------------------------


def test_bkpsdm_sees_every_opd_side_by_side(cast, kominfo):
    html = page(cast.bkpsdm.user, "performance-dashboard-agency")
    names = re.findall(r'<tr data-unit="\d+"[^>]*>\s*<th scope="row"><a [^>]*>([^<]+)<', html)
    assert names == [
        "BKPSDM",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Dinas Komunikasi dan Informatika",
        "Sekretariat Daerah",
    ]
    row = row_of(html, f'<tr data-unit="{kominfo.unit.pk}"')
    assert 'data-recap="sent"' in row and "15:05" in row
    expected = {
        "staff": "5", "wfh": "2", "wfh_share": "40%", "present": "2", "late": "1",
        "absent": "1", "not_yet": "0", "reports_submitted": "2", "discipline_open": "2",
        "discipline_overdue": "(1)",
    }  # fmt: skip
    assert {name: figure(row, name) for name in expected} == expected
    dukcapil = row_of(html, f'<tr data-unit="{cast.disdukcapil.pk}"')
    assert 'data-recap="not_sent"' in dukcapil and "table-warning" in dukcapil
    assert figure(dukcapil, "wfh") == "0"  # the draft plan does not count
    assert figure(dukcapil, "not_yet") == "4"
    assert 'data-recap="not_produced"' in row_of(html, f'<tr data-unit="{cast.setda.pk}"')
    assert "3 OPDs have not sent their recap yet." in html
    summary = html[html.index('id="agency-summary"') :]
    assert figure(summary, "staff") == "13" and figure(summary, "recaps_sent") == "1"
    assert 'data-chart="agency-bars-data"' in html


def test_numbers_are_written_the_indonesian_way(cast, kominfo):
    html = page(cast.bkpsdm.user, "performance-dashboard-agency", language="id")
    summary = html[html.index('id="agency-summary"') :]
    assert figure(summary, "wfh_share") == "15,4%"  # 2 of 13
    assert figure(summary, "checkin_compliance") == "25%"  # 3 of 12 (one on leave)


def test_the_operator_picks_an_agency_first(cast, kominfo):
    html = page(cast.operator, "performance-dashboard-agency")
    assert "Pick an agency." in html and 'id="agency-table"' not in html
    html = page(cast.operator, "performance-dashboard-agency", agency=cast.agency.pk)
    assert figure(html[html.index('id="agency-summary"') :], "staff") == "13"


# --- the mayor: is WFH working? ----------------------------------------------------------------


def test_the_mayor_gets_yes_on_the_third_working_day(cast, kominfo):
    html = page(cast.pimpinan.user, "performance-dashboard-leadership")
    articles = re.findall(
        r'<article class="card mb-3" data-circular="(\d+)" data-answer="(\w+)"', html
    )
    assert articles == [(str(kominfo.circular.pk), "yes")]  # not the draft
    assert "Is WFH working?" in html and "Yes" in html
    assert reverse("circular_effectiveness", args=[kominfo.circular.pk]) in html
    assert 'data-recommendation="continue"' in html
    assert "WFH staff did 100% of their daily tasks (office staff: 0%)" in html
    day3 = row_of(html, 'data-day="2026-08-20"')
    assert figure(day3, "wfh_share") == "15.4%"
    assert figure(day3, "checkin_compliance") == "25%"
    assert figure(day3, "report_completion") == "16.7%"  # 2 of 12
    assert html.count("<tr data-day=") == 21  # 22 July – 20 August: 21 working days


def test_on_the_first_working_day_it_is_too_early(cast, kominfo, clock):
    clock.set(2026, 8, 18, 9, 30)
    html = page(cast.pimpinan.user, "performance-dashboard-leadership")
    assert re.search(rf'data-circular="{kominfo.circular.pk}" data-answer="too_early"', html)
    assert "Too early to say" in html


def test_a_reversed_range_is_said_on_the_form(cast, kominfo):
    html = page(
        cast.bkpsdm.user, "performance-dashboard-leadership", start="2026-08-20", end="2026-08-01"
    )
    assert "The start must not be after the end." in html
    assert "Showing the last 30 days instead." in html
    assert 'value="2026-07-22"' in html  # the default range is shown
    html = page(cast.bkpsdm.user, "performance-dashboard-leadership", start="0001-01-01")
    assert "Choose a day from 2000-01-01 to 2099-12-31." in html


def test_a_past_range_shows_the_circulars_of_that_time(cast, kominfo):
    html = page(
        cast.pimpinan.user, "performance-dashboard-leadership", start="2026-07-01", end="2026-07-31"
    )
    assert "No circular was in force in this range." in html
