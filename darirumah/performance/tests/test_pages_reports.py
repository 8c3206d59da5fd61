"""The employee's daily report pages: writing activities, evidence, submitting, the review seen
from both sides (the whole flow through the pages), the deadline, and the own list."""

from datetime import date

from django.urls import reverse

from darirumah.conftest import text
from darirumah.performance.models import DailyReport, ReportEvidence, Target

from .factories import DAY, TargetFactory, image_bytes, make_report, upload

URL = reverse("performance-my-report")


def post(client, action, day=DAY, **data):
    return client.post(URL, {"date": day.isoformat(), "action": action, **data})


def add(client, activity="Verifikasi 40 berkas KTP-el", minutes="240", **extra):
    return post(client, "add", activity=activity, minutes_spent=minutes, **extra)


def report_of(cast) -> DailyReport:
    return DailyReport.objects.get(employee=cast.pegawai, date=DAY)


def test_the_whole_flow_through_the_pages(cast, browse, clock, media):
    target = TargetFactory(employee=cast.pegawai, assigned_by=cast.atasan.user)
    me, boss = browse(cast.pegawai.user), browse(cast.atasan.user)

    page = me.get(URL)
    assert page.status_code == 200
    assert target.indicator in text(page)  # offered as the target an activity serves
    assert "Due by 16:00" in text(page)

    response = add(me, target=target.pk, output_quantity="40")
    assert response.status_code == 302
    item = report_of(cast).items.get()
    assert (item.target, item.output_quantity, item.minutes_spent) == (target, 40, 240)

    photo = upload("berkas.jpg", image_bytes(), "image/jpeg")
    assert post(me, "evidence", item=item.pk, file=photo).status_code == 302
    evidence = item.evidence.get()
    assert evidence.kind == ReportEvidence.Kind.PHOTO and evidence.name == "berkas.jpg"

    assert post(me, "submit").status_code == 302
    assert report_of(cast).status == DailyReport.Status.SUBMITTED
    assert not report_of(cast).late
    page = text(me.get(URL))
    assert "Waiting for your supervisor's review" in page
    assert 'value="add"' not in page and 'value="submit"' not in page

    # The atasan finds it in the inbox, opens the photo, returns it with a comment.
    inbox = boss.get(reverse("performance-review"))
    assert [row["report"].pk for row in inbox.context["rows"]] == [report_of(cast).pk]
    detail_url = reverse("performance-report-detail", args=[report_of(cast).pk])
    detail = boss.get(detail_url)
    file_url = reverse("performance-evidence", args=[report_of(cast).pk, evidence.pk])
    assert file_url in text(detail)
    served = boss.get(file_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content).startswith(b"\xff\xd8")
    response = boss.post(detail_url, {"decision": "return", "comment": "Tambahkan jumlah berkas"})
    assert response.status_code == 302
    assert report_of(cast).status == DailyReport.Status.RETURNED

    # The pegawai reads the comment, corrects the activity (the photo stays) and sends again.
    page = text(me.get(URL))
    assert "Tambahkan jumlah berkas" in page and "Returned for correction by Atasan" in page
    edit = me.get(URL, {"date": DAY.isoformat(), "edit": item.pk})
    assert 'value="update"' in text(edit)
    response = post(
        me,
        "update",
        item=item.pk,
        activity="Verifikasi 45 berkas KTP-el",
        target=target.pk,
        output_quantity="45",
        minutes_spent="270",
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.output_quantity == 45 and item.evidence.count() == 1
    assert post(me, "submit").status_code == 302
    assert report_of(cast).status == DailyReport.Status.SUBMITTED

    assert boss.post(detail_url, {"decision": "approve"}).status_code == 302
    assert report_of(cast).status == DailyReport.Status.APPROVED

    # Approved: locked on the page, and a change posted anyway is refused on the page.
    page = me.get(URL)
    body = text(page)
    assert 'data-testid="locked"' in body and "Approved by Atasan Pelayanan" in body
    assert 'value="add"' not in body and 'value="evidence"' not in body
    refused = add(me)
    assert refused.status_code == 400
    assert "is approved and locked" in text(refused)
    assert report_of(cast).items.count() == 1


def test_a_wrong_number_is_shown_on_its_field(cast, browse, clock):
    response = add(browse(cast.pegawai.user), minutes="0")
    assert response.status_code == 400
    assert response.context["add_form"].errors["minutes_spent"] == [
        "Give the minutes spent: 1 to 1440."
    ]
    assert not DailyReport.objects.exists()


def test_evidence_is_judged_by_its_content(cast, browse, clock, media):
    me = browse(cast.pegawai.user)
    add(me)
    item = report_of(cast).items.get()
    fake = upload("foto.jpg", b"bukan gambar, hanya teks", "image/jpeg")
    response = post(me, "evidence", item=item.pk, file=fake)
    assert response.status_code == 400
    assert "foto.jpg is not a photo (JPEG, PNG or WebP) or a PDF document." in text(response)
    assert 'data-testid="evidence-errors"' in text(response)
    assert not ReportEvidence.objects.exists()
    empty = post(me, "evidence", item=item.pk)
    assert "Attach a photo or a PDF document." in text(empty)


def test_an_activity_is_removed_but_not_the_last(cast, browse, clock):
    me = browse(cast.pegawai.user)
    add(me, activity="Rapat daring")
    add(me, activity="Menyusun laporan")
    first, second = report_of(cast).items.order_by("pk")
    assert post(me, "remove", item=first.pk).status_code == 302
    assert list(report_of(cast).items.all()) == [second]
    refused = post(me, "remove", item=second.pk)
    assert refused.status_code == 400
    assert "Report at least one activity." in text(refused)


def test_another_persons_item_is_not_found(cast, browse, clock):
    other = make_report(cast.atasan)
    me = browse(cast.pegawai.user)
    add(me)
    response = post(me, "remove", item=other.items.get().pk)
    assert response.status_code == 404


def test_a_cancelled_target_is_named_when_saving_another_activity(cast, browse, clock):
    target = TargetFactory(employee=cast.pegawai)
    me = browse(cast.pegawai.user)
    add(me, target=target.pk)
    Target.objects.filter(pk=target.pk).update(status=Target.Status.CANCELLED)
    response = add(me, activity="Rapat daring")
    assert response.status_code == 400
    assert "Activity 1: Not one of your active targets" in text(response)


def test_after_the_deadline_the_page_warns_and_the_report_is_late(cast, browse, clock):
    clock.set(2026, 8, 19, 9, 30)  # 16:30 WIB, the deadline was 16:00
    me = browse(cast.pegawai.user)
    add(me)
    assert "a report submitted now is marked late" in text(me.get(URL))
    post(me, "submit")
    assert report_of(cast).late
    assert "Submitted late" in text(me.get(URL))


def test_a_day_without_a_report_to_write_says_why(cast, browse, clock):
    me = browse(cast.pegawai.user)
    saturday = me.get(URL, {"date": "2026-08-15"})
    assert saturday.status_code == 200
    assert "is not a working day" in text(saturday)
    assert 'value="add"' not in text(saturday)
    future = me.get(URL, {"date": "2026-08-20"})
    assert "has not come yet" in text(future)
    wrong = me.get(URL, {"date": "kemarin"})
    assert wrong.context["day"] == DAY and "YYYY-MM-DD" in text(wrong)


def test_submitting_nothing_is_refused_on_the_page(cast, browse, clock):
    response = post(browse(cast.pegawai.user), "submit")
    assert response.status_code == 400
    assert "Report at least one activity before submitting." in text(response)


def test_the_own_list_shows_each_working_day_with_its_status(cast, browse, clock):
    make_report(cast.pegawai, status=DailyReport.Status.APPROVED, late=True)
    make_report(cast.pegawai, day=date(2026, 8, 14), status=DailyReport.Status.RETURNED)
    make_report(cast.atasan, day=date(2026, 8, 18))  # someone else's
    response = browse(cast.pegawai.user).get(reverse("performance-my-reports"))
    assert response.status_code == 200
    rows = {row["day"]: row for row in response.context["rows"]}
    assert rows[DAY]["status"] == "approved" and rows[DAY]["report"].late
    assert rows[date(2026, 8, 14)]["status"] == "returned"
    assert rows[date(2026, 8, 18)]["report"] is None  # a working day not written
    assert date(2026, 8, 17) not in rows  # Independence Day
    assert date(2026, 8, 20) not in rows  # not come yet
    assert "Lengkapi bukti" in text(response)  # the comment of the returned report
    july = browse(cast.pegawai.user).get(reverse("performance-my-reports"), {"month": "2026-07"})
    assert {row["day"].month for row in july.context["rows"]} == {7}
    assert not any(row["writable"] for row in july.context["rows"])


def test_evidence_files_are_served_to_report_readers_only(cast, browse, clock, media):
    me = browse(cast.pegawai.user)
    add(me)
    item = report_of(cast).items.get()
    post(me, "evidence", item=item.pk, file=upload("surat.jpg", image_bytes(), "image/jpeg"))
    url = reverse("performance-evidence", args=[report_of(cast).pk, item.evidence.get().pk])
    assert browse(cast.peer.user).get(url).status_code == 404
    assert browse(cast.kesehatan.user).get(url).status_code == 404
    served = browse(cast.kepala.user).get(url)
    assert served.status_code == 200


def test_a_posted_wrong_date_changes_nothing(cast, browse, clock):
    response = browse(cast.pegawai.user).post(
        URL, {"date": "kemarin", "action": "add", "activity": "Rapat", "minutes_spent": "60"}
    )
    assert response.status_code == 400
    assert "Give the date as YYYY-MM-DD." in text(response)
    assert not DailyReport.objects.exists()
