"""What the documents pages share: the caller's agency, who may prepare letters, the signer
pickers, the certificate a signature will use."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from darirumah.org.access import Access
from darirumah.org.models import Agency, Employee, User
from darirumah.org.rules import normalise_nip
from darirumah.org.views.common import home_agency

from ..models import SigningCertificate
from ..selectors.documents import default_certificate

PAGE_SIZE = 25
# The pages offer four signers; the register takes up to registry.MAX_SIGNERS (the API).
SIGNER_SLOTS = 4
LOOKUP_LIMIT = 20


def agency_or_404(access: Access) -> Agency:
    """The caller's own agency; a platform operator without one gets the 404 page (as the API's
    "You do not belong to an agency")."""
    agency = home_agency(access)
    if agency is None:
        raise Http404(_("You do not belong to an agency."))
    return agency


def prepares_any(access: Access) -> bool:
    """May generate or upload at least one kind of letter: BKPSDM and pimpinan (circulars,
    recaps), OPD admins and heads (their units' letters), supervisors (discipline decisions)."""
    if access.agency_id is None:
        return False
    return bool(
        access.decides_policy(access.agency_id)
        or access.prepares_agency_documents(access.agency_id)
        or access.unit_roles
        or access.is_supervisor
    )


def uploads_any(access: Access) -> bool:
    """May register an uploaded PDF: BKPSDM (agency-wide) and OPD admins and heads (their units)."""
    return access.agency_id is not None and bool(
        access.prepares_agency_documents(access.agency_id) or access.unit_roles
    )


def lookup_attrs(datalist_id: str) -> dict:
    """htmx attributes that fill a <datalist> with the agency's staff who can sign."""
    return {
        "list": datalist_id,
        "autocomplete": "off",
        "inputmode": "search",
        "hx-get": reverse("documents-signer-lookup"),
        "hx-trigger": "input changed delay:300ms",
        "hx-target": f"#{datalist_id}",
        "hx-swap": "innerHTML",
    }


class SignersMixin:
    """Signer 1…4 as NIP fields with a shared datalist; `signer_users()` gives them in order.

    Each field takes a NIP, or an option of the datalist ("NIP — name")."""

    def add_signer_fields(self) -> None:
        for i in range(1, SIGNER_SLOTS + 1):
            attrs = lookup_attrs("signer-options")
            self.fields[f"signer_{i}"] = forms.CharField(
                label=_("Signer %(n)s") % {"n": i},
                required=i == 1,
                max_length=200,
                widget=forms.TextInput(attrs=attrs),
                help_text=gettext_lazy(
                    "NIP or name; in signing order (e.g. the head, then BKPSDM)."
                )
                if i == 1
                else "",
            )

    def clean_signers(self, agency: Agency) -> list[User]:
        users: list[User] = []
        for i in range(1, SIGNER_SLOTS + 1):
            name = f"signer_{i}"
            raw = (self.cleaned_data.get(name) or "").strip()
            if not raw:
                continue
            nip = normalise_nip(raw.split("—")[0])
            person = (
                Employee.objects.filter(agency=agency, is_active=True, user__isnull=False)
                .filter(Q(nip=nip) | Q(name__iexact=raw))
                .select_related("user")
                .first()
            )
            if person is None:
                self.add_error(name, _("Nobody in the agency with a login has this NIP or name."))
                continue
            users.append(person.user)
        return users


def signer_lookup_rows(agency_id: int, raw: str):
    """Up to LOOKUP_LIMIT active employees of the agency with a login, by name or NIP."""
    raw = (raw or "").strip()
    if len(raw) < 2:
        return Employee.objects.none()
    nip = normalise_nip(raw)
    return (
        Employee.objects.filter(agency_id=agency_id, is_active=True, user__isnull=False)
        .filter(Q(name__icontains=raw) | Q(nip__startswith=nip) | Q(position__icontains=raw))
        .select_related("unit")
        .order_by("name")[:LOOKUP_LIMIT]
    )


def signing_certificate(user: User) -> SigningCertificate | None:
    """The certificate document_sign uses by default (selectors.documents)."""
    return default_certificate(user)


def needs_passphrase(cert: SigningCertificate | None) -> bool:
    return cert is not None and cert.source != SigningCertificate.Source.AGENCY_CA


def local_day(moment, zone: str) -> str:
    """A moment's date in the agency's zone (WIB, WITA, WIT), formatted for the reader."""
    from django.utils.formats import date_format

    from darirumah.core.calendar import zone_info

    return date_format(moment.astimezone(zone_info(zone)).date()) if moment else ""
