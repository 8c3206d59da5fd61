"""The reason page: before a page shows names from the health register, the caller says why
(UU 27/2022). The reason is kept in the session for the agency's `reason_minutes` and written
with every read to the access log; then the page asks again.

Pages that show names call `reason_or_redirect(request)` first:

    reason = reason_or_redirect(request)
    if not isinstance(reason, str):
        return reason  # the redirect to this page, back to the same address afterwards
"""

from __future__ import annotations

from django import forms
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy

from darirumah.core.errors import DomainError
from darirumah.org.access import Access
from darirumah.org.forms import BootstrapForm
from darirumah.org.views.common import add_domain_errors, deny, page

from ..services.audit import session_reason, session_reason_keep


class ReasonForm(BootstrapForm):
    reason = forms.CharField(
        label=gettext_lazy("Why do you open health data?"),
        max_length=300,
        help_text=gettext_lazy(
            "Written with every page you open in the access log, e.g. 'tracing the contacts of "
            "a new case' or 'weekly recap for the task force'."
        ),
    )


def reason_or_redirect(request):
    """The caller's fresh reason, or a redirect to the reason page that comes back here."""
    reason = session_reason(request)
    if reason:
        return reason
    return redirect(f"{reverse('health-reason')}?{urlencode({'next': request.get_full_path()})}")


def _safe_next(request, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return reverse("home")


@page
def reason(request, access: Access):
    deny(access.reads_health_names(access.agency_id))
    target = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    form = ReasonForm(request.POST or None, initial={"reason": session_reason(request)})
    if request.method == "POST" and form.is_valid():
        try:
            session_reason_keep(request, form.cleaned_data["reason"])
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            return redirect(target)
    return render(request, "health/reason.html", {"form": form, "next": target})


urlpatterns = [path("reason/", reason, name="health-reason")]
