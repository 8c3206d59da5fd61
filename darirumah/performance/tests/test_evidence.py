"""Evidence files: judged by content like check-in photos, photos stored without metadata,
only on the own report while it can be changed."""

import io

import pytest
from PIL import Image

from darirumah.core.errors import Conflict, DomainError, NotAllowed
from darirumah.org.access import access_for
from darirumah.performance.models import DailyReport, ReportEvidence
from darirumah.performance.services.evidence import evidence_add, evidence_remove
from darirumah.performance.services.reports import report_save

from .factories import DAY, PDF, image_bytes, make_report, upload


def add(cast, report, file, who="pegawai"):
    return evidence_add(
        access=access_for(getattr(cast, who).user),
        report=report,
        item=report.items.first(),
        upload=file,
    )


def exif_jpeg() -> bytes:
    tags = Image.Exif()
    tags[0x010F] = "TestPhone"
    gps = tags.get_ifd(0x8825)
    gps[1] = "S"
    gps[2] = (6.0, 12.0, 0.0)
    out = io.BytesIO()
    Image.new("RGB", (2400, 1800), (10, 120, 200)).save(out, "JPEG", exif=tags.tobytes())
    return out.getvalue()


def test_a_photo_is_stored_as_a_clean_jpeg(cast, media):
    report = make_report(cast.pegawai)
    evidence = add(cast, report, upload("berkas.jpg", exif_jpeg(), "image/jpeg"))
    assert evidence.kind == ReportEvidence.Kind.PHOTO
    assert evidence.name == "berkas.jpg"
    assert evidence.file.name.startswith("performance/evidence/")
    assert evidence.file.name.endswith(".jpg")
    with evidence.file.open("rb") as fh, Image.open(fh) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) == 1024
        assert not stored.getexif()  # no camera, no GPS
    assert evidence.size == evidence.file.size
    assert evidence.history.get().history_user == cast.pegawai.user


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_photos_are_accepted(cast, media, fmt):
    report = make_report(cast.pegawai)
    evidence = add(cast, report, upload(f"layar.{fmt.lower()}", image_bytes(fmt)))
    assert evidence.kind == ReportEvidence.Kind.PHOTO


def test_a_pdf_named_jpg_is_a_pdf(cast, media):
    report = make_report(cast.pegawai)
    evidence = add(cast, report, upload("surat.jpg", PDF, "image/jpeg"))
    assert evidence.kind == ReportEvidence.Kind.PDF
    assert evidence.file.name.endswith(".pdf")
    assert evidence.name == "surat.jpg"  # the name as sent, for display only
    with evidence.file.open("rb") as fh:
        assert fh.read() == PDF


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("laporan.pdf", b"just some text, not a PDF at all", "file_type"),
        ("foto.jpg", b"GIF89a" + b"\0" * 64, "file_type"),
        ("rusak.jpg", image_bytes()[:200], None),  # cut off: the photo checks refuse it
        ("kosong.pdf", b"", "file_required"),
    ],
)
def test_files_are_judged_by_their_content(cast, media, name, data, code):
    report = make_report(cast.pegawai)
    with pytest.raises(DomainError) as refused:
        add(cast, report, upload(name, data))
    if code:
        assert refused.value.code == code
    assert "file" in refused.value.fields
    assert not ReportEvidence.objects.exists()
    assert not any(media.rglob("*.*"))


def test_the_size_limit_comes_from_the_settings(cast, media, settings):
    settings.PERFORMANCE_EVIDENCE_MAX_BYTES = 40
    report = make_report(cast.pegawai)
    with pytest.raises(DomainError) as refused:
        add(cast, report, upload("surat.pdf", PDF + b"x" * 40))
    assert refused.value.code == "file_too_large"
    assert "the limit is 40" in refused.value.message


def test_an_activity_has_a_limited_number_of_files(cast, media, settings):
    settings.PERFORMANCE_EVIDENCE_MAX_PER_ITEM = 1
    report = make_report(cast.pegawai)
    add(cast, report, upload("a.pdf", PDF))
    with pytest.raises(Conflict, match="at most 1 files"):
        add(cast, report, upload("b.pdf", PDF))


@pytest.mark.parametrize("status", [DailyReport.Status.SUBMITTED, DailyReport.Status.APPROVED])
def test_no_files_are_added_once_sent(cast, media, status):
    report = make_report(cast.pegawai, status=status)
    with pytest.raises(Conflict):
        add(cast, report, upload("a.pdf", PDF))


def test_a_returned_report_takes_files(cast, media):
    report = make_report(cast.pegawai, status=DailyReport.Status.RETURNED)
    assert add(cast, report, upload("a.pdf", PDF)).kind == "pdf"


def test_only_the_author_adds_files(cast, media):
    report = make_report(cast.pegawai)
    with pytest.raises(NotAllowed):
        add(cast, report, upload("a.pdf", PDF), who="atasan")


def test_removing_a_file_deletes_it_after_the_commit(
    cast, media, django_capture_on_commit_callbacks
):
    report = make_report(cast.pegawai)
    evidence = add(cast, report, upload("a.pdf", PDF))
    path = media / evidence.file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        evidence_remove(access=access_for(cast.pegawai.user), report=report, evidence=evidence)
    assert not ReportEvidence.objects.exists()
    assert not path.exists()


def test_an_activity_left_out_takes_its_files_with_it(
    cast, media, clock, django_capture_on_commit_callbacks
):
    report = make_report(cast.pegawai)
    evidence = add(cast, report, upload("a.pdf", PDF))
    path = media / evidence.file.name
    with django_capture_on_commit_callbacks(execute=True):
        report_save(
            access=access_for(cast.pegawai.user),
            day=DAY,
            items=[{"activity": "Yang lain", "minutes_spent": 30}],
        )
    assert not ReportEvidence.objects.exists()
    assert not path.exists()
