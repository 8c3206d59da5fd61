"""My profile: account and employee data, password change, personal API tokens."""

import re

from django.urls import reverse

from darirumah.conftest import PASSWORD, text
from darirumah.org import services
from darirumah.org.models import ApiToken


def test_profile_shows_account_employee_and_roles(browse, cast):
    page = text(browse(cast.atasan.user).get(reverse("profile")))
    assert cast.atasan.nip in page
    assert "Atasan Pelayanan" in page
    assert "Bidang Pelayanan" in page
    assert "Direct supervisor" in page  # the role label
    assert reverse("password_change") in page


def test_operator_without_employee_has_a_profile(browse, cast):
    page = text(browse(cast.operator).get(reverse("profile")))
    assert "operator" in page
    assert "Platform operator" in page


def test_a_new_token_is_shown_once_with_a_copy_button(browse, cast):
    client = browse(cast.pegawai.user)
    response = client.post(reverse("token_create"), {"name": "sinkron absensi"})
    page = text(response)
    assert response.status_code == 200
    key = re.search(r'id="new-token-key" value="(drt_[^"]+)"', page).group(1)
    assert 'data-copy-target="#new-token-key"' in page
    assert services.token_authenticate(key) == cast.pegawai.user
    # Listed afterwards by name and prefix, the key itself never again.
    again = text(client.get(reverse("profile")))
    assert "sinkron absensi" in again
    assert key[:12] in again
    assert key not in again


def test_a_token_can_expire(browse, cast):
    response = browse(cast.pegawai.user).post(
        reverse("token_create"), {"name": "sementara", "expires_on": "2999-12-31"}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(name="sementara")
    assert token.expires_at.year == 2999
    assert "valid until" in text(response)


def test_a_token_needs_a_name_and_a_future_date(browse, cast):
    client = browse(cast.pegawai.user)
    response = client.post(reverse("token_create"), {"name": "", "expires_on": "2000-01-01"})
    page = text(response)
    assert 'id="id_name_error"' in page
    assert "Pick today or a later day." in page
    assert not ApiToken.objects.exists()


def test_tokens_are_made_and_revoked_by_post_only(browse, cast):
    client = browse(cast.pegawai.user)
    assert client.get(reverse("token_create")).status_code == 405
    token, _key = services.token_create(user=cast.pegawai.user, name="lama")
    url = reverse("token_revoke", args=[token.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "The token “lama” was revoked." in text(response)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_someone_elses_token_is_not_found(browse, cast):
    token, _key = services.token_create(user=cast.pegawai.user, name="milik pegawai")
    response = browse(cast.bkpsdm.user).post(reverse("token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert "milik pegawai" not in text(browse(cast.bkpsdm.user).get(reverse("profile")))


def test_password_change_keeps_me_logged_in(browse, cast):
    client = browse(cast.pegawai.user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Sandi-Baru-Kuat-77",
            "new_password2": "Sandi-Baru-Kuat-77",
        },
        follow=True,
    )
    assert "Your password was changed." in text(response)
    assert client.get(reverse("home")).status_code == 200
    cast.pegawai.user.refresh_from_db()
    assert cast.pegawai.user.check_password("Sandi-Baru-Kuat-77")


def test_password_change_shows_errors(browse, cast):
    response = browse(cast.pegawai.user).post(
        reverse("password_change"),
        {"old_password": "salah", "new_password1": "x", "new_password2": "y"},
    )
    assert response.status_code == 200
    assert 'id="id_old_password_error"' in text(response)
