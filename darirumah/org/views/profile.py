"""My profile: account, employee data, password, personal API tokens."""

from __future__ import annotations

from datetime import time

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from darirumah.core.calendar import AgencyCalendar, calendar_for
from darirumah.core.errors import DomainError, NotAllowed, NotFound

from .. import services
from ..access import Access
from ..forms import PasswordForm, TokenForm
from ..models import ApiToken
from .common import add_domain_errors, home_agency, page, visible_or_404
from .home import ROLE_LABELS


def _calendar(access: Access) -> AgencyCalendar:
    """The caller's agency calendar; WIB for an operator without an agency."""
    agency = home_agency(access)
    return calendar_for(agency) if agency is not None else AgencyCalendar(zone="WIB")


def _render_profile(request, access: Access, *, form=None, new_key=None, new_token=None):
    cal = _calendar(access)
    employee = access.employee
    context = {
        "employee": employee,
        "agency": home_agency(access),
        "role_labels": [ROLE_LABELS.get(c, c) for c in access.role_codes()],
        "tokens": ApiToken.objects.filter(user=request.user),
        "token_form": form or TokenForm(today=cal.today()),
        "new_key": new_key,
        "new_token": new_token,
        "zone": cal.tz,
    }
    return render(request, "org/profile.html", context)


@page
def profile(request, access: Access):
    return _render_profile(request, access)


@require_POST
@page
def token_create(request, access: Access):
    cal = _calendar(access)
    form = TokenForm(request.POST, today=cal.today())
    if form.is_valid():
        day = form.cleaned_data.get("expires_on")
        expires_at = cal.local(day, time(23, 59, 59)) if day else None
        try:
            token, key = services.token_create(
                user=request.user, name=form.cleaned_data["name"], expires_at=expires_at
            )
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            # The key is shown in this response only: it is never stored and cannot be shown again.
            return _render_profile(request, access, new_key=key, new_token=token)
    return _render_profile(request, access, form=form)


@require_POST
@page
def token_revoke(request, access: Access, pk: int):
    token = visible_or_404(ApiToken.objects.filter(user=request.user), pk)
    services.token_revoke(user=request.user, token=token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("profile")


class PasswordChange(auth_views.PasswordChangeView):
    form_class = PasswordForm
    template_name = "org/password_change.html"
    success_url = reverse_lazy("profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password was changed."))
        return response


password_change = PasswordChange.as_view()
