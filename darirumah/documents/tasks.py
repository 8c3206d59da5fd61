"""The documents app's background jobs: take ids, call a service."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from darirumah.policy.models import Circular

from .services import statements


@db_task()
def statements_for_circular(circular_id: int) -> int:
    """The statement letters of a circular just put in force (R25)."""
    circular = Circular.objects.select_related("agency").filter(pk=circular_id).first()
    if circular is None:
        return 0
    return statements.statements_generate(circular=circular)
