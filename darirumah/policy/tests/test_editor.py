"""The circular editor: the whole rule set from the page (caps, minimums, criteria, flexible
work, review), its validation, the cap preview, the detail page and the API's rule set."""

import json

import pytest
from django.urls import reverse

from darirumah.conftest import client_for, text
from darirumah.org.tests.factories import EmployeeFactory, OfficeFactory
from darirumah.policy import rules
from darirumah.policy.models import Circular
from darirumah.policy.services import current_rules
from darirumah.policy.tests.factories import make_circular

pytestmark = pytest.mark.django_db


@pytest.fixture
def balaikota(cast):
    """A second building with 10 staff of the Secretariat (Batu: Balaikota Among Tani)."""
    office = OfficeFactory(agency=cast.agency, name="Balaikota Among Tani")
    for _ in range(10):
        EmployeeFactory(unit=cast.setda, office=office)
    return office


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
        "cap_sector": "non_essential",
        "checkin_deadline": "07:30",
        "vicon_time": "14:00",
        "report_time": "15:00",
        "review_after_days": "3",
        "effectiveness_threshold": "80",
        "over_age": "50",
        "flexible_max_days": "2",
        "flexible_new_months": "12",
        f"min_{cast.disdukcapil.pk}": "2",
        **extra,
    }


def full_rules(cast, balaikota):
    return form_data(
        cast,
        cap_preset="custom",
        cap_sector="essential",
        **{f"cap_office_{balaikota.pk}": "40"},
        **{f"min_{cast.disdukcapil.pk}_share": "50"},
        min_add_unit=str(cast.setda.pk),
        min_add_count="1",
        criterion_comorbidity="home_required",
        criterion_top_official="none",
        criterion_pregnant="home_preferred",
        over_age="55",
        flexible="on",
        flexible_max_days="1",
        flexible_new_months="6",
        effectiveness_threshold="70",
        review_after_days="5",
    )


def test_create_saves_the_whole_rule_set(browse, cast, balaikota):
    client = browse(cast.bkpsdm.user)
    response = client.post(reverse("circular_create"), full_rules(cast, balaikota))
    assert response.status_code == 302, text(response)
    ruleset = current_rules(Circular.objects.get())
    assert ruleset.cap_preset == "custom"
    assert ruleset.cap_sector == rules.Sector.ESSENTIAL
    assert [(c.office, c.share) for c in ruleset.office_caps] == [(balaikota.pk, 0.4)]
    assert ruleset.cap_for(office=balaikota.pk, risk_zone="high", ppkm_level=None).share == 0.4
    # An office left empty under "custom" is not capped.
    assert ruleset.cap_for(office=cast.office.pk, risk_zone="high", ppkm_level=None).share == 1.0
    minimums = {m.unit: (m.count, m.share) for m in ruleset.minimum_on_site}
    assert minimums == {cast.disdukcapil.pk: (2, 0.5), cast.setda.pk: (1, 0.0)}
    assert ruleset.criteria["comorbidity"] == rules.Placement.HOME_REQUIRED
    assert ruleset.criteria["pregnant"] == rules.Placement.HOME_PREFERRED
    assert "top_official" not in ruleset.criteria
    assert ruleset.criteria["recent_travel"] == rules.DEFAULT_CRITERIA["recent_travel"]
    assert ruleset.over_age == 55
    assert ruleset.flexible.enabled is True
    assert ruleset.flexible.max_days_per_week == 1
    assert ruleset.flexible.new_placement_months == 6
    assert ruleset.effectiveness_threshold == pytest.approx(0.7)
    assert ruleset.review_after_days == 5


def test_the_form_starts_from_the_defaults(browse, cast, balaikota):
    page = text(browse(cast.bkpsdm.user).get(reverse("circular_create")))
    for section in ("Office occupancy cap", "Public-service minimums", "Criteria per employee"):
        assert section in page
    assert "Flexible work" in page and "PermenPANRB 4/2025" in page
    assert "SE MenPANRB 58/2020" in page and "SE MenPANRB 67/2020" in page
    # Criteria pre-selected with the SE 58/2020 defaults; the threshold as a percentage.
    assert '<option value="home_required" selected>' in page
    assert 'name="effectiveness_threshold" value="80"' in page
    assert f'name="cap_office_{balaikota.pk}"' in page
    assert f'name="min_{cast.disdukcapil.pk}_share"' in page


def test_editing_creates_a_new_version_and_keeps_the_typed_values(browse, cast, balaikota):
    client = browse(cast.bkpsdm.user)
    client.post(reverse("circular_create"), full_rules(cast, balaikota))
    circular = Circular.objects.get()
    url = reverse("circular_edit", kwargs={"pk": circular.pk})
    form = text(client.get(url))
    assert f'name="cap_office_{balaikota.pk}" value="40"' in form
    assert f'name="min_{cast.setda.pk}" value="1"' in form  # the added unit now has its row
    data = full_rules(cast, balaikota)
    del data["min_add_unit"], data["min_add_count"]
    data[f"min_{cast.setda.pk}"] = "1"
    data[f"cap_office_{balaikota.pk}"] = "25"
    data["flexible_max_days"] = "2"
    response = client.post(url, data)
    assert response.status_code == 302, text(response)
    assert circular.versions.count() == 2
    ruleset = current_rules(circular)
    assert ruleset.office_caps == [rules.OfficeCap(office=balaikota.pk, share=0.25)]
    assert ruleset.flexible.max_days_per_week == 2
    detail = text(client.get(reverse("circular_detail", kwargs={"pk": circular.pk})))
    assert "v2" in detail and "Petugas BKPSDM" in detail
    assert "Changed: Occupancy cap, Flexible work" in detail


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("cap_office", "150", "A share is a percentage between 0 and 100."),
        ("min_share", "150", "A share is a percentage between 0 and 100."),
        ("flexible_max_days", "3", "PermenPANRB 4/2025 allows flexible location on at most 2"),
        ("min_count", "-1", "A count cannot be negative."),
        ("effectiveness_threshold", "-5", "A share is a percentage between 0 and 100."),
        ("min_add_count", "", "Give a count or a share for the unit you add."),
        ("report_time", "07:00", "The report time must come after the check-in deadline."),
    ],
)
def test_bad_values_are_form_errors(browse, cast, balaikota, field, value, message):
    names = {
        "cap_office": f"cap_office_{balaikota.pk}",
        "min_share": f"min_{cast.disdukcapil.pk}_share",
        "min_count": f"min_{cast.disdukcapil.pk}",
    }
    data = form_data(cast, **{names.get(field, field): value})
    if field == "min_add_count":
        data["min_add_unit"] = str(cast.setda.pk)
    response = browse(cast.bkpsdm.user).post(reverse("circular_create"), data)
    assert response.status_code == 200
    assert message in text(response)
    assert "is-invalid" in text(response) or "alert-danger" in text(response)
    assert not Circular.objects.exists()


def test_a_minimum_above_the_staff_is_a_warning_not_an_error(browse, cast):
    client = browse(cast.bkpsdm.user)
    data = form_data(cast, **{f"min_{cast.disdukcapil.pk}": "5"})
    response = client.post(reverse("circular_create"), data, follow=True)
    page = text(response)
    assert Circular.objects.count() == 1
    assert "must keep 5 on site but has only 2 staff" in page
    assert "more than its staff" in page


def test_the_detail_page_shows_the_whole_rule_set(browse, cast, balaikota):
    cast.agency.risk_zone = "medium"
    cast.agency.save()
    circular = make_circular(cast.agency)
    ruleset = rules.RuleSet(
        office_caps=[rules.OfficeCap(office=cast.office.pk, share=1.0)],
        minimum_on_site=[rules.MinimumOnSite(unit=cast.disdukcapil.pk, count=1, share=0.5)],
        criteria={"pregnant": rules.Placement.HOME_REQUIRED},
        flexible=rules.FlexibleWork(enabled=True, max_days_per_week=1, new_placement_months=9),
        effectiveness_threshold=0.75,
    )
    circular.versions.update(rules=ruleset.model_dump(mode="json"))
    page = text(
        browse(cast.pegawai.user).get(reverse("circular_detail", kwargs={"pk": circular.pk}))
    )
    # Balaikota: 10 staff, medium zone → 50% → 5 on site; Pusat Pemerintahan custom 100%.
    assert "Balaikota Among Tani" in page and "SE MenPANRB 67/2020" in page
    assert '<td class="text-end">50%</td><td class="text-end"><strong>5</strong>' in page
    assert "custom share" in page
    assert "Minimum on site: Dinas Kependudukan dan Pencatatan Sipil" in page
    assert "1 of 2 staff" in page and "at least 50% of its staff" in page
    assert "Pregnant" in page and "Must work from home" in page and "No effect" in page
    assert "at most 1 a week" in page and "75%" in page


def test_the_preset_reflects_the_agency_zone_and_ppkm_level(browse, cast, balaikota):
    cast.agency.risk_zone = "medium"
    cast.agency.save()
    client = browse(cast.bkpsdm.user)
    form = text(client.get(reverse("circular_create")))
    assert "Medium risk (orange zone): 50% at the office (SE MenPANRB 67/2020)" in form
    preview = reverse("circular_cap_preview")
    agency = cast.agency.pk
    page = text(client.get(preview, {"agency": agency, "cap_preset": "agency"}))
    assert '<td class="text-end">50%</td><td class="text-end"><strong>5</strong>' in page
    cast.agency.ppkm_level = 4
    cast.agency.save()
    essential = text(
        client.get(preview, {"agency": agency, "cap_preset": "agency", "cap_sector": "essential"})
    )
    assert "PPKM level 4, essential office: 50% at the office" in essential
    other = text(client.get(preview, {"agency": agency, "cap_sector": "non_essential"}))
    assert "25%" in other and "<strong>2</strong>" in other
    custom = text(
        client.get(
            preview,
            {"agency": agency, "cap_preset": "custom", f"cap_office_{balaikota.pk}": "30"},
        )
    )
    assert '<td class="text-end">30%</td><td class="text-end"><strong>3</strong>' in custom
    # Half-typed or nonsense values never break the preview.
    odd = client.get(
        preview, {"agency": agency, "cap_sector": "x", f"cap_office_{balaikota.pk}": "abc"}
    )
    assert odd.status_code == 200


def test_the_api_takes_every_field_of_the_rule_set(cast, balaikota):
    client = client_for(cast.bkpsdm.user)
    every = {
        "exempt_unit_kinds": ["puskesmas"],
        "minimum_on_site": [{"unit": cast.disdukcapil.pk, "count": 2, "share": 0.5}],
        "cap_preset": "custom",
        "cap_sector": "critical",
        "office_caps": [{"office": balaikota.pk, "share": 0.3}],
        "criteria": {"pregnant": "home_required", "top_official": "office_preferred"},
        "over_age": 55,
        "flexible": {"enabled": True, "max_days_per_week": 1, "new_placement_months": 6},
        "checkin_deadline": "08:00:00",
        "vicon_time": "15:00:00",
        "report_time": "16:00:00",
        "review_after_days": 4,
        "effectiveness_threshold": 0.6,
    }
    body = {
        "number": "800/1/SE/2020",
        "title": "Penyesuaian sistem kerja ASN",
        "issuer_name": "Syafrudin",
        "issuer_position": "Wali Kota",
        "starts_on": "2020-03-19",
        "rules": every,
    }
    created = client.post("/api/v1/policies", json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    saved = created.json()["rules"]
    for key, value in every.items():
        if key == "flexible":
            assert {k: saved[key][k] for k in value} == value
        elif key == "minimum_on_site":
            assert saved[key] == value
        else:
            assert saved[key] == value, key
    pk = created.json()["id"]
    patched = client.patch(
        f"/api/v1/policies/{pk}",
        json.dumps({"rules": {**every, "effectiveness_threshold": 0.9}, "note": "lebih ketat"}),
        content_type="application/json",
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["version"] == 2
    assert patched.json()["rules"]["effectiveness_threshold"] == 0.9
    bad = client.patch(
        f"/api/v1/policies/{pk}",
        json.dumps({"rules": {"office_caps": [{"office": balaikota.pk, "share": 1.5}]}}),
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "rules.office_caps.0.share" in bad.json()["error"]["fields"]


def test_a_public_unit_without_an_entry_shows_its_own_default(browse, cast):
    circular = make_circular(cast.agency)  # default rules: no minimum entries
    page = text(
        browse(cast.bkpsdm.user).get(reverse("circular_detail", kwargs={"pk": circular.pk}))
    )
    assert "Minimum on site: Dinas Kependudukan dan Pencatatan Sipil" in page
    assert "the unit's own default" in page
    assert "more than its staff" in page  # 3 on site, 2 staff placed directly in the unit
