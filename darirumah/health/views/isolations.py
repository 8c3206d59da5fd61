"""Health pages: the traced contacts of a confirmed case (and marking close contacts), the list of
isolations, recording one, an isolation with its roster days, and ending or cancelling it.

Pages that show another person's name ask for the reason first (views/reason.py) and write each
read to the access log; an employee's own isolation needs neither. The rules are in
services/contacts.py and services/isolations.py.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from darirumah.core import calendar as calendar_service
from darirumah.core.calendar import zone_info
from darirumah.core.errors import DomainError, NotAllowed, NotFound
from darirumah.org.access import Access
from darirumah.org.forms import BootstrapForm
from darirumah.org.models import Agency, Employee, Unit
from darirumah.org.rules import normalise_nip
from darirumah.org.views.common import add_domain_errors, deny, history_rows, page, visible_or_404

from ..models import CloseContact, HealthAccessLog, Isolation
from ..selectors import isolations as selectors
from ..selectors import tracing
from ..selectors.settings import health_config
from ..services import contacts as contact_services
from ..services import isolations as services
from ..services.audit import health_access_log, session_reason
from .reason import reason_or_redirect

PAGE_SIZE = 25
GROUP_CSS = {"room": "danger", "unit": "warning", "office": "secondary"}
STATUS_CSS = {"active": "danger", "over": "secondary", "cancelled": "light"}


def _date(label, required=False, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )


def _int_or_404(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise Http404(_("Not found, or not visible to you.")) from None


def _dress(isolation: Isolation, today) -> Isolation:
    isolation.status_now = selectors.status_of(isolation, today)
    isolation.status_css = STATUS_CSS[isolation.status_now]
    return isolation


# --- tracing and close contacts ---------------------------------------------------------------


class MarkForm(BootstrapForm):
    employees = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Close contacts"), coerce=int, widget=forms.MultipleHiddenInput
    )
    starts_on = _date(
        gettext_lazy("Isolation starts on"), help_text=gettext_lazy("Today when left empty.")
    )
    days = forms.IntegerField(
        label=gettext_lazy("Isolation length (days)"), min_value=1, max_value=services.MAX_DAYS
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employees"].choices = choices
        self.fields["employees"].error_messages["required"] = _(
            "Tick at least one colleague to mark as a close contact."
        )


@page
def case_contacts(request, access: Access, pk: int):
    case = tracing.case_for_tracing(access, pk)
    reason = reason_or_redirect(request)
    if not isinstance(reason, str):
        return reason
    may_mark = access.records_health(case.agency_id)
    if request.method == "POST":
        deny(may_mark, _("Only the agency's health officers mark close contacts."))
    try:
        result = tracing.trace(access, case, reason)
    except (NotAllowed, NotFound):
        raise
    except DomainError as exc:
        return render(
            request, "health/contacts.html", {"case": case, "problem": exc.message}, status=409
        )
    choices = [(c.id, c.name) for c in result.contacts if not c.marked]
    initial = {"days": health_config(case.agency_id).isolation_days}
    form = MarkForm(request.POST or None, choices=choices, initial=initial) if may_mark else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            marked = contact_services.contacts_mark(
                access=access,
                case=case,
                employee_ids=data["employees"],
                reason=reason,
                starts_on=data["starts_on"],
                days=data["days"],
            )
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            n = len(marked.contacts)
            text = ngettext(
                "%(n)d close contact marked: in isolation and told.",
                "%(n)d close contacts marked: each is in isolation and told.",
                n,
            ) % {"n": n}
            if marked.skipped:
                text += " " + _("Already marked, left as they were: %(names)s.") % {
                    "names": ", ".join(e.name for e in marked.skipped)
                }
            messages.success(request, text)
            return redirect("health-case-contacts", pk=case.pk)
    labels = dict(CloseContact.Group.choices)
    rows = [(c, GROUP_CSS[c.group], labels[c.group]) for c in result.contacts]
    return render(
        request,
        "health/contacts.html",
        {
            "case": case,
            "result": result,
            "rows": rows,
            "form": form,
            "ticked": {int(v) for v in request.POST.getlist("employees") if v.isdigit()},
        },
        status=400 if form is not None and form.errors else 200,
    )


# --- the list -------------------------------------------------------------------------------


class FilterForm(BootstrapForm):
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Why"), required=False)
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args, agency_id: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (selectors.ACTIVE, _("Active or to come")),
            (selectors.OVER, _("Over")),
            (selectors.CANCELLED, _("Cancelled")),
            ("all", _("All")),
        ]
        self.fields["kind"].choices = [("", _("All")), *Isolation.Reason.choices]
        self.fields["unit"].queryset = Unit.objects.filter(
            agency_id=agency_id, is_active=True
        ).order_by("path")
        self.fields["unit"].empty_label = _("All units")


@page
def isolation_list(request, access: Access):
    names = access.reads_health_names(access.agency_id)
    reason = ""
    if names:
        reason = reason_or_redirect(request)
        if not isinstance(reason, str):
            return reason
    form = FilterForm(request.GET or None, agency_id=access.agency_id if names else None)
    filters = form.cleaned_data if form.is_valid() else {}
    unit = filters.get("unit")
    rows = selectors.isolations_for(
        access,
        access.agency_id,
        unit_id=unit.pk if unit is not None else None,
        reason=filters.get("kind") or None,
    )
    agency = Agency.objects.filter(pk=access.agency_id).first()
    today = calendar_service.calendar_for(agency).today() if agency else None
    if today is not None:
        rows = selectors.status_filter(rows, filters.get("status") or selectors.ACTIVE, today)
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [_dress(i, today) for i in page_obj.object_list] if today else []
    if names:
        health_access_log(
            access=access,
            agency_id=access.agency_id,
            action=HealthAccessLog.Action.LIST,
            subject="isolations",
            reason=reason,
            employees=[i.employee_id for i in items],
        )
    return render(
        request,
        "health/isolation_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "isolations": items,
            "names": names,
            "may_record": access.records_health(access.agency_id),
        },
    )


# --- recording one --------------------------------------------------------------------------


class IsolationForm(BootstrapForm):
    nip = forms.CharField(label=gettext_lazy("Employee (NIP)"), max_length=30)
    starts_on = _date(gettext_lazy("First day"), required=True)
    ends_on = _date(
        gettext_lazy("Last day"),
        help_text=gettext_lazy("Empty: the agency's isolation length."),
    )
    reason_kind = forms.ChoiceField(
        label=gettext_lazy("Why the person isolates"), choices=Isolation.Reason.choices
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=services.MAX_NOTE)
    case = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, agency_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency_id = agency_id

    def clean_nip(self) -> Employee:
        nip = normalise_nip(self.cleaned_data["nip"])
        person = (
            Employee.objects.filter(agency_id=self.agency_id, nip=nip)
            .select_related("agency", "unit")
            .first()
        )
        if person is None:
            raise forms.ValidationError(_("Nobody in the agency has this NIP."))
        return person


@page
def isolation_new(request, access: Access):
    deny(
        access.records_health(access.agency_id),
        _("Only the agency's health officers record isolations."),
    )
    reason = reason_or_redirect(request)
    if not isinstance(reason, str):
        return reason
    initial = {
        "starts_on": calendar_service.calendar_for(Agency.objects.get(pk=access.agency_id)).today(),
        "reason_kind": Isolation.Reason.CONTACT,
    }
    person = case = None
    if request.GET.get("employee"):
        person = visible_or_404(
            Employee.objects.filter(agency_id=access.agency_id),
            _int_or_404(request.GET["employee"]),
        )
        initial["nip"] = person.nip
    if request.GET.get("case"):
        case = tracing.case_for_tracing(access, _int_or_404(request.GET["case"]))
        initial["case"] = case.pk
        if person is not None and case.employee_id == person.pk:
            initial["reason_kind"] = Isolation.Reason.CONFIRMED
    form = IsolationForm(request.POST or None, agency_id=access.agency_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            linked = tracing.case_for_tracing(access, data["case"]) if data["case"] else None
            isolation = services.isolation_create(
                access=access,
                employee=data["nip"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                reason_kind=data["reason_kind"],
                note=data["note"],
                case=linked,
                reason=reason,
            )
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("The isolation is recorded and the person is told."))
            return redirect("health-isolation-detail", pk=isolation.pk)
    return render(
        request,
        "health/isolation_new.html",
        {"form": form, "case": case},
        status=400 if form.errors else 200,
    )


# --- one isolation --------------------------------------------------------------------------


class EndForm(BootstrapForm):
    last_day = _date(
        gettext_lazy("New last day"),
        help_text=gettext_lazy("Yesterday at the earliest; the days after go back to the plan."),
    )
    cancel = forms.BooleanField(
        label=gettext_lazy("Cancel it: it was recorded in error"), required=False
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("cancel")) == (data.get("last_day") is not None):
            raise forms.ValidationError(
                _("Give the new last day, or cancel the isolation — one of the two.")
            )
        return data


def _detail(request, access: Access, isolation: Isolation, form=None, status=200):
    today = calendar_service.calendar_for(isolation.agency).today()
    _dress(isolation, today)
    may_end = access.records_health(isolation.agency_id) and not isolation.cancelled
    context = {
        "isolation": isolation,
        "own": selectors.is_own(access, isolation),
        "days": selectors.roster_days(isolation),
        "form": (form or EndForm()) if may_end else None,
    }
    if access.reads_health_names(isolation.agency_id):
        context["history"] = history_rows(isolation)
        context["zone"] = zone_info(isolation.agency.zone)
    return render(request, "health/isolation_detail.html", context, status=status)


@page
def isolation_detail(request, access: Access, pk: int):
    isolation = selectors.isolation_visible(access, pk)
    if not selectors.is_own(access, isolation):
        reason = reason_or_redirect(request)
        if not isinstance(reason, str):
            return reason
        health_access_log(
            access=access,
            agency_id=isolation.agency_id,
            action=HealthAccessLog.Action.VIEW,
            subject=f"isolation:{isolation.pk}",
            reason=reason,
            employees=[isolation.employee_id],
        )
    return _detail(request, access, isolation)


@require_POST
@page
def isolation_end(request, access: Access, pk: int):
    isolation = selectors.isolation_visible(access, pk)
    deny(
        access.records_health(isolation.agency_id),
        _("Only the agency's health officers end isolations."),
    )
    reason = session_reason(request)
    if not reason:  # asked, then back to the isolation (this address takes POST only)
        detail = reverse("health-isolation-detail", args=[isolation.pk])
        return redirect(f"{reverse('health-reason')}?{urlencode({'next': detail})}")
    form = EndForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.isolation_end(
                access=access,
                isolation=isolation,
                last_day=None if data["cancel"] else data["last_day"],
                reason=reason,
            )
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            if data["cancel"]:
                messages.success(request, _("The isolation is cancelled and the person is told."))
            else:
                messages.success(request, _("The isolation is shortened and the person is told."))
            return redirect("health-isolation-detail", pk=isolation.pk)
    return _detail(request, access, isolation, form=form, status=400)


urlpatterns = [
    path("cases/<int:pk>/contacts/", case_contacts, name="health-case-contacts"),
    path("isolations/", isolation_list, name="health-isolations"),
    path("isolations/new/", isolation_new, name="health-isolation-new"),
    path("isolations/<int:pk>/", isolation_detail, name="health-isolation-detail"),
    path("isolations/<int:pk>/end/", isolation_end, name="health-isolation-end"),
]
