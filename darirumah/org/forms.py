"""Page forms. They parse and offer choices within the caller's scope; the services validate and
write. A service's refusal is put back on the form by views.common.add_domain_errors."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.db import models
from django.db.models import Q
from django.forms.models import fields_for_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .access import Access
from .models import Agency, AgencyDay, Employee, Office, Role, RoleAssignment, Room, Unit
from .rules import normalise_nip
from .services import AGENCY_FIELDS, OFFICE_FIELDS


def _lookup_attrs(datalist_id: str) -> dict:
    """htmx attributes that fill a <datalist> with matching staff as the person types."""
    return {
        "list": datalist_id,
        "autocomplete": "off",
        "hx-get": reverse("employee_lookup"),
        "hx-trigger": "input changed delay:300ms",
        "hx-target": f"#{datalist_id}",
        "hx-swap": "innerHTML",
    }


def _bootstrap(form: forms.Form) -> None:
    """Give each widget Bootstrap's class, so templates can render fields plainly."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            # RadioSelect covers CheckboxSelectMultiple too: each option is a check input.
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        classes = widget.attrs.get("class", "").split()
        if css not in classes:
            widget.attrs["class"] = " ".join([*classes, css])


def _mark_invalid(form: forms.Form) -> None:
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            classes = widget.attrs.get("class", "").split()
            if "is-invalid" not in classes:
                widget.attrs["class"] = " ".join([*classes, "is-invalid"])


class BootstrapMixin:
    """Bootstrap classes on every widget, and `is-invalid` on those with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def add_error(self, field, error):
        super().add_error(field, error)
        _mark_invalid(self)


class BootstrapForm(BootstrapMixin, forms.Form):
    pass


class LoginForm(BootstrapMixin, AuthenticationForm):
    """Django's login form, asking for the NIP or the username (the backend accepts both)."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("NIP or username")
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )


# --- employees -----------------------------------------------------------------------------

EMPLOYEE_FORM_FIELDS = [
    "nip",
    "name",
    "asn_type",
    "position",
    "grade",
    "job_class",
    "unit",
    "office",
    "room",
    "home_latitude",
    "home_longitude",
    "phone",
    "email",
    "placed_on",
    "is_active",
]


def _employee_fields() -> dict:
    fields = fields_for_model(Employee, fields=EMPLOYEE_FORM_FIELDS)
    fields["placed_on"].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    fields["nip"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
    fields["nip"].help_text = _("18 digits: birth date, appointment month, sex, sequence.")
    fields["phone"].widget.attrs["inputmode"] = "tel"
    for name in ("home_latitude", "home_longitude"):
        fields[name].widget.attrs.update({"step": "any", "inputmode": "decimal"})
    return fields


class EmployeeForm(BootstrapForm):
    """Create or edit an employee. Choices are limited to what the caller administers."""

    supervisor = forms.CharField(
        label=_("Direct supervisor (NIP)"),
        required=False,
        help_text=_("Type a name or NIP and pick from the list; leave empty for none."),
    )
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        help_text=_("Optional. Without one the employee cannot log in until a password is set."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=False),
    )

    def __init__(self, *args, access: Access, employee: Employee | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.access = access
        self.employee = employee
        self.fields["supervisor"].widget.attrs.update(_lookup_attrs("supervisor-options"))
        # The model's own fields (labels, choices, validators) come first, then the extras.
        self.fields = {**_employee_fields(), **self.fields}
        units = access.units().select_related("agency").filter(is_active=True)
        if not access.is_operator and not access.manages_agency(access.agency_id):
            paths = access.unit_paths(Role.ADMIN_OPD)
            q = Q(pk__in=[])
            for path in paths:
                q |= Q(path__startswith=path)
            units = units.filter(q)
        if employee is not None:
            units = units | access.units().filter(pk=employee.unit_id)
        self.fields["unit"].queryset = units.order_by("agency__name", "path")
        if access.is_operator:
            self.fields["unit"].label_from_instance = lambda u: f"{u.agency.code} · {u.name}"
        self.fields["office"].queryset = access.offices()
        self.fields["room"].queryset = Room.objects.filter(office__in=access.offices())
        _bootstrap(self)
        if employee is not None:
            del self.fields["password"]
            self.fields["supervisor"].initial = (
                employee.supervisor.nip if employee.supervisor_id else ""
            )
            if not access.manages_agency(employee.agency_id):
                # Only BKPSDM corrects a NIP; others see it but cannot change it.
                self.fields["nip"].disabled = True
                self.fields["nip"].help_text = _("Only BKPSDM can correct a NIP.")
        else:
            del self.fields["is_active"]

    def clean_nip(self):
        return normalise_nip(self.cleaned_data["nip"])

    def clean_supervisor(self):
        raw = normalise_nip(self.cleaned_data.get("supervisor") or "")
        if not raw:
            return None
        unit = self.cleaned_data.get("unit") or (self.employee.unit if self.employee else None)
        agency_id = unit.agency_id if unit else None
        found = Employee.objects.filter(agency_id=agency_id, nip=raw).first() if agency_id else None
        if found is None:
            raise forms.ValidationError(
                _("No employee with NIP %(nip)s in this agency.") % {"nip": raw}
            )
        return found

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if password:
            password_validation.validate_password(password)
        return password

    def service_fields(self) -> dict:
        """The cleaned values to hand to the service: all on create, the changed ones on edit."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "password"}
        if self.employee is None:
            return data
        changed = set(self.changed_data)
        return {k: v for k, v in data.items() if k in changed}


class CriteriaForm(BootstrapForm):
    """An employee's SE MenPANRB 58/2020 criteria: only those the caller may change."""

    def __init__(self, *args, fields: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = fields_for_model(Employee, fields=fields)
        for name in ("recent_travel_until", "recent_contact_until"):
            if name in self.fields:
                self.fields[name].widget = forms.DateInput(
                    attrs={"type": "date"}, format="%Y-%m-%d"
                )
        _bootstrap(self)

    def changes(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in set(self.changed_data)}


# --- list filters --------------------------------------------------------------------------


class EmployeeFilterForm(BootstrapForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, NIP or position")}),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All units")
    )
    team = forms.BooleanField(label=_("Only my subordinates"), required=False)
    inactive = forms.BooleanField(label=_("Include inactive"), required=False)

    def __init__(self, *args, access: Access, **kwargs):
        super().__init__(*args, **kwargs)
        units = access.units().select_related("agency").order_by("agency__name", "path")
        self.fields["unit"].queryset = units
        if access.is_operator:
            self.fields["unit"].label_from_instance = lambda u: f"{u.agency.code} · {u.name}"
        else:
            self.fields["unit"].label_from_instance = lambda u: (
                "\u2003" * u.depth + u.name  # indent by depth with em spaces
            )
        if not access.is_supervisor:
            del self.fields["team"]


# --- import --------------------------------------------------------------------------------


class ImportForm(BootstrapForm):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file only, write nothing"), required=False, initial=True
    )
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())

    def __init__(self, *args, access: Access, agency: Agency | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if access.is_operator:
            # The operator serves every agency and says which one; everyone else imports into
            # their own.
            self.fields["agency"].queryset = access.agencies()
            self.fields["agency"].initial = agency.pk if agency is not None else None
        else:
            del self.fields["agency"]


# --- profile -------------------------------------------------------------------------------


class TokenForm(BootstrapForm):
    name = forms.CharField(
        label=_("Token name"),
        max_length=80,
        help_text=_("What the token is for, e.g. 'attendance sync'."),
    )
    expires_on = forms.DateField(
        label=_("Valid until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day is not None and day < self.today:
            raise forms.ValidationError(_("Pick today or a later day."))
        return day


# --- roles ---------------------------------------------------------------------------------


class RoleGrantForm(BootstrapForm):
    user = forms.CharField(
        label=_("Person (NIP or username)"),
        help_text=_("Type a name or NIP and pick from the list."),
    )
    role = forms.ChoiceField(label=_("Role"))
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Only for OPD admin and OPD head: the unit (with its sub-units) they run."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, access: Access, agency: Agency, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.access = access
        self.agency = agency
        self.users = users
        self.fields["user"].widget.attrs.update(_lookup_attrs("user-options"))
        self.fields["role"].choices = [("", _("Pick a role"))] + [
            (value, label)
            for value, label in Role.choices
            if value != Role.OPERATOR or access.is_operator
        ]
        self.fields["unit"].queryset = access.units().filter(agency=agency).order_by("path")
        self.fields["unit"].label_from_instance = lambda u: "\u2003" * u.depth + u.name

    def clean_user(self):
        raw = self.cleaned_data["user"].strip()
        nip = normalise_nip(raw)
        user = (
            self.users.filter(Q(employee__nip=nip) | Q(username__iexact=raw))
            .select_related("employee")
            .first()
        )
        if user is None:
            raise forms.ValidationError(_("Nobody with this NIP or username is visible to you."))
        employee = getattr(user, "employee", None)
        if employee is not None and employee.agency_id != self.agency.pk:
            raise forms.ValidationError(_("This person works for another agency."))
        return user

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role not in (Role.ADMIN_OPD, Role.KEPALA_OPD):
            data["unit"] = None  # the operator and agency-wide roles have no unit
        elif not data.get("unit"):
            self.add_error("unit", _("Pick the unit for this role."))
        user = data.get("user")
        if user is not None and role and not self.errors:
            # The database's unique rule does not catch this when the unit is empty (NULLs differ).
            same = RoleAssignment.objects.filter(
                user=user,
                role=role,
                agency=None if role == Role.OPERATOR else self.agency,
                unit=data.get("unit"),
                revoked_at__isnull=True,
            )
            if same.exists():
                self.add_error(None, _("This person already has this role."))
        return data


class PasswordForm(BootstrapMixin, PasswordChangeForm):
    pass


# --- agency settings, calendar, offices ----------------------------------------------------


def _model_order(model, names) -> list[str]:
    """The fields a service accepts, in the model's order (the form offers exactly those)."""
    return [f.name for f in model._meta.get_fields() if f.name in names]


def _formfield(db_field, **kwargs):
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")  # a bare "kota.go.id" is a https site
    return db_field.formfield(**kwargs)


class ChangedFieldsForm(BootstrapForm):
    """A form over a model's own fields; `changes()` gives only what the person changed."""

    model: type
    field_names: list[str]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        own = fields_for_model(self.model, fields=self.field_names, formfield_callback=_formfield)
        self.fields = {**own, **self.fields}
        _bootstrap(self)

    def changes(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in set(self.changed_data)}


class AgencyForm(ChangedFieldsForm):
    """The agency's settings. The services validate; only the operator changes the code."""

    model = Agency
    field_names = _model_order(Agency, AGENCY_FIELDS)

    def __init__(self, *args, access: Access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risk_zone"].choices = [("", _("not set"))] + list(Agency.RiskZone.choices)
        self.fields["risk_zone"].help_text = _("Used to cap how many staff work at the office.")
        self.fields["ppkm_level"].widget.attrs.update({"min": 1, "max": 4})
        self.fields["ppkm_level"].help_text = _("1 to 4; leave empty when no PPKM level applies.")
        self.fields["phone"].widget.attrs["inputmode"] = "tel"
        if not access.is_operator:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("Only the platform operator can change the code.")


class AgencyDayForm(BootstrapForm):
    """Declare a day off (joint leave, regional holiday) or an extra working day."""

    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (AgencyDay.Kind.OFF, _("Day off (cuti bersama, regional holiday)")),
            (AgencyDay.Kind.ON, _("Extra working day")),
        ],
    )
    name = forms.CharField(
        label=_("Reason"),
        min_length=2,
        max_length=120,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Cuti bersama Idul Fitri")}),
    )


class OfficeForm(ChangedFieldsForm):
    """An office and its check-in geofence. Coordinates and radius are checked by the service."""

    model = Office
    field_names = _model_order(Office, OFFICE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("latitude", "longitude"):
            self.fields[name].widget.attrs.update({"step": "any", "inputmode": "decimal"})
        self.fields["latitude"].help_text = _("Decimal degrees, e.g. -6.1201 (south is negative).")
        self.fields["longitude"].help_text = _("Decimal degrees, e.g. 106.1503.")
        self.fields["radius_m"].widget.attrs.update({"min": 10, "max": 5000})
        self.fields["radius_m"].help_text = _(
            "Check-in counts as at the office within this distance (10–5000 m)."
        )


class RoomForm(BootstrapForm):
    name = forms.CharField(label=_("Room name"), max_length=120)
    floor = forms.CharField(label=_("Floor"), max_length=20, required=False)
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=1,
        required=False,
        help_text=_("Seats for staff on site; leave empty if not known."),
    )
