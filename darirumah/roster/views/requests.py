"""The head's inbox of staff requests: answer each with approve or refuse."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from darirumah.core.errors import DomainError
from darirumah.org.access import Access
from darirumah.org.forms import BootstrapForm
from darirumah.org.views.common import page

from .. import services
from ..models import RosterRequest


class DecideForm(BootstrapForm):
    approve = forms.TypedChoiceField(
        label=gettext_lazy("Answer"),
        choices=[("1", gettext_lazy("Approve")), ("0", gettext_lazy("Refuse"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)


def _inbox(access: Access):
    """Pending requests of the people whose unit the caller arranges."""
    visible = RosterRequest.objects.filter(
        employee__in=access.employees(), status=RosterRequest.Status.PENDING
    ).select_related("employee__unit", "employee__agency")
    return [r for r in visible.order_by("date") if access.arranges_unit(r.employee.unit)]


@page
def request_inbox(request, access: Access):
    return render(request, "roster/request_inbox.html", {"requests": _inbox(access)})


@require_POST
@page
def request_decide(request, access: Access, pk: int):
    target = next((r for r in _inbox(access) if r.pk == pk), None)
    if target is None:
        raise Http404(_("Not found, or not visible to you."))
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or refuse."))
        return redirect("request_inbox")
    try:
        services.roster_request_decide(
            access=access,
            request=target,
            approve=form.cleaned_data["approve"],
            note=form.cleaned_data["note"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The request of %(name)s was answered.") % {"name": target.employee.name}
        )
    return redirect("request_inbox")
