"""The statement letters page (R25): counts, and who has not signed (the default list) for the
OPD head; BKPSDM and pimpinan make the missing letters."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from darirumah.conftest import text
from darirumah.documents.models import Document
from darirumah.documents.services.statements import statements_generate
from darirumah.org.tests.factories import EmployeeFactory

from .docs_fixtures import active_circular, sign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _count(page: str, name: str) -> int:
    return int(re.search(rf'id="count-{name}">(\d+)<', page).group(1))


def test_the_head_sees_who_has_not_signed(cast, browse):
    circular = active_circular(cast, cast.pelayanan)
    assert statements_generate(circular=circular) == 2  # atasan and pegawai
    newcomer = EmployeeFactory(unit=cast.pelayanan, name="Pegawai Baru")  # joined since
    letter = Document.objects.get(circular=circular, employee=cast.pegawai)
    sign(letter, cast.pegawai)

    client = browse(cast.kepala.user)
    url = reverse("documents-statements", args=[circular.pk])
    page = text(client.get(url))
    assert (_count(page, "total"), _count(page, "signed")) == (3, 1)
    assert (_count(page, "pending"), _count(page, "missing")) == (1, 1)
    # Unsigned by default: who still has to sign, and who has no letter yet.
    assert "Atasan Pelayanan" in page and newcomer.name in page
    assert "Pegawai Pelayanan" not in page
    signed = text(client.get(url, {"status": "signed"}))
    assert "Pegawai Pelayanan" in signed and "Atasan Pelayanan" not in signed
    # The head does not make letters; BKPSDM does.
    assert reverse("documents-statements-generate", args=[circular.pk]) not in page
    refused = client.post(reverse("documents-statements-generate", args=[circular.pk]))
    assert refused.status_code == 403

    bkpsdm = browse(cast.bkpsdm.user)
    assert reverse("documents-statements-generate", args=[circular.pk]) in text(bkpsdm.get(url))
    made = bkpsdm.post(reverse("documents-statements-generate", args=[circular.pk]), follow=True)
    assert "1 statement letter made" in text(made)
    assert _count(text(made), "missing") == 0


def test_filtering_by_unit_and_an_employee_sees_only_themself(cast, browse):
    circular = active_circular(cast, cast.disdukcapil)
    statements_generate(circular=circular)
    url = reverse("documents-statements", args=[circular.pk])
    bkpsdm = browse(cast.bkpsdm.user)
    pelayanan = text(bkpsdm.get(url, {"unit": cast.pelayanan.pk, "status": "all"}))
    assert "Pegawai Pelayanan" in pelayanan and "Kepala Dukcapil" not in pelayanan
    mine = text(browse(cast.pegawai.user).get(url, {"status": "all"}))
    assert "Pegawai Pelayanan" in mine and "Atasan Pelayanan" not in mine


def test_letters_are_made_only_for_a_circular_in_force(cast, browse):
    from darirumah.policy.models import Circular

    circular = active_circular(cast, cast.pelayanan)
    Circular.objects.filter(pk=circular.pk).update(status=Circular.Status.WITHDRAWN)
    client = browse(cast.bkpsdm.user)
    response = client.post(
        reverse("documents-statements-generate", args=[circular.pk]), follow=True
    )
    assert "Statement letters are made for a circular in force." in text(response)
    assert not Document.objects.exists()


def test_the_index_lists_the_circulars(cast, browse):
    circular = active_circular(cast, cast.pelayanan)
    page = text(browse(cast.kepala.user).get(reverse("documents-statements-index")))
    assert reverse("documents-statements", args=[circular.pk]) in page
    other = text(browse(cast.outsider.user).get(reverse("documents-statements-index")))
    assert circular.number not in other
