"""The recap inbox, one recap and its sending, the XLSX export, and the recaps API."""

import io
import json
import re
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from darirumah.attendance.models import Attendance, DailyRecap
from darirumah.attendance.services.recap import recap_produce, recap_send
from darirumah.conftest import client_for, text
from darirumah.org.access import access_for
from darirumah.roster.models import RosterEntry

pytestmark = pytest.mark.django_db
MONDAY = date(2020, 3, 23)
TUESDAY = date(2020, 3, 24)
API = "/api/v1/recaps"


@pytest.fixture
def day(cast):
    """Monday's recaps: Disdukcapil has one present, one late, one WFH and is sent; the others
    are not sent."""
    for employee, mode in ((cast.kepala, "WFO"), (cast.atasan, "WFH"), (cast.peer, "WFH")):
        RosterEntry.objects.create(
            employee=employee, date=MONDAY, mode=mode, source="manual", published=True
        )
    for employee, status in (
        (cast.kepala, Attendance.Status.PRESENT),
        (cast.atasan, Attendance.Status.LATE),
        (cast.peer, Attendance.Status.ABSENT),
    ):
        Attendance.objects.create(employee=employee, date=MONDAY, status=status, source="self")
    recaps = {r.unit_id: r for r in recap_produce(agency=cast.agency, day=MONDAY)}
    recap_send(
        access=access_for(cast.admin_opd.user), recap=recaps[cast.disdukcapil.pk], note="Aman"
    )
    return recaps


def inbox(browse, user, **query):
    return browse(user).get(reverse("recap_inbox"), {"date": MONDAY.isoformat(), **query})


def chart_data(response) -> dict:
    found = re.search(
        r'<script id="recap-chart-data" type="application/json">(.*?)</script>', text(response)
    )
    assert found, "the chart data is not in the page"
    return json.loads(found.group(1))


# --- the inbox -------------------------------------------------------------------------------


def test_the_inbox_lists_the_missing_opds_first_with_totals_and_chart_data(cast, day, browse):
    response = inbox(browse, cast.bkpsdm.user)
    assert response.status_code == 200
    order = [int(pk) for pk in re.findall(r'<tr data-unit="(\d+)"', text(response))]
    # Not sent (by name): BKPSDM, Sekretariat Daerah; then the sent Disdukcapil.
    assert order == [cast.bkpsdm_unit.pk, cast.setda.pk, cast.disdukcapil.pk]
    assert "2 OPDs have not sent their recap yet." in text(response)
    totals = response.context["totals"]
    assert totals["staff"] == 8  # every active employee of the agency, in one OPD or another
    assert (totals["present"], totals["late"], totals["absent"]) == (1, 1, 1)
    assert totals["not_recorded"] == 5
    assert 'id="recap-totals"' in text(response)
    data = chart_data(response)
    assert data["labels"] == [
        "BKPSDM",
        "Sekretariat Daerah",
        "Dinas Kependudukan dan Pencatatan Sipil",
    ]
    series = {s["key"]: s["data"] for s in data["series"]}
    assert series["present"] == [0, 0, 1] and series["late"] == [0, 0, 1]
    assert series["absent"] == [0, 1, 0]
    modes = {m["label"]: m["value"] for m in data["modes"]}
    assert modes["At home (WFH)"] == 2 and modes["At the office (WFO)"] == 1
    assert modes["Not in the roster"] == 5
    assert "vendor/chart.js/chart.umd.min.js" in text(response)


def test_the_inbox_steps_between_working_days_and_does_not_produce(cast, day, browse):
    response = inbox(browse, cast.bkpsdm.user, date="2020-03-24")
    assert response.status_code == 200
    assert "The recaps of this day are produced at report time (15:00)." in text(response)
    assert "recap-chart-data" not in text(response)
    assert not DailyRecap.objects.filter(date=TUESDAY).exists()
    # Wednesday 25 March 2020 is Nyepi: Tuesday's next working day is Thursday.
    assert "date=2020-03-26" in response.context["next_url"]
    assert "date=2020-03-23" in response.context["previous_url"]
    bad = inbox(browse, cast.bkpsdm.user, date="kemarin")
    assert bad.status_code == 200
    assert "Give the date as YYYY-MM-DD." in text(bad)


def test_an_opd_admin_sees_only_their_opd_and_others_are_refused(cast, day, browse):
    response = inbox(browse, cast.admin_opd.user)
    assert response.status_code == 200
    assert [r["unit"].pk for r in response.context["rows"]] == [cast.disdukcapil.pk]
    assert inbox(browse, cast.pegawai.user).status_code == 403
    assert inbox(browse, cast.pimpinan.user).status_code == 403
    assert inbox(browse, cast.outsider_bkpsdm.user, agency=cast.agency.pk).status_code == 404


# --- one recap, sending, reading -------------------------------------------------------------


def test_the_opd_admin_sends_the_recap_with_a_note(cast, day, browse):
    recap = day[cast.disdukcapil.pk]
    DailyRecap.objects.filter(pk=recap.pk).update(sent_at=None, note="")
    client = browse(cast.admin_opd.user)
    url = reverse("recap_detail", kwargs={"pk": recap.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert "Send to BKPSDM" in text(page) and "Not sent yet" in text(page)
    response = client.post(url, {"note": "Loket buka, 3 petugas."})
    assert response.status_code == 302
    recap.refresh_from_db()
    assert recap.sent_at is not None and recap.sent_by == cast.admin_opd.user
    assert recap.note == "Loket buka, 3 petugas."
    shown = client.get(url)
    assert "Loket buka, 3 petugas." in text(shown)
    assert 'name="note"' not in text(shown)  # no form once sent
    again = client.post(url, {"note": "lagi"})
    assert again.status_code == 400
    assert "was already sent" in text(again)
    recap.refresh_from_db()
    assert recap.note == "Loket buka, 3 petugas."


def test_the_detail_is_for_bkpsdm_and_the_opd_only(cast, day, browse):
    url = reverse("recap_detail", kwargs={"pk": day[cast.disdukcapil.pk].pk})
    assert browse(cast.kepala.user).get(url).status_code == 200
    assert browse(cast.bkpsdm.user).get(url).status_code == 200
    # BKPSDM does not get the OPD's send form.
    setda_url = reverse("recap_detail", kwargs={"pk": day[cast.setda.pk].pk})
    assert 'name="note"' not in text(browse(cast.bkpsdm.user).get(setda_url))
    assert browse(cast.pegawai.user).get(url).status_code == 403
    assert browse(cast.admin_opd.user).get(setda_url).status_code == 403
    assert browse(cast.outsider_bkpsdm.user).get(url).status_code == 404


def test_bkpsdm_opening_a_sent_recap_marks_it_read_once(cast, day, browse):
    sent = day[cast.disdukcapil.pk]
    unsent = day[cast.setda.pk]
    browse(cast.admin_opd.user).get(reverse("recap_detail", kwargs={"pk": sent.pk}))
    sent.refresh_from_db()
    assert sent.read_by_bkpsdm_at is None  # the OPD reading its own is not BKPSDM reading
    assert 'text-bg-primary">New<' in text(inbox(browse, cast.bkpsdm.user))
    browse(cast.bkpsdm.user).get(reverse("recap_detail", kwargs={"pk": sent.pk}))
    sent.refresh_from_db()
    first = sent.read_by_bkpsdm_at
    assert first is not None
    assert 'text-bg-primary">New<' not in text(inbox(browse, cast.bkpsdm.user))
    browse(cast.bkpsdm.user).get(reverse("recap_detail", kwargs={"pk": sent.pk}))
    sent.refresh_from_db()
    assert sent.read_by_bkpsdm_at == first
    browse(cast.bkpsdm.user).get(reverse("recap_detail", kwargs={"pk": unsent.pk}))
    unsent.refresh_from_db()
    assert unsent.read_by_bkpsdm_at is None  # nothing to read before the OPD sends it


# --- export ----------------------------------------------------------------------------------


def test_the_export_has_one_row_per_opd_with_its_figures(cast, day, browse):
    response = browse(cast.bkpsdm.user).get(reverse("recap_export"), {"date": "2020-03-23"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert len(body) == 3
    by_opd = {row[header.index("OPD")]: dict(zip(header, row, strict=True)) for row in body}
    dukcapil = by_opd["Dinas Kependudukan dan Pencatatan Sipil"]
    assert dukcapil["Staff"] == 4 and dukcapil["Present"] == 1 and dukcapil["Late"] == 1
    assert dukcapil["At home (WFH)"] == 1 and dukcapil["At the office (WFO)"] == 1
    assert dukcapil["Status"] == "Sent" and dukcapil["Sent at"] is not None
    assert dukcapil["Note from the OPD"] == "Aman"
    setda = by_opd["Sekretariat Daerah"]
    assert setda["Absent"] == 1 and setda["Status"] == "Not sent yet"
    assert setda["Sent at"] is None


def test_the_export_is_bkpsdm_s(cast, day, browse):
    url = reverse("recap_export")
    assert browse(cast.admin_opd.user).get(url, {"date": "2020-03-23"}).status_code == 403
    assert browse(cast.pegawai.user).get(url).status_code == 403
    query = {"agency": cast.agency.pk, "date": "2020-03-23"}
    assert browse(cast.outsider_bkpsdm.user).get(url, query).status_code == 404
    assert browse(cast.operator).get(url, query).status_code == 200
    # Indonesian by default: the file opens whatever the language.
    plain = client_for(cast.bkpsdm.user)
    plain.defaults.pop("HTTP_ACCEPT_LANGUAGE")
    response = plain.get(url, {"date": "2020-03-23"})
    assert response.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(response.content)).active.max_row == 4


# --- API -------------------------------------------------------------------------------------


def test_the_api_gives_bkpsdm_every_opd_and_marks_sent_ones_read(cast, day):
    response = client_for(cast.bkpsdm.user).get(f"{API}/daily", {"date": "2020-03-23"})
    assert response.status_code == 200
    rows = {r["unit_id"]: r for r in response.json()}
    assert set(rows) == {cast.setda.pk, cast.disdukcapil.pk, cast.bkpsdm_unit.pk}
    assert rows[cast.disdukcapil.pk]["sent"] is True
    assert rows[cast.disdukcapil.pk]["figures"]["late"] == 1
    assert rows[cast.setda.pk]["sent"] is False
    assert DailyRecap.objects.get(pk=day[cast.disdukcapil.pk].pk).read_by_bkpsdm_at is not None
    assert DailyRecap.objects.get(pk=day[cast.setda.pk].pk).read_by_bkpsdm_at is None


def test_the_api_does_not_produce_a_missing_day(cast, day):
    response = client_for(cast.bkpsdm.user).get(f"{API}/daily", {"date": "2020-03-24"})
    assert response.status_code == 200
    assert {r["recap_id"] for r in response.json()} == {None}
    assert not DailyRecap.objects.filter(date=TUESDAY).exists()


def test_the_api_scopes_the_recaps(cast, day):
    admin = client_for(cast.admin_opd.user)
    own = admin.get(f"{API}/daily", {"date": "2020-03-23"}).json()
    assert [r["unit_id"] for r in own] == [cast.disdukcapil.pk]
    # A sub-unit narrows to its OPD.
    sub = admin.get(f"{API}/daily", {"date": "2020-03-23", "unit": cast.pelayanan.pk}).json()
    assert [r["unit_id"] for r in sub] == [cast.disdukcapil.pk]
    other = admin.get(f"{API}/daily", {"date": "2020-03-23", "unit": cast.setda.pk})
    assert other.status_code == 403
    kepala = client_for(cast.kepala.user).get(f"{API}/daily", {"date": "2020-03-23"}).json()
    assert [r["unit_id"] for r in kepala] == [cast.disdukcapil.pk]
    assert client_for(cast.pegawai.user).get(f"{API}/daily").status_code == 403
    assert client_for(cast.pimpinan.user).get(f"{API}/daily").status_code == 403
    outsider = client_for(cast.outsider_bkpsdm.user)
    query = {"date": "2020-03-23", "unit": cast.disdukcapil.pk}
    assert outsider.get(f"{API}/daily", query).status_code == 404
    assert outsider.get(f"{API}/daily", {"agency": cast.agency.pk}).status_code == 404
    bad = client_for(cast.bkpsdm.user).get(f"{API}/daily", {"date": "kemarin"})
    assert 400 <= bad.status_code < 500 and "error" in bad.json()


def test_the_api_sends_a_recap_once(cast, day):
    recap = day[cast.disdukcapil.pk]
    DailyRecap.objects.filter(pk=recap.pk).update(sent_at=None, note="")
    url = f"{API}/{recap.pk}/send"
    body = {"note": "Semua hadir"}
    pegawai = client_for(cast.pegawai.user)
    assert pegawai.post(url, body, content_type="application/json").status_code == 403
    outsider = client_for(cast.outsider_bkpsdm.user)
    assert outsider.post(url, body, content_type="application/json").status_code == 404
    admin = client_for(cast.admin_opd.user)
    response = admin.post(url, body, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["sent"] is True and response.json()["note"] == "Semua hadir"
    again = admin.post(url, body, content_type="application/json")
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "sent"
