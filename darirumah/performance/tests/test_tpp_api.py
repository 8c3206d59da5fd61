"""The TPP API: the month's lines with breakdown and totals, the run, the XLSX export, and the
agency's performance rules."""

import io
import json
from datetime import date

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from darirumah.conftest import client_for
from darirumah.org.models import Employee
from darirumah.performance.models import PerformanceRuleSet, TppLine
from darirumah.performance.services.tpp import tpp_run

from .factories import fill_month, make_evaluation, set_tpp_rules, tpp_staff, working_days_of

P = "/api/v1"
AUG = date(2026, 8, 1)


@pytest.fixture
def computed(cast):
    """The cast's agency with the test table, everyone class 9 and present all August; the
    pegawai evaluated at 85 and absent one day; August computed."""
    set_tpp_rules(cast.agency)
    Employee.objects.filter(agency=cast.agency).update(job_class=9)
    days = working_days_of(cast.agency, AUG)
    fill_month(Employee.objects.filter(agency=cast.agency), days)
    cast.pegawai.attendance.filter(date=days[0]).update(status="absent", check_in_at=None)
    make_evaluation(cast.pegawai, AUG, "85")
    tpp_run(agency=cast.agency, period=AUG)
    return cast


def get(user, url, **query):
    return client_for(user).get(url, query)


def test_bkpsdm_reads_the_agencys_lines_with_breakdown_and_totals(computed):
    cast = computed
    response = get(cast.bkpsdm.user, f"{P}/tpp", period="2026-08")
    assert response.status_code == 200
    body = response.json()
    staff = Employee.objects.filter(agency=cast.agency, is_active=True).count()
    assert body["count"] == staff == len(body["items"])
    assert body["rounding"] == "half_up_whole_rupiah"
    mine = next(i for i in body["items"] if i["employee_id"] == cast.pegawai.pk)
    # 3.000.000 × 85% + 2.000.000 − 4% × 5.000.000 = 2.550.000 + 1.800.000
    assert mine["net"] == "4350000"
    assert mine["breakdown"]["absences"]["days"] == 1
    assert body["totals"]["net"] == str(4_350_000 + (staff - 1) * 5_000_000)
    assert body["totals"]["lines"] == staff


def test_a_person_reads_only_their_own_line(computed):
    body = get(computed.pegawai.user, f"{P}/tpp", period="2026-08").json()
    assert [i["employee_id"] for i in body["items"]] == [computed.pegawai.pk]
    assert body["totals"]["net"] == "4350000"


def test_a_supervisor_reads_their_team_in_the_unit(computed):
    cast = computed
    body = get(cast.atasan.user, f"{P}/tpp", period="2026-08", unit=cast.pelayanan.pk).json()
    assert {i["employee_id"] for i in body["items"]} == {cast.atasan.pk, cast.pegawai.pk}


def test_the_health_officer_does_not_read_a_units_allowance(computed):
    cast = computed
    response = get(cast.kesehatan.user, f"{P}/tpp", period="2026-08", unit=cast.pelayanan.pk)
    assert response.status_code == 403
    own = get(cast.kesehatan.user, f"{P}/tpp", period="2026-08").json()
    assert [i["employee_id"] for i in own["items"]] == [cast.kesehatan.pk]


@pytest.mark.parametrize("period", ["2026-13", "08-2026", "2026/08", "x"])
def test_a_bad_period_is_a_json_error_on_the_field(computed, period):
    response = get(computed.bkpsdm.user, f"{P}/tpp", period=period)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["fields"]["period"] == ["Give the month as YYYY-MM, e.g. 2026-08."]


def test_a_missing_period_names_the_field(computed):
    response = get(computed.bkpsdm.user, f"{P}/tpp")
    assert response.status_code == 422
    assert "period" in response.json()["error"]["fields"]


def test_pages_of_lines_keep_the_totals_of_all(computed):
    cast = computed
    body = get(cast.bkpsdm.user, f"{P}/tpp", period="2026-08", page_size=2, page=2).json()
    assert len(body["items"]) == 2 and body["page"] == 2
    assert body["count"] == TppLine.objects.filter(agency=cast.agency).count()


def test_an_employee_outside_the_callers_scope_is_not_found(computed):
    cast = computed
    response = get(cast.pegawai.user, f"{P}/tpp", period="2026-08", employee=cast.peer.pk)
    assert response.status_code == 404


def run(user, body):
    return client_for(user).post(f"{P}/tpp/run", json.dumps(body), content_type="application/json")


def test_bkpsdm_runs_the_month_again(computed):
    cast = computed
    cast.pegawai.attendance.update(status="present")
    response = run(cast.bkpsdm.user, {"period": "2026-08"})
    assert response.status_code == 200
    assert response.json()["lines"] == TppLine.objects.filter(agency=cast.agency).count()
    assert TppLine.objects.get(employee=cast.pegawai).net == 4_550_000


def test_only_bkpsdm_runs(computed):
    assert run(computed.kepala.user, {"period": "2026-08"}).status_code == 403
    bad = run(computed.bkpsdm.user, {"period": "2026-8"})
    assert bad.status_code == 400 and "period" in bad.json()["error"]["fields"]
    operator = run(computed.operator, {"period": "2026-08"})
    assert operator.status_code == 400 and "agency" in operator.json()["error"]["fields"]


def test_the_export_opens_with_its_header_and_totals(computed):
    cast = computed
    response = get(cast.bkpsdm.user, f"{P}/tpp/export", period="2026-08")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tpp-2026-08.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("TPP allowance", cast.agency.name)
    assert rows[1][:2] == ("Month", "August 2026")
    assert "half-up to the whole rupiah" in rows[2][1]
    header = rows[5]
    net = header.index("Net allowance")
    people = rows[6:-1]
    assert len(people) == TppLine.objects.filter(agency=cast.agency).count()
    assert {row[0] for row in people} == set(
        TppLine.objects.filter(agency=cast.agency).values_list("unit__name", flat=True)
    )
    totals = rows[-1]
    assert totals[0] == "Total"
    assert (
        totals[net]
        == sum(row[net] for row in people)
        == int(sum(TppLine.objects.filter(agency=cast.agency).values_list("net", flat=True)))
    )
    assert sheet.cell(row=7, column=net + 1).number_format == '"Rp" #,##0'


def test_a_units_export_has_only_its_people(computed):
    cast = computed
    response = get(cast.kepala.user, f"{P}/tpp/export", period="2026-08", unit=cast.pelayanan.pk)
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    assert {row[2] for row in rows[6:-1]} == {cast.atasan.name, cast.pegawai.name}
    assert "DUK-PEL" in response["Content-Disposition"]


def test_the_list_costs_the_same_queries_for_3_and_30_lines(cast):
    set_tpp_rules(cast.agency)
    counts = []
    for n in (3, 27):
        tpp_staff(cast.pelayanan, n)
        tpp_run(agency=cast.agency, period=AUG)
        client = client_for(cast.bkpsdm.user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{P}/tpp", {"period": "2026-08", "unit": cast.pelayanan.pk})
        assert response.status_code == 200
        counts.append(len(queries))
    assert response.json()["count"] == 32  # atasan, pegawai and the 30 added
    assert counts[0] == counts[1], counts


# --- rules -------------------------------------------------------------------------------------


def put_rules(user, body, **query):
    url = f"{P}/performance/rules"
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return client_for(user).put(url, json.dumps(body), content_type="application/json")


def test_the_rules_are_the_defaults_until_saved(cast):
    body = get(cast.pegawai.user, f"{P}/performance/rules").json()
    assert body["stored"] is False
    assert body["rules"]["tpp"]["late_bands"][0] == {"up_to_minutes": 30, "percent": "0.5"}
    assert body["rules"]["tpp"]["absence_percent"] == "4"


def test_bkpsdm_saves_the_rules(cast):
    rules = {
        "tpp": {
            "base_by_job_class": {"9": "5000000"},
            "performance_weight": "40",
            "discipline_weight": "60",
            "absence_mode": "day_share",
        }
    }
    response = put_rules(cast.bkpsdm.user, rules)
    assert response.status_code == 200
    body = response.json()
    assert body["stored"] is True and body["changed_by"] == cast.bkpsdm.name
    assert body["rules"]["tpp"]["discipline_weight"] == "60"
    saved = PerformanceRuleSet.objects.get(agency=cast.agency)
    assert saved.history.get().history_user == cast.bkpsdm.user
    assert get(cast.pimpinan.user, f"{P}/performance/rules").json()["rules"] == body["rules"]


def test_wrong_rules_name_each_setting_and_save_nothing(cast):
    rules = {
        "tpp": {"performance_weight": 70, "late_bands": [{"up_to_minutes": 30, "percent": 200}]}
    }
    response = put_rules(cast.bkpsdm.user, rules)
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert fields["tpp.late_bands.0.percent"] == ["At most 100."]
    both = put_rules(cast.bkpsdm.user, {"tpp": {"performance_weight": 70}}).json()
    assert both["error"]["fields"]["tpp"] == [
        "The performance and discipline weights must add up to 100."
    ]
    assert not PerformanceRuleSet.objects.exists()


def test_only_bkpsdm_changes_the_rules(cast):
    response = put_rules(cast.pimpinan.user, {})
    assert response.status_code == 403
    other = put_rules(cast.outsider_bkpsdm.user, {}, agency=cast.agency.pk)
    assert other.status_code == 404
