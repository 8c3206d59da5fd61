"""Who may see and do what. Every selector, endpoint and page asks this module.

Roles:
- pegawai: every employee, over their own record;
- atasan: an employee with subordinates, over them through supervisor links, transitively (read);
- admin OPD / kepala OPD: over their unit subtree (admin edits, head reads and decides); the head
  of a unit (Unit.head) is kepala OPD of its subtree without an explicit grant;
- BKPSDM: the whole agency, runs the organisation data, imports and roles;
- pimpinan: the whole agency, reads and decides;
- petugas kesehatan: the agency's health data, and the staff list needed for tracing;
- platform operator: every agency.

Outside a caller's scope an object does not exist for them (404); inside their scope but beyond
their rights an action is forbidden (403).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q, QuerySet

from darirumah.core.errors import NotAllowed, NotFound

from .models import Agency, Employee, Office, Role, RoleAssignment, Unit, User

AGENCY_WIDE = frozenset({Role.BKPSDM, Role.PIMPINAN, Role.KESEHATAN})


@dataclass
class Access:
    """The caller's roles and scope, computed once per request."""

    user: User
    employee: Employee | None = None
    agency_id: int | None = None
    is_operator: bool = False
    agency_roles: frozenset[str] = frozenset()
    # (role, unit path) for admin OPD and kepala OPD grants, and for units the employee heads.
    unit_roles: tuple[tuple[str, str], ...] = ()
    _subordinates: set[int] | None = field(default=None, repr=False)

    # --- roles -----------------------------------------------------------------------------

    @property
    def is_bkpsdm(self) -> bool:
        return Role.BKPSDM in self.agency_roles

    @property
    def is_pimpinan(self) -> bool:
        return Role.PIMPINAN in self.agency_roles

    @property
    def is_health_officer(self) -> bool:
        return Role.KESEHATAN in self.agency_roles

    @property
    def is_unit_admin(self) -> bool:
        return any(r == Role.ADMIN_OPD for r, _ in self.unit_roles)

    @property
    def is_unit_head(self) -> bool:
        return any(r == Role.KEPALA_OPD for r, _ in self.unit_roles)

    @cached_property
    def subordinate_ids(self) -> frozenset[int]:
        """Every employee below the caller through supervisor links (transitively)."""
        if self.employee is None:
            return frozenset()
        found: set[int] = set()
        frontier = {self.employee.pk}
        while frontier:
            below = set(
                Employee.objects.filter(supervisor_id__in=frontier).values_list("pk", flat=True)
            )
            frontier = below - found - {self.employee.pk}
            found |= frontier
        return frozenset(found)

    @property
    def is_supervisor(self) -> bool:
        return bool(self.subordinate_ids)

    def role_codes(self) -> list[str]:
        """Every role the caller holds, for display and the /me endpoint."""
        codes = []
        if self.employee is not None:
            codes.append("pegawai")
            if self.is_supervisor:
                codes.append("atasan")
        codes += sorted({r for r, _ in self.unit_roles})
        codes += sorted(self.agency_roles)
        if self.is_operator:
            codes.append(Role.OPERATOR.value)
        return codes

    def unit_paths(self, *roles: str) -> list[str]:
        return [p for r, p in self.unit_roles if not roles or r in roles]

    # --- scopes (querysets) ----------------------------------------------------------------

    def agencies(self) -> QuerySet[Agency]:
        if self.is_operator:
            return Agency.objects.all()
        return Agency.objects.filter(pk=self.agency_id) if self.agency_id else Agency.objects.none()

    def units(self) -> QuerySet[Unit]:
        """The unit tree is visible to everyone in the agency."""
        return Unit.objects.filter(agency__in=self.agencies())

    def offices(self) -> QuerySet[Office]:
        return Office.objects.filter(agency__in=self.agencies())

    def employees_q(self) -> Q:
        if self.is_operator:
            return Q()
        q = Q(pk__in=[])
        if self.agency_id and self.agency_roles:
            q |= Q(agency_id=self.agency_id)
        for path in self.unit_paths():
            q |= Q(agency_id=self.agency_id, unit__path__startswith=path)
        if self.employee is not None:
            q |= Q(pk=self.employee.pk)
            if self.subordinate_ids:
                q |= Q(pk__in=self.subordinate_ids)
        return q

    def employees(self) -> QuerySet[Employee]:
        return Employee.objects.filter(self.employees_q())

    # --- decisions -------------------------------------------------------------------------

    def in_agency(self, agency_id: int | None) -> bool:
        return self.is_operator or (agency_id is not None and agency_id == self.agency_id)

    def manages_agency(self, agency_id: int | None) -> bool:
        """Runs the organisation data of the agency: BKPSDM or the platform operator."""
        return self.is_operator or (self.in_agency(agency_id) and self.is_bkpsdm)

    def administers_unit(self, unit: Unit) -> bool:
        """May change the unit's staff data: BKPSDM, or an OPD admin over the unit's subtree."""
        if self.manages_agency(unit.agency_id):
            return True
        return unit.agency_id == self.agency_id and any(
            unit.path.startswith(p) for p in self.unit_paths(Role.ADMIN_OPD)
        )

    def oversees_unit(self, unit: Unit) -> bool:
        """Reads everything of the unit's subtree: agency-wide roles, OPD admins and heads."""
        if self.is_operator:
            return True
        if unit.agency_id != self.agency_id:
            return False
        if self.agency_roles & {Role.BKPSDM, Role.PIMPINAN}:
            return True
        return any(unit.path.startswith(p) for p in self.unit_paths())

    def team_in(self, unit: Unit) -> set[int]:
        """The caller's subordinates (through supervisor links) working in the unit's subtree."""
        if not self.subordinate_ids or unit.agency_id != self.agency_id:
            return set()
        return set(
            Employee.objects.filter(
                pk__in=self.subordinate_ids, unit__path__startswith=unit.path
            ).values_list("pk", flat=True)
        )

    def can_view_employee(self, employee: Employee) -> bool:
        if self.is_operator:
            return True
        if employee.agency_id != self.agency_id:
            return False
        if self.agency_roles or (self.employee and employee.pk == self.employee.pk):
            return True
        if employee.pk in self.subordinate_ids:
            return True
        return any(employee.unit.path.startswith(p) for p in self.unit_paths())

    def can_edit_employee(self, employee: Employee) -> bool:
        return self.administers_unit(employee.unit)

    def sees_health_flags(self, employee: Employee) -> bool:
        """May see (and keep up to date) an employee's health flags: comorbidity, pregnancy,
        close contact. Health data (UU 27/2022) goes only to the person themself, the admin and
        head of their unit subtree, BKPSDM and health officers of their agency. Not to
        colleagues, not to a supervisor as such, not to pimpinan, not to the platform operator.

        `employee.unit` is read: select it with the employee when checking a list.
        """
        if self.employee is not None and employee.pk == self.employee.pk:
            return True
        if self.agency_id is None or employee.agency_id != self.agency_id:
            return False
        if self.agency_roles & {Role.BKPSDM, Role.KESEHATAN}:
            return True
        paths = self.unit_paths(Role.ADMIN_OPD, Role.KEPALA_OPD)
        return any(employee.unit.path.startswith(p) for p in paths)

    def edits_health_flags(self, employee: Employee) -> bool:
        """Whoever may see the health flags may also record them (the person declares their own
        pregnancy, the health officer records a contact)."""
        return self.sees_health_flags(employee)

    def edits_work_criteria(self, employee: Employee) -> bool:
        """May mark an employee a top official or holding a strategic post: whoever arranges the
        roster of their unit (BKPSDM, the OPD admin or head, the operator)."""
        return self.arranges_unit(employee.unit)

    def edits_travel(self, employee: Employee) -> bool:
        """Recent travel: declared by the person, or recorded by either group above."""
        return self.edits_health_flags(employee) or self.edits_work_criteria(employee)

    def can_view_history(self, obj) -> bool:
        """Audit history: whoever oversees the object's unit, or its agency as BKPSDM/pimpinan.

        An object with no agency (a platform operator's grant, an account without an employee)
        belongs to the platform: only the operator sees its history.
        """
        if self.is_operator:
            return True
        if isinstance(obj, Employee):
            return self.oversees_unit(obj.unit)
        if isinstance(obj, Unit):
            return self.oversees_unit(obj)
        if isinstance(obj, User):
            employee = Employee.objects.filter(user=obj).select_related("unit").first()
            return employee is not None and self.oversees_unit(employee.unit)
        if isinstance(obj, Agency):
            agency_id = obj.pk
        elif hasattr(obj, "office"):  # a room
            agency_id = obj.office.agency_id
        else:
            agency_id = getattr(obj, "agency_id", None)
        return (
            agency_id is not None
            and agency_id == self.agency_id
            and bool(self.agency_roles & {Role.BKPSDM, Role.PIMPINAN})
        )

    # --- health data (UU 27/2022: specific personal data) -----------------------------------

    @property
    def is_bkpsdm_head(self) -> bool:
        """The head of BKPSDM: holds the BKPSDM role and heads an OPD (a top-level unit)."""
        return self.is_bkpsdm and any(p.count("/") == 2 for p in self.unit_paths(Role.KEPALA_OPD))

    def reads_health_names(self, agency_id: int | None) -> bool:
        """May see who is ill, isolated or a close contact: the agency's health officers and the
        head of BKPSDM. Not pimpinan, not other BKPSDM staff, not the platform operator (they see
        counts). Every such read is logged with its reason (health/services/audit.py)."""
        return (
            agency_id is not None
            and agency_id == self.agency_id
            and (self.is_health_officer or self.is_bkpsdm_head)
        )

    def records_health(self, agency_id: int | None) -> bool:
        """Records cases, tests, contacts, isolations, closures and disinfections: the agency's
        health officers."""
        return agency_id is not None and agency_id == self.agency_id and self.is_health_officer

    def sees_health_overview(self, agency_id: int | None) -> bool:
        """Sees the cluster verdict and the health dashboard without names: whoever reads names,
        BKPSDM and pimpinan of the agency, the platform operator."""
        return self.is_operator or (
            self.in_agency(agency_id)
            and (
                self.reads_health_names(agency_id)
                or bool(self.agency_roles & {Role.BKPSDM, Role.PIMPINAN})
            )
        )

    def arranges_unit(self, unit: Unit) -> bool:
        """Arranges the unit's roster: BKPSDM, or the OPD admin or head over its subtree."""
        if self.manages_agency(unit.agency_id):
            return True
        return unit.agency_id == self.agency_id and any(
            unit.path.startswith(p) for p in self.unit_paths(Role.ADMIN_OPD, Role.KEPALA_OPD)
        )

    def decides_policy(self, agency_id: int | None) -> bool:
        """Drafts and decides WFH circulars: BKPSDM and pimpinan of the agency, the operator."""
        return self.is_operator or (
            self.in_agency(agency_id) and bool(self.agency_roles & {Role.BKPSDM, Role.PIMPINAN})
        )

    # --- documents and signatures ----------------------------------------------------------

    def reads_document_register(self, agency_id: int | None) -> bool:
        """Reads the agency's whole document register: BKPSDM and pimpinan, the operator."""
        return self.is_operator or (
            self.in_agency(agency_id) and bool(self.agency_roles & {Role.BKPSDM, Role.PIMPINAN})
        )

    def documents_q(self, prefix: str = "") -> Q:
        """The documents the caller may read: the register for BKPSDM and pimpinan; an OPD's
        documents for its admins and heads; the agency's circulars for everyone in it; and any
        document the caller signs or is the subject of."""
        if self.is_operator:
            return Q()
        q = Q(**{f"{prefix}pk__in": []})
        if not self.agency_id:
            return q
        agency = {f"{prefix}agency_id": self.agency_id}
        if self.reads_document_register(self.agency_id):
            return Q(**agency)
        q |= Q(**agency, **{f"{prefix}kind": "circular"})
        for path in self.unit_paths():
            q |= Q(**agency, **{f"{prefix}unit__path__startswith": path})
            q |= Q(**agency, **{f"{prefix}employee__unit__path__startswith": path})
        if self.user is not None and self.user.pk:
            q |= Q(**{f"{prefix}signers__user_id": self.user.pk})
            q |= Q(**{f"{prefix}created_by_id": self.user.pk})
        if self.employee is not None:
            q |= Q(**{f"{prefix}employee_id": self.employee.pk})
        return q

    def prepares_unit_documents(self, unit: Unit) -> bool:
        """Prepares letters of a unit (its evaluation, uploads for signing): BKPSDM, the OPD
        admin or head over its subtree."""
        return self.arranges_unit(unit)

    def prepares_agency_documents(self, agency_id: int | None) -> bool:
        """Prepares agency-wide letters (the daily recap, uploads): BKPSDM, the operator."""
        return self.manages_agency(agency_id)

    def manages_certificates(self, agency_id: int | None) -> bool:
        """Sees and revokes the agency's signing certificates: BKPSDM, the operator."""
        return self.manages_agency(agency_id)

    def watches_jobs(self, agency_id: int | None) -> bool:
        """Sees the timed-job runs (did the 07:00 reminder go out?): BKPSDM of the agency and
        the platform operator."""
        return self.manages_agency(agency_id)

    def can_import(self, agency_id: int | None) -> bool:
        return self.manages_agency(agency_id)

    def can_manage_roles(self, agency_id: int | None) -> bool:
        return self.manages_agency(agency_id)

    # --- helpers that raise ----------------------------------------------------------------

    def require(self, allowed: bool, message: str | None = None) -> None:
        if not allowed:
            from django.utils.translation import gettext as _

            raise NotAllowed(message or _("You do not have permission to do this."))


def _grants_of(user, employee) -> tuple[int | None, bool, frozenset[str], tuple]:
    """(agency id, is operator, agency-wide roles, unit roles) from the user's grants and the
    units their employee record heads: two queries."""
    grants = list(
        RoleAssignment.objects.filter(user=user, revoked_at__isnull=True).select_related("unit")
    )
    is_operator = user.is_superuser or any(g.role == Role.OPERATOR for g in grants)
    agency_id = employee.agency_id if employee else None
    if agency_id is None:
        agency_id = next((g.agency_id for g in grants if g.agency_id), None)
    agency_roles = frozenset(
        g.role for g in grants if g.role in AGENCY_WIDE and g.agency_id == agency_id
    )
    unit_roles = [
        (g.role, g.unit.path)
        for g in grants
        if g.role in RoleAssignment.UNIT_SCOPED and g.unit and g.agency_id == agency_id
    ]
    if employee is not None:
        unit_roles += [
            (Role.KEPALA_OPD.value, p)
            for p in Unit.objects.filter(head=employee, is_active=True).values_list(
                "path", flat=True
            )
        ]
    return agency_id, is_operator, agency_roles, tuple(dict.fromkeys(unit_roles))


class _GrantsOnDemand(Access):
    """A logged-in user's Access whose role grants are read the first time a role, the scope
    or the agency of a user without an employee record is asked for. The 07:25 check-in needs
    only the employee record, and so makes two queries fewer."""

    def __init__(self, user: User, employee: Employee | None):
        self.user = user
        self.employee = employee
        self._subordinates = None

    @cached_property
    def _grants(self) -> tuple[int | None, bool, frozenset[str], tuple]:
        return _grants_of(self.user, self.employee)

    @property
    def agency_id(self) -> int | None:
        if self.employee is not None:
            return self.employee.agency_id
        return self._grants[0]

    @property
    def is_operator(self) -> bool:
        return self._grants[1]

    @property
    def agency_roles(self) -> frozenset[str]:
        return self._grants[2]

    @property
    def unit_roles(self) -> tuple[tuple[str, str], ...]:
        return self._grants[3]


def access_for(user) -> Access:
    """The caller's Access; cached on the user object for the rest of the request. The employee
    record is read at once, the role grants when first needed."""
    cached = getattr(user, "_darirumah_access", None)
    if cached is not None:
        return cached
    if user is None or not user.is_authenticated:
        return Access(user=user)
    employee = (
        Employee.objects.select_related("unit", "agency", "office")
        .filter(user=user, is_active=True)
        .first()
    )
    access = _GrantsOnDemand(user, employee)
    user._darirumah_access = access
    return access


def get_visible(queryset: QuerySet, pk, message: str | None = None):
    """The object with `pk` from a scoped queryset, or NotFound (never reveals other agencies)."""
    from django.utils.translation import gettext as _

    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise NotFound(message or _("Not found, or not visible to you."))
    return obj
