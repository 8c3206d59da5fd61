"""Role management (BKPSDM and the platform operator): active grants, grant, revoke, history."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from darirumah.core.calendar import calendar_for
from darirumah.core.errors import DomainError, NotAllowed, NotFound

from .. import selectors, services
from ..access import Access
from ..forms import RoleGrantForm
from ..models import Agency, Role, RoleAssignment
from .common import add_domain_errors, chosen_agency, deny, page, visible_or_404

HISTORY_SHOWN = 50


def _may_manage(access: Access) -> bool:
    return access.is_operator or access.can_manage_roles(access.agency_id)


def _render(request, access: Access, agency: Agency | None, form=None):
    context = {"agency": agency}
    if access.is_operator:
        context["agencies"] = access.agencies()
    if agency is not None:
        grants = selectors.role_list(access=access).filter(agency=agency)
        context.update(
            grants=grants.select_related("user__employee", "unit", "granted_by").order_by(
                "role", "user__first_name", "user__username"
            ),
            form=form
            or RoleGrantForm(
                access=access,
                agency=agency,
                users=selectors.users_visible(access=access),
                initial={"agency": agency.pk},
            ),
            history=RoleAssignment.history.filter(agency_id=agency.pk)
            .select_related("history_user", "user", "unit")
            .order_by("-history_date", "-history_id")[:HISTORY_SHOWN],
            zone=calendar_for(agency).tz,
        )
    if access.is_operator:
        context["operators"] = selectors.role_list(access=access).filter(role=Role.OPERATOR)
    return render(request, "org/roles.html", context)


@page
def role_list(request, access: Access):
    deny(_may_manage(access), _("Only BKPSDM can manage roles."))
    agency = chosen_agency(request, access)
    if agency is not None:
        deny(access.can_manage_roles(agency.pk), _("Only BKPSDM can manage roles."))
    return _render(request, access, agency)


@require_POST
@page
def role_grant(request, access: Access):
    deny(_may_manage(access), _("Only BKPSDM can manage roles."))
    agency = chosen_agency(request, access)
    if agency is None:
        raise NotFound(_("Pick an agency first."))
    deny(access.can_manage_roles(agency.pk), _("Only BKPSDM can manage roles."))
    form = RoleGrantForm(
        request.POST, access=access, agency=agency, users=selectors.users_visible(access=access)
    )
    if form.is_valid():
        data = form.cleaned_data
        is_operator_role = data["role"] == Role.OPERATOR
        try:
            grant = services.role_assign(
                access=access,
                user=data["user"],
                role=data["role"],
                agency=None if is_operator_role else agency,
                unit=data["unit"],
                note=data["note"],
            )
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Granted: %(grant)s.") % {"grant": grant})
            return redirect(_back(agency, access))
    return _render(request, access, agency, form=form)


@require_POST
@page
def role_revoke(request, access: Access, pk: int):
    deny(_may_manage(access), _("Only BKPSDM can manage roles."))
    grant = visible_or_404(selectors.role_list(access=access), pk)
    services.role_revoke(access=access, grant=grant)
    messages.success(request, _("Revoked: %(grant)s.") % {"grant": grant})
    agency = grant.agency
    return redirect(_back(agency, access))


def _back(agency: Agency | None, access: Access) -> str:
    url = reverse("role_list")
    if agency is not None and access.is_operator:
        url += f"?agency={agency.pk}"
    return url
