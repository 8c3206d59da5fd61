"""The unit tree and a unit's page, with its staff, sub-units and audit history."""

import re

from django.test import Client
from django.urls import reverse

from darirumah.conftest import text
from darirumah.core.tests.matrix import INSIDERS
from darirumah.org import services
from darirumah.org.access import access_for
from darirumah.org.tests.factories import EmployeeFactory, UnitFactory


def test_tree_lists_units_in_tree_order_with_depth(browse, cast):
    page = text(browse(cast.pegawai.user).get(reverse("unit_list")))
    names = ["BKPSDM", "Dinas Kependudukan dan Pencatatan Sipil", "Bidang Pelayanan"]
    positions = [page.index(f">{name}</a>") for name in names]
    assert positions == sorted(positions)  # siblings by name, the child right after its parent
    assert re.search(r'style="--depth: 1".*?Bidang Pelayanan', page, re.S)
    assert "Sekretariat Daerah Batu" not in page  # another agency


def test_tree_shows_kind_public_service_head_and_staff(browse, cast):
    page = text(browse(cast.bkpsdm.user).get(reverse("unit_list")))
    assert "Serves the public" in page
    assert "Head: Kepala Dukcapil" in page
    assert "Division (bidang)" in page
    # Disdukcapil: 2 of its own (head, admin), 4 with Bidang Pelayanan (atasan, pegawai).
    assert re.search(r"Dinas Kependudukan.*?>2</span>.*?4 in all", page, re.S)


def test_operator_picks_an_agency_first(browse, cast):
    client = browse(cast.operator)
    page = text(client.get(reverse("unit_list")))
    assert "Pick an agency to see its units." in page
    page = text(client.get(reverse("unit_list"), {"agency": cast.other_agency.pk}))
    assert "Sekretariat Daerah Batu" in page
    assert "Bidang Pelayanan" not in page


def test_tree_of_another_agency_is_not_found(browse, cast):
    response = browse(cast.bkpsdm.user).get(reverse("unit_list"), {"agency": cast.other_agency.pk})
    assert response.status_code == 404


def test_unit_page_shows_sub_units_and_staff(browse, cast):
    page = text(browse(cast.bkpsdm.user).get(reverse("unit_detail", args=[cast.disdukcapil.pk])))
    assert "Bidang Pelayanan" in page
    assert "Kepala Dukcapil" in page
    assert "Admin Dukcapil" in page
    assert reverse("employee_detail", args=[cast.admin_opd.pk]) in page
    assert "Add an employee" in page


def test_unit_page_lists_only_staff_within_the_callers_access(browse, cast):
    page = text(browse(cast.pegawai.user).get(reverse("unit_detail", args=[cast.pelayanan.pk])))
    assert "Pegawai Pelayanan" in page  # themselves
    assert reverse("employee_detail", args=[cast.atasan.pk]) not in page
    assert "Only the staff within your access are listed." in page
    assert "Add an employee" not in page


def test_unit_of_another_agency_is_not_found(browse, cast):
    response = browse(cast.pegawai.user).get(reverse("unit_detail", args=[cast.other_unit.pk]))
    assert response.status_code == 404


def test_history_shows_who_changed_what(browse, cast):
    services.unit_update(access=access_for(cast.bkpsdm.user), unit=cast.disdukcapil, min_on_site=5)
    page = text(browse(cast.kepala.user).get(reverse("unit_detail", args=[cast.disdukcapil.pk])))
    assert "Change history" in page
    assert re.search(r"Default minimum staff on site</strong>: <del[^>]*>3</del>", page)
    assert "<span>5</span>" in page
    assert "Petugas BKPSDM" in page  # the acting user's name (their login's first name)


def test_history_shows_foreign_keys_by_name(browse, cast):
    new_head = EmployeeFactory(unit=cast.disdukcapil, name="Kepala Baru")
    services.unit_update(access=access_for(cast.bkpsdm.user), unit=cast.disdukcapil, head=new_head)
    page = text(browse(cast.bkpsdm.user).get(reverse("unit_detail", args=[cast.disdukcapil.pk])))
    # The cast named the first head without a history row, so the change starts from none.
    assert re.search(r"Head</strong>: <del[^>]*>—</del>.*?<span>Kepala Baru \(\d{18}\)", page, re.S)


def test_history_is_hidden_from_those_who_do_not_oversee(browse, cast):
    page = text(browse(cast.pegawai.user).get(reverse("unit_detail", args=[cast.disdukcapil.pk])))
    assert "Change history" not in page


def test_every_insider_can_open_a_unit(cast):
    unit = UnitFactory(agency=cast.agency, name="Kecamatan Uji", kind="kecamatan")
    for role, user in cast.users().items():
        client = Client()
        client.force_login(user)
        status = client.get(reverse("unit_detail", args=[unit.pk])).status_code
        assert status == (200 if role in INSIDERS else 404), role
