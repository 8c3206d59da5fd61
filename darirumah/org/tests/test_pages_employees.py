"""The employee list (search, unit filter, htmx partial, pages), an employee's page, and the
create and edit forms."""

import re

from django.test import Client
from django.urls import reverse

from darirumah.conftest import text
from darirumah.org.models import Employee
from darirumah.org.tests.factories import EmployeeFactory, nip_for


def listed(page: str, employee) -> bool:
    """Whether the employee has a row (a link to their page); names also show as supervisors."""
    return f'href="{reverse("employee_detail", args=[employee.pk])}"' in page


def new_employee(cast, **overrides):
    data = {
        "nip": nip_for(4242),
        "name": "Rina Baru",
        "asn_type": "PNS",
        "position": "Pengolah Data",
        "grade": "II/c",
        "unit": cast.pelayanan.pk,
        "supervisor": cast.atasan.nip,
        "phone": "081234567890",
    }
    data.update(overrides)
    return data


# --- list ----------------------------------------------------------------------------------


def test_list_shows_the_callers_scope(browse, cast):
    bkpsdm = text(browse(cast.bkpsdm.user).get(reverse("employee_list")))
    for name in ("Pegawai Pelayanan", "Pegawai Setda", "Wali Kota Uji"):
        assert name in bkpsdm
    assert "Pegawai Batu" not in bkpsdm
    pegawai = text(browse(cast.pegawai.user).get(reverse("employee_list")))
    assert listed(pegawai, cast.pegawai)
    assert not listed(pegawai, cast.atasan)
    assert "1 employee" in pegawai


def test_search_by_name_nip_and_position(browse, cast):
    client = browse(cast.bkpsdm.user)
    by_name = text(client.get(reverse("employee_list"), {"q": "setda"}))
    assert "Pegawai Setda" in by_name and "Pegawai Pelayanan" not in by_name
    by_nip = text(client.get(reverse("employee_list"), {"q": cast.pegawai.nip[:12]}))
    assert "Pegawai Pelayanan" in by_nip
    by_position = text(client.get(reverse("employee_list"), {"q": "wali kota"}))
    assert "Wali Kota Uji" in by_position and "Pegawai Setda" not in by_position


def test_htmx_search_returns_only_the_table(browse, cast):
    response = browse(cast.bkpsdm.user).get(
        reverse("employee_list"), {"q": "setda"}, HTTP_HX_REQUEST="true"
    )
    page = text(response)
    assert "<html" not in page
    assert "Pegawai Setda" in page and "Pegawai Pelayanan" not in page
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(browse, cast):
    page = text(
        browse(cast.bkpsdm.user).get(
            reverse("employee_list"),
            HTTP_HX_REQUEST="true",
            HTTP_HX_HISTORY_RESTORE_REQUEST="true",
        )
    )
    assert "<html" in page


def test_unit_filter_includes_sub_units(browse, cast):
    client = browse(cast.bkpsdm.user)
    page = text(client.get(reverse("employee_list"), {"unit": cast.disdukcapil.pk}))
    for name in ("Kepala Dukcapil", "Admin Dukcapil", "Atasan Pelayanan", "Pegawai Pelayanan"):
        assert name in page
    assert "Pegawai Setda" not in page
    page = text(client.get(reverse("employee_list"), {"unit": cast.pelayanan.pk}))
    assert not listed(page, cast.kepala) and listed(page, cast.pegawai)


def test_a_unit_of_another_agency_filters_nothing_in(browse, cast):
    page = text(
        browse(cast.bkpsdm.user).get(reverse("employee_list"), {"unit": cast.other_unit.pk})
    )
    assert "Pegawai Batu" not in page


def test_atasan_filters_to_their_subordinates(browse, cast):
    page = text(browse(cast.kepala.user).get(reverse("employee_list"), {"team": "on"}))
    assert listed(page, cast.atasan) and listed(page, cast.pegawai)
    assert not listed(page, cast.admin_opd)  # in the unit, but not in the reporting line


def test_inactive_staff_are_hidden_unless_asked(browse, cast):
    Employee.objects.filter(pk=cast.peer.pk).update(is_active=False)
    client = browse(cast.bkpsdm.user)
    assert "Pegawai Setda" not in text(client.get(reverse("employee_list")))
    assert "Pegawai Setda" in text(client.get(reverse("employee_list"), {"inactive": "on"}))


def test_list_is_paginated(browse, cast):
    for i in range(30):
        EmployeeFactory(unit=cast.setda, name=f"Staf Setda {i:02d}", user=None)
    client = browse(cast.bkpsdm.user)
    first = text(client.get(reverse("employee_list"), {"unit": cast.setda.pk}))
    assert "Page 1 of 2" in first
    assert "Staf Setda 00" in first and "Staf Setda 29" not in first
    second = text(client.get(reverse("employee_list"), {"unit": cast.setda.pk, "page": 2}))
    assert "Staf Setda 29" in second
    assert f"unit={cast.setda.pk}" in second  # the filter stays in the page links


# --- detail --------------------------------------------------------------------------------


def test_detail_shows_fields_chain_and_subordinates(browse, cast):
    page = text(browse(cast.kepala.user).get(reverse("employee_detail", args=[cast.atasan.pk])))
    assert cast.atasan.nip in page
    assert "Bidang Pelayanan" in page
    assert "Reporting line" in page and "Kepala Dukcapil" in page
    assert "Direct subordinates" in page and "Pegawai Pelayanan" in page
    assert "Change history" in page  # the head oversees the unit
    assert reverse("employee_edit", args=[cast.atasan.pk]) not in page  # the head does not edit


def test_pegawai_sees_own_chain_without_links_outside_their_scope(browse, cast):
    page = text(browse(cast.pegawai.user).get(reverse("employee_detail", args=[cast.pegawai.pk])))
    assert "Atasan Pelayanan" in page and "Kepala Dukcapil" in page
    assert reverse("employee_detail", args=[cast.atasan.pk]) not in page
    assert "Change history" not in page


def test_detail_outside_scope_is_not_found(browse, cast):
    assert (
        browse(cast.pegawai.user).get(reverse("employee_detail", args=[cast.peer.pk])).status_code
        == 404
    )
    assert (
        browse(cast.outsider_bkpsdm.user)
        .get(reverse("employee_detail", args=[cast.pegawai.pk]))
        .status_code
        == 404
    )


# --- create --------------------------------------------------------------------------------


def test_admin_opd_adds_an_employee_who_then_appears_in_the_list(browse, cast):
    client = browse(cast.admin_opd.user)
    response = client.post(
        reverse("employee_create"), new_employee(cast, password="Sandi-Kuat-2025!")
    )
    employee = Employee.objects.get(nip=nip_for(4242))
    assert response.status_code == 302
    assert response["Location"] == reverse("employee_detail", args=[employee.pk])
    assert employee.supervisor == cast.atasan
    assert employee.agency == cast.agency
    page = text(client.get(reverse("employee_list"), {"q": "Rina"}))
    assert "Rina Baru" in page
    # The new account logs in with the NIP and the initial password.
    assert Client().login(username=employee.nip, password="Sandi-Kuat-2025!")


def test_create_form_offers_only_units_the_caller_administers(browse, cast):
    page = text(browse(cast.admin_opd.user).get(reverse("employee_create")))
    assert "Bidang Pelayanan" in page
    assert "Sekretariat Daerah" not in page


def test_create_form_preselects_the_unit(browse, cast):
    page = text(
        browse(cast.admin_opd.user).get(reverse("employee_create"), {"unit": cast.pelayanan.pk})
    )
    assert re.search(rf'<option value="{cast.pelayanan.pk}" selected>', page)


def test_an_invalid_nip_is_shown_on_the_field(browse, cast):
    response = browse(cast.admin_opd.user).post(
        reverse("employee_create"), new_employee(cast, nip="19850315201001300")
    )
    page = text(response)
    assert response.status_code == 200
    assert "NIP must be exactly 18 digits" in page
    assert re.search(r'name="nip"[^>]*class="[^"]*is-invalid', page) or re.search(
        r'class="[^"]*is-invalid[^"]*"[^>]*name="nip"', page
    )
    assert not Employee.objects.filter(name="Rina Baru").exists()


def test_a_nip_with_an_impossible_birth_date_is_shown_on_the_field(browse, cast):
    response = browse(cast.admin_opd.user).post(
        reverse("employee_create"), new_employee(cast, nip="198513152010011001")
    )
    assert response.status_code == 200
    assert "must be a real birth date" in text(response)


def test_a_duplicate_nip_is_a_form_error_not_a_crash(browse, cast):
    response = browse(cast.admin_opd.user).post(
        reverse("employee_create"), new_employee(cast, nip=cast.peer.nip)
    )
    assert response.status_code == 200
    assert re.search(r'id="id_nip_error"><div>[^<]*NIP already exists', text(response))
    assert Employee.objects.filter(nip=cast.peer.nip).count() == 1


def test_an_unknown_supervisor_nip_is_shown_on_the_field(browse, cast):
    response = browse(cast.admin_opd.user).post(
        reverse("employee_create"), new_employee(cast, supervisor=cast.outsider.nip)
    )
    assert response.status_code == 200
    assert f"No employee with NIP {cast.outsider.nip} in this agency." in text(response)


def test_a_unit_outside_the_admins_subtree_is_refused(browse, cast):
    response = browse(cast.admin_opd.user).post(
        reverse("employee_create"), new_employee(cast, unit=cast.setda.pk)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in text(response)
    assert not Employee.objects.filter(name="Rina Baru").exists()


def test_those_who_do_not_administer_cannot_add(browse, cast):
    for user in (cast.pegawai.user, cast.kepala.user, cast.pimpinan.user):
        assert browse(user).get(reverse("employee_create")).status_code == 403
        response = browse(user).post(reverse("employee_create"), new_employee(cast))
        assert response.status_code == 403
    assert not Employee.objects.filter(name="Rina Baru").exists()


# --- edit ----------------------------------------------------------------------------------


def test_admin_edits_and_the_change_is_in_the_history(browse, cast):
    client = browse(cast.admin_opd.user)
    url = reverse("employee_edit", args=[cast.pegawai.pk])
    form = text(client.get(url))
    assert 'value="Pegawai Pelayanan"' in form
    assert re.search(r'name="nip"[^>]*disabled|disabled[^>]*name="nip"', form)
    data = new_employee(
        cast, nip=cast.pegawai.nip, name="Pegawai Pelayanan", position="Analis Data"
    )
    data["is_active"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302
    cast.pegawai.refresh_from_db()
    assert cast.pegawai.position == "Analis Data"
    page = text(client.get(reverse("employee_detail", args=[cast.pegawai.pk])))
    assert re.search(
        r"Position</strong>: <del[^>]*>Analis</del>.*?<span>Analis Data</span>", page, re.S
    )


def test_only_bkpsdm_corrects_a_nip(browse, cast):
    client = browse(cast.bkpsdm.user)
    url = reverse("employee_edit", args=[cast.pegawai.pk])
    data = new_employee(cast, nip=nip_for(5151), name="Pegawai Pelayanan", position="Analis")
    data["is_active"] = "on"
    assert client.post(url, data).status_code == 302
    cast.pegawai.refresh_from_db()
    assert cast.pegawai.nip == nip_for(5151)
    # The OPD admin's NIP field is disabled: a posted NIP is ignored.
    admin = browse(cast.admin_opd.user)
    data["nip"] = nip_for(6161)
    assert admin.post(url, data).status_code in (200, 302)
    cast.pegawai.refresh_from_db()
    assert cast.pegawai.nip == nip_for(5151)


def test_edit_errors_are_shown_not_raised(browse, cast):
    url = reverse("employee_edit", args=[cast.pegawai.pk])
    data = new_employee(cast, nip=cast.pegawai.nip, home_latitude="-6.1", home_longitude="")
    data["is_active"] = "on"
    response = browse(cast.bkpsdm.user).post(url, data)
    assert response.status_code == 200
    assert re.search(r'id="id_home_latitude_error"><div>Give both latitude', text(response))


def test_kepala_cannot_edit_and_outsiders_do_not_see(browse, cast):
    url = reverse("employee_edit", args=[cast.pegawai.pk])
    assert browse(cast.kepala.user).get(url).status_code == 403
    assert browse(cast.pegawai.user).get(url).status_code == 403
    assert browse(cast.outsider_bkpsdm.user).get(url).status_code == 404


# --- lookup --------------------------------------------------------------------------------


def test_lookup_offers_matching_staff_as_options(browse, cast):
    page = text(
        browse(cast.admin_opd.user).get(reverse("employee_lookup"), {"supervisor": "kepala"})
    )
    assert f'<option value="{cast.kepala.nip}">Kepala Dukcapil' in page
    assert "Pegawai Batu" not in text(
        browse(cast.bkpsdm.user).get(reverse("employee_lookup"), {"q": "Pegawai"})
    )


def test_lookup_is_for_those_who_pick_people(browse, cast):
    assert browse(cast.pegawai.user).get(reverse("employee_lookup"), {"q": "Pe"}).status_code == 403
