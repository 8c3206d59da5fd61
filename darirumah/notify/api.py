"""Notification endpoints: the caller's own inbox, and marking notices read."""

from datetime import datetime

from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from darirumah.core.calendar import zone_info
from darirumah.org.access import access_for, get_visible

from . import selectors, services
from .models import Notification

router = Router(tags=["notifications"])


def _in_agency_zone(obj: Notification, value: datetime | None) -> datetime | None:
    # Times are returned with the agency's offset (WIB, WITA, WIT); UTC without an agency.
    if value is None or obj.agency is None:
        return value
    return timezone.localtime(value, zone_info(obj.agency.zone))


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None
    unread: bool

    @staticmethod
    def resolve_created_at(obj):
        return _in_agency_zone(obj, obj.created_at)

    @staticmethod
    def resolve_read_at(obj):
        return _in_agency_zone(obj, obj.read_at)

    @staticmethod
    def resolve_unread(obj):
        return obj.read_at is None


class ReadAllOut(Schema):
    marked: int
    unread: int


@router.get("/notifications", response=list[NotificationOut])
@paginate(PageNumberPagination)
def notification_list(request, unread: bool = False):
    """The caller's notices, newest first; `?unread=true` for the unread ones only."""
    return selectors.notifications_for(access=access_for(request.user), unread=unread)


@router.post("/notifications/{notification_id}/read", response=NotificationOut)
def notification_read(request, notification_id: int):
    """Mark one of the caller's notices read (another person's notice is not found)."""
    access = access_for(request.user)
    target = get_visible(selectors.notifications_for(access=access), notification_id)
    services.mark_read(access=access, ids=[target.pk])
    target.refresh_from_db(fields=["read_at"])
    return target


@router.post("/notifications/read-all", response=ReadAllOut)
def notification_read_all(request):
    """Mark every notice of the caller read."""
    access = access_for(request.user)
    marked = services.mark_read(access=access, ids="all")
    return {"marked": marked, "unread": selectors.unread_count(access=access)}
