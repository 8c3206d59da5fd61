"""Who works where each working day: one entry per employee per day, and staff requests."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from darirumah.org.models import Employee, User
from darirumah.policy.models import Circular, RuleSetVersion


class Mode(models.TextChoices):
    """The values match darirumah.roster.planner's Mode."""

    WFO = "WFO", _("At the office (WFO)")
    WFH = "WFH", _("At home (WFH)")
    WFA = "WFA", _("Flexible location (WFA)")
    ISOLATION = "ISOLATION", _("Isolation")
    LEAVE = "LEAVE", _("Leave")
    DUTY = "DUTY", _("Official duty")


# Modes that are inputs to the planner: it must respect them, never choose them.
FIXED_MODES = (Mode.ISOLATION, Mode.LEAVE, Mode.DUTY)


class RosterEntry(models.Model):
    class Source(models.TextChoices):
        SOLVER = "solver", _("Planner")
        MANUAL = "manual", _("Manual")
        REQUEST = "request", _("Request")
        HEALTH = "health", _("Health")

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="roster")
    date = models.DateField(_("date"))
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    published = models.BooleanField(_("published"), default=False)
    circular = models.ForeignKey(
        Circular, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rules_version = models.ForeignKey(
        RuleSetVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")
        ordering = ["date", "employee"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "date"], name="roster_one_entry_per_day")
        ]
        indexes = [models.Index(fields=["date", "mode"])]

    def __str__(self):
        return f"{self.employee.name} {self.date} {self.mode}"


class RosterRequest(models.Model):
    """A staff member asks for another mode on a day; the head approves or refuses."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="roster_requests")
    date = models.DateField(_("date"))
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("roster request")
        verbose_name_plural = _("roster requests")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.employee.name} {self.date} → {self.mode}"


class RosterHold(models.Model):
    """A day a health measure (isolation, office closure) has taken over: what the roster said
    before, so the plan comes back when the measure ends. `original_mode` "" = no entry."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("date"))
    original_mode = models.CharField(max_length=10, blank=True)
    original_source = models.CharField(max_length=10, blank=True)
    original_published = models.BooleanField(default=False)
    original_circular = models.ForeignKey(
        Circular, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    original_rules_version = models.ForeignKey(
        RuleSetVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    original_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("roster day held by a health measure")
        verbose_name_plural = _("roster days held by health measures")
        constraints = [
            models.UniqueConstraint(fields=["employee", "date"], name="roster_hold_once")
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date} ({self.original_mode or '-'})"
