"""Offices: the list with counts, an office's page with rooms and units, the forms, rooms."""

import re

from django.test import Client
from django.urls import reverse

from darirumah.conftest import text
from darirumah.org.models import Employee, Office, Room
from darirumah.org.tests.factories import OfficeFactory, RoomFactory

NEW_OFFICE = {
    "name": "Gedung Pelayanan Terpadu",
    "address": "Jl. Veteran No. 1, Serang",
    "latitude": "-6.1150",
    "longitude": "106.1540",
    "radius_m": "120",
}


def test_list_shows_the_agencys_offices_with_counts(browse, cast):
    OfficeFactory(agency=cast.other_agency, name="Balai Kota Batu")
    page = text(browse(cast.pegawai.user).get(reverse("office_list")))
    card = page.split("Pusat Pemerintahan", 1)[1].split("</section>", 1)[0]
    # 150 m geofence, one room, Disdukcapil housed here, the head placed here.
    assert re.search(r"Geofence radius \(m\)</dt><dd[^>]*>150<", card)
    assert re.search(r"Rooms</dt><dd[^>]*>1<", card)
    assert re.search(r"Units housed</dt><dd[^>]*>1<", card)
    assert re.search(r"Active staff</dt><dd[^>]*>1<", card)
    assert reverse("office_detail", args=[cast.office.pk]) in page
    assert "Balai Kota Batu" not in page
    assert reverse("office_create") not in page  # a pegawai reads only


def test_office_page_shows_rooms_with_seating_and_units(browse, cast):
    room = Room.objects.get(office=cast.office)
    Room.objects.filter(pk=room.pk).update(capacity=1, floor="3")
    Employee.objects.filter(pk__in=[cast.pegawai.pk, cast.atasan.pk]).update(
        office=cast.office, room=room
    )
    page = text(browse(cast.pegawai.user).get(reverse("office_detail", args=[cast.office.pk])))
    assert re.search(r"Ruang Rapat</td>\s*<td>3</td>\s*<td[^>]*>1</td>\s*<td[^>]*>2 ", page)
    assert "over capacity" in page
    assert "Dinas Kependudukan dan Pencatatan Sipil" in page
    assert reverse("unit_detail", args=[cast.disdukcapil.pk]) in page
    assert 'data-lat="-6.12"' in page and 'data-radius="150"' in page
    assert reverse("office_edit", args=[cast.office.pk]) not in page
    assert reverse("room_create", args=[cast.office.pk]) not in page
    assert "Change history" not in page


def test_coordinates_stay_dotted_in_indonesian(cast):
    """The map's data and the displayed coordinates are not localised to a decimal comma."""
    client = Client()  # pages speak Indonesian by default
    client.force_login(cast.pegawai.user)
    page = text(client.get(reverse("office_detail", args=[cast.office.pk])))
    assert 'lang="id"' in page
    assert 'data-lat="-6.12"' in page and 'data-lng="106.15"' in page
    assert re.search(r"Lintang</dt><dd[^>]*>-6.12<", page)


def test_bkpsdm_adds_an_office_and_edits_it(browse, cast):
    client = browse(cast.bkpsdm.user)
    assert reverse("office_create") in text(client.get(reverse("office_list")))
    response = client.post(reverse("office_create"), NEW_OFFICE, follow=True)
    page = text(response)
    office = Office.objects.get(name="Gedung Pelayanan Terpadu")
    assert office.agency == cast.agency
    assert (office.latitude, office.longitude, office.radius_m) == (-6.115, 106.154, 120)
    assert "The office Gedung Pelayanan Terpadu was added." in page
    assert "Jl. Veteran No. 1, Serang" in page

    form = text(client.get(reverse("office_edit", args=[office.pk])))
    assert 'value="-6.115"' in form
    response = client.post(
        reverse("office_edit", args=[office.pk]), {**NEW_OFFICE, "radius_m": "250"}, follow=True
    )
    page = text(response)
    assert "The changes to Gedung Pelayanan Terpadu were saved." in page
    office.refresh_from_db()
    assert office.radius_m == 250
    assert re.search(r"Geofence radius \(m\)</strong>: <del[^>]*>120</del>", page)
    assert "Petugas BKPSDM" in page


def test_latitude_out_of_range_is_a_form_error(browse, cast):
    response = browse(cast.bkpsdm.user).post(
        reverse("office_create"), {**NEW_OFFICE, "latitude": "200"}
    )
    assert response.status_code == 200
    page = text(response)
    assert "The office cannot be saved" in page
    assert re.search(r'id="id_latitude_error">.*?less than or equal to 90', page, re.S)
    assert not Office.objects.filter(name=NEW_OFFICE["name"]).exists()


def test_a_duplicate_name_is_a_form_error(browse, cast):
    client = browse(cast.bkpsdm.user)
    response = client.post(reverse("office_create"), {**NEW_OFFICE, "name": "Pusat Pemerintahan"})
    assert response.status_code == 200
    assert "already exists" in text(response)
    assert Office.objects.filter(agency=cast.agency).count() == 1
    other = OfficeFactory(agency=cast.agency, name="Gedung B")
    response = client.post(
        reverse("office_edit", args=[other.pk]), {**NEW_OFFICE, "name": "Pusat Pemerintahan"}
    )
    assert response.status_code == 200
    assert "already exists" in text(response)
    other.refresh_from_db()
    assert other.name == "Gedung B"


def test_bkpsdm_adds_a_room(browse, cast):
    client = browse(cast.bkpsdm.user)
    url = reverse("room_create", args=[cast.office.pk])
    page = text(
        client.post(url, {"name": "Ruang Arsip", "floor": "1", "capacity": "8"}, follow=True)
    )
    assert "The room Ruang Arsip was added." in page
    room = Room.objects.get(name="Ruang Arsip")
    assert (room.office, room.floor, room.capacity) == (cast.office, "1", 8)
    assert re.search(r"Ruang Arsip</td>\s*<td>1</td>\s*<td[^>]*>8</td>", page)


def test_room_errors_show_on_the_office_page(browse, cast):
    client = browse(cast.bkpsdm.user)
    url = reverse("room_create", args=[cast.office.pk])
    response = client.post(url, {"name": "Ruang Rapat"})  # the cast's room
    assert response.status_code == 200
    assert "The room cannot be saved" in text(response)
    response = client.post(url, {"name": "Ruang Kecil", "capacity": "0"})
    assert response.status_code == 200
    assert re.search(r'id="id_capacity_error">.*?greater than or equal to 1', text(response), re.S)
    assert Room.objects.filter(office=cast.office).count() == 1


def test_those_who_do_not_manage_the_agency_cannot_change_offices(browse, cast):
    for user in (cast.pegawai.user, cast.admin_opd.user, cast.pimpinan.user):
        client = browse(user)
        assert client.get(reverse("office_create")).status_code == 403
        assert client.post(reverse("office_create"), NEW_OFFICE).status_code == 403
        assert client.get(reverse("office_edit", args=[cast.office.pk])).status_code == 403
        assert (
            client.post(reverse("room_create", args=[cast.office.pk]), {"name": "R"}).status_code
            == 403
        )
    assert Office.objects.filter(agency=cast.agency).count() == 1
    assert Room.objects.count() == 1


def test_offices_of_another_agency_are_not_found(browse, cast):
    batu = OfficeFactory(agency=cast.other_agency, name="Balai Kota Batu")
    RoomFactory(office=batu, name="Ruang Batu")
    outsider = browse(cast.outsider.user)
    assert outsider.get(reverse("office_detail", args=[cast.office.pk])).status_code == 404
    assert "Balai Kota Batu" in text(outsider.get(reverse("office_list")))
    bkpsdm = browse(cast.bkpsdm.user)
    assert bkpsdm.get(reverse("office_detail", args=[batu.pk])).status_code == 404
    assert bkpsdm.get(reverse("office_edit", args=[batu.pk])).status_code == 404
    assert bkpsdm.post(reverse("room_create", args=[batu.pk]), {"name": "X"}).status_code == 404
    assert bkpsdm.get(reverse("office_list"), {"agency": batu.agency_id}).status_code == 404
    assert bkpsdm.get(reverse("office_create"), {"agency": batu.agency_id}).status_code == 404


def test_the_operator_picks_an_agency(browse, cast):
    OfficeFactory(agency=cast.other_agency, name="Balai Kota Batu")
    client = browse(cast.operator)
    assert "Pick an agency to see its offices." in text(client.get(reverse("office_list")))
    assert client.get(reverse("office_create"))["Location"] == reverse("office_list")
    query = {"agency": cast.other_agency.pk}
    page = text(client.get(reverse("office_list"), query))
    assert "Balai Kota Batu" in page and "Pusat Pemerintahan" not in page
    url = reverse("office_create") + f"?agency={cast.other_agency.pk}"
    response = client.post(url, NEW_OFFICE)
    office = Office.objects.get(name=NEW_OFFICE["name"])
    assert office.agency == cast.other_agency
    assert response["Location"] == reverse("office_detail", args=[office.pk])


def test_history_is_for_bkpsdm_and_pimpinan(browse, cast):
    url = reverse("office_detail", args=[cast.office.pk])
    assert "Change history" in text(browse(cast.pimpinan.user).get(url))
    assert "Change history" not in text(browse(cast.kepala.user).get(url))


def test_the_office_map_can_be_switched_off(browse, cast, settings):
    from django.urls import reverse

    page = browse(cast.pegawai.user).get(reverse("office_detail", kwargs={"pk": cast.office.pk}))
    assert 'id="office-map"' in page.content.decode()
    settings.MAP_TILE_URL = ""
    page = browse(cast.pegawai.user).get(reverse("office_detail", kwargs={"pk": cast.office.pk}))
    assert 'id="office-map"' not in page.content.decode()
    assert "Open in OpenStreetMap" in page.content.decode()
