"""The attendance app's Huey tasks: take ids, call a service."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .services import checkin_photo


@db_task()
def finish_photo(record_id: int) -> None:
    """Clean and store a check-in photo (queued when the check-in commits)."""
    checkin_photo.photo_finish(record_id=record_id)


@db_periodic_task(crontab(minute="*/5"))
def photos_sweep() -> int:
    """Finish the photos whose queued job was lost (the worker stopped before running it)."""
    pending = checkin_photo.photos_pending()
    for record_id in pending:
        checkin_photo.photo_finish(record_id=record_id)
    return len(pending)
