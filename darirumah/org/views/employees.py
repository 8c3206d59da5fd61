"""The employee list (htmx search), an employee's page, and the create and edit forms."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from darirumah.core.calendar import calendar_for
from darirumah.core.errors import DomainError, NotAllowed, NotFound
from darirumah.policy import rules as policy_rules

from .. import criteria, selectors, services
from ..access import Access
from ..forms import EMPLOYEE_FORM_FIELDS, CriteriaForm, EmployeeFilterForm, EmployeeForm
from ..models import Employee, Role
from .common import add_domain_errors, deny, history_rows, page, posted, visible_or_404

PAGE_SIZE = 25
LOOKUP_LIMIT = 20
CHAIN_LIMIT = 20


def _partial_wanted(request) -> bool:
    """An htmx swap gets only the table; a history restore needs the whole page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def may_add_employees(access: Access) -> bool:
    return (
        access.is_operator
        or access.manages_agency(access.agency_id)
        or bool(access.unit_paths(Role.ADMIN_OPD))
    )


@page
def employee_list(request, access: Access):
    form = EmployeeFilterForm(request.GET or None, access=access)
    filters = form.cleaned_data if form.is_valid() else {}
    unit = filters.get("unit")
    employees = selectors.employee_list(
        access=access,
        unit_id=unit.pk if unit else None,
        q=filters.get("q") or None,
        active=None if filters.get("inactive") else True,
    ).select_related("unit", "supervisor")
    if filters.get("team"):
        employees = employees.filter(pk__in=access.subordinate_ids)
    paginator = Paginator(employees, PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page_obj,
        "employees": page_obj.object_list,
        "can_add": may_add_employees(access),
        "unit": unit,
    }
    template = "org/partials/employee_table.html" if _partial_wanted(request) else None
    response = render(request, template or "org/employee_list.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _chain(employee: Employee) -> list[Employee]:
    """The supervisor chain upwards, nearest first (stops at a loop or after CHAIN_LIMIT)."""
    chain, seen = [], {employee.pk}
    node = employee.supervisor
    while node is not None and node.pk not in seen and len(chain) < CHAIN_LIMIT:
        chain.append(node)
        seen.add(node.pk)
        node = node.supervisor
    return chain


@page
def employee_detail(request, access: Access, pk: int):
    employee = visible_or_404(
        access.employees().select_related("agency", "unit", "office", "room", "supervisor", "user"),
        pk,
    )
    chain = _chain(employee)
    visible_ids = set(
        access.employees().filter(pk__in=[e.pk for e in chain]).values_list("pk", flat=True)
    )
    context = {
        "employee": employee,
        "chain": [(e, e.pk in visible_ids) for e in chain],
        "subordinates": access.employees()
        .filter(supervisor=employee)
        .select_related("unit")
        .order_by("name"),
        "can_edit": access.can_edit_employee(employee),
        "headed_units": employee.headed_units.filter(is_active=True),
        "zone": calendar_for(employee.agency).tz,
        "is_me": access.employee is not None and access.employee.pk == employee.pk,
    }
    context.update(_criteria_context(access, employee))
    if access.can_view_history(employee):
        context["history"] = _without_hidden(history_rows(employee), access, employee)
    return render(request, "org/employee_detail.html", context)


def _criteria_context(access: Access, employee: Employee) -> dict:
    ruleset_age = policy_rules.RuleSet().over_age
    today = calendar_for(employee.agency).today()
    return {
        "sees_health": access.sees_health_flags(employee),
        "can_edit_criteria": bool(criteria.editable_fields(access, employee)),
        "over_age": ruleset_age,
        "is_over_age": policy_rules.is_over(ruleset_age, employee.birth_date, today),
        "travel_holds": bool(
            employee.recent_travel_until and employee.recent_travel_until >= today
        ),
        "contact_holds": bool(
            employee.recent_contact_until and employee.recent_contact_until >= today
        ),
    }


def _without_hidden(rows: list, access: Access, employee: Employee) -> list:
    """The history without the health fields' changes for whoever may not see them."""
    hidden = {
        str(Employee._meta.get_field(name).verbose_name)
        for name in criteria.hidden_fields(access, employee)
    }
    if not hidden:
        return rows
    kept = []
    for row in rows:
        had_changes = bool(row.changes)
        row.changes = [c for c in row.changes if c.label not in hidden]
        if row.changes or not had_changes:  # a change of hidden fields only is left out
            kept.append(row)
    return kept


@page
def employee_criteria(request, access: Access, pk: int):
    """Kriteria penempatan (SE MenPANRB 58/2020): each caller changes only what is theirs to."""
    employee = visible_or_404(access.employees().select_related("agency", "unit", "user"), pk)
    fields = criteria.editable_fields(access, employee)
    deny(bool(fields), _("You cannot change this employee's placement criteria."))
    title = str(employee.name)
    form = CriteriaForm(
        posted(request), fields=fields, initial={f: getattr(employee, f) for f in fields}
    )
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not changes:
            messages.info(request, _("Nothing was changed."))
            return redirect("employee_detail", pk=employee.pk)
        try:
            criteria.employee_criteria_update(access=access, employee=employee, **changes)
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(
                request, _("The placement criteria of %(name)s were saved.") % {"name": title}
            )
            return redirect("employee_detail", pk=employee.pk)
    context = {
        "form": form,
        "employee": employee,
        "title": title,
        "health_fields": [f for f in criteria.HEALTH_FIELDS if f in fields],
    }
    return render(request, "org/employee_criteria.html", context)


@page
def employee_create(request, access: Access):
    deny(may_add_employees(access), _("You cannot add employees."))
    initial = {}
    if request.GET.get("unit", "").isdigit():
        initial["unit"] = int(request.GET["unit"])
    form = EmployeeForm(posted(request), access=access, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        unit = fields["unit"]
        try:
            employee = services.employee_create(
                access=access,
                agency=unit.agency,
                password=form.cleaned_data.get("password") or None,
                **fields,
            )
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc, aliases={"sex": "nip", "birth_date": "nip"})
        else:
            messages.success(request, _("%(name)s was added.") % {"name": employee.name})
            return redirect("employee_detail", pk=employee.pk)
    return render(request, "org/employee_form.html", {"form": form, "employee": None})


@page
def employee_edit(request, access: Access, pk: int):
    employee = visible_or_404(
        access.employees().select_related("agency", "unit", "supervisor", "user"), pk
    )
    deny(access.can_edit_employee(employee), _("You cannot change this employee's data."))
    title = str(employee.name)
    form = EmployeeForm(
        posted(request), access=access, employee=employee, initial=_initial(employee)
    )
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        if not fields:
            messages.info(request, _("Nothing was changed."))
            return redirect("employee_detail", pk=employee.pk)
        try:
            services.employee_update(access=access, employee=employee, **fields)
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc, aliases={"sex": "nip", "birth_date": "nip"})
        else:
            messages.success(request, _("The changes to %(name)s were saved.") % {"name": title})
            return redirect("employee_detail", pk=employee.pk)
    return render(
        request, "org/employee_form.html", {"form": form, "employee": employee, "title": title}
    )


def _initial(employee: Employee) -> dict:
    data = {}
    for name in EMPLOYEE_FORM_FIELDS:
        field = Employee._meta.get_field(name)
        data[name] = getattr(employee, field.attname)
    data["supervisor"] = employee.supervisor.nip if employee.supervisor_id else ""
    return data


@page
def employee_lookup(request, access: Access):
    """Datalist options (NIP, name) for pickers: a supervisor, or the person to grant a role.

    Open to those who add staff or grant roles; it lists their agency's staff by name and NIP.
    """
    deny(may_add_employees(access) or access.can_manage_roles(access.agency_id))
    raw = request.GET.get("q") or request.GET.get("supervisor") or request.GET.get("user") or ""
    raw = raw.strip()
    people = Employee.objects.none()
    if len(raw) >= 2:
        people = (
            Employee.objects.filter(agency__in=access.agencies(), is_active=True)
            .filter(_search_q(raw))
            .select_related("unit")
            .order_by("name")[:LOOKUP_LIMIT]
        )
    return render(request, "org/partials/employee_options.html", {"people": people})


def _search_q(raw: str) -> Q:
    nip = "".join(raw.split())
    return Q(name__icontains=raw) | Q(nip__startswith=nip)
