"""Shared pieces of the letter tests: sample letters and readers of the PDFs they make."""

from __future__ import annotations

import io
import re

from pyhanko.pdf_utils.reader import PdfFileReader

from darirumah.documents.render.letter import (
    Fields,
    Grid,
    Items,
    Letter,
    Letterhead,
    Para,
    render_letter,
)

LETTERHEAD = Letterhead(
    title="PEMERINTAH KOTA BATU",
    subtitle="BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA",
    lines=["Jl. Panglima Sudirman 507, Batu", "Telepon (0341) 512345 \u00b7 bkpsdm@batukota.go.id"],
)


def statement(*, captions=("Yang menyatakan,",), rows: int = 0, paras: int = 0) -> Letter:
    """A statement letter like R25's; `rows` adds a grid, `paras` filler paragraphs."""
    blocks = [
        Para("Yang bertanda tangan di bawah ini:"),
        Fields(
            [
                ("Nama", "Sri Wahyuni <Yuni> & Co"),
                ("NIP", "19850330 201001 2 002"),
                ("Jabatan", "Analis Kepegawaian"),
                ("Unit kerja", "Dinas Kependudukan dan Pencatatan Sipil"),
            ]
        ),
        Para(
            "dengan ini menyatakan bahwa selama masa bekerja dari rumah berdasarkan Surat Edaran "
            "Nomor 800/012/KOTA-BATU/2020, terhitung mulai 18 Agustus 2020 sampai dengan 21 "
            "Agustus 2020, saya akan:"
        ),
        Items(
            [
                "tetap berada di rumah kecuali untuk keperluan mendesak;",
                "tidak bepergian ke luar kota tanpa izin atasan;",
                "dapat dihubungi selama jam kerja;",
            ]
        ),
    ]
    blocks += [Para(f"Paragraf pengisi nomor {n} " + "isi surat " * 40) for n in range(paras)]
    if rows:
        blocks.append(
            Grid(
                ["No.", "Nama dan NIP", "Hari kerja", "Predikat"],
                [
                    [str(n), f"Pegawai {n}\n1985033020100120{n % 10}", "20", "Baik"]
                    for n in range(rows)
                ],
                totals=["", "Jumlah", str(20 * rows), ""],
            )
        )
    blocks.append(Para("Demikian surat pernyataan ini saya buat dengan sebenar-benarnya."))
    return Letter(
        letterhead=LETTERHEAD,
        title="SURAT PERNYATAAN",
        number_line="Nomor: 001/SP-WFH/DISDUKCAPIL/VIII/2020",
        about="",
        blocks=blocks,
        place_date="Batu, 17 Agustus 2020",
        signature_captions=list(captions),
        footer="Dokumen ini ditandatangani secara elektronik.",
        page_label="Halaman %(page)s",
    )


def plain(letter: Letter) -> tuple[bytes, list[dict]]:
    """The letter uncompressed and reproducible, so that its text can be read."""
    return render_letter(letter, compress=False, invariant=True)


def pages(pdf: bytes) -> list:
    """The page dictionaries in order, as pyHanko's reader (the one that signs) sees them."""
    reader = PdfFileReader(io.BytesIO(pdf))
    found = []

    def walk(node):
        if node["/Type"] == "/Pages":
            for kid in node["/Kids"]:
                walk(kid.get_object())
        else:
            found.append(node)

    walk(reader.root["/Pages"])
    assert len(found) == int(reader.root["/Pages"]["/Count"])
    return found


def page_count(pdf: bytes) -> int:
    return len(pages(pdf))


def page_stream(pdf: bytes, index: int) -> bytes:
    """The decoded content of one page."""
    contents = pages(pdf)[index]["/Contents"]
    if hasattr(contents, "data"):
        return contents.data
    return b"".join(part.get_object().data for part in contents)


def shown(stream: bytes) -> str:
    """The strings drawn (`(text) Tj`), one per line."""
    found = re.findall(rb"\(((?:[^()\\]|\\.)*)\) Tj", stream)
    return "\n".join(s.decode("latin-1").replace("\\(", "(").replace("\\)", ")") for s in found)


_TOKEN = re.compile(rb"\((?:[^()\\]|\\.)*\)|[^\s()]+")


def text_positions(stream: bytes) -> list[tuple[str, float, float]]:
    """Each drawn string with the absolute position of its text origin, following the
    `q`/`Q`/`cm` transformations and the `Tm` text matrices ReportLab writes."""
    ctm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    stack, operands, tm, found = [], [], (0.0, 0.0), []
    for token in _TOKEN.findall(stream):
        if token == b"q":
            stack.append(ctm)
        elif token == b"Q":
            ctm = stack.pop()
        elif token == b"cm":
            a, b, c, d, e, f = (float(v) for v in operands[-6:])
            A, B, C, D, E, F = ctm
            ctm = (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
                   e * A + f * C + E, e * B + f * D + F)  # fmt: skip
        elif token == b"Tm":
            tm = (float(operands[-2]), float(operands[-1]))
        elif token == b"Tj":
            text = operands[-1][1:-1].decode("latin-1")
            A, B, C, D, E, F = ctm
            found.append((text, tm[0] * A + tm[1] * C + E, tm[0] * B + tm[1] * D + F))
        if token in (b"q", b"Q", b"cm", b"Tm", b"Tj", b"Tf", b"TL", b"T*", b"BT", b"ET", b"Td"):
            operands = []
        else:
            operands.append(token)
    return found
