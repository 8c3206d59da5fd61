"""Performance (issue 5), first slice: targets given by a head or supervisor (R14, R26;
PermenPANRB 6/2022: indicators of quantity, quality and time) and the daily work reports with
evidence that the supervisor reviews."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from darirumah.core.models import TimeStamped
from darirumah.org.models import Agency, Employee, User

from .. import rules


class Target(TimeStamped):
    """A measurable target of one employee for a period (a month, or the WFH period).

    A unit-wide assignment makes one Target per person with a shared `batch`.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CANCELLED = "cancelled", _("Cancelled")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="targets")
    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="targets", verbose_name=_("employee")
    )
    assigned_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    indicator = models.CharField(_("indicator"), max_length=300)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    unit_of_measure = models.CharField(_("unit of measure"), max_length=60)
    quality_measure = models.CharField(_("quality measure"), max_length=300)
    deadline = models.DateField(_("deadline"))
    weight = models.DecimalField(
        _("weight (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )
    plan_ref = models.CharField(
        _("annual plan reference (SKP/RHK)"),
        max_length=200,
        blank=True,
        help_text=_("The planned result (RHK) of the employee's SKP this target serves, if any."),
    )
    batch = models.UUIDField(_("unit-wide assignment"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["-period_start", "employee__name", "pk"]
        indexes = [models.Index(fields=["employee", "status", "period_start", "period_end"])]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="target_quantity_positive"),
            models.CheckConstraint(
                condition=Q(weight__gt=0, weight__lte=100), name="target_weight_range"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="target_period_order"
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("period_start"), deadline__lte=F("period_end")),
                name="target_deadline_in_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} ({self.period_start}–{self.period_end})"

    def clean(self):
        if self.period_start and self.period_end and self.deadline:
            problems = rules.period_problems(self.period_start, self.period_end, self.deadline)
            if problems:
                raise ValidationError({k: [v] for k, v in problems.items()})
        if self.employee_id and self.agency_id and self.employee.agency_id != self.agency_id:
            raise ValidationError({"employee": [_("The employee works for another agency.")]})


class DailyReport(TimeStamped):
    """One employee's report of one working day: written as a draft, submitted, then approved
    (locked) or returned with a comment by the supervisor."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    EDITABLE = (Status.DRAFT, Status.RETURNED)
    REVIEWED = (Status.APPROVED, Status.RETURNED)

    employee = models.ForeignKey(
        Employee,
        on_delete=models.CASCADE,
        related_name="daily_reports",
        verbose_name=_("employee"),
    )
    date = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Whether the first submission came after the day's report deadline; a report returned and
    # sent again keeps the answer of its first submission.
    late = models.BooleanField(_("submitted late"), default=False)
    reviewed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("daily report")
        verbose_name_plural = _("daily reports")
        ordering = ["-date", "employee__name", "pk"]
        indexes = [models.Index(fields=["date", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["employee", "date"], name="dailyreport_one_per_day"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="dailyreport_sent_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "returned"]) | Q(reviewed_at__isnull=False),
                name="dailyreport_reviewed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(review_comment=""),
                name="dailyreport_returned_has_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.date} {self.status}"

    @property
    def editable(self) -> bool:
        return self.status in self.EDITABLE


class ReportItem(models.Model):
    """One activity of a daily report: what was done, for which target, how much, how long."""

    report = models.ForeignKey(DailyReport, on_delete=models.CASCADE, related_name="items")
    activity = models.TextField(_("activity"))
    target = models.ForeignKey(
        Target,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_items",
        verbose_name=_("target"),
    )
    output_quantity = models.DecimalField(
        _("output quantity"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    minutes_spent = models.PositiveSmallIntegerField(
        _("time spent (minutes)"),
        validators=[MinValueValidator(1), MaxValueValidator(rules.MAX_DAY_MINUTES)],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report item")
        verbose_name_plural = _("report items")
        ordering = ["report", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(output_quantity__gte=0), name="reportitem_output_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(minutes_spent__gte=1, minutes_spent__lte=rules.MAX_DAY_MINUTES),
                name="reportitem_minutes_range",
            ),
        ]

    def __str__(self) -> str:
        return self.activity[:60]


class ReportEvidence(models.Model):
    """A photo or document proving an item. Judged by its content, never by its name; photos
    are stored re-encoded without metadata (like the check-in selfie)."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        PDF = "pdf", _("PDF document")

    item = models.ForeignKey(ReportItem, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to="performance/evidence/%Y/%m/")
    name = models.CharField(_("original name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["item", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["photo", "pdf"]), name="reportevidence_kind_known"
            )
        ]

    def __str__(self) -> str:
        return self.name
