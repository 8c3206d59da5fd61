"""The attendance board, the manual list and the excuse form."""

from datetime import UTC, date, datetime

from django.urls import reverse

from darirumah.attendance.models import Attendance
from darirumah.attendance.services.records import attendance_mark_absent
from darirumah.conftest import text
from darirumah.roster.models import RosterEntry

DAY = date(2026, 8, 18)


def own_checkin(cast):
    return Attendance.objects.create(
        employee=cast.atasan,
        date=DAY,
        status="late",
        source="self",
        minutes_late=9,
        check_in_place="inside",
        check_in_at=datetime(2026, 8, 18, 0, 40, tzinfo=UTC),
    )


def test_board_shows_rows_and_totals(cast, browse):
    own_checkin(cast)
    RosterEntry.objects.create(
        employee=cast.atasan, date=DAY, mode="WFO", source="solver", published=True
    )
    response = browse(cast.kepala.user).get(
        reverse("attendance_board"), {"unit": cast.pelayanan.pk, "date": "2026-08-18"}
    )
    assert response.status_code == 200
    page = text(response)
    assert "Atasan Pelayanan" in page and "Pegawai Pelayanan" in page
    assert "07:40" in page and "Inside the area" in page and "text-bg-warning" in page
    board = response.context["board"]
    assert board.totals["late"] == 1 and board.totals["not_yet"] == 1
    assert board.by_mode == {"-": 1, "WFO": 1}


def test_board_for_a_supervisor_shows_the_team_only(cast, browse):
    response = browse(cast.atasan.user).get(
        reverse("attendance_board"), {"unit": cast.disdukcapil.pk, "date": "2026-08-18"}
    )
    assert response.status_code == 200
    names = [r.employee.name for r in response.context["board"].rows]
    assert names == ["Pegawai Pelayanan"]


def test_board_bad_date_falls_back_to_today(cast, browse):
    response = browse(cast.kepala.user).get(
        reverse("attendance_board"), {"unit": cast.pelayanan.pk, "date": "besok"}
    )
    assert response.status_code == 200
    assert "YYYY-MM-DD" in text(response)


def test_manual_page_saves_and_reports_skipped(cast, browse):
    own_checkin(cast)
    client = browse(cast.admin_opd.user)
    url = reverse("attendance_manual")
    page = client.get(url, {"unit": cast.pelayanan.pk, "date": "2026-08-18"})
    assert page.status_code == 200
    assert f'name="status_{cast.pegawai.pk}"' in text(page)
    assert f'name="status_{cast.atasan.pk}"' not in text(page)  # own check-in: read-only
    assert "Checked in themself at 07:40" in text(page)
    response = client.post(
        url,
        {
            "unit": cast.pelayanan.pk,
            "date": "2026-08-18",
            f"status_{cast.pegawai.pk}": "absent",
            f"reason_{cast.pegawai.pk}": "tanpa keterangan",
            f"status_{cast.atasan.pk}": "absent",
            f"reason_{cast.atasan.pk}": "x",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Saved: 1 new" in text(response)
    assert "Atasan Pelayanan checked in themself at 07:40; left as it is." in text(response)
    assert Attendance.objects.get(employee=cast.pegawai, date=DAY).status == "absent"
    assert Attendance.objects.get(employee=cast.atasan, date=DAY).source == "self"


def test_manual_page_shows_row_errors_and_saves_nothing(cast, browse):
    response = browse(cast.admin_opd.user).post(
        reverse("attendance_manual"),
        {"unit": cast.pelayanan.pk, "date": "2026-08-18", f"status_{cast.pegawai.pk}": "excused"},
    )
    assert response.status_code == 400
    assert "Nothing was saved" in text(response) and "Pegawai Pelayanan" in text(response)
    assert not Attendance.objects.exists()


def test_manual_page_forbidden_to_a_supervisor(cast, browse):
    response = browse(cast.atasan.user).get(
        reverse("attendance_manual"), {"unit": cast.pelayanan.pk}
    )
    assert response.status_code == 403


def test_excuse_page(cast, browse, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    attendance_mark_absent(agency=cast.agency, day=DAY)
    record = Attendance.objects.get(employee=cast.pegawai, date=DAY)
    client = browse(cast.admin_opd.user)
    url = reverse("attendance_excuse", args=[record.pk])
    assert client.get(url).status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("a.jpg", b"not a jpeg at all")
    refused = client.post(url, {"reason": "sakit", "evidence": bad})
    assert refused.status_code == 400 and "PDF, JPEG, PNG or WebP" in text(refused)
    jpeg = SimpleUploadedFile("a.dat", b"\xff\xd8\xff\xe0" + b"0" * 40)
    response = client.post(url, {"reason": "sakit", "evidence": jpeg})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == "excused" and record.evidence.name.endswith(".jpg")
