"""Circulars for tests: a draft or one in force, with a first rule-set version."""

from datetime import date
from itertools import count

from darirumah.policy.models import Circular, RuleSetVersion
from darirumah.policy.rules import RuleSet

_numbers = count(1)


def make_circular(agency, *, status=Circular.Status.DRAFT, units=(), offices=(), **fields):
    values = {
        "number": f"800/{next(_numbers):03d}/SE/2020",
        "title": "Penyesuaian sistem kerja ASN",
        "issuer_name": "Syafrudin",
        "issuer_position": "Wali Kota",
        "starts_on": date(2020, 3, 19),
        "ends_on": date(2020, 3, 31),
        **fields,
    }
    circular = Circular.objects.create(agency=agency, status=status, **values)
    circular.units.set(units)
    circular.offices.set(offices)
    RuleSetVersion.objects.create(
        circular=circular, number=1, rules=RuleSet().model_dump(mode="json")
    )
    return circular
