"""The month-end evaluation (PermenPANRB 6/2022): per employee and month the weighted target
achievement, report completion, attendance and video-call compliance, a score and a rating that
the head confirms or adjusts with a reason; per unit a summary that goes to BKPSDM."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from darirumah.core.models import TimeStamped
from darirumah.org.models import Agency, Employee, Unit, User


class Rating(models.TextChoices):
    SANGAT_BAIK = "sangat_baik", _("Sangat Baik")
    BAIK = "baik", _("Baik")
    BUTUH_PERBAIKAN = "butuh_perbaikan", _("Butuh Perbaikan")
    KURANG = "kurang", _("Kurang")
    SANGAT_KURANG = "sangat_kurang", _("Sangat Kurang")


def _percent(verbose: str, *, null: bool = False) -> models.DecimalField:
    return models.DecimalField(verbose, max_digits=6, decimal_places=2, null=null, blank=null)


class Evaluation(TimeStamped):
    """One employee's month. `rating` is what the rules computed; `final_rating` what counts
    (the head's adjustment, with its reason, or the computed one)."""

    class Status(models.TextChoices):
        COMPUTED = "computed", _("Computed")
        CONFIRMED = "confirmed", _("Confirmed by the head")

    Rating = Rating

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="evaluations")
    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("employee")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="evaluations")
    period = models.DateField(_("month"), help_text=_("The first day of the month."))
    working_days = models.PositiveSmallIntegerField(_("working days"))
    # None where the month gave nothing to measure (no targets, no video calls); the score then
    # spreads that part's weight over the others.
    target_achievement = _percent(_("target achievement (%)"), null=True)
    report_completion = _percent(_("report completion (%)"), null=True)
    attendance_compliance = _percent(_("attendance compliance (%)"), null=True)
    vicon_compliance = _percent(_("video-call attendance (%)"), null=True)
    figures = models.JSONField(_("figures"), default=dict)
    score = _percent(_("score"))
    rating = models.CharField(_("computed rating"), max_length=20, choices=Rating.choices)
    final_rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices)
    adjust_reason = models.TextField(_("reason for the adjustment"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.COMPUTED
    )
    confirmed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"))
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-period", "unit__name", "employee__name", "pk"]
        indexes = [models.Index(fields=["agency", "period", "unit"])]
        constraints = [
            models.UniqueConstraint(fields=["employee", "period"], name="evaluation_one_a_month"),
            models.CheckConstraint(
                condition=Q(final_rating=models.F("rating")) | ~Q(adjust_reason=""),
                name="evaluation_adjusted_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status="computed") | Q(confirmed_at__isnull=False),
                name="evaluation_confirmed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.period:%Y-%m} {self.final_rating}"


class UnitEvaluation(models.Model):
    """A unit's month: its ratings side by side, sent by the head to BKPSDM."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="unit_evaluations")
    period = models.DateField(_("month"))
    figures = models.JSONField(_("figures"), default=dict)
    computed_at = models.DateTimeField(_("computed at"))
    sent_at = models.DateTimeField(_("sent to BKPSDM at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit evaluation")
        verbose_name_plural = _("unit evaluations")
        ordering = ["-period", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="unitevaluation_one_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period:%Y-%m}"
