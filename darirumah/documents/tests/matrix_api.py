"""Who may call each documents endpoint (the format is darirumah/core/tests/matrix.py).

Stateful endpoints build a fresh object for every role (path and body builders run per role),
so one role's signature or cancellation does not change what the next role meets.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from darirumah.core.tests.matrix import EVERYONE, INSIDERS, Case

from .docs_fixtures import active_circular, pkcs12_file, small_pdf, upload

P = "/api/v1"
WITH_AGENCY = EVERYONE - {"operator"}  # the operator belongs to no agency
REGISTER = frozenset({"bkpsdm", "pimpinan", "operator"})


def _unit_document(cast):
    """An upload for Disdukcapil, signed by its head then BKPSDM."""
    return {"document_id": upload(cast, cast.kepala, cast.bkpsdm, unit=cast.disdukcapil).pk}


def _for_kepala(cast):
    return {"document_id": upload(cast, cast.kepala, unit=cast.disdukcapil).pk}


def _pdf(cast, role):
    return {"file": SimpleUploadedFile("surat.pdf", small_pdf(), "application/pdf")}


def _own(cast, role):
    """The caller signs their own letter (anonymous: anybody, refused before it matters)."""
    return cast.users().get(role, cast.bkpsdm.user)


def _upload_body(cast, role):
    return {
        "title": "Surat kenaikan gaji berkala",
        "signers": str(_own(cast, role).pk),
        "file": SimpleUploadedFile("surat.pdf", small_pdf(), "application/pdf"),
    }


def _p12(cast, role):
    return {
        "passphrase": "rahasia",
        "file": SimpleUploadedFile("saya.p12", pkcs12_file(), "application/x-pkcs12"),
    }


def _pegawai_certificate(cast):
    from darirumah.documents.services.certificates import certificate_issue
    from darirumah.org.access import access_for

    cert = certificate_issue(
        access=access_for(cast.pegawai.user), user=cast.pegawai.user, agency=cast.agency
    )
    return {"certificate_id": cert.pk}


def _code(cast):
    return {"code": upload(cast, cast.bkpsdm).code}


API = {
    ("GET", f"{P}/documents"): Case(allowed=EVERYONE),
    ("GET", f"{P}/documents/inbox"): Case(allowed=EVERYONE),
    # The recap of the caller's own agency, signed by the caller: BKPSDM of either agency.
    ("POST", f"{P}/documents"): Case(
        allowed=frozenset({"bkpsdm", "outsider_bkpsdm"}),
        body=lambda cast, role: {
            "kind": "recap",
            "day": "2026-11-20",
            "signers": [_own(cast, role).pk],
        },
    ),
    ("POST", f"{P}/documents/upload"): Case(
        allowed=frozenset({"bkpsdm", "outsider_bkpsdm"}), files=_upload_body
    ),
    ("GET", f"{P}/documents/{{document_id}}"): Case(
        allowed=REGISTER | {"kepala_opd", "admin_opd"}, path=_unit_document
    ),
    ("GET", f"{P}/documents/{{document_id}}/file"): Case(
        allowed=REGISTER | {"kepala_opd", "admin_opd"}, path=_unit_document
    ),
    ("POST", f"{P}/documents/{{document_id}}/sign"): Case(
        allowed=frozenset({"kepala_opd"}), path=_for_kepala, body=lambda cast, role: {}
    ),
    ("POST", f"{P}/documents/{{document_id}}/cancel"): Case(
        allowed=frozenset({"bkpsdm", "operator"}),
        path=_unit_document,
        body=lambda cast, role: {"reason": "Salah lampiran"},
    ),
    ("GET", f"{P}/documents/statements"): Case(
        allowed=INSIDERS, query=lambda cast: {"circular": active_circular(cast, cast.pelayanan).pk}
    ),
    ("POST", f"{P}/documents/statements"): Case(
        allowed=REGISTER,
        body=lambda cast, role: {"circular": active_circular(cast, cast.pelayanan).pk},
    ),
    ("GET", f"{P}/documents/certificates"): Case(allowed=EVERYONE),
    ("POST", f"{P}/documents/certificates"): Case(allowed=WITH_AGENCY, body=lambda cast, role: {}),
    ("POST", f"{P}/documents/certificates/import"): Case(allowed=WITH_AGENCY, files=_p12),
    # No remote signing service is configured in the tests: the roles that pass the access
    # check meet the configuration's refusal (400), the others 403/404.
    ("POST", f"{P}/documents/certificates/remote"): Case(
        allowed=WITH_AGENCY, ok=(400,), body=lambda cast, role: {"user_ref": "3573010101800001"}
    ),
    ("POST", f"{P}/documents/certificates/{{certificate_id}}/revoke"): Case(
        allowed=frozenset({"pegawai", "bkpsdm"}),
        path=_pegawai_certificate,
        body=lambda cast, role: {"reason": "Kunci hilang"},
    ),
    ("GET", f"{P}/documents/formats"): Case(allowed=WITH_AGENCY),
    ("PUT", f"{P}/documents/formats/{{kind}}"): Case(
        allowed=frozenset({"bkpsdm", "outsider_bkpsdm"}),
        path=lambda cast: {"kind": "upload"},
        body=lambda cast, role: {"pattern": "{seq}/{code}/{year}", "code": "800"},
    ),
    ("POST", f"{P}/documents/verify"): Case(allowed=EVERYONE, public=True, files=_pdf),
    ("GET", f"{P}/documents/verify/{{code}}"): Case(allowed=EVERYONE, public=True, path=_code),
}
