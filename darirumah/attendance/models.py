"""Attendance (issue 4): a day's record per employee, the video-call roll, the OPD's daily recap
for BKPSDM, and urgent reports."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from darirumah.core.models import TimeStamped
from darirumah.org.models import Agency, Employee, Unit, User


class Place(models.TextChoices):
    """Where a check-in was, against the geofence the day's mode asks for."""

    INSIDE = "inside", _("Inside the area")
    OUTSIDE = "outside", _("Outside the area")
    UNKNOWN = "unknown", _("Unknown (no location or too inaccurate)")


class Attendance(TimeStamped):
    """One record per employee per working day: their own check-in and check-out, a manual
    entry by an OPD admin, or the end-of-day job's absence."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    class Source(models.TextChoices):
        SELF = "self", _("Own check-in")
        MANUAL = "manual", _("Entered by an admin")
        SYSTEM = "system", _("End-of-day job")

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="attendance")
    date = models.DateField(_("date"))
    # The roster's mode for the day when the record was made (WFO, WFH, WFA, ISOLATION…).
    expected_mode = models.CharField(_("mode in the roster"), max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    check_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    check_in_latitude = models.FloatField(null=True, blank=True)
    check_in_longitude = models.FloatField(null=True, blank=True)
    check_in_accuracy_m = models.FloatField(null=True, blank=True)
    check_in_place = models.CharField(
        _("check-in place"), max_length=10, choices=Place.choices, blank=True
    )
    check_in_distance_m = models.FloatField(
        _("distance from the area centre (m)"), null=True, blank=True
    )
    photo = models.FileField(_("photo"), upload_to="attendance/%Y/%m/%d/", blank=True)
    # The upload as the phone sent it (metadata included), in a folder no page serves, until the
    # job runner stores its clean copy in `photo` and deletes it: seconds, even in the surge.
    photo_incoming = models.CharField(max_length=200, blank=True, editable=False)
    check_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    check_out_latitude = models.FloatField(null=True, blank=True)
    check_out_longitude = models.FloatField(null=True, blank=True)
    check_out_accuracy_m = models.FloatField(null=True, blank=True)
    check_out_place = models.CharField(
        _("check-out place"), max_length=10, choices=Place.choices, blank=True
    )
    minutes_late = models.PositiveIntegerField(_("minutes late"), default=0)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="attendance/evidence/%Y/%m/", blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        constraints = [
            # One record per person per day, whoever writes first (tested with real
            # concurrency on PostgreSQL): a repeated check-in returns the existing record.
            models.UniqueConstraint(fields=["employee", "date"], name="attendance_one_per_day"),
        ]
        indexes = [
            models.Index(fields=["date", "status"]),
            # Contact tracing (darirumah/health): who was physically at the office on a day. A
            # day without a roster entry ("") is an ordinary day at the office.
            models.Index(
                fields=["date", "employee"],
                condition=models.Q(status__in=("present", "late"), expected_mode__in=("WFO", "")),
                name="attendance_on_site",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.date} {self.status}"


class ViconSession(TimeStamped):
    """The daily video call of a unit at the circular's time, with its meeting link."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="vicon_sessions")
    date = models.DateField(_("date"))
    starts_at = models.DateTimeField(_("starts at"))
    link = models.URLField(_("meeting link"), max_length=500)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("video call")
        verbose_name_plural = _("video calls")
        constraints = [models.UniqueConstraint(fields=["unit", "date"], name="vicon_one_per_day")]

    def __str__(self) -> str:
        return f"{self.unit} {self.date}"


class ViconRoll(models.Model):
    """One person's line in a video call's roll, marked by the supervisor."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    session = models.ForeignKey(ViconSession, on_delete=models.CASCADE, related_name="roll")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="vicon_roll")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    marked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(_("marked at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("video call roll line")
        verbose_name_plural = _("video call roll")
        constraints = [
            models.UniqueConstraint(fields=["session", "employee"], name="vicon_roll_once")
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.employee} {self.status}"


class DailyRecap(models.Model):
    """An OPD's recap of one working day, produced at report time and sent to BKPSDM."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="recaps")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="recaps")
    date = models.DateField(_("date"))
    produced_at = models.DateTimeField(_("produced at"))
    # Counts by mode and status, video-call attendance, reports submitted (see services).
    figures = models.JSONField(_("figures"), default=dict)
    # The OPD sends it (with a note) once it has looked at it; BKPSDM sees who has not.
    note = models.TextField(_("note from the OPD"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    read_by_bkpsdm_at = models.DateTimeField(_("read by BKPSDM at"), null=True, blank=True)

    class Meta:
        verbose_name = _("daily recap")
        verbose_name_plural = _("daily recaps")
        constraints = [models.UniqueConstraint(fields=["unit", "date"], name="recap_one_per_day")]
        indexes = [models.Index(fields=["agency", "date"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.date}"


class Incident(TimeStamped):
    """An urgent report from an OPD to BKPSDM (R8), at any time."""

    class Category(models.TextChoices):
        HEALTH = "health", _("Health (a case, symptoms, contact)")
        SERVICE = "service", _("Public service disrupted")
        DISCIPLINE = "discipline", _("Discipline")
        FACILITY = "facility", _("Building or equipment")
        OTHER = "other", _("Other")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="incidents")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="incidents")
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    text = models.TextField(_("what happened"))
    reported_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    acknowledged_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("urgent report")
        verbose_name_plural = _("urgent reports")
        indexes = [models.Index(fields=["agency", "created_at"])]


class IncidentAttachment(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="incidents/%Y/%m/")
    name = models.CharField(_("name"), max_length=200)

    def __str__(self) -> str:
        return self.name
