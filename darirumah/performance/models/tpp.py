"""The monthly TPP allowance of one employee with its breakdown (PP 12/2019 art. 58 and the
agency's own rules in darirumah/performance/config.py). Money is rupiah in Decimal; each amount
shown is rounded half-up to the whole rupiah (darirumah/performance/rules/tpp.py)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from darirumah.org.models import Agency, Employee, Unit


def _rupiah(verbose: str) -> models.DecimalField:
    return models.DecimalField(verbose, max_digits=14, decimal_places=0, default=0)


class TppLine(models.Model):
    """One person's allowance for one month: the base of their job class split into the
    performance and discipline parts, what each part pays after the evaluation and the
    deductions, a decided medium sanction's cut, and the net. `breakdown` keeps the counts the
    amounts come from (late minutes per band, absences, WFH and isolation days counted as
    worked) so a person can check their own money."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="tpp_lines")
    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="tpp_lines", verbose_name=_("employee")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="tpp_lines")
    period = models.DateField(_("month"), help_text=_("The first day of the month."))
    job_class = models.PositiveSmallIntegerField(_("job class"), null=True, blank=True)
    base = _rupiah(_("monthly allowance"))
    performance_part = _rupiah(_("performance part"))
    discipline_part = _rupiah(_("discipline part"))
    performance_amount = _rupiah(_("performance paid"))
    late_deduction = _rupiah(_("late arrival deduction"))
    early_leave_deduction = _rupiah(_("early leave deduction"))
    absence_deduction = _rupiah(_("absence deduction"))
    discipline_amount = _rupiah(_("discipline paid"))
    sanction_cut = _rupiah(_("sanction cut"))
    net = _rupiah(_("net allowance"))
    working_days = models.PositiveSmallIntegerField(_("working days"), default=0)
    worked_days = models.PositiveSmallIntegerField(_("days counted as worked"), default=0)
    breakdown = models.JSONField(_("breakdown"), default=dict)
    # Why the line pays nothing or is incomplete (no job class, no amount for the class).
    problem = models.CharField(_("problem"), max_length=300, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("TPP line")
        verbose_name_plural = _("TPP lines")
        ordering = ["-period", "unit__name", "employee__name", "pk"]
        indexes = [models.Index(fields=["agency", "period", "unit"])]
        constraints = [
            models.UniqueConstraint(fields=["employee", "period"], name="tppline_one_a_month"),
            models.CheckConstraint(condition=models.Q(net__gte=0), name="tppline_net_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.period:%Y-%m} Rp{self.net}"
