"""What health measures do to the roster. An isolation or an office closure takes over some
days of some people (ISOLATION, or WFH while the building is closed); the day's plan before is
kept in a RosterHold, and comes back when the measure no longer covers the day.

The health app decides each day's mode (darirumah/health/rules.py) from the plan underneath
(`roster_planned_modes` in selectors.py) and calls `roster_health_sync` once per change, inside
its own transaction. Days the health app holds are published at once (the person must know
today) and fixed for the planner: a replan never moves them.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from darirumah.core.calendar import utcnow

from .models import RosterEntry, RosterHold

Cell = tuple[int, date]  # (employee id, day)
HEALTH = RosterEntry.Source.HEALTH
RESTORED = ["mode", "source", "published", "circular", "rules_version", "reason"]
HOLD_FIELDS = [
    "original_mode",
    "original_source",
    "original_published",
    "original_circular",
    "original_rules_version",
    "original_reason",
]


def _keep_original(hold: RosterHold, entry: RosterEntry | None) -> None:
    if entry is None:
        hold.original_mode = hold.original_source = hold.original_reason = ""
        hold.original_published = False
        hold.original_circular_id = hold.original_rules_version_id = None
        return
    hold.original_mode = entry.mode
    hold.original_source = entry.source
    hold.original_published = entry.published
    hold.original_circular_id = entry.circular_id
    hold.original_rules_version_id = entry.rules_version_id
    hold.original_reason = entry.reason


def roster_health_sync(*, targets: dict[Cell, tuple[str, str] | None], actor) -> dict[str, int]:
    """Bring each cell to its target: (mode, reason) to hold the day in that mode, None to give
    the day back to the plan. A day someone changed by hand since it was held keeps their change
    when given back (and becomes the plan a later hold keeps). Returns counts of changed days:
    {"held": n, "released": m}."""
    if not targets:
        return {"held": 0, "released": 0}
    people = {e for e, _ in targets}
    days = {d for _, d in targets}
    now = utcnow()
    held = released = 0
    with transaction.atomic():
        entries = {
            (e.employee_id, e.date): e
            for e in RosterEntry.objects.select_for_update().filter(
                employee_id__in=people, date__in=days
            )
        }
        holds = {
            (h.employee_id, h.date): h
            for h in RosterHold.objects.select_for_update().filter(
                employee_id__in=people, date__in=days
            )
        }
        new_entries, changed_entries, gone_entries = [], [], []
        new_holds, changed_holds, gone_holds = [], [], []
        for cell, target in targets.items():
            entry, hold = entries.get(cell), holds.get(cell)
            if target is None:
                if hold is None:
                    continue
                gone_holds.append(hold)
                if entry is None or entry.source != HEALTH:
                    continue  # changed by hand while held: their change stays
                released += 1
                if not hold.original_mode:
                    gone_entries.append(entry.pk)
                    continue
                entry.mode = hold.original_mode
                entry.source = hold.original_source
                entry.published = hold.original_published
                entry.circular_id = hold.original_circular_id
                entry.rules_version_id = hold.original_rules_version_id
                entry.reason = hold.original_reason
                entry.changed_by, entry.changed_at = actor, now
                changed_entries.append(entry)
                continue
            mode, reason = target
            if hold is None:
                hold = RosterHold(employee_id=cell[0], date=cell[1])
                by_plan = entry is not None and entry.source != HEALTH
                _keep_original(hold, entry if by_plan else None)
                new_holds.append(hold)
            elif entry is not None and entry.source != HEALTH:
                _keep_original(hold, entry)  # changed by hand while held: that is the plan now
                changed_holds.append(hold)
            if entry is None:
                entry = RosterEntry(employee_id=cell[0], date=cell[1])
                new_entries.append(entry)
            elif (entry.mode, entry.source, entry.reason, entry.published) == (
                mode,
                HEALTH,
                reason[:300],
                True,
            ):
                continue
            else:
                changed_entries.append(entry)
            held += 1
            entry.mode, entry.source, entry.published = mode, HEALTH, True
            entry.reason = reason[:300]
            entry.changed_by, entry.changed_at = actor, now
        RosterHold.objects.bulk_create(new_holds)
        RosterHold.objects.bulk_update(changed_holds, HOLD_FIELDS)
        RosterHold.objects.filter(pk__in=[h.pk for h in gone_holds]).delete()
        bulk_create_with_history(new_entries, RosterEntry, default_user=actor)
        bulk_update_with_history(
            changed_entries,
            RosterEntry,
            [*RESTORED, "changed_by", "changed_at"],
            default_user=actor,
        )
        for entry in RosterEntry.objects.filter(pk__in=gone_entries):
            entry._history_user = actor
            entry.delete()
    return {"held": held, "released": released}
