"""WFH circulars (Surat Edaran): scope, period, lifecycle and versioned rule sets."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from darirumah.core.models import TimeStamped
from darirumah.org.models import Agency, Office, Unit, User


class Circular(TimeStamped):
    """A circular: who it covers, from when to when, and where it is in its lifecycle.

    What it decides lives in its rule-set versions (RuleSetVersion); the newest one applies.
    An empty scope (no units, no offices) covers the whole agency.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        EXTENDED = "extended", _("Extended")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ENDED = "ended", _("Ended")

    IN_FORCE = (Status.ACTIVE, Status.EXTENDED)

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="circulars")
    number = models.CharField(_("number"), max_length=100)
    title = models.CharField(_("title"), max_length=300)
    issuer_name = models.CharField(_("issued by (name)"), max_length=200)
    issuer_position = models.CharField(_("issued by (position)"), max_length=200)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name=_("units"))
    offices = models.ManyToManyField(
        Office, blank=True, related_name="+", verbose_name=_("offices")
    )
    history = HistoricalRecords(m2m_fields=[units, offices])

    class Meta:
        verbose_name = _("circular")
        verbose_name_plural = _("circulars")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="circular_unique_number"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="circular_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.number} — {self.title}"


class EarlyStart(models.Model):
    """A unit that starts before the circular's own start date (R1: some staff start earlier)."""

    circular = models.ForeignKey(Circular, on_delete=models.CASCADE, related_name="early_starts")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    starts_on = models.DateField(_("starts on"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("early start")
        verbose_name_plural = _("early starts")
        constraints = [
            models.UniqueConstraint(fields=["circular", "unit"], name="earlystart_unique_unit")
        ]

    def __str__(self):
        return f"{self.unit} {self.starts_on}"


class RuleSetVersion(models.Model):
    """One version of what a circular decides (policy.rules.RuleSet as JSON). Never edited:
    a change is a new version, so a roster can always name the rules it was planned under."""

    circular = models.ForeignKey(Circular, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    rules = models.JSONField(_("rules"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rule-set version")
        verbose_name_plural = _("rule-set versions")
        ordering = ["circular", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["circular", "number"], name="ruleset_unique_number")
        ]

    def __str__(self):
        return f"{self.circular.number} v{self.number}"


class CircularEvent(models.Model):
    """One step of the lifecycle, with who took it and when."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        RULES_CHANGED = "rules_changed", _("Rules changed")
        ACTIVATED = "activated", _("Activated")
        EXTENDED = "extended", _("Extended")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ENDED = "ended", _("Ended")

    circular = models.ForeignKey(Circular, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("circular event")
        verbose_name_plural = _("circular events")
        ordering = ["circular", "at", "pk"]

    def __str__(self):
        return f"{self.circular.number}: {self.get_action_display()}"


class EffectivenessDecision(models.Model):
    """Leadership's decision on a circular after its effectiveness review (R2, R3): continue,
    adjust some units, or withdraw. The review's figures at that moment are kept with it, so the
    decision can always be read next to what the leaders saw."""

    class Decision(models.TextChoices):
        CONTINUE = "continue", _("Continue")
        ADJUST = "adjust", _("Adjust these units")
        WITHDRAW = "withdraw", _("Withdraw")

    circular = models.ForeignKey(Circular, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name=_("units"))
    note = models.TextField(_("reason"))
    review = models.JSONField(_("review at the time of the decision"), default=dict)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"))
    history = HistoricalRecords(m2m_fields=[units])

    class Meta:
        verbose_name = _("effectiveness decision")
        verbose_name_plural = _("effectiveness decisions")
        ordering = ["circular", "-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="decision_has_reason"),
        ]

    def __str__(self):
        return f"{self.circular.number}: {self.get_decision_display()}"
