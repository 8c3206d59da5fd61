"""Notices for tests, written straight to the inbox."""

from darirumah.core.calendar import utcnow
from darirumah.notify.models import Notification


def make_notification(user, *, title="Jadwal Anda telah diterbitkan", read=False, **extra):
    employee = getattr(user, "employee", None)
    return Notification.objects.create(
        recipient=user,
        agency_id=employee.agency_id if employee is not None else None,
        kind=extra.pop("kind", "roster.published"),
        title=title,
        body=extra.pop("body", "5 hari kerja"),
        link=extra.pop("link", "/roster/me/"),
        read_at=utcnow() if read else None,
        **extra,
    )
