"""Signing certificates and number formats: my certificates (request one from the agency CA,
import a PKCS#12 from a certification authority, register at a remote signing service, revoke);
BKPSDM sees and revokes the agency's. The agency CA's certificate as PEM for whoever must trust
it. The agency's letter number formats (BKPSDM edits, everyone reads).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from darirumah.core import calendar as calendar_service
from darirumah.core.calendar import calendar_for, zone_info
from darirumah.core.errors import Conflict, DomainError, NotAllowed, NotFound
from darirumah.org.access import Access
from darirumah.org.forms import BootstrapForm
from darirumah.org.views.common import add_domain_errors, page, visible_or_404

from ..models import AgencyCA, Kind, LetterFormat, SigningCertificate
from ..rules import numbering as numbering_rules
from ..selectors import documents as selectors
from ..services import certificates as services
from ..services import numbering
from . import common

MAX_P12_BYTES = 256 * 1024  # as the API: a PKCS#12 file is a few kilobytes
Source = SigningCertificate.Source


class ImportForm(BootstrapForm):
    file = forms.FileField(
        label=gettext_lazy("PKCS#12 file (.p12 or .pfx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".p12,.pfx,application/x-pkcs12"}),
    )
    passphrase = forms.CharField(
        label=gettext_lazy("Its passphrase"),
        required=False,
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=gettext_lazy("Asked again at every signature; never stored."),
    )


class RemoteForm(BootstrapForm):
    user_ref = forms.CharField(
        label=gettext_lazy("Your identity at the signing service (e.g. NIK)"), max_length=100
    )


class RevokeForm(BootstrapForm):
    reason = forms.CharField(label=gettext_lazy("Why it is revoked"), max_length=300)


def _render(
    request,
    access: Access,
    *,
    import_form=None,
    remote_form=None,
    revoke_form=None,
    revoking=None,
    status=200,
):
    rows = list(
        selectors.certificates_visible(access, agency_id=access.agency_id).select_related(
            "user__employee"
        )
    )
    now = calendar_service.utcnow()
    for cert in rows:
        problem = services.problem_with(cert, now)
        cert.problem_code = problem[0] if problem else ""
    agency = common.agency_or_404(access) if access.agency_id else None
    return render(
        request,
        "documents/certificates.html",
        {
            "certificates": rows,
            "agency": agency,
            "zone": zone_info(agency.zone) if agency else None,
            "whole_agency": access.manages_certificates(access.agency_id)
            and access.agency_id is not None,
            "import_form": import_form or ImportForm(),
            "remote_form": remote_form
            or (RemoteForm() if settings.DOCUMENTS_REMOTE_SIGNER else None),
            "revoke_form": revoke_form,
            "revoking": revoking,
            "agency_ca_on": settings.DOCUMENTS_AGENCY_CA,
            "has_ca": agency is not None and AgencyCA.objects.filter(agency=agency).exists(),
            "agency_ca": Source.AGENCY_CA,
            "me": request.user.pk,
        },
        status=status,
    )


@page
def certificate_list(request, access: Access):
    return _render(request, access)


@require_POST
@page
def certificate_issue(request, access: Access):
    agency = common.agency_or_404(access)
    try:
        cert = services.certificate_issue(access=access, user=request.user, agency=agency)
    except (NotAllowed, NotFound):
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "Certificate %(serial)s issued by the agency CA, valid until %(day)s. It is for "
                "development and the demo: not legally certified."
            )
            % {"serial": cert.serial, "day": common.local_day(cert.not_after, agency.zone)},
        )
    return redirect("documents-certificates")


@require_POST
@page
def certificate_import(request, access: Access):
    agency = common.agency_or_404(access)
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data["file"].read(MAX_P12_BYTES + 1)
        if len(data) > MAX_P12_BYTES:
            data = b"too large"  # the service answers "not a PKCS#12 file"
        try:
            cert = services.certificate_import_pkcs12(
                access=access, agency=agency, data=data, passphrase=form.cleaned_data["passphrase"]
            )
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(
                request,
                _("Certificate %(serial)s of %(subject)s imported.")
                % {"serial": cert.serial, "subject": cert.subject},
            )
            return redirect("documents-certificates")
    return _render(request, access, import_form=form, status=400)


@require_POST
@page
def certificate_remote(request, access: Access):
    agency = common.agency_or_404(access)
    form = RemoteForm(request.POST)
    if form.is_valid():
        try:
            cert = services.certificate_register_remote(
                access=access, agency=agency, user_ref=form.cleaned_data["user_ref"]
            )
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(
                request, _("Certificate %(serial)s registered.") % {"serial": cert.serial}
            )
            return redirect("documents-certificates")
    return _render(request, access, remote_form=form, status=400)


@require_POST
@page
def certificate_revoke(request, access: Access, pk: int):
    cert = visible_or_404(selectors.certificates_visible(access, agency_id=access.agency_id), pk)
    form = RevokeForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.certificate_revoke(
                access=access, certificate=cert, reason=form.cleaned_data["reason"]
            )
        except NotFound:
            raise
        except Conflict as exc:  # already revoked: the list shows it, no form to correct
            messages.error(request, exc.message)
            return redirect("documents-certificates")
        except DomainError as exc:
            add_domain_errors(form, exc)
            status = exc.status
        else:
            messages.success(
                request,
                _("Certificate %(serial)s is revoked: it can no longer sign.")
                % {"serial": cert.serial},
            )
            return redirect("documents-certificates")
    return _render(request, access, revoke_form=form, revoking=cert.pk, status=status)


@page
def ca_pem(request, access: Access):
    """The agency CA's certificate, for whoever must trust signatures made with it."""
    agency = common.agency_or_404(access)
    authority = AgencyCA.objects.filter(agency=agency).first()
    if authority is None:
        raise Http404(_("The agency CA has not issued any certificate yet."))
    response = HttpResponse(authority.certificate_pem, content_type="application/x-pem-file")
    response["Content-Disposition"] = f'attachment; filename="{agency.code}-ca.pem"'
    return response


# --- number formats -------------------------------------------------------------------------


class FormatForm(BootstrapForm):
    pattern = forms.CharField(label=gettext_lazy("Number pattern"), max_length=200)
    code = forms.CharField(
        label=gettext_lazy("Classification code"), required=False, max_length=100
    )


def _format_rows(agency, failed: FormatForm | None) -> list[dict]:
    custom = set(LetterFormat.objects.filter(agency=agency).values_list("kind", flat=True))
    today = calendar_for(agency).today()
    rows = []
    for kind in Kind:
        pattern, code = numbering.format_for(agency, kind)
        try:
            sample = numbering_rules.render_number(
                pattern, seq=1, day=today, code=code, unit_code="DINAS", agency_code=agency.code
            )
        except ValueError:
            sample = ""
        form = FormatForm(initial={"pattern": pattern, "code": code}, prefix=kind.value)
        if failed is not None and failed.prefix == kind.value:
            form = failed
        rows.append(
            {
                "kind": kind,
                "pattern": pattern,
                "code": code,
                "custom": kind.value in custom,
                "sample": sample,
                "form": form,
            }
        )
    return rows


@page
def format_list(request, access: Access):
    agency = common.agency_or_404(access)
    edits = access.manages_agency(agency.pk)
    failed = None
    status = 200
    if request.method == "POST":
        if not edits:
            raise NotAllowed(_("Only BKPSDM sets the number formats."))
        kind = request.POST.get("kind", "")
        if kind not in Kind.values:
            raise Http404(_("Unknown kind of letter."))
        form = FormatForm(request.POST, prefix=kind)
        if form.is_valid():
            data = form.cleaned_data
            try:
                numbering.letter_format_set(
                    access=access,
                    agency=agency,
                    kind=kind,
                    pattern=data["pattern"],
                    code=data["code"],
                )
            except (NotAllowed, NotFound):
                raise
            except DomainError as exc:
                add_domain_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The number format of %(kind)s is saved.") % {"kind": Kind(kind).label},
                )
                return redirect("documents-formats")
        failed, status = form, 400
    return render(
        request,
        "documents/formats.html",
        {
            "rows": _format_rows(agency, failed),
            "edits": edits,
            "placeholders": numbering_rules.PLACEHOLDERS,
        },
        status=status,
    )


urlpatterns = [
    path("certificates/", certificate_list, name="documents-certificates"),
    path("certificates/issue/", certificate_issue, name="documents-certificate-issue"),
    path("certificates/import/", certificate_import, name="documents-certificate-import"),
    path("certificates/remote/", certificate_remote, name="documents-certificate-remote"),
    path("certificates/<int:pk>/revoke/", certificate_revoke, name="documents-certificate-revoke"),
    path("ca.pem", ca_pem, name="documents-ca-pem"),
    path("formats/", format_list, name="documents-formats"),
]
