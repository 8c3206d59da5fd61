"""The demo data as a plan: plain frozen dataclasses computed from the catalogue, no database.

Every choice comes from random generators seeded per agency, so the same `today` always gives the
same plan; only `placed_on` depends on `today` (some staff must be newly placed, within three
months, for the flexible-work rule), and it draws the same random numbers whatever the date, so
every other field is the same on any day.
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta

from faker import Faker

from darirumah.org import rules
from darirumah.org.models import Role

from .batu import BATU
from .catalogue import AgencySpec, UnitSpec
from .posts import FIRST_PPPK_YEAR, GRADES, HEADS, LAST_APPOINTMENT_YEAR, POSITIONS, Post
from .serang import SERANG

SEED = "darirumah-demo-2020"
AGENCIES = (SERANG, BATU)
# Indonesian mobile numbers: 08 + an operator code (Telkomsel 0811–0813, 0821, 0852…).
PHONE_PREFIXES = ("11", "12", "13", "21", "22", "52", "53", "57", "77", "78", "81", "95", "96")

PPPK_SHARE = 0.3  # among posts open to PPPK
RECENT_SHARE = 0.08  # placed in the current post within the last three months

# The demo logins, in the order they are printed, with the role each one is granted (if any).
LOGIN_ROLES = (
    ("pegawai", ""),
    ("atasan", ""),
    ("kepala_opd", ""),  # heads their OPD (Unit.head): kepala OPD without a grant
    ("admin_opd", Role.ADMIN_OPD),
    ("bkpsdm", Role.BKPSDM),
    ("pimpinan", Role.PIMPINAN),
    ("kesehatan", Role.KESEHATAN),
)
LOGIN_NAMES = {
    "pegawai": "pegawai",
    "atasan": "atasan",
    "kepala_opd": "kepala",
    "admin_opd": "admin",
    "bkpsdm": "bkpsdm",
    "pimpinan": "walikota",
    "kesehatan": "kesehatan",
}
OPERATOR_USERNAME = "operator"


@dataclass(frozen=True)
class PlannedRoom:
    office: str
    name: str
    floor: str
    capacity: int


@dataclass(frozen=True)
class PlannedUnit:
    code: str
    name: str
    kind: str
    parent: str  # parent code, "" at the top
    office: str
    room: str
    serves_public: bool
    min_on_site: int
    head: str  # the head's NIP


@dataclass(frozen=True)
class PlannedEmployee:
    nip: str
    name: str
    sex: str
    birth_date: date
    asn_type: str
    position: str
    grade: str
    job_class: int
    unit: str  # unit code
    office: str
    room: str
    supervisor: str  # NIP, "" for the top of the agency
    home_latitude: float
    home_longitude: float
    phone: str
    email: str
    placed_on: date
    level: int  # steps below the top of the reporting line: supervisors are created first
    username: str


@dataclass(frozen=True)
class PlannedLogin:
    role: str
    username: str
    nip: str  # "" for a login that is not an employee (the mayor, the operator)
    name: str
    where: str  # unit, or the office held
    grant: str  # a Role value to grant, "" when the role follows from the data
    grant_unit: str = ""  # unit code for unit-scoped grants


@dataclass(frozen=True)
class AgencyPlan:
    spec: AgencySpec
    rooms: tuple[PlannedRoom, ...]
    units: tuple[PlannedUnit, ...]  # parents before children
    employees: tuple[PlannedEmployee, ...]  # supervisors before their staff
    logins: tuple[PlannedLogin, ...]


def head_title(unit: UnitSpec, parent: UnitSpec | None) -> str:
    if unit.head:
        return unit.head
    if unit.kind == "sekretariat" and parent is not None:
        return {
            "dinas": "Sekretaris Dinas",
            "badan": "Sekretaris Badan",
            "inspektorat": "Sekretaris Inspektorat",
            "kecamatan": "Sekretaris Kecamatan",
        }.get(parent.kind, "Sekretaris")
    if unit.kind == "kelurahan":
        return "Lurah " + unit.name.removeprefix("Kelurahan ")
    if unit.name.startswith("Inspektur"):
        return unit.name
    return "Kepala " + unit.name


def head_level(unit: UnitSpec, parent: UnitSpec | None) -> str:
    if parent is None:
        if unit.kind == "sekretariat":
            return "sekda"
        return "administrator" if unit.kind == "kecamatan" else "opd"
    return {
        "seksi": "pengawas",
        "subbagian": "pengawas",
        "kelurahan": "pengawas",
        "puskesmas": "kapus",
        "desa": "sekdes",
    }.get(unit.kind, "administrator")


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", plain.lower())


class _Planner:
    def __init__(self, spec: AgencySpec, today: date, used_nips: set[str]):
        self.spec = spec
        self.today = today
        self.used_nips = used_nips
        self.rng = random.Random(f"{SEED}:{spec.code}")  # noqa: S311 — made-up data, no secrets
        self.fake = Faker("id_ID")
        self.fake.seed_instance(f"{SEED}:{spec.code}:names")
        self.emails: set[str] = set()
        self.employees: list[PlannedEmployee] = []
        self.units: list[PlannedUnit] = []
        self.room_people: dict[tuple[str, str], int] = {}
        self.room_floor: dict[tuple[str, str], str] = {}
        self.office_opds: dict[str, int] = {}
        self.staff_of: dict[str, list[str]] = {}  # unit code → staff NIPs (not the head)
        self.opd_short: dict[str, str] = {}  # unit code → the short name of its OPD

    # --- people ---------------------------------------------------------------------------

    def person_name(self, sex: str, post: Post) -> str:
        fake = self.fake
        if sex == "L":
            name = f"{fake.first_name_male()} {fake.last_name_male()}"
        else:
            name = f"{fake.first_name_female()} {fake.last_name_female()}"
        degree = self.rng.choice(post.degrees)
        return f"{post.prefix} {name}".strip() + (f", {degree}" if degree else "")

    def nip(self, post: Post, asn_type: str, sex: str) -> tuple[str, date, date]:
        rng = self.rng
        if asn_type == "PPPK":
            year = rng.randint(FIRST_PPPK_YEAR, LAST_APPOINTMENT_YEAR)
            birth_year = min(max(post.born[0], year - rng.randint(22, 40)), post.born[1])
        else:
            birth_year = rng.randint(*post.born)
            year = min(birth_year + rng.randint(20, 35), LAST_APPOINTMENT_YEAR)
        birth = date(birth_year, rng.randint(1, 12), rng.randint(1, 28))
        month = rng.randint(1, 12)
        seq = rng.randint(1, 999)
        nip = rules.format_nip(birth, year, month, sex, seq)
        while nip in self.used_nips:  # a rare clash: take the next sequence number
            seq = seq % 999 + 1
            nip = rules.format_nip(birth, year, month, sex, seq)
        self.used_nips.add(nip)
        return nip, birth, date(year, month, 1)

    def grade(self, post: Post, asn_type: str, appointed: date) -> str:
        if asn_type == "PPPK":
            return post.pppk_grade
        # One step up about every four years of service, up to the post's ceiling.
        low, high = GRADES.index(post.grades[0]), GRADES.index(post.grades[1])
        years = LAST_APPOINTMENT_YEAR - appointed.year
        return GRADES[min(low + years // 4, high)]

    def email(self, name: str) -> str:
        words = [w for w in name.split(",")[0].split() if not w.endswith(".")]
        local = ".".join(_ascii(w) for w in (words[0], words[-1])) if words else "pegawai"
        candidate, n = local, 1
        while candidate in self.emails:
            n += 1
            candidate = f"{local}{n}"
        self.emails.add(candidate)
        return f"{candidate}@{self.spec.mail_domain}"

    def home(self) -> tuple[float, float]:
        angle = self.rng.random() * 2 * math.pi
        km = 0.5 + self.rng.random() * 4.5
        lat = self.spec.latitude + km * math.cos(angle) / 111.32
        lon = self.spec.longitude + km * math.sin(angle) / (
            111.32 * math.cos(math.radians(self.spec.latitude))
        )
        return round(lat, 6), round(lon, 6)

    def placed_on(self, appointed: date) -> date:
        recent, fraction = self.rng.random(), self.rng.random()
        if recent < RECENT_SHARE:
            return self.today - timedelta(days=3 + int(fraction * 85))
        start = max(appointed, self.today - timedelta(days=12 * 365))
        span = max((self.today - timedelta(days=120) - start).days, 0)
        return start + timedelta(days=int(fraction * span))

    def person(self, post: Post, title: str, unit: PlannedUnit, supervisor: str, level: int):
        rng = self.rng
        sex = "L" if rng.random() < 0.55 else "P"
        pppk = bool(post.pppk_grade) and rng.random() < PPPK_SHARE
        asn_type = "PPPK" if pppk else "PNS"
        nip, birth, appointed = self.nip(post, asn_type, sex)
        name = self.person_name(sex, post)
        lat, lon = self.home()
        phone = (
            f"08{rng.choice(PHONE_PREFIXES)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
        )
        employee = PlannedEmployee(
            nip=nip,
            name=name,
            sex=sex,
            birth_date=birth,
            asn_type=asn_type,
            position=title,
            grade=self.grade(post, asn_type, appointed),
            job_class=post.job_class,
            unit=unit.code,
            office=unit.office,
            room=unit.room,
            supervisor=supervisor,
            home_latitude=lat,
            home_longitude=lon,
            phone=phone,
            email=self.email(name),
            placed_on=self.placed_on(appointed),
            level=level,
            username=nip,
        )
        self.employees.append(employee)
        key = (unit.office, unit.room)
        self.room_people[key] = self.room_people.get(key, 0) + 1
        return employee

    # --- units ----------------------------------------------------------------------------

    def room_for(self, spec: UnitSpec, parent: PlannedUnit | None, opd: UnitSpec, office: str):
        if parent is None:
            name, floor = f"Ruang Pimpinan {spec.short or spec.name}", None
        elif office != parent.office:
            name, floor = "Ruang Kerja", "1"
        else:
            name, floor = f"Ruang {spec.name} {opd.short}".strip(), None
        key = (office, name)
        if floor is None:
            # Each OPD in a shared building gets its own floor, in turn.
            floor = self.room_floor.get((office, opd.code))
            if floor is None:
                index = self.office_opds.get(office, 0)
                self.office_opds[office] = index + 1
                floor = str(1 + index % 3)
                self.room_floor[(office, opd.code)] = floor
        self.room_floor[key] = floor
        return name

    def unit(self, spec: UnitSpec, parent_spec, parent: PlannedUnit | None, opd, boss, level):
        office = spec.office or (parent.office if parent else "")
        room = self.room_for(spec, parent, opd or spec, office)
        planned = PlannedUnit(
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            parent=parent.code if parent else "",
            office=office,
            room=room,
            serves_public=spec.serves_public,
            min_on_site=spec.min_on_site,
            head="",
        )
        self.opd_short[spec.code] = "" if opd is None else opd.short
        head_post = HEADS[head_level(spec, parent_spec)]
        head = self.person(head_post, head_title(spec, parent_spec), planned, boss, level)
        planned = replace(planned, head=head.nip)
        self.units.append(planned)
        staff = self.staff_of.setdefault(spec.code, [])
        for key, count in spec.staff:
            post = POSITIONS[key]
            for _ in range(count):
                staff.append(self.person(post, post.title, planned, head.nip, level + 1).nip)
        for child in spec.children:
            self.unit(child, spec, planned, opd or spec, head.nip, level + 1)
        return planned

    # --- the whole agency -----------------------------------------------------------------

    def plan(self) -> AgencyPlan:
        setda, *opds = self.spec.units
        top = self.unit(setda, None, None, None, "", 0)
        for opd in opds:
            self.unit(opd, None, None, None, top.head, 1)
        employees = {e.nip: e for e in self.employees}
        logins = self.logins(employees)
        for login in logins:
            if login.nip:
                employees[login.nip] = replace(employees[login.nip], username=login.username)
        rooms = [
            PlannedRoom(office, name, self.room_floor.get((office, name), "1"), people + 2)
            for (office, name), people in self.room_people.items()
        ]
        for office in self.spec.offices:
            for i, name in enumerate(office.shared_rooms):
                rooms.append(PlannedRoom(office.name, name, "1" if i == 0 else "2", 30))
        return AgencyPlan(
            spec=self.spec,
            rooms=tuple(rooms),
            units=tuple(self.units),
            employees=tuple(sorted(employees.values(), key=lambda e: e.level)),
            logins=logins,
        )

    def logins(self, employees: dict[str, PlannedEmployee]) -> tuple[PlannedLogin, ...]:
        units = {u.code: u for u in self.units}
        where = dict(self.spec.logins)
        prefix = self.spec.city.lower()
        taken: set[str] = set()
        out = []
        for role, grant in LOGIN_ROLES:
            username = f"{prefix}.{LOGIN_NAMES[role]}"
            if role == "pimpinan":
                # The mayor is elected, not an ASN: a login with the pimpinan role, no NIP.
                sex = "L" if self.rng.random() < 0.7 else "P"
                honorific = "H." if sex == "L" else "Hj."
                name = f"{honorific} {self.person_name(sex, HEADS['opd'])}"
                title = f"Wali Kota {self.spec.city}"
                out.append(PlannedLogin(role, username, "", name, title, grant))
                continue
            unit = units[where[role]]
            if role in ("atasan", "kepala_opd"):
                nip = unit.head
            else:
                nip = next(n for n in self.staff_of[unit.code] if n not in taken)
            taken.add(nip)
            grant_unit = ""
            if grant == Role.ADMIN_OPD:
                grant_unit = self.opd_of(unit.code)
            person = employees[nip]
            short = self.opd_short[unit.code]
            place = f"{unit.name} ({short})" if short else unit.name
            out.append(PlannedLogin(role, username, nip, person.name, place, grant, grant_unit))
        return tuple(out)

    def opd_of(self, code: str) -> str:
        parents = {u.code: u.parent for u in self.units}
        while parents[code]:
            code = parents[code]
        return code


def plan_demo(today: date) -> tuple[AgencyPlan, ...]:
    """The plan for both demo agencies (NIPs are unique across them)."""
    used: set[str] = set()
    return tuple(_Planner(spec, today, used).plan() for spec in AGENCIES)


def operator_login() -> PlannedLogin:
    return PlannedLogin(
        "operator", OPERATOR_USERNAME, "", "Operator Platform", "semua instansi", Role.OPERATOR
    )
