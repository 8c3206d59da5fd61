"""Reads of the caller's own notices: nobody reads another person's inbox."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from darirumah.org.access import Access

from .models import Notification

PAGE_SIZE = 20


def notifications_for(*, access: Access, unread: bool = False) -> QuerySet[Notification]:
    """The caller's notices, newest first (only the unread ones when asked)."""
    if access.user is None or not access.user.is_authenticated:
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=access.user).select_related("agency")
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def unread_count(*, access: Access) -> int:
    """For the navbar's bell on every page: one COUNT over the partial index of unread rows."""
    if access.user is None or not access.user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=access.user, read_at__isnull=True).count()


def notification_page(
    *, access: Access, page: str | int | None, unread: bool = False, per_page: int = PAGE_SIZE
) -> Page:
    """One page of the inbox; a page number out of range or not a number gives the nearest page."""
    return Paginator(notifications_for(access=access, unread=unread), per_page).get_page(page)
