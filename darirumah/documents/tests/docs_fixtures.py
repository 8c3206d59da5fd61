"""Test data for the documents app: a small real PDF, registered documents, active circulars,
a PKCS#12 file made with cryptography, all through the app's own services."""

from __future__ import annotations

import io
from datetime import timedelta

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from darirumah.org.access import access_for

_PDF: bytes | None = None


def small_pdf(text: str = "Surat kenaikan gaji berkala") -> bytes:
    """A one-page A4 PDF with a line of text (cached for the default text)."""
    global _PDF
    if text == "Surat kenaikan gaji berkala" and _PDF is not None:
        return _PDF
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=1, pageCompression=0)
    page.drawString(72, 760, text)
    page.showPage()
    page.save()
    data = buffer.getvalue()
    if text == "Surat kenaikan gaji berkala":
        _PDF = data
    return data


def upload(cast, *signers, unit=None, by=None, title="Surat kenaikan gaji berkala"):
    """A PDF registered by BKPSDM (or `by`) for the given employees to sign in order."""
    from darirumah.documents.services.registry import document_upload

    by = by or cast.bkpsdm
    return document_upload(
        access=access_for(by.user),
        agency=by.agency,
        title=title,
        data=small_pdf(),
        file_name="kgb.pdf",
        signers=[e.user for e in signers],
        unit=unit,
    )


def sign(document, employee, **kwargs):
    from darirumah.documents.services.signing import document_sign

    return document_sign(access=access_for(employee.user), document=document, **kwargs)


_SEQ = [0]


def active_circular(cast, *units, starts_in_days: int = 1, agency=None):
    """A circular in force (made directly: the lifecycle is policy's own tests' business)."""
    from darirumah.core.calendar import calendar_for
    from darirumah.policy.models import Circular, RuleSetVersion

    agency = agency or cast.agency
    _SEQ[0] += 1
    today = calendar_for(agency).today()
    circular = Circular.objects.create(
        agency=agency,
        number=f"800/{_SEQ[0]:03d}/SE/2026",
        title="Penyesuaian sistem kerja ASN",
        issuer_name="Wali Kota Uji",
        issuer_position="Wali Kota",
        starts_on=today + timedelta(days=starts_in_days),
        ends_on=today + timedelta(days=starts_in_days + 13),
        status=Circular.Status.ACTIVE,
    )
    circular.units.set(units)
    RuleSetVersion.objects.create(circular=circular, number=1, rules={})
    return circular


def pkcs12_file(name: str = "Pegawai Uji", passphrase: str = "rahasia") -> bytes:
    """A PKCS#12 as a certification authority would hand it out: key, certificate and its CA."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509 import load_pem_x509_certificate

    from darirumah.core import calendar as calendar_service
    from darirumah.documents.crypto import ca

    now = calendar_service.utcnow()
    authority = ca.create_ca(agency_name="CA Uji Tersertifikasi", now=now)
    issued = ca.issue_certificate(
        ca_certificate_pem=authority.certificate_pem,
        ca_key_pem=authority.key_pem,
        name=name,
        nip="198001012005011001",
        position="Analis",
        organisation="Instansi Uji",
        now=now,
    )
    key = serialization.load_pem_private_key(issued.key_pem, password=None)
    return pkcs12.serialize_key_and_certificates(
        name=name.encode(),
        key=key,
        cert=load_pem_x509_certificate(issued.certificate_pem.encode()),
        cas=[load_pem_x509_certificate(authority.certificate_pem.encode())],
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase.encode()),
    )
