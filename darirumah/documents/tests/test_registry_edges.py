"""Edges of the register: what an error may reveal, who finds a letter they made, page bounds,
statement letters of a circular that ended."""

from __future__ import annotations

from datetime import date

import pytest

from darirumah.conftest import client_for
from darirumah.documents.models import NumberSequence

from .docs_fixtures import active_circular

pytestmark = pytest.mark.django_db
P = "/api/v1/documents"


def test_a_signer_of_another_agency_is_not_revealed(cast):
    response = client_for(cast.bkpsdm.user).post(
        P,
        {"kind": "recap", "day": "2026-11-20", "signers": [cast.outsider.user.pk]},
        content_type="application/json",
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert cast.outsider.user.username not in text and cast.outsider.nip not in text
    assert cast.outsider.name not in text
    # Nothing was numbered.
    assert not NumberSequence.objects.filter(last__gt=0).exists()


def test_whoever_made_a_letter_finds_it_again(cast):
    from darirumah.performance.tests.factories import make_sanction

    case = make_sanction(cast.pegawai, "tpp_cut_6", date(2026, 12, 1), months=6)
    atasan = client_for(cast.atasan.user)
    made = atasan.post(
        P,
        {"kind": "discipline", "case": case.pk, "signers": [cast.atasan.user.pk]},
        content_type="application/json",
    )
    if made.status_code == 403:
        pytest.skip("this supervisor does not decide the case in this cast")
    assert made.status_code == 201, made.content
    assert atasan.get(f"{P}/{made.json()['id']}").status_code == 200


def test_a_page_beyond_any_register_is_refused_not_a_crash(cast):
    client = client_for(cast.bkpsdm.user)
    assert client.get(f"{P}?page=100000000000000000000").status_code == 422
    response = client.post(
        P,
        {"kind": "recap", "day": "2026-11-20", "signers": [10**20]},
        content_type="application/json",
    )
    assert response.status_code == 422


def test_a_statement_letter_of_an_ended_circular_is_not_signed(cast):
    from darirumah.policy.models import Circular

    circular = active_circular(cast, cast.pelayanan)
    client_for(cast.bkpsdm.user).post(
        f"{P}/statements", {"circular": circular.pk}, content_type="application/json"
    )
    Circular.objects.filter(pk=circular.pk).update(status=Circular.Status.WITHDRAWN)
    pegawai = client_for(cast.pegawai.user)
    letter = pegawai.get(f"{P}/inbox").json()["items"][0]
    refused = pegawai.post(f"{P}/{letter['id']}/sign", {}, content_type="application/json")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "circular_closed"
