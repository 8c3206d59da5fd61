"""The letters' contents from the records (documents.selectors.sources): in the default
language (Indonesian) whatever the request speaks, in a fixed number of queries."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext as _

from darirumah.attendance.models import DailyRecap
from darirumah.core.errors import DomainError
from darirumah.documents.render.letter import Fields, Grid, Items, render_letter
from darirumah.documents.selectors import sources, sources_reports
from darirumah.org.models import Employee, Unit
from darirumah.org.tests.factories import EmployeeFactory, OfficeFactory, UnitFactory
from darirumah.performance.tests.factories import evaluation_for, make_sanction
from darirumah.policy.models import Circular, EarlyStart, RuleSetVersion
from darirumah.policy.rules import RuleSet
from darirumah.policy.tests.factories import make_circular

from .letters_fixtures import page_count, page_stream, shown

pytestmark = pytest.mark.django_db
ON = date(2020, 8, 17)


def in_id(msgid: str, **values) -> str:
    """What a msgid reads in Indonesian (before and after the catalogue has it)."""
    with translation.override("id"):
        text = _(msgid)
    return text % values if values else text


def text_of(letter) -> str:
    """Every string of a letter's blocks, one per line, to look for sentences in."""
    parts = [letter.title, letter.number_line, letter.about, letter.place_date]
    for block in letter.blocks:
        if isinstance(block, Fields):
            parts += [f"{label}: {value}" for label, value in block.rows]
        elif isinstance(block, Items):
            parts += block.items
        elif isinstance(block, Grid):
            parts += [" | ".join(row) for row in [block.columns, *block.rows]]
        else:
            parts.append(block.text)
    return "\n".join(parts)


def count_queries(function, *args, **kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        function(*args, **kwargs)
    return len(queries)


@pytest.fixture
def batu(cast):
    cast.agency.region = "Kota Batu"
    cast.agency.letterhead_title = "Pemerintah Kota Batu"
    cast.agency.letterhead_subtitle = "Badan Kepegawaian dan Pengembangan SDM"
    cast.agency.address = "Jl. Panglima Sudirman 507"
    cast.agency.phone = "(0341) 512345"
    cast.agency.website = "https://batukota.go.id/"
    cast.agency.risk_zone = "medium"  # SE MenPANRB 67/2020: 50% at the office
    cast.agency.save()
    return cast


# --- letterhead --------------------------------------------------------------------------------


def test_the_letterhead_comes_from_the_agency(batu):
    head = sources.letterhead_of(batu.agency)
    assert head.title == "PEMERINTAH KOTA BATU"
    assert head.subtitle == "BADAN KEPEGAWAIAN DAN PENGEMBANGAN SDM"
    phone = in_id("Phone %(phone)s", phone="(0341) 512345")
    assert head.lines == ["Jl. Panglima Sudirman 507, Batu", f"{phone} \u00b7 batukota.go.id"]
    assert sources.place_of(batu.agency) == "Batu"


def test_without_letterhead_fields_the_name_and_region_stand_in(cast):
    head = sources.letterhead_of(cast.agency)
    assert head.title == "PEMERINTAH KOTA SERANG UJI"
    assert head.subtitle == "KOTA UJI" and head.lines == []


# --- the circular ------------------------------------------------------------------------------


@pytest.fixture
def circular(batu):
    circular = make_circular(
        batu.agency,
        status=Circular.Status.ACTIVE,
        units=[batu.disdukcapil],
        offices=[batu.office],
        number="800/012/KOTA-BATU/2020",
        title="Sistem kerja ASN di Balaikota Among Tani",
        issuer_position="Wali Kota Batu",
        legal_basis="1. SE MenPANRB 19/2020\n2) Kepmenkes HK.01.07/Menkes/328/2020\n\n- UU 20/2023",
        starts_on=date(2020, 8, 18),
        ends_on=date(2020, 8, 21),
    )
    EarlyStart.objects.create(circular=circular, unit=batu.setda, starts_on=date(2020, 8, 14))
    other = OfficeFactory(agency=batu.agency, name="Gedung Among Tani")
    rules = RuleSet.model_validate(
        {
            "minimum_on_site": [{"unit": batu.disdukcapil.pk, "count": 3}],
            "office_caps": [{"office": other.pk, "share": 0.25}],
            "flexible": {"enabled": True, "max_days_per_week": 2},
            "checkin_deadline": "07:30",
            "vicon_time": "14:00",
            "report_time": "15:00",
        }
    )
    RuleSetVersion.objects.create(circular=circular, number=2, rules=rules.model_dump(mode="json"))
    return circular


def test_the_circular_letter_states_what_the_newest_rules_decide(circular):
    letter = sources.circular_letter(circular, on=ON)
    text = text_of(letter)
    assert letter.title == in_id("CIRCULAR LETTER")
    assert letter.number_line == in_id("Number: %(number)s", number="800/012/KOTA-BATU/2020")
    assert letter.about == in_id("ON %(title)s", title="SISTEM KERJA ASN DI BALAIKOTA AMONG TANI")
    assert letter.signature_captions == ["Wali Kota Batu,"]
    assert "Batu" in letter.place_date and "17 Agustus 2020" in letter.place_date
    # Dates in Indonesian although the test runs in English.
    assert "18 Agustus 2020" in text and "21 Agustus 2020" in text
    assert "14 Agustus 2020" in text  # the Secretariat's early start
    expected = [
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Pusat Pemerintahan",
        "Gedung Among Tani",
        "Sekretariat Daerah",
        "Kepmenkes HK.01.07/Menkes/328/2020",
        "PermenPANRB 4/2025",
        "SE MenPANRB 58/2020",
        "SE MenPANRB 67/2020",
        "50%",
        "07.30 WIB",
        "14.00 WIB",
        "15.00 WIB",
        "25%",
    ]
    for name in expected:
        assert name in text, name
    basis = letter.blocks[1]
    assert isinstance(basis, Items)
    assert basis.items == [
        "SE MenPANRB 19/2020",
        "Kepmenkes HK.01.07/Menkes/328/2020",
        "UU 20/2023",
    ]
    pdf, [box] = render_letter(letter)
    assert page_count(pdf) >= 1 and box["page"] == page_count(pdf) - 1


def test_a_circular_for_the_whole_agency_until_withdrawn(batu):
    circular = make_circular(batu.agency, ends_on=None, legal_basis="")
    text = text_of(sources.circular_letter(circular, on=ON))
    assert in_id("This circular covers every unit of %(agency)s.", agency=batu.agency.name) in text
    assert (
        in_id("in the period from %(start)s until it is withdrawn", start="19 Maret 2020") in text
    )


def test_the_circular_letter_takes_a_fixed_number_of_queries(circular, batu):
    fresh = Circular.objects.get(pk=circular.pk)
    few = count_queries(sources.circular_letter, fresh, on=ON)
    for n in range(4):
        unit = UnitFactory(agency=batu.agency, serves_public=True, min_on_site=2)
        circular.units.add(unit)
        EarlyStart.objects.create(circular=circular, unit=unit, starts_on=date(2020, 8, 10 + n))
    fresh = Circular.objects.get(pk=circular.pk)
    assert count_queries(sources.circular_letter, fresh, on=ON) == few


# --- the statement letter ----------------------------------------------------------------------


def test_the_statement_letter_names_the_person_and_the_circular(circular, batu):
    number = "001/SP-WFH/DUK-PEL/VIII/2020"
    letter = sources.statement_letter(circular, batu.pegawai, number=number, on=ON)
    assert letter.title == in_id("STATEMENT LETTER")
    assert letter.signature_captions == [in_id("The declarant,")]
    assert letter.place_date == "Batu, 17 Agustus 2020"
    fields = next(b for b in letter.blocks if isinstance(b, Fields))
    nip = batu.pegawai.nip
    assert fields.rows == [
        (in_id("Name"), "Pegawai Pelayanan"),
        (in_id("NIP"), f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"),
        (in_id("Position"), "Analis"),
        (in_id("Unit"), "Bidang Pelayanan"),
    ]
    text = text_of(letter)
    assert "800/012/KOTA-BATU/2020" in text and "18 Agustus 2020" in text
    assert in_id("not travel out of town without my superior's permission;") in text
    pdf, [box] = render_letter(letter, compress=False)
    assert page_count(pdf) == 1 and box["page"] == 0
    assert "Pegawai Pelayanan" in shown(page_stream(pdf, 0))


def test_thirty_statement_letters_take_no_query_of_their_own(circular, batu):
    for _n in range(30 - 2):  # Bidang Pelayanan has two people already
        EmployeeFactory(unit=batu.pelayanan, agency=batu.agency)
    circular = Circular.objects.select_related("agency").get(pk=circular.pk)
    employees = list(
        Employee.objects.filter(unit=batu.pelayanan).select_related("unit").order_by("name")
    )
    assert len(employees) == 30
    numbers = [f"{n:03d}/SP-WFH/DUK-PEL/VIII/2020" for n in range(1, 31)]
    with CaptureQueriesContext(connection) as queries:
        letters = sources.statement_letters(circular, employees, numbers, on=ON)
    assert len(queries) == 0
    assert [lt.number_line for lt in letters] == [
        in_id("Number: %(number)s", number=n) for n in numbers
    ]
    assert {lt.blocks[1].rows[0][1] for lt in letters} == {e.name for e in employees}
    with pytest.raises(ValueError):
        sources.statement_letters(circular, employees, numbers[:-1])


# --- the month-end evaluation ------------------------------------------------------------------


def _evaluate(employee, rating="baik", **kw):
    return evaluation_for(
        employee,
        period=date(2026, 8, 1),
        rating=rating,
        target_achievement=Decimal("92.50"),
        attendance_compliance=Decimal("95.00"),
        figures={"attendance": {"late": 2, "absent": 1}},
        **kw,
    )


def test_the_evaluation_letter_lists_the_unit_and_its_sub_units(batu):
    Employee.objects.filter(pk=batu.kepala.pk).update(position="Kepala Dinas Dukcapil")
    _evaluate(batu.pegawai, "sangat_baik")
    _evaluate(batu.atasan)
    _evaluate(batu.peer)  # another OPD: not in this letter
    letter = sources_reports.evaluation_letter(
        batu.agency, batu.disdukcapil, date(2026, 8, 19), number="800/1/DISDUKCAPIL/VIII/2026"
    )
    grid = next(b for b in letter.blocks if isinstance(b, Grid))
    assert [row[1].split("\n")[0] for row in grid.rows] == ["Atasan Pelayanan", "Pegawai Pelayanan"]
    first = grid.rows[0]
    assert first[2:6] == ["20", "2", "1", "95,0"]  # Indonesian decimals
    assert first[7] == "92,5" and first[6] == "\u2014"
    assert grid.rows[1][-1] == in_id("Sangat Baik")
    assert letter.signature_captions == ["Kepala Dinas Dukcapil,"]
    assert "AGUSTUS 2026" in letter.about
    pdf, [box] = render_letter(letter)
    assert box["page"] == page_count(pdf) - 1


def test_the_evaluation_letter_takes_a_fixed_number_of_queries(batu):
    _evaluate(batu.pegawai)
    month = date(2026, 8, 1)

    def queries():
        unit = Unit.objects.get(pk=batu.disdukcapil.pk)  # its head not loaded yet
        build = sources_reports.evaluation_letter
        return count_queries(build, batu.agency, unit, month, number="1")

    few = queries()
    for _n in range(5):
        _evaluate(EmployeeFactory(unit=batu.pelayanan))
    assert queries() == few


def test_a_month_without_evaluations_says_so(batu):
    letter = sources_reports.evaluation_letter(
        batu.agency, batu.setda, date(2026, 8, 1), number="1"
    )
    assert not any(isinstance(b, Grid) for b in letter.blocks)
    assert in_id("No evaluation has been computed for this month yet.") in text_of(letter)


# --- the daily recap ---------------------------------------------------------------------------

MONDAY = date(2020, 3, 23)


def _recap(unit, sent_at=None, note="", staff=4):
    figures = {
        "staff": staff, "by_mode": {"WFO": 1, "WFH": 2, "WFA": 1}, "unplanned": 0, "present": 2,
        "late": 1, "absent": 1, "excused": 0, "not_recorded": 0,
        "vicon": {"present": 3, "absent": 0, "excused": 0}, "reports_submitted": 3,
    }  # fmt: skip
    return DailyRecap.objects.create(
        agency=unit.agency,
        unit=unit,
        date=MONDAY,
        produced_at=datetime(2020, 3, 23, 8, 0, tzinfo=UTC),
        figures=figures,
        sent_at=sent_at,
        note=note,
    )


def test_the_recap_letter_has_a_row_per_opd_and_the_totals(batu):
    _recap(batu.disdukcapil, datetime(2020, 3, 23, 8, 5, tzinfo=UTC), "Pelayanan daring berjalan")
    _recap(batu.setda, staff=6)
    letter = sources_reports.recap_letter(batu.agency, MONDAY, number="800/5/REKAP/VIII/2020")
    grid = next(b for b in letter.blocks if isinstance(b, Grid))
    rows = {row[0]: row for row in grid.rows}
    assert set(rows) == {"BKPSDM", "Dinas Kependudukan dan Pencatatan Sipil", "Sekretariat Daerah"}
    assert rows["Dinas Kependudukan dan Pencatatan Sipil"][1:4] == ["4", "1", "3"]
    assert rows["Dinas Kependudukan dan Pencatatan Sipil"][-1] == "15.05"  # WIB
    assert rows["Sekretariat Daerah"][-1] == in_id("Not sent yet")
    assert rows["BKPSDM"][1] == "\u2014" and rows["BKPSDM"][-1] == in_id("Not produced yet")
    assert grid.totals[:3] == [in_id("Total"), "10", "2"]
    text = text_of(letter)
    assert "Senin, 23 Maret 2020".upper() == letter.about
    assert "Dinas Kependudukan dan Pencatatan Sipil: Pelayanan daring berjalan" in text
    assert letter.signature_captions == [in_id("Head of BKPSDM,")]
    pdf, [box] = render_letter(letter)
    assert box["page"] == page_count(pdf) - 1


def test_the_recap_letter_takes_a_fixed_number_of_queries(batu):
    _recap(batu.disdukcapil)
    few = count_queries(sources_reports.recap_letter, batu.agency, MONDAY, number="1")
    for _n in range(5):
        _recap(UnitFactory(agency=batu.agency))
    assert count_queries(sources_reports.recap_letter, batu.agency, MONDAY, number="1") == few


# --- the discipline decision -------------------------------------------------------------------


def test_the_discipline_decree_names_the_sanction_its_start_and_grounds(batu):
    Employee.objects.filter(pk=batu.bkpsdm.pk).update(position="Kepala BKPSDM")
    case = make_sanction(batu.pegawai, "tpp_cut_6", date(2026, 2, 1), months=6)
    case.decided_by = batu.bkpsdm.user
    case.evidence = {"kind": "absence_year", "year": 2025, "days": 11}
    case.save()
    letter = sources_reports.discipline_letter(case, number="800/3/KEP/KOTA-BATU/2026")
    assert letter.title == in_id("Decision of %(position)s", position="Kepala BKPSDM").upper()
    assert letter.about == in_id("on the imposition of a disciplinary sanction").upper()
    assert letter.signature_captions == ["Kepala BKPSDM,"]
    assert "5 Januari 2026" in letter.place_date  # the day of the decision, in WIB
    text = text_of(letter)
    for expected in (
        "Pegawai Pelayanan",
        "11",
        "2025",
        in_id("25% allowance cut for 6 months").lower(),
        "1 Februari 2026",
        "Terbukti",
        in_id("Government Regulation 94 of 2021 on Civil Servant Discipline;"),
        in_id("DECIDES:"),
    ):
        assert expected in text, expected
    pdf, [box] = render_letter(letter)
    assert box["page"] == page_count(pdf) - 1


def test_only_a_decided_case_gets_a_decree(batu):
    case = make_sanction(batu.pegawai, "written_warning", date(2026, 2, 1), status="recommended")
    with pytest.raises(DomainError):
        sources_reports.discipline_letter(case, number="1")


def test_a_decree_without_a_deciding_employee_names_the_authorised_official(batu):
    case = make_sanction(batu.pegawai, "written_warning", date(2026, 2, 1), status="changed")
    letter = sources_reports.discipline_letter(case, number="1", on=ON)
    caption = in_id("The official authorised to impose the sanction")
    assert letter.signature_captions == [f"{caption},"]
    assert letter.title == in_id("Decision").upper()
    assert "17 Agustus 2020" in letter.place_date
