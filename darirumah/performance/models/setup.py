"""The agency's performance rules (config.py validates them) and the record of each month-end
run."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from darirumah.core.models import TimeStamped
from darirumah.org.models import Agency, User


class PerformanceRuleSet(TimeStamped):
    """One per agency: evaluation weights and rating thresholds, the TPP table and deductions,
    the discipline deadlines (darirumah/performance/config.py). No row = the defaults."""

    agency = models.OneToOneField(
        Agency, on_delete=models.CASCADE, related_name="performance_rules"
    )
    rules = models.JSONField(_("rules"), default=dict)
    changed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("performance rules")
        verbose_name_plural = _("performance rules")

    def __str__(self) -> str:
        return str(self.agency)


class MonthEndRun(models.Model):
    """One run of the month-end work for an agency and month: evaluation, TPP, discipline
    recommendations. Running a month again recomputes what is not yet confirmed."""

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Scheduled")
        MANUAL = "manual", _("Started by a person")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="month_end_runs")
    period = models.DateField(_("month"), help_text=_("The first day of the month."))
    trigger = models.CharField(_("trigger"), max_length=10, choices=Trigger.choices)
    started_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    counts = models.JSONField(_("counts"), default=dict)

    class Meta:
        verbose_name = _("month-end run")
        verbose_name_plural = _("month-end runs")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["agency", "period"])]

    def __str__(self) -> str:
        return f"{self.agency} {self.period:%Y-%m}"
