"""The supervisor's pages: the inbox of reports to review, one report with the approve / return
form, and the head's list of missing and late reports."""

from datetime import UTC, date, datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from darirumah.conftest import text
from darirumah.org.tests.factories import EmployeeFactory
from darirumah.performance.models import DailyReport
from darirumah.roster.models import RosterEntry

from .factories import DAY, evidence_row, make_report

INBOX = reverse("performance-review")
MISSING = reverse("performance-missing")
SUBMITTED = DailyReport.Status.SUBMITTED


def detail(report):
    return reverse("performance-report-detail", args=[report.pk])


def test_the_inbox_lists_the_team_oldest_first_with_late_flagged(cast, browse, clock):
    newer = make_report(cast.pegawai, status=SUBMITTED)
    older = make_report(cast.pegawai, day=date(2026, 8, 18), status=SUBMITTED, late=True)
    make_report(cast.pegawai, day=date(2026, 8, 14))  # a draft: not sent
    make_report(cast.pegawai, day=date(2026, 8, 13), status=DailyReport.Status.APPROVED)
    make_report(cast.peer, status=SUBMITTED)  # not in the atasan's team
    response = browse(cast.atasan.user).get(INBOX)
    assert response.status_code == 200
    assert [row["report"] for row in response.context["rows"]] == [older, newer]
    page = text(response)
    assert page.count('class="badge text-bg-danger">Late<') == 1
    assert page.index(f'data-report="{older.pk}"') < page.index(f'data-report="{newer.pk}"')


def test_the_head_sees_the_units_reports_but_not_their_own(cast, browse, clock):
    team = make_report(cast.atasan, status=SUBMITTED)  # the kepala supervises the atasan
    unit = make_report(cast.pegawai, status=SUBMITTED)  # in the unit the kepala heads
    make_report(cast.kepala, status=SUBMITTED)
    response = browse(cast.kepala.user).get(INBOX)
    assert {row["report"] for row in response.context["rows"]} == {team, unit}


def test_those_who_review_nobody_have_no_inbox(cast, browse):
    for person in (cast.pegawai, cast.admin_opd, cast.bkpsdm):
        assert browse(person.user).get(INBOX).status_code == 403


def test_returning_needs_a_comment_shown_on_the_form(cast, browse, clock):
    report = make_report(cast.pegawai, status=SUBMITTED)
    response = browse(cast.atasan.user).post(detail(report), {"decision": "return"})
    assert response.status_code == 400
    assert response.context["form"].errors["comment"] == ["Required."]
    assert "Say what to correct when returning a report." in text(response)
    report.refresh_from_db()
    assert report.status == SUBMITTED


def test_a_reader_who_does_not_review_sees_no_form_and_cannot_post(cast, browse, clock):
    report = make_report(cast.pegawai, status=SUBMITTED)
    admin = browse(cast.admin_opd.user)
    page = admin.get(detail(report))
    assert page.status_code == 200 and not page.context["may_review"]
    assert 'value="approve"' not in text(page)
    assert admin.post(detail(report), {"decision": "approve"}).status_code == 403
    own = browse(cast.pegawai.user)
    assert own.post(detail(report), {"decision": "approve"}).status_code == 403
    report.refresh_from_db()
    assert report.status == SUBMITTED


def test_a_report_already_reviewed_is_not_reviewed_twice(cast, browse, clock):
    report = make_report(cast.pegawai, status=SUBMITTED)
    boss = browse(cast.atasan.user)
    assert boss.post(detail(report), {"decision": "approve"}).status_code == 302
    again = boss.post(detail(report), {"decision": "return", "comment": "x"})
    assert again.status_code == 400
    assert "This report is already approved." in text(again)
    report.refresh_from_db()
    assert report.status == DailyReport.Status.APPROVED


def test_the_missing_list_shows_a_missing_and_a_late_person(cast, browse, clock):
    clock.set(2026, 8, 19, 10, 0)  # 17:00 WIB, after the deadline
    make_report(
        cast.atasan,
        status=SUBMITTED,
        late=True,
        submitted_at=datetime(2026, 8, 19, 9, 40, tzinfo=UTC),
    )
    response = browse(cast.kepala.user).get(
        MISSING, {"unit": cast.pelayanan.pk, "date": "2026-08-19"}
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert [r.employee for r in result.missing] == [cast.pegawai]
    assert [r.employee for r in result.late] == [cast.atasan]
    page = text(response)
    row = page[page.index(f'data-employee="{cast.pegawai.pk}"') :]
    assert row.index('data-flag="missing"') < row.index("</tr>")
    row = page[page.index(f'data-employee="{cast.atasan.pk}"') :]
    assert row.index('data-flag="late"') < row.index("</tr>")
    assert "16:40" in row  # submitted at, in WIB
    only_late = browse(cast.kepala.user).get(
        MISSING, {"unit": cast.pelayanan.pk, "date": "2026-08-19", "show": "late"}
    )
    assert [r.employee for r in only_late.context["rows"]] == [cast.atasan]


def test_leave_excuses_a_missing_report(cast, browse, clock):
    RosterEntry.objects.create(
        employee=cast.pegawai, date=DAY, mode="LEAVE", source="manual", published=True
    )
    response = browse(cast.kepala.user).get(
        MISSING, {"unit": cast.pelayanan.pk, "date": "2026-08-19"}
    )
    result = response.context["result"]
    assert cast.pegawai not in [r.employee for r in result.missing]
    assert "Excused" in text(response)


def test_the_unit_picker_holds_only_units_the_caller_reads(cast, browse, clock):
    supervisor = browse(cast.atasan.user)
    response = supervisor.get(MISSING)
    assert response.status_code == 200
    assert response.context["unit"] == cast.pelayanan  # their own unit by default
    assert {u.pk for u in response.context["units"]} == {cast.disdukcapil.pk, cast.pelayanan.pk}
    assert response.context["team_only"]
    assert supervisor.get(MISSING, {"unit": cast.setda.pk}).status_code == 403
    assert browse(cast.pegawai.user).get(MISSING).status_code == 403
    bkpsdm = browse(cast.bkpsdm.user).get(MISSING)
    assert cast.setda in bkpsdm.context["units"] and cast.other_unit not in bkpsdm.context["units"]
    assert (
        browse(cast.outsider_bkpsdm.user).get(MISSING, {"unit": cast.pelayanan.pk}).status_code
        == 404
    )


def test_a_day_off_owes_no_report(cast, browse, clock):
    response = browse(cast.kepala.user).get(
        MISSING, {"unit": cast.pelayanan.pk, "date": "2026-08-17"}
    )
    assert response.status_code == 200
    assert "Not a working day" in text(response)
    assert not response.context["result"].missing


def _team_with_reports(cast, n: int):
    for i in range(n):
        person = EmployeeFactory(unit=cast.pelayanan, name=f"Staf {i:02d}", supervisor=cast.atasan)
        report = make_report(person, status=SUBMITTED, items=2, late=bool(i % 2))
        for item in report.items.all():
            evidence_row(item)


def test_the_inbox_query_count_does_not_grow_with_its_rows(cast, browse, clock):
    client = browse(cast.atasan.user)
    _team_with_reports(cast, 2)
    client.get(INBOX)  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(INBOX).context["rows"]) == 2
    _team_with_reports(cast, 8)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(INBOX).context["rows"]) == 10
    assert len(many) == len(few)
