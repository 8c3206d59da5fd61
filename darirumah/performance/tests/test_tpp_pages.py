"""TPP pages: the monthly list per unit with breakdowns and totals, the run, the XLSX button,
one's own allowance, and BKPSDM's rules form."""

import io
from datetime import date

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from darirumah.conftest import text
from darirumah.org.models import Employee
from darirumah.performance import config
from darirumah.performance.models import PerformanceRuleSet, TppLine
from darirumah.performance.services.tpp import tpp_run
from darirumah.performance.views.tpp import initial_of

from .factories import fill_month, make_evaluation, set_tpp_rules, tpp_staff, working_days_of

AUG = date(2026, 8, 1)
LIST = reverse("performance-tpp-list")


@pytest.fixture
def computed(cast):
    """Class 9 for everyone, present all August; the pegawai scored 85 and absent on 3 August."""
    set_tpp_rules(cast.agency)
    Employee.objects.filter(agency=cast.agency).update(job_class=9)
    days = working_days_of(cast.agency, AUG)
    fill_month(Employee.objects.filter(agency=cast.agency), days)
    cast.pegawai.attendance.filter(date=days[0]).update(status="absent", check_in_at=None)
    make_evaluation(cast.pegawai, AUG, "85")
    tpp_run(agency=cast.agency, period=AUG)
    return cast


def test_the_head_sees_the_units_list_with_breakdown_and_totals(computed, browse):
    cast = computed
    response = browse(cast.kepala.user).get(LIST, {"period": "2026-08", "unit": cast.pelayanan.pk})
    assert response.status_code == 200
    page = text(response)
    assert cast.pegawai.name in page and cast.atasan.name in page
    assert cast.peer.name not in page  # the Secretariat is not the head's
    assert "4,350,000" in page  # 2.550.000 + 2.000.000 − 200.000
    assert "Monday, 3 August" in page  # the absence in the breakdown
    assert 'id="tpp-total-net">9,350,000<' in page  # 4.350.000 + 5.000.000
    assert reverse("performance-tpp-export") in page
    assert reverse("performance-tpp-run") not in page  # the head does not run the month


def test_bkpsdm_runs_the_month_from_the_list(cast, browse):
    set_tpp_rules(cast.agency)
    client = browse(cast.bkpsdm.user)
    page = text(client.get(LIST, {"period": "2026-08"}))
    assert "No allowance computed for this month yet." in page
    assert reverse("performance-tpp-run") in page
    response = client.post(
        reverse("performance-tpp-run"), {"period": "2026-08", "agency": cast.agency.pk}
    )
    assert response.status_code == 302
    assert TppLine.objects.filter(agency=cast.agency, period=AUG).count() == (
        Employee.objects.filter(agency=cast.agency).count()
    )
    page = text(client.get(response["Location"]))
    assert "The allowance of 08/2026 was computed for" in page
    assert "No job class (kelas jabatan) is recorded" in page


def test_a_bad_month_is_said_and_nothing_runs(cast, browse):
    client = browse(cast.bkpsdm.user)
    response = client.post(reverse("performance-tpp-run"), {"period": "agustus"}, follow=True)
    assert "Give the month as YYYY-MM" in text(response)
    assert not TppLine.objects.exists()
    listed = client.get(LIST, {"period": "2026-99"})
    assert listed.status_code == 200 and "Give the month as YYYY-MM" in text(listed)


def test_a_person_sees_their_own_allowance(computed, browse):
    cast = computed
    response = browse(cast.pegawai.user).get(reverse("performance-tpp-mine"), {"period": "2026-08"})
    page = text(response)
    assert 'id="tpp-mine-net">Rp 4,350,000<' in page
    assert "Score 85.00; 85.00% of the performance part is paid." in page
    assert "August 2026" in page
    empty = browse(cast.pegawai.user).get(reverse("performance-tpp-mine"), {"period": "2026-07"})
    assert "No allowance computed for this month yet." in text(empty)


def test_the_xlsx_button_downloads_the_list(computed, browse):
    cast = computed
    response = browse(cast.bkpsdm.user).get(
        reverse("performance-tpp-export"), {"period": "2026-08"}
    )
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    net = rows[5].index("Net allowance")
    assert rows[-1][net] == sum(r[net] for r in rows[6:-1]) > 0


def test_the_list_page_costs_the_same_queries_for_3_and_30_lines(cast, browse):
    set_tpp_rules(cast.agency)
    counts = []
    for n in (3, 27):
        tpp_staff(cast.pelayanan, n)
        tpp_run(agency=cast.agency, period=AUG)
        client = browse(cast.bkpsdm.user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST, {"period": "2026-08", "unit": cast.pelayanan.pk})
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --- the rules form ----------------------------------------------------------------------------

RULES = reverse("performance-rules")


def form_data(**changes) -> dict:
    data = {k: ("" if v is None else v) for k, v in initial_of(config.parse({})).items()}
    data.update(changes)
    return data


def test_the_rules_form_shows_the_defaults(cast, browse):
    page = text(browse(cast.bkpsdm.user).get(RULES))
    assert 'name="tpp__late_bands__0__percent"' in page and 'value="0.5"' in page
    assert 'name="tpp__base_by_job_class__17"' in page
    assert "the defaults (nothing saved yet)" in page


def test_bkpsdm_saves_the_table_and_weights(cast, browse):
    data = form_data(
        tpp__base_by_job_class__9="5000000",
        tpp__performance_weight="40",
        tpp__discipline_weight="60",
        tpp__absence_mode="day_share",
        tpp__late_bands__3__up_to_minutes="120",
        tpp__late_bands__4__percent="3",
    )
    response = browse(cast.bkpsdm.user).post(RULES, data)
    assert response.status_code == 302, text(response)
    tpp = config.parse(PerformanceRuleSet.objects.get(agency=cast.agency).rules).tpp
    assert tpp.base_by_job_class == {9: 5_000_000}
    assert (tpp.performance_weight, tpp.discipline_weight) == (40, 60)
    assert tpp.absence_mode == "day_share"
    assert [b.up_to_minutes for b in tpp.late_bands] == [30, 60, 90, 120, None]
    assert [str(b.percent) for b in tpp.early_leave_bands] == ["0.5", "1", "1.5", "2"]


def test_wrong_rules_are_shown_on_the_form(cast, browse):
    client = browse(cast.bkpsdm.user)
    response = client.post(RULES, form_data(tpp__performance_weight="70"))
    assert response.status_code == 400
    assert "The performance and discipline weights must add up to 100." in text(response)
    response = client.post(RULES, form_data(tpp__late_bands__1__percent="200"))
    assert response.status_code == 400
    assert 'id="id_tpp__late_bands__1__percent"' in text(response)
    assert "At most 100." in text(response)
    response = client.post(RULES, form_data(tpp__absence_percent="banyak"))
    assert response.status_code == 400
    assert not PerformanceRuleSet.objects.exists()
