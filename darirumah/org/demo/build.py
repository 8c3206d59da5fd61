"""Write the demo plan to the database: create what is missing, never change what exists.

The demo runs as the system, so it writes models directly rather than through the services (which
check a caller's access); it keeps their rules: full_clean() on every new row, Unit.path from
services.unit_path, the login of an employee shaped like services.employee_account, and an audit
row per created object (change reason "demo data"). Rows are written in bulk, level by level, so
both agencies take about a second.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from darirumah.org.models import Agency, Employee, Office, Role, RoleAssignment, Room, Unit, User
from darirumah.org.services import unit_path

from .plan import AgencyPlan, PlannedLogin, operator_login

DEMO_PASSWORD = "demo12345"
CHANGE_REASON = "demo data"
# Foreign keys are checked by the database; skipping them in full_clean() saves a query per key.
_FK_FIELDS = ["agency", "parent", "head", "office", "unit", "room", "supervisor", "user"]


class DemoConflict(Exception):
    """Existing data that the demo would have to overwrite; nothing is written."""


@dataclass
class Outcome:
    name: str
    code: str
    created: dict[str, int] = field(default_factory=dict)
    skipped: str = ""  # why the agency was left alone

    @property
    def changed(self) -> bool:
        return any(self.created.values())


@dataclass(frozen=True)
class LoginRow:
    agency: str
    login: PlannedLogin
    password: str


class _Password:
    """One hash for every demo login: hashing is deliberately slow, and the password is public."""

    def __init__(self):
        self._hash = None

    def __call__(self) -> str:
        if self._hash is None:
            self._hash = make_password(DEMO_PASSWORD)
        return self._hash


def _clean(obj, *also_exclude: str) -> None:
    # Uniqueness is what the caller checked by natural key; the database enforces it anyway.
    exclude = _FK_FIELDS + list(also_exclude)
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def _created_by_demo(model, pk) -> bool:
    reason = (
        model.history.filter(id=pk, history_type="+")
        .values_list("history_change_reason", flat=True)
        .first()
    )
    return reason == CHANGE_REASON


def _bulk(model, objs: list) -> list:
    if not objs:
        return []
    return bulk_create_with_history(objs, model, default_change_reason=CHANGE_REASON)


def _agency(plan: AgencyPlan, outcome: Outcome) -> Agency:
    spec = plan.spec
    agency = Agency.objects.filter(code=spec.code).first()
    if agency is not None:
        return agency
    agency = Agency(
        code=spec.code,
        name=spec.name,
        kind=Agency.Kind.PEMKOT,
        region=spec.region,
        zone="WIB",
        letterhead_title=spec.letterhead_title,
        letterhead_subtitle=spec.letterhead_subtitle,
        address=spec.address,
        phone=spec.phone,
        email=f"bkpsdm@{spec.mail_domain}",
        website=spec.website,
    )
    agency.full_clean()
    agency._change_reason = CHANGE_REASON
    agency.save()
    outcome.created["agency"] = 1
    return agency


def _offices_and_rooms(plan: AgencyPlan, agency: Agency, outcome: Outcome):
    offices = {o.name: o for o in Office.objects.filter(agency=agency)}
    new = []
    for spec in plan.spec.offices:
        if spec.name not in offices:
            office = Office(
                agency=agency,
                name=spec.name,
                address=spec.address,
                latitude=spec.latitude,
                longitude=spec.longitude,
                radius_m=spec.radius_m,
            )
            _clean(office)
            new.append(office)
    offices.update({o.name: o for o in _bulk(Office, new)})
    outcome.created["offices"] = len(new)

    rooms = {
        (r.office.name, r.name): r
        for r in Room.objects.filter(office__agency=agency).select_related("office")
    }
    new = []
    for spec in plan.rooms:
        if (spec.office, spec.name) not in rooms:
            room = Room(
                office=offices[spec.office],
                name=spec.name,
                floor=spec.floor,
                capacity=spec.capacity,
            )
            _clean(room)
            new.append(room)
    for room in _bulk(Room, new):
        rooms[(room.office.name, room.name)] = room
    outcome.created["rooms"] = len(new)
    return offices, rooms


def _units(plan: AgencyPlan, agency: Agency, offices, outcome: Outcome):
    """Create the missing units, parents first; returns (units by code, the new ones)."""
    units = {u.code: u for u in Unit.objects.filter(agency=agency)}
    depth = {}
    for spec in plan.units:
        depth[spec.code] = depth[spec.parent] + 1 if spec.parent else 0
    created: list[Unit] = []
    for level in sorted(set(depth.values())):
        new = []
        for spec in plan.units:
            if depth[spec.code] != level or spec.code in units:
                continue
            unit = Unit(
                agency=agency,
                parent=units[spec.parent] if spec.parent else None,
                code=spec.code,
                name=spec.name,
                kind=spec.kind,
                serves_public=spec.serves_public,
                min_on_site=spec.min_on_site,
                office=offices[spec.office],
            )
            _clean(unit, "path")  # the path needs the primary key: set right after insert
            new.append(unit)
        # History is written once the heads are set (below), so each unit has one creation row.
        for unit in Unit.objects.bulk_create(new):
            unit.path = unit_path(unit)
            units[unit.code] = unit
            created.append(unit)
        Unit.objects.bulk_update(new, ["path"])
    outcome.created["units"] = len(created)
    return units, created


def _users(
    usernames: dict[str, tuple[str, str, bool]], password: _Password, outcome: Outcome
) -> dict[str, User]:
    """The users by username, creating the missing ones: (name, e-mail, demo password)."""
    users = {u.username: u for u in User.objects.filter(username__in=list(usernames))}
    new = []
    for username, (name, email, demo_login) in usernames.items():
        if username in users:
            continue
        user = User(username=username, first_name=name[:150], email=email, is_active=True)
        if demo_login:
            user.password = password()
        else:
            user.set_unusable_password()
        _clean(user)
        new.append(user)
    users.update({u.username: u for u in _bulk(User, new)})
    outcome.created["users"] = outcome.created.get("users", 0) + len(new)
    return users


def _employees(plan: AgencyPlan, agency: Agency, units, offices, rooms, password, outcome):
    nips = [e.nip for e in plan.employees]
    elsewhere = list(
        Employee.objects.filter(nip__in=nips).exclude(agency=agency).values_list("nip", flat=True)
    )
    if elsewhere:
        raise DemoConflict(
            f"{len(elsewhere)} demo NIP(s) already belong to another agency "
            f"(e.g. {elsewhere[0]}); nothing was written."
        )
    by_nip = {e.nip: e for e in Employee.objects.filter(agency=agency)}
    missing = [e for e in plan.employees if e.nip not in by_nip]
    demo_logins = {login.username for login in plan.logins}
    users = _users(
        {e.username: (e.name, e.email, e.username in demo_logins) for e in missing},
        password,
        outcome,
    )
    taken = set(
        Employee.objects.filter(user__username__in=[e.username for e in missing]).values_list(
            "user__username", flat=True
        )
    )
    if taken:
        raise DemoConflict(
            f"The login(s) {', '.join(sorted(taken))} already belong to other employees; "
            "nothing was written."
        )
    for level in sorted({e.level for e in missing}):
        new = []
        for spec in missing:
            if spec.level != level:
                continue
            employee = Employee(
                agency=agency,
                user=users[spec.username],
                nip=spec.nip,
                name=spec.name,
                sex=spec.sex,
                birth_date=spec.birth_date,
                asn_type=spec.asn_type,
                position=spec.position,
                grade=spec.grade,
                job_class=spec.job_class,
                unit=units[spec.unit],
                office=offices[spec.office],
                room=rooms[(spec.office, spec.room)],
                supervisor=by_nip[spec.supervisor] if spec.supervisor else None,
                home_latitude=spec.home_latitude,
                home_longitude=spec.home_longitude,
                phone=spec.phone,
                email=spec.email,
                placed_on=spec.placed_on,
            )
            _clean(employee)  # also checks the NIP and derives sex and birth date from it
            new.append(employee)
        by_nip.update({e.nip: e for e in _bulk(Employee, new)})
    outcome.created["employees"] = len(missing)
    return by_nip


def _heads(plan: AgencyPlan, units, new_units: list[Unit], by_nip) -> None:
    new_codes = {u.code for u in new_units}
    repaired = []
    for spec in plan.units:
        unit = units[spec.code]
        if unit.head_id is None and spec.head in by_nip:
            unit.head = by_nip[spec.head]
            if spec.code not in new_codes:
                repaired.append(unit)
    Unit.objects.bulk_update(new_units, ["head"])
    Unit.history.bulk_history_create(new_units, default_change_reason=CHANGE_REASON)
    if repaired:
        bulk_update_with_history(repaired, Unit, ["head"], default_change_reason=CHANGE_REASON)


def _grant(user: User, role: str, agency, unit, outcome: Outcome) -> None:
    exists = RoleAssignment.objects.filter(
        user=user, role=role, agency=agency, unit=unit, revoked_at__isnull=True
    ).exists()
    if not exists:
        grant = RoleAssignment(user=user, role=role, agency=agency, unit=unit, note="demo")
        grant.full_clean()
        grant._change_reason = CHANGE_REASON
        grant.save()
        outcome.created["role grants"] = outcome.created.get("role grants", 0) + 1


def _install_agency(plan: AgencyPlan, password: _Password) -> Outcome:
    spec = plan.spec
    outcome = Outcome(spec.name, spec.code)
    existing = Agency.objects.filter(code=spec.code).first()
    if existing is not None and not _created_by_demo(Agency, existing.pk):
        outcome.skipped = "an agency with this code exists and was not created by the demo"
        return outcome
    agency = _agency(plan, outcome)
    offices, rooms = _offices_and_rooms(plan, agency, outcome)
    units, new_units = _units(plan, agency, offices, outcome)
    by_nip = _employees(plan, agency, units, offices, rooms, password, outcome)
    _heads(plan, units, new_units, by_nip)
    mayors = {login.username: (login.name, "", True) for login in plan.logins if not login.nip}
    users = _users(mayors, password, outcome)
    for login in plan.logins:
        if not login.grant:
            continue
        user = users[login.username] if not login.nip else by_nip[login.nip].user
        unit = units[login.grant_unit] if login.grant_unit else None
        _grant(user, login.grant, agency, unit, outcome)
    _performance_rules(agency)
    return outcome


# The demo's TPP table per job class (rupiah a month): an example of the kind a Perkada sets,
# so the TPP list shows money from the first month-end run. Agencies enter their own.
DEMO_TPP_BASE = {job_class: 1_500_000 + 350_000 * (job_class - 1) for job_class in range(1, 18)}


def _performance_rules(agency: Agency) -> None:
    from darirumah.performance import config
    from darirumah.performance.models import PerformanceRuleSet

    if PerformanceRuleSet.objects.filter(agency=agency).exists():
        return  # a second run keeps what was set (and what someone changed)
    rules = config.parse({"tpp": {"base_by_job_class": DEMO_TPP_BASE}})
    PerformanceRuleSet.objects.create(agency=agency, rules=config.dump(rules))


def _install_operator(password: _Password) -> tuple[Outcome, bool]:
    """The platform operator; returns the outcome and whether the demo owns the account."""
    login = operator_login()
    outcome = Outcome("Platform operator", login.username)
    user = User.objects.filter(username=login.username).first()
    if user is None:
        # Superuser as well as staff: /admin/ shows nothing to a staff user without permissions,
        # and the platform operator is the one who administers the whole platform.
        user = User(
            username=login.username,
            first_name=login.name,
            is_staff=True,
            is_superuser=True,
            password=password(),
        )
        user._change_reason = CHANGE_REASON
        user.save()
        outcome.created["users"] = 1
    elif not _created_by_demo(User, user.pk):
        outcome.skipped = "a user named 'operator' exists already and was left unchanged"
        return outcome, False
    _grant(user, Role.OPERATOR, None, None, outcome)
    return outcome, True


def install(plans: tuple[AgencyPlan, ...]) -> tuple[list[Outcome], list[LoginRow]]:
    """Create whatever of the plan is missing. Each agency is one transaction."""
    outcomes, rows = [], []
    password = _Password()
    for plan in plans:
        with transaction.atomic():
            outcome = _install_agency(plan, password)
        outcomes.append(outcome)
        if not outcome.skipped:
            rows += [LoginRow(plan.spec.name, login, DEMO_PASSWORD) for login in plan.logins]
    with transaction.atomic():
        outcome, owned = _install_operator(password)
    outcomes.append(outcome)
    rows.append(
        LoginRow("", operator_login(), DEMO_PASSWORD if owned else "(existing, not changed)")
    )
    return outcomes, rows
