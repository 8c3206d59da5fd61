"""Shared material for the crypto tests: a one-page letter, a development CA with its signers,
and a real RFC 3161 time-stamping authority over HTTP (pyHanko's DummyTimeStamper answering on
a local http.server), so the tests exercise the same code paths as production."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO

from asn1crypto import tsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from darirumah.core import calendar as calendar_service
from darirumah.documents import crypto
from darirumah.documents.crypto.ca import Issued

LETTER_TEXT = "Surat Edaran tentang Kerja dari Rumah"


def letter_pdf(pages: int = 1) -> bytes:
    """A small letter. Uncompressed, so a test can find and change a word of its text."""
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=0)
    for number in range(pages):
        pdf.setFont("Helvetica", 12)
        pdf.drawString(72, 760, LETTER_TEXT)
        pdf.drawString(72, 740, f"Halaman {number + 1}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@dataclass(frozen=True)
class Agency:
    ca: Issued
    head: Issued  # the head of the unit, signs first
    bkpsdm: Issued  # BKPSDM, signs second


def agency(name: str = "Pemerintah Kabupaten Contoh") -> Agency:
    now = calendar_service.utcnow()
    ca = crypto.create_ca(agency_name=name, now=now)

    def person(person_name, nip, position):
        return crypto.issue_certificate(
            ca_certificate_pem=ca.certificate_pem,
            ca_key_pem=ca.key_pem,
            name=person_name,
            nip=nip,
            position=position,
            organisation=name,
            email="kepala@contoh.go.id",
            now=now,
        )

    return Agency(
        ca=ca,
        head=person("Budi Santoso", "198001012005011001", "Kepala Dinas"),
        bkpsdm=person("Siti Rahayu", "198502022010012002", "Kepala BKPSDM"),
    )


def stamp(name: str = "Budi Santoso") -> crypto.Stamp:
    return crypto.Stamp(
        name=name,
        position="Kepala Dinas",
        signed_at="23-11-2026 07:25 WIB",
        url="https://darirumah.example/v/abc123",
        heading="Ditandatangani secara elektronik oleh",
        note="Sertifikat CA instansi — tidak tersertifikasi",
    )


def sign_with(data: bytes, issued: Issued, ca: Issued, *, field: str, index: int, **kwargs):
    place = crypto.default_box(data=data, index=index)
    return crypto.sign_pdf(
        data,
        signer=crypto.signer_from_key(
            certificate_pem=issued.certificate_pem,
            key_pem=issued.key_pem,
            chain_pem=ca.certificate_pem,
        ),
        field_name=field,
        stamp=stamp(),
        page=place["page"],
        box=place["box"],
        reason="Persetujuan",
        location="Kota Contoh",
        **kwargs,
    )


def append_page_content(data: bytes) -> bytes:
    """An incremental update that draws on the page after signing: what a forger would do."""
    writer = IncrementalPdfFileWriter(BytesIO(data))
    stream = generic.StreamObject(stream_data=b"q 1 0 0 rg 72 600 200 50 re f Q")
    writer.add_stream_to_page(0, writer.add_object(stream))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def tsa_material(ca: Issued, *, years: int = 5) -> tuple[str, bytes]:
    """A TSA certificate issued by the CA. RSA, because DummyTimeStamper signs with RSA only."""
    now = calendar_service.utcnow()
    ca_cert = x509.load_pem_x509_certificate(ca.certificate_pem.encode())
    ca_key = serialization.load_pem_private_key(ca.key_pem, password=None)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "TSA uji")]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=365 * years))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode(), key_pem


class _TSAHandler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server's naming
        request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
        if self.server.garbage:
            body = b"\x30\x03bukan jawaban RFC 3161"
        else:
            body = self.server.stamper.request_tsa_response(request).dump()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class LocalTSA:
    """An RFC 3161 authority on 127.0.0.1, in a thread; use as a context manager."""

    def __init__(self, cert_pem: str, key_pem: bytes, *, garbage: bool = False):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _TSAHandler)
        self.server.garbage = garbage  # answer with bytes that are no timestamp response
        self.server.stamper = DummyTimeStamper(
            tsa_cert=next(load_certs_from_pemder_data(cert_pem.encode())),
            tsa_key=load_private_key_from_pemder_data(key_pem, passphrase=None),
        )
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def closed_port_url() -> str:
    """A local URL nobody listens on: connection refused at once, no waiting for a timeout."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"
