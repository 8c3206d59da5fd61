"""Factories for organisation data. NIPs are valid and unique."""

from datetime import date

import factory

from darirumah.org import rules
from darirumah.org.models import Agency, Employee, Office, Room, Unit, User
from darirumah.org.services import unit_path


def nip_for(n: int) -> str:
    birth = date(1965 + n % 30, n % 12 + 1, n % 28 + 1)  # appointed by 2025 at the latest
    return rules.format_nip(
        birth, birth.year + 22 + n % 10, (n * 7) % 12 + 1, "LP"[n % 2], n % 999 + 1
    )


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Pemerintah Kota Uji {n}")
    code = factory.Sequence(lambda n: f"kota-uji-{n}")
    kind = Agency.Kind.PEMKOT
    region = "Kota Uji"
    zone = "WIB"


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Gedung {n}")
    latitude = -6.12
    longitude = 106.15
    radius_m = 150


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    office = factory.SubFactory(OfficeFactory)
    name = factory.Sequence(lambda n: f"Ruang {n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        skip_postgeneration_save = True

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"Dinas Uji {n}")
    kind = Unit.Kind.DINAS

    @factory.post_generation
    def set_path(obj, create, extracted, **kwargs):
        if create:
            obj.path = unit_path(obj)
            Unit.objects.filter(pk=obj.pk).update(path=obj.path)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "rahasia-uji-123")

    @factory.post_generation
    def persist(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    agency = factory.LazyAttribute(lambda o: o.unit.agency)
    unit = factory.SubFactory(UnitFactory)
    nip = factory.Sequence(nip_for)
    name = factory.Sequence(lambda n: f"Pegawai Uji {n}")
    asn_type = Employee.AsnType.PNS
    position = "Analis"
    user = factory.SubFactory(UserFactory, username=factory.SelfAttribute("..nip"))
    birth_date = factory.LazyAttribute(lambda o: rules.parse_nip(o.nip).birth_date)
    sex = factory.LazyAttribute(lambda o: rules.parse_nip(o.nip).sex)
