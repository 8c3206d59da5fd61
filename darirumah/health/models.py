"""Health emergencies (issue 6): the health register (cases and their tests), traced close
contacts, isolation periods, office and room closures with their disinfection log, the agency's
health settings, and the log of every read and change of named health data (UU 27/2022).

Health data is specific personal data: names go only to health officers and the head of BKPSDM
(org/access.py), every read and change of a name is written to HealthAccessLog with a reason.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from darirumah.core.models import TimeStamped
from darirumah.org.models import Agency, Employee, Office, Room, User


class Place(models.TextChoices):
    """Where the person most likely caught the infection."""

    OFFICE = "office", _("At the office")
    OUTSIDE = "outside", _("Outside the office")
    UNKNOWN = "unknown", _("Unknown")


class HealthCase(TimeStamped):
    """One episode of illness of one employee, from suspect to recovered (or died)."""

    class Status(models.TextChoices):
        SUSPECT = "suspect", _("Suspect")
        PROBABLE = "probable", _("Probable")
        CONFIRMED = "confirmed", _("Confirmed")
        RECOVERED = "recovered", _("Recovered")
        DIED = "died", _("Died")

    # A case that is still going on: the person is ill or may be.
    OPEN = (Status.SUSPECT, Status.PROBABLE, Status.CONFIRMED)

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="health_cases")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="health_cases")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # When the case was first confirmed (a positive test or the officer's decision): the
    # dashboard's timeline counts confirmed cases by this day.
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)
    symptom_onset = models.DateField(_("symptom onset"), null=True, blank=True)
    likely_place = models.CharField(
        _("likely place of infection"),
        max_length=10,
        choices=Place.choices,
        default=Place.UNKNOWN,
    )
    likely_place_reason = models.CharField(_("why this place"), max_length=500, blank=True)
    closed_on = models.DateField(_("recovered or died on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("health case")
        verbose_name_plural = _("health cases")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return f"{self.employee} {self.status}"


class HealthTest(models.Model):
    """A test of a case: PCR, antigen… with its date and result."""

    class Kind(models.TextChoices):
        PCR = "pcr", _("PCR (swab)")
        ANTIGEN = "antigen", _("Rapid antigen")
        ANTIBODY = "antibody", _("Rapid antibody")
        OTHER = "other", _("Other")

    class Result(models.TextChoices):
        PENDING = "pending", _("Waiting for the result")
        POSITIVE = "positive", _("Positive")
        NEGATIVE = "negative", _("Negative")
        INCONCLUSIVE = "inconclusive", _("Inconclusive")

    case = models.ForeignKey(HealthCase, on_delete=models.CASCADE, related_name="tests")
    kind = models.CharField(_("test"), max_length=10, choices=Kind.choices)
    taken_on = models.DateField(_("taken on"))
    result = models.CharField(
        _("result"), max_length=12, choices=Result.choices, default=Result.PENDING
    )
    result_on = models.DateField(_("result on"), null=True, blank=True)
    place = models.CharField(_("laboratory or clinic"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("health test")
        verbose_name_plural = _("health tests")
        ordering = ["taken_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(result_on__isnull=True) | Q(result_on__gte=models.F("taken_on")),
                name="health_test_result_after_taken",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.kind} {self.taken_on} {self.result}"


class CloseContact(models.Model):
    """A colleague the officer marked as a close contact of a confirmed case, from tracing."""

    class Group(models.TextChoices):
        ROOM = "room", _("Same room")
        UNIT = "unit", _("Same unit")
        OFFICE = "office", _("Same office")

    case = models.ForeignKey(HealthCase, on_delete=models.CASCADE, related_name="contacts")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="health_contacts")
    group = models.CharField(_("how close"), max_length=10, choices=Group.choices)
    # The days both were at the office in the tracing window, ISO dates.
    shared_days = models.JSONField(_("days together at the office"), default=list)
    last_contact_on = models.DateField(_("last contact on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    marked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(_("marked at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("close contact")
        verbose_name_plural = _("close contacts")
        ordering = ["case", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "employee"], name="health_contact_once")
        ]

    def __str__(self) -> str:
        return f"{self.employee} ↔ {self.case}"


class Isolation(TimeStamped):
    """A period a person stays at home for health reasons. While it runs the roster says
    ISOLATION on its working days, attendance counts it as excused working and the allowance is
    kept; when it ends (or is cancelled) the days go back to the plan."""

    class Reason(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed case")
        CONTACT = "contact", _("Close contact")
        SYMPTOMS = "symptoms", _("Symptoms")
        TRAVEL = "travel", _("Travel from an affected area")
        OTHER = "other", _("Other")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="isolations")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="isolations")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    case = models.ForeignKey(
        HealthCase, on_delete=models.SET_NULL, null=True, blank=True, related_name="isolations"
    )
    contact = models.OneToOneField(
        CloseContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="isolation",
    )
    # Set when the isolation was ended before its planned end, or cancelled (recorded in error).
    ended_early_on = models.DateField(_("ended early on"), null=True, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("isolation")
        verbose_name_plural = _("isolations")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="isolation_end_after_start"
            )
        ]
        indexes = [models.Index(fields=["agency", "starts_on", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.employee} {self.starts_on}–{self.ends_on}"


class Closure(TimeStamped):
    """A building, or some of its rooms, closed for dates. Its staff work from home on the
    closed working days (the roster says so); public-service units stay open only when the
    officer says so."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="closures")
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="closures")
    # No rooms: the whole building.
    rooms = models.ManyToManyField(Room, blank=True, related_name="closures")
    starts_on = models.DateField(_("closed from"))
    ends_on = models.DateField(_("closed until"))
    reason = models.CharField(_("reason"), max_length=500)
    keep_public_service_open = models.BooleanField(
        _("public-service units stay open"),
        default=False,
        help_text=_("Staff of units that serve the public keep their plan and stay at the office."),
    )
    # The closure takes effect when recorded, or at the start of its first day if later: the
    # 24 hours before a room may be disinfected count from here.
    closed_at = models.DateTimeField(_("closed at"))
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="closure_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.starts_on}–{self.ends_on}"


class Disinfection(models.Model):
    """One room disinfected: when, by which team, with which agent."""

    closure = models.ForeignKey(Closure, on_delete=models.CASCADE, related_name="disinfections")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="disinfections")
    performed_at = models.DateTimeField(_("disinfected at"))
    team = models.CharField(_("team"), max_length=200)
    agent = models.CharField(_("disinfectant"), max_length=200)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disinfection")
        verbose_name_plural = _("disinfections")
        ordering = ["performed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.room} {self.performed_at}"


class HealthSettings(TimeStamped):
    """One per agency: the tracing window, isolation length, incubation window, hours a room is
    closed before disinfection and the closure a cluster calls for (darirumah/health/config.py
    validates them). No row = the defaults of Kepmenkes 328/2020."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="health_settings")
    settings = models.JSONField(_("settings"), default=dict)
    changed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("health settings")
        verbose_name_plural = _("health settings")

    def __str__(self) -> str:
        return str(self.agency)


class HealthAccessLog(models.Model):
    """Who read or changed named health data, when, and why (UU 27/2022). Never edited."""

    class Action(models.TextChoices):
        LIST = "list", _("Listed")
        VIEW = "view", _("Viewed")
        CREATE = "create", _("Recorded")
        UPDATE = "update", _("Changed")
        TRACE = "trace", _("Traced contacts")
        EXPORT = "export", _("Exported")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("at"), db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    # What was read or changed: "case:12", "isolations", "closure:3"…
    subject = models.CharField(_("subject"), max_length=60)
    # The people whose names were shown or changed (employee ids).
    employees = models.JSONField(_("people"), default=list)
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        verbose_name = _("health data access")
        verbose_name_plural = _("health data accesses")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["agency", "at"])]

    def __str__(self) -> str:
        return f"{self.at} {self.user} {self.action} {self.subject}"
