"""The day's OPD recap as an A4 landscape PDF (ReportLab platypus), built from plain data.

Nothing here reads the database or the clock: the view passes the letterhead, the translated
labels, the rows (first cell the OPD's name, then numbers or text) and the totals row.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

Cell = str | int | None

MARGIN = 12 * mm
NAME_WIDTH = 58 * mm
LAST_WIDTH = 26 * mm  # the "sent at" column
EMPTY = "\u2014"  # an em dash where a figure is missing


@dataclass
class Letterhead:
    title: str  # the agency's letterhead title, or its name
    lines: list[str] = field(default_factory=list)  # subtitle, address, contacts (if any)


@dataclass
class RecapDocument:
    letterhead: Letterhead
    title: str
    subtitle: str  # the date, formatted for the reader
    columns: list[str]
    rows: list[list[Cell]]
    totals: list[Cell]
    footer: str  # e.g. "Generated on … WIB"
    page_label: str = "%(page)s"  # "Page %(page)s", translated by the caller
    empty_text: str = ""  # shown instead of the table when there is no row


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()["Normal"]
    return {
        "head": ParagraphStyle(
            "head", base, fontName="Helvetica-Bold", fontSize=14, leading=17, alignment=TA_CENTER
        ),
        "headline": ParagraphStyle("headline", base, fontSize=9, leading=11, alignment=TA_CENTER),
        "title": ParagraphStyle(
            "title",
            base,
            fontName="Helvetica-Bold",
            fontSize=12,
            leading=15,
            alignment=TA_CENTER,
            spaceBefore=6,
        ),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=10, leading=12, alignment=TA_CENTER),
        "th": ParagraphStyle(
            "th", base, fontName="Helvetica-Bold", fontSize=7, leading=8.5, alignment=TA_CENTER
        ),
        "cell": ParagraphStyle("cell", base, fontSize=7.5, leading=9),
        "total": ParagraphStyle("total", base, fontName="Helvetica-Bold", fontSize=7.5, leading=9),
    }


def _text(value: Cell) -> str:
    return EMPTY if value is None or value == "" else str(value)


def _table(doc: RecapDocument, styles: dict[str, ParagraphStyle], width: float) -> Table:
    n = len(doc.columns)
    middle = (width - NAME_WIDTH - LAST_WIDTH) / max(n - 2, 1)
    widths = [NAME_WIDTH, *[middle] * (n - 2), LAST_WIDTH]
    data: list[list] = [[Paragraph(escape(c), styles["th"]) for c in doc.columns]]
    for row in doc.rows:
        data.append([Paragraph(escape(_text(row[0])), styles["cell"]), *map(_text, row[1:])])
    data.append(
        [Paragraph(escape(_text(doc.totals[0])), styles["total"]), *map(_text, doc.totals[1:])]
    )
    table = Table(data, colWidths=widths, repeatRows=1)
    last = len(data) - 1
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONT", (1, 1), (-1, -1), "Helvetica", 7.5),
        ("ALIGN", (1, 1), (-2, -1), "RIGHT"),
        ("ALIGN", (-1, 1), (-1, -1), "CENTER"),
        ("FONT", (1, last), (-1, last), "Helvetica-Bold", 7.5),
        ("LINEABOVE", (0, last), (-1, last), 1, colors.black),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for i in range(2, last, 2):  # zebra rows, for reading across 16 columns
        style.append(("BACKGROUND", (0, i), (-1, i), colors.HexColor("#f8f9fa")))
    table.setStyle(TableStyle(style))
    return table


def build_recap_pdf(
    doc: RecapDocument, *, compress: bool | None = None, invariant: bool | None = None
) -> bytes:
    """The PDF's bytes. `compress`/`invariant` default to ReportLab's settings (tests turn
    compression off and invariance on to read the text and compare outputs)."""
    styles = _styles()
    out = io.BytesIO()
    pdf = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm,
        title=f"{doc.title} \u2014 {doc.subtitle}",
        author=doc.letterhead.title,
        pageCompression=None if compress is None else int(compress),
        invariant=None if invariant is None else int(invariant),
    )

    def footer(canvas, template):
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.setFillColor(colors.grey)
        y = MARGIN
        canvas.drawString(MARGIN, y, doc.footer)
        label = doc.page_label % {"page": template.page}
        canvas.drawRightString(template.pagesize[0] - MARGIN, y, label)
        canvas.restoreState()

    story: list = [Paragraph(escape(doc.letterhead.title), styles["head"])]
    story += [Paragraph(escape(line), styles["headline"]) for line in doc.letterhead.lines if line]
    story.append(_Rule(pdf.width))
    story.append(Paragraph(escape(doc.title), styles["title"]))
    story.append(Paragraph(escape(doc.subtitle), styles["subtitle"]))
    story.append(Spacer(1, 5 * mm))
    if doc.rows:
        story.append(_table(doc, styles, pdf.width))
    else:
        story.append(Paragraph(escape(doc.empty_text), styles["subtitle"]))
    pdf.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


class _Rule(Table):
    """The letterhead's double rule under the address."""

    def __init__(self, width: float):
        super().__init__([[""]], colWidths=[width], rowHeights=[3])
        self.setStyle(
            TableStyle(
                [
                    ("LINEABOVE", (0, 0), (-1, 0), 1.5, colors.black),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ]
            )
        )


def totals_row(label: str, rows: Sequence[Sequence[Cell]], last: Cell = "") -> list[Cell]:
    """The sums of the numeric columns (missing figures count as none), `last` in the last."""
    width = len(rows[0]) if rows else 0
    sums: list[Cell] = [label]
    for i in range(1, width - 1):
        sums.append(sum(v for r in rows if isinstance(v := r[i], int)))
    if width > 1:
        sums.append(last)
    return sums
