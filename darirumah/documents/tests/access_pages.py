"""Who may open each documents page (the format is darirumah/core/tests/matrix.py).

Pages that change something build a fresh object for every role (path and body builders run
per role), so one role's signature, cancellation or revocation does not change what the next
role meets. The operator belongs to no agency: pages about "my agency" are 404 for them.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from darirumah.core.tests.matrix import EVERYONE, INSIDERS, Case

from .docs_fixtures import active_circular, pkcs12_file, upload

WITH_AGENCY = EVERYONE - {"operator"}
# Generate letters: circulars (BKPSDM, pimpinan), units' letters (OPD admins and heads),
# discipline decisions (supervisors); BKPSDM of the other agency in their own agency.
PREPARERS = frozenset(
    {"atasan", "kepala_opd", "admin_opd", "bkpsdm", "pimpinan", "outsider_bkpsdm"}
)
UPLOADERS = frozenset({"kepala_opd", "admin_opd", "bkpsdm", "outsider_bkpsdm"})
# A Disdukcapil document: the register (BKPSDM, pimpinan, operator) and the OPD's admin and head.
SEES_UNIT_DOCUMENT = frozenset({"kepala_opd", "admin_opd", "bkpsdm", "pimpinan", "operator"})


def _unit_document(cast) -> dict:
    """An upload for Disdukcapil, signed by its head then BKPSDM."""
    return {"pk": upload(cast, cast.kepala, cast.bkpsdm, unit=cast.disdukcapil).pk}


def _circular(cast):
    """One circular in force for Disdukcapil, kept on the cast: after the first role has made
    the letters, the next ones make none (and stay fast)."""
    if getattr(cast, "documents_circular", None) is None:
        cast.documents_circular = active_circular(cast, cast.disdukcapil)
    return cast.documents_circular


def _pegawai_certificate(cast) -> dict:
    from darirumah.documents.services.certificates import certificate_issue
    from darirumah.org.access import access_for

    cert = certificate_issue(
        access=access_for(cast.pegawai.user), user=cast.pegawai.user, agency=cast.agency
    )
    return {"pk": cert.pk}


def _both_cas(cast) -> dict:
    from darirumah.documents.services.certificates import agency_ca_ensure

    agency_ca_ensure(cast.agency)
    agency_ca_ensure(cast.other_agency)
    return {}


def _p12(cast, role) -> dict:
    # A file of its own for every role: a certificate is registered once in the installation.
    return {
        "passphrase": "rahasia",
        "file": SimpleUploadedFile(
            "saya.p12", pkcs12_file(name=f"Uji {role}"), "application/x-pkcs12"
        ),
    }


PAGES = {
    "documents-list": Case(EVERYONE),
    "documents-new": Case(PREPARERS),
    "documents-upload": Case(UPLOADERS),
    "documents-signer-lookup": Case(PREPARERS, query=lambda c: {"q": "Pegawai"}),
    "documents-detail": Case(SEES_UNIT_DOCUMENT, path=_unit_document),
    "documents-file": Case(SEES_UNIT_DOCUMENT, path=_unit_document),
    "documents-sign": Case(
        frozenset({"kepala_opd"}),
        path=lambda c: {"pk": upload(c, c.kepala, unit=c.disdukcapil).pk},
        method="POST",
        ok=(302,),
    ),
    "documents-cancel": Case(
        frozenset({"bkpsdm", "operator"}),
        path=_unit_document,
        method="POST",
        body=lambda c, role: {"reason": "Salah unggah"},
        ok=(302,),
    ),
    "documents-inbox": Case(EVERYONE),
    "documents-verify": Case(EVERYONE, public=True),
    "documents-verify-code": Case(
        EVERYONE, path=lambda c: {"code": upload(c, c.bkpsdm).code}, public=True
    ),
    "documents-statements-index": Case(EVERYONE),
    "documents-statements": Case(INSIDERS, path=lambda c: {"circular_id": _circular(c).pk}),
    "documents-statements-generate": Case(
        frozenset({"bkpsdm", "pimpinan", "operator"}),
        path=lambda c: {"circular_id": _circular(c).pk},
        method="POST",
        ok=(302,),
    ),
    "documents-certificates": Case(EVERYONE),
    "documents-certificate-issue": Case(WITH_AGENCY, method="POST", ok=(302,)),
    "documents-certificate-import": Case(WITH_AGENCY, method="POST", body=_p12, ok=(302,)),
    # No remote signing service is configured in the tests: the form answers with the message.
    "documents-certificate-remote": Case(
        WITH_AGENCY,
        method="POST",
        body=lambda c, role: {"user_ref": "3201010101010001"},
        ok=(400,),
    ),
    "documents-certificate-revoke": Case(
        frozenset({"pegawai", "bkpsdm"}),
        path=_pegawai_certificate,
        method="POST",
        body=lambda c, role: {"reason": "Ponsel hilang"},
        ok=(302,),
    ),
    "documents-ca-pem": Case(WITH_AGENCY, path=_both_cas),
    "documents-formats": Case(WITH_AGENCY),
}
