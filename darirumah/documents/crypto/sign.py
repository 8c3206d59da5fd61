"""PAdES signatures with pyHanko: each signature is an incremental update that adds a visible
signature field with a QR stamp, so earlier signatures (the head's, then BKPSDM's) stay valid.
"""

from __future__ import annotations

import logging
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO

from cryptography.hazmat.primitives import serialization
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError, PdfWriteError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.rw_common import find_inherited_value_in_tree
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter, enumerate_sig_fields
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner, SimpleSigner
from pyhanko.sign.signers.pdf_cms import Signer
from pyhanko.sign.timestamps import HTTPTimeStamper, TimestampRequestError
from pyhanko.sign.validation.pdf_embedded import read_certification_data
from pyhanko.stamp import QRStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

from . import CryptoError
from . import pkcs12 as pkcs12_files
from .ca import load_certificate
from .remote import RemoteSigner, RemoteSigningAdapter

logger = logging.getLogger(__name__)

MM = 72 / 25.4  # PDF points per millimetre
STAMP_WIDTH = 80 * MM
STAMP_HEIGHT = 32 * MM
STAMP_BOTTOM = 15 * MM  # from the bottom edge of the page
STAMP_MARGIN = 15 * MM  # from the side edges
STAMP_GAP = 5 * MM  # between two stamps
TSA_TIMEOUT = 10  # seconds; a time-stamping authority that takes longer is treated as down


@dataclass
class Stamp:
    """What the visible stamp says; `url` goes into the QR code."""

    name: str
    position: str
    signed_at: str  # already formatted in the agency's zone, e.g. "23-11-2026 07:25 WIB"
    url: str
    heading: str  # e.g. "Ditandatangani secara elektronik oleh"
    note: str = ""  # e.g. "Sertifikat CA instansi — tidak tersertifikasi"


class _TimeStamper(HTTPTimeStamper):
    """pyHanko's HTTP client, with any broken answer reported as a failed request: an authority
    that answers garbage is as unusable as one that does not answer."""

    async def async_timestamp(self, message_digest, md_algorithm):
        try:
            return await super().async_timestamp(message_digest, md_algorithm)
        except TimestampRequestError:
            raise
        except Exception as exc:
            raise TimestampRequestError("malformed time-stamping response") from exc


def _bad_pdf(message=None) -> CryptoError:
    return CryptoError(
        message or _("The file is not a readable PDF. Export it again as PDF and upload it."),
        code="bad_pdf",
    )


# What pyHanko raises on a damaged PDF: its own read errors, and plain Python errors where a
# damaged object has the wrong type or lacks a required key.
_DAMAGED = (PdfError, ValueError, KeyError, TypeError, AttributeError, IndexError)


@contextmanager
def _damaged_is_bad_pdf():
    try:
        yield
    except CryptoError:
        raise
    except _DAMAGED as exc:
        logger.info("unreadable PDF: %r", exc)
        raise _bad_pdf() from None


def _reader(data: bytes) -> PdfFileReader:
    if not isinstance(data, bytes | bytearray) or b"%PDF-" not in bytes(data[:1024]):
        raise _bad_pdf()
    with _damaged_is_bad_pdf():
        reader = PdfFileReader(BytesIO(data))
        reader.root["/Pages"]["/Count"]  # noqa: B018 - a PDF without pages is unreadable
    if reader.encrypted:
        raise _bad_pdf(
            _("The PDF is protected with a password. Remove the protection and upload it again.")
        )
    return reader


def signature_count(data: bytes) -> int:
    """How many signatures the PDF holds (document timestamps not counted)."""
    with _damaged_is_bad_pdf():
        return len(_reader(data).embedded_regular_signatures)


def _page_box(reader: PdfFileReader, page: int) -> tuple[float, float, float, float]:
    page_ref, _resources = reader.find_page_for_modification(page)
    box = find_inherited_value_in_tree(page_ref.get_object(), "/MediaBox", "/Parent")
    if box is None:
        raise _bad_pdf()
    x1, y1, x2, y2 = (float(v) for v in box)
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


def default_box(*, data: bytes, index: int) -> dict:
    """Where the index-th stamp goes on an uploaded PDF that reserves no place: the bottom of
    the last page, 15 mm up, filled right to left, then in rows further up."""
    with _damaged_is_bad_pdf():
        reader = _reader(data)
        last = int(reader.root["/Pages"]["/Count"]) - 1
        left, bottom, right, _top = _page_box(reader, last)
    usable = right - left - 2 * STAMP_MARGIN
    per_row = max(1, int((usable + STAMP_GAP) // (STAMP_WIDTH + STAMP_GAP)))
    row, column = divmod(index, per_row)
    x2 = right - STAMP_MARGIN - column * (STAMP_WIDTH + STAMP_GAP)
    y1 = bottom + STAMP_BOTTOM + row * (STAMP_HEIGHT + STAMP_GAP)
    box = [x2 - STAMP_WIDTH, y1, x2, y1 + STAMP_HEIGHT]
    return {"page": last, "box": [round(v, 2) for v in box]}


def signer_from_key(*, certificate_pem: str, key_pem: bytes, chain_pem: str = "") -> Signer:
    """A signer from a certificate and its unencrypted PEM key (the agency CA's certificates)."""
    cert = load_certificate(certificate_pem)
    try:
        key = serialization.load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError):
        raise CryptoError(
            _("The private key of this certificate cannot be read; issue a new certificate."),
            code="no_key",
        ) from None
    spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(*spki) != cert.public_key().public_bytes(*spki):
        raise CryptoError(
            _("The private key does not belong to this certificate; issue a new certificate."),
            code="no_key",
        )
    chain = list(load_certs_from_pemder_data(chain_pem.encode())) if chain_pem.strip() else []
    return SimpleSigner(
        signing_cert=next(load_certs_from_pemder_data(certificate_pem.encode())),
        signing_key=load_private_key_from_pemder_data(key_pem, passphrase=None),
        cert_registry=SimpleCertificateStore.from_certs(chain),
    )


def signer_from_pkcs12(*, data: bytes, passphrase: str) -> Signer:
    """A signer from an imported PKCS#12 file; CryptoError("wrong_passphrase") and friends."""
    pkcs12_files.load(data, passphrase)  # clear errors first: pyHanko only says "could not load"
    return SimpleSigner.load_pkcs12_data(
        data, other_certs=(), passphrase=passphrase.encode() if passphrase else None
    )


def signer_from_remote(*, adapter: RemoteSigningAdapter, user_ref: str, passphrase: str) -> Signer:
    """A signer whose key stays in a remote signing service."""
    return RemoteSigner(adapter=adapter, user_ref=user_ref, passphrase=passphrase)


def _stamp_text(text: str) -> str:
    """Text pyHanko's built-in Courier can show: it writes WinAnsi bytes, and embedding a
    Unicode font would need fontTools, which is not a dependency. Latin-1 letters (é, ü) pass;
    dashes and quotes become ASCII; other letters lose their accents."""
    text = text.translate(
        {0x2013: "-", 0x2014: "-", 0x2018: "'", 0x2019: "'", 0x201C: '"', 0x201D: '"'}
    ).replace("\u2026", "...")
    out = []
    for char in text:
        if " " <= char <= "~" or "\xa0" <= char <= "\xff":
            out.append(char)
        else:
            base = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            out.append(base or "?")
    return "".join(out).replace("\n", " ").strip()


def _stamp_style(stamp: Stamp) -> tuple[QRStampStyle, dict]:
    lines = ["heading", "name", "position", "signed_at", "note"]
    params = {key: _stamp_text(getattr(stamp, key)) for key in lines}
    template = "\n".join(f"%({key})s" for key in lines if params[key])
    params["url"] = stamp.url
    # Small margins: pyHanko shrinks the whole stamp to fit the box, and its default 10 pt
    # text margins alone would cost a fifth of the text's size in an 80 mm box.
    style = QRStampStyle(
        stamp_text=template,
        border_width=1,
        innsep=2,
        qr_inner_size=64,
        text_box_style=TextBoxStyle(
            font_size=8,
            leading=10,
            box_layout_rule=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MIN,
                y_align=layout.AxisAlignment.ALIGN_MID,
                margins=layout.Margins.uniform(2),
            ),
        ),
    )
    return style, params


def _check_box(reader: PdfFileReader, page: int, box: list[float]) -> tuple[float, ...]:
    pages = int(reader.root["/Pages"]["/Count"])
    if not 0 <= page < pages:
        raise CryptoError(
            ngettext(
                "The PDF has %(count)d page; the signature cannot go on page %(page)d.",
                "The PDF has %(count)d pages; the signature cannot go on page %(page)d.",
                pages,
            )
            % {"count": pages, "page": page + 1},
            code="bad_box",
        )
    try:
        x1, y1, x2, y2 = (float(v) for v in box)
    except (TypeError, ValueError):
        raise CryptoError(
            _("The place of the signature is not four numbers."), code="bad_box"
        ) from None
    if x2 <= x1 or y2 <= y1:
        raise CryptoError(_("The place of the signature has no size."), code="bad_box")
    return x1, y1, x2, y2


def _check_certification(reader: PdfFileReader, *, field_name: str, certify: bool) -> None:
    if certify and reader.embedded_signatures:
        raise CryptoError(
            _("Only the first signature can certify a document; this one is already signed."),
            code="certify_first",
        )
    empty = {name for name, *_rest in enumerate_sig_fields(reader, filled_status=False)}
    if read_certification_data(reader) is not None and field_name not in empty:
        raise CryptoError(
            _(
                "This document was certified by its first signature and takes no further "
                "signatures. Create the document again to have it signed by more people."
            ),
            code="certified",
        )


def _reserve(signer: Signer, tsa_url: str) -> int:
    """Room for the CMS signature, in hex digits: the certificates it embeds, the signature and
    its attributes, and a timestamp token. pyHanko would otherwise sign once with a dummy key to
    measure it, which is half the cost of a signature."""
    certs = [signer.signing_cert, *list(signer.cert_registry or ())]
    size = sum(len(cert.dump()) for cert in certs if cert is not None)
    return 2 * (size + 4096 + (16384 if tsa_url else 0))


def sign_pdf(
    data: bytes,
    *,
    signer: Signer,
    field_name: str,
    stamp: Stamp,
    page: int,
    box: list[float],
    reason: str,
    location: str,
    tsa_url: str = "",
    certify: bool = False,
) -> bytes:
    """The PDF with one more PAdES signature (SHA-256) in a new visible field at page/box.

    With `tsa_url`, the signature carries an RFC 3161 timestamp; if the authority cannot be
    reached nothing is returned but CryptoError("tsa_failed"). The input is never modified.

    `certify` makes it a certification signature (later form filling allowed). Only the first
    signature can certify, and after it no new signature field may be added (ISO 32000: that
    counts as a modification), so certify only a document with a single signer."""
    with _damaged_is_bad_pdf():
        reader = _reader(data)
        rect = _check_box(reader, page, box)
        _check_certification(reader, field_name=field_name, certify=certify)
        used = {s.field_name for s in reader.embedded_signatures}
        writer = IncrementalPdfFileWriter(BytesIO(data))
    if field_name in used:
        raise CryptoError(
            _("The document already holds a signature named %(field)s.") % {"field": field_name},
            code="field_used",
        )
    style, params = _stamp_style(stamp)
    pdf_signer = PdfSigner(
        PdfSignatureMetadata(
            field_name=field_name,
            md_algorithm="sha256",
            subfilter=SigSeedSubFilter.PADES,
            reason=reason or None,
            location=location or None,
            certify=certify,
        ),
        signer=signer,
        timestamper=_TimeStamper(tsa_url, timeout=TSA_TIMEOUT) if tsa_url else None,
        stamp_style=style,
        new_field_spec=SigFieldSpec(sig_field_name=field_name, on_page=page, box=rect),
    )
    try:
        out = pdf_signer.sign_pdf(
            writer, appearance_text_params=params, bytes_reserved=_reserve(signer, tsa_url)
        )
    except TimestampRequestError as exc:
        logger.warning("time-stamping authority %s failed", tsa_url, exc_info=exc)
        raise CryptoError(
            _(
                "The time-stamping authority gave no timestamp, so the document was not "
                "signed. Try again in a few minutes or ask the administrator to check "
                "DOCUMENTS_TSA_URL."
            ),
            code="tsa_failed",
        ) from None
    except (SigningError, PdfWriteError) as exc:
        logger.warning("signing failed", exc_info=exc)
        raise CryptoError(
            _("The document cannot be signed: %(reason)s") % {"reason": exc}, code="sign_failed"
        ) from None
    except CryptoError:
        raise
    except _DAMAGED as exc:  # objects first read while signing (pages, fields) are damaged
        logger.info("unreadable PDF while signing: %r", exc)
        raise _bad_pdf() from None
    return out.getvalue()
