"""Urgent reports (R8): who reports, attachments judged by content, BKPSDM told once."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from darirumah.attendance.models import Incident, IncidentAttachment
from darirumah.attendance.services import incidents
from darirumah.core.errors import Conflict, DomainError, NotAllowed, NotFound
from darirumah.notify.models import Notification
from darirumah.org.access import access_for
from darirumah.org.models import Role, RoleAssignment

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def png_bytes(fmt="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type)


def _report(cast, user=None, unit=None, files=(), **kw):
    values = {"category": "health", "text": "Dua pegawai positif, kantor ditutup sementara."}
    values.update(kw)
    return incidents.incident_report(
        access=access_for(user or cast.admin_opd.user),
        unit=unit or cast.disdukcapil,
        files=files,
        **values,
    )


@pytest.mark.django_db(transaction=True)
def test_a_report_is_flagged_to_every_bkpsdm_user_once(cast):
    second = cast.peer
    RoleAssignment.objects.create(user=second.user, role=Role.BKPSDM, agency=cast.agency)
    incident = _report(cast)
    notes = Notification.objects.filter(key=f"incident:{incident.pk}")
    assert {n.recipient_id for n in notes} == {cast.bkpsdm.user_id, second.user_id}
    assert cast.outsider_bkpsdm.user_id not in {n.recipient_id for n in notes}
    assert "Dinas Kependudukan" in notes[0].title
    assert incidents.incident_flag(incident) == 0  # told once
    assert notes.count() == 2


def test_nothing_is_flagged_when_the_report_fails(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        _report(cast, text="  ")
    assert not Incident.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize("role", ["kepala", "admin_opd", "bkpsdm"])
def test_admin_head_and_bkpsdm_report(cast, role):
    incident = _report(cast, user=getattr(cast, role).user)
    assert incident.agency == cast.agency
    assert incident.reported_by == getattr(cast, role).user


@pytest.mark.parametrize("role", ["pegawai", "atasan", "pimpinan", "kesehatan", "peer"])
def test_others_do_not_report(cast, role):
    with pytest.raises(NotAllowed):
        _report(cast, user=getattr(cast, role).user)


def test_another_agency_does_not_see_the_unit(cast):
    with pytest.raises(NotFound):
        _report(cast, user=cast.outsider_bkpsdm.user)


def test_admin_reports_only_for_their_units(cast):
    with pytest.raises(NotAllowed):
        _report(cast, unit=cast.setda)


def test_category_and_text_are_checked(cast):
    with pytest.raises(DomainError) as exc:
        _report(cast, category="gossip", text="")
    assert set(exc.value.fields) == {"category", "text"}


def test_attachments_by_content(cast):
    incident = _report(
        cast,
        files=[
            upload("surat.pdf", PDF, "application/pdf"),
            upload("foto", png_bytes("JPEG")),  # no extension: the content decides
            upload("denah.png", png_bytes()),
            upload("c:\\dokumen\\foto.webp", png_bytes("WEBP")),
        ],
    )
    stored = list(IncidentAttachment.objects.filter(incident=incident).order_by("pk"))
    assert [a.name for a in stored] == ["surat.pdf", "foto", "denah.png", "foto.webp"]
    assert [a.file.name.rsplit(".", 1)[1] for a in stored] == ["pdf", "jpg", "png", "webp"]
    assert stored[0].file.read() == PDF


@pytest.mark.parametrize(
    "name,data",
    [
        ("virus.pdf", b"MZ\x90\x00 not a pdf"),
        ("foto.png", b"<html>hello</html>"),
        ("rusak.png", png_bytes()[:30]),  # a PNG header, the rest missing
    ],
)
def test_bad_attachments_write_nothing(cast, name, data):
    with pytest.raises(DomainError) as exc:
        _report(cast, files=[upload("ok.pdf", PDF), upload(name, data)])
    assert "files" in exc.value.fields
    assert name in exc.value.message
    assert not Incident.objects.exists()
    assert not IncidentAttachment.objects.exists()


def test_size_and_count_limits(cast, monkeypatch):
    monkeypatch.setattr(incidents, "MAX_FILE_BYTES", 100)
    with pytest.raises(DomainError):
        _report(cast, files=[upload("besar.pdf", PDF + b"x" * 200)])
    with pytest.raises(DomainError):
        _report(cast, files=[upload(f"{i}.pdf", PDF) for i in range(incidents.MAX_FILES + 1)])
    assert not Incident.objects.exists()


def test_bkpsdm_acknowledges_once(cast):
    incident = _report(cast)
    done = incidents.incident_acknowledge(access=access_for(cast.bkpsdm.user), incident=incident)
    assert done.acknowledged_by == cast.bkpsdm.user and done.acknowledged_at is not None
    with pytest.raises(Conflict):
        incidents.incident_acknowledge(access=access_for(cast.bkpsdm.user), incident=incident)


@pytest.mark.parametrize(
    "role,error",
    [
        ("kepala", NotAllowed),
        ("pimpinan", NotAllowed),
        ("pegawai", NotFound),
        ("outsider_bkpsdm", NotFound),
    ],
)
def test_only_bkpsdm_acknowledges(cast, role, error):
    incident = _report(cast)
    with pytest.raises(error):
        incidents.incident_acknowledge(
            access=access_for(getattr(cast, role).user), incident=incident
        )
    incident.refresh_from_db()
    assert incident.acknowledged_at is None


def test_who_reads_reports(cast):
    incident = _report(cast)
    for role in ("kepala", "admin_opd", "bkpsdm", "pimpinan"):
        assert list(incidents.incidents_visible(access_for(getattr(cast, role).user))) == [incident]
    for role in ("pegawai", "atasan", "kesehatan", "outsider_bkpsdm"):
        assert not incidents.incidents_visible(access_for(getattr(cast, role).user)).exists()
