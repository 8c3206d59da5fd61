"""The agency's offices: the list, an office's page with its rooms, the forms, adding a room."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q
from django.forms.models import model_to_dict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from darirumah.core.calendar import calendar_for
from darirumah.core.errors import DomainError, NotAllowed, NotFound

from .. import services
from ..access import Access
from ..forms import OfficeForm, RoomForm
from ..models import Agency, Employee, Office, Room, Unit
from .common import add_domain_errors, chosen_agency, deny, history_rows, page, visible_or_404


def _counts(model, ids: list[int], **filters) -> dict[int, int]:
    """How many rows of `model` point at each office (one grouped query)."""
    rows = (
        model.objects.filter(office_id__in=ids, **filters)
        .order_by()
        .values("office_id")
        .annotate(n=Count("pk"))
        .values_list("office_id", "n")
    )
    return dict(rows)


def _list_url(access: Access, agency: Agency) -> str:
    url = reverse("office_list")
    return f"{url}?agency={agency.pk}" if access.is_operator else url


def _refuse_changes(access: Access, agency_id: int) -> None:
    deny(access.manages_agency(agency_id), _("Only BKPSDM can change the offices."))


@page
def office_list(request, access: Access):
    agency = chosen_agency(request, access)
    context: dict = {"agency": agency, "offices": []}
    if access.is_operator:
        context["agencies"] = access.agencies()
    if agency is not None:
        # Counted in separate grouped queries: joining rooms, units and staff at once would
        # multiply the rows.
        offices = list(access.offices().filter(agency=agency).order_by("name"))
        ids = [o.pk for o in offices]
        rooms = _counts(Room, ids)
        units = _counts(Unit, ids, is_active=True)
        staff = _counts(Employee, ids, is_active=True)
        for office in offices:
            office.room_count = rooms.get(office.pk, 0)
            office.unit_count = units.get(office.pk, 0)
            office.staff_count = staff.get(office.pk, 0)
        context.update(
            offices=offices,
            can_manage=access.manages_agency(agency.pk),
            query=f"?agency={agency.pk}" if access.is_operator else "",
        )
    return render(request, "org/office_list.html", context)


def _render_detail(request, access: Access, office: Office, room_form=None):
    rooms = office.rooms.annotate(
        occupants=Count("employees", filter=Q(employees__is_active=True))
    ).order_by("floor", "name")
    units = (
        access.units()
        .filter(office=office, is_active=True)
        .annotate(staff=Count("employees", filter=Q(employees__is_active=True)))
        .order_by("path")
    )
    can_manage = access.manages_agency(office.agency_id)
    context = {
        "map_tiles": settings.MAP_TILE_URL,
        "map_attribution": settings.MAP_TILE_ATTRIBUTION,
        "office": office,
        "rooms": rooms,
        "units": units,
        "staff_count": Employee.objects.filter(office=office, is_active=True).count(),
        "can_manage": can_manage,
        "zone": calendar_for(office.agency).tz,
        "back": _list_url(access, office.agency),
    }
    if can_manage:
        context["room_form"] = room_form or RoomForm()
    if access.can_view_history(office):
        context["history"] = history_rows(office)
    return render(request, "org/office_detail.html", context)


@page
def office_detail(request, access: Access, pk: int):
    office = visible_or_404(access.offices().select_related("agency"), pk)
    return _render_detail(request, access, office)


def _save(request, access: Access, form: OfficeForm, *, agency: Agency, office: Office | None):
    """Create or update through the services; the saved office, or None (errors on the form)."""
    try:
        if office is None:
            return services.office_create(access=access, agency=agency, **form.cleaned_data)
        return services.office_update(access=access, office=office, **form.changes())
    except (NotAllowed, NotFound):
        raise
    except DomainError as exc:
        add_domain_errors(form, exc)
        return None


@page
def office_create(request, access: Access):
    agency = chosen_agency(request, access)
    if agency is None:
        return redirect("office_list")  # the operator picks an agency there first
    _refuse_changes(access, agency.pk)
    form = OfficeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        office = _save(request, access, form, agency=agency, office=None)
        if office is not None:
            messages.success(request, _("The office %(name)s was added.") % {"name": office.name})
            return redirect("office_detail", pk=office.pk)
    context = {
        "form": form,
        "office": None,
        "agency": agency,
        "query": f"?agency={agency.pk}" if access.is_operator else "",
        "back": _list_url(access, agency),
    }
    return render(request, "org/office_form.html", context)


@page
def office_edit(request, access: Access, pk: int):
    office = visible_or_404(access.offices().select_related("agency"), pk)
    _refuse_changes(access, office.agency_id)
    title = office.name
    form = OfficeForm(
        request.POST if request.method == "POST" else None,
        initial=model_to_dict(office, fields=OfficeForm.field_names),
    )
    if request.method == "POST" and form.is_valid():
        if not form.changes():
            messages.info(request, _("Nothing was changed."))
            return redirect("office_detail", pk=office.pk)
        if _save(request, access, form, agency=office.agency, office=office) is not None:
            messages.success(request, _("The changes to %(name)s were saved.") % {"name": title})
            return redirect("office_detail", pk=office.pk)
    context = {
        "form": form,
        "office": office,
        "title": title,
        "agency": office.agency,
        "query": "",
        "back": reverse("office_detail", args=[office.pk]),
    }
    return render(request, "org/office_form.html", context)


@require_POST
@page
def room_create(request, access: Access, pk: int):
    office = visible_or_404(access.offices().select_related("agency"), pk)
    _refuse_changes(access, office.agency_id)
    form = RoomForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            room = services.room_create(
                access=access,
                office=office,
                name=data["name"],
                floor=data["floor"],
                capacity=data["capacity"],
            )
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("The room %(name)s was added.") % {"name": room.name})
            return redirect("office_detail", pk=office.pk)
    return _render_detail(request, access, office, room_form=form)
