"""The PDF export of BKPSDM's daily recap: its bytes, its text, who may download it."""

import re
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from reportlab import rl_config

from darirumah.attendance.models import Attendance
from darirumah.attendance.recap_pdf import Letterhead, RecapDocument, build_recap_pdf, totals_row
from darirumah.attendance.services.recap import recap_produce, recap_send
from darirumah.conftest import client_for
from darirumah.org.access import access_for
from darirumah.roster.models import RosterEntry

pytestmark = pytest.mark.django_db
MONDAY = date(2020, 3, 23)


@pytest.fixture
def day(cast):
    """Monday's recaps: Disdukcapil has one present, one late and one absent and is sent."""
    for employee, mode in ((cast.kepala, "WFO"), (cast.atasan, "WFH"), (cast.peer, "WFH")):
        RosterEntry.objects.create(
            employee=employee, date=MONDAY, mode=mode, source="manual", published=True
        )
    for employee, status in (
        (cast.kepala, Attendance.Status.PRESENT),
        (cast.atasan, Attendance.Status.LATE),
        (cast.peer, Attendance.Status.ABSENT),
    ):
        Attendance.objects.create(employee=employee, date=MONDAY, status=status, source="self")
    recaps = {r.unit_id: r for r in recap_produce(agency=cast.agency, day=MONDAY)}
    recap_send(
        access=access_for(cast.admin_opd.user), recap=recaps[cast.disdukcapil.pk], note="Aman"
    )
    return recaps


@pytest.fixture
def plain_pdf(monkeypatch):
    """ReportLab writes uncompressed, reproducible PDFs: their text is readable in the bytes."""
    monkeypatch.setattr(rl_config, "pageCompression", 0)
    monkeypatch.setattr(rl_config, "invariant", 1)


def shown(pdf: bytes) -> str:
    """The strings drawn on the pages (`(text) Tj` in the content streams), one per line."""
    found = re.findall(rb"\(((?:[^()\\]|\\.)*)\) Tj", pdf)
    return "\n".join(s.decode("latin-1").replace("\\(", "(").replace("\\)", ")") for s in found)


def export(client, **query):
    return client.get(reverse("recap_export_pdf"), {"date": MONDAY.isoformat(), **query})


def test_the_pdf_lists_every_opd_with_its_figures_and_totals(cast, day, plain_pdf, browse):
    cast.agency.letterhead_title = "Pemerintah Kota Serang Uji"
    cast.agency.address = "Jl. Jenderal Sudirman No. 5"
    cast.agency.save()
    response = export(browse(cast.bkpsdm.user))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="recap-2020-03-23.pdf"'
    assert response.content.startswith(b"%PDF")
    text = shown(response.content)
    assert "PEMERINTAH KOTA SERANG UJI" in text
    assert "Jl. Jenderal Sudirman No. 5" in text
    assert "OPD daily recap" in text
    assert "Monday, 23 March 2020" in text
    for name in ("Dinas Kependudukan dan Pencatatan Sipil", "Sekretariat Daerah", "BKPSDM"):
        assert any(line.startswith(name) for line in text.splitlines()), name
    assert "Not sent yet" in text  # the OPDs that did not send theirs
    assert re.search(r"Generated on \d+ \w+ \d{4} \d\d:\d\d WIB", text)
    # Disdukcapil's row: name, staff 4, the six modes (WFO 1, WFH 1), not in the roster,
    # present 1, late 1 ...
    lines = text.splitlines()
    row = lines[lines.index("Dinas Kependudukan dan Pencatatan Sipil") + 1 :][:7]
    assert row == ["4", "1", "1", "0", "0", "0", "0"]


def test_the_pdf_speaks_the_active_language(cast, day, plain_pdf, browse):
    client = browse(cast.bkpsdm.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    response = export(client)
    assert response.status_code == 200
    text = shown(response.content)
    assert "Senin, 23 Maret 2020" in text


def test_the_pdf_is_bkpsdm_s(cast, day):
    query = {"agency": cast.agency.pk}
    assert export(client_for(cast.pegawai.user)).status_code == 403
    assert export(client_for(cast.admin_opd.user)).status_code == 403
    assert export(client_for(cast.outsider_bkpsdm.user), **query).status_code == 404
    response = export(client_for(cast.operator), **query)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    # A bad date falls back to today rather than failing.
    assert export(client_for(cast.bkpsdm.user), date="23-03-2020").status_code == 200


def test_the_inbox_links_the_pdf_next_to_the_xlsx(cast, day, browse):
    response = browse(cast.bkpsdm.user).get(reverse("recap_inbox"), {"date": "2020-03-23"})
    body = response.content.decode()
    assert reverse("recap_export") in body and reverse("recap_export_pdf") in body


def test_the_builder_takes_plain_rows_and_is_reproducible():
    rows = [["Dinas (Satu)", 3, 2, None, "08:15"], ["Dinas Dua", 5, 1, 4, "Not sent yet"]]
    document = RecapDocument(
        letterhead=Letterhead(title="PEMERINTAH KOTA UJI", lines=["Jl. Uji 1"]),
        title="OPD daily recap",
        subtitle="Monday, 23 March 2020",
        columns=["OPD", "Staff", "Present", "Late", "Sent at"],
        rows=rows,
        totals=totals_row("Total", rows),
        footer="Generated on 23 March 2020 15:05 WIB",
        page_label="Page %(page)s",
    )
    assert document.totals == ["Total", 8, 3, 4, ""]
    first = build_recap_pdf(document, compress=False, invariant=True)
    assert first == build_recap_pdf(document, compress=False, invariant=True)
    text = shown(first)
    assert "Dinas (Satu)" in text and "Page 1" in text
    assert "\u2014" not in text  # the em dash is written in the font's encoding
    assert "8" in text.splitlines()
    compressed = build_recap_pdf(document, compress=True, invariant=True)
    assert compressed.startswith(b"%PDF") and b"Dinas Dua" not in compressed
