"""Login, logout, the home page per role, the layout, language and error pages."""

import re

from django.test import Client
from django.urls import reverse

from darirumah.conftest import PASSWORD, text
from darirumah.core.calendar import calendar_for
from darirumah.org.models import AgencyDay
from darirumah.org.tests.factories import UserFactory

# --- login and logout ----------------------------------------------------------------------


def test_login_page_asks_for_nip_or_username(browse, db):
    page = text(browse().get(reverse("login")))
    assert "NIP or username" in page
    assert 'name="password"' in page


def test_login_page_is_indonesian_by_default(db):
    page = Client().get(reverse("login")).content.decode()
    assert '<html lang="id">' in page


def test_login_with_nip_lands_on_home(browse, cast):
    client = browse()
    response = client.post(
        reverse("login"), {"username": cast.pegawai.nip, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Hello, Pegawai Pelayanan" in text(response)


def test_login_with_a_wrong_password_says_so(browse, cast):
    response = browse().post(reverse("login"), {"username": cast.pegawai.nip, "password": "x"})
    assert response.status_code == 200
    assert "alert-danger" in text(response)
    assert "_auth_user_id" not in browse().session


def test_pages_send_anonymous_visitors_to_login(browse, db):
    response = browse().get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_logout_is_post_only(browse, cast):
    client = browse(cast.pegawai.user)
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("home")).status_code == 200  # still logged in
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


# --- home per role -------------------------------------------------------------------------


def test_home_greets_with_name_agency_and_local_date(browse, cast):
    page = text(browse(cast.pegawai.user).get(reverse("home")))
    today = calendar_for(cast.agency).today()
    assert "Hello, Pegawai Pelayanan" in page
    assert "Pemerintah Kota Serang Uji" in page
    assert today.strftime("%Y-%m-%d") in page  # <time datetime="…">


def test_home_says_why_today_is_not_a_working_day(browse, cast):
    today = calendar_for(cast.agency).today()
    AgencyDay.objects.create(agency=cast.agency, date=today, kind="off", name="Cuti Bersama Uji")
    page = text(browse(cast.pegawai.user).get(reverse("home")))
    assert "Not a working day: Cuti Bersama Uji." in page
    assert "Work hours" not in page


def test_home_shows_work_hours_on_a_working_day(browse, cast):
    today = calendar_for(cast.agency).today()
    AgencyDay.objects.create(agency=cast.agency, date=today, kind="on", name="Hari kerja")
    page = text(browse(cast.pegawai.user).get(reverse("home")))
    start, end = calendar_for(cast.agency).work_hours(today)
    assert "A working day." in page
    assert f"Work hours {start:%H:%M}–{end:%H:%M}" in page


def test_pegawai_sees_own_data_and_supervisor(browse, cast):
    page = text(browse(cast.pegawai.user).get(reverse("home")))
    assert "My data" in page
    assert cast.pegawai.nip in page
    assert "Atasan Pelayanan" in page  # the direct supervisor
    assert reverse("employee_detail", args=[cast.pegawai.pk]) in page
    assert reverse("profile") in page
    # Nothing for roles the pegawai does not hold, and no links they cannot use.
    for absent in ("My team", "Organisation data", reverse("employee_import"), "Add an employee"):
        assert absent not in page


def test_atasan_sees_team_count_and_filtered_list(browse, cast):
    page = text(browse(cast.atasan.user).get(reverse("home")))
    assert "My team" in page
    assert reverse("employee_list") + "?team=on" in page


def test_kepala_sees_the_unit_with_staff_count(browse, cast):
    page = text(browse(cast.kepala.user).get(reverse("home")))
    assert "Dinas Kependudukan dan Pencatatan Sipil" in page
    assert reverse("unit_detail", args=[cast.disdukcapil.pk]) in page
    assert f"{reverse('employee_list')}?unit={cast.disdukcapil.pk}" in page
    assert "Add an employee" not in page  # the head reads and decides; the admin edits


def test_admin_opd_can_add_an_employee_from_home(browse, cast):
    page = text(browse(cast.admin_opd.user).get(reverse("home")))
    assert f"{reverse('employee_create')}?unit={cast.disdukcapil.pk}" in page


def test_bkpsdm_sees_agency_stats_and_links(browse, cast):
    page = text(browse(cast.bkpsdm.user).get(reverse("home")))
    assert "Organisation data" in page
    assert "without a direct supervisor" in page
    assert "without a home location" in page
    for url in ("employee_import", "role_list", "unit_list"):
        assert reverse(url) in page


def test_pimpinan_sees_the_agency_summary(browse, cast):
    page = text(browse(cast.pimpinan.user).get(reverse("home")))
    assert "Agency summary" in page
    assert "PNS" in page
    assert reverse("employee_import") not in page


def test_kesehatan_is_told_the_health_register_comes_later(browse, cast):
    page = text(browse(cast.kesehatan.user).get(reverse("home")))
    assert "health register" in page
    assert "later release" in page


def test_operator_sees_every_agency_with_counts(browse, cast):
    page = text(browse(cast.operator).get(reverse("home")))
    assert "Agencies on this platform" in page
    assert "Pemerintah Kota Serang Uji" in page
    assert "Pemerintah Kota Batu Uji" in page


def test_a_user_without_employee_or_role_is_told_what_to_do(browse, db):
    page = text(browse(UserFactory(username="lost")).get(reverse("home")))
    assert "not linked to an employee record" in page


# --- layout --------------------------------------------------------------------------------


def test_navbar_shows_only_usable_links(browse, cast):
    pegawai = text(browse(cast.pegawai.user).get(reverse("home")))
    bkpsdm = text(browse(cast.bkpsdm.user).get(reverse("home")))
    for name in ("employee_import", "role_list"):
        assert f'href="{reverse(name)}"' not in pegawai
        assert f'href="{reverse(name)}"' in bkpsdm
    assert f'href="{reverse("employee_list")}"' not in pegawai


def test_layout_loads_local_assets_and_sends_csrf_with_htmx(browse, cast):
    page = text(browse(cast.pegawai.user).get(reverse("home")))
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in page
    assert "/static/vendor/htmx/htmx.min.js" in page
    assert 'hx-headers=\'{"X-CSRFToken": "' in page
    # Every script and stylesheet is served by us: no src/href to another host.
    external = re.findall(r'(?:src|href)="(?:https?:)?//[^"]+\.(?:js|css)[^"]*"', page)
    assert external == []


def test_language_switcher_posts_to_setlang(browse, cast):
    page = text(browse(cast.pegawai.user).get(reverse("home")))
    assert f'action="{reverse("set_language")}"' in page
    client = browse(cast.pegawai.user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert '<html lang="en">' in text(client.get(reverse("home")))


def test_not_found_page_is_friendly(browse, cast):
    response = browse(cast.pegawai.user).get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in text(response)
    assert reverse("home") in text(response)


def test_forbidden_page_is_friendly(browse, cast):
    response = browse(cast.pegawai.user).get(reverse("employee_import"))
    assert response.status_code == 403
    assert "You are not allowed to do this" in text(response)


def test_login_by_username(browse, cast):
    response = browse().post(
        reverse("login"), {"username": "operator", "password": PASSWORD}, follow=True
    )
    assert "Agencies on this platform" in text(response)
