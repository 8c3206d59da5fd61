"""The letter PDF (documents.render.letter): what it says, how many pages, and where the stamp
spaces under the signature captions land. No database."""

from datetime import datetime, timedelta, timezone

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from darirumah.documents.render.letter import (
    BOTTOM_MARGIN,
    LEFT_MARGIN,
    RIGHT_MARGIN,
    TOP_MARGIN,
    Fields,
    Grid,
    Heading,
    Letter,
    Para,
    render_letter,
)

from .letters_fixtures import page_count, page_stream, plain, shown, statement, text_positions

WIDTH, HEIGHT = A4


def _inside_frame(box):
    x1, y1, x2, y2 = box
    return (
        LEFT_MARGIN - 0.01 <= x1 < x2 <= WIDTH - RIGHT_MARGIN + 0.01
        and BOTTOM_MARGIN - 0.01 <= y1 < y2 <= HEIGHT - TOP_MARGIN + 0.01
    )


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _caption_over_its_box(pdf, box, caption):
    """The caption is drawn on the box's page, starting at its left edge, just above it."""
    positions = text_positions(page_stream(pdf, box["page"]))
    [(x, y)] = [(x, y) for text, x, y in positions if text == caption]
    x1, _y1, _x2, y2 = box["box"]
    assert x == pytest.approx(x1, abs=0.5)
    assert y2 < y < y2 + 10 * mm


def test_a_statement_letter_is_one_page_with_one_box_under_its_caption():
    pdf, boxes = plain(statement())
    assert pdf.startswith(b"%PDF") and page_count(pdf) == 1
    [box] = boxes
    assert box["page"] == 0 and _inside_frame(box["box"])
    x1, y1, x2, y2 = box["box"]
    assert x2 - x1 == pytest.approx(80 * mm, abs=0.1)
    assert y2 - y1 == pytest.approx(32 * mm, abs=0.1)
    assert x1 > WIDTH / 2 - 1  # one signer signs on the right
    _caption_over_its_box(pdf, box, "Yang menyatakan,")
    # The place and date stand over the caption, in the same column.
    [(x, y)] = [(x, y) for t, x, y in text_positions(page_stream(pdf, 0)) if t.startswith("Batu,")]
    assert x == pytest.approx(x1, abs=0.5) and y > y2


def test_the_letter_says_what_it_was_given_escaped_and_in_order():
    pdf, _boxes = plain(statement())
    text = shown(page_stream(pdf, 0))
    lines = text.splitlines()
    order = [
        "PEMERINTAH KOTA BATU",
        "BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA",
        "Jl. Panglima Sudirman 507, Batu",
        "SURAT PERNYATAAN",
        "Nomor: 001/SP-WFH/DISDUKCAPIL/VIII/2020",
        "Nama",
        "Batu, 17 Agustus 2020",
        "Yang menyatakan,",
    ]
    assert [lines.index(line) for line in order] == sorted(lines.index(line) for line in order)
    assert "Halaman 1" in lines
    # Markup characters arrive as text (ReportLab draws them as separate pieces).
    assert "Sri Wahyuni <Yuni> & Co" in text.replace("\n", "")
    assert "Dokumen ini ditandatangani secara elektronik." in lines
    assert "3." in lines  # numbered items


def test_the_pdf_opens_in_pyhanko_and_is_reproducible():
    pdf, boxes = render_letter(statement(), invariant=True)
    assert page_count(pdf) == 1
    assert render_letter(statement(), invariant=True) == (pdf, boxes)


def test_the_creation_date_is_the_callers():
    created = datetime(2020, 8, 17, 9, 30, tzinfo=timezone(timedelta(hours=7)))
    pdf, _boxes = render_letter(statement(), created=created, compress=False)
    assert b"D:20200817093000+07'00'" in pdf


def test_two_signers_sign_side_by_side_without_overlap():
    captions = ["Mengetahui, Kepala Dinas,", "Yang menyatakan,"]
    pdf, boxes = plain(statement(captions=captions))
    left, right = boxes
    assert left["page"] == right["page"] == 0
    assert not _overlap(left["box"], right["box"])
    assert left["box"][1] == pytest.approx(right["box"][1])  # on one line
    assert left["box"][0] == pytest.approx(LEFT_MARGIN, abs=0.5)
    assert left["box"][2] <= right["box"][0]
    for box, caption in zip(boxes, captions, strict=True):
        assert _inside_frame(box["box"])
        _caption_over_its_box(pdf, box, caption)


def test_three_signers_take_two_lines_the_third_on_the_right():
    pdf, boxes = plain(statement(captions=["Pertama,", "Kedua,", "Ketiga,"]))
    first, second, third = (b["box"] for b in boxes)
    assert third[3] < first[1]  # below the first line
    assert third[0] == pytest.approx(second[0])
    assert len({b["page"] for b in boxes}) == 1


def test_a_long_grid_runs_over_pages_and_the_boxes_still_fit_on_the_last():
    pdf, boxes = plain(statement(rows=120, captions=["Kepala Dinas,", "Kepala BKPSDM,"]))
    pages = page_count(pdf)
    assert pages >= 3
    for box in boxes:
        assert box["page"] == pages - 1
        assert _inside_frame(box["box"])
    assert not _overlap(boxes[0]["box"], boxes[1]["box"])
    # The header row repeats on every page the grid runs over; every row is there once.
    texts = [shown(page_stream(pdf, i)).splitlines() for i in range(pages)]
    assert sum("Nama dan NIP" in t for t in texts) >= pages - 1
    names = [line for t in texts for line in t if line.startswith("Pegawai ")]
    assert names == [f"Pegawai {n}" for n in range(120)]
    assert f"Halaman {pages}" in texts[-1]


def test_the_signatures_never_part_from_their_caption():
    """Fill the first page so the signature block no longer fits under the text: captions and
    spaces move to the next page together, with the closing paragraph."""
    for paras in range(3, 9):
        letter = statement(paras=paras, captions=["Mengetahui,", "Yang menyatakan,"])
        pdf, boxes = plain(letter)
        last = page_count(pdf) - 1
        for box, caption in zip(boxes, letter.signature_captions, strict=True):
            assert box["page"] == last and _inside_frame(box["box"])
            _caption_over_its_box(pdf, box, caption)
        assert "Demikian surat pernyataan" in shown(page_stream(pdf, last))
    assert last == 1  # the last run did need a second page


def test_blocks_of_every_kind_render():
    letter = Letter(
        letterhead=statement().letterhead,
        title="KEPUTUSAN KEPALA BKPSDM",
        number_line="Nomor: 800/001/KEP/KOTA-BATU/2020",
        about="TENTANG PENJATUHAN HUKUMAN DISIPLIN",
        blocks=[
            Fields(
                [("Menimbang", "a. bahwa satu;\nb. bahwa dua;"), ("Mengingat", "1. PP 94/2021")]
            ),
            Heading("MEMUTUSKAN:", align="center"),
            Grid(["OPD", "Pegawai"], [["Dinas A", "3"], ["Dinas B", ""]]),
            Para("Baris satu\nbaris dua"),
        ],
        place_date="Ditetapkan di Batu\npada tanggal 17 Agustus 2020",
        signature_captions=["KEPALA BKPSDM,"],
        footer="",
    )
    pdf, [box] = plain(letter)
    lines = shown(page_stream(pdf, 0)).splitlines()
    for expected in ("TENTANG PENJATUHAN HUKUMAN DISIPLIN", "MEMUTUSKAN:", "b. bahwa dua;",
                     "Baris satu", "baris dua", "pada tanggal 17 Agustus 2020", "1"):  # fmt: skip
        assert expected in lines
    _caption_over_its_box(pdf, box, "KEPALA BKPSDM,")


def test_a_letter_without_signers_has_no_boxes():
    pdf, boxes = plain(statement(captions=()))
    assert boxes == [] and page_count(pdf) == 1
