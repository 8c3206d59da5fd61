"""The server-rendered pages. Reads go through the Access object and selectors, writes through
services; each module is one page group."""

from .agency import agency_day_delete, agency_day_set, agency_detail, agency_edit
from .auth import login_view, logout_view
from .employees import (
    employee_create,
    employee_criteria,
    employee_detail,
    employee_edit,
    employee_list,
    employee_lookup,
)
from .home import home
from .importing import employee_import, import_template
from .offices import office_create, office_detail, office_edit, office_list, room_create
from .profile import password_change, profile, token_create, token_revoke
from .roles import role_grant, role_list, role_revoke
from .units import unit_detail, unit_list

__all__ = [
    "agency_day_delete",
    "agency_day_set",
    "agency_detail",
    "agency_edit",
    "employee_create",
    "employee_criteria",
    "employee_detail",
    "employee_edit",
    "employee_import",
    "employee_list",
    "employee_lookup",
    "home",
    "import_template",
    "login_view",
    "logout_view",
    "office_create",
    "office_detail",
    "office_edit",
    "office_list",
    "password_change",
    "profile",
    "role_grant",
    "role_list",
    "role_revoke",
    "room_create",
    "token_create",
    "token_revoke",
    "unit_detail",
    "unit_list",
]
