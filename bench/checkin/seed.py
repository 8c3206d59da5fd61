"""The agency of the check-in benchmark: a city with thousands of employees, today a working day
under a circular in force, a published roster (half at the office, half at home), a personal API
token per employee, and phone photos to check in with.

Everything goes through the product's own import, circular and token services, as an agency's
BKPSDM would set it up; only the day's roster is written in bulk (the planner has its own
benchmark).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from PIL import Image, ImageDraw

from darirumah.core import calendar as calendar_service
from darirumah.org import imports
from darirumah.org.access import access_for
from darirumah.org.imports import sample
from darirumah.org.models import Agency, AgencyDay, Employee, Office, Role, RoleAssignment, User
from darirumah.org.services import token_create
from darirumah.policy import services as policy_services
from darirumah.roster.models import RosterEntry

OFFICE = (-6.12, 106.15)  # the city hall, with its 150 m geofence
# A cheap phone's front camera (2 MP) as an API client may send it; the check-in page itself
# sends at most 1024 px, so this is the heavier case.
PHOTO_SIZE = (1600, 1200)


@dataclass
class Seeded:
    agency: Agency
    day: object  # the agency's local date of the run
    people: list[dict]  # one per employee: token, mode, where the phone says it is


def seed(count: int, *, units: int = 40) -> Seeded:
    agency = Agency.objects.create(name="Kota Bench", code="bench", kind="pemkot", region="Bench")
    office = Office.objects.create(
        agency=agency,
        name="Pusat Pemerintahan",
        latitude=OFFICE[0],
        longitude=OFFICE[1],
        radius_m=150,
    )
    admin = User.objects.create(username="bench-bkpsdm")
    RoleAssignment.objects.create(user=admin, role=Role.BKPSDM, agency=agency)
    access = access_for(admin)
    rows = sample.sample_rows(count, units=units, office=office.name)
    report = imports.import_employees(
        access=access, agency=agency, upload=sample.to_xlsx(rows), filename="", dry_run=False
    )
    if report.errors or report.created != count:
        raise RuntimeError(f"the import failed: {report.message} {report.errors[:3]}")

    calendar = calendar_service.calendar_for(agency)
    day = calendar.today()
    if not calendar.is_working_day(day):  # a bench run on a Sunday still measures a workday
        AgencyDay.objects.create(agency=agency, date=day, kind="on", name="Hari kerja (bench)")
    circular = policy_services.circular_create(
        access=access,
        agency=agency,
        number="800/001/SE/BENCH",
        title="Penyesuaian sistem kerja ASN (benchmark)",
        issuer_name="Wali Kota",
        issuer_position="Wali Kota",
        starts_on=day - timedelta(days=7),
        ends_on=day + timedelta(days=30),
    )
    policy_services.circular_activate(access=access, circular=circular)

    employees = list(Employee.objects.filter(agency=agency).select_related("user").order_by("pk"))
    rng = random.Random(7)
    RosterEntry.objects.bulk_create(
        RosterEntry(
            employee=e,
            date=day,
            mode="WFO" if i % 2 == 0 else "WFH",
            source="plan",
            published=True,
            circular=circular,
        )
        for i, e in enumerate(employees)
    )
    people = []
    for i, e in enumerate(employees):
        _token, key = token_create(user=e.user, name="ponsel")
        centre = OFFICE if i % 2 == 0 else (e.home_latitude, e.home_longitude)
        # Most phones are where they should be, a few far away (flagged), a few inaccurate.
        off = 0.02 if rng.random() < 0.05 else 0.0003
        people.append(
            {
                "employee": e.pk,
                "token": key,
                "mode": "WFO" if i % 2 == 0 else "WFH",
                "latitude": round(centre[0] + rng.uniform(-off, off), 6),
                "longitude": round(centre[1] + rng.uniform(-off, off), 6),
                "accuracy": round(rng.uniform(5, 40) if rng.random() > 0.05 else 900, 1),
            }
        )
    return Seeded(agency=agency, day=day, people=people)


def write_photos(folder: Path, count: int = 12) -> list[Path]:
    """Distinct phone-like JPEG selfies with EXIF (camera, GPS) for the server to strip."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(11)
    paths = []
    for n in range(count):
        image = Image.effect_noise(PHOTO_SIZE, 40 + n).convert("RGB")
        draw = ImageDraw.Draw(image)
        for _ in range(30):  # shapes and colour, so the JPEG is as busy as a real photo
            x, y = rng.randrange(PHOTO_SIZE[0]), rng.randrange(PHOTO_SIZE[1])
            colour = tuple(rng.randrange(256) for _ in range(3))
            draw.ellipse((x, y, x + rng.randrange(80, 600), y + rng.randrange(80, 600)), colour)
        exif = Image.Exif()
        exif[0x010F] = "Bench Phone"  # Make
        exif[0x0110] = "A03 Core"  # Model
        exif[0x8825] = {1: "S", 2: (6.0, 7.0, 12.0), 3: "E", 4: (106.0, 9.0, 0.0)}  # GPS
        out = io.BytesIO()
        image.save(out, "JPEG", quality=85, exif=exif)
        path = folder / f"selfie-{n:02d}.jpg"
        path.write_bytes(out.getvalue())
        paths.append(path)
    return paths
