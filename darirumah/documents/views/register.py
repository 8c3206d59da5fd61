"""The register pages: the list (htmx filters), generating a letter from the agency's data,
uploading a PDF, one document with its signers and versions, its file, cancelling it.

Signing lives in signing.py; both re-render the detail page through `render_detail` when the
service refuses, so a refusal is a message on the page, never an error page.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from darirumah.core.calendar import zone_info
from darirumah.core.errors import DomainError, NotAllowed, NotFound
from darirumah.org.access import Access
from darirumah.org.forms import BootstrapForm
from darirumah.org.models import Unit
from darirumah.org.views.common import add_domain_errors, deny, page

from ..models import Document, Kind, SigningCertificate
from ..selectors import documents as selectors
from ..services import registry
from . import common

Source = SigningCertificate.Source


def _partial_wanted(request) -> bool:
    """An htmx swap gets only the list; a history restore needs the whole page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def _int_or_404(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise Http404(_("Not found, or not visible to you.")) from None


def _detail_or_404(access: Access, pk: int) -> Document:
    document = selectors.document_detail(access, pk)
    if document is None:
        raise Http404(_("Not found, or not visible to you."))
    return document


# --- the register ---------------------------------------------------------------------------


class FilterForm(BootstrapForm):
    q = forms.CharField(
        label=gettext_lazy("Number or title"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *Kind.choices]
        self.fields["status"].choices = [("", _("All")), *Document.Status.choices]


@page
def document_list(request, access: Access):
    form = FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.document_list(
        access=access,
        kind=filters.get("kind") or "",
        status=filters.get("status") or "",
        q=(filters.get("q") or "").strip(),
    )
    page_obj = Paginator(rows, common.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page_obj,
        "documents": page_obj.object_list,
        "may_prepare": common.prepares_any(access),
        "may_upload": common.uploads_any(access),
    }
    template = "documents/partials/register_rows.html" if _partial_wanted(request) else None
    response = render(request, template or "documents/register.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@page
def signer_lookup(request, access: Access):
    """Datalist options (NIP — name) for the signer fields: the agency's staff with a login."""
    deny(common.prepares_any(access))
    raw = request.GET.get("q") or next(
        (v for k, v in request.GET.items() if k.startswith("signer_") and v), ""
    )
    people = common.signer_lookup_rows(access.agency_id, raw)
    return render(request, "documents/partials/signer_options.html", {"people": people})


# --- generating a letter --------------------------------------------------------------------


class NewForm(common.SignersMixin, BootstrapForm):
    kind = forms.ChoiceField(label=gettext_lazy("Which letter"))
    circular = forms.ModelChoiceField(label=gettext_lazy("Circular"), queryset=None, required=False)
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=None, required=False)
    period = forms.DateField(
        label=gettext_lazy("Month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=gettext_lazy("For the month-end evaluation."),
    )
    day = forms.DateField(
        label=gettext_lazy("Day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("For the daily recap."),
    )
    case = forms.ModelChoiceField(
        label=gettext_lazy("Decided discipline case"), queryset=None, required=False
    )

    NEEDS = {
        "circular": ("circular",),
        "evaluation": ("unit", "period"),
        "recap": ("day",),
        "discipline": ("case",),
    }

    def __init__(self, *args, access: Access, agency, **kwargs):
        from darirumah.performance.models import DisciplineCase
        from darirumah.policy.models import Circular

        super().__init__(*args, **kwargs)
        self.agency = agency
        kinds = []
        if access.decides_policy(agency.pk):
            kinds.append(Kind.CIRCULAR)
        units = _prepared_units(access, agency)
        if units.exists():
            kinds.append(Kind.EVALUATION)
        if access.prepares_agency_documents(agency.pk):
            kinds.append(Kind.RECAP)
        cases = _decided_cases(access, DisciplineCase.objects.filter(agency=agency))
        if access.is_bkpsdm or access.is_supervisor or access.unit_roles:
            kinds.append(Kind.DISCIPLINE)
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]
        self.fields["circular"].queryset = Circular.objects.filter(agency=agency).order_by(
            "-starts_on", "-pk"
        )
        self.fields["unit"].queryset = units
        self.fields["case"].queryset = cases
        self.fields["case"].label_from_instance = lambda c: (
            f"{c.employee.name} — {c.get_sanction_display()} "
            f"({common.local_day(c.decided_at, agency.zone)})"
        )
        self.add_signer_fields()
        self.offered = {k.value for k in kinds}

    def clean(self):
        data = super().clean()
        for need in self.NEEDS.get(data.get("kind"), ()):
            if not data.get(need) and need not in self.errors:
                self.add_error(need, _("Required for this letter."))
        data["signers"] = self.clean_signers(self.agency)
        return data


def _prepared_units(access: Access, agency):
    """The units whose letters the caller prepares: all for BKPSDM, else the subtrees they
    administer or head."""
    units = Unit.objects.filter(agency=agency, is_active=True).order_by("path")
    if access.prepares_agency_documents(agency.pk):
        return units
    paths = access.unit_paths("admin_opd", "kepala_opd")
    if not paths:
        return units.none()
    keep = [u.pk for u in units if any(u.path.startswith(p) for p in paths)]
    return units.filter(pk__in=keep)


def _decided_cases(access: Access, cases):
    """Decided cases with a sanction and no letter yet that the caller decides."""
    from darirumah.performance.selectors.discipline import decides_case

    taken = Document.objects.filter(kind=Kind.DISCIPLINE).exclude(status="cancelled")
    rows = (
        cases.filter(decided_at__isnull=False)
        .exclude(sanction="")
        .exclude(pk__in=taken.filter(source_id__isnull=False).values("source_id"))
        .select_related("employee__unit", "employee__agency")
        .order_by("-decided_at")[:200]
    )
    keep = [c.pk for c in rows if decides_case(access, c)]
    return (
        cases.model.objects.filter(pk__in=keep).select_related("employee").order_by("-decided_at")
    )


def _generate(access: Access, agency, data: dict) -> Document:
    kind, signers = data["kind"], data["signers"]
    if kind == Kind.CIRCULAR:
        return registry.document_circular(access=access, circular=data["circular"], signers=signers)
    if kind == Kind.EVALUATION:
        return registry.document_evaluation(
            access=access, unit=data["unit"], period=data["period"], signers=signers
        )
    if kind == Kind.RECAP:
        return registry.document_recap(
            access=access, agency=agency, day=data["day"], signers=signers
        )
    return registry.document_discipline(access=access, case=data["case"], signers=signers)


@page
def document_new(request, access: Access):
    agency = common.agency_or_404(access)
    deny(common.prepares_any(access), _("You do not prepare letters."))
    initial = {}
    if request.GET.get("kind"):
        initial["kind"] = request.GET["kind"]
    if request.GET.get("circular"):
        initial["circular"] = _int_or_404(request.GET["circular"])
    form = NewForm(request.POST or None, access=access, agency=agency, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            document = _generate(access, agency, form.cleaned_data)
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(title)s is in the register as %(number)s.")
                % {"title": document.title, "number": document.number},
            )
            return redirect("documents-detail", pk=document.pk)
    return render(
        request,
        "documents/new.html",
        {"form": form, "offered": form.offered},
        status=400 if form.errors else 200,
    )


# --- uploading a PDF ------------------------------------------------------------------------


class UploadForm(common.SignersMixin, BootstrapForm):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=registry.MAX_TITLE)
    file = forms.FileField(
        label=gettext_lazy("PDF file"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    number = forms.CharField(
        label=gettext_lazy("Number"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Empty: the agency's number format gives one."),
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("Empty: an agency-wide document (BKPSDM)."),
    )

    def __init__(self, *args, access: Access, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.fields["unit"].queryset = _prepared_units(access, agency)
        if not access.prepares_agency_documents(agency.pk):
            self.fields["unit"].required = True
            self.fields["unit"].help_text = ""
        self.add_signer_fields()

    def clean(self):
        data = super().clean()
        data["signers"] = self.clean_signers(self.agency)
        return data


@page
def document_upload(request, access: Access):
    agency = common.agency_or_404(access)
    deny(common.uploads_any(access), _("You do not prepare letters."))
    form = UploadForm(request.POST or None, request.FILES or None, access=access, agency=agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        content = upload.read(settings.DOCUMENTS_MAX_BYTES + 1)
        try:
            document = registry.document_upload(
                access=access,
                agency=agency,
                title=data["title"],
                data=content,
                file_name=upload.name,
                signers=data["signers"],
                number=data["number"],
                unit=data["unit"],
            )
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(title)s is in the register as %(number)s.")
                % {"title": document.title, "number": document.number},
            )
            return redirect("documents-detail", pk=document.pk)
    return render(
        request, "documents/upload.html", {"form": form}, status=400 if form.errors else 200
    )


# --- one document ---------------------------------------------------------------------------


class SignForm(BootstrapForm):
    passphrase = forms.CharField(
        label=gettext_lazy("Passphrase of your certificate"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
    certificate = forms.TypedChoiceField(
        label=gettext_lazy("Sign with"), coerce=int, required=False, empty_value=None
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.default = common.signing_certificate(user)
        zone = self.default.agency.zone if self.default is not None else "WIB"
        usable = list(
            SigningCertificate.objects.filter(user=user, revoked_at__isnull=True)
            .defer("key_encrypted", "pkcs12_encrypted")
            .order_by("-not_before", "-pk")
        )
        self.fields["certificate"].choices = [("", _("My newest certificate"))] + [
            (c.pk, f"{c.get_source_display()} · {c.serial} · {common.local_day(c.not_after, zone)}")
            for c in usable
        ]
        if len(usable) < 2:
            self.fields["certificate"].widget = forms.HiddenInput()
        if not common.needs_passphrase(self.default) and not any(
            common.needs_passphrase(c) for c in usable
        ):
            self.fields["passphrase"].widget = forms.HiddenInput()


class CancelForm(BootstrapForm):
    reason = forms.CharField(label=gettext_lazy("Why it is cancelled"), max_length=300)


def may_cancel(access: Access, document: Document) -> bool:
    return document.status == Document.Status.PENDING and bool(
        access.manages_agency(document.agency_id)
        or (access.user is not None and document.created_by_id == access.user.pk)
    )


def render_detail(
    request, access: Access, document: Document, *, sign_form=None, cancel_form=None, status=200
):
    following = selectors.next_signer(document)
    my_turn = (
        document.status == Document.Status.PENDING
        and following is not None
        and following.user_id == request.user.pk
    )
    mine = next((s for s in document.signers.all() if s.user_id == request.user.pk), None)
    if sign_form is None and my_turn:
        sign_form = SignForm(user=request.user)
    if cancel_form is None and may_cancel(access, document):
        cancel_form = CancelForm()
    versions = list(document.revisions.all())
    signer_of = {s.revision_id: s for s in document.signers.all() if s.revision_id}
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "signers": list(document.signers.all()),
            "following": following if document.status == Document.Status.PENDING else None,
            "mine": mine,
            "my_turn": my_turn,
            "sign_form": sign_form if (my_turn or sign_form is not None) else None,
            "cancel_form": cancel_form,
            "versions": [(v, signer_of.get(v.pk)) for v in versions],
            "verification_url": registry.verification_url(document.code),
            "zone": zone_info(document.agency.zone),
            "agency_ca": Source.AGENCY_CA,
            "agency_ca_on": settings.DOCUMENTS_AGENCY_CA,
        },
        status=status,
    )


@page
def document_detail(request, access: Access, pk: int):
    return render_detail(request, access, _detail_or_404(access, pk))


@page
def document_file(request, access: Access, pk: int):
    """The PDF: the current version, or `?version=n` (0 is before any signature)."""
    document = _detail_or_404(access, pk)
    field = document.file
    raw = request.GET.get("version")
    if raw not in (None, ""):
        number = _int_or_404(raw)
        revision = next((r for r in document.revisions.all() if r.number == number), None)
        if revision is None:
            raise Http404(_("This document has no version %(n)s.") % {"n": number})
        field = revision.file
    name = document.file_name
    if raw not in (None, ""):
        stem = name[:-4] if name.lower().endswith(".pdf") else name
        name = f"{stem}-v{raw}.pdf"
    return FileResponse(
        field.open("rb"),
        as_attachment=request.GET.get("inline") != "1",
        filename=name,
        content_type="application/pdf",
    )


@require_POST
@page
def document_cancel(request, access: Access, pk: int):
    document = _detail_or_404(access, pk)
    form = CancelForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            registry.document_cancel(
                access=access, document=document, reason=form.cleaned_data["reason"]
            )
        except NotFound:
            raise
        except DomainError as exc:  # NotAllowed too: a message on the page, with its 403
            add_domain_errors(form, exc)
            status = exc.status
        else:
            messages.success(request, _("The document is cancelled; its number may be used again."))
            return redirect("documents-detail", pk=document.pk)
    document = _detail_or_404(access, pk)
    return render_detail(request, access, document, cancel_form=form, status=status)


urlpatterns = [
    path("", document_list, name="documents-list"),
    path("new/", document_new, name="documents-new"),
    path("upload/", document_upload, name="documents-upload"),
    path("signers/", signer_lookup, name="documents-signer-lookup"),
    path("<int:pk>/", document_detail, name="documents-detail"),
    path("<int:pk>/file/", document_file, name="documents-file"),
    path("<int:pk>/cancel/", document_cancel, name="documents-cancel"),
]
