"""One row per timed job, agency and local day: the proof that it ran, and the lock that keeps it
from running twice."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from darirumah.org.models import Agency


class JobRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    name = models.CharField(_("job"), max_length=64)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="job_runs")
    local_date = models.DateField(_("local date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    queued_at = models.DateTimeField(_("queued at"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        ordering = ["-local_date", "-queued_at", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "agency", "local_date"], name="jobrun_once_per_agency_day"
            )
        ]
        indexes = [models.Index(fields=["agency", "-local_date"])]

    def __str__(self):
        return f"{self.name} {self.agency_id} {self.local_date} {self.status}"
