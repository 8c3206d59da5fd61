"""The discipline pages: the case list with overdue cases highlighted, a case with its evidence
and the decision form (errors on the form), and a case opened by hand."""

from datetime import date

import pytest
from django.urls import reverse

from darirumah.conftest import text
from darirumah.performance.models import DisciplineCase

from .factories import make_case


@pytest.fixture(autouse=True)
def _clock(clock):
    return clock  # Wednesday 19 August 2026, 10:00 WIB


def url(name, *args):
    return reverse(f"performance-discipline-{name}", args=args)


def test_the_list_highlights_overdue_recommendations(cast, browse):
    late = make_case(cast.pegawai, decide_by=date(2026, 8, 18), summary="Terlambat diputus")
    make_case(cast.pegawai, band=7, decide_by=date(2026, 9, 2), summary="Masih ada waktu")
    page = browse(cast.atasan.user).get(url("list"))
    assert page.status_code == 200
    body = text(page)
    assert "Terlambat diputus" in body and "Masih ada waktu" in body
    assert body.count(">Overdue<") == 1
    assert f'list-group-item-danger" href="{url("detail", late.pk)}"' in body
    only = text(browse(cast.atasan.user).get(url("list"), {"overdue": "on"}))
    assert "Terlambat diputus" in only and "Masih ada waktu" not in only


def test_the_list_shows_nothing_of_others(cast, browse):
    make_case(cast.pegawai, summary="Kasus pegawai")
    assert "Kasus pegawai" not in text(browse(cast.kesehatan.user).get(url("list")))
    assert "Kasus pegawai" not in text(browse(cast.peer.user).get(url("list")))
    assert "Kasus pegawai" in text(browse(cast.pegawai.user).get(url("list")))


def test_a_case_shows_its_evidence_and_the_decision_form(cast, browse):
    case = make_case(
        cast.pegawai,
        evidence={
            "kind": "absence_run",
            "days": 10,
            "dates": ["2026-08-11", "2026-08-26"],
            "first": "2026-08-11",
            "last": "2026-08-26",
        },
        source="absence_run",
        recommended_level="berat",
        recommended_sanction="dismissal",
    )
    body = text(browse(cast.atasan.user).get(url("detail", case.pk)))
    assert "2026-08" in body and "11, 26" in body
    assert "10 consecutive working days" in body
    assert 'name="decision"' in body and 'name="reason"' in body
    # The employee reads the case but gets no form.
    own = text(browse(cast.pegawai.user).get(url("detail", case.pk)))
    assert "Honourable dismissal" in own and 'name="decision"' not in own


def test_accepting_on_the_page(cast, browse):
    case = make_case(cast.pegawai)
    response = browse(cast.atasan.user).post(
        url("detail", case.pk), {"decision": "accept", "reason": "Terbukti tidak hadir"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "accepted" and case.sanction == "written_warning"
    page = text(browse(cast.pegawai.user).get(url("detail", case.pk)))
    assert "Terbukti tidak hadir" in page and "Atasan Pelayanan" in page


def test_a_wrong_change_is_shown_on_the_form(cast, browse):
    case = make_case(cast.pegawai)
    response = browse(cast.kepala.user).post(
        url("detail", case.pk),
        {"decision": "change", "reason": "x", "level": "ringan", "sanction": "tpp_cut_12"},
    )
    assert response.status_code == 400
    body = text(response)
    assert "is not a sanction of the" in body and "is-invalid" in body
    case.refresh_from_db()
    assert case.status == "recommended"


def test_a_reason_is_required_on_the_form(cast, browse):
    case = make_case(cast.pegawai)
    response = browse(cast.bkpsdm.user).post(url("detail", case.pk), {"decision": "dismiss"})
    assert response.status_code == 400
    assert "This field is required." in text(response)


def test_the_employee_cannot_decide_on_the_page(cast, browse):
    case = make_case(cast.pegawai)
    response = browse(cast.pegawai.user).post(
        url("detail", case.pk), {"decision": "dismiss", "reason": "saya tidak bersalah"}
    )
    assert response.status_code == 403
    other = browse(cast.outsider_bkpsdm.user).post(
        url("detail", case.pk), {"decision": "dismiss", "reason": "x"}
    )
    assert other.status_code == 404
    case.refresh_from_db()
    assert case.status == "recommended"


def test_a_decided_case_is_not_decided_again_on_the_page(cast, browse):
    case = make_case(cast.pegawai)
    client = browse(cast.atasan.user)
    client.post(url("detail", case.pk), {"decision": "dismiss", "reason": "Ada izin"})
    again = client.post(
        url("detail", case.pk), {"decision": "accept", "reason": "Salah"}, follow=True
    )
    assert "already decided" in text(again)
    case.refresh_from_db()
    assert case.status == "dismissed" and case.decision_reason == "Ada izin"


def test_opening_a_case_by_hand(cast, browse):
    client = browse(cast.atasan.user)
    form = client.get(url("new"), {"employee": cast.pegawai.pk})
    assert form.status_code == 200
    body = text(form)
    assert f'value="{cast.pegawai.nip}"' in body  # preselected, and offered in the list
    response = client.post(
        url("new"),
        {
            "nip": cast.pegawai.nip,
            "level": "ringan",
            "sanction": "verbal_warning",
            "summary": "Tidak mengikuti apel pagi",
            "evidence_text": "Daftar hadir apel",
        },
    )
    case = DisciplineCase.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", case.pk)
    assert case.source == "manual" and case.supervisor == cast.atasan


def test_the_manual_form_shows_its_errors(cast, browse):
    response = browse(cast.atasan.user).post(
        url("new"),
        {"nip": cast.peer.nip, "level": "sedang", "sanction": "verbal_warning", "summary": ""},
    )
    assert response.status_code == 400
    body = text(response)
    assert "Nobody you may open a case about has this NIP." in body
    assert "This field is required." in body
    assert not DisciplineCase.objects.exists()


def test_a_wrong_pairing_on_the_manual_form(cast, browse):
    response = browse(cast.kepala.user).post(
        url("new"),
        {"nip": cast.pegawai.nip, "level": "sedang", "sanction": "verbal_warning", "summary": "x"},
    )
    assert response.status_code == 400
    assert "is not a sanction of the" in text(response)
    assert not DisciplineCase.objects.exists()


def test_only_those_who_open_cases_get_the_form(cast, browse):
    assert browse(cast.pegawai.user).get(url("new")).status_code == 403
    assert browse(cast.pimpinan.user).get(url("new")).status_code == 403
    assert browse(cast.bkpsdm.user).get(url("new")).status_code == 200
