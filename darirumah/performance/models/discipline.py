"""Discipline cases (PP 94/2021): the program recommends a level and a sanction from attendance
(cumulative unexcused absence in a year, ten consecutive working days) or from missed targets,
with the evidence; the supervisor and BKPSDM decide — accept, change or dismiss — with a reason.
Nothing is sanctioned automatically."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from darirumah.core.models import TimeStamped
from darirumah.org.models import Agency, Employee, User


class Level(models.TextChoices):
    RINGAN = "ringan", _("Light (ringan)")
    SEDANG = "sedang", _("Medium (sedang)")
    BERAT = "berat", _("Heavy (berat)")


class Sanction(models.TextChoices):
    VERBAL_WARNING = "verbal_warning", _("Verbal warning")
    WRITTEN_WARNING = "written_warning", _("Written warning")
    DISSATISFACTION = "dissatisfaction", _("Written statement of dissatisfaction")
    TPP_CUT_6 = "tpp_cut_6", _("25% allowance cut for 6 months")
    TPP_CUT_9 = "tpp_cut_9", _("25% allowance cut for 9 months")
    TPP_CUT_12 = "tpp_cut_12", _("25% allowance cut for 12 months")
    DEMOTION_12 = "demotion_12", _("Demotion one level for 12 months")
    NON_MANAGERIAL_12 = "non_managerial_12", _("Moved to a non-managerial post for 12 months")
    DISMISSAL = "dismissal", _("Honourable dismissal not at own request")


class DisciplineCase(TimeStamped):
    class Source(models.TextChoices):
        ABSENCE_YEAR = "absence_year", _("Unexcused absence in the year")
        ABSENCE_RUN = "absence_run", _("Consecutive working days absent")
        MISSED_TARGETS = "missed_targets", _("Missed targets")
        MANUAL = "manual", _("Reported by a person")

    class Status(models.TextChoices):
        RECOMMENDED = "recommended", _("Recommended, awaiting a decision")
        ACCEPTED = "accepted", _("Accepted")
        CHANGED = "changed", _("Decided with a change")
        DISMISSED = "dismissed", _("Dismissed")

    Level = Level
    Sanction = Sanction
    DECIDED = (Status.ACCEPTED, Status.CHANGED)

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="discipline_cases")
    employee = models.ForeignKey(
        Employee,
        on_delete=models.CASCADE,
        related_name="discipline_cases",
        verbose_name=_("employee"),
    )
    # The direct supervisor when the case was opened: the one who must act (PP 94/2021).
    supervisor = models.ForeignKey(
        Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    # What triggered it, unique per employee so a new scan never opens the same case twice,
    # e.g. "absence_year:2026:11" (the 11–13 days band of 2026) or "missed_targets:2026-08".
    trigger = models.CharField(max_length=60)
    recommended_level = models.CharField(
        _("recommended level"), max_length=10, choices=Level.choices
    )
    recommended_sanction = models.CharField(
        _("recommended sanction"), max_length=20, choices=Sanction.choices
    )
    evidence = models.JSONField(_("evidence"), default=dict)
    summary = models.CharField(_("summary"), max_length=300)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECOMMENDED
    )
    decide_by = models.DateField(_("decide by"))
    level = models.CharField(_("decided level"), max_length=10, choices=Level.choices, blank=True)
    sanction = models.CharField(
        _("decided sanction"), max_length=20, choices=Sanction.choices, blank=True
    )
    # The first month of a sanction that cuts the allowance, and how many months it runs.
    sanction_start = models.DateField(_("sanction starts"), null=True, blank=True)
    sanction_months = models.PositiveSmallIntegerField(_("months"), default=0)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("discipline case")
        verbose_name_plural = _("discipline cases")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["agency", "status", "decide_by"])]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "trigger"], name="disciplinecase_once_per_trigger"
            ),
            models.CheckConstraint(
                condition=Q(status="recommended")
                | (Q(decided_at__isnull=False) & ~Q(decision_reason="")),
                name="disciplinecase_decided_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["accepted", "changed"]) | (~Q(level="") & ~Q(sanction="")),
                name="disciplinecase_decided_has_sanction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee}: {self.summary}"
