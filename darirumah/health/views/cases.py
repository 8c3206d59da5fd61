"""Health pages: the register of cases (health officers and the head of BKPSDM), a case with its
tests and history, recording a case or a test, the employee's own record, and the access log.

Pages that show names ask for the reason first (views/reason.py) and write each read to the
access log; the employee's own record needs neither. The rules are in services/cases.py.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from darirumah.core import calendar as calendar_service
from darirumah.core.calendar import zone_info
from darirumah.core.errors import DomainError, NotAllowed, NotFound
from darirumah.org.access import Access
from darirumah.org.forms import BootstrapForm
from darirumah.org.models import Agency, Employee, Unit
from darirumah.org.rules import normalise_nip
from darirumah.org.views.common import add_domain_errors, deny, history_rows, page

from ..models import HealthCase, HealthTest, Place
from ..selectors import cases as selectors
from ..services import cases as services
from ..services.audit import health_access_log
from .reason import reason_or_redirect

PAGE_SIZE = 25
LOG_PAGE_SIZE = 50
LOG_DAYS = 30
DATALIST_LIMIT = 200
STATUS_CSS = {"confirmed": "danger", "recovered": "success", "died": "dark"}  # else warning
OPEN_CHOICES = [(s.value, s.label) for s in HealthCase.OPEN]


def _date(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )


def _dress(case: HealthCase) -> HealthCase:
    case.status_css = STATUS_CSS.get(case.status, "warning")
    tests = list(case.tests.all())  # prefetched
    case.latest_test = tests[-1] if tests else None
    return case


def _optional_url(name: str, *args, query: str = "") -> str:
    """The address of a page another part of the app provides, or "" while it does not exist."""
    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return ""


# --- the register ------------------------------------------------------------------------------


class FilterForm(BootstrapForm):
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit"), queryset=Unit.objects.none(), required=False
    )
    q = forms.CharField(label=gettext_lazy("Name or NIP"), required=False, max_length=100)

    def __init__(self, *args, agency_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", _("All")),
            (selectors.OPEN_FILTER, _("Open (suspect, probable, confirmed)")),
            *HealthCase.Status.choices,
        ]
        self.fields["unit"].queryset = Unit.objects.filter(
            agency_id=agency_id, is_active=True
        ).order_by("path")
        self.fields["unit"].empty_label = _("All units")


@page
def case_list(request, access: Access):
    if not access.reads_health_names(access.agency_id):
        deny(access.employee is not None)
        return redirect("health-my-record")
    reason = reason_or_redirect(request)
    if not isinstance(reason, str):
        return reason
    form = FilterForm(request.GET or None, agency_id=access.agency_id)
    filters = form.cleaned_data if form.is_valid() else {}
    unit = filters.get("unit")
    cases = selectors.cases_for(
        access,
        access.agency_id,
        status=filters.get("status") or None,
        unit_id=unit.pk if unit is not None else None,
        search=filters.get("q"),
    )
    page_obj = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [_dress(case) for case in page_obj.object_list]
    people = [case.employee_id for case in rows]
    health_access_log(
        access=access,
        agency_id=access.agency_id,
        action="list",
        subject="cases",
        reason=reason,
        employees=people,
    )
    return render(
        request,
        "health/case_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "cases": rows,
            "may_record": access.records_health(access.agency_id),
        },
    )


# --- forms ------------------------------------------------------------------------------------


class TestForm(BootstrapForm):
    kind = forms.ChoiceField(label=gettext_lazy("Test"), choices=HealthTest.Kind.choices)
    taken_on = forms.DateField(
        label=gettext_lazy("Sample taken on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    result = forms.ChoiceField(label=gettext_lazy("Result"), choices=HealthTest.Result.choices)
    result_on = _date(gettext_lazy("Result on"))
    place = forms.CharField(
        label=gettext_lazy("Laboratory or clinic"),
        required=False,
        max_length=services.MAX_TEST_PLACE,
    )


class CaseFields(BootstrapForm):
    """The fields a new case and a change share."""

    confirmed_on = _date(
        gettext_lazy("Confirmed on"),
        help_text=gettext_lazy("Confirmed cases: the day of the positive test, today if empty."),
    )
    symptom_onset = _date(gettext_lazy("Symptoms started on"))
    likely_place = forms.ChoiceField(
        label=gettext_lazy("Likely place of infection"), choices=Place.choices
    )
    likely_place_reason = forms.CharField(
        label=gettext_lazy("Why this place"),
        required=False,
        max_length=services.MAX_PLACE_REASON,
        help_text=gettext_lazy("Required for the office or outside: who, where, when."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=services.MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CaseForm(CaseFields):
    """A new case: the person by NIP, and the first test's fields (test_kind…) optional."""

    nip = forms.CharField(
        label=gettext_lazy("Employee (NIP)"),
        max_length=30,
        help_text=gettext_lazy("Type the name or the NIP and pick the person."),
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=OPEN_CHOICES)
    field_order = ["nip", "status"]

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        self.fields["nip"].widget.attrs.update({"list": "health-people", "autocomplete": "off"})
        for name, field in TestForm().fields.items():
            field.required = False
            self.fields[f"test_{name}"] = field
        self.fields["test_kind"].label = _("First test (optional)")
        self.fields["test_kind"].choices = [("", _("No test yet")), *HealthTest.Kind.choices]

    def clean_nip(self) -> Employee:
        person = self.people.filter(nip=normalise_nip(self.cleaned_data["nip"])).first()
        if person is None:
            raise forms.ValidationError(_("No active employee of your agency has this NIP."))
        return person

    def first_test(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("test_kind"):
            return None
        test = {name: data.get(f"test_{name}") for name in TestForm.base_fields}
        test["result"] = test["result"] or HealthTest.Result.PENDING
        return test


class UpdateForm(CaseFields):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=HealthCase.Status.choices)
    closed_on = _date(
        gettext_lazy("Recovered or died on"),
        help_text=gettext_lazy("Today if empty when the case recovers or dies."),
    )
    field_order = ["status", "confirmed_on", "symptom_onset", "closed_on"]

    @classmethod
    def for_case(cls, case: HealthCase, data=None) -> UpdateForm:
        return cls(data, initial={name: getattr(case, name) for name in cls.base_fields})


# --- a new case --------------------------------------------------------------------------------


@page
def case_new(request, access: Access):
    deny(access.records_health(access.agency_id), _("Only health officers record cases."))
    reason = reason_or_redirect(request)
    if not isinstance(reason, str):
        return reason
    people = Employee.objects.filter(agency_id=access.agency_id, is_active=True).select_related(
        "unit", "agency"
    )
    initial = {"likely_place": Place.UNKNOWN}
    raw = request.GET.get("employee", "")
    if raw.isdigit():
        person = people.filter(pk=int(raw)).first()
        if person is None:
            raise Http404(_("Not found, or not visible to you."))
        initial["nip"] = person.nip
    form = CaseForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in CaseFields.base_fields}
        try:
            case = services.case_create(
                access=access,
                employee=data["nip"],
                status=data["status"],
                reason=reason,
                test=form.first_test(),
                **fields,
            )
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc, aliases={"employee": "nip"})
        else:
            messages.success(request, _("The case is recorded."))
            return redirect("health-case-detail", pk=case.pk)
    few = list(people.order_by("name")[: DATALIST_LIMIT + 1])
    return render(
        request,
        "health/case_new.html",
        {"form": form, "people": few if len(few) <= DATALIST_LIMIT else []},
        status=400 if form.errors else 200,
    )


# --- one case ----------------------------------------------------------------------------------


def _case_for_names(request, access: Access, pk: int):
    """The case and the reason, or the response to send instead (the reason page, or the
    person's own record when they do not read names)."""
    case = selectors.case_visible(access, pk)
    if not access.reads_health_names(case.agency_id):
        return case, redirect("health-my-record")
    return case, reason_or_redirect(request)


def _detail(request, access: Access, case: HealthCase, reason: str, *, update=None, test=None):
    health_access_log(
        access=access,
        agency_id=case.agency_id,
        action="view",
        subject=f"case:{case.pk}",
        reason=reason,
        employees=[case.employee_id],
    )
    officer = access.records_health(case.agency_id)
    context = {
        "case": _dress(case),
        "tests": list(case.tests.all()),
        "update_form": (update or UpdateForm.for_case(case)) if officer else None,
        "test_form": (test or TestForm(initial={"result": "pending"})) if officer else None,
        "history": history_rows(case),
        "zone": zone_info(case.agency.zone),
        "contacts_url": _optional_url("health-case-contacts", case.pk),
        "isolation_url": _optional_url(
            "health-isolation-new", query=f"employee={case.employee_id}&case={case.pk}"
        ),
    }
    bad = (update is not None and update.errors) or (test is not None and test.errors)
    return render(request, "health/case_detail.html", context, status=400 if bad else 200)


@page
def case_detail(request, access: Access, pk: int):
    case, reason = _case_for_names(request, access, pk)
    if not isinstance(reason, str):
        return reason
    return _detail(request, access, case, reason)


def _officer_case(request, access: Access, pk: int):
    case = selectors.case_visible(access, pk)
    deny(access.records_health(case.agency_id), _("Only health officers change cases."))
    return case, reason_or_redirect(request)


@require_POST
@page
def case_update(request, access: Access, pk: int):
    case, reason = _officer_case(request, access, pk)
    if not isinstance(reason, str):
        return reason
    form = UpdateForm.for_case(case, request.POST)
    if form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.case_update(access=access, case=case, reason=reason, **changes)
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("The case is saved."))
            return redirect("health-case-detail", pk=case.pk)
    return _detail(request, access, case, reason, update=form)


@require_POST
@page
def case_test_add(request, access: Access, pk: int):
    case, reason = _officer_case(request, access, pk)
    if not isinstance(reason, str):
        return reason
    form = TestForm(request.POST)
    if form.is_valid():
        try:
            services.test_add(access=access, case=case, reason=reason, **form.cleaned_data)
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("The test is recorded."))
            return redirect("health-case-detail", pk=case.pk)
    return _detail(request, access, case, reason, test=form)


# --- the employee's own record -----------------------------------------------------------------


@page
def my_record(request, access: Access):
    if access.employee is None:
        raise Http404(_("You have no employee record."))
    cases = [_dress(case) for case in selectors.own_cases(access)]
    return render(
        request,
        "health/case_mine.html",
        {"cases": cases, "zone": zone_info(access.employee.agency.zone)},
    )


# --- the access log ----------------------------------------------------------------------------


class LogForm(BootstrapForm):
    start = _date(gettext_lazy("From"))
    end = _date(gettext_lazy("Until"))
    user = forms.TypedChoiceField(
        label=gettext_lazy("Who"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", _("Everyone"))] + [
            (u.pk, getattr(getattr(u, "employee", None), "name", None) or u.get_username())
            for u in users
        ]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("start", _("The first day comes after the last day."))
        return data


@page
def access_log(request, access: Access):
    deny(
        access.reads_health_names(access.agency_id),
        _("Only the health officers and the head of BKPSDM read the health data access log."),
    )
    agency = Agency.objects.get(pk=access.agency_id)
    today = calendar_service.calendar_for(agency).today()
    form = LogForm(request.GET or None, users=selectors.log_users(agency.pk))
    filters = form.cleaned_data if form.is_valid() else {}
    end = filters.get("end") or today
    start = filters.get("start") or end - timedelta(days=LOG_DAYS - 1)
    rows = selectors.access_log_for(access, agency.pk, start, end, user_id=filters.get("user"))
    page_obj = Paginator(rows, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    entries = list(page_obj.object_list)
    for entry in entries:
        kind, _sep, pk = entry.subject.partition(":")
        entry.case_id = int(pk) if kind == "case" and pk.isdigit() else None
    return render(
        request,
        "health/access_log.html",
        {
            "form": form,
            "page_obj": page_obj,
            "entries": entries,
            "start": start,
            "end": end,
            "zone": zone_info(agency.zone),
        },
    )


urlpatterns = [
    path("cases/", case_list, name="health-cases"),
    path("cases/new/", case_new, name="health-case-new"),
    path("cases/<int:pk>/", case_detail, name="health-case-detail"),
    path("cases/<int:pk>/update/", case_update, name="health-case-update"),
    path("cases/<int:pk>/tests/", case_test_add, name="health-case-test-add"),
    path("mine/", my_record, name="health-my-record"),
    path("access-log/", access_log, name="health-access-log"),
]
