"""SE MenPANRB 58/2020 placement criteria on the employee: validation, who sees the health flags
(UU 27/2022), who changes what, the API, the pages, the import and the history."""

import io
import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from darirumah.conftest import client_for, text
from darirumah.core.calendar import utcnow
from darirumah.core.errors import DomainError, NotAllowed
from darirumah.org import criteria, imports
from darirumah.org.access import access_for
from darirumah.org.models import Employee
from darirumah.org.tests.factories import EmployeeFactory, nip_for
from darirumah.policy import rules as policy_rules

pytestmark = pytest.mark.django_db

HEALTH = ("comorbidity", "pregnant", "recent_contact_until")
# Who may see an employee's health flags: the person, the head and admin of their unit subtree,
# BKPSDM and health officers. Not a supervisor as such, not a colleague, not pimpinan, not the
# platform operator, nobody of another agency.
SEES_HEALTH = {"pegawai", "kepala_opd", "admin_opd", "bkpsdm", "kesehatan"}


def female(cast, **kwargs):
    """An employee whose NIP says female (nip_for: odd numbers are "P")."""
    return EmployeeFactory(unit=cast.pelayanan, nip=nip_for(1001), **kwargs)


def patch(user, employee, body):
    return client_for(user).patch(
        f"/api/v1/employees/{employee.pk}", json.dumps(body), content_type="application/json"
    )


# --- model -----------------------------------------------------------------------------------


def test_pregnancy_needs_a_female_nip(cast):
    man = EmployeeFactory(unit=cast.pelayanan, nip=nip_for(1000))
    assert man.sex == Employee.Sex.MALE
    man.pregnant = True
    with pytest.raises(ValidationError) as exc:
        man.full_clean()
    assert "pregnant" in exc.value.message_dict
    woman = female(cast)
    assert woman.sex == Employee.Sex.FEMALE
    woman.pregnant = True
    woman.full_clean()


def test_an_until_date_far_ahead_is_a_typing_mistake(cast):
    person = cast.pegawai
    today = utcnow().date()
    person.recent_contact_until = today + timedelta(days=90)
    person.recent_travel_until = date(2020, 3, 1)  # long past: simply lapsed
    person.full_clean()
    person.recent_contact_until = today + timedelta(days=400)
    with pytest.raises(ValidationError) as exc:
        person.full_clean()
    assert set(exc.value.message_dict) == {"recent_contact_until"}


# --- access ----------------------------------------------------------------------------------


def test_who_sees_the_health_flags(cast):
    for role, user in cast.users().items():
        assert access_for(user).sees_health_flags(cast.pegawai) == (role in SEES_HEALTH), role
    # A colleague in the same unit, and a supervisor over them, do not.
    colleague = EmployeeFactory(unit=cast.pelayanan)
    assert not access_for(colleague.user).sees_health_flags(cast.pegawai)
    assert not access_for(cast.atasan.user).sees_health_flags(cast.pegawai)
    # The head of Disdukcapil sees nobody's outside the Disdukcapil subtree.
    assert not access_for(cast.kepala.user).sees_health_flags(cast.peer)


def test_who_changes_which_criterion(cast):
    own = access_for(cast.pegawai.user)
    assert criteria.editable_fields(own, cast.pegawai) == [
        "comorbidity",
        "pregnant",
        "recent_contact_until",
        "recent_travel_until",
    ]
    assert criteria.editable_fields(access_for(cast.kepala.user), cast.pegawai) == list(
        criteria.CRITERIA_FIELDS
    )
    assert criteria.editable_fields(access_for(cast.kesehatan.user), cast.pegawai) == [
        "comorbidity",
        "pregnant",
        "recent_contact_until",
        "recent_travel_until",
    ]
    assert criteria.editable_fields(access_for(cast.operator), cast.pegawai) == [
        "recent_travel_until",
        "top_official",
        "strategic_post",
    ]
    for user in (cast.atasan.user, cast.pimpinan.user, cast.peer.user, cast.outsider.user):
        assert criteria.editable_fields(access_for(user), cast.pegawai) == []


def test_the_service_refuses_each_criterion_that_is_not_yours(cast):
    own = access_for(cast.pegawai.user)
    with pytest.raises(NotAllowed) as exc:
        criteria.employee_criteria_update(access=own, employee=cast.pegawai, top_official=True)
    assert "top_official" in exc.value.fields
    with pytest.raises(DomainError):
        criteria.employee_criteria_update(access=own, employee=cast.pegawai, name="X")
    cast.pegawai.refresh_from_db()
    assert not cast.pegawai.top_official


# --- API -------------------------------------------------------------------------------------


def test_the_api_hides_health_flags_from_those_who_may_not_see_them(cast):
    Employee.objects.filter(pk=cast.pegawai.pk).update(
        comorbidity=True, recent_contact_until=date(2026, 12, 1), strategic_post=True
    )
    for role, user in cast.users().items():
        response = client_for(user).get(f"/api/v1/employees/{cast.pegawai.pk}")
        if response.status_code != 200:
            assert role in {"outsider", "outsider_bkpsdm"}
            continue
        data = response.json()
        assert data["strategic_post"] is True  # work criteria: whoever sees the record
        if role in SEES_HEALTH:
            assert (data["comorbidity"], data["recent_contact_until"]) == (True, "2026-12-01")
        else:
            assert all(data[name] is None for name in HEALTH), role
    # Also in the list, and in /me for the person themself.
    listed = client_for(cast.atasan.user).get("/api/v1/employees", {"page_size": 100}).json()
    mine = next(e for e in listed["items"] if e["id"] == cast.pegawai.pk)
    assert mine["comorbidity"] is None
    me = client_for(cast.pegawai.user).get("/api/v1/me").json()
    assert me["employee"]["comorbidity"] is True


def test_the_person_declares_their_own_health_flags_through_the_api(cast):
    woman = female(cast)
    response = patch(woman.user, woman, {"pregnant": True, "recent_travel_until": "2026-12-01"})
    assert response.status_code == 200, response.json()
    assert (response.json()["pregnant"], response.json()["recent_travel_until"]) == (
        True,
        "2026-12-01",
    )
    woman.refresh_from_db()
    assert woman.pregnant
    # ...but not the rest of their record, nor a work criterion.
    assert patch(woman.user, woman, {"phone": "0811"}).status_code == 403
    response = patch(woman.user, woman, {"strategic_post": True})
    assert response.status_code == 403
    assert "strategic_post" in response.json()["error"]["fields"]


def test_api_patch_of_criteria_by_role(cast):
    assert patch(cast.kesehatan.user, cast.pegawai, {"comorbidity": True}).status_code == 200
    assert patch(cast.kepala.user, cast.pegawai, {"top_official": True}).status_code == 200
    assert patch(cast.pimpinan.user, cast.pegawai, {"comorbidity": False}).status_code == 403
    assert patch(cast.atasan.user, cast.pegawai, {"comorbidity": False}).status_code == 403
    assert patch(cast.outsider.user, cast.pegawai, {"comorbidity": False}).status_code == 404
    cast.pegawai.refresh_from_db()
    assert (cast.pegawai.comorbidity, cast.pegawai.top_official) == (True, True)


def test_api_patch_is_all_or_nothing_and_bad_input_is_a_clear_error(cast):
    man = EmployeeFactory(unit=cast.pelayanan, nip=nip_for(1000))
    response = patch(cast.admin_opd.user, man, {"phone": "081299990000", "pregnant": True})
    assert response.status_code == 400
    assert "pregnant" in response.json()["error"]["fields"]
    man.refresh_from_db()
    assert man.phone != "081299990000"  # the phone was not saved either
    response = patch(cast.admin_opd.user, man, {"recent_contact_until": "2099-01-01"})
    assert response.status_code == 400
    assert "recent_contact_until" in response.json()["error"]["fields"]
    response = patch(cast.admin_opd.user, man, {"comorbidity": "maybe"})
    assert response.status_code in (400, 422) and "error" in response.json()


# --- pages -----------------------------------------------------------------------------------


def test_the_detail_page_shows_health_flags_only_to_those_who_may(cast, browse):
    Employee.objects.filter(pk=cast.pegawai.pk).update(comorbidity=True)
    url = f"/employees/{cast.pegawai.pk}/"
    seen = text(browse(cast.kesehatan.user).get(url))
    assert "Placement criteria (SE MenPANRB 58/2020)" in seen and "Comorbidity" in seen
    hidden = text(browse(cast.atasan.user).get(url))
    assert "Placement criteria (SE MenPANRB 58/2020)" in hidden
    assert "Comorbidity" not in hidden and "Health criteria are not shown to you." in hidden


def test_the_criteria_page_saves_and_the_history_keeps_it_from_others(cast, browse):
    url = f"/employees/{cast.pegawai.pk}/criteria/"
    page = browse(cast.kepala.user).get(url)
    assert page.status_code == 200 and "top_official" in text(page)
    response = browse(cast.kepala.user).post(
        url, {"comorbidity": "on", "top_official": "on", "recent_travel_until": "2026-12-01"}
    )
    assert response.status_code == 302
    cast.pegawai.refresh_from_db()
    assert (cast.pegawai.comorbidity, cast.pegawai.top_official) == (True, True)
    assert cast.pegawai.recent_travel_until == date(2026, 12, 1)
    record = cast.pegawai.history.first()
    assert record.comorbidity and record.history_user == cast.kepala.user
    # The person's own form has no work criteria; a supervisor gets no form at all.
    own = text(browse(cast.pegawai.user).get(url))
    assert "pregnant" in own and "top_official" not in own
    assert browse(cast.atasan.user).get(url).status_code == 403
    # Pimpinan reads the history, but without the health change.
    detail = text(browse(cast.pimpinan.user).get(f"/employees/{cast.pegawai.pk}/"))
    assert "top official" in detail.lower() and "comorbidity" not in detail.lower()


def test_the_criteria_page_shows_a_refusal_as_a_form_message(cast, browse):
    man = EmployeeFactory(unit=cast.pelayanan, nip=nip_for(1000))
    response = browse(cast.admin_opd.user).post(
        f"/employees/{man.pk}/criteria/", {"pregnant": "on"}
    )
    assert response.status_code == 200
    assert "Only a female employee can be marked pregnant" in text(response)
    man.refresh_from_db()
    assert not man.pregnant


# --- import ----------------------------------------------------------------------------------


def workbook(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "NIP",
            "NAMA",
            "JABATAN",
            "KODE_UNIT",
            "Komorbid",
            "HAMIL",
            "PERJALANAN_SAMPAI",
            "KONTAK_ERAT_SAMPAI",
            "JPT",
            "JABATAN_STRATEGIS",
        ]
    )
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def run_import(cast, data):
    return imports.import_employees(
        access=access_for(cast.bkpsdm.user),
        agency=cast.agency,
        upload=data,
        filename="x.xlsx",
        dry_run=False,
    )


def test_the_import_reads_the_criteria_columns(cast):
    woman, man = nip_for(1001), nip_for(1000)
    report = run_import(
        cast,
        workbook(
            [
                [woman, "Siti", "Analis", "DUK-PEL", "ya", "ya", "01-12-2026", "", "", ""],
                [man, "Budi", "Kepala", "DUK-PEL", "", "", "", "2026-11-30", "ya", "tidak"],
            ]
        ),
    )
    assert report.imported, report.errors
    siti, budi = Employee.objects.get(nip=woman), Employee.objects.get(nip=man)
    assert (siti.comorbidity, siti.pregnant, siti.recent_travel_until) == (
        True,
        True,
        date(2026, 12, 1),
    )
    assert (budi.top_official, budi.strategic_post, budi.recent_contact_until) == (
        True,
        False,
        date(2026, 11, 30),
    )
    # Re-importing with empty cells changes nothing.
    report = run_import(cast, workbook([[woman, "Siti", "Analis", "DUK-PEL"] + [""] * 6]))
    assert report.imported and report.updated == 0
    siti.refresh_from_db()
    assert siti.pregnant and siti.recent_travel_until == date(2026, 12, 1)


def test_the_import_refuses_bad_criteria_and_writes_nothing(cast):
    man = nip_for(1000)
    report = run_import(
        cast,
        workbook(
            [
                [man, "Budi", "Analis", "DUK-PEL", "mungkin", "ya", "", "2099-01-01", "", ""],
            ]
        ),
    )
    assert not report.imported
    problems = " ".join(report.errors[0].problems)
    assert "Komorbid" in problems  # the header as the file wrote it
    assert "Only a female employee can be marked pregnant" in problems
    assert "KONTAK_ERAT_SAMPAI" in problems and "days ahead" in problems
    assert not Employee.objects.filter(nip=man).exists()


# --- the pure rule -----------------------------------------------------------------------------


PC = policy_rules.PersonCriteria


@pytest.mark.parametrize(
    ("person", "expected", "reasons"),
    [
        (PC(), None, set()),
        (PC(birth_date=date(1970, 1, 1)), "home_preferred", {"over_50"}),
        (PC(birth_date=date(1971, 3, 1)), None, set()),  # 50 exactly
        (PC(recent_travel_until=date(2021, 3, 1)), "home_required", {"recent_travel"}),
        (PC(recent_travel_until=date(2021, 2, 28)), None, set()),  # lapsed
        (PC(top_official=True, comorbidity=True), "office_required", {"top_official"}),
        (PC(top_official=True, pregnant=True), "home_required", {"pregnant"}),
    ],
)  # fmt: skip
def test_person_placement_on_a_day(person, expected, reasons):
    placement, flags = policy_rules.person_placement(
        person, on=date(2021, 3, 1), criteria=policy_rules.DEFAULT_CRITERIA
    )
    assert placement == expected and flags == reasons


@pytest.mark.parametrize("name", ["contoh-impor-pegawai.csv", "contoh-impor-pegawai.xlsx"])
def test_the_documented_example_fills_the_criteria(cast, name):
    from pathlib import Path

    from django.conf import settings

    data = (Path(settings.BASE_DIR) / "docs" / name).read_bytes()
    assert run_import(cast, data).imported
    flagged = Employee.objects.filter(agency=cast.agency)
    assert set(flagged.filter(top_official=True).values_list("nip", flat=True)) == {
        "197503112000031001"
    }
    assert set(flagged.filter(pregnant=True).values_list("nip", flat=True)) == {
        "198905092014022001"
    }
    assert flagged.filter(strategic_post=True).count() == 1
