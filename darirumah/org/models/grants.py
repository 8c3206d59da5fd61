"""Roles granted within a scope (an agency or a unit subtree) and personal API tokens."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import Agency, Unit, User


class Role(models.TextChoices):
    """Roles granted explicitly. Pegawai (self) and atasan (through supervisor links) need none."""

    ADMIN_OPD = "admin_opd", _("OPD admin")
    KEPALA_OPD = "kepala_opd", _("OPD head")
    BKPSDM = "bkpsdm", _("BKPSDM")
    PIMPINAN = "pimpinan", _("Leadership (pimpinan)")
    KESEHATAN = "kesehatan", _("Health officer")
    OPERATOR = "operator", _("Platform operator")


class RoleAssignment(models.Model):
    """A role granted to a user within a scope: a whole agency, or a unit subtree."""

    UNIT_SCOPED = (Role.ADMIN_OPD, Role.KEPALA_OPD)

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("agency"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("unit"),
    )
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["-granted_at"]
        # One active grant per scope. NULLs are distinct in a plain unique constraint (and
        # SQLite has no NULLS NOT DISTINCT), so each scope shape has its own partial constraint.
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "agency", "unit"],
                condition=models.Q(revoked_at__isnull=True, unit__isnull=False),
                name="roleassignment_unique_active_unit",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "agency"],
                condition=models.Q(
                    revoked_at__isnull=True, unit__isnull=True, agency__isnull=False
                ),
                name="roleassignment_unique_active_agency",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(revoked_at__isnull=True, agency__isnull=True),
                name="roleassignment_unique_active_platform",
            ),
        ]

    def __str__(self):
        where = self.unit or self.agency or _("platform")
        return f"{self.user} — {self.get_role_display()} ({where})"

    def clean(self):
        if self.role == Role.OPERATOR:
            if self.agency_id or self.unit_id:
                raise ValidationError(_("The platform operator role has no agency or unit."))
            return
        if not self.agency_id:
            raise ValidationError({"agency": _("This role needs an agency.")})
        if self.role in self.UNIT_SCOPED and not self.unit_id:
            raise ValidationError({"unit": _("This role needs a unit.")})
        if self.role not in self.UNIT_SCOPED and self.unit_id:
            raise ValidationError({"unit": _("This role applies to the whole agency.")})
        if self.unit_id and self.unit.agency_id != self.agency_id:
            raise ValidationError({"unit": _("The unit belongs to another agency.")})


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the key is shown once at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
