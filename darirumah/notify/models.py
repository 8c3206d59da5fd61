"""Notices sent to people: the in-app inbox rows (other channels keep no rows of their own)."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from darirumah.core.calendar import utcnow
from darirumah.org.models import Agency, User

# A notice's kind: a dotted slug naming the app and the event ("roster.published").
KIND_PATTERN = r"^[a-z0-9_]+(\.[a-z0-9_]+)*$"


class Notification(models.Model):
    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency"),
    )
    kind = models.CharField(
        _("kind"), max_length=60, validators=[RegexValidator(KIND_PATTERN)], db_index=True
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    # A path inside DariRumah ("/roster/me/?month=2026-08"), never another site.
    link = models.CharField(_("link"), max_length=300, blank=True)
    # Jobs that may run twice pass a key: a second notice with the same key for the same person
    # is dropped. NULL keys never collide (both SQLite and PostgreSQL treat NULLs as distinct).
    key = models.CharField(_("deduplication key"), max_length=200, null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=utcnow)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notify_one_per_key"),
        ]
        indexes = [
            # The navbar's unread count on every page: a partial index of unread rows only.
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notify_unread"
            ),
            # The inbox, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notify_inbox"),
        ]

    def __str__(self):
        return f"{self.recipient} · {self.kind} · {self.title}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
