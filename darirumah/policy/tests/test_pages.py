"""Circular pages as people use them: draft with the form, decide, read."""

import pytest
from django.urls import reverse

from darirumah.conftest import text
from darirumah.policy.models import Circular
from darirumah.policy.services import current_rules
from darirumah.policy.tests.factories import make_circular

pytestmark = pytest.mark.django_db


def form_data(cast, **extra):
    return {
        "number": "800/1012/BKPSDM/2020",
        "title": "Penyesuaian sistem kerja ASN",
        "issuer_name": "Syafrudin",
        "issuer_position": "Wali Kota Serang",
        "starts_on": "2020-03-19",
        "ends_on": "2020-03-31",
        "exempt_unit_kinds": ["kecamatan", "kelurahan", "puskesmas"],
        "cap_preset": "agency",
        "checkin_deadline": "07:30",
        "vicon_time": "14:00",
        "report_time": "15:00",
        "review_after_days": "3",
        f"min_{cast.disdukcapil.pk}": "3",
        **extra,
    }


def test_bkpsdm_drafts_a_circular_with_the_disdukcapil_minimum(browse, cast):
    client = browse(cast.bkpsdm.user)
    form = text(client.get(reverse("circular_create")))
    assert "Minimum on site: Dinas Kependudukan dan Pencatatan Sipil" in form
    response = client.post(reverse("circular_create"), form_data(cast))
    circular = Circular.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("circular_detail", kwargs={"pk": circular.pk})
    rules = current_rules(circular)
    assert rules.minimum_for(unit=cast.disdukcapil.pk, staff=10) == 3
    assert rules.exempt_unit_kinds == ["kecamatan", "kelurahan", "puskesmas"]
    page = text(client.get(response["Location"]))
    assert "Minimum on site: Dinas Kependudukan dan Pencatatan Sipil" in page
    assert "Put in force" in page


def test_a_bad_form_is_shown_again_with_the_problem(browse, cast):
    response = browse(cast.bkpsdm.user).post(
        reverse("circular_create"), form_data(cast, ends_on="2020-03-01")
    )
    assert response.status_code == 200
    assert not Circular.objects.exists()
    assert "is-invalid" in text(response) or "alert" in text(response)


def test_activate_and_the_overlap_message(browse, cast):
    client = browse(cast.pimpinan.user)
    first = make_circular(cast.agency, status=Circular.Status.ACTIVE)
    second = make_circular(cast.agency, units=[cast.setda])
    response = client.post(
        reverse("circular_activate", kwargs={"pk": second.pk}), {"note": ""}, follow=True
    )
    page = text(response)
    assert first.number in page and second.number in page
    second.refresh_from_db()
    assert second.status == Circular.Status.DRAFT


def test_withdraw_needs_a_reason(browse, cast):
    circular = make_circular(cast.agency, status=Circular.Status.ACTIVE)
    client = browse(cast.pimpinan.user)
    client.post(reverse("circular_withdraw", kwargs={"pk": circular.pk}), {"note": ""})
    circular.refresh_from_db()
    assert circular.status == Circular.Status.ACTIVE
    client.post(reverse("circular_withdraw", kwargs={"pk": circular.pk}), {"note": "Tidak efektif"})
    circular.refresh_from_db()
    assert circular.status == Circular.Status.WITHDRAWN


def test_staff_read_the_circular_without_the_decide_box(browse, cast):
    circular = make_circular(cast.agency, status=Circular.Status.ACTIVE)
    page = text(
        browse(cast.pegawai.user).get(reverse("circular_detail", kwargs={"pk": circular.pk}))
    )
    assert circular.number in page
    assert "Withdraw" not in page
    listing = text(browse(cast.pegawai.user).get(reverse("circular_list")))
    assert circular.number in listing


def test_editing_a_circular_in_force_changes_only_its_rules(browse, cast):
    circular = make_circular(cast.agency, status=Circular.Status.ACTIVE)
    client = browse(cast.bkpsdm.user)
    response = client.post(
        reverse("circular_edit", kwargs={"pk": circular.pk}),
        form_data(cast, title="Judul lain", vicon_time="15:00"),
    )
    assert response.status_code == 302
    circular.refresh_from_db()
    assert circular.title == "Penyesuaian sistem kerja ASN"
    assert current_rules(circular).vicon_time.hour == 15
    assert circular.versions.count() == 2
