"""Target pages: the list for each role, giving a target to a person or (the head) to a whole
unit, the weight rule shown on the form, and cancelling."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from darirumah.conftest import text
from darirumah.org.tests.factories import EmployeeFactory
from darirumah.performance.models import Target

from .factories import TargetFactory

LIST = reverse("performance-targets")
NEW = reverse("performance-target-new")
FORM = {
    "assign_to": "person",
    "period_kind": "month",
    "month": "2026-08",
    "indicator": "Akta kelahiran diterbitkan",
    "quantity": "120",
    "unit_of_measure": "akta",
    "quality_measure": "Tanpa salah ketik",
    "deadline": "2026-08-31",
    "weight": "25",
    "plan_ref": "RHK 2: Layanan akta tepat waktu",
}


def cancel_url(target):
    return reverse("performance-target-cancel", args=[target.pk])


def test_a_pegawai_sees_only_their_own_targets(cast, browse, clock):
    own = TargetFactory(employee=cast.pegawai, indicator="Berkas KTP-el diverifikasi")
    TargetFactory(employee=cast.peer, indicator="Arsip Setda dirapikan")
    response = browse(cast.pegawai.user).get(LIST)
    assert response.status_code == 200
    assert [row["target"] for row in response.context["rows"]] == [own]
    assert not response.context["may_assign"]
    assert "Give a target" not in text(response)
    assert "Cancel the target" not in text(response)


def test_the_list_filters_by_text_unit_status_and_month(cast, browse, clock):
    august = TargetFactory(employee=cast.pegawai, indicator="Berkas KTP-el")
    july = TargetFactory(
        employee=cast.atasan,
        indicator="Laporan Juli",
        period_start=date(2026, 7, 1),
        period_end=date(2026, 7, 31),
        deadline=date(2026, 7, 31),
    )
    gone = TargetFactory(employee=cast.pegawai, status=Target.Status.CANCELLED)
    client = browse(cast.kepala.user)

    def shown(**query):
        return {row["target"] for row in client.get(LIST, query).context["rows"]}

    assert shown() == {august, july}  # active by default
    assert shown(status="") == {august, july, gone}
    assert shown(month="2026-07") == {july}
    assert shown(q="ktp-el") == {august}
    assert shown(q="Atasan") == {july}
    assert shown(unit=cast.setda.pk) == set()
    assert shown(employee=cast.atasan.pk) == {july}
    wrong = client.get(LIST, {"month": "juli"})
    assert wrong.status_code == 200 and "Give the month as YYYY-MM." in text(wrong)


def test_a_supervisor_gives_a_target_to_a_team_member(cast, browse, clock):
    client = browse(cast.atasan.user)
    page = client.get(NEW, {"employee": cast.pegawai.pk})
    assert page.status_code == 200
    people = list(page.context["form"].fields["employee"].queryset)
    assert people == [cast.pegawai]  # their team only, never themself
    assert "unit" not in page.context["form"].fields  # not a unit's head
    response = client.post(NEW, {**FORM, "employee": cast.pegawai.pk})
    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.employee, target.period_start, target.period_end) == (
        cast.pegawai,
        date(2026, 8, 1),
        date(2026, 8, 31),
    )
    assert target.weight == Decimal(25) and target.plan_ref.startswith("RHK 2")
    assert target.assigned_by == cast.atasan.user and target.batch is None
    listed = client.get(response["Location"])
    assert "Akta kelahiran diterbitkan" in text(listed)
    assert "The target was given to Pegawai Pelayanan." in text(listed)


def test_a_supervisor_cannot_give_a_target_to_a_whole_unit(cast, browse, clock):
    response = browse(cast.atasan.user).post(
        NEW, {**FORM, "assign_to": "unit", "unit": cast.pelayanan.pk}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["employee"] == ["Choose the person."]
    assert not Target.objects.exists()


def test_the_head_gives_a_target_to_the_whole_unit(cast, browse, clock):
    client = browse(cast.kepala.user)
    page = client.get(NEW)
    assert cast.disdukcapil in page.context["form"].fields["unit"].queryset
    assert cast.setda not in page.context["form"].fields["unit"].queryset
    response = client.post(NEW, {**FORM, "assign_to": "unit", "unit": cast.disdukcapil.pk})
    assert response.status_code == 302
    targets = Target.objects.all()
    assert {t.employee for t in targets} == {cast.admin_opd, cast.atasan, cast.pegawai}
    assert len({t.batch for t in targets}) == 1 and targets[0].batch is not None
    listed = client.get(response["Location"])
    assert {row["target"] for row in listed.context["rows"]} == set(targets)
    assert "The target was given to 3 people of Dinas Kependudukan" in text(listed)


def test_dates_or_a_circular_give_the_period(cast, browse, clock):
    from darirumah.policy.models import Circular

    circular = Circular.objects.create(
        agency=cast.agency,
        number="800/1/2026",
        title="Bekerja dari rumah",
        issuer_name="Wali Kota Uji",
        issuer_position="Wali Kota",
        starts_on=date(2026, 8, 18),
        ends_on=date(2026, 8, 21),
        status=Circular.Status.ACTIVE,
    )
    client = browse(cast.atasan.user)
    base = {**FORM, "employee": cast.pegawai.pk, "weight": "10"}
    response = client.post(
        NEW,
        {**base, "period_kind": "circular", "circular": circular.pk, "deadline": "2026-08-21"},
    )
    assert response.status_code == 302
    response = client.post(
        NEW,
        {
            **base,
            "period_kind": "dates",
            "period_start": "2026-08-10",
            "period_end": "2026-08-14",
            "deadline": "2026-08-14",
        },
    )
    assert response.status_code == 302
    periods = set(Target.objects.values_list("period_start", "period_end", "deadline"))
    assert periods == {
        (date(2026, 8, 18), date(2026, 8, 21), date(2026, 8, 21)),
        (date(2026, 8, 10), date(2026, 8, 14), date(2026, 8, 14)),
    }


def test_a_deadline_outside_the_period_is_shown_on_its_field(cast, browse, clock):
    response = browse(cast.atasan.user).post(
        NEW, {**FORM, "employee": cast.pegawai.pk, "deadline": "2026-09-05"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["deadline"] == [
        "The deadline must fall within the period (Aug. 1, 2026–Aug. 31, 2026)."
    ]


def test_weight_over_100_percent_is_shown_on_the_form(cast, browse, clock):
    TargetFactory(employee=cast.pegawai, weight=Decimal(90))
    response = browse(cast.atasan.user).post(NEW, {**FORM, "employee": cast.pegawai.pk})
    assert response.status_code == 400
    problem = (
        "Pegawai Pelayanan: with this target their active targets would weigh 115% in this "
        "period, over 100%. Lower the weight or cancel another target."
    )
    assert response.context["form"].errors["weight"] == [problem]
    assert 'id="id_weight_error"' in text(response)
    assert Target.objects.count() == 1


def test_weight_over_100_percent_stops_a_unit_wide_target(cast, browse, clock):
    TargetFactory(employee=cast.pegawai, weight=Decimal(80))
    response = browse(cast.kepala.user).post(
        NEW, {**FORM, "assign_to": "unit", "unit": cast.pelayanan.pk}
    )
    assert response.status_code == 400
    assert "No target was given: Pegawai Pelayanan" in text(response)
    assert Target.objects.count() == 1  # all or nothing


def test_those_who_set_no_targets_cannot_give_one(cast, browse, clock):
    for person in (cast.pegawai, cast.admin_opd, cast.bkpsdm):
        client = browse(person.user)
        assert client.get(NEW).status_code == 403
        assert client.post(NEW, {**FORM, "employee": cast.pegawai.pk}).status_code == 403
    assert not Target.objects.exists()


def test_cancelling_a_target_frees_it_and_says_so(cast, browse, clock):
    target = TargetFactory(employee=cast.pegawai)
    client = browse(cast.atasan.user)
    listed = client.get(LIST)
    assert cancel_url(target) in text(listed)
    response = client.post(cancel_url(target), {"next": f"{LIST}?status=cancelled"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{LIST}?status=cancelled"
    assert "was cancelled" in text(response)
    target.refresh_from_db()
    assert target.status == Target.Status.CANCELLED
    again = client.post(cancel_url(target), follow=True)
    assert "This target was already cancelled." in text(again)
    away = client.post(cancel_url(target), {"next": "https://example.com/"})
    assert away["Location"] == LIST
    assert client.get(cancel_url(target)).status_code == 405


def test_the_person_cannot_cancel_their_own_target(cast, browse, clock):
    target = TargetFactory(employee=cast.pegawai)
    assert browse(cast.pegawai.user).post(cancel_url(target)).status_code == 403
    assert browse(cast.peer.user).post(cancel_url(target)).status_code == 404
    target.refresh_from_db()
    assert target.status == Target.Status.ACTIVE


def _people_with_targets(cast, n: int):
    for i in range(n):
        person = EmployeeFactory(unit=cast.pelayanan, name=f"Staf {i:02d}", supervisor=cast.atasan)
        TargetFactory(employee=person, assigned_by=cast.atasan.user)
        TargetFactory(employee=person, batch="6f1c1f3e-6a35-4b3a-9c5e-3f1f4b0d2a11")


def test_the_list_query_count_does_not_grow_with_its_rows(cast, browse, clock):
    client = browse(cast.kepala.user)
    _people_with_targets(cast, 2)
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(LIST).context["rows"]) == 4
    _people_with_targets(cast, 10)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(LIST).context["rows"]) == 24
    assert len(many) == len(few)
