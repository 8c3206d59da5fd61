"""Agencies, their unit tree (OPD and below), offices and rooms, employees, users and roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from darirumah.core.calendar import utcnow
from darirumah.core.models import TimeStamped

from .. import rules
from ..criteria_checks import criteria_problems


class User(AbstractUser):
    """A login. Employees log in with their NIP or their username."""

    history = HistoricalRecords(excluded_fields=["last_login", "password"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Zone(models.TextChoices):
    WIB = "WIB", _("WIB (Asia/Jakarta, UTC+7)")
    WITA = "WITA", _("WITA (Asia/Makassar, UTC+8)")
    WIT = "WIT", _("WIT (Asia/Jayapura, UTC+9)")


class Agency(TimeStamped):
    class Kind(models.TextChoices):
        PEMKOT = "pemkot", _("City government (Pemkot)")
        PEMKAB = "pemkab", _("Regency government (Pemkab)")
        PEMPROV = "pemprov", _("Provincial government (Pemprov)")
        KEMENTERIAN = "kementerian", _("Ministry")
        LEMBAGA = "lembaga", _("Agency (lembaga)")

    class RiskZone(models.TextChoices):
        NONE = "none", _("No cases (green zone)")
        LOW = "low", _("Low risk (yellow zone)")
        MEDIUM = "medium", _("Medium risk (orange zone)")
        HIGH = "high", _("High risk (red zone)")

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.CharField(_("region"), max_length=120)
    zone = models.CharField(_("time zone"), max_length=4, choices=Zone.choices, default=Zone.WIB)
    risk_zone = models.CharField(
        _("risk zone"), max_length=10, choices=RiskZone.choices, blank=True, default=""
    )
    ppkm_level = models.PositiveSmallIntegerField(
        _("PPKM level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    observe_joint_leave = models.BooleanField(
        _("observe national joint leave (cuti bersama)"), default=True
    )
    letterhead_title = models.CharField(_("letterhead title"), max_length=200, blank=True)
    letterhead_subtitle = models.CharField(_("letterhead subtitle"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self):
        return self.name


class AgencyDay(models.Model):
    """An agency's own calendar day: a day off (regional holiday, joint leave) or a working day."""

    class Kind(models.TextChoices):
        OFF = "off", _("Day off")
        ON = "on", _("Working day")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="calendar_days")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=3, choices=Kind.choices, default=Kind.OFF)
    name = models.CharField(_("name"), max_length=120)
    # Moves with every change: the check-in's cached calendar is rebuilt when it does.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agency calendar day")
        verbose_name_plural = _("agency calendar days")
        constraints = [
            models.UniqueConstraint(fields=["agency", "date"], name="agencyday_unique_date")
        ]
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.name}"


class Office(TimeStamped):
    """A building, with the geofence used for office check-in."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="offices")
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.FloatField(
        _("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    radius_m = models.PositiveIntegerField(
        _("geofence radius (m)"),
        default=150,
        validators=[MinValueValidator(10), MaxValueValidator(5000)],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="office_unique_name")
        ]

    def __str__(self):
        return self.name


class Room(models.Model):
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=120)
    floor = models.CharField(_("floor"), max_length=20, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["office", "name"]
        constraints = [models.UniqueConstraint(fields=["office", "name"], name="room_unique_name")]

    def __str__(self):
        return f"{self.office.name} — {self.name}"


class Unit(TimeStamped):
    """A node in the agency's unit tree: an OPD (dinas, badan…) or a unit below it.

    `path` is a materialised path of ids ("/3/17/42/") kept by the services, so a subtree is one
    indexed prefix query.
    """

    class Kind(models.TextChoices):
        SEKRETARIAT = "sekretariat", _("Secretariat")
        DINAS = "dinas", _("Office (dinas)")
        BADAN = "badan", _("Agency (badan)")
        KANTOR = "kantor", _("Office (kantor)")
        INSPEKTORAT = "inspektorat", _("Inspectorate")
        BAGIAN = "bagian", _("Section (bagian)")
        BIDANG = "bidang", _("Division (bidang)")
        SUBBAGIAN = "subbagian", _("Subsection")
        SEKSI = "seksi", _("Section (seksi)")
        KECAMATAN = "kecamatan", _("District (kecamatan)")
        KELURAHAN = "kelurahan", _("Urban village (kelurahan)")
        DESA = "desa", _("Village (desa)")
        PUSKESMAS = "puskesmas", _("Community health centre (puskesmas)")
        UPT = "upt", _("Technical unit (UPT)")
        RSUD = "rsud", _("Regional hospital (RSUD)")
        DIREKTORAT = "direktorat", _("Directorate")
        LAINNYA = "lainnya", _("Other")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="units")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    serves_public = models.BooleanField(_("serves the public directly"), default=False)
    head = models.ForeignKey(
        "Employee",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_units",
        verbose_name=_("head"),
    )
    min_on_site = models.PositiveIntegerField(_("default minimum staff on site"), default=0)
    office = models.ForeignKey(
        Office,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("office"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(excluded_fields=["path"])

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="unit_unique_code"),
        ]

    def __str__(self):
        return self.name

    @property
    def depth(self) -> int:
        return max(0, self.path.count("/") - 2)


class Employee(TimeStamped):
    class AsnType(models.TextChoices):
        PNS = "PNS", _("PNS (civil servant)")
        PPPK = "PPPK", _("PPPK (government contract employee)")

    class Sex(models.TextChoices):
        MALE = "L", _("Male")
        FEMALE = "P", _("Female")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="employees")
    user = models.OneToOneField(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="employee"
    )
    nip = models.CharField(_("NIP"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=200)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, editable=False)
    birth_date = models.DateField(_("birth date"), editable=False)
    asn_type = models.CharField(_("ASN type"), max_length=4, choices=AsnType.choices)
    position = models.CharField(_("position"), max_length=200)
    grade = models.CharField(_("grade (golongan)"), max_length=10, blank=True)
    job_class = models.PositiveSmallIntegerField(
        _("job class (kelas jabatan)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(17)],
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="employees", verbose_name=_("unit")
    )
    office = models.ForeignKey(
        Office,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employees",
        verbose_name=_("office"),
    )
    room = models.ForeignKey(
        Room,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employees",
        verbose_name=_("room"),
    )
    supervisor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subordinates",
        verbose_name=_("direct supervisor"),
    )
    home_latitude = models.FloatField(
        _("home latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    home_longitude = models.FloatField(
        _("home longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    placed_on = models.DateField(_("placed in current post on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Placement criteria of SE MenPANRB 58/2020, read by the roster planner. "Over 50" is not
    # stored: it follows from the birth date. Comorbidity, pregnancy and close contact are health
    # data (UU 27/2022): org.access.sees_health_flags decides who may see them.
    comorbidity = models.BooleanField(
        _("comorbidity"),
        default=False,
        help_text=_("A congenital or chronic illness that raises the risk (komorbid)."),
    )
    pregnant = models.BooleanField(_("pregnant"), default=False)
    recent_travel_until = models.DateField(
        _("recent travel: at home until"),
        null=True,
        blank=True,
        help_text=_(
            "After travel from an affected area: the last day the criterion holds, usually the "
            "day of return plus 14 days. Empty: none."
        ),
    )
    recent_contact_until = models.DateField(
        _("close contact: at home until"),
        null=True,
        blank=True,
        help_text=_(
            "After close contact with a case: the last day the criterion holds, usually the day "
            "of the contact plus 14 days. Empty: none."
        ),
    )
    top_official = models.BooleanField(
        _("top official"),
        default=False,
        help_text=_("A senior executive (pejabat pimpinan tinggi) who leads from the office."),
    )
    strategic_post = models.BooleanField(
        _("strategic post"),
        default=False,
        help_text=_("The post's work must be done at the office."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["name"]
        indexes = [models.Index(fields=["agency", "name"])]

    def __str__(self):
        return f"{self.name} ({self.nip})"

    def clean_fields(self, exclude=None):
        # A NIP is often typed as printed ("19850330 201001 1 002"): drop the spaces before the
        # length check.
        if self.nip:
            self.nip = rules.normalise_nip(self.nip)
        super().clean_fields(exclude=exclude)

    def clean(self):
        errors: dict[str, list] = {}
        try:
            parts = rules.parse_nip(self.nip, today=utcnow().date())
        except rules.NipError as exc:
            errors["nip"] = [str(exc)]
        else:
            self.nip = rules.normalise_nip(self.nip)
            self.sex = parts.sex
            self.birth_date = parts.birth_date
        problem = rules.check_coordinates(self.home_latitude, self.home_longitude)
        if problem:
            errors["home_latitude"] = [problem]
        if self.unit_id and self.agency_id and self.unit.agency_id != self.agency_id:
            errors["unit"] = [_("The unit belongs to another agency.")]
        if self.office_id and self.agency_id and self.office.agency_id != self.agency_id:
            errors["office"] = [_("The office belongs to another agency.")]
        if self.room_id and self.office_id and self.room.office_id != self.office_id:
            errors["room"] = [_("The room is not in the employee's office.")]
        errors.update(
            criteria_problems(
                sex=self.sex,
                pregnant=self.pregnant,
                travel_until=self.recent_travel_until,
                contact_until=self.recent_contact_until,
                today=utcnow().date(),
            )
        )
        if self.supervisor_id:
            if self.supervisor.agency_id != self.agency_id:
                errors["supervisor"] = [_("The supervisor works for another agency.")]
            elif self.pk and rules.chain_has_loop(
                self.pk, self.supervisor_id, _supervisor_lookup()
            ):
                errors["supervisor"] = [
                    _("This supervisor would create a loop in the reporting line.")
                ]
        if errors:
            raise ValidationError(errors)


def _supervisor_lookup():
    def parent_of(pk):
        return Employee.objects.filter(pk=pk).values_list("supervisor_id", flat=True).first()

    return parent_of


# Roles and API tokens: who may do what (darirumah/org/models/grants.py).
from .grants import ApiToken, Role, RoleAssignment  # noqa: E402

__all__ = [
    "Agency",
    "AgencyDay",
    "ApiToken",
    "Employee",
    "Office",
    "Role",
    "RoleAssignment",
    "Room",
    "Unit",
    "User",
    "Zone",
]
