"""Public verification (no login): upload any PDF and see whether each signature is valid, who
signed and when, whether the file changed afterwards and whether it is in an agency's register;
and the register's record behind a stamp's QR code (never the file itself).

A signature with a certificate from an agency CA of this installation is shown as "not legally
certified": that CA exists for development and the demo (PP 71/2019 recognises certificates from
a certification authority such as BSrE).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_protect

from darirumah.core.calendar import zone_info
from darirumah.org.forms import BootstrapForm

from .. import crypto
from ..crypto import ca as ca_crypto
from ..models import AgencyCA, Signer, SigningCertificate
from ..selectors import verification

Source = SigningCertificate.Source


class VerifyForm(BootstrapForm):
    file = forms.FileField(
        label=gettext_lazy("The PDF to check"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


def _agency_ca_subjects() -> set[str]:
    """The subjects of this installation's agency CAs, to recognise what they issued."""
    subjects = set()
    for pem in AgencyCA.objects.values_list("certificate_pem", flat=True):
        try:
            subjects.add(ca_crypto.describe(pem).subject)
        except crypto.CryptoError:  # a broken CA row must not break the public page
            continue
    return subjects


def _rows(result: verification.Verification) -> list[dict]:
    """Each signature with its register version and whether an agency CA issued it."""
    match = result.match
    by_version: dict[int, Signer] = {}
    if match is not None:
        for signer in match.document.signers.select_related("certificate", "revision"):
            if signer.revision is not None:
                by_version[signer.revision.number] = signer
    subjects = _agency_ca_subjects()
    rows = []
    for sig, version in zip(result.report.signatures, result.signature_matches, strict=True):
        signer = by_version.get(version) if version is not None else None
        from_agency_ca = getattr(sig, "issuer", "") in subjects or bool(
            signer is not None
            and signer.certificate is not None
            and signer.certificate.source == Source.AGENCY_CA
        )
        rows.append({"sig": sig, "version": version, "agency_ca": from_agency_ca})
    return rows


@csrf_protect
def verify_upload(request):
    form = VerifyForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read(settings.DOCUMENTS_MAX_BYTES + 1)
            if len(data) > settings.DOCUMENTS_MAX_BYTES:
                form.add_error(
                    "file",
                    _("The file is larger than %(mb)s MB.")
                    % {"mb": settings.DOCUMENTS_MAX_BYTES // (1024 * 1024)},
                )
                status = 400
            else:
                result = verification.verify_document(data)
                match = result.match
                context.update(
                    result=result,
                    report=result.report,
                    verdict=result.verdict,
                    rows=_rows(result),
                    match=match,
                    file_name=upload.name,
                    zone=zone_info(match.document.agency.zone) if match else None,
                )
        else:
            status = 400
    return render(request, "documents/verify.html", context, status=status)


def verify_code(request, code: str):
    document = verification.document_by_code(code)
    if document is None:
        raise Http404(_("No document with this verification code."))
    signers = list(document.signers.select_related("certificate").order_by("order"))
    return render(
        request,
        "documents/verify_code.html",
        {
            "document": document,
            "signers": signers,
            "zone": zone_info(document.agency.zone),
            "agency_ca": Source.AGENCY_CA,
        },
    )


urlpatterns = [
    path("verify/", verify_upload, name="documents-verify"),
    path("verify/<str:code>/", verify_code, name="documents-verify-code"),
]
