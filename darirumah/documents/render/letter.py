"""An official letter (surat dinas, surat edaran, keputusan, surat pernyataan) as an A4 portrait
PDF, built from plain data with ReportLab platypus: no ORM, no clock.

The letter ends with one reserved space per signer under their caption ("Kepala BKPSDM,"):
the place where the electronic-signature stamp (QR, name, position, time) is drawn when the
document is signed. `render_letter` returns where those spaces landed, read from the canvas
while they were drawn, so the signing step never guesses a position.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

LEFT_MARGIN = 25 * mm  # binding side, as official letters leave it
RIGHT_MARGIN = 20 * mm
TOP_MARGIN = 15 * mm
BOTTOM_MARGIN = 22 * mm  # room for the footer line under the frame
FOOTER_Y = 10 * mm
# The stamp pyHanko draws: QR code, name, position and time, about 80 x 32 mm.
STAMP_WIDTH = 80 * mm
STAMP_HEIGHT = 32 * mm
EMPTY = "\u2014"  # an em dash in an empty grid cell
# Grids wider than this many columns get a smaller font so that a recap fits portrait A4.
NARROW_GRID = 7
_MEASURED_ROWS = 200  # rows measured to size a grid's columns (more change nothing visible)


# --- the letter as data ------------------------------------------------------------------------


@dataclass
class Letterhead:
    """The kop surat: the agency's title in bold, a subtitle, then address and contacts."""

    title: str
    subtitle: str = ""
    lines: list[str] = field(default_factory=list)


@dataclass
class Para:
    text: str  # line breaks ("\n") are kept


@dataclass
class Heading:
    text: str
    align: str = "left"  # "left" or "center" (e.g. "MEMUTUSKAN:")


@dataclass
class Fields:
    """Label : value lines, e.g. Nama / NIP / Jabatan, or Menimbang / Mengingat."""

    rows: list[tuple[str, str]]


@dataclass
class Items:
    items: list[str]
    numbered: bool = True


@dataclass
class Grid:
    """A table with a header row repeated on every page it runs over."""

    columns: list[str]
    rows: list[list[str]]
    totals: list[str] | None = None  # a bold last row, e.g. the sums


Block = Para | Heading | Fields | Items | Grid


@dataclass
class Letter:
    letterhead: Letterhead
    title: str  # "SURAT EDARAN"
    number_line: str  # "Nomor: 800/012/KOTA-BATU/2026"
    about: str  # "TENTANG …" (may be empty)
    blocks: list[Block]
    place_date: str  # "Batu, 23 November 2026"
    signature_captions: list[str]  # one per signer, in signing order
    footer: str
    page_label: str = "%(page)s"  # "Halaman %(page)s", translated by the caller


# --- styles and small flowables ----------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()["Normal"]

    def style(name, **kw):
        return ParagraphStyle(name, base, **kw)

    bold = "Helvetica-Bold"
    return {
        "head": style("head", fontName=bold, fontSize=14, leading=17, alignment=TA_CENTER),
        "subhead": style("subhead", fontName=bold, fontSize=12, leading=15, alignment=TA_CENTER),
        "headline": style("headline", fontSize=9, leading=11, alignment=TA_CENTER),
        "title": style(
            "title", fontName=bold, fontSize=12, leading=15, alignment=TA_CENTER, spaceBefore=8
        ),
        "number": style("number", fontSize=10.5, leading=14, alignment=TA_CENTER),
        "about": style("about", fontName=bold, fontSize=10.5, leading=14, alignment=TA_CENTER),
        "para": style("para", fontSize=10.5, leading=14.5, alignment=TA_JUSTIFY, spaceAfter=5),
        "heading": style(
            "heading", fontName=bold, fontSize=10.5, leading=14, spaceBefore=5, spaceAfter=3
        ),
        "heading_center": style(
            "heading_center",
            fontName=bold,
            fontSize=10.5,
            leading=14,
            alignment=TA_CENTER,
            spaceBefore=5,
            spaceAfter=3,
        ),
        "cell": style("cell", fontSize=10.5, leading=14, alignment=TA_LEFT),
        "caption": style("caption", fontSize=10.5, leading=14),
        "footer": style("footer", fontSize=7, leading=8.5, textColor=colors.grey),
    }


def _markup(text: str) -> str:
    """Plain text as paragraph markup: escaped, line breaks kept."""
    return escape(text).replace("\n", "<br/>")


class _DoubleRule(Flowable):
    """The letterhead's rule: a thick line over a thin one."""

    def __init__(self, width: float):
        super().__init__()
        self.width, self.height = width, 3.5

    def wrap(self, available_width, available_height):
        return self.width, self.height + 4

    def draw(self):
        self.canv.saveState()
        self.canv.setLineWidth(1.8)
        self.canv.line(0, self.height + 2, self.width, self.height + 2)
        self.canv.setLineWidth(0.6)
        self.canv.line(0, 2, self.width, 2)
        self.canv.restoreState()


class _StampSpace(Flowable):
    """Empty space for one signer's stamp that records where it was drawn: the page (0-based)
    and its rectangle in PDF points from the bottom-left, after every transformation the
    tables and frames applied."""

    def __init__(self, index: int, found: dict[int, dict]):
        super().__init__()
        self.index, self.found = index, found
        self.width, self.height = STAMP_WIDTH, STAMP_HEIGHT

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        x1, y1 = self.canv.absolutePosition(0, 0)
        x2, y2 = self.canv.absolutePosition(self.width, self.height)
        self.found[self.index] = {
            "page": self.canv.getPageNumber() - 1,
            "box": [round(min(x1, x2), 2), round(min(y1, y2), 2)]
            + [round(max(x1, x2), 2), round(max(y1, y2), 2)],
        }


# --- blocks ------------------------------------------------------------------------------------


_PLAIN = TableStyle(
    [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
)


def _fields(block: Fields, styles, width: float) -> Table:
    font = styles["cell"]
    labels = [label for label, _value in block.rows]
    label_width = max([stringWidth(t, font.fontName, font.fontSize) for t in labels] or [0])
    label_width = min(label_width + 4, width * 0.3)
    data = [
        [Paragraph(_markup(label), font), ":", Paragraph(_markup(value), font)]
        for label, value in block.rows
    ]
    table = Table(data, colWidths=[label_width, 4 * mm, width - label_width - 4 * mm])
    table.setStyle(_PLAIN)
    table.setStyle(TableStyle([("FONT", (1, 0), (1, -1), font.fontName, font.fontSize)]))
    table.spaceAfter = 5
    return table


def _items(block: Items, styles, width: float) -> Table:
    font = styles["cell"]
    marks = [f"{n}." if block.numbered else "\u2022" for n in range(1, len(block.items) + 1)]
    mark_width = stringWidth(marks[-1] if marks else "", font.fontName, font.fontSize) + 8
    data = [
        [Paragraph(mark, font), Paragraph(_markup(text), styles["para"])]
        for mark, text in zip(marks, block.items, strict=True)
    ]
    table = Table(data, colWidths=[mark_width, width - mark_width])
    table.setStyle(_PLAIN)
    table.spaceAfter = 4
    return table


def _is_figure(text: str) -> bool:
    stripped = text.replace(".", "").replace(",", "").replace("%", "").replace(" ", "")
    return text == EMPTY or stripped.lstrip("-").isdigit()


def _grid_widths(texts: list[list[str]], header: list[str], size: float, width: float):
    """Column widths that fit `width`: each column's natural width (its longest cell), shrunk
    toward its longest word when the sum is too wide, stretched evenly when too narrow."""
    pad = 6
    natural, least = [], []
    for i, title in enumerate(header):
        cells = [row[i] for row in texts[:_MEASURED_ROWS] if i < len(row)]
        words = [w for cell in [title, *cells] for w in cell.split()] or [""]
        longest_word = max(stringWidth(w, "Helvetica-Bold", size) for w in words) + pad
        lines = [line for cell in cells for line in cell.split("\n")]
        longest_cell = max([stringWidth(t, "Helvetica", size) for t in lines] or [0]) + pad
        natural.append(max(longest_cell, longest_word, 8 * mm))
        least.append(max(longest_word, 8 * mm))
    total = sum(natural)
    if total <= width:
        return [n * width / total for n in natural]
    flexible = sum(n - m for n, m in zip(natural, least, strict=True))
    excess = total - width
    if flexible >= excess:
        return [n - (n - m) * excess / flexible for n, m in zip(natural, least, strict=True)]
    return [m * width / sum(least) for m in least]


def _grid(block: Grid, width: float) -> Table:
    size = 7 if len(block.columns) > NARROW_GRID else 8.5
    base = getSampleStyleSheet()["Normal"]
    th = ParagraphStyle(
        "th", base, fontName="Helvetica-Bold", fontSize=size, leading=size + 1.5, alignment=1
    )
    td = ParagraphStyle("td", base, fontSize=size, leading=size + 1.5)
    td_right = ParagraphStyle("td_right", td, alignment=2)
    total_style = ParagraphStyle("total", td, fontName="Helvetica-Bold")
    total_right = ParagraphStyle("total_right", total_style, alignment=2)
    n = len(block.columns)
    pad = [""] * n  # a short row still fills the table (ReportLab wants every row full)
    texts = [[c if c not in ("", None) else EMPTY for c in [*row, *pad][:n]] for row in block.rows]
    if block.totals is not None:
        texts.append([c if c not in ("", None) else "" for c in [*block.totals, *pad][:n]])
    numeric = [
        all(_is_figure(row[i]) for row in texts if i < len(row) and row[i]) and i > 0
        for i in range(n)
    ]
    data: list[list] = [[Paragraph(_markup(c), th) for c in block.columns]]
    for index, row in enumerate(texts):
        is_total = block.totals is not None and index == len(texts) - 1
        plain = total_style if is_total else td
        right = total_right if is_total else td_right
        data.append(
            [Paragraph(_markup(c), right if numeric[i] else plain) for i, c in enumerate(row)]
        )
    table = Table(data, colWidths=_grid_widths(texts, block.columns, size, width), repeatRows=1)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for i in range(2, len(data), 2):  # zebra rows, for reading across many columns
        style.append(("BACKGROUND", (0, i), (-1, i), colors.HexColor("#f8f9fa")))
    if block.totals is not None:
        style.append(("LINEABOVE", (0, -1), (-1, -1), 1, colors.black))
    table.setStyle(TableStyle(style))
    table.spaceBefore, table.spaceAfter = 2, 6
    return table


def _block(block: Block, styles, width: float):
    if isinstance(block, Para):
        return Paragraph(_markup(block.text), styles["para"])
    if isinstance(block, Heading):
        key = "heading_center" if block.align == "center" else "heading"
        return Paragraph(_markup(block.text), styles[key])
    if isinstance(block, Fields):
        return _fields(block, styles, width)
    if isinstance(block, Items):
        return _items(block, styles, width)
    if isinstance(block, Grid):
        return _grid(block, width)
    raise TypeError(f"not a letter block: {block!r}")


# --- the signature block -----------------------------------------------------------------------


def _signatures(letter: Letter, styles, width: float, found: dict[int, dict]) -> Table:
    """Place and date over the right column, then the signers in signing order: two side by
    side (left, right), a single one on the right. Each caption sits over its stamp space."""
    column = width / 2
    cells = [
        [Paragraph(_markup(caption), styles["caption"]), _StampSpace(i, found)]
        for i, caption in enumerate(letter.signature_captions)
    ]
    data: list[list] = [["", Paragraph(_markup(letter.place_date), styles["caption"])]]
    for start in range(0, len(cells), 2):
        pair = cells[start : start + 2]
        data.append(pair if len(pair) == 2 else ["", pair[0]])
    table = Table(data, colWidths=[column, column])
    table.setStyle(_PLAIN)
    table.setStyle(TableStyle([("BOTTOMPADDING", (0, 1), (-1, -1), 6)]))
    return table


# --- the document ------------------------------------------------------------------------------


def _date_formatter(created: datetime):
    """The PDF's creation date from the caller's clock instead of ReportLab's."""
    offset = created.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    stamp = f"D:{created:%Y%m%d%H%M%S}{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"
    return lambda *_parts: stamp


def render_letter(
    letter: Letter,
    *,
    created: datetime | None = None,
    compress: bool | None = None,
    invariant: bool | None = None,
) -> tuple[bytes, list[dict]]:
    """The letter's PDF and its stamp boxes, one per signature caption in signing order:
    [{"page": 0-based page, "box": [x1, y1, x2, y2]}] in PDF points (origin bottom-left).

    `created` sets the PDF's creation date; `compress`/`invariant` default to ReportLab's
    settings (tests turn compression off and invariance on to read the text)."""
    styles = _styles()
    out = io.BytesIO()
    pdf = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=LEFT_MARGIN,
        rightMargin=RIGHT_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=" ".join(part for part in (letter.title, letter.number_line) if part),
        author=letter.letterhead.title,
        subject=letter.about,
        creator="DariRumah",
        pageCompression=None if compress is None else int(compress),
        invariant=None if invariant is None else int(invariant),
    )
    footer_width = pdf.width - 30 * mm

    def on_page(canvas, template):
        canvas.saveState()
        if created is not None:
            canvas.setDateFormatter(_date_formatter(created))
        if letter.footer:
            footer = Paragraph(_markup(letter.footer), styles["footer"])
            _w, h = footer.wrap(footer_width, BOTTOM_MARGIN)
            footer.drawOn(canvas, LEFT_MARGIN, FOOTER_Y + 8.5 - h)
        canvas.setFont("Helvetica", 7)
        canvas.setFillColor(colors.grey)
        label = letter.page_label % {"page": template.page}
        canvas.drawRightString(A4[0] - RIGHT_MARGIN, FOOTER_Y, label)
        canvas.restoreState()

    head = letter.letterhead
    story: list = [Paragraph(_markup(head.title), styles["head"])]
    if head.subtitle:
        story.append(Paragraph(_markup(head.subtitle), styles["subhead"]))
    story += [Paragraph(_markup(line), styles["headline"]) for line in head.lines if line]
    story.append(_DoubleRule(pdf.width))
    story.append(Paragraph(_markup(letter.title), styles["title"]))
    if letter.number_line:
        story.append(Paragraph(_markup(letter.number_line), styles["number"]))
    if letter.about:
        story.append(Paragraph(_markup(letter.about), styles["about"]))
    story.append(Spacer(1, 6 * mm))
    body = [_block(block, styles, pdf.width) for block in letter.blocks]
    found: dict[int, dict] = {}
    closing = [Spacer(1, 4 * mm), _signatures(letter, styles, pdf.width, found)]
    # The captions and their spaces never part; a closing paragraph stays with them so the
    # signatures never stand alone at the top of a page.
    if body and isinstance(letter.blocks[-1], Para):
        closing.insert(0, body.pop())
    story += body
    story.append(KeepTogether(closing))
    pdf.build(story, onFirstPage=on_page, onLaterPages=on_page)
    missing = [i for i in range(len(letter.signature_captions)) if i not in found]
    if missing:  # a flowable that was never drawn: the layout lost it
        raise RuntimeError(f"stamp spaces not drawn: {missing}")
    return out.getvalue(), [found[i] for i in range(len(letter.signature_captions))]
