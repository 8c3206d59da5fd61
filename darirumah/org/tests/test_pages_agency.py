"""The agency page: settings, the calendar of the coming year, the edit form, the agency's days."""

import re
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from darirumah.conftest import text
from darirumah.core import calendar as calendar_module
from darirumah.org import services
from darirumah.org.access import access_for
from darirumah.org.models import Agency, AgencyDay


@pytest.fixture
def first_of_july(monkeypatch):
    """The agency's clock reads 1 July 2026, 08:00 WIB: the calendar shown runs to 30 June 2027."""
    moment = datetime(2026, 7, 1, 1, 0, tzinfo=UTC)
    monkeypatch.setattr(calendar_module, "utcnow", lambda: moment)


def calendar_table(page: str) -> str:
    return page.split('id="agency-calendar"', 1)[1].split("</table>", 1)[0]


def test_everyone_in_the_agency_reads_the_settings(browse, cast):
    Agency.objects.filter(pk=cast.agency.pk).update(
        risk_zone="medium", ppkm_level=3, letterhead_title="Pemerintah Kota Serang Uji"
    )
    page = text(browse(cast.pegawai.user).get(reverse("agency_detail")))
    assert "Pemerintah Kota Serang Uji" in page
    assert "City government (Pemkot)" in page
    assert "Kota Uji" in page  # the region
    assert "WIB (Asia/Jakarta, UTC+7)" in page
    assert "Medium risk (orange zone)" in page
    assert "Level 3" in page
    assert re.search(r'class="letterhead.*?Pemerintah Kota Serang Uji', page, re.S)
    # Read only, and no audit trail for a pegawai.
    assert reverse("agency_edit") not in page
    assert reverse("agency_day_set") not in page
    assert "Change history" not in page


def test_calendar_lists_weekdays_off_and_the_agencys_own_days(browse, cast, first_of_july):
    AgencyDay.objects.create(agency=cast.agency, date=date(2026, 8, 14), name="Hari Jadi Kota")
    AgencyDay.objects.create(
        agency=cast.agency, date=date(2026, 8, 15), kind="on", name="Pelayanan akhir pekan"
    )
    AgencyDay.objects.create(agency=cast.agency, date=date(2026, 6, 15), name="Sudah lewat")
    page = text(browse(cast.kepala.user).get(reverse("agency_detail")))
    table = calendar_table(page)
    assert "from 1 July 2026 to 30 June 2027" in page
    assert re.search(r"14 Aug 2026.*?Hari Jadi Kota.*?Agency day off", table, re.S)
    assert re.search(r"15 Aug 2026.*?Pelayanan akhir pekan.*?Extra working day", table, re.S)
    assert re.search(
        r"17 Aug 2026.*?Hari Kemerdekaan Republik Indonesia.*?National holiday", table, re.S
    )
    assert re.search(r"24 Dec 2026.*?Cuti Bersama Hari Raya Natal.*?Cuti bersama", table, re.S)
    # Weekends are not listed one by one, nor days before today or after the twelve months.
    assert 'datetime="2026-07-04"' not in table  # a Saturday
    assert "Sudah lewat" not in table
    assert 'datetime="2027-07-01"' not in table
    dates = re.findall(r'datetime="(\d{4}-\d\d-\d\d)"', table)
    assert dates == sorted(dates)


def test_an_agency_that_works_on_joint_leave_shows_none(browse, cast, first_of_july):
    Agency.objects.filter(pk=cast.agency.pk).update(observe_joint_leave=False)
    table = calendar_table(text(browse(cast.pegawai.user).get(reverse("agency_detail"))))
    assert "Cuti Bersama" not in table
    assert "Hari Raya Natal" in table


def test_bkpsdm_edits_the_settings(browse, cast):
    client = browse(cast.bkpsdm.user)
    form = text(client.get(reverse("agency_edit")))
    assert re.search(r'name="code"[^>]*disabled', form)
    assert "Only the platform operator can change the code." in form
    data = {
        "name": "Pemerintah Kota Serang Uji",
        "code": "dicoba-diganti",  # disabled: ignored
        "kind": "pemkot",
        "region": "Banten",
        "zone": "WIB",
        "risk_zone": "high",
        "ppkm_level": "3",
        "observe_joint_leave": "on",
        "letterhead_title": "PEMERINTAH KOTA SERANG",
        "letterhead_subtitle": "Badan Kepegawaian dan Pengembangan SDM",
        "address": "Jl. Jenderal Sudirman No. 5, Serang",
        "phone": "0254-200100",
        "email": "bkpsdm@serangkota.go.id",
        "website": "serangkota.go.id",
    }
    response = client.post(reverse("agency_edit"), data, follow=True)
    page = text(response)
    assert "The agency&#x27;s settings were saved." in page
    agency = Agency.objects.get(pk=cast.agency.pk)
    assert (agency.code, agency.region, agency.risk_zone, agency.ppkm_level) == (
        "serang-uji",
        "Banten",
        "high",
        3,
    )
    assert agency.website == "https://serangkota.go.id"
    assert "High risk (red zone)" in page
    assert "Badan Kepegawaian dan Pengembangan SDM" in page
    # The audit trail names the change and who made it.
    assert "Change history" in page
    assert re.search(r"Region</strong>: <del[^>]*>Kota Uji</del>.*?<span>Banten</span>", page, re.S)
    assert "Petugas BKPSDM" in page


def test_nothing_changed_saves_nothing(browse, cast):
    client = browse(cast.bkpsdm.user)
    data = {"name": cast.agency.name, "code": cast.agency.code, "kind": "pemkot"}
    data.update(region="Kota Uji", zone="WIB", observe_joint_leave="on")
    response = client.post(reverse("agency_edit"), data, follow=True)
    assert "Nothing was changed." in text(response)
    assert cast.agency.history.count() == 1


def test_a_refused_value_is_a_form_error_not_a_server_error(browse, cast):
    data = {"name": "Kota", "code": "serang-uji", "kind": "pemkot", "region": "Kota Uji"}
    data.update(zone="WIB", ppkm_level="5")
    response = browse(cast.bkpsdm.user).post(reverse("agency_edit"), data)
    assert response.status_code == 200
    page = text(response)
    assert "The agency cannot be saved" in page
    assert re.search(r'id="id_ppkm_level_error">.*?less than or equal to 4', page, re.S)
    agency = Agency.objects.get(pk=cast.agency.pk)
    assert (agency.name, agency.ppkm_level) == ("Pemerintah Kota Serang Uji", None)


def test_the_operator_picks_an_agency_and_may_change_its_code(browse, cast):
    client = browse(cast.operator)
    assert "Pick an agency to see its settings" in text(client.get(reverse("agency_detail")))
    assert client.get(reverse("agency_edit"))["Location"] == reverse("agency_detail")
    url = reverse("agency_edit") + f"?agency={cast.other_agency.pk}"
    data = {"name": cast.other_agency.name, "code": "batu", "kind": "pemkot", "region": "Jatim"}
    data.update(zone="WIB")
    response = client.post(url, data)
    assert response["Location"] == reverse("agency_detail") + f"?agency={cast.other_agency.pk}"
    assert Agency.objects.get(pk=cast.other_agency.pk).code == "batu"


def test_only_those_who_manage_the_agency_change_it(browse, cast):
    day = AgencyDay.objects.create(agency=cast.agency, date=date(2026, 8, 14), name="Hari Jadi")
    body = {"date": "2026-08-13", "kind": "off", "name": "Cuti bersama daerah"}
    for user in (cast.pegawai.user, cast.admin_opd.user, cast.pimpinan.user):
        client = browse(user)
        assert client.get(reverse("agency_edit")).status_code == 403
        assert client.post(reverse("agency_day_set"), body).status_code == 403
        assert client.post(reverse("agency_day_delete", args=[day.pk])).status_code == 403
    assert list(AgencyDay.objects.values_list("pk", flat=True)) == [day.pk]


def test_another_agency_is_not_found(browse, cast):
    day = AgencyDay.objects.create(agency=cast.agency, date=date(2026, 8, 14), name="Hari Jadi")
    mine = {"agency": cast.agency.pk}
    outsider = browse(cast.outsider.user)
    assert outsider.get(reverse("agency_detail"), mine).status_code == 404
    bkpsdm_batu = browse(cast.outsider_bkpsdm.user)
    assert bkpsdm_batu.get(reverse("agency_edit"), mine).status_code == 404
    assert bkpsdm_batu.post(reverse("agency_day_delete", args=[day.pk])).status_code == 404
    body = {**mine, "date": "2026-08-13", "kind": "off", "name": "Cuti"}
    assert bkpsdm_batu.post(reverse("agency_day_set"), body).status_code == 404
    assert AgencyDay.objects.count() == 1
    # Their own agency's page is theirs to read.
    page = text(bkpsdm_batu.get(reverse("agency_detail")))
    assert "Pemerintah Kota Batu Uji" in page
    assert "Pemerintah Kota Serang Uji" not in page


def test_bkpsdm_declares_a_day_off_and_removes_it(browse, cast, first_of_july):
    client = browse(cast.bkpsdm.user)
    body = {"date": "2026-08-18", "kind": "off", "name": "Cuti bersama daerah"}
    response = client.post(reverse("agency_day_set"), body, follow=True)
    page = text(response)
    assert "18 August 2026 is now in the agency&#x27;s calendar: Cuti bersama daerah." in page
    assert re.search(
        r"18 Aug 2026.*?Cuti bersama daerah.*?Agency day off", calendar_table(page), re.S
    )
    day = AgencyDay.objects.get(agency=cast.agency, date=date(2026, 8, 18))
    assert reverse("agency_day_delete", args=[day.pk]) in page
    assert not calendar_module.calendar_for(cast.agency).is_working_day(day.date)

    page = text(client.post(reverse("agency_day_delete", args=[day.pk]), follow=True))
    assert "was removed from the agency&#x27;s calendar" in page
    assert "18 Aug 2026" not in calendar_table(page)
    assert calendar_module.calendar_for(cast.agency).is_working_day(date(2026, 8, 18))
    # Both changes stay in the calendar's history, with who made them.
    history = page.split('id="calendar-history-title"', 1)[1]
    assert re.search(r"removed:\s*<strong>18 Aug 2026</strong>.*?Petugas BKPSDM", history, re.S)
    assert re.search(r"added:\s*<strong>18 Aug 2026</strong>", history)


def test_an_extra_working_day_replaces_a_holiday(browse, cast, first_of_july):
    body = {"date": "2026-08-17", "kind": "on", "name": "Pelayanan tetap buka"}
    page = text(browse(cast.bkpsdm.user).post(reverse("agency_day_set"), body, follow=True))
    table = calendar_table(page)
    assert "Hari Kemerdekaan" not in table
    assert re.search(r"17 Aug 2026.*?Pelayanan tetap buka.*?Extra working day", table, re.S)


def test_a_bad_day_is_shown_on_the_agency_page(browse, cast):
    response = browse(cast.bkpsdm.user).post(
        reverse("agency_day_set"), {"date": "2026-02-30", "kind": "off", "name": ""}
    )
    assert response.status_code == 200
    page = text(response)
    assert re.search(r'id="id_date_error">.*?Enter a valid date', page, re.S)
    assert re.search(r'id="id_name_error">.*?This field is required', page, re.S)
    assert "Calendar for the coming 12 months" in page
    assert not AgencyDay.objects.exists()


def test_calendar_changes_go_through_post_only(browse, cast):
    day = AgencyDay.objects.create(agency=cast.agency, date=date(2026, 8, 14), name="Hari Jadi")
    client = browse(cast.bkpsdm.user)
    assert client.get(reverse("agency_day_set")).status_code == 405
    assert client.get(reverse("agency_day_delete", args=[day.pk])).status_code == 405
    assert AgencyDay.objects.filter(pk=day.pk).exists()


def test_history_is_for_bkpsdm_and_pimpinan(browse, cast):
    services.agency_update(access=access_for(cast.bkpsdm.user), agency=cast.agency, risk_zone="low")
    assert "Change history" in text(browse(cast.pimpinan.user).get(reverse("agency_detail")))
    assert "Change history" not in text(browse(cast.kepala.user).get(reverse("agency_detail")))


def test_the_navbar_links_the_agency_and_its_offices(browse, cast):
    for user in (cast.pegawai.user, cast.outsider.user, cast.operator):
        page = text(browse(user).get(reverse("home")))
        nav = page.split('id="main-nav"', 1)[1].split("</nav>", 1)[0]
        assert f'href="{reverse("agency_detail")}"' in nav
        assert f'href="{reverse("office_list")}"' in nav
    # The agency bar under the navbar leads to the agency page too.
    page = text(browse(cast.pegawai.user).get(reverse("office_list")))
    bar = page.split('class="agency-bar"', 1)[1].split("</div></div>", 1)[0]
    assert f'href="{reverse("agency_detail")}">Pemerintah Kota Serang Uji</a>' in bar
