"""Role management: active grants, grant, revoke, the history of grants."""

import re

from django.urls import reverse

from darirumah.conftest import text
from darirumah.org.access import access_for
from darirumah.org.models import Role, RoleAssignment


def test_active_grants_of_the_agency_are_listed(browse, cast):
    page = text(browse(cast.bkpsdm.user).get(reverse("role_list")))
    for name in ("Admin Dukcapil", "Petugas BKPSDM", "Wali Kota Uji", "Petugas Kesehatan"):
        assert name in page
    assert "BKPSDM Batu" not in page  # another agency's grant


def test_bkpsdm_grants_a_role_by_nip(browse, cast):
    client = browse(cast.bkpsdm.user)
    response = client.post(
        reverse("role_grant"), {"user": cast.peer.nip, "role": "kesehatan"}, follow=True
    )
    page = text(response)
    assert "Granted:" in page
    assert access_for(cast.peer.user).is_health_officer
    grant = RoleAssignment.objects.get(user=cast.peer.user, role="kesehatan")
    assert grant.granted_by == cast.bkpsdm.user
    assert grant.agency == cast.agency
    assert reverse("role_revoke", args=[grant.pk]) in page


def test_a_unit_role_needs_a_unit(browse, cast):
    client = browse(cast.bkpsdm.user)
    response = client.post(reverse("role_grant"), {"user": cast.peer.nip, "role": "admin_opd"})
    assert response.status_code == 200
    assert "Pick the unit for this role." in text(response)
    response = client.post(
        reverse("role_grant"),
        {"user": cast.peer.nip, "role": "admin_opd", "unit": cast.setda.pk},
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.get(user=cast.peer.user, role="admin_opd").unit == cast.setda


def test_someone_of_another_agency_cannot_be_granted(browse, cast):
    response = browse(cast.bkpsdm.user).post(
        reverse("role_grant"), {"user": cast.outsider.nip, "role": "kesehatan"}
    )
    assert response.status_code == 200
    assert "Nobody with this NIP or username is visible to you." in text(response)
    assert not RoleAssignment.objects.filter(user=cast.outsider.user).exists()


def test_granting_twice_is_a_form_error(browse, cast):
    response = browse(cast.bkpsdm.user).post(
        reverse("role_grant"), {"user": cast.kesehatan.nip, "role": "kesehatan"}
    )
    assert response.status_code == 200
    assert "This person already has this role." in text(response)
    assert RoleAssignment.objects.filter(user=cast.kesehatan.user).count() == 1


def test_only_the_operator_grants_the_operator_role(browse, cast):
    page = text(browse(cast.bkpsdm.user).get(reverse("role_list")))
    assert 'value="operator"' not in page
    response = browse(cast.bkpsdm.user).post(
        reverse("role_grant"), {"user": cast.peer.nip, "role": "operator"}
    )
    assert response.status_code == 200
    assert not RoleAssignment.objects.filter(user=cast.peer.user, role="operator").exists()


def test_revoke_is_post_only_and_recorded_in_the_history(browse, cast):
    grant = RoleAssignment.objects.get(user=cast.kesehatan.user, role=Role.KESEHATAN)
    client = browse(cast.bkpsdm.user)
    url = reverse("role_revoke", args=[grant.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "Revoked:" in text(response)
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoked_by == cast.bkpsdm.user
    assert not access_for(cast.kesehatan.user).is_health_officer
    page = text(response)
    assert re.search(r"Revoked:\s*<strong>Health officer</strong>", page)


def test_others_cannot_manage_roles(browse, cast):
    grant = RoleAssignment.objects.get(user=cast.kesehatan.user, role=Role.KESEHATAN)
    for user in (cast.pegawai.user, cast.admin_opd.user, cast.pimpinan.user):
        assert browse(user).get(reverse("role_list")).status_code == 403
        assert browse(user).post(reverse("role_revoke", args=[grant.pk])).status_code == 403
    # Another agency's BKPSDM does not even see the grant.
    outsider = browse(cast.outsider_bkpsdm.user)
    assert outsider.post(reverse("role_revoke", args=[grant.pk])).status_code == 404
    grant.refresh_from_db()
    assert grant.revoked_at is None


def test_the_operator_picks_an_agency_and_sees_operators(browse, cast):
    client = browse(cast.operator)
    page = text(client.get(reverse("role_list")))
    assert "Pick an agency to manage its roles." in page
    assert "Platform operators" in page
    page = text(client.get(reverse("role_list"), {"agency": cast.other_agency.pk}))
    assert "BKPSDM Batu" in page
    response = client.post(
        reverse("role_grant"),
        {"user": cast.outsider.nip, "role": "pimpinan", "agency": cast.other_agency.pk},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?agency={cast.other_agency.pk}")
    assert RoleAssignment.objects.get(user=cast.outsider.user).agency == cast.other_agency


def test_lookup_suggests_people_to_grant(browse, cast):
    page = text(browse(cast.bkpsdm.user).get(reverse("employee_lookup"), {"user": "setda"}))
    assert f'value="{cast.peer.nip}"' in page
