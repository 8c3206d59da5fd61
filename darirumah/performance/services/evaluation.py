"""The month-end evaluation (R8; PermenPANRB 6/2022): the month is computed for every active
employee of an agency (`evaluation_run`, by BKPSDM, the operator or the timed job on the
evaluation day), the head confirms or adjusts each rating with a reason
(`evaluation_confirm`), and sends the OPD's summary to BKPSDM (`unit_evaluation_send`).

The rules are in darirumah/performance/rules/evaluation.py, who may in
darirumah/performance/selectors/evaluation.py.

A run reads the month in a fixed number of grouped queries (one per kind of record, counted per
employee by the database), so 10,000 people cost the same number of queries as 3. A confirmed
evaluation is never touched by a later run; an unchanged one is not written again.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from darirumah.core import calendar as calendar_service
from darirumah.core.errors import Conflict, DomainError
from darirumah.notify.services import notify
from darirumah.org.access import Access
from darirumah.org.models import Agency, Employee, Role, RoleAssignment, Unit

from ..models import Evaluation, UnitEvaluation
from ..rules import evaluation as rules
from ..rules import month_bounds
from ..selectors import evaluation as selectors

CHUNK = selectors.CHUNK
BATCH = 500  # rows per INSERT statement
MAX_REASON = 1000
RUN_REASON = "month-end evaluation"
COMPUTED_FIELDS = [
    "unit",
    "working_days",
    "target_achievement",
    "report_completion",
    "attendance_compliance",
    "vicon_compliance",
    "figures",
    "score",
    "rating",
    "final_rating",
    "computed_at",
    "updated_at",
]
SUMMED = ("target_achievement", "report_completion", "attendance_compliance", "vicon_compliance")


def _values(unit_id: int, outcome: rules.Outcome) -> dict:
    return {
        "unit_id": unit_id,
        "working_days": outcome.working_days,
        "target_achievement": outcome.target_achievement,
        "report_completion": outcome.report_completion,
        "attendance_compliance": outcome.attendance_compliance,
        "vicon_compliance": outcome.vicon_compliance,
        "figures": outcome.figures,
        "score": outcome.score,
        "rating": outcome.rating,
        "final_rating": outcome.rating,
    }


def _refresh(evaluation: Evaluation, values: dict, now) -> bool:
    """Put the new values on a computed evaluation; False when nothing changed."""
    if all(getattr(evaluation, key) == value for key, value in values.items()):
        return False
    for key, value in values.items():
        setattr(evaluation, key, value)
    evaluation.computed_at = evaluation.updated_at = now
    return True


def _update(changed: list[Evaluation], history: dict) -> None:
    """Write the recomputed evaluations and their history rows.

    Django's bulk_update builds a CASE expression per field listing every row (12 fields ×
    10,000 people = 120,000 expressions, most of a minute in Python); an upsert on the primary
    key (INSERT … ON CONFLICT (id) DO UPDATE, PostgreSQL and SQLite) writes the same rows as
    fast as an insert. Every row exists and is locked by the run (select_for_update), so each one
    takes the update branch. bulk_update_with_history without fields then writes the history."""
    created = {e.pk: e.created_at for e in changed}
    Evaluation.objects.bulk_create(
        changed,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["pk"],
        update_fields=COMPUTED_FIELDS,
    )
    for evaluation in changed:  # bulk_create stamped a new creation time on the objects only
        evaluation.created_at = created[evaluation.pk]
    bulk_update_with_history(changed, Evaluation, [], batch_size=BATCH, **history)


# --- the run -------------------------------------------------------------------------------------


def evaluation_run(*, agency: Agency, period: date, actor=None) -> dict:
    """Compute the month of every active employee of the agency (see the module's docstring);
    returns the counts. Refuses a future month and a month before its evaluation day."""
    start, end = month_bounds(period.year, period.month)
    config = selectors.performance_config(agency)
    calendar = calendar_service.calendar_for(agency)
    problem = rules.period_problem(
        start,
        today=calendar.today(),
        evaluated_on=selectors.evaluation_day(start, config, calendar),
    )
    if problem is not None:
        raise DomainError(problem, code="period_not_started", fields={"period": [problem]})
    working = calendar.working_days(start, end)
    staff = Employee.objects.filter(agency=agency, is_active=True).order_by("pk")
    counts = selectors.month_counts(agency, start, end, working)
    targets = selectors.month_targets(agency, start, end, calendar)
    computed = {
        pk: _values(
            unit_id,
            rules.evaluate(
                selectors.person_month(counts.get(pk, {}), len(working), targets.get(pk, [])),
                config.evaluation,
                end,
            ),
        )
        for pk, unit_id in staff.values_list("pk", "unit_id").iterator(chunk_size=CHUNK)
    }
    now = calendar_service.utcnow()
    result = {"period": f"{start:%Y-%m}", "employees": len(computed), "working_days": len(working)}
    with transaction.atomic():
        # One run per agency at a time; a head's confirmation waits for the rows it touches.
        list(Agency.objects.select_for_update().filter(pk=agency.pk).values_list("pk"))
        existing = {
            e.employee_id: e
            for e in Evaluation.objects.select_for_update().filter(agency=agency, period=start)
        }
        new, changed, kept, same = [], [], 0, 0
        for employee_id, values in computed.items():
            evaluation = existing.get(employee_id)
            if evaluation is None:
                new.append(
                    Evaluation(
                        agency=agency,
                        employee_id=employee_id,
                        period=start,
                        computed_at=now,
                        **values,
                    )
                )
            elif evaluation.status == Evaluation.Status.CONFIRMED:
                kept += 1
            elif _refresh(evaluation, values, now):
                changed.append(evaluation)
            else:
                same += 1
        history = {"default_user": actor, "default_change_reason": RUN_REASON}
        if new:
            bulk_create_with_history(new, Evaluation, batch_size=BATCH, **history)
        if changed:
            _update(changed, history)
        units = unit_summaries(agency=agency, period=start, now=now, actor=actor)
    return {
        **result,
        "created": len(new),
        "updated": len(changed),
        "unchanged": same,
        "confirmed_kept": kept,
        "units": units,
    }


# --- the OPD summaries ---------------------------------------------------------------------------


def _opd_figures(agency: Agency, period: date, opds: list[Unit]) -> dict[int, dict]:
    """Per OPD: how many people, how many per final rating, confirmed or not, the mean score and
    parts. One grouped query."""
    totals = {
        u.pk: {"staff": 0, "confirmed": 0, "score": Decimal(0), "ratings": {}, "sums": {}}
        for u in opds
    }
    qs = Evaluation.objects.filter(agency=agency, period=period, employee__is_active=True)
    if len(opds) == 1:
        qs = qs.filter(unit__path__startswith=opds[0].path)
    sums = {f"{key}_sum": Sum(key) for key in SUMMED} | {f"{key}_n": Count(key) for key in SUMMED}
    rows = (
        qs.order_by()
        .values("unit__path", "final_rating", "status")
        .annotate(n=Count("pk"), score_sum=Sum("score"), **sums)
    )
    for row in rows:
        total = totals.get(int(row["unit__path"].strip("/").split("/")[0]))
        if total is None:  # a unit of an OPD that is no longer active
            continue
        total["staff"] += row["n"]
        total["score"] += row["score_sum"] or 0
        if row["status"] == Evaluation.Status.CONFIRMED:
            total["confirmed"] += row["n"]
        ratings = total["ratings"]
        ratings[row["final_rating"]] = ratings.get(row["final_rating"], 0) + row["n"]
        for key in SUMMED:
            value, n = total["sums"].get(key, (Decimal(0), 0))
            total["sums"][key] = (value + (row[f"{key}_sum"] or 0), n + row[f"{key}_n"])
    figures = {}
    for pk, total in totals.items():
        figures[pk] = {
            "staff": total["staff"],
            "confirmed": total["confirmed"],
            "unconfirmed": total["staff"] - total["confirmed"],
            "ratings": {r: total["ratings"].get(r, 0) for r in Evaluation.Rating.values},
            "average_score": rules.average(total["score"], total["staff"]),
            "averages": {key: rules.average(*total["sums"].get(key, (None, 0))) for key in SUMMED},
        }
    return figures


@transaction.atomic
def unit_summaries(
    *, agency: Agency, period: date, now=None, actor=None, opd: Unit | None = None
) -> int:
    """Recompute the month's summary of every active OPD of the agency (or of one), keeping
    when it was sent; a summary already sent that changes is flagged. Returns how many OPDs."""
    now = now or calendar_service.utcnow()
    if opd is None:
        opds = list(Unit.objects.filter(agency=agency, parent__isnull=True, is_active=True))
    else:
        opds = [opd]
    figures = _opd_figures(agency, period, opds)
    existing = {
        u.unit_id: u
        for u in UnitEvaluation.objects.select_for_update().filter(
            agency=agency, period=period, unit__in=opds
        )
    }
    new, changed = [], []
    for unit in opds:
        current = figures[unit.pk]
        summary = existing.get(unit.pk)
        if summary is None:
            new.append(
                UnitEvaluation(
                    agency=agency, unit=unit, period=period, figures=current, computed_at=now
                )
            )
            continue
        before = {k: v for k, v in summary.figures.items() if k != "changed_after_sending"}
        if before != current:
            if summary.sent_at is not None:
                current["changed_after_sending"] = True
            summary.figures = current
            summary.computed_at = now
            changed.append(summary)
    history = {"default_user": actor, "default_change_reason": RUN_REASON}
    if new:
        bulk_create_with_history(new, UnitEvaluation, batch_size=BATCH, **history)
    if changed:
        bulk_update_with_history(
            changed, UnitEvaluation, ["figures", "computed_at"], batch_size=BATCH, **history
        )
    return len(opds)


# --- the head's confirmation ---------------------------------------------------------------------


def _notify_employee(evaluation: Evaluation) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "month": date_format(evaluation.period, "F Y"),
            "rating": Evaluation.Rating(evaluation.final_rating).label,
        }
        title = _("Your evaluation of %(month)s is confirmed: %(rating)s") % values
        body = _("The head of your unit confirmed your evaluation of %(month)s: %(rating)s.") % (
            values
        )
        if evaluation.adjust_reason:
            body += "\n\n" + _("Reason: %(reason)s") % {"reason": evaluation.adjust_reason}
    notify(
        [evaluation.employee],
        kind="performance.evaluation_confirmed",
        title=title,
        body=body,
        link=reverse("performance-evaluation-detail", args=[evaluation.pk]),
    )


def evaluation_confirm(
    *, access: Access, evaluation: Evaluation, rating: str | None = None, reason: str = ""
) -> Evaluation:
    """Confirm the computed rating (`rating` None or the computed one) or set another one with a
    reason. A confirmed evaluation changes again only with a reason; history keeps each step."""
    access.require(
        selectors.confirms_evaluation(access, evaluation),
        _("Only the head of the person's unit confirms or adjusts their rating."),
    )
    reason = (reason or "").strip()
    if rating is not None and rating not in Evaluation.Rating.values:
        message = _("Choose one of the five ratings.")
        raise DomainError(message, fields={"rating": [message]})
    if len(reason) > MAX_REASON:
        message = _("At most %(n)d characters.") % {"n": MAX_REASON}
        raise DomainError(message, fields={"reason": [message]})
    with transaction.atomic():
        evaluation = (
            Evaluation.objects.select_for_update()
            .select_related("employee", "unit", "agency")
            .get(pk=evaluation.pk)
        )
        final = rating or evaluation.rating
        if not reason and final != evaluation.rating:
            message = _("Say why the rating differs from the computed one.")
            raise DomainError(message, code="reason_required", fields={"reason": [message]})
        confirmed = evaluation.status == Evaluation.Status.CONFIRMED
        if confirmed and not reason:
            message = _("This evaluation is already confirmed: give a reason to change it.")
            raise DomainError(message, code="reason_required", fields={"reason": [message]})
        if confirmed and (final, reason) == (evaluation.final_rating, evaluation.adjust_reason):
            raise Conflict(
                _("This evaluation is already confirmed with this rating and reason."),
                code="unchanged",
            )
        evaluation.final_rating = final
        evaluation.adjust_reason = reason
        evaluation.status = Evaluation.Status.CONFIRMED
        evaluation.confirmed_by = access.user
        evaluation.confirmed_at = calendar_service.utcnow()
        evaluation._history_user = access.user
        evaluation.full_clean(exclude=["figures"], validate_unique=False)
        evaluation.save()
        opd = Unit.objects.filter(pk=selectors.opd_of(evaluation.unit), is_active=True).first()
        if opd is not None:
            unit_summaries(agency=evaluation.agency, period=evaluation.period, opd=opd)
        transaction.on_commit(partial(_notify_employee, evaluation), robust=True)
    return evaluation


# --- sending the OPD's summary -------------------------------------------------------------------


def _notify_bkpsdm(summary: UnitEvaluation) -> None:
    users = RoleAssignment.objects.filter(
        role=Role.BKPSDM, agency_id=summary.agency_id, revoked_at__isnull=True
    ).values_list("user_id", flat=True)
    with translation.override(settings.LANGUAGE_CODE):
        values = {"unit": summary.unit.name, "month": date_format(summary.period, "F Y")}
        title = _("Evaluation of %(unit)s for %(month)s") % values
        body = _("%(unit)s sent its month-end evaluation of %(month)s.") % values
    notify(
        list(users),
        kind="performance.unit_evaluation_sent",
        title=title,
        body=body,
        link=reverse("performance-evaluation-overview") + f"?period={summary.period:%Y-%m}",
    )


def unit_evaluation_send(*, access: Access, unit_evaluation: UnitEvaluation) -> UnitEvaluation:
    """The head sends the OPD's month to BKPSDM once every evaluation of its people is
    confirmed (the head's own is confirmed above the OPD and does not hold it up). Sending again
    after a change is allowed; history keeps each sending."""
    access.require(
        selectors.sends_unit_evaluation(access, unit_evaluation),
        _("Only the head of the OPD sends its evaluation to BKPSDM."),
    )
    with transaction.atomic():
        summary = (
            UnitEvaluation.objects.select_for_update()
            .select_related("unit", "agency")
            .get(pk=unit_evaluation.pk)
        )
        besides = {summary.unit.head_id, access.employee.pk} - {None}
        waiting = selectors.unconfirmed(summary, besides=besides)
        if waiting:
            message = ngettext(
                "%(n)d evaluation of the OPD is not confirmed yet: confirm it before sending.",
                "%(n)d evaluations of the OPD are not confirmed yet: confirm them before sending.",
                waiting,
            ) % {"n": waiting}
            raise DomainError(message, code="unconfirmed", fields={"evaluations": [message]})
        now = calendar_service.utcnow()
        summary.figures = _opd_figures(summary.agency, summary.period, [summary.unit])[
            summary.unit_id
        ]
        summary.computed_at = now
        summary.sent_at = now
        summary.sent_by = access.user
        summary._history_user = access.user
        summary.save()
        transaction.on_commit(partial(_notify_bkpsdm, summary), robust=True)
    return summary
