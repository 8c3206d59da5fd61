"""Signing pages: "My documents to sign" (one tap per document, made for a cheap phone) and the
sign action behind it and behind the detail page's Sign button.

A refusal (not your turn, not a signer, a revoked or expired certificate, a wrong passphrase)
is shown on the page it came from, with the service's own message, never an error page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from darirumah.core.errors import DomainError, NotFound
from darirumah.org.access import Access
from darirumah.org.views.common import page

from ..models import Document
from ..selectors import documents as selectors
from ..services import signing
from . import common
from .register import SignForm, _detail_or_404, render_detail

INBOX = "inbox"
SIGNED_SHOWN = 20
LATER_SHOWN = 50


def _inbox(request, access: Access, *, problem: str = "", status: int = 200):
    rows = selectors.sign_inbox(access)
    page_obj = Paginator(rows, common.PAGE_SIZE).get_page(request.GET.get("page"))
    cert = common.signing_certificate(request.user)
    signed = selectors.signed_statements(access)[:SIGNED_SHOWN]
    return render(
        request,
        "documents/inbox.html",
        {
            "page_obj": page_obj,
            "documents": page_obj.object_list,
            "later": list(selectors.waiting_later(access)[:LATER_SHOWN]),
            "signed": list(signed),
            "certificate": cert,
            "passphrase": common.needs_passphrase(cert),
            "agency_ca_on": settings.DOCUMENTS_AGENCY_CA,
            "problem": problem,
        },
        status=status,
    )


@page
def sign_inbox(request, access: Access):
    return _inbox(request, access)


@require_POST
@page
def document_sign(request, access: Access, pk: int):
    """Sign as the caller. From the inbox (next=inbox) the answer is the inbox again."""
    document = _detail_or_404(access, pk)
    form = SignForm(request.POST, user=request.user)
    from_inbox = request.POST.get("next") == INBOX
    if form.is_valid():
        data = form.cleaned_data
        try:
            signed = signing.document_sign(
                access=access,
                document=document,
                passphrase=data["passphrase"],
                certificate_id=data["certificate"],
            )
        except NotFound:
            raise
        except DomainError as exc:  # NotAllowed too: the message on the page, with its status
            if from_inbox:
                return _inbox(request, access, problem=exc.message, status=exc.status)
            form.add_error(None, exc.message)
            for name, problems in exc.fields.items():
                if name in form.fields:
                    for text in problems:
                        form.add_error(name, text)
            return render_detail(
                request, access, _detail_or_404(access, pk), sign_form=form, status=exc.status
            )
        text = _("You signed %(title)s.") % {"title": signed.number or signed.title}
        if signed.status == Document.Status.SIGNED:
            text += " " + _("Everyone has signed: the document is complete.")
        messages.success(request, text)
        if from_inbox:
            return redirect("documents-inbox")
        return redirect("documents-detail", pk=pk)
    if from_inbox:
        return _inbox(request, access, problem=_("The form was not complete."), status=400)
    return render_detail(request, access, document, sign_form=form, status=400)


urlpatterns = [
    path("sign/", sign_inbox, name="documents-inbox"),
    path("<int:pk>/sign/", document_sign, name="documents-sign"),
]
