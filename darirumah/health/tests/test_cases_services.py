"""The health register's writes: who records, what is checked, the confirmation by a positive
test, closing and reopening a case, the access-log line of every write and the notice to the
person (without medical detail)."""

from datetime import date

import pytest

from darirumah.core.errors import Conflict, DomainError, NotAllowed, NotFound
from darirumah.health.models import HealthAccessLog, HealthCase, HealthTest
from darirumah.health.services import cases as services
from darirumah.notify.models import Notification
from darirumah.org.access import access_for
from darirumah.org.models import Employee

pytestmark = pytest.mark.django_db
TODAY = date(2026, 8, 19)
REASON = "kasus baru dari puskesmas"


@pytest.fixture(autouse=True)
def _clock(clock, monkeypatch):
    # The access log stamps its lines with the same clock.
    return clock  # Wednesday 19 August 2026, 10:00 WIB


def officer(cast):
    return access_for(cast.kesehatan.user)


def create(cast, employee=None, **kw):
    kw.setdefault("status", "suspect")
    kw.setdefault("reason", REASON)
    return services.case_create(access=officer(cast), employee=employee or cast.pegawai, **kw)


def problems(exc) -> dict:
    return exc.value.fields


def test_an_officer_records_a_case_logged_with_the_reason_and_the_person_is_told(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = create(
            cast,
            symptom_onset=date(2026, 8, 15),
            likely_place="outside",
            likely_place_reason="Pernikahan keluarga di Batu, 12 Agustus",
        )
    assert (case.status, case.confirmed_on, case.recorded_by) == (
        "suspect",
        None,
        cast.kesehatan.user,
    )
    assert case.history.first().history_user == cast.kesehatan.user
    line = HealthAccessLog.objects.get()
    assert (line.action, line.subject, line.employees, line.reason) == (
        "create",
        f"case:{case.pk}",
        [cast.pegawai.pk],
        REASON,
    )
    assert line.user == cast.kesehatan.user and line.agency == cast.agency
    notice = Notification.objects.get(recipient=cast.pegawai.user)
    assert notice.kind == "health.case" and notice.link == "/health/mine/"
    for secret in ("suspect", "Suspek", "Batu", "positive", "PCR"):
        assert secret.lower() not in (notice.title + notice.body).lower()


def test_a_positive_first_test_confirms_the_case_on_its_result_day(cast):
    case = create(
        cast,
        symptom_onset=date(2026, 8, 14),
        test={
            "kind": "pcr",
            "taken_on": date(2026, 8, 16),
            "result": "positive",
            "result_on": date(2026, 8, 18),
        },
    )
    assert (case.status, case.confirmed_on) == ("confirmed", date(2026, 8, 18))
    test = case.tests.get()
    assert (test.kind, test.result, test.recorded_by) == ("pcr", "positive", cast.kesehatan.user)


def test_a_confirmed_case_without_a_day_is_confirmed_today_and_an_antibody_test_confirms_nothing(
    cast,
):
    assert create(cast, status="confirmed").confirmed_on == TODAY
    case = create(
        cast,
        employee=cast.peer,
        status="probable",
        test={"kind": "antibody", "taken_on": date(2026, 8, 18), "result": "positive"},
    )
    assert (case.status, case.confirmed_on) == ("probable", None)


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"status": "confirmed", "confirmed_on": date(2026, 8, 20)}, "confirmed_on"),
        ({"symptom_onset": date(2026, 8, 20)}, "symptom_onset"),
        (
            {
                "status": "confirmed",
                "confirmed_on": date(2026, 8, 10),
                "symptom_onset": date(2026, 8, 12),
            },
            "symptom_onset",
        ),
        ({"likely_place": "office"}, "likely_place_reason"),
        ({"likely_place": "outside", "likely_place_reason": "  "}, "likely_place_reason"),
        ({"likely_place": "kantin"}, "likely_place"),
        ({"status": "recovered"}, "status"),
        ({"status": "suspect", "confirmed_on": date(2026, 8, 10)}, "confirmed_on"),
        (
            {"test": {"kind": "pcr", "taken_on": date(2026, 8, 20), "result": "pending"}},
            "test_taken_on",
        ),
        (
            {
                "test": {
                    "kind": "pcr",
                    "taken_on": date(2026, 8, 18),
                    "result": "negative",
                    "result_on": date(2026, 8, 17),
                }
            },
            "test_result_on",
        ),
        (
            {
                "test": {
                    "kind": "pcr",
                    "taken_on": date(2026, 8, 18),
                    "result": "pending",
                    "result_on": date(2026, 8, 18),
                }
            },
            "test_result_on",
        ),
    ],
)
def test_bad_input_is_refused_field_by_field_and_nothing_is_written(cast, kw, field):
    with pytest.raises(DomainError) as exc:
        create(cast, **kw)
    assert exc.value.status == 400 and field in problems(exc), problems(exc)
    assert not HealthCase.objects.exists() and not HealthAccessLog.objects.exists()


def test_an_inactive_employee_gets_no_new_case(cast):
    Employee.objects.filter(pk=cast.peer.pk).update(is_active=False)
    cast.peer.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        create(cast, employee=cast.peer)
    assert "no longer active" in problems(exc)["employee"][0]


def test_one_open_case_per_person_the_conflict_names_it(cast):
    first = create(cast)
    with pytest.raises(Conflict) as exc:
        create(cast, status="confirmed")
    assert exc.value.status == 409
    assert f"#{first.pk}" in exc.value.message and "Pegawai Pelayanan" in exc.value.message
    services.case_update(access=officer(cast), case=first, reason=REASON, status="recovered")
    assert create(cast).pk != first.pk  # a new illness after recovery


def test_only_the_agencys_health_officers_record(cast):
    with pytest.raises(NotFound):
        create(cast, employee=cast.outsider)
    for user in (cast.pimpinan.user, cast.bkpsdm.user, cast.pegawai.user, cast.operator):
        with pytest.raises(NotAllowed):
            services.case_create(
                access=access_for(user), employee=cast.peer, status="suspect", reason=REASON
            )
    with pytest.raises(DomainError) as exc:
        create(cast, reason="ok")
    assert exc.value.code == "reason_required"
    assert not HealthCase.objects.exists()


# --- changes --------------------------------------------------------------------------------


def test_recovery_closes_the_case_today_and_only_an_open_case_closes(cast):
    case = create(cast, status="confirmed", confirmed_on=date(2026, 8, 12))
    done = services.case_update(
        access=officer(cast), case=case, reason="pasien sembuh", status="recovered"
    )
    assert (done.status, done.closed_on, done.confirmed_on) == (
        "recovered",
        TODAY,
        date(2026, 8, 12),
    )
    with pytest.raises(DomainError) as exc:
        services.case_update(access=officer(cast), case=done, reason=REASON, status="died")
    assert "status" in problems(exc)
    line = HealthAccessLog.objects.filter(action="update").get()
    assert (line.subject, line.reason, line.employees) == (
        f"case:{case.pk}",
        "pasien sembuh",
        [cast.pegawai.pk],
    )
    assert done.history.first().history_user == cast.kesehatan.user


def test_a_death_on_a_given_day_and_dates_checked(cast):
    case = create(cast, status="confirmed", confirmed_on=date(2026, 8, 12))
    with pytest.raises(DomainError) as exc:
        services.case_update(
            access=officer(cast),
            case=case,
            reason=REASON,
            status="died",
            closed_on=date(2026, 8, 10),
        )
    assert "closed_on" in problems(exc)
    with pytest.raises(DomainError) as exc:
        services.case_update(
            access=officer(cast), case=case, reason=REASON, symptom_onset=date(2026, 8, 13)
        )
    assert "symptom_onset" in problems(exc)
    died = services.case_update(
        access=officer(cast), case=case, reason=REASON, status="died", closed_on=date(2026, 8, 18)
    )
    assert (died.status, died.closed_on) == ("died", date(2026, 8, 18))


def test_the_place_needs_its_reason_and_nothing_changed_writes_nothing(cast):
    case = create(cast)
    with pytest.raises(DomainError) as exc:
        services.case_update(access=officer(cast), case=case, reason=REASON, likely_place="office")
    assert "likely_place_reason" in problems(exc)
    changed = services.case_update(
        access=officer(cast),
        case=case,
        reason=REASON,
        likely_place="office",
        likely_place_reason="Satu ruangan dengan kasus #1 sejak 10 Agustus",
        note="Bergejala ringan",
    )
    assert changed.likely_place == "office" and changed.note == "Bergejala ringan"
    before = HealthAccessLog.objects.count()
    services.case_update(access=officer(cast), case=changed, reason=REASON, note="Bergejala ringan")
    assert HealthAccessLog.objects.count() == before


def test_a_case_reopens_only_when_the_person_has_no_other_open_case(cast):
    old = create(cast)
    services.case_update(access=officer(cast), case=old, reason=REASON, status="recovered")
    create(cast)
    with pytest.raises(Conflict):
        services.case_update(access=officer(cast), case=old, reason=REASON, status="suspect")


def test_a_confirmation_withdrawn_clears_its_day(cast):
    case = create(cast, status="confirmed")
    back = services.case_update(access=officer(cast), case=case, reason=REASON, status="probable")
    assert (back.status, back.confirmed_on) == ("probable", None)


def test_others_may_not_change_a_case(cast):
    case = create(cast)
    for user in (cast.pegawai.user, cast.pimpinan.user):
        with pytest.raises(NotAllowed):
            services.case_update(access=access_for(user), case=case, reason=REASON, note="x")
    with pytest.raises(NotFound):
        services.case_update(
            access=access_for(cast.outsider_bkpsdm.user), case=case, reason=REASON, note="x"
        )


# --- tests ----------------------------------------------------------------------------------


def test_a_positive_antigen_confirms_a_probable_case_on_its_result_day(cast):
    case = create(cast, status="probable")
    services.test_add(
        access=officer(cast),
        case=case,
        kind="antigen",
        taken_on=date(2026, 8, 17),
        result="positive",
        result_on=date(2026, 8, 18),
        reason="hasil antigen keluar",
    )
    case.refresh_from_db()
    assert (case.status, case.confirmed_on) == ("confirmed", date(2026, 8, 18))
    line = HealthAccessLog.objects.filter(action="update").get()
    assert line.reason == "hasil antigen keluar" and line.subject == f"case:{case.pk}"


def test_a_positive_pcr_without_result_day_confirms_on_the_sample_day(cast):
    case = create(cast)
    services.test_add(
        access=officer(cast),
        case=case,
        kind="pcr",
        taken_on=date(2026, 8, 16),
        result="positive",
        reason=REASON,
    )
    case.refresh_from_db()
    assert (case.status, case.confirmed_on) == ("confirmed", date(2026, 8, 16))


def test_other_results_leave_the_status(cast):
    case = create(cast, status="probable")
    for kind, result in (("pcr", "negative"), ("antibody", "positive"), ("pcr", "pending")):
        services.test_add(
            access=officer(cast),
            case=case,
            kind=kind,
            taken_on=date(2026, 8, 18),
            result=result,
            reason=REASON,
        )
    case.refresh_from_db()
    assert case.status == "probable" and case.tests.count() == 3


def test_a_bad_test_is_refused(cast):
    case = create(cast)
    with pytest.raises(DomainError) as exc:
        services.test_add(
            access=officer(cast),
            case=case,
            kind="pcr",
            taken_on=date(2026, 8, 25),
            result="negative",
            reason=REASON,
        )
    assert "taken_on" in problems(exc)
    with pytest.raises(NotAllowed):
        services.test_add(
            access=access_for(cast.pegawai.user),
            case=case,
            kind="pcr",
            taken_on=date(2026, 8, 18),
            result="negative",
            reason=REASON,
        )
    assert not HealthTest.objects.exists()
